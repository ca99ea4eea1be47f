"""Changes to the plan's structure once built (the commission): a plan's titles and years, an
axis's or an objective's title, an indicator's definition and its targets year by year. Each
is saved against the version its writer read (R1) and audited with the fields it changed."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.audit import log
from himaya.core.actions import save_versioned
from himaya.core.bidi import blank
from himaya.core.trilingual import LANGS, reader_language

from ..models import Axis, Indicator, IndicatorYear, Objective, Plan
from ..models.plan import SOURCE_MAX, TITLE_MAX
from . import common as c
from .common import figure_catalogue

TARGET_YEARS = 40


@transaction.atomic
def do_update_plan(plan, *, acting_user, expected_version, start_year, end_year, on=None, **titles):
    org = c.commission_org(acting_user)
    values = {
        **c.titles(titles, TITLE_MAX),
        "start_year": c.year("start_year", start_year),
        "end_year": c.year("end_year", end_year),
    }
    if end_year < start_year:
        raise ValidationError({"end_year": _("The last year is before the first.")})
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    changes = c.changed(locked, values)
    save_versioned(locked, changes, expected_version)
    if changes:
        log.write(acting_user, "update_plan", locked, changes, organisation_id=org)
    return locked


def _retitle(model, record, acting_user, expected_version, titles, action):
    org = c.commission_org(acting_user)
    values = c.titles(titles, TITLE_MAX)
    locked = model.objects.select_for_update().get(pk=record.pk)
    changes = c.changed(locked, values)
    save_versioned(locked, changes, expected_version)
    if changes:
        log.write(acting_user, action, locked, changes, organisation_id=org)
    return locked


@transaction.atomic
def do_update_axis(axis, *, acting_user, expected_version, on=None, **titles):
    return _retitle(Axis, axis, acting_user, expected_version, titles, "update_axis")


@transaction.atomic
def do_update_objective(objective, *, acting_user, expected_version, on=None, **titles):
    return _retitle(Objective, objective, acting_user, expected_version, titles, "update_objective")


SOURCES = tuple(f"source_{lang}" for lang in LANGS)


def source_fields(values):
    """The source of values in the three languages, checked; any may be empty."""
    return {name: c.text(name, values.get(name), SOURCE_MAX) for name in SOURCES}


def indicator_fields(names, *, figure, baseline_year, baseline):
    """The checked definition of an indicator: computed from a figure, or entered by hand from
    a source named in at least one language. ``names``: name_ar/fr/en and source_ar/fr/en."""
    unknown = set(names) - {f"name_{lang}" for lang in LANGS} - set(SOURCES)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    values = c.titles(names, 300, field="name")
    figure = (figure or "").strip()
    if figure and figure not in figure_catalogue():
        raise ValidationError({"figure": _("Choose a value from the list.")})
    sources = source_fields(names)
    if not figure and all(blank(v) for v in sources.values()):
        raise ValidationError(
            {
                f"source_{reader_language()}": _(
                    "Say where the values of an indicator entered by hand come from."
                )
            }
        )
    if baseline_year is not None:
        c.year("baseline_year", baseline_year)
    return {
        **values,
        "figure": figure,
        **sources,
        "baseline_year": baseline_year,
        "baseline": c.number("baseline", baseline),
    }


def set_targets(indicator, targets, *, acting_user, org):
    """Set the targets {year: value or None} of an indicator, leaving each year's actual value
    and source as they are; audited per year changed. Years outside the plan are refused."""
    targets = dict(targets or {})
    if len(targets) > TARGET_YEARS:
        raise ValidationError({"targets": _("Too many rows.")})
    plan = indicator.measure.objective.axis.plan
    checked = {}
    for year, value in targets.items():
        c.year("targets", year)
        if not plan.start_year <= year <= plan.end_year:
            raise ValidationError(
                {
                    "targets": _("Give targets for the years of the plan (%(a)s–%(b)s).")
                    % {"a": plan.start_year, "b": plan.end_year}
                }
            )
        checked[year] = c.number("targets", value)
    rows = {
        r.year: r for r in IndicatorYear.objects.select_for_update().filter(indicator=indicator)
    }
    for year, target in sorted(checked.items()):
        row = rows.get(year)
        if row is None:
            if target is None:
                continue
            row = IndicatorYear.objects.create(indicator=indicator, year=year, target=target)
            changes = ["year", "target"]
        else:
            changes = c.changed(row, {"target": target})
            if changes:
                row.updated_at = timezone.now()
                row.save(update_fields=[*changes, "updated_at"])
        if changes:
            log.write(acting_user, "set_indicator_target", row, changes, organisation_id=org)


@transaction.atomic
def do_update_indicator(
    indicator,
    *,
    acting_user,
    expected_version,
    figure="",
    baseline_year=None,
    baseline=None,
    targets=None,
    on=None,
    **names,
):
    """Change what an indicator measures, where its values come from, its baseline and its
    targets (the commission). An indicator made computed keeps no hand-entered value."""
    org = c.commission_org(acting_user)
    values = indicator_fields(names, figure=figure, baseline_year=baseline_year, baseline=baseline)
    locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
    changes = c.changed(locked, values)
    save_versioned(locked, changes, expected_version)
    if changes:
        log.write(acting_user, "update_indicator", locked, changes, organisation_id=org)
    if locked.computed and "figure" in changes:
        hand = IndicatorYear.objects.filter(indicator=locked, actual__isnull=False)
        for row in hand:
            row.actual, row.updated_at = None, timezone.now()
            row.save(update_fields=["actual", "updated_at"])
            log.write(acting_user, "set_indicator_year", row, ["actual"], organisation_id=org)
    if targets is not None:
        set_targets(locked, targets, acting_user=acting_user, org=org)
    return locked
