"""Non-punishment (DOMAIN.md §1): an offence charged against a presumed or identified victim
raises an alert to the prosecution organisations of the charge's region and to the dossier's
owner. The alert stays open until resolved with an outcome. The prosecution sees the dossier
through an access grant that lives as long as an open alert needs it (DESIGN.md convention 3)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.accounts.models import Organisation
from himaya.audit import log
from himaya.core import access
from himaya.core.actions import ensure_visible
from himaya.core.bidi import blank
from himaya.notifications.actions import notify
from himaya.notifications.models import Kind

from ..models import (
    OFFENCE_STAGES,
    AlertOutcome,
    Dossier,
    NonPunishmentAlert,
    OffenceCharge,
    OffenceType,
    Stage,
)
from .grants import create_grant, end_grant

# Organisations that bring charges: the charging authority, when it is in Himaya, is one.
CHARGING_ORG_TYPES = (
    "police",
    "gendarmerie",
    "prosecution",
    "court",
    "immigration_service",
    "labour_inspectorate",
)
DETAIL_MAX = 2000
AUTHORITY_MAX = 200
# Stored with each grant the alert creates (a grant's reason is data, not interface text).
GRANT_REASON = "non-punishment alert"


def _grant_source(alert):
    return f"cases.nonpunishmentalert:{alert.pk}"


def _check_offence(dossier, *, offence_type, charged_on, region, detail, authority, other):
    if offence_type not in OffenceType.values:
        raise ValidationError({"offence_type": _("Choose the offence charged.")})
    if offence_type == OffenceType.OTHER and blank(detail):
        raise ValidationError({"detail": _("Describe the offence charged.")})
    if len(detail) > DETAIL_MAX:
        raise ValidationError(
            {"detail": _("The detail holds at most %(n)s characters.") % {"n": f"{DETAIL_MAX:,}"}}
        )
    if authority is None and blank(other):
        raise ValidationError(
            {"authority": _("Choose the charging authority, or name it if it is not listed.")}
        )
    if authority is not None and other:
        raise ValidationError(
            {"authority_other": _("Choose the authority from the list or name it, not both.")}
        )
    if authority is not None and not authority.active:
        raise ValidationError({"authority": _("This organisation is no longer active.")})
    if authority is not None and authority.type.code not in CHARGING_ORG_TYPES:
        raise ValidationError({"authority": _("This organisation does not bring charges.")})
    if len(other) > AUTHORITY_MAX:
        raise ValidationError(
            {
                "authority_other": _("The authority's name holds at most %(n)s characters.")
                % {"n": AUTHORITY_MAX}
            }
        )
    if charged_on is None or charged_on > timezone.localdate():
        raise ValidationError({"charged_on": _("A charge cannot be dated in the future.")})
    if region is None or region.list != "region":
        raise ValidationError(
            {"region": _("Say in which region the charge was brought: the alert goes there.")}
        )


@transaction.atomic
def record_offence(
    dossier,
    *,
    acting_user,
    organisation,
    offence_type,
    charged_on,
    region=None,
    detail="",
    authority=None,
    authority_other="",
):
    """Record an offence charged against the person of a dossier at the presumed, identified
    or assisted stage, and raise its non-punishment alert: sent to the active prosecution
    organisations of the charge's region (the dossier's region of exploitation unless said
    otherwise), each given a grant with the identity while the alert is open, and to the
    dossier's owner."""
    locked = _offence_dossier(dossier, acting_user=acting_user, organisation=organisation)
    detail = (detail or "").strip()
    other = (authority_other or "").strip()
    region = region or locked.exploitation_region
    _check_offence(
        locked,
        offence_type=offence_type,
        charged_on=charged_on,
        region=region,
        detail=detail,
        authority=authority,
        other=other,
    )
    offence = OffenceCharge.objects.create(
        dossier=locked,
        offence_type=offence_type,
        detail=detail,
        authority=authority,
        authority_other=other,
        charged_on=charged_on,
        region=region,
        recorded_by=acting_user,
        organisation=organisation,
    )
    log.write(
        acting_user,
        "record_offence",
        offence,
        ["offence_type", "charged_on", "region"]
        + (["detail"] if detail else [])
        + (["authority"] if authority else ["authority_other"]),
        organisation_id=organisation.pk,
    )
    alert = _raise_alert(locked, offence, acting_user=acting_user)
    ensure_visible(OffenceCharge.objects, offence, acting_user)
    return offence, alert


def _offence_dossier(dossier, *, acting_user, organisation):
    """The dossier, locked, once the user may record an offence on it for ``organisation``
    and it is at a stage where its person is a presumed or identified victim."""
    allowed = access.offence_org_ids_for(acting_user, dossier)
    if not allowed:
        raise PermissionDenied(_("You cannot record an offence on this dossier."))
    if organisation is None or organisation.pk not in allowed:
        raise ValidationError(
            {"organisation": _("Your organisation cannot record an offence on this dossier.")}
        )
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    stage = locked.current_stage
    if stage not in OFFENCE_STAGES:
        raise ValidationError(
            _(
                "An offence is recorded against a presumed or identified victim; this dossier "
                "is at the stage “%(stage)s”."
            )
            % {"stage": Stage(stage).label if stage else "-"}
        )
    return locked


def _raise_alert(dossier, offence, *, acting_user):
    alert = NonPunishmentAlert.objects.create(dossier=dossier, offence=offence)
    recipients = list(
        Organisation.objects.filter(access.nonpunishment_recipient_q(offence.region_id))
    )
    alert.recipients.set(recipients)
    # Only a grant that another open alert holds is shared; a referral's or a justice link's
    # grant (maybe without the identity) is theirs to end, never this alert's.
    other_open = NonPunishmentAlert.objects.filter(
        dossier=dossier, resolved_on__isnull=True
    ).exclude(pk=alert.pk)
    for org in recipients:
        if org.pk == dossier.owner_org_id:
            continue  # the owner sees its dossier already
        # A grant another open alert holds for the same organisation serves this one too.
        grant = (
            dossier.grants.filter(
                access.live_grant_q(""),
                organisation=org,
                with_identity=True,
                nonpunishment_alerts__in=other_open,
            )
            .order_by("pk")
            .first()
        )
        if grant is None:
            grant = create_grant(
                dossier,
                acting_user=acting_user,
                organisation=org,
                reason=GRANT_REASON,
                with_identity=True,
                source=_grant_source(alert),
                announce=False,  # the alert below says it
            )
        alert.grants.add(grant)
    log.write(
        acting_user, "raise_alert", alert, ["recipients"], organisation_id=offence.organisation_id
    )
    notify(
        Kind.ALERT_RAISED,
        target=dossier,
        reference=dossier.reference,
        detail=OffenceType(offence.offence_type).label,
        url=reverse("cases:alerts:list"),
        urgent=True,  # a victim may be punished for what traffickers made her do
        organisations=[o.pk for o in recipients],
        actor=acting_user,
    )
    return alert


@transaction.atomic
def resolve_alert(alert, *, acting_user, outcome, resolved_on=None, note="", organisation=None):
    """Close an alert with its outcome. The grants it gave the prosecution end, unless another
    open alert still needs them: the prosecution then no longer sees the dossier."""
    organisation_id = _resolving_org(alert, acting_user=acting_user, organisation=organisation)
    locked = NonPunishmentAlert.objects.select_for_update().get(pk=alert.pk)
    if locked.resolved_on is not None:
        raise ValidationError(
            _("This alert was already resolved on %(date)s.")
            % {"date": locked.resolved_on.isoformat()}
        )
    note = (note or "").strip()
    resolved_on = _check_outcome(locked, outcome=outcome, note=note, resolved_on=resolved_on)
    locked.outcome = outcome
    locked.outcome_note = note
    locked.resolved_on = resolved_on
    locked.resolved_by = acting_user
    locked.resolved_org_id = organisation_id
    locked.save(
        update_fields=["outcome", "outcome_note", "resolved_on", "resolved_by", "resolved_org"]
    )
    for grant in locked.grants.all():
        still_needed = grant.nonpunishment_alerts.filter(resolved_on__isnull=True).exists()
        if not still_needed:
            end_grant(grant, acting_user=acting_user)
    log.write(
        acting_user,
        "resolve_alert",
        locked,
        ["outcome", "resolved_on"] + (["outcome_note"] if note else []),
        organisation_id=organisation_id,
    )
    notify(
        Kind.ALERT_ANSWERED,
        target=locked.dossier,
        reference=locked.dossier.reference,
        detail=AlertOutcome(outcome).label,
        url=reverse("cases:detail", args=[locked.dossier_id]),
        organisations=[locked.dossier.owner_org_id],
        actor=acting_user,
    )
    return locked


def _resolving_org(alert, *, acting_user, organisation):
    """The organisation the user resolves the alert for: the one given, or the first of
    theirs that may resolve it."""
    orgs = access.alert_resolver_org_ids(acting_user, alert)
    if not orgs:
        raise PermissionDenied(_("You cannot resolve this alert."))
    if organisation is None:
        return min(orgs)
    if organisation.pk in orgs:
        return organisation.pk
    raise ValidationError({"organisation": _("You cannot resolve this alert for them.")})


def _check_outcome(alert, *, outcome, note, resolved_on):
    """The outcome is one of the list, described when "other", and dated between the alert
    and today (today when not given): the date to record."""
    if outcome not in AlertOutcome.values:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    if outcome == AlertOutcome.OTHER and blank(note):
        raise ValidationError({"note": _("Describe the outcome.")})
    if len(note) > DETAIL_MAX:
        raise ValidationError(
            {"note": _("The note holds at most %(n)s characters.") % {"n": f"{DETAIL_MAX:,}"}}
        )
    resolved_on = resolved_on or timezone.localdate()
    raised_on = timezone.localtime(alert.raised_at).date()
    if resolved_on > timezone.localdate():
        raise ValidationError({"resolved_on": _("An outcome cannot be dated in the future.")})
    if resolved_on < raised_on:
        raise ValidationError(
            {
                "resolved_on": _("This date is before the alert was raised (%(date)s).")
                % {"date": raised_on.isoformat()}
            }
        )
    return resolved_on
