"""Referrals of a dossier to a provider: sending (with the consent rule, S7, and the access
grant, S6), answering, marking done and revoking; ending a referral ends its grant."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.audit import log
from himaya.cases import actions as case_actions
from himaya.cases.models import Dossier
from himaya.core import access
from himaya.core.actions import save_versioned
from himaya.core.punctuation import join_clauses
from himaya.notifications.models import Kind
from himaya.people.models import ConsentPurpose

from .. import beds, notices
from ..models import OPEN_STATUSES, Referral, ReferralStatus, Service
from .common import denied, today
from .consent import consent_status, record_consents


def _check_may_refer(dossier, user):
    if not Dossier.objects.writable_by(user).filter(pk=dossier.pk).exists():
        raise denied(
            _("Referring a dossier"),
            access.VICTIM_ROLES,
            user=user,
            then=_("Only the organisation that holds the dossier, %(org)s, refers it.")
            % {"org": dossier.owner_org},
        )


def _check_referral(dossier, *, to_org, service, reason, facility):
    """The referral itself: a service, a reason, another active organisation, a facility of
    that organisation with a bed that fits the person, and no open referral like it."""
    if service not in Service.values:
        raise ValidationError({"service": _("Choose a service.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the person is referred.")})
    if to_org.pk == dossier.owner_org_id or not to_org.active:
        raise ValidationError({"to_org": _("Refer to another, active organisation.")})
    if facility is not None and facility.organisation_id != to_org.pk:
        raise ValidationError({"facility": _("The facility must belong to the provider.")})
    if facility is not None and not beds.fitting_groups(facility, dossier.person, today()):
        reasons = join_clauses(why for _g, why in beds.refusals(facility, dossier.person, today()))
        raise ValidationError(
            {
                "facility": _("No bed of this facility fits the person: %(why)s.")
                % {"why": reasons or _("no beds")}
            }
        )
    if Referral.objects.filter(
        dossier=dossier, to_org=to_org, service=service, status__in=OPEN_STATUSES
    ).exists():
        raise ValidationError(_("An open referral to this provider for this service exists."))


def _apply_consent_rule(dossier, user, consent, *, guardian, override, override_reason):
    """S7: an override by an authorised role with a reason; else a child with the guardian
    named; else an adult with current consents for services and sharing, ``consent`` (given
    with the referral) recorded first. Returns (is a child, the consent to sharing)."""
    if consent:
        record_consents(dossier, user, consent)
    child, consents, missing = consent_status(dossier)
    if override:
        if dossier.owner_org_id not in access.override_org_ids(user):
            raise denied(
                _("Referring without the person's consent"),
                access.REFERRAL_OVERRIDE_ROLES,
                user=user,
                then=_("Record the consent with the referral instead, if it was given."),
            )
        if not override_reason.strip():
            raise ValidationError({"override_reason": _("Give the reason for the override.")})
    elif child:
        if not guardian.strip():
            raise ValidationError(
                {"guardian": _("A child is referred with the guardian recorded: name them.")}
            )
    elif missing:
        raise ValidationError(
            _(
                "The person has not consented to receiving services and to sharing with other "
                "organisations: record the consent with the referral (who gave it, and when), or "
                "on the person's page."
            )
        )
    return child, consents.get(ConsentPurpose.SHARING)


def _grant_to_receiver(referral, user):
    """The receiving organisation sees the dossier with the identity while the referral is
    open (S6); the referral itself is the news, so the grant is not announced."""
    referral.grant = case_actions.create_grant(
        referral.dossier,
        acting_user=user,
        organisation=referral.to_org,
        reason=str(_("Referral for %(service)s") % {"service": referral.get_service_display()}),
        with_identity=True,
        source=f"{access.REFERRAL_SOURCE}{referral.pk}",
        announce=False,
    )
    referral.save(update_fields=["grant"])


@transaction.atomic
def send_referral(
    dossier,
    *,
    acting_user,
    to_org,
    service,
    reason,
    urgent=False,
    facility=None,
    guardian="",
    override=False,
    override_reason="",
    consent=None,
):
    """Refer a dossier to a provider. The consent rule (S7): an adult needs current consents
    for services and sharing; a child is referred with the guardian recorded; otherwise an
    override by an authorised role (core.access.REFERRAL_OVERRIDE_ROLES) with a reason,
    audited. The receiving organisation gets a grant with the identity while the referral is
    open.

    ``consent`` ({given_by, given_on, informed_in}) is a consent given now, recorded for each
    missing purpose through the person page's own action (audited there), in this transaction:
    if the referral is refused, no consent is left behind either."""
    _check_may_refer(dossier, acting_user)
    _check_referral(dossier, to_org=to_org, service=service, reason=reason, facility=facility)
    child, shared = _apply_consent_rule(
        dossier,
        acting_user,
        consent,
        guardian=guardian,
        override=override,
        override_reason=override_reason,
    )
    referral = Referral.objects.create(
        dossier=dossier,
        from_org=dossier.owner_org,
        to_org=to_org,
        service=service,
        facility=facility,
        reason=reason.strip(),
        urgent=urgent,
        consent=None if override else shared,
        is_child=child,
        guardian=guardian.strip(),
        consent_override=override,
        override_reason=override_reason.strip() if override else "",
        sent_by=acting_user,
    )
    _grant_to_receiver(referral, acting_user)
    log.write(acting_user, "send_referral", referral, ["to_org", "service", "urgent", "reason"])
    notices.referral(referral, Kind.REFERRAL_SENT, acting_user)
    if override:
        log.write(
            acting_user, "override_consent", referral, ["consent_override", "override_reason"]
        )
    return referral


def _end_access(referral, user):
    if referral.grant_id:
        case_actions.end_grant(referral.grant, acting_user=user)


def locked(referral):
    # Lock the referral's row only: the grant is an outer join (a referral may have none), and
    # PostgreSQL refuses FOR UPDATE on the nullable side of one.
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("dossier", "grant")
        .get(pk=referral.pk)
    )


def _answerdenied(referral, user):
    return denied(
        _("Answering a referral"),
        access.VICTIM_ROLES,
        user=user,
        then=_("This referral is answered by the organisation it was sent to, %(org)s.")
        % {"org": referral.to_org},
    )


@transaction.atomic
def accept_referral(referral, *, acting_user, expected_version):
    referral = locked(referral)
    if not access.referral_receiver(acting_user, referral):
        raise _answerdenied(referral, acting_user)
    if referral.status != ReferralStatus.IN_PROGRESS:
        raise ValidationError(_("Only a referral in progress can be accepted."))
    referral.status = ReferralStatus.ACCEPTED
    referral.accepted_at = timezone.now()
    referral.answered_by = acting_user
    saved = save_versioned(referral, ["status", "accepted_at", "answered_by"], expected_version)
    log.write(acting_user, "accept_referral", referral, saved)
    notices.referral(referral, Kind.REFERRAL_ACCEPTED, acting_user)
    return referral


@transaction.atomic
def reject_referral(referral, *, acting_user, expected_version, reason, note=""):
    referral = locked(referral)
    if not access.referral_receiver(acting_user, referral):
        raise _answerdenied(referral, acting_user)
    if referral.status != ReferralStatus.IN_PROGRESS:
        raise ValidationError(_("Only a referral in progress can be rejected."))
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the rejection.")})
    referral.status = ReferralStatus.REJECTED
    referral.rejected_at = timezone.now()
    referral.answered_by = acting_user
    referral.rejection_reason = reason
    referral.rejection_note = note.strip()
    saved = save_versioned(
        referral,
        ["status", "rejected_at", "answered_by", "rejection_reason", "rejection_note"],
        expected_version,
    )
    _end_access(referral, acting_user)
    log.write(acting_user, "reject_referral", referral, saved)
    notices.referral(referral, Kind.REFERRAL_REJECTED, acting_user)
    return referral


@transaction.atomic
def complete_referral(referral, *, acting_user, expected_version):
    referral = locked(referral)
    if not (
        access.referral_receiver(acting_user, referral)
        or access.referral_sender_org_ids(acting_user, referral)
    ):
        raise denied(
            _("Marking a referral done"),
            access.VICTIM_ROLES,
            user=acting_user,
            then=_(
                "This referral is marked done by %(to)s, which received it, or by %(from)s, "
                "which sent it."
            )
            % {"to": referral.to_org, "from": referral.from_org},
        )
    if referral.status != ReferralStatus.ACCEPTED:
        raise ValidationError(_("Only an accepted referral can be marked done."))
    if referral.stays.filter(discharged_on__isnull=True).exists():
        raise ValidationError(_("Discharge the person from the shelter first."))
    referral.status = ReferralStatus.DONE
    referral.done_at = timezone.now()
    saved = save_versioned(referral, ["status", "done_at"], expected_version)
    _end_access(referral, acting_user)
    log.write(acting_user, "complete_referral", referral, saved)
    notices.referral(referral, Kind.REFERRAL_COMPLETED, acting_user)
    return referral


@transaction.atomic
def revoke_referral(referral, *, acting_user, expected_version):
    referral = locked(referral)
    if not access.referral_sender_org_ids(acting_user, referral):
        raise denied(
            _("Revoking a referral"),
            access.VICTIM_ROLES,
            user=acting_user,
            then=_("This referral is revoked by the organisation that sent it, %(org)s.")
            % {"org": referral.from_org},
        )
    if referral.status not in OPEN_STATUSES:
        raise ValidationError(_("Only an open referral can be revoked."))
    referral.status = ReferralStatus.REVOKED
    referral.revoked_at = timezone.now()
    saved = save_versioned(referral, ["status", "revoked_at"], expected_version)
    _end_access(referral, acting_user)
    log.write(acting_user, "revoke_referral", referral, saved)
    notices.referral(referral, Kind.REFERRAL_REVOKED, acting_user)
    return referral
