"""The non-punishment figures (DOMAIN.md §6) on hand-made data whose right answer is worked out
by hand in each test (victims identified: himaya/statistics/tests/test_identified.py)."""

import datetime

import pytest
from django.utils import timezone

from himaya.cases import actions, figures
from himaya.cases.actions import record_offence, resolve_alert
from himaya.cases.models import Dossier, NonPunishmentAlert, Stage
from himaya.testing import factories as f

pytestmark = pytest.mark.django_db

Y1, Y2 = 2024, 2025  # two past years
D = datetime.date


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


@pytest.fixture
def caseload(users, orgs):
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
    return {"a": a, "b": b, "c": c}


def test_the_year_counts_victims_charged_by_offence_and_alerts_raised_resolved_and_open(
    caseload, figure
):
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
    figure(
        f"figures: non-punishment {Y2}: {y2['victims_with_offence']} victims charged, "
        f"{y2['alerts_raised']} alerts raised, {y2['alerts_resolved']['total']} resolved "
        "(hand count 2 / 3 / 3)"
    )


def test_an_alert_resolved_the_next_year_is_open_at_the_end_of_its_own(caseload):
    y1 = figures.nonpunishment_figures(Y1)
    assert (y1["victims_with_offence"], y1["alerts_raised"], y1["alerts_resolved"]["total"]) == (
        1,
        1,
        0,
    )
    assert y1["alerts_open_at_year_end"] == 1  # B's, resolved only in Y2


def test_victims_charged_drill_down_to_the_dossiers_asked_for(caseload):
    assert figures.victims_with_offence(Y2, Dossier.objects.filter(pk=caseload["c"].pk)) == 1
