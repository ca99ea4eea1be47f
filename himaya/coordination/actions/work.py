"""Writes about trainings (their organiser's focal points and the commission) and the
commission's meetings, decisions and follow-up actions (the commission; the assigned agency's
focal points mark an action done)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Min
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from himaya.audit import log
from himaya.core.actions import save_versioned
from himaya.notifications.actions import notify
from himaya.notifications.models import Kind

from .. import access
from ..models import (
    Decision,
    FollowUpAction,
    Meeting,
    MeetingAttendance,
    Training,
    TrainingAudience,
    TrainingTopic,
)
from ..models.plan import TEXT_MAX, TITLE_MAX
from . import common as c

AUDIENCE_ROWS = 40


def _training_fields(fields, today):
    starts_on = c.date("starts_on", fields.get("starts_on"), not_after=today)
    return {
        "topic": c.choice("topic", fields.get("topic"), TrainingTopic),
        "title": c.text("title", fields.get("title"), TITLE_MAX, required=True),
        "starts_on": starts_on,
        "ends_on": c.date(
            "ends_on", fields.get("ends_on"), after=starts_on, after_label=_("the first day")
        ),
        "place": c.text("place", fields.get("place"), 200),
        "region": c.code("region", fields.get("region"), "region"),
        "funder": c.text("funder", fields.get("funder"), 200),
        "materials": c.text("materials", fields.get("materials"), TEXT_MAX),
        "participant_names": c.text("participant_names", fields.get("participant_names"), TEXT_MAX),
    }


def _audience(rows):
    """[(agency type code, women, men, unrecorded)] checked: one row per type, 1 person at
    least in all."""
    rows = list(rows or ())
    if len(rows) > AUDIENCE_ROWS:
        raise ValidationError({"audience": _("Too many rows.")})
    seen, out = set(), []
    for agency_type, women, men, unrecorded in rows:
        c.code("audience", agency_type, "org_type", required=True)
        if agency_type.pk in seen:
            raise ValidationError({"audience": _("Each type of agency is counted once.")})
        seen.add(agency_type.pk)
        out.append((agency_type, *(c.count("audience", n) for n in (women, men, unrecorded))))
    if not sum(w + m + u for _t, w, m, u in out):
        raise ValidationError({"audience": _("Count the participants: at least one.")})
    return out


def _organiser(user, organiser):
    c.organisation("organiser", organiser)
    allowed = access.training_org_ids(user)
    if allowed is not None and organiser.pk not in allowed:
        raise PermissionDenied(_("You record the trainings of your own organisation only."))
    return min(access.commission_org_ids(user) or {organiser.pk})


def _save_audience(training, rows):
    training.audience.all().delete()
    TrainingAudience.objects.bulk_create(
        [
            TrainingAudience(training=training, agency_type=t, women=w, men=m, unrecorded=u)
            for t, w, m, u in rows
        ]
    )


@transaction.atomic
def do_record_training(*, acting_user, organiser, audience, on=None, **fields):
    org = _organiser(acting_user, organiser)
    values = _training_fields(fields, c.today(on))
    rows = _audience(audience)
    training = Training.objects.create(organiser=organiser, recorded_by=acting_user, **values)
    _save_audience(training, rows)
    log.write(
        acting_user,
        "record_training",
        training,
        [*(k for k, v in values.items() if v), "organiser", "audience"],
        organisation_id=org,
    )
    return training


@transaction.atomic
def do_update_training(
    training, *, acting_user, expected_version, organiser, audience, on=None, **fields
):
    locked = Training.objects.select_for_update().get(pk=training.pk)
    if not access.can_write_training(acting_user, locked):
        raise PermissionDenied(_("You record the trainings of your own organisation only."))
    org = _organiser(acting_user, organiser)
    values = _training_fields(fields, c.today(on))
    rows = _audience(audience)
    changes = c.changed(locked, {**values, "organiser": organiser})
    save_versioned(locked, changes, expected_version)
    before = sorted((a.agency_type_id, a.women, a.men, a.unrecorded) for a in locked.audience.all())
    if before != sorted((t.pk, w, m, u) for t, w, m, u in rows):
        _save_audience(locked, rows)
        changes.append("audience")
    if changes:
        log.write(acting_user, "update_training", locked, changes, organisation_id=org)
    return locked


def _meeting_values(held_on, title, place, agenda):
    return {
        "held_on": c.date("held_on", held_on),
        "title": c.text("title", title, TITLE_MAX, required=True),
        "place": c.text("place", place, 200),
        "agenda": c.text("agenda", agenda, TEXT_MAX),
    }


def _attendance(attendance, attended=frozenset()):
    """[(organisation, people)] checked: each organisation once, at most 500 people; active,
    unless it is among the ids ``attended`` (the meeting's record already counts it)."""
    rows, seen = [], set()
    for organisation, people in attendance or ():
        if organisation.pk not in attended:
            c.organisation("attendance", organisation)
        if organisation.pk in seen:
            raise ValidationError({"attendance": _("Each organisation is counted once.")})
        seen.add(organisation.pk)
        rows.append((organisation, c.count("attendance", people, maximum=500)))
    return rows


def _save_attendance(meeting, rows):
    MeetingAttendance.objects.bulk_create(
        [MeetingAttendance(meeting=meeting, organisation=o, people=n) for o, n in rows]
    )


@transaction.atomic
def do_record_meeting(*, acting_user, held_on, title, place="", agenda="", attendance=(), on=None):
    """A meeting of the commission with who attended, by organisation ([(org, people)])."""
    org = c.commission_org(acting_user)
    values = _meeting_values(held_on, title, place, agenda)
    rows = _attendance(attendance)
    meeting = Meeting.objects.create(recorded_by=acting_user, **values)
    _save_attendance(meeting, rows)
    log.write(acting_user, "record_meeting", meeting, [*values, "attendance"], organisation_id=org)
    return meeting


@transaction.atomic
def do_update_meeting(
    meeting,
    *,
    acting_user,
    expected_version,
    held_on,
    title,
    place="",
    agenda="",
    attendance=(),
    on=None,
):
    """Correct a meeting's date, title, place, agenda or attendance (the commission); its
    decisions and follow-up actions stay as they are."""
    org = c.commission_org(acting_user)
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    values = _meeting_values(held_on, title, place, agenda)
    before = sorted((a.organisation_id, a.people) for a in locked.attendance.all())
    rows = _attendance(attendance, attended={org_id for org_id, _n in before})
    if values["held_on"] != locked.held_on:
        _check_held_on(locked, values["held_on"])
    changes = c.changed(locked, values)
    save_versioned(locked, changes, expected_version)
    if before != sorted((o.pk, n) for o, n in rows):
        locked.attendance.all().delete()
        _save_attendance(locked, rows)
        changes.append("attendance")
    if changes:
        log.write(acting_user, "update_meeting", locked, changes, organisation_id=org)
    return locked


def _check_held_on(meeting, held_on):
    """A corrected date does not follow the meeting's follow-up actions: they are due and
    done on or after it (``do_assign_action``, ``do_close_action``)."""
    actions = FollowUpAction.objects.filter(decision__meeting=meeting)
    first = actions.aggregate(due=Min("due_on"), done=Min("done_on"))
    earliest = min(filter(None, first.values()), default=None)
    if earliest and held_on > earliest:
        raise ValidationError(
            {
                "held_on": _(
                    "A follow-up action of this meeting is due or done on %(date)s, before "
                    "this date."
                )
                % {"date": earliest.isoformat()}
            }
        )


@transaction.atomic
def do_add_decision(meeting, *, acting_user, text, on=None):
    org = c.commission_org(acting_user)
    last = meeting.decisions.order_by("-number").values_list("number", flat=True).first()
    decision = Decision.objects.create(
        meeting=meeting, number=(last or 0) + 1, text=c.text("text", text, TEXT_MAX, required=True)
    )
    log.write(
        acting_user, "add_decision", decision, ["meeting", "number", "text"], organisation_id=org
    )
    return decision


@transaction.atomic
def do_assign_action(decision, *, acting_user, text, agency, due_on, on=None):
    """A follow-up action of a decision, assigned to an agency with a due date."""
    org = c.commission_org(acting_user)
    action = FollowUpAction.objects.create(
        decision=decision,
        text=c.text("text", text, TEXT_MAX, required=True),
        agency=c.organisation("agency", agency),
        due_on=c.date(
            "due_on", due_on, after=decision.meeting.held_on, after_label=_("the meeting")
        ),
    )
    log.write(
        acting_user,
        "assign_action",
        action,
        ["decision", "text", "agency", "due_on"],
        organisation_id=org,
    )
    return action


@transaction.atomic
def do_close_action(action, *, acting_user, expected_version, note="", on=None):
    """Mark a follow-up action done on ``on`` (the assigned agency's focal points, or the
    commission)."""
    locked = FollowUpAction.objects.select_for_update().get(pk=action.pk)
    if not access.can_close_action(acting_user, locked):
        raise PermissionDenied(_("Only the assigned agency and the commission close this action."))
    if locked.done_on is not None:
        raise ValidationError(_("This action is already done."))
    done_on = c.date(
        "done_on", c.today(on), after=locked.decision.meeting.held_on, after_label=_("the meeting")
    )
    locked.done_on, locked.done_note = done_on, c.text("note", note, TITLE_MAX)
    saved = save_versioned(locked, ["done_on", "done_note"], expected_version)
    org = (
        locked.agency_id
        if locked.agency_id in access.focal_org_ids(acting_user)
        else c.commission_org(acting_user)
    )
    log.write(acting_user, "close_action", locked, saved, organisation_id=org)
    return locked


def scan_overdue_actions(today=None):
    """Follow-up actions newly past their due date, announced once to the assigned agency's
    focal points (found by `himaya notify`)."""
    today = c.today(today)
    n = 0
    for action in FollowUpAction.objects.overdue(today).select_related("decision__meeting"):
        notify(
            Kind.ACTION_OVERDUE,
            target=action,
            reference=f"{action.decision.meeting.held_on.isoformat()}/{action.decision.number}",
            detail=gettext_lazy("Follow-up action"),
            url=reverse("coordination:meeting", args=[action.decision.meeting_id]),
            organisations=[action.agency_id],
            key=f"overdue:action:{action.pk}:{action.due_on.isoformat()}",
        )
        n += 1
    return n
