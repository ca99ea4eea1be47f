"""Services delivered on a dossier: shelter admissions and discharges, sessions, returns, the
support plan's goals and follow-ups."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from himaya.audit import log
from himaya.core import access
from himaya.core.actions import save_versioned
from himaya.core.bidi import blank

from .. import beds
from ..models import (
    BED_GROUPS,
    FollowUp,
    GoalStatus,
    ReferralStatus,
    ReturnAssistance,
    Service,
    ServiceRecord,
    ShelterStay,
    SupportGoal,
)
from .common import denied, not_future, org_then, today
from .referrals import locked


def _service_org(user, dossier, organisation=None):
    orgs = access.service_org_ids_for(user, dossier)
    if not orgs or (organisation is not None and organisation.pk not in orgs):
        raise denied(
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


def check_may_admit(referral, user, facility):
    """Who admits a person on a referral: a victim-handling member of the facility's
    organisation, on an accepted shelter referral to that organisation (the page's way in)."""
    if facility.organisation_id not in access.victim_org_ids(user):
        raise denied(
            _("Admitting a person to a shelter"),
            access.VICTIM_ROLES,
            user=user,
            then=org_then(facility.organisation),
        )
    if (
        referral.to_org_id != facility.organisation_id
        or referral.service != Service.SHELTER
        or referral.status != ReferralStatus.ACCEPTED
    ):
        raise ValidationError(_("Admit on an accepted shelter referral to this organisation."))


@transaction.atomic
def admit(referral, *, acting_user, facility, bed_group, admitted_on):
    referral = locked(referral)
    check_may_admit(referral, acting_user, facility)
    return do_admit(
        referral.dossier,
        acting_user=acting_user,
        facility=facility,
        bed_group=bed_group,
        admitted_on=admitted_on,
        referral=referral,
    )


def _check_free(dossier, admitted_on, discharged_on):
    """A person stays in one shelter at a time: no stay of theirs open on ``admitted_on`` nor
    overlapping the stay from ``admitted_on`` to ``discharged_on``."""
    stays = ShelterStay.objects.filter(dossier=dossier)
    if stays.filter(discharged_on__isnull=True, admitted_on__lte=admitted_on).exists():
        raise ValidationError(_("The person is already staying in a shelter."))
    overlapping = stays.filter(Q(discharged_on__isnull=True) | Q(discharged_on__gt=admitted_on))
    if discharged_on is not None:
        overlapping = overlapping.filter(admitted_on__lt=discharged_on)
    if overlapping.exists():
        raise ValidationError(
            {"admitted_on": _("The person was staying in a shelter at that time already.")}
        )


@transaction.atomic
def do_admit(
    dossier, *, acting_user, facility, bed_group, admitted_on, referral=None, discharged_on=None
):
    """A shelter stay from ``admitted_on``, for a writer the caller authorised: a bed of the
    facility in a group that fits the person that day and is free, the person in no other
    shelter then. ``discharged_on``: the stay's known end (a stay of a past year), so that
    the stays after it are checked against it; the discharge itself is ``do_discharge``."""
    if bed_group not in [g.value for g in BED_GROUPS] or not facility.beds(bed_group):
        raise ValidationError({"bed_group": _("This facility has no beds for this group.")})
    not_future("admitted_on", admitted_on)
    if referral is not None and referral.dossier_id != dossier.pk:
        raise ValidationError({"referral": _("This referral is not one of this dossier's.")})
    unfit = beds.why_not(bed_group, dossier.person, admitted_on)
    if unfit:
        raise ValidationError(
            {"bed_group": _("This bed does not fit the person: %(why)s.") % {"why": unfit}}
        )
    _check_free(dossier, admitted_on, discharged_on)
    if facility.occupied(admitted_on)[bed_group] >= facility.beds(bed_group):
        raise ValidationError({"bed_group": _("No bed of this group is free on that day.")})
    stay = ShelterStay.objects.create(
        facility=facility,
        dossier=dossier,
        referral=referral,
        bed_group=bed_group,
        admitted_on=admitted_on,
        recorded_by=acting_user,
    )
    log.write(acting_user, "admit", stay, ["facility", "bed_group", "admitted_on"])
    return stay


def check_may_discharge(stay, user):
    if stay.facility.organisation_id not in access.victim_org_ids(user):
        raise denied(
            _("Discharging a person from a shelter"),
            access.VICTIM_ROLES,
            user=user,
            then=org_then(stay.facility.organisation),
        )


@transaction.atomic
def discharge(stay, *, acting_user, expected_version, discharged_on, reason):
    check_may_discharge(stay, acting_user)
    return do_discharge(
        stay,
        acting_user=acting_user,
        expected_version=expected_version,
        discharged_on=discharged_on,
        reason=reason,
    )


@transaction.atomic
def do_discharge(stay, *, acting_user, expected_version, discharged_on, reason):
    """The end of a stay on ``discharged_on``, for a writer the caller authorised."""
    if stay.discharged_on:
        raise ValidationError(_("The person was already discharged."))
    not_future("discharged_on", discharged_on)
    if discharged_on < stay.admitted_on:
        raise ValidationError({"discharged_on": _("Discharge comes after admission.")})
    if not reason:
        raise ValidationError({"discharge_reason": _("Give the reason for the discharge.")})
    stay.discharged_on = discharged_on
    stay.discharge_reason = reason
    saved = save_versioned(stay, ["discharged_on", "discharge_reason"], expected_version)
    log.write(acting_user, "discharge", stay, saved)
    return stay


def check_may_record_service(user, dossier, organisation=None):
    """Who records services, goals and follow-ups on a dossier: the organisation holding it,
    or a provider while its referral is open. Returns the organisation's id."""
    return _service_org(user, dossier, organisation)


@transaction.atomic
def record_session(dossier, *, acting_user, kind, on, note="", organisation=None):
    org_id = check_may_record_service(acting_user, dossier, organisation)
    return do_record_session(
        dossier, acting_user=acting_user, organisation_id=org_id, kind=kind, on=on, note=note
    )


@transaction.atomic
def do_record_session(dossier, *, acting_user, organisation_id, kind, on, note=""):
    """A session given on the day ``on``, for a writer the caller authorised."""
    not_future("on", on)
    record = ServiceRecord(
        dossier=dossier,
        organisation_id=organisation_id,
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
def record_return(dossier, *, acting_user, organisation=None, **details):
    org_id = check_may_record_service(acting_user, dossier, organisation)
    return do_record_return(dossier, acting_user=acting_user, organisation_id=org_id, **details)


@transaction.atomic
def do_record_return(
    dossier,
    *,
    acting_user,
    organisation_id,
    destination,
    travel_on,
    partner=None,
    partner_other="",
    followup="",
):
    """A return travelled on ``travel_on``, for a writer the caller authorised."""
    if destination is None:
        raise ValidationError({"destination": _("Give the country of destination.")})
    not_future("travel_on", travel_on)
    if partner is None and blank(partner_other):
        raise ValidationError({"partner": _("Name the partner organisation.")})
    record = ReturnAssistance(
        dossier=dossier,
        organisation_id=organisation_id,
        destination=destination,
        partner=partner,
        partner_other=partner_other.strip(),
        travel_on=travel_on,
        reintegration_followup=followup.strip(),
        given_by=acting_user,
    )
    record.full_clean(exclude=["dossier", "organisation", "given_by"])
    record.save()
    log.write(acting_user, "record_return", record, ["destination", "partner", "travel_on"])
    return record


@transaction.atomic
def add_goal(dossier, *, acting_user, goal, target_on=None, organisation=None):
    org_id = _service_org(acting_user, dossier, organisation)
    if blank(goal):
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
def set_goal_status(goal, *, acting_user, status, expected_version):
    if goal.organisation_id not in access.service_org_ids_for(acting_user, goal.dossier):
        raise denied(
            _("Updating a goal of the support plan"),
            access.VICTIM_ROLES,
            user=acting_user,
            then=org_then(goal.organisation),
        )
    if status not in GoalStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    goal.status = status
    log.write(
        acting_user, "set_goal_status", goal, save_versioned(goal, ["status"], expected_version)
    )
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
        raise denied(
            _("Marking a follow-up done"),
            access.VICTIM_ROLES,
            user=acting_user,
            then=org_then(followup.organisation),
        )
    if followup.done_on:
        raise ValidationError(_("This follow-up is already done."))
    done_on = done_on or today()
    not_future("done_on", done_on)
    followup.done_on = done_on
    followup.save(update_fields=["done_on"])
    log.write(acting_user, "complete_followup", followup, ["done_on"])
    return followup
