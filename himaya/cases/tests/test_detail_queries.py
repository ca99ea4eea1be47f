"""A dossier's page reads in a number of queries that does not grow with what the dossier
holds: its identification decisions and stage events, its notes, its screenings, its offences
and their alerts, its referrals (open, waiting for an answer) and the grants that share it."""

import datetime

import pytest
from django.utils import timezone

from himaya.cases import actions
from himaya.screening.tests.helpers import submitted
from himaya.testing import factories as f
from himaya.testing.queries import page_counts

pytestmark = pytest.mark.django_db

TANGER = "tanger_tetouan_al_hoceima"


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


def _decided(dossier, carol, police, n):
    """n decisions, the last one "actual": the dossier ends at the identified stage."""
    for i, status in enumerate(["possible"] * (n - 1) + ["actual"]):
        actions.record_decision(
            dossier,
            acting_user=carol,
            organisation=police,
            status=f.code("trafficking_status", status),
            decided_on=days_ago(90 - i),
            reasons=f"Indicators met ({i})",
        )


def _dossier(users, orgs, n):
    """Carol's police dossier with n of each: decisions, notes, screenings linked to it,
    offences charged (each alerting paula's office), referrals and grants. Its first referral
    goes to bob's NGO."""
    carol, police = users["carol"], orgs["police"]
    dossier = f.dossier(
        carol, police, opened_on=days_ago(100), exploitation_region=f.code("region", TANGER)
    )
    _decided(dossier, carol, police, n)
    for i in range(n):
        actions.add_note(dossier, acting_user=carol, text=f"Note {i}")
        submitted(carol, police, person=dossier.person, alias="", dossier=dossier)
        actions.record_offence(
            dossier,
            acting_user=carol,
            organisation=police,
            offence_type="irregular_entry_stay",
            charged_on=days_ago(50 - i),
            authority_other="Tribunal de première instance",
        )
        f.referral(dossier, carol, [orgs["ngo_b"], orgs["ngo_a"], orgs["shelter"]][i])
        actions.grant_access(
            dossier,
            acting_user=carol,
            organisation=[orgs["io"], orgs["hotline"], orgs["commission"]][i],
            reason="Shared for the case",
            with_identity=i % 2 == 0,
        )
    return dossier


@pytest.mark.parametrize("who", ["carol", "paula", "bob"])
def test_the_dossier_page_reads_in_constant_queries(who, users, orgs, login, figure):
    small, large = _dossier(users, orgs, 1), _dossier(users, orgs, 3)
    assert large.decisions.count() == 3 and large.referrals.count() == 3
    client = login(users[who])
    counts, response = page_counts(client, "cases:detail", (small, large))
    if who != "bob":  # bob's NGO sees the dossier through its referral only
        assert response.text.count('data-testid="offence"') == 3
    assert counts[0] == counts[1], counts
    figure(
        f"dossier page ({who}): {counts[0]} queries, 1 or 3 decisions, notes, screenings, "
        "offences, referrals and grants"
    )
