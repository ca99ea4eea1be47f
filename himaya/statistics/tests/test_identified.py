"""Victims identified (DOMAIN.md §6) on hand-made data whose right answer is worked out by hand,
and the guard that keeps ``statistics/figures/victims.py`` the one home of the rule: no other module
filters identification decisions by year or date range."""

import ast
import datetime
import importlib
import pathlib
import re

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from himaya.cases.actions import record_decision
from himaya.cases.models import Dossier, IdentificationDecision
from himaya.statistics import drill, figures
from himaya.testing import factories as f

Y1, Y2 = 2024, 2025  # two past years
D = datetime.date


@pytest.fixture
def decide(users, orgs):
    def run(dossier, value, on, reviews=None):
        return record_decision(
            dossier,
            acting_user=users["carol"],
            organisation=orgs["police"],
            status=f.code("trafficking_status", value),
            decided_on=on,
            reasons="x",
            reviews=reviews,
        )

    return run


@pytest.fixture
def identified(users, orgs, decide):
    """P1: two dossiers, first decision in Y1 (not counted again in Y2).
    P2: a negative decision in Y1, overturned by a review in Y2 (counted in Y2 only).
    P3: one dossier with two forms, possible in Y2.
    P4: two dossiers both positive in Y2 (counted once, under the forms of both).
    P5: only a negative decision (never counted). P6: possible in Y2, but on a dossier
    with no form (in the total only)."""
    carol, police = users["carol"], orgs["police"]

    def dossier(person, forms, opened):
        return f.dossier(carol, police, the_person=person, forms=forms, opened_on=opened)

    p1 = f.person(carol, police)
    d = dossier(p1, ("sexual",), D(Y1, 2, 1))
    decide(d, "possible", D(Y1, 3, 1))
    decide(d, "actual", D(Y1, 6, 1))
    decide(dossier(p1, ("begging",), D(Y2, 1, 10)), "possible", D(Y2, 2, 1))

    p2 = f.person(carol, police)
    d = dossier(p2, ("begging",), D(Y1, 4, 1))
    negative = decide(d, "not_victim", D(Y1, 5, 1))
    decide(d, "actual", D(Y2, 1, 15), reviews=negative)

    p3 = f.person(carol, police)
    decide(dossier(p3, ("sexual", "labour"), D(Y2, 2, 1)), "possible", D(Y2, 3, 1))

    p4 = f.person(carol, police)
    decide(dossier(p4, ("domestic_servitude",), D(Y2, 1, 1)), "actual", D(Y2, 4, 1))
    decide(dossier(p4, ("sexual",), D(Y2, 5, 1)), "possible", D(Y2, 6, 1))

    p5 = f.person(carol, police)
    decide(dossier(p5, ("sexual",), D(Y2, 1, 1)), "not_victim", D(Y2, 2, 1))

    p6 = f.person(carol, police)
    decide(dossier(p6, (), D(Y2, 7, 1)), "possible", D(Y2, 7, 2))
    return {"p1": p1, "p2": p2, "p3": p3, "p4": p4, "p5": p5, "p6": p6}


def _persons(year, scope=None):
    return {v.person for v in figures.identified_victims(year, scope)}


@pytest.mark.django_db
def test_victims_identified_counts_each_person_once_at_their_first_decision(identified, figure):
    ids = {k: p.pk for k, p in identified.items()}
    assert _persons(Y1) == {ids["p1"]}
    assert _persons(Y2) == {ids["p2"], ids["p3"], ids["p4"], ids["p6"]}
    assert figures.victims_identified_by_form(Y1) == {"total": 1, "by_form": {"sexual": 1}}
    y2 = figures.victims_identified_by_form(Y2)
    # Forced begging and domestic servitude count under forced labour too: labour is P2, P3, P4.
    assert y2 == {
        "total": 4,
        "by_form": {"begging": 1, "domestic_servitude": 1, "labour": 3, "sexual": 2},
    }
    assert figures.victims_identified_total(Y2) == 4
    assert sum(y2["by_form"].values()) > y2["total"]  # forms may sum to more than the total
    assert figures.victims_identified_by_form(Y2 + 1) == {"total": 0, "by_form": {}}
    figure(
        f"figures: victims identified {Y2}: {y2['total']} (hand count 4), by form {y2['by_form']}"
    )


@pytest.mark.django_db
def test_a_drill_down_counts_only_the_dossiers_given(identified):
    p3 = identified["p3"]
    only_p3 = figures.Scope(dossiers=Dossier.objects.filter(person=p3))
    assert figures.victims_identified_by_form(Y2, only_p3) == {
        "total": 1,
        "by_form": {"labour": 1, "sexual": 1},
    }
    # The first decision is still the person's first over all their dossiers.
    p1_second = Dossier.objects.filter(person=identified["p1"], opened_on__year=Y2)
    assert _persons(Y2, figures.Scope(dossiers=p1_second)) == set()


@pytest.mark.django_db
def test_the_victims_list_holds_the_dossier_of_each_first_decision(identified, users):
    """P4 has two dossiers positive in Y2: the list shows the one decided first (April), once."""
    p4_first = Dossier.objects.get(person=identified["p4"], opened_on=D(Y2, 1, 1))
    victims = {v.person: v.dossier for v in figures.identified_victims(Y2)}
    assert victims[identified["p4"].pk] == p4_first.pk
    found = drill.records("victims", Y2, users["carol"])
    assert found["total"] == found["visible"] == figures.victims_identified_total(Y2) == 4
    listed = {row["url"] for row in found["rows"]}
    assert any(f"/{p4_first.pk}/" in url for url in listed)


# --- One home for the rule ------------------------------------------------------------------

ROOT = pathlib.Path(__file__).resolve().parents[2]  # the himaya package
HOME = ROOT / "statistics" / "figures" / "victims.py"  # figures is a package: the rule lives here
# A date lookup: the year, a range or a bound (``decided_on__year``, ``first__range``...).
DATE_LOOKUP = re.compile(r"__(year|iso_year|quarter|month|week|range|gt|gte|lt|lte|date)(__|$)")
MIN_MAX = {"Min", "Max"}
YEAR_HELPERS = {"first_decisions", "first_dates", "days"}


def _chain(node):
    """The calls of a method chain (outermost first) and the name it starts from."""
    calls = []
    while True:
        if isinstance(node, ast.Call):
            calls.append(node)
            node = node.func
        elif isinstance(node, ast.Attribute | ast.Subscript):
            node = node.value
        else:
            return calls, node.id if isinstance(node, ast.Name) else None


def _decided_on_aliases(calls):
    """Names annotated in the chain from Min/Max of a ``decided_on`` (``first=Min(...)``)."""
    aliases = set()
    for call in calls:
        for kw in call.keywords:
            value = kw.value
            if (
                kw.arg
                and isinstance(value, ast.Call)
                and isinstance(value.func, ast.Name)
                and value.func.id in MIN_MAX
                and value.args
                and isinstance(value.args[0], ast.Constant)
                and str(value.args[0].value).endswith("decided_on")
            ):
                aliases.add(kw.arg)
    return aliases


def _field_model(model, path):
    """The model holding the last field of a lookup path from ``model``."""
    for name in path:
        try:
            fld = model._meta.get_field(name)
        except FieldDoesNotExist:  # an annotation: it stands on this model
            return model
        if fld.is_relation and fld.related_model is not None:
            if name == path[-1]:
                return model
            model = fld.related_model
        else:
            return model
    return model


def _by_year(call):
    """A filter whose arguments take a year (``year``, ``first_decisions(year)``...)."""
    if not (isinstance(call.func, ast.Attribute) and call.func.attr in ("filter", "exclude")):
        return False
    for arg in (*call.args, *(kw.value for kw in call.keywords)):
        for node in ast.walk(arg):
            if isinstance(node, ast.Name) and "year" in node.id:
                return True
            if isinstance(node, ast.Attribute) and node.attr in YEAR_HELPERS:
                return True
    return False


def identification_date_filters(source, names=None) -> list[int]:
    """Line numbers where ``source`` filters identification decisions by a date: a keyword
    lookup on ``decided_on`` (or on a Min/Max of it) with a year, a range or a bound, a
    filter of ``IdentificationDecision`` taking a year (through the persons of
    ``first_decisions(year)``, say), or a ``.decided_on.year`` in Python. ``names`` maps the
    module's names to the models they stand for: a chain that starts from a model is resolved
    through the model's fields, so a court decision's ``decided_on`` (justice) is not taken
    for an identification decision; a chain that starts elsewhere (a queryset in a variable,
    ``Q``) counts when the module knows ``IdentificationDecision``."""
    names = names or {}
    knows = "IdentificationDecision" in names or "IdentificationDecision" in source
    tree = ast.parse(source)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("year", "month"):
            inner = node.value
            if isinstance(inner, ast.Attribute) and inner.attr == "decided_on" and knows:
                found.add(node.lineno)
        if not isinstance(node, ast.Call):
            continue
        calls, root = _chain(node)
        if _by_year(node) and names.get(root) is IdentificationDecision:
            found.add(node.lineno)
        aliases = _decided_on_aliases(calls) | {"decided_on"}
        for kw in node.keywords:
            if not kw.arg or not DATE_LOOKUP.search(kw.arg):
                continue
            path = DATE_LOOKUP.split(kw.arg, maxsplit=1)[0].split("__")
            if path[-1] not in aliases:
                continue
            model = names.get(root)
            if isinstance(model, type) and issubclass(model, models.Model):
                if path[-1] == "decided_on" and _field_model(model, path) is not (
                    IdentificationDecision
                ):
                    continue
            elif not knows:
                continue
            found.add(node.lineno)
    return sorted(found)


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts or path == HOME:
            continue
        yield path


def _model_names(path, tree):
    """The module's names imported from a ``models`` module, resolved to the models (only
    models modules are imported: reading a page or a setting must not run it)."""
    package = ("himaya", *path.relative_to(ROOT).parent.parts)
    names = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or not node.module:
            continue
        if node.level:
            base = package[: len(package) - node.level + 1]
            module = ".".join((*base, node.module))
        else:
            module = node.module
        if module.rsplit(".", 1)[-1] != "models" or not module.startswith("himaya."):
            continue
        found = importlib.import_module(module)
        for alias in node.names:
            if hasattr(found, alias.name):
                names[alias.asname or alias.name] = getattr(found, alias.name)
    return names


def test_the_guard_finds_an_identification_filter_by_year_and_spares_court_decisions():
    from himaya.justice.models import CourtDecision

    names = {
        "IdentificationDecision": IdentificationDecision,
        "CourtDecision": CourtDecision,
        "Dossier": Dossier,
    }
    duplicate = """
positive = IdentificationDecision.objects.filter(status__code__in=POSITIVE)
firsts = positive.values("who").annotate(first=Min("decided_on")).filter(first__range=(a, b))
in_year = IdentificationDecision.objects.filter(decided_on__year=year)
many = Dossier.objects.filter(decisions__decided_on__gte=start)
by_hand = [d for d in decisions if d.decided_on.year == year]
their_dossiers = (
    IdentificationDecision.objects.filter(status__code__in=POSITIVE)
    .filter(who__in=figures.first_decisions(y).values("who"))
    .values_list("who", "dossier_id", "decided_on")
)
"""
    assert identification_date_filters(duplicate, names) == [3, 4, 5, 6, 8]
    court = "CourtDecision.objects.filter(outcome='convicted', decided_on__year=year)\n"
    assert identification_date_filters(court, names) == []
    ordering = "IdentificationDecision.objects.order_by('-decided_on').first()\n"
    assert identification_date_filters(ordering, names) == []


def test_no_module_but_statistics_figures_filters_identification_decisions_by_date():
    """DOMAIN.md §6: one function per figure. Victims identified in a year is counted in
    ``statistics/figures/victims.py`` (``identified_victims``); every other module reads it from
    there, so a second copy of the rule (as there once was in cases/figures.py and drill.py)
    fails here."""
    offenders, scanned = [], 0
    for path in _modules():
        source = path.read_text(encoding="utf-8")
        names = _model_names(path, ast.parse(source))
        scanned += 1
        for line in identification_date_filters(source, names):
            offenders.append(f"{path.relative_to(ROOT)}:{line}")
    assert scanned > 100
    assert offenders == []
    # The home itself is found by the same scan: the guard sees the rule where it lives.
    home = HOME.read_text(encoding="utf-8")
    assert len(identification_date_filters(home, _model_names(HOME, ast.parse(home)))) >= 2
