"""What the dossier page shows about identification decisions and non-punishment, read as the
user may see it: statuses, dates and organisations for every reader of the dossier; reasons,
details, notes and who recorded them only at the identity level."""

from django.db.models import Prefetch

from himaya.accounts.models import Organisation
from himaya.core import access
from himaya.core.trilingual import ordered_by

from .models import OFFENCE_STAGES, IdentificationDecision, NonPunishmentAlert, OffenceCharge


def visible_decisions(user, dossier, *, sees_identity):
    decisions = (
        IdentificationDecision.objects.visible_to(user)
        .filter(dossier=dossier)
        .select_related("status", "organisation", "organisation_type", "decided_by")
    )
    return decisions if sees_identity else decisions.defer("reasons")


def visible_offences(user, dossier, *, sees_identity):
    alerts = NonPunishmentAlert.objects.select_related("resolved_org", "resolved_by")
    if not sees_identity:  # the note on an outcome is not even decrypted
        alerts = alerts.defer("outcome_note")
    offences = (
        OffenceCharge.objects.visible_to(user)
        .filter(dossier=dossier)
        .select_related("authority", "region", "organisation", "recorded_by")
        .prefetch_related(
            Prefetch("alert", queryset=alerts),
            Prefetch("alert__recipients", queryset=ordered_by(Organisation.objects, "name", "pk")),
        )
    )
    if not sees_identity:
        offences = offences.defer(*OffenceCharge.FREE_TEXT_FIELDS)
    return offences


def dossier_panels(user, dossier, *, sees_identity):
    """Context for the "Decisions" and "Non-punishment" panels of the dossier page. An
    organisation that sees the dossier only through referrals gets the decisions without their
    reasons and no offences (justice data, core.access "Referrals and services")."""
    referral_only = sees_identity and access.referral_only(user, dossier)
    decisions = list(
        visible_decisions(user, dossier, sees_identity=sees_identity and not referral_only)
    )
    offences = (
        [] if referral_only else list(visible_offences(user, dossier, sees_identity=sees_identity))
    )
    if referral_only:  # deferred, never decrypted: the template shows nothing
        for d in decisions:
            d.reasons = ""
    orgs = access.victim_org_ids(user)
    for offence in offences:
        alert = getattr(offence, "alert", None)
        offence.can_resolve = bool(
            alert is not None
            and alert.is_open
            and sees_identity
            and (dossier.owner_org_id in orgs or any(r.pk in orgs for r in alert.recipients.all()))
        )
    by_pk = {d.pk: d for d in decisions}
    for d in decisions:  # the reviewed decision's date, without reading its reasons again
        d.reviewed = by_pk.get(d.reviews_id)
    latest = decisions[-1] if decisions else None
    return {
        "decisions": decisions,
        "latest_decision": latest,
        "can_decide": sees_identity and bool(access.decision_org_ids_for(user, dossier)),
        "offences": offences,
        "can_record_offence": sees_identity
        and not referral_only
        and dossier.current_stage in OFFENCE_STAGES
        and bool(access.offence_org_ids_for(user, dossier)),
    }
