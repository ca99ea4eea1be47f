"""Namesakes told apart in lists (issue 15, item 20): the year of birth and the age beside the
name, wherever the name is shown (persons, dossiers seen with the identity, suspects), marked
approximate (≈) where the birth date is a year alone or an estimate; never where the name is
hidden."""

import datetime
import re

import pytest
from django.urls import reverse

from himaya.justice import actions as ja
from himaya.testing import factories as f
from himaya.testing.clock import freeze_localdate
from himaya.testing.routes import search

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 30)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    freeze_localdate(monkeypatch, TODAY)


def cells(html):
    return [
        re.sub(r"<[^>]+>", "", c).strip()
        for c in re.findall(r'data-testid="born-age"[^>]*>(.*?)</(?:td|span)>', html, re.S)
    ]


@pytest.fixture
def namesakes(users, orgs):
    alice, ngo = users["alice"], orgs["ngo_a"]
    exact = f.person(alice, ngo, birth_date=datetime.date(1990, 9, 1))  # 34 until September
    year = f.person(alice, ngo, birth_date=datetime.date(2001, 1, 1), birth_date_precision="year")
    estimated = f.person(
        alice,
        ngo,
        birth_date=None,
        birth_date_precision="estimated",
        estimated_age=16,
        estimated_on=datetime.date(2023, 6, 1),
    )
    unknown = f.person(alice, ngo, birth_date=None, birth_date_precision="unknown")
    return exact, year, estimated, unknown


def test_the_person_list_and_its_search_show_birth_year_and_age(users, login, namesakes):
    client = login(users["alice"])
    html = client.get(reverse("people:list")).content.decode()
    # Newest first: unknown, estimated (16 two years ago), year only, exact.
    assert cells(html) == ["—", "≈2007 (≈18)", "2001 (≈24)", "1990 (34)"]
    found = search(client, reverse("people:list"), {"q": "Fatima"}).content.decode()
    assert sorted(cells(found)) == sorted(cells(html))


def test_the_dossier_list_shows_them_beside_the_name_only(users, orgs, login, namesakes):
    exact = namesakes[0]
    f.dossier(users["alice"], orgs["ngo_a"], exact)
    html = login(users["alice"]).get(reverse("cases:list")).content.decode()
    assert cells(html) == ["1990 (34)"]
    analyst = login(users["ana"]).get(reverse("cases:list"))
    assert analyst.status_code in (200, 404)
    assert cells(analyst.content.decode()) == []  # no name, no birth year


def test_suspects_show_them(users, orgs, login):
    carol = users["carol"]
    inv = ja.open_investigation(
        acting_user=carol, organisation=orgs["police"], opened_on=TODAY - datetime.timedelta(9)
    )
    ja.add_suspect(
        inv,
        acting_user=carol,
        given_name_lat="Karim",
        birth_date=datetime.date(1980, 12, 31),
        birth_date_precision="exact",
    )
    ja.add_suspect(inv, acting_user=carol, given_name_lat="Karim")
    html = login(carol).get(reverse("justice:detail", args=[inv.pk])).content.decode()
    assert sorted(cells(html)) == ["1980 (44)", "—"]
