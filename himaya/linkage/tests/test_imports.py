"""Candidates in imports: a dossier imported for a person who may already be recorded is noted
on its row, as the reader of the report may see it: a link to a record they see, only a notice
for one held elsewhere."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from himaya.exchange import services
from himaya.testing import factories as f

pytestmark = pytest.mark.django_db

YEAR = datetime.date.today().year - 1


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def workbook(rows):
    wb = Workbook()
    ws = wb.active
    ws.title = "dossiers"
    ws.append(["ref", "opened_on", "given_name_lat", "family_name_lat", "sex", "birth_date"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _existing(user, org, **names):
    return f.person(
        user,
        org,
        sex=f.code("sex", "female"),
        birth_date=datetime.date(1996, 4, 12),
        birth_date_precision="exact",
        **names,
    )


def test_an_imported_row_notes_the_records_that_may_be_its_person(users, orgs, login, figure):
    mine = _existing(
        users["alice"], orgs["ngo_a"], given_name_lat="Fatima Zahra", family_name_lat="El Amrani"
    )
    elsewhere = _existing(
        users["bob"],
        orgs["ngo_b"],
        given_name_ar="فاطمة الزهراء",
        family_name_ar="العمراني",
        given_name_lat="",
        family_name_lat="",
    )
    data = workbook(
        [
            ["C-1", f"{YEAR}-03-01", "Fatimazahra", "Amrani", "female", "1996-04-12"],
            ["C-2", f"{YEAR}-03-02", "Youssef", "Kane", "male", "1980-01-05"],
        ]
    )
    run, _result = services.check_upload(
        data, "casework.xlsx", user=users["alice"], organisation=orgs["ngo_a"], register="casework"
    )
    assert run.notices == [
        {"sheet": "dossiers", "row": 2, "subject": "person", "visible": [mine.pk], "hidden": True}
    ]
    html = login(users["alice"]).get(reverse("exchange:run", args=[run.pk])).content.decode()
    assert f"/people/{mine.pk}/" in html
    assert "A possible match is recorded by another organisation." in html
    leaked = [
        s
        for s in (
            "العمراني",
            f"#{elsewhere.pk}<",
            f"/people/{elsewhere.pk}/",
            orgs["ngo_b"].name_fr,
        )
        if s in html
    ]
    assert leaked == []
    figure(f"S4 linkage imports: 0 of 4 references to another organisation's record ({leaked})")
