"""An investigation's page reads in a number of queries that does not grow with what the
investigation holds: its suspects and their events, its victims' dossiers, its hand-offs
(each transfer and send-back, with the reasons the user reads) and its prosecutions."""

import pytest

from himaya.justice import actions as ja
from himaya.testing import factories as f
from himaya.testing.queries import page_counts

from .conftest import _investigation, days_ago

pytestmark = pytest.mark.django_db


def _grow(inv, users, orgs):
    """Three more suspects with their arrests, two more dossiers, and a send-back and a new
    transfer: three hand-offs in all."""
    carol, paula = users["carol"], users["paula"]
    for i in range(3):
        suspect = ja.add_suspect(
            inv,
            acting_user=carol,
            added_on=days_ago(90),
            given_name_lat=f"Suspect{'abc'[i]}",
            family_name_lat="Grown",
            role_in_process=f.code("role_in_process", "exploiter"),
        )
        ja.record_suspect_event(inv, suspect, acting_user=carol, kind="arrest", on=days_ago(80))
    for _ in range(2):
        ja.link_dossier(inv, f.dossier(carol, orgs["police"], forms=("sexual",)), acting_user=carol)
    ja.return_investigation(inv, acting_user=paula, reason="File to complete", on=days_ago(60))
    ja.transfer_investigation(inv, acting_user=carol, office=orgs["parquet"], on=days_ago(50))


@pytest.mark.parametrize("who", ["carol", "paula"])
def test_the_investigation_page_reads_in_constant_queries(who, users, orgs, login, figure):
    small, *_suspects = _investigation(
        users["carol"], orgs, f.dossier(users["carol"], orgs["police"])
    )
    large, *_suspects = _investigation(
        users["carol"], orgs, f.dossier(users["carol"], orgs["police"])
    )
    _grow(large, users, orgs)
    assert large.handoffs.count() == 3 and large.suspects.count() == 5
    client = login(users[who])
    counts, response = page_counts(client, "justice:detail", (small, large))
    assert "File to complete" in response.text or who == "paula"
    assert counts[0] == counts[1], counts
    figure(f"investigation page ({who}): {counts[0]} queries, 2 or 5 suspects, 1 or 3 hand-offs")


def _prosecution(users, orgs, n, other_court):
    """A prosecution before cole's court with n of each: victims taking part (their dossiers
    linked to the investigation), charges each convicted at first instance and on appeal with
    both sentences, appeals, and transfers of jurisdiction (to the other court and back)."""
    carol, paula = users["carol"], users["paula"]
    inv, suspect, _other = _investigation(carol, orgs, f.dossier(carol, orgs["police"]))
    p = ja.start_prosecution(
        inv,
        suspect,
        acting_user=paula,
        office=orgs["parquet"],
        started_on=days_ago(60),
        court=orgs["court"],
    )
    for i in range(n):
        dossier = f.dossier(carol, orgs["police"])
        ja.link_dossier(inv, dossier, acting_user=carol)
        ja.record_participation(
            p,
            dossier,
            acting_user=paula,
            role="civil_party",
            protection_asked=["identity", "police"],
            protection_granted=["identity"],
            compensation_mad="20000",
        )
        labour = f.code("exploitation_form", "labour")
        charge = ja.add_charge(p, acting_user=paula, article="448.1", form=labour, count=i + 1)
        first = ja.record_decision(
            charge, acting_user=paula, outcome="convicted", decided_on=days_ago(30)
        )
        ja.record_sentence(first, acting_user=paula, prison_months=24, fine_mad="5000")
        ja.record_appeal(p, acting_user=paula, lodged_on=days_ago(20), lodged_by="defence")
        second = ja.record_decision(
            charge,
            acting_user=paula,
            outcome="convicted",
            decided_on=days_ago(10),
            instance="appeal",
        )
        ja.record_sentence(second, acting_user=paula, prison_months=12, suspended_months=6)
        ja.set_court(p, acting_user=paula, court=other_court, on=days_ago(5))
        ja.set_court(p, acting_user=paula, court=orgs["court"], on=days_ago(4))
    return p


@pytest.mark.parametrize("who", ["paula", "cole"])
def test_the_prosecution_page_reads_in_constant_queries(who, users, orgs, login, figure):
    other_court = f.OrganisationFactory(
        name_en="Rabat court", type=f.code("org_type", "court"), region=orgs["court"].region
    )
    small = _prosecution(users, orgs, 1, other_court)
    large = _prosecution(users, orgs, 3, other_court)
    assert large.charges.count() == 3 and large.court_transfers.count() == 6
    client = login(users[who])
    counts, response = page_counts(client, "justice:prosecution", (small, large))
    assert response.text.count('data-testid="sentence"') == 6
    assert response.text.count('data-testid="court-transfer"') == 6
    assert counts[0] == counts[1], counts
    figure(
        f"prosecution page ({who}): {counts[0]} queries, 1 or 3 charges, victims and appeals, "
        "2 or 6 decisions and sentences, 2 or 6 transfers"
    )
