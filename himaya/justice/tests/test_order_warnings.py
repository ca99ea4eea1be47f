"""Registers as clerks keep them (issue 16), on the live pages: the order of dates an import lists
as a warning for the clerk (an arrest in flagrante, a suspect named in a complaint, a
prosecution seized directly: before the investigation's recorded opening; an opening moved
after an event) is asked on the page and through the API, and recorded once confirmed. Each
action is driven down every path with the same date: the page without the box (the warning,
nothing written), the page with it (written, audited), the import (a warning, written once
confirmed) and the API (400 with the warning, then 201/200 with ``confirm_order``). What
cannot be stays an error with no box. And the count of a charge on the page."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from himaya.audit.models import AuditEvent
from himaya.exchange import services
from himaya.exchange.models import ImportRun
from himaya.justice import actions as ja
from himaya.justice import models as jm
from himaya.testing import factories as f
from himaya.testing.clock import freeze_localdate

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 30)
OPENING = datetime.date(2024, 1, 12)
BEFORE = datetime.date(2024, 1, 10)  # the same out-of-order date down every path
BOX = 'type="checkbox" name="confirm_order"'
JUSTICE = (
    jm.Investigation,
    jm.InvestigationSuspect,
    jm.Suspect,
    jm.SuspectEvent,
    jm.Prosecution,
    jm.Charge,
)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """The registers are of 2024; "today" is fixed, so no test depends on the day it runs."""
    return freeze_localdate(monkeypatch, TODAY)


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def written():
    """Every justice row and every audit row: what "nothing written" compares."""
    rows = {m._meta.label: m.objects.count() for m in JUSTICE}
    rows["audit"] = AuditEvent.objects.count()
    return rows


INVESTIGATIONS = ["ref", "opened_on", "region", "forms", "status"]
SUSPECTS = ["ref", "investigation_ref", "given_name_lat", "family_name_lat", "added_on"]


def _import(users, orgs, sheets, *, commit):
    data = {name: [headers, *rows] for name, (headers, rows) in sheets.items()}
    from himaya.exchange.tests.helpers import workbook

    with translation.override("en"):
        if commit:
            return services.run_import(
                workbook(data),
                "register.xlsx",
                user=users["paula"],
                organisation=orgs["parquet"],
                commit=True,
            )[1]
        return services.check_upload(
            workbook(data), "register.xlsx", user=users["paula"], organisation=orgs["parquet"]
        )


@pytest.fixture
def register(users, orgs):
    """Paula's office imports its register: four investigations opened on 12/01/2024 (one for
    each path), each with three suspects named on the opening day."""
    invs = [[f"E-{n}", OPENING.isoformat(), "", "labour", ""] for n in range(1, 5)]
    suspects = [
        [f"S{n}{k}", f"E-{n}", f"Name{n}{k}", f"Family{n}{k}", OPENING.isoformat()]
        for n in range(1, 5)
        for k in range(1, 4)
    ]
    result = _import(
        users,
        orgs,
        {"enquêtes": (INVESTIGATIONS, invs), "suspects": (SUSPECTS, suspects)},
        commit=True,
    )
    assert result.committed, result.errors
    return {n: jm.Investigation.objects.get(external_ref=f"E-{n}") for n in ("1", "2", "3", "4")}


def speaking(client, language):
    client.post(reverse("accounts:set_language"), {"language": language})
    return client


@pytest.fixture
def paula(login, users):
    """Paula, at the prosecution office, reading the pages in English."""
    return speaking(login(users["paula"]), "en")


def suspect(ref):
    return jm.Suspect.objects.get(external_ref=ref)


def warned(page):
    """The warnings the page's box confirms, as the page renders them beside it."""
    found = re.search(r'name="order_warned" value="([^"]*)"', page)
    assert found, "the box comes with the warnings it confirms"
    return found.group(1)


def page_refuses_then_records(client, url, data, *, field, message, audit):
    """The page without the box: the warning beside the date and the box, required, what was
    typed kept, nothing written. With it: written and audited."""
    before = written()
    r = client.post(url, data)
    page = r.content.decode()
    assert r.status_code == 400
    assert message in page and BOX in page
    assert "I confirm this order of dates as the register records it" in page
    box = page[page.index(BOX) :].split(">", 1)[0]
    assert "required" in box
    assert written() == before
    audits = AuditEvent.objects.filter(action=audit).count()
    r = client.post(url, {**data, "confirm_order": "on", "order_warned": warned(page)})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert AuditEvent.objects.filter(action=audit).count() == audits + 1
    return r


def import_warns_then_records(users, orgs, sheets, *, where, message):
    """The import: the same date is a warning in the dry run (nothing written), written when
    the clerk confirms the file."""
    before = written()
    run, result = _import(users, orgs, sheets, commit=False)
    assert result.errors == []
    assert [(w.sheet, w.column, w.message) for w in result.warnings] == [(*where, message)]
    assert run.status == ImportRun.Status.CHECKED
    # the run itself is recorded (and audited as "check_import"); no justice record is
    assert written() == {**before, "audit": before["audit"] + 1}
    assert AuditEvent.objects.latest("pk").action == "check_import"
    with translation.override("en"):
        committed = services.commit_run(run, user=users["paula"], confirm_warnings=True)
    assert committed.committed, committed.errors


def api_refuses_then_records(client, url, payload, *, field, message, method="post"):
    """The API: 400 with the warning beside the date and the question under confirm_order,
    nothing written; then recorded with ``confirm_order``."""
    send = getattr(client, method)
    before = written()
    r = send(url, payload, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400
    body = r.json()
    assert body[field] == [message]
    assert "confirm it if the register records it so" in body["confirm_order"][0]
    assert written() == before
    r = send(
        url,
        {**payload, "confirm_order": True},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.status_code in (200, 201), r.content
    return r.json()


BEFORE_OPENING = "This date is before the opening (2024-01-12)."


def test_a_suspect_named_before_the_opening(paula, users, orgs, register):
    inv = register["1"]
    page_refuses_then_records(
        paula,
        reverse("justice:suspect_add", args=[inv.pk]),
        {
            "given_name_lat": "Youssef",
            "family_name_lat": "Bennani",
            "birth_date_precision": "unknown",
            "added_on": BEFORE.isoformat(),
        },
        field="added_on",
        message=BEFORE_OPENING,
        audit="add_suspect",
    )
    link = inv.suspect_links.latest("pk")  # names are encrypted: the last one added
    assert link.added_on == BEFORE
    import_warns_then_records(
        users,
        orgs,
        {"suspects": (SUSPECTS, [["S-NEW", "E-2", "Omar", "Alaoui", "10/01/2024"]])},
        where=("suspects", "added_on"),
        message=BEFORE_OPENING,
    )
    assert register["2"].suspect_links.get(suspect__external_ref="S-NEW").added_on == BEFORE
    data = api_refuses_then_records(
        paula,
        f"/api/investigations/{register['3'].pk}/suspects/",
        {"given_name_lat": "Rachid", "family_name_lat": "Idrissi", "added_on": "2024-01-10"},
        field="added_on",
        message=BEFORE_OPENING,
    )
    assert register["3"].suspect_links.get(suspect_id=data["id"]).added_on == BEFORE


def test_an_arrest_in_flagrante(paula, users, orgs, register):
    page_refuses_then_records(
        paula,
        reverse("justice:event_add", args=[register["1"].pk]),
        {"suspect": suspect("S11").pk, "kind": "arrest", "on": BEFORE.isoformat()},
        field="on",
        message=BEFORE_OPENING,
        audit="record_arrest",
    )
    assert jm.SuspectEvent.objects.get(suspect=suspect("S11")).on == BEFORE
    events = ["ref", "suspect_ref", "investigation_ref", "événement", "date", "lieu"]
    import_warns_then_records(
        users,
        orgs,
        {"arrestations": (events, [["A1", "S21", "E-2", "arrest", "10/01/2024", "Tanger"]])},
        where=("arrestations", "date"),
        message=BEFORE_OPENING,
    )
    assert jm.SuspectEvent.objects.get(external_ref="A1").on == BEFORE
    data = api_refuses_then_records(
        paula,
        f"/api/investigations/{register['3'].pk}/events/",
        {"suspect": suspect("S31").pk, "kind": "arrest", "on": "2024-01-10"},
        field="on",
        message=BEFORE_OPENING,
    )
    assert data["on"] == "2024-01-10"


def test_a_prosecution_seized_directly(paula, users, orgs, register):
    message = "This date is before the investigation (2024-01-12)."
    page_refuses_then_records(
        paula,
        reverse("justice:prosecution_create", args=[register["1"].pk]),
        {
            "office": orgs["parquet"].pk,
            "suspect": suspect("S11").pk,
            "started_on": BEFORE.isoformat(),
        },
        field="started_on",
        message=message,
        audit="start_prosecution",
    )
    assert jm.Prosecution.objects.get(suspect=suspect("S11")).started_on == BEFORE
    prosecutions = ["ref", "suspect_ref", "investigation_ref", "started_on", "tribunal"]
    import_warns_then_records(
        users,
        orgs,
        {"poursuites": (prosecutions, [["P1", "S21", "E-2", "2024-01-10", ""]])},
        where=("poursuites", "started_on"),
        message=message,
    )
    assert jm.Prosecution.objects.get(external_ref="P1").started_on == BEFORE
    data = api_refuses_then_records(
        paula,
        "/api/prosecutions/",
        {
            "investigation": register["3"].pk,
            "suspect": suspect("S31").pk,
            "office": orgs["parquet"].pk,
            "started_on": "2024-01-10",
        },
        field="started_on",
        message=message,
    )
    assert data["started_on"] == "2024-01-10"


def test_an_opening_moved_after_an_event(paula, users, orgs, register):
    """The other way round: the opening corrected to a day after a recorded arrest."""
    for n in "123":
        ja.record_suspect_event(
            register[n],
            suspect(f"S{n}1"),
            acting_user=users["paula"],
            kind="arrest",
            on=datetime.date(2024, 1, 15),
        )
        register[n].refresh_from_db()
    later = datetime.date(2024, 1, 20)
    message = "An event of this investigation is dated 2024-01-15, before it."
    inv = register["1"]
    page_refuses_then_records(
        paula,
        reverse("justice:edit", args=[inv.pk]),
        {"opened_on": later.isoformat(), "region": inv.region_id, "version": inv.version},
        field="opened_on",
        message=message,
        audit="update_investigation",
    )
    inv.refresh_from_db()
    assert inv.opened_on == later
    import_warns_then_records(
        users,
        orgs,
        {"enquêtes": (INVESTIGATIONS, [["E-2", "20/01/2024", "", "labour", ""]])},
        where=("enquêtes", "opened_on"),
        message=message,
    )
    assert jm.Investigation.objects.get(external_ref="E-2").opened_on == later
    inv = register["3"]
    data = api_refuses_then_records(
        paula,
        f"/api/investigations/{inv.pk}/",
        {"opened_on": "2024-01-20", "version": inv.version},
        field="opened_on",
        message=message,
        method="patch",
    )
    assert data["opened_on"] == "2024-01-20"


def test_what_cannot_be_stays_an_error_without_a_box(paula, register):
    before = written()
    url = reverse("justice:event_add", args=[register["1"].pk])
    future = {"suspect": suspect("S11").pk, "kind": "arrest", "on": "2025-07-01"}
    for data in (future, {**future, "confirm_order": "on"}):
        r = paula.post(url, data)
        page = r.content.decode()
        assert r.status_code == 400 and "future" in page
        assert "This date is before" not in page
    # a release before any arrest: refused whatever the box says
    release = {"suspect": suspect("S11").pk, "kind": "release", "on": "2024-01-10"}
    r = paula.post(url, {**release, "confirm_order": "on"})
    assert r.status_code == 400
    assert "A release follows an arrest or a detention" in r.content.decode()
    # through the API as well: confirm_order confirms an order, never a date to come
    r = paula.post(
        f"/api/investigations/{register['1'].pk}/events/",
        {"suspect": suspect("S11").pk, "kind": "arrest", "on": "2025-07-01", "confirm_order": True},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.status_code == 400 and "confirm_order" not in r.json()
    assert written() == before


def test_an_error_and_the_warning_are_told_together(paula, register):
    """Another error of the input is shown with the warning, so the user fixes both at once."""
    url = reverse("justice:event_add", args=[register["1"].pk])
    before = written()
    r = paula.post(url, {"suspect": suspect("S11").pk, "kind": "release", "on": BEFORE.isoformat()})
    page = r.content.decode()
    assert r.status_code == 400
    assert "A release follows an arrest or a detention" in page
    assert BEFORE_OPENING in page and BOX in page
    assert written() == before


@pytest.fixture
def prosecution(users, orgs, register):
    """Paula's office prosecutes a suspect of E-4, through the action."""
    return ja.start_prosecution(
        register["4"],
        suspect("S41"),
        acting_user=users["paula"],
        office=orgs["parquet"],
        started_on=OPENING,
    )


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_the_pages_render_in_arabic_and_french(login, users, register, prosecution, language):
    """The warning and the box, and the charge form with its count, right to left in Arabic."""
    client = speaking(login(users["paula"]), language)
    url = reverse("justice:event_add", args=[register["1"].pk])
    data = {"suspect": suspect("S11").pk, "kind": "arrest", "on": BEFORE.isoformat()}
    for r, box in (
        (client.post(url, data), True),
        (client.get(reverse("justice:charge_add", args=[prosecution.pk])), False),
        (client.get(reverse("justice:prosecution", args=[prosecution.pk])), False),
    ):
        page = r.content.decode()
        assert r.status_code in (200, 400)
        assert (BOX in page) is box
        assert f'lang="{language}"' in page
        assert ('dir="rtl"' in page) is (language == "ar")
    assert (
        'name="count"'
        in client.get(reverse("justice:charge_add", args=[prosecution.pk])).content.decode()
    )


def test_two_counts_of_one_article_and_form_on_the_page(paula, prosecution):
    url = reverse("justice:charge_add", args=[prosecution.pk])
    labour = f.code("exploitation_form", "labour").pk
    assert paula.post(url, {"article": "448.1", "form": labour}).status_code == 302
    before = written()
    # The same article and form again, count 1: refused, saying which number is free.
    r = paula.post(url, {"article": "448.1", "form": labour, "count": "1"})
    page = r.content.decode()
    assert r.status_code == 400
    assert (
        "This prosecution already has a charge of this article and form with count number 1. "
        "A count for another victim takes its own count number (2 is free)."
    ) in page
    assert 'name="count" value="1"' in page  # what was typed is kept
    assert written() == before
    # The second victim's count: recorded, audited with its number, shown on the page.
    r = paula.post(url, {"article": "448.1", "form": labour, "count": "2"})
    assert r.status_code == 302
    counts = prosecution.charges.order_by("count").values_list("count", flat=True)
    assert list(counts) == [1, 2]
    audit = AuditEvent.objects.filter(action="add_charge").latest("pk")
    assert audit.changed_fields == ["article", "count", "form"]
    page = paula.get(reverse("justice:prosecution", args=[prosecution.pk])).content.decode()
    assert page.count('data-testid="charge-row"') == 2
    assert page.count('data-testid="charge-count"') == 1
    # A count out of range is a form error, not a 500.
    r = paula.post(url, {"article": "448.1", "form": labour, "count": "0"})
    assert r.status_code == 400 and prosecution.charges.count() == 2
    # The decision form tells the two counts apart.
    page = paula.get(reverse("justice:decision_add", args=[prosecution.pk])).content.decode()
    assert "count number 2" in page


def test_two_counts_through_the_api(paula, prosecution):
    url = f"/api/prosecutions/{prosecution.pk}/charges/"
    first = {"article": "448.1", "form": "labour"}
    assert paula.post(url, first, content_type="application/json").json()["count"] == 1
    r = paula.post(
        url, first, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )  # count 1 again
    assert r.status_code == 400 and "(2 is free)" in r.json()["article"][0]
    r = paula.post(url, {**first, "count": 2}, content_type="application/json")
    assert r.status_code == 201 and r.json()["count"] == 2
    r = paula.post(url, {**first, "count": 0}, content_type="application/json")
    assert r.status_code == 400 and "count" in r.json()
    assert sorted(prosecution.charges.values_list("count", flat=True)) == [1, 2]
