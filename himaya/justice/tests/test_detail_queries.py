"""An investigation's page reads in a number of queries that does not grow with what the
investigation holds: its suspects and their events, its victims' dossiers, its hand-offs
(each transfer and send-back, with the reasons the user reads) and its prosecutions."""

import pytest
from django.urls import reverse

from himaya.justice import actions as ja
from himaya.testing import factories as f
from himaya.testing.queries import steady_queries

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
    counts = []
    for inv in (small, large):
        count, response = steady_queries(client, reverse("justice:detail", args=[inv.pk]))
        counts.append(count)
    assert "File to complete" in response.text or who == "paula"
    assert counts[0] == counts[1], counts
    figure(f"investigation page ({who}): {counts[0]} queries, 2 or 5 suspects, 1 or 3 hand-offs")
