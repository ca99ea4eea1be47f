"""Who reads and writes the coordination records (the plan, recommendations, trainings,
meetings). They hold no victim identity, so reading is wide; writing is narrow.

- Every member of an active organisation reads the whole plan, the recommendations, the
  trainings and the meetings. An account with no membership (and a system administrator by
  that role alone) reads nothing: we fail closed.
- The national commission writes everything: its analysts, focal points and organisation
  admins (COMMISSION_ROLES) build the plan, record the recommendations, the meetings, their
  decisions and follow-up actions, comment on any measure, and may update any of them.
- A focal point (accounts role ``focal_point``) reports for their organisation: the measures
  it leads (status, progress notes, evidence, indicator targets and values entered by hand),
  the yearly progress on the recommendations it is responsible for, the trainings it
  organised, and the follow-up actions assigned to it (done, with how).
- Partner agencies of a measure read it like everyone else; they do not write it.

Rules are written with core.access's role table; views and the API fetch through
``visible_to`` (the records' policy below, registered from ``CoordinationConfig.ready``) and
check writes with the ``can_*`` functions below, which the actions call.
"""

from django.db.models import Q

from himaya.core import access as core

COMMISSION_ROLES = core.COMMISSION_ROLES


def _memberships(user):
    return core._memberships(user)


def reads(user) -> bool:
    return bool(_memberships(user))


def filter_readable(qs, user):
    return qs if reads(user) else qs.none()


def commission_org_ids(user) -> set[int]:
    """National commission organisations the user writes coordination records for."""
    return {
        org
        for org, role, t in _memberships(user)
        if role in COMMISSION_ROLES and t in core.NATIONAL_ORG_TYPES
    }


def is_commission(user) -> bool:
    return bool(commission_org_ids(user))


def focal_org_ids(user) -> set[int]:
    """Organisations the user reports on the plan for, as their focal point."""
    return {org for org, role, _t in _memberships(user) if role in core.FOCAL_POINT_ROLES}


def measure_write_q(user, prefix=""):
    if is_commission(user):
        return Q()
    orgs = focal_org_ids(user)
    if not orgs:
        return Q(pk__in=[])
    return Q(**{f"{prefix}lead_agency_id__in": orgs})


def can_write_measure(user, measure) -> bool:
    return is_commission(user) or measure.lead_agency_id in focal_org_ids(user)


def acting_org_for_measure(user, measure):
    """The organisation a user writes for on a measure: its lead agency when they are its
    focal point, else their commission."""
    if measure.lead_agency_id in focal_org_ids(user):
        return measure.lead_agency_id
    commission = commission_org_ids(user)
    return min(commission) if commission else None


def recommendation_org_ids(user, recommendation) -> set[int]:
    """Organisations the user may record progress on a recommendation for: the commission,
    or those of its responsible agencies the user is a focal point of."""
    responsible = set(recommendation.agencies.values_list("pk", flat=True))
    return commission_org_ids(user) | (focal_org_ids(user) & responsible)


def training_org_ids(user) -> set[int] | None:
    """Organisers the user may record trainings for: any (None) for the commission, else the
    organisations they are a focal point of."""
    return None if is_commission(user) else focal_org_ids(user)


def can_write_training(user, training) -> bool:
    orgs = training_org_ids(user)
    return orgs is None or training.organiser_id in orgs


def can_record_trainings(user) -> bool:
    orgs = training_org_ids(user)
    return orgs is None or bool(orgs)


def can_close_action(user, action) -> bool:
    return is_commission(user) or action.agency_id in focal_org_ids(user)


def home_org_ids(user) -> set[int]:
    """Organisations whose overdue follow-up actions the user's home page shows: those the
    user is a focal point or an organisation admin of, and the commission's for its writers."""
    return {
        org
        for org, role, _t in _memberships(user)
        if role in core.FOCAL_POINT_ROLES or role == "org_admin"
    } | commission_org_ids(user)


# --- The policies of the coordination records ----------------------------------------------


@core.register(
    *(
        f"coordination.{name}"
        for name in (
            "Plan",
            "Axis",
            "Objective",
            "StatusChange",
            "ProgressNote",
            "Indicator",
            "IndicatorYear",
            "Recommendation",
            "RecommendationProgress",
            "Evidence",
            "Training",
            "TrainingAudience",
            "Meeting",
            "MeetingAttendance",
            "Decision",
            "FollowUpAction",
        )
    )
)
class CoordinationPolicy(core.Policy):
    """No identity: every member reads them; writes are checked record by record (``can_*``)."""

    def view(self, qs, user):
        return filter_readable(qs, user)


@core.register("coordination.Measure")
class MeasurePolicy(CoordinationPolicy):
    def change(self, qs, user):
        return qs.filter(measure_write_q(user))

    def acting_org(self, user, obj=None):
        return core.primary_org_id(user) if obj is None else acting_org_for_measure(user, obj)
