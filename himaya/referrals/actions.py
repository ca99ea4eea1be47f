"""Every write of the referrals app: providers and facilities, referrals (with the consent rule,
S7) and their access grants (S6), stays, sessions, returns, plan goals, follow-ups, transfers and
support to NGOs. Each validates, saves and writes an audit row; rules in core.access."""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.audit import log
from himaya.cases import actions as case_actions
from himaya.cases.models import Dossier
from himaya.core import access
from himaya.core.access import explain
from himaya.core.actions import save_versioned
from himaya.core.punctuation import join_clauses
from himaya.notifications.models import Kind
from himaya.people import actions as people_actions
from himaya.people.models import Consent, ConsentGivenBy, ConsentPurpose

from . import beds, notices
from .models import (
    BED_GROUPS,
    OPEN_STATUSES,
    DossierTransfer,
    Facility,
    FollowUp,
    GoalStatus,
    NgoSupport,
    Provider,
    Referral,
    ReferralStatus,
    ReturnAssistance,
    Service,
    ServiceRecord,
    ShelterStay,
    SupportGoal,
    SupportKind,
    TransferStatus,
)

REFERRAL_CONSENT_PURPOSES = (ConsentPurpose.SERVICES, ConsentPurpose.SHARING)


def _today():
    return timezone.localdate()


def _not_future(field, day):
    if day and day > _today():
        raise ValidationError({field: _("The date cannot be in the future.")})


# --- Providers and facilities -------------------------------------------------------------


def _denied(what, roles, *, user, then="", org_types=None):
    """A refusal that says who may act and what to do instead (issue 15)."""
    return PermissionDenied(explain.refusal(what, roles, org_types, user=user, then=then))


def _org_then(organisation):
    return _("Ask a colleague of %(org)s who holds one of these roles.") % {"org": organisation}


def _manages(user, organisation):
    if organisation.pk not in access.provider_admin_org_ids(user):
        raise _denied(
            _("Describing an organisation's services and facilities"),
            access.PROVIDER_ADMIN_ROLES,
            user=user,
            then=_org_then(organisation),
        )


@transaction.atomic
def save_provider(
    organisation, *, acting_user, services, groups, regions, languages, contact, accepts, version
):
    _manages(acting_user, organisation)
    bad = [s for s in services if s not in Service.values]
    if bad:
        raise ValidationError({"services": _("Unknown service.")})
    provider = Provider.objects.filter(organisation=organisation).first()
    if provider is None:
        provider = Provider.objects.create(
            organisation=organisation,
            services=list(services),
            groups=list(groups),
            contact=contact.strip(),
            accepts_referrals=accepts,
        )
    else:
        provider.services = list(services)
        provider.groups = list(groups)
        provider.contact = contact.strip()
        provider.accepts_referrals = accepts
        save_versioned(provider, ["services", "groups", "contact", "accepts_referrals"], version)
    provider.regions.set(regions)
    provider.languages.set(languages)
    log.write(acting_user, "save_provider", provider, ["services", "groups", "regions", "contact"])
    return provider


def _check_facility(fields):
    if not any(fields.get(f"beds_{g}", 0) for g in BED_GROUPS):
        raise ValidationError(_("Give the number of beds for at least one group."))


@transaction.atomic
def create_facility(organisation, *, acting_user, **fields):
    _manages(acting_user, organisation)
    _check_facility(fields)
    facility = Facility(organisation=organisation, **fields)
    facility.full_clean(exclude=["organisation"])
    facility.save()
    log.write(acting_user, "create_facility", facility, list(fields))
    return facility


@transaction.atomic
def update_facility(facility, *, acting_user, version, **fields):
    _manages(acting_user, facility.organisation)
    _check_facility(fields)
    for k, v in fields.items():
        setattr(facility, k, v)
    facility.full_clean(exclude=["organisation"])
    save_versioned(facility, list(fields), version)
    log.write(acting_user, "update_facility", facility, list(fields))
    return facility


# --- Referrals ------------------------------------------------------------------------------


def current_consents(person, day=None):
    """The person's current consents for the purposes a referral needs, by purpose."""
    found = {}
    for c in Consent.objects.current(day).filter(
        person=person, purpose__in=REFERRAL_CONSENT_PURPOSES
    ):
        found.setdefault(c.purpose, c)
    return found


def consent_status(dossier, day=None):
    """(is_child, consents by purpose, missing purposes) for a referral of this dossier."""
    day = day or _today()
    person = dossier.person
    child = person.is_child_on(day)
    consents = current_consents(person, day)
    missing = [p for p in REFERRAL_CONSENT_PURPOSES if p not in consents]
    return child, consents, missing


CONSENT_FIELD = {"given_by": "consent_given_by", "given_on": "consent_given_on"}


def _record_consents(dossier, acting_user, consent):
    """The missing referral consents, given now, recorded by the dossier's owner."""
    person = dossier.person
    if person.is_child_on(consent["given_on"]) and consent["given_by"] == ConsentGivenBy.PERSON:
        raise ValidationError(
            {
                "consent_given_by": _(
                    "A child's consent is given by a legal guardian or a legal representative."
                )
            }
        )
    for purpose in consent_status(dossier)[2]:
        try:
            people_actions.record_consent(
                person,
                acting_user=acting_user,
                organisation=dossier.owner_org,
                purpose=purpose,
                given_on=consent["given_on"],
                given_by=consent["given_by"],
                informed_in=consent.get("informed_in"),
            )
        except ValidationError as exc:  # named after the referral form's fields
            found = getattr(exc, "error_dict", {NON_FIELD_ERRORS: exc.error_list})
            raise ValidationError(
                {CONSENT_FIELD.get(field, field): errors for field, errors in found.items()}
            ) from None


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
    if not Dossier.objects.writable_by(acting_user).filter(pk=dossier.pk).exists():
        raise _denied(
            _("Referring a dossier"),
            access.VICTIM_ROLES,
            user=acting_user,
            then=_("Only the organisation that holds the dossier, %(org)s, refers it.")
            % {"org": dossier.owner_org},
        )
    if service not in Service.values:
        raise ValidationError({"service": _("Choose a service.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the person is referred.")})
    if to_org.pk == dossier.owner_org_id or not to_org.active:
        raise ValidationError({"to_org": _("Refer to another, active organisation.")})
    if facility is not None and facility.organisation_id != to_org.pk:
        raise ValidationError({"facility": _("The facility must belong to the provider.")})
    if facility is not None and not beds.fitting_groups(facility, dossier.person, _today()):
        reasons = join_clauses(why for _g, why in beds.refusals(facility, dossier.person, _today()))
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
    if consent:
        _record_consents(dossier, acting_user, consent)
    child, consents, missing = consent_status(dossier)
    consent = consents.get(ConsentPurpose.SHARING)
    if override:
        if dossier.owner_org_id not in access.override_org_ids(acting_user):
            raise _denied(
                _("Referring without the person's consent"),
                access.REFERRAL_OVERRIDE_ROLES,
                user=acting_user,
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
    referral = Referral.objects.create(
        dossier=dossier,
        from_org=dossier.owner_org,
        to_org=to_org,
        service=service,
        facility=facility,
        reason=reason.strip(),
        urgent=urgent,
        consent=None if override else consent,
        is_child=child,
        guardian=guardian.strip(),
        consent_override=override,
        override_reason=override_reason.strip() if override else "",
        sent_by=acting_user,
    )
    referral.grant = case_actions.create_grant(
        dossier,
        acting_user=acting_user,
        organisation=to_org,
        reason=str(_("Referral for %(service)s") % {"service": referral.get_service_display()}),
        with_identity=True,
        source=f"{access.REFERRAL_SOURCE}{referral.pk}",
        announce=False,  # the referral itself is the news
    )
    referral.save(update_fields=["grant"])
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


def _locked(referral):
    # Lock the referral's row only: the grant is an outer join (a referral may have none), and
    # PostgreSQL refuses FOR UPDATE on the nullable side of one.
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("dossier", "grant")
        .get(pk=referral.pk)
    )


def _answer_denied(referral, user):
    return _denied(
        _("Answering a referral"),
        access.VICTIM_ROLES,
        user=user,
        then=_("This referral is answered by the organisation it was sent to, %(org)s.")
        % {"org": referral.to_org},
    )


@transaction.atomic
def accept_referral(referral, *, acting_user, version):
    referral = _locked(referral)
    if not access.referral_receiver(acting_user, referral):
        raise _answer_denied(referral, acting_user)
    if referral.status != ReferralStatus.IN_PROGRESS:
        raise ValidationError(_("Only a referral in progress can be accepted."))
    referral.status = ReferralStatus.ACCEPTED
    referral.accepted_at = timezone.now()
    referral.answered_by = acting_user
    save_versioned(referral, ["status", "accepted_at", "answered_by"], version)
    log.write(acting_user, "accept_referral", referral, ["status"])
    notices.referral(referral, Kind.REFERRAL_ACCEPTED, acting_user)
    return referral


@transaction.atomic
def reject_referral(referral, *, acting_user, version, reason, note=""):
    referral = _locked(referral)
    if not access.referral_receiver(acting_user, referral):
        raise _answer_denied(referral, acting_user)
    if referral.status != ReferralStatus.IN_PROGRESS:
        raise ValidationError(_("Only a referral in progress can be rejected."))
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the rejection.")})
    referral.status = ReferralStatus.REJECTED
    referral.rejected_at = timezone.now()
    referral.answered_by = acting_user
    referral.rejection_reason = reason
    referral.rejection_note = note.strip()
    save_versioned(
        referral,
        ["status", "rejected_at", "answered_by", "rejection_reason", "rejection_note"],
        version,
    )
    _end_access(referral, acting_user)
    log.write(acting_user, "reject_referral", referral, ["status", "rejection_reason"])
    notices.referral(referral, Kind.REFERRAL_REJECTED, acting_user)
    return referral


@transaction.atomic
def complete_referral(referral, *, acting_user, version):
    referral = _locked(referral)
    if not (
        access.referral_receiver(acting_user, referral)
        or access.referral_sender_org_ids(acting_user, referral)
    ):
        raise _denied(
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
    save_versioned(referral, ["status", "done_at"], version)
    _end_access(referral, acting_user)
    log.write(acting_user, "complete_referral", referral, ["status"])
    notices.referral(referral, Kind.REFERRAL_COMPLETED, acting_user)
    return referral


@transaction.atomic
def revoke_referral(referral, *, acting_user, version):
    referral = _locked(referral)
    if not access.referral_sender_org_ids(acting_user, referral):
        raise _denied(
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
    save_versioned(referral, ["status", "revoked_at"], version)
    _end_access(referral, acting_user)
    log.write(acting_user, "revoke_referral", referral, ["status"])
    notices.referral(referral, Kind.REFERRAL_REVOKED, acting_user)
    return referral


# --- Services delivered -----------------------------------------------------------------------


def _service_org(user, dossier, organisation=None):
    orgs = access.service_org_ids_for(user, dossier)
    if not orgs or (organisation is not None and organisation.pk not in orgs):
        raise _denied(
            _("Recording services, goals and follow-ups on a dossier"),
            access.VICTIM_ROLES,
            user=user,
            then=_(
                "They are recorded by the organisation that holds the dossier, or by a provider "
                "while its referral is open."
            ),
        )
    if organisation is None:
        return min(orgs)
    return organisation.pk


@transaction.atomic
def admit(referral, *, acting_user, facility, bed_group, admitted_on):
    referral = _locked(referral)
    if facility.organisation_id not in access.victim_org_ids(acting_user):
        raise _denied(
            _("Admitting a person to a shelter"),
            access.VICTIM_ROLES,
            user=acting_user,
            then=_org_then(facility.organisation),
        )
    if (
        referral.to_org_id != facility.organisation_id
        or referral.service != Service.SHELTER
        or referral.status != ReferralStatus.ACCEPTED
    ):
        raise ValidationError(_("Admit on an accepted shelter referral to this organisation."))
    if bed_group not in [g.value for g in BED_GROUPS] or not facility.beds(bed_group):
        raise ValidationError({"bed_group": _("This facility has no beds for this group.")})
    _not_future("admitted_on", admitted_on)
    unfit = beds.why_not(bed_group, referral.dossier.person, admitted_on)
    if unfit:
        raise ValidationError(
            {"bed_group": _("This bed does not fit the person: %(why)s.") % {"why": unfit}}
        )
    if ShelterStay.objects.filter(dossier=referral.dossier, discharged_on__isnull=True).exists():
        raise ValidationError(_("The person is already staying in a shelter."))
    if facility.occupied(admitted_on)[bed_group] >= facility.beds(bed_group):
        raise ValidationError({"bed_group": _("No bed of this group is free on that day.")})
    stay = ShelterStay.objects.create(
        facility=facility,
        dossier=referral.dossier,
        referral=referral,
        bed_group=bed_group,
        admitted_on=admitted_on,
        recorded_by=acting_user,
    )
    log.write(acting_user, "admit", stay, ["facility", "bed_group", "admitted_on"])
    return stay


@transaction.atomic
def discharge(stay, *, acting_user, version, discharged_on, reason):
    if stay.facility.organisation_id not in access.victim_org_ids(acting_user):
        raise _denied(
            _("Discharging a person from a shelter"),
            access.VICTIM_ROLES,
            user=acting_user,
            then=_org_then(stay.facility.organisation),
        )
    if stay.discharged_on:
        raise ValidationError(_("The person was already discharged."))
    _not_future("discharged_on", discharged_on)
    if discharged_on < stay.admitted_on:
        raise ValidationError({"discharged_on": _("Discharge comes after admission.")})
    if not reason:
        raise ValidationError({"discharge_reason": _("Give the reason for the discharge.")})
    stay.discharged_on = discharged_on
    stay.discharge_reason = reason
    save_versioned(stay, ["discharged_on", "discharge_reason"], version)
    log.write(acting_user, "discharge", stay, ["discharged_on", "discharge_reason"])
    return stay


@transaction.atomic
def record_session(dossier, *, acting_user, kind, on, note="", organisation=None):
    org_id = _service_org(acting_user, dossier, organisation)
    _not_future("on", on)
    record = ServiceRecord(
        dossier=dossier,
        organisation_id=org_id,
        kind=kind,
        on=on,
        given_by=acting_user,
        note=note.strip(),
    )
    record.full_clean(exclude=["dossier", "organisation", "given_by"])
    record.save()
    log.write(acting_user, "record_session", record, ["kind", "on", "note"])
    return record


@transaction.atomic
def record_return(
    dossier,
    *,
    acting_user,
    destination,
    travel_on,
    partner=None,
    partner_other="",
    followup="",
    organisation=None,
):
    org_id = _service_org(acting_user, dossier, organisation)
    if partner is None and not partner_other.strip():
        raise ValidationError({"partner": _("Name the partner organisation.")})
    record = ReturnAssistance.objects.create(
        dossier=dossier,
        organisation_id=org_id,
        destination=destination,
        partner=partner,
        partner_other=partner_other.strip(),
        travel_on=travel_on,
        reintegration_followup=followup.strip(),
        given_by=acting_user,
    )
    log.write(acting_user, "record_return", record, ["destination", "partner", "travel_on"])
    return record


@transaction.atomic
def add_goal(dossier, *, acting_user, goal, target_on=None, organisation=None):
    org_id = _service_org(acting_user, dossier, organisation)
    if not goal.strip():
        raise ValidationError({"goal": _("Describe the goal.")})
    record = SupportGoal.objects.create(
        dossier=dossier,
        organisation_id=org_id,
        goal=goal.strip(),
        target_on=target_on,
        created_by=acting_user,
    )
    log.write(acting_user, "add_goal", record, ["goal", "target_on"])
    return record


@transaction.atomic
def set_goal_status(goal, *, acting_user, status, version):
    if goal.organisation_id not in access.service_org_ids_for(acting_user, goal.dossier):
        raise _denied(
            _("Updating a goal of the support plan"),
            access.VICTIM_ROLES,
            user=acting_user,
            then=_org_then(goal.organisation),
        )
    if status not in GoalStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    goal.status = status
    save_versioned(goal, ["status"], version)
    log.write(acting_user, "set_goal_status", goal, ["status"])
    return goal


@transaction.atomic
def schedule_followup(dossier, *, acting_user, due_on, purpose="", organisation=None):
    org_id = _service_org(acting_user, dossier, organisation)
    record = FollowUp.objects.create(
        dossier=dossier,
        organisation_id=org_id,
        due_on=due_on,
        purpose=purpose.strip(),
        created_by=acting_user,
    )
    log.write(acting_user, "schedule_followup", record, ["due_on", "purpose"])
    return record


@transaction.atomic
def complete_followup(followup, *, acting_user, done_on=None):
    if followup.organisation_id not in access.victim_org_ids(acting_user):
        raise _denied(
            _("Marking a follow-up done"),
            access.VICTIM_ROLES,
            user=acting_user,
            then=_org_then(followup.organisation),
        )
    if followup.done_on:
        raise ValidationError(_("This follow-up is already done."))
    done_on = done_on or _today()
    _not_future("done_on", done_on)
    followup.done_on = done_on
    followup.save(update_fields=["done_on"])
    log.write(acting_user, "complete_followup", followup, ["done_on"])
    return followup


# --- Transfers of ownership -----------------------------------------------------------------


@transaction.atomic
def propose_transfer(dossier, *, acting_user, to_org, reason):
    if not Dossier.objects.writable_by(acting_user).filter(pk=dossier.pk).exists():
        raise _denied(
            _("Transferring a dossier"),
            access.VICTIM_ROLES,
            user=acting_user,
            then=_("Only the organisation that holds the dossier, %(org)s, transfers it.")
            % {"org": dossier.owner_org},
        )
    if to_org.pk == dossier.owner_org_id or not to_org.active:
        raise ValidationError({"to_org": _("Transfer to another, active organisation.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the dossier is transferred.")})
    if DossierTransfer.objects.filter(dossier=dossier, status=TransferStatus.PROPOSED).exists():
        raise ValidationError(_("A transfer of this dossier is already proposed."))
    transfer = DossierTransfer.objects.create(
        dossier=dossier,
        from_org=dossier.owner_org,
        to_org=to_org,
        reason=reason.strip(),
        proposed_by=acting_user,
    )
    log.write(acting_user, "propose_transfer", transfer, ["to_org", "reason"])
    notices.transfer(transfer, Kind.TRANSFER_PROPOSED, acting_user)
    return transfer


@transaction.atomic
def answer_transfer(transfer, *, acting_user, accept):
    transfer = DossierTransfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.to_org_id not in access.victim_org_ids(acting_user):
        raise _denied(
            _("Answering a transfer"),
            access.VICTIM_ROLES,
            user=acting_user,
            then=_org_then(transfer.to_org),
        )
    if transfer.status != TransferStatus.PROPOSED:
        raise ValidationError(_("This transfer was already answered."))
    transfer.status = TransferStatus.ACCEPTED if accept else TransferStatus.DECLINED
    transfer.answered_by = acting_user
    transfer.answered_at = timezone.now()
    transfer.save(update_fields=["status", "answered_by", "answered_at"])
    if accept:
        dossier = Dossier.objects.select_for_update().get(pk=transfer.dossier_id)
        dossier.owner_org_id = transfer.to_org_id
        dossier.caseworker = None
        dossier.version += 1
        dossier.save(update_fields=["owner_org", "caseworker", "version"])
        # The new owner needs no grant; grants it held end.
        for grant in dossier.grants.filter(
            access.live_grant_q(""), organisation_id=transfer.to_org_id
        ):
            case_actions.end_grant(grant, acting_user=acting_user)
        log.write(acting_user, "transfer_dossier", dossier, ["owner_org", "caseworker"])
    log.write(acting_user, "answer_transfer", transfer, ["status"])
    notices.transfer(transfer, Kind.TRANSFER_ANSWERED, acting_user)
    return transfer


@transaction.atomic
def withdraw_transfer(transfer, *, acting_user):
    if transfer.from_org_id not in access.victim_org_ids(acting_user):
        raise _denied(
            _("Withdrawing a transfer"),
            access.VICTIM_ROLES,
            user=acting_user,
            then=_org_then(transfer.from_org),
        )
    if transfer.status != TransferStatus.PROPOSED:
        raise ValidationError(_("This transfer was already answered."))
    transfer.status = TransferStatus.WITHDRAWN
    transfer.answered_at = timezone.now()
    transfer.save(update_fields=["status", "answered_at"])
    log.write(acting_user, "withdraw_transfer", transfer, ["status"])
    return transfer


# --- Support to NGOs ----------------------------------------------------------------------------


def giver_choices(user, organisations):
    """Of ``organisations`` (a queryset), those the user may record support for."""
    own, national = access.support_giver_org_ids(user)
    if national:
        return organisations.filter(type__code__in=access.SUPPORT_GIVER_ORG_TYPES, active=True)
    return organisations.filter(pk__in=own)


@transaction.atomic
def record_support(
    *, acting_user, giver, receiver, on, kind, purpose, amount_mad=None, description=""
):
    from himaya.accounts.models import Organisation

    if not giver_choices(acting_user, Organisation.objects.all()).filter(pk=giver.pk).exists():
        raise _denied(
            _("Recording support given to an NGO"),
            access.SUPPORT_RECORDER_ROLES,
            user=acting_user,
            org_types=access.SUPPORT_GIVER_ORG_TYPES,
            then=_(
                "Each public body records its own support; the national commission's may "
                "record any public body's."
            ),
        )
    if receiver.pk == giver.pk:
        raise ValidationError({"receiver": _("The receiver must be another organisation.")})
    _not_future("on", on)
    if kind == SupportKind.FINANCIAL and (amount_mad is None or amount_mad <= 0):
        raise ValidationError({"amount_mad": _("Give the amount in dirhams.")})
    if kind == SupportKind.IN_KIND and not description.strip():
        raise ValidationError({"description": _("Describe what was given.")})
    if not purpose.strip():
        raise ValidationError({"purpose": _("Say what the support is for.")})
    record = NgoSupport.objects.create(
        giver=giver,
        receiver=receiver,
        on=on,
        kind=kind,
        amount_mad=amount_mad if kind == SupportKind.FINANCIAL else None,
        description=description.strip(),
        purpose=purpose.strip(),
        recorded_by=acting_user,
    )
    log.write(acting_user, "record_support", record, ["giver", "receiver", "kind", "amount_mad"])
    return record
