"""The identification and non-punishment figures (DOMAIN.md §6) on hand-made data whose right
answer is worked out by hand in each test."""

import datetime

import pytest
from django.utils import timezone

from himaya.cases import actions, figures
from himaya.cases.decision_actions import record_decision
from himaya.cases.models import Dossier, NonPunishmentAlert, Stage
from himaya.cases.nonpunishment_actions import record_offence, resolve_alert
from himaya.testing import factories as f

pytestmark = pytest.mark.django_db

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


def test_victims_identified_counts_each_person_once_at_their_first_decision(identified, figure):
    ids = {k: p.pk for k, p in identified.items()}
    assert figures.identified_person_ids(Y1) == {ids["p1"]}
    assert figures.identified_person_ids(Y2) == {ids["p2"], ids["p3"], ids["p4"], ids["p6"]}
    assert figures.victims_identified(Y1) == {"total": 1, "by_form": {"sexual": 1}}
    y2 = figures.victims_identified(Y2)
    # Forced begging and domestic servitude count under forced labour too: labour is P2, P3, P4.
    assert y2 == {
        "total": 4,
        "by_form": {"begging": 1, "domestic_servitude": 1, "labour": 3, "sexual": 2},
    }
    assert sum(y2["by_form"].values()) > y2["total"]  # forms may sum to more than the total
    assert figures.victims_identified(Y2 + 1) == {"total": 0, "by_form": {}}
    figure(
        f"figures: victims identified {Y2}: {y2['total']} (hand count 4), by form {y2['by_form']}"
    )


def test_a_drill_down_counts_only_the_dossiers_given(identified, users, orgs):
    p3 = identified["p3"]
    only_p3 = Dossier.objects.filter(person=p3)
    assert figures.victims_identified(Y2, only_p3) == {
        "total": 1,
        "by_form": {"labour": 1, "sexual": 1},
    }
    # The first decision is still the person's first over all their dossiers.
    p1_second = Dossier.objects.filter(person=identified["p1"], opened_on__year=Y2)
    assert figures.identified_person_ids(Y2, p1_second) == set()


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def test_nonpunishment_figures_on_hand_made_data(users, orgs, figure):
    """Three persons: A charged with irregular stay and begging in Y2 (two alerts, one resolved
    "charges dropped" in Y2, the other still open); B charged with irregular stay in Y1,
    alert resolved "non-punishment applied" in Y2; C charged with document fraud in Y2, its
    alert resolved "convicted" in Y2."""
    carol, police = users["carol"], orgs["police"]
    tanger = f.code("region", "tanger_tetouan_al_hoceima")

    def presumed(opened):
        d = f.dossier(carol, police, opened_on=opened, exploitation_region=tanger)
        actions.change_stage(d, acting_user=carol, stage=Stage.PRESUMED, on=opened)
        return d

    def charge(dossier, kind, on, raised):
        _c, alert = record_offence(
            dossier,
            acting_user=carol,
            organisation=police,
            offence_type=kind,
            charged_on=on,
            authority_other="Tribunal",
        )
        NonPunishmentAlert.objects.filter(pk=alert.pk).update(raised_at=_at(raised))
        alert.refresh_from_db()
        return alert

    def resolve(alert, outcome, on):
        resolve_alert(alert, acting_user=users["paula"], outcome=outcome, resolved_on=on)

    a = presumed(D(Y2, 1, 1))
    resolve(
        charge(a, "irregular_entry_stay", D(Y2, 2, 1), D(Y2, 2, 3)), "charges_dropped", D(Y2, 3, 1)
    )
    charge(a, "begging", D(Y2, 4, 1), D(Y2, 4, 2))
    b = presumed(D(Y1, 1, 1))
    resolve(
        charge(b, "irregular_entry_stay", D(Y1, 6, 1), D(Y1, 6, 2)), "non_punishment", D(Y2, 1, 5)
    )
    c = presumed(D(Y2, 1, 1))
    resolve(charge(c, "document_fraud", D(Y2, 5, 1), D(Y2, 5, 1)), "convicted", D(Y2, 6, 1))

    y2 = figures.nonpunishment_figures(Y2)
    assert y2 == {
        "victims_with_offence": 2,  # A and C (B's charge is of Y1)
        "by_offence_type": {
            "irregular_entry_stay": 1,
            "prostitution": 0,
            "begging": 1,
            "forced_criminality": 0,
            "document_fraud": 1,
            "other": 0,
        },
        "alerts_raised": 3,
        "alerts_resolved": {
            "total": 3,
            "charges_dropped": 1,
            "non_punishment": 1,
            "convicted": 1,
            "other": 0,
        },
        "alerts_open_at_year_end": 1,  # A's begging charge
    }
    y1 = figures.nonpunishment_figures(Y1)
    assert (y1["victims_with_offence"], y1["alerts_raised"], y1["alerts_resolved"]["total"]) == (
        1,
        1,
        0,
    )
    assert y1["alerts_open_at_year_end"] == 1  # B's, resolved only in Y2
    assert figures.victims_with_offence(Y2, Dossier.objects.filter(pk=c.pk)) == 1
    figure(
        f"figures: non-punishment {Y2}: {y2['victims_with_offence']} victims charged, "
        f"{y2['alerts_raised']} alerts raised, {y2['alerts_resolved']['total']} resolved "
        "(hand count 2 / 3 / 3)"
    )
