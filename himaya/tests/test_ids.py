"""Ids read from a request: str.isdigit() takes "²", "①" or Arabic-Indic digits, which int()
refuses or misreads; every place that reads an id answers them as a missing record, never
with a 500."""

import pytest
from django.urls import reverse

from himaya.core.shortcuts import MAX_ID, parse_id

pytestmark = pytest.mark.django_db

ODD = ["²", "①", "٣", "-1", "0", "1e3", " 7", str(MAX_ID + 1), "9" * 40, ""]


def test_parse_id():
    assert parse_id("42") == 42 and parse_id(42) == 42 and parse_id(str(MAX_ID)) == MAX_ID
    assert [parse_id(v) for v in ODD] == [None] * len(ODD)
    assert parse_id(None) is None


def test_odd_ids_in_requests_are_never_a_server_error(users, login, figure):
    tried = 0
    harry = login(users["harry"])
    ana = login(users["ana"])
    alice = login(users["alice"])
    for odd in ODD:
        answers = [
            alice.post(reverse("notifications:read"), {"id": [odd, "1"]}).status_code,
            harry.post(
                reverse("hotline:held_review"), {"reports": [odd], "decision": "dismiss"}
            ).status_code,
        ]
        if odd and "/" not in odd and " " not in odd:
            answers.append(ana.get(f"/api/persons/{odd}/").status_code)
        tried += len(answers)
        assert all(code < 500 for code in answers), (odd, answers)
    figure(f"Odd ids (², ①, ٣, overflow…): {tried} requests → 0 server errors")
