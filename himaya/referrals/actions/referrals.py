"""Referrals of a dossier to a provider: sending (with the consent rule, S7, and the access
grant, S6), answering, marking done and revoking; ending a referral ends its grant."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from himaya.audit import log
from himaya.cases import actions as case_actions
from himaya.cases.models import Dossier
from himaya.core import access
from himaya.core.actions import save_versioned
from himaya.core.bidi import blank
from himaya.core.punctuation import join_clauses
from himaya.notifications.models import Kind
from himaya.people.models import ConsentPurpose

from .. import beds, notices
from ..models import OPEN_STATUSES, Referral, ReferralStatus, Service
from .common import denied, moment, not_future, step_moment, today
from .consent import consent_status, record_consents


def check_may_refer(dossier, user, *, override=False):
    """Who refers a dossier: a victim-handling member of the organisation holding it; without
    the person's consent (``override``), one of the roles that may override it."""
    if not Dossier.objects.writable_by(user).filter(pk=dossier.pk).exists():
        raise denied(
            _("Referring a dossier"),
            access.VICTIM_ROLES,
            user=user,
            then=_("Only the organisation that holds the dossier, %(org)s, refers it.")
            % {"org": dossier.owner_org},
        )
    if override and dossier.owner_org_id not in access.override_org_ids(user):
        raise denied(
            _("Referring without the person's consent"),
            access.REFERRAL_OVERRIDE_ROLES,
            user=user,
            then=_("Record the consent with the referral instead, if it was given."),
        )


def _check_referral(dossier, *, to_org, service, reason, facility, day):
    """The referral itself: a service, a reason, another active organisation, a facility of
    that organisation with a bed that fits the person on ``day``, and no open referral like
    it."""
    if service not in Service.values:
        raise ValidationError({"service": _("Choose a service.")})
    if blank(reason):
        raise ValidationError({"reason": _("Say why the person is referred.")})
    if to_org.pk == dossier.owner_org_id or not to_org.active:
        raise ValidationError({"to_org": _("Refer to another, active organisation.")})
    if facility is not None and facility.organisation_id != to_org.pk:
        raise ValidationError({"facility": _("The facility must belong to the provider.")})
    if facility is not None and not beds.fitting_groups(facility, dossier.person, day):
        reasons = join_clauses(why for _g, why in beds.refusals(facility, dossier.person, day))
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


def _apply_consent_rule(dossier, user, consent, *, guardian, override, override_reason, day):
    """S7, on the referral's ``day``: an override (authorised by ``check_may_refer``) with a
    reason; else a child with the guardian named; else an adult with current consents for
    services and sharing, ``consent`` (given with the referral) recorded first. Returns (is a
    child, the consent to sharing)."""
    if consent:
        record_consents(dossier, user, consent, day)
    child, consents, missing = consent_status(dossier, day)
    if override:
        if blank(override_reason):
            raise ValidationError({"override_reason": _("Give the reason for the override.")})
    elif child:
        if blank(guardian):
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
def send_referral(dossier, *, acting_user, override=False, **details):
    """Refer a dossier to a provider, now: who may (``check_may_refer``), then
    ``do_send_referral``."""
    check_may_refer(dossier, acting_user, override=override)
    return do_send_referral(dossier, acting_user=acting_user, override=override, **details)


@transaction.atomic
def do_send_referral(
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
    on=None,
    announce=True,
):
    """Refer a dossier to a provider, sent on the day ``on`` (None: now), for a writer the
    caller authorised. The consent rule (S7), on that day: an adult needs current consents for
    services and sharing; a child is referred with the guardian recorded; otherwise an
    override (authorised by ``check_may_refer``) with a reason, audited. The receiving
    organisation gets a grant with the identity while the referral is open; it is told after
    the commit unless ``announce`` is false (a referral of a past year, imported).

    ``consent`` ({given_by, given_on, informed_in}) is a consent given with the referral,
    recorded for each missing purpose through the person's consent action (audited there), in
    this transaction: if the referral is refused, no consent is left behind either."""
    not_future("sent_on", on)
    day = on or today()
    _check_referral(
        dossier, to_org=to_org, service=service, reason=reason, facility=facility, day=day
    )
    child, shared = _apply_consent_rule(
        dossier,
        acting_user,
        consent,
        guardian=guardian,
        override=override,
        override_reason=override_reason,
        day=day,
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
        sent_at=moment(on),
    )
    _sent(referral, acting_user, announce=announce, override=override)
    return referral


def _sent(referral, user, *, announce, override):
    """What follows a referral's creation: the receiver's grant, the audit rows (the consent
    override apart) and, unless ``announce`` is false, the notice to the receiver."""
    _grant_to_receiver(referral, user)
    log.write(user, "send_referral", referral, ["to_org", "service", "urgent", "reason", "sent_at"])
    if announce:
        notices.referral(referral, Kind.REFERRAL_SENT, user)
    if override:
        log.write(user, "override_consent", referral, ["consent_override", "override_reason"])


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


def check_may_answer(referral, user):
    """Who accepts or rejects a referral: the organisation it was sent to."""
    if not access.referral_receiver(user, referral):
        raise denied(
            _("Answering a referral"),
            access.VICTIM_ROLES,
            user=user,
            then=_("This referral is answered by the organisation it was sent to, %(org)s.")
            % {"org": referral.to_org},
        )


def check_may_complete(referral, user):
    """Who marks a referral done: the organisation that received it, or the one that sent it."""
    if not (
        access.referral_receiver(user, referral) or access.referral_sender_org_ids(user, referral)
    ):
        raise denied(
            _("Marking a referral done"),
            access.VICTIM_ROLES,
            user=user,
            then=_(
                "This referral is marked done by %(to)s, which received it, or by %(from)s, "
                "which sent it."
            )
            % {"to": referral.to_org, "from": referral.from_org},
        )


def check_may_revoke(referral, user):
    """Who revokes a referral: the organisation that sent it."""
    if not access.referral_sender_org_ids(user, referral):
        raise denied(
            _("Revoking a referral"),
            access.VICTIM_ROLES,
            user=user,
            then=_("This referral is revoked by the organisation that sent it, %(org)s.")
            % {"org": referral.from_org},
        )


def _after_sending(referral, field, on):
    return step_moment(field, on, referral.sent_at, _("This date is before the referral was sent."))


@transaction.atomic
def accept_referral(referral, *, acting_user, expected_version):
    check_may_answer(referral, acting_user)
    return do_accept_referral(referral, acting_user=acting_user, expected_version=expected_version)


@transaction.atomic
def do_accept_referral(referral, *, acting_user, expected_version, on=None, announce=True):
    """Accept a referral on the day ``on`` (None: now)."""
    referral = locked(referral)
    if referral.status != ReferralStatus.IN_PROGRESS:
        raise ValidationError(_("Only a referral in progress can be accepted."))
    referral.accepted_at = _after_sending(referral, "accepted_on", on)
    referral.status = ReferralStatus.ACCEPTED
    referral.answered_by = acting_user
    saved = save_versioned(referral, ["status", "accepted_at", "answered_by"], expected_version)
    log.write(acting_user, "accept_referral", referral, saved)
    if announce:
        notices.referral(referral, Kind.REFERRAL_ACCEPTED, acting_user)
    return referral


@transaction.atomic
def reject_referral(referral, *, acting_user, expected_version, reason, note=""):
    check_may_answer(referral, acting_user)
    return do_reject_referral(
        referral,
        acting_user=acting_user,
        expected_version=expected_version,
        reason=reason,
        note=note,
    )


@transaction.atomic
def do_reject_referral(
    referral, *, acting_user, expected_version, reason, note="", on=None, announce=True
):
    """Reject a referral on the day ``on`` (None: now), for ``reason``; its grant ends."""
    referral = locked(referral)
    if referral.status != ReferralStatus.IN_PROGRESS:
        raise ValidationError(_("Only a referral in progress can be rejected."))
    if blank(reason):
        raise ValidationError({"reason": _("Give the reason for the rejection.")})
    referral.rejected_at = _after_sending(referral, "rejected_on", on)
    referral.status = ReferralStatus.REJECTED
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
    if announce:
        notices.referral(referral, Kind.REFERRAL_REJECTED, acting_user)
    return referral


@transaction.atomic
def complete_referral(referral, *, acting_user, expected_version):
    check_may_complete(referral, acting_user)
    return do_complete_referral(
        referral, acting_user=acting_user, expected_version=expected_version
    )


@transaction.atomic
def do_complete_referral(referral, *, acting_user, expected_version, on=None, announce=True):
    """Mark an accepted referral done on the day ``on`` (None: now); its grant ends."""
    referral = locked(referral)
    if referral.status != ReferralStatus.ACCEPTED:
        raise ValidationError(_("Only an accepted referral can be marked done."))
    if referral.stays.filter(discharged_on__isnull=True).exists():
        raise ValidationError(_("Discharge the person from the shelter first."))
    referral.done_at = step_moment(
        "done_on", on, referral.accepted_at, _("A referral is done after it was accepted.")
    )
    referral.status = ReferralStatus.DONE
    saved = save_versioned(referral, ["status", "done_at"], expected_version)
    _end_access(referral, acting_user)
    log.write(acting_user, "complete_referral", referral, saved)
    if announce:
        notices.referral(referral, Kind.REFERRAL_COMPLETED, acting_user)
    return referral


@transaction.atomic
def revoke_referral(referral, *, acting_user, expected_version):
    check_may_revoke(referral, acting_user)
    return do_revoke_referral(referral, acting_user=acting_user, expected_version=expected_version)


@transaction.atomic
def do_revoke_referral(referral, *, acting_user, expected_version, on=None, announce=True):
    """Withdraw an open referral on the day ``on`` (None: now); its grant ends."""
    referral = locked(referral)
    if referral.status not in OPEN_STATUSES:
        raise ValidationError(_("Only an open referral can be revoked."))
    referral.revoked_at = _after_sending(referral, "revoked_on", on)
    referral.status = ReferralStatus.REVOKED
    saved = save_versioned(referral, ["status", "revoked_at"], expected_version)
    _end_access(referral, acting_user)
    log.write(acting_user, "revoke_referral", referral, saved)
    if announce:
        notices.referral(referral, Kind.REFERRAL_REVOKED, acting_user)
    return referral
