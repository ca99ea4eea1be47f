"""Writes about the national action plan: its axes, objectives and measures (the commission),
a measure's status, progress notes, evidence and indicators (its lead agency's focal points
and the commission)."""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.audit import log
from himaya.core.actions import save_versioned

from .. import access, uploads
from ..models import (
    Axis,
    Evidence,
    Indicator,
    IndicatorYear,
    Measure,
    MeasureStatus,
    NoteKind,
    Objective,
    Plan,
    ProgressNote,
    StatusChange,
)
from ..models.plan import TEXT_MAX, TITLE_MAX
from . import common as c
from .common import figure_catalogue  # noqa: F401  (re-exported)
from .structure import SOURCES, indicator_fields, set_targets, source_fields


@transaction.atomic
def do_create_plan(*, acting_user, start_year, end_year, on=None, **titles):
    org = c.commission_org(acting_user)
    values = c.titles(titles, TITLE_MAX)
    c.year("start_year", start_year)
    c.year("end_year", end_year)
    if end_year < start_year:
        raise ValidationError({"end_year": _("The last year is before the first.")})
    plan = Plan.objects.create(start_year=start_year, end_year=end_year, **values)
    log.write(
        acting_user, "create_plan", plan, [*values, "start_year", "end_year"], organisation_id=org
    )
    return plan


def _next_number(qs):
    last = qs.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def do_add_axis(plan, *, acting_user, number=None, on=None, **titles):
    org = c.commission_org(acting_user)
    values = c.titles(titles, TITLE_MAX)
    number = number or _next_number(plan.axes.all())
    if plan.axes.filter(number=number).exists():
        raise ValidationError({"number": _("This number is already taken.")})
    axis = Axis.objects.create(plan=plan, number=c.count("number", number, maximum=999), **values)
    log.write(acting_user, "add_axis", axis, [*values, "plan", "number"], organisation_id=org)
    return axis


@transaction.atomic
def do_add_objective(axis, *, acting_user, number=None, on=None, **titles):
    org = c.commission_org(acting_user)
    values = c.titles(titles, TITLE_MAX)
    number = number or _next_number(axis.objectives.all())
    if axis.objectives.filter(number=number).exists():
        raise ValidationError({"number": _("This number is already taken.")})
    objective = Objective.objects.create(
        axis=axis, number=c.count("number", number, maximum=999), **values
    )
    log.write(
        acting_user, "add_objective", objective, [*values, "axis", "number"], organisation_id=org
    )
    return objective


def _measure_fields(values, *, lead_agency, budget_line, deadline):
    return {
        **c.titles(values, TITLE_MAX),
        "lead_agency": c.organisation("lead_agency", lead_agency),
        "budget_line": c.text("budget_line", budget_line, 200),
        "deadline": c.date("deadline", deadline),
    }


@transaction.atomic
def do_add_measure(
    objective,
    *,
    acting_user,
    lead_agency,
    deadline,
    partners=(),
    budget_line="",
    number=None,
    on=None,
    **titles,
):
    """A new measure (the commission), not started, with the first entry of its history."""
    org = c.commission_org(acting_user)
    on = c.today(on)
    fields = _measure_fields(
        titles, lead_agency=lead_agency, budget_line=budget_line, deadline=deadline
    )
    partners = c.organisations("partners", partners)
    number = number or _next_number(objective.measures.all())
    if objective.measures.filter(number=number).exists():
        raise ValidationError({"number": _("This number is already taken.")})
    measure = Measure.objects.create(
        objective=objective,
        number=c.count("number", number, maximum=999),
        status_on=on,
        **fields,
    )
    measure.partners.set([p for p in partners if p.pk != lead_agency.pk])
    StatusChange.objects.create(
        measure=measure,
        status=measure.status,
        on=on,
        organisation_id=org,
        changed_by=acting_user,
    )
    log.write(
        acting_user,
        "add_measure",
        measure,
        [*fields, "objective", "number", "partners", "status"],
        organisation_id=org,
    )
    return measure


@transaction.atomic
def do_update_measure(
    measure,
    *,
    acting_user,
    expected_version,
    lead_agency,
    deadline,
    partners=(),
    budget_line="",
    on=None,
    **titles,
):
    """Change what a measure is, who leads it and by when (the commission)."""
    org = c.commission_org(acting_user)
    fields = _measure_fields(
        titles, lead_agency=lead_agency, budget_line=budget_line, deadline=deadline
    )
    partners = [p for p in c.organisations("partners", partners) if p.pk != lead_agency.pk]
    locked = Measure.objects.select_for_update().get(pk=measure.pk)
    changes = c.changed(locked, fields)
    save_versioned(locked, changes, expected_version)
    if set(locked.partners.all()) != set(partners):
        locked.partners.set(partners)
        changes.append("partners")
    if changes:
        log.write(acting_user, "update_measure", locked, changes, organisation_id=org)
    return locked


def _writable_measure(user, measure):
    locked = Measure.objects.select_for_update().get(pk=measure.pk)
    if not access.can_write_measure(user, locked):
        raise PermissionDenied(
            _("Only the lead agency's focal points and the commission update this measure.")
        )
    return locked, access.acting_org_for_measure(user, locked)


@transaction.atomic
def do_set_measure_status(measure, *, acting_user, expected_version, status, note="", on=None):
    """Move a measure to another status; the history keeps every change with its date."""
    locked, org = _writable_measure(acting_user, measure)
    c.choice("status", status, MeasureStatus)
    note = c.text("note", note, TITLE_MAX)
    on = c.date("on", c.today(on), after=locked.status_on, after_label=_("the last change"))
    if status == locked.status:
        raise ValidationError({"status": _("The measure already has this status.")})
    locked.status, locked.status_on = status, on
    saved = save_versioned(locked, ["status", "status_on"], expected_version)
    StatusChange.objects.create(
        measure=locked,
        status=status,
        on=on,
        note=note,
        organisation_id=org,
        changed_by=acting_user,
    )
    log.write(acting_user, "set_measure_status", locked, saved, organisation_id=org)
    return locked


@transaction.atomic
def do_add_progress_note(measure, *, acting_user, text, on=None):
    """A progress note of the lead agency, or a comment of the commission on any measure."""
    locked = Measure.objects.select_for_update().get(pk=measure.pk)
    if locked.lead_agency_id in access.focal_org_ids(acting_user):
        kind, org = NoteKind.PROGRESS, locked.lead_agency_id
    elif access.is_commission(acting_user):
        kind, org = NoteKind.COMMENT, c.commission_org(acting_user)
    else:
        raise PermissionDenied(
            _("Only the lead agency's focal points and the commission write on this measure.")
        )
    note = ProgressNote.objects.create(
        measure=locked,
        kind=kind,
        on=c.date("on", c.today(on)),
        text=c.text("text", text, TEXT_MAX, required=True),
        organisation_id=org,
        written_by=acting_user,
    )
    log.write(
        acting_user,
        "add_progress_note",
        note,
        ["measure", "kind", "on", "text"],
        organisation_id=org,
    )
    return note


@transaction.atomic
def do_attach_evidence(
    *, acting_user, name, data, measure=None, recommendation=None, description="", on=None
):
    """Keep a file as evidence of a measure (its writers) or of a recommendation (those who
    record its progress), after checking what it is (``uploads``)."""
    if (measure is None) == (recommendation is None):
        raise ValidationError(_("Evidence belongs to one measure or one recommendation."))
    if measure is not None:
        measure, org = _writable_measure(acting_user, measure)
    else:
        orgs = access.recommendation_org_ids(acting_user, recommendation)
        if not orgs:
            raise PermissionDenied(_("You cannot add evidence to this recommendation."))
        org = min(orgs)
    try:
        kind = uploads.sniff(data)
    except uploads.FileRefused as exc:
        raise ValidationError({"file": str(exc)}) from None
    evidence = Evidence.objects.create(
        measure=measure,
        recommendation=recommendation,
        name=uploads.clean_name(name, kind),
        kind=kind,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
        description=c.text("description", description, 300),
        organisation_id=org,
        uploaded_by=acting_user,
    )
    log.write(
        acting_user,
        "attach_evidence",
        evidence,
        ["measure" if measure else "recommendation", "name", "kind", "size"],
        organisation_id=org,
    )
    return evidence


@transaction.atomic
def do_add_indicator(
    measure,
    *,
    acting_user,
    figure="",
    baseline_year=None,
    baseline=None,
    targets=None,
    on=None,
    **names,
):
    """An indicator of a measure (the commission): computed from a figure, or entered by hand
    from a named source; with its targets by year ({year: value}) when given."""
    org = c.commission_org(acting_user)
    values = indicator_fields(names, figure=figure, baseline_year=baseline_year, baseline=baseline)
    indicator = Indicator.objects.create(measure=measure, **values)
    log.write(acting_user, "add_indicator", indicator, [*values, "measure"], organisation_id=org)
    if targets:
        set_targets(indicator, targets, acting_user=acting_user, org=org)
    return indicator


@transaction.atomic
def do_set_indicator_year(
    indicator, *, acting_user, year, target=None, actual=None, on=None, **sources
):
    """The target of a year, and its actual value for an indicator entered by hand (a
    computed one's actual value is the figure), with where the values come from
    (``source_ar/_fr/_en``). Its measure's writers."""
    _locked, org = _writable_measure(acting_user, indicator.measure)
    c.year("year", year)
    target = c.number("target", target)
    actual = c.number("actual", actual)
    if indicator.computed and actual is not None:
        raise ValidationError(
            {
                "actual": _(
                    "This indicator is computed from the figures: its actual value is not entered."
                )
            }
        )
    if set(sources) - set(SOURCES):
        raise TypeError(f"unexpected fields: {sorted(set(sources) - set(SOURCES))}")
    values = {"target": target, "actual": actual, **source_fields(sources)}
    row, created = IndicatorYear.objects.select_for_update().get_or_create(
        indicator=indicator, year=year, defaults=values
    )
    changes = (
        ["year", *[k for k, v in values.items() if k in ("target", "actual") or v]]
        if created
        else c.changed(row, values)
    )
    if changes and not created:
        row.updated_at = timezone.now()
        row.save(update_fields=[*changes, "updated_at"])
    if changes:
        log.write(acting_user, "set_indicator_year", row, changes, organisation_id=org)
    return row
