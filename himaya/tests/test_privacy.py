"""No personal data in logs, URLs or error reports (S16), and no cross-organisation access
through any page that takes an id (S3)."""

import logging

import pytest
from django.db import connection
from django.urls import resolve, reverse

from himaya.cases.models import Dossier
from himaya.people.models import Person
from himaya.testing import factories as f
from himaya.testing.routes import all_routes

CANARY_LAT = ("Xylophia", "Quenneville")
CANARY_AR = ("زمردينة", "القنطوري")


@pytest.fixture
def canary_flow(users, orgs, login, caplog):
    """Alice registers a person with canary names (after a form error), finds them by name in
    Latin and Arabic script, opens a dossier, writes a note naming them and reads it; Bob tries
    the person's page. Returns every URL asked or redirected to, and the answers checked."""
    caplog.set_level(logging.DEBUG)
    client = login(users["alice"])
    urls = []

    def follow(response):
        urls.append(response.request["PATH_INFO"] + "?" + response.request.get("QUERY_STRING", ""))
        if response.has_header("Location"):
            urls.append(response["Location"])
        return response

    org = orgs["ngo_a"].pk
    person_form = {
        "given_name_ar": CANARY_AR[0],
        "family_name_ar": CANARY_AR[1],
        "given_name_lat": CANARY_LAT[0],
        "family_name_lat": CANARY_LAT[1],
        "birth_date_precision": "unknown",
        "organisation": org,
    }
    # A form with an error first (Latin in the Arabic field): the error names no one.
    follow(client.post(reverse("people:create"), {**person_form, "given_name_ar": "Xylophia"}))
    created = follow(client.post(reverse("people:create"), person_form))
    person = Person.objects.get(pk=created["Location"].rstrip("/").rsplit("/", 1)[-1])
    follow(client.get(created["Location"]))
    searched = follow(client.post(reverse("people:list"), {"q": CANARY_LAT[0]}))
    listing = follow(client.get(searched["Location"]))
    searched_ar = follow(client.post(reverse("cases:list"), {"q": CANARY_AR[0]}))
    follow(client.get(searched_ar["Location"]))
    opened = follow(
        client.post(
            reverse("cases:create") + f"?person={person.pk}",
            {"organisation": org, "opened_on": "2025-01-10", "forms": []},
        )
    )
    dossier = Dossier.objects.get(person=person)
    follow(
        client.post(
            reverse("cases:note_add", args=[dossier.pk]), {"text": f"{CANARY_LAT[0]} a appelé"}
        )
    )
    follow(client.get(reverse("cases:detail", args=[dossier.pk])))
    # Someone else trying the same pages: denied, logged without names.
    follow(login(users["bob"]).get(reverse("people:detail", args=[person.pk])))
    # What the flow logged, read here: caplog starts afresh for the test's own phase.
    return {
        "urls": urls,
        "listing": listing,
        "opened": opened,
        "logs": caplog.text,
        "log_records": len(caplog.records),
    }


def test_a_search_by_name_finds_the_person_through_a_token_in_the_url(canary_flow):
    assert CANARY_AR[0] in canary_flow["listing"].content.decode()


def test_the_flow_opens_a_dossier_for_the_person(canary_flow):
    assert canary_flow["opened"].status_code == 302


def test_canary_names_reach_no_log_and_no_url(canary_flow, figure):
    urls = canary_flow["urls"]
    logs = canary_flow["logs"]
    canaries = CANARY_LAT + CANARY_AR
    log_hits = [c for c in canaries if c in logs]
    url_hits = [u for u in urls if any(c in u for c in canaries)]
    figure(
        f"S16: {len(urls)} URLs and {canary_flow['log_records']} log records after a full flow "
        f"→ {len(log_hits)} canary hits in logs, {len(url_hits)} in URLs"
    )
    assert log_hits == [] and url_hits == []


def _table_counts_and_version(dossier):
    """Rows in the person and dossier tables, and the dossier's version."""
    with connection.cursor() as cursor:
        counts = []
        for table in (
            "people_person",
            "cases_dossier",
            "cases_stageevent",
            "cases_dossiernote",
            "people_consent",
            "people_identitydocument",
        ):
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
            counts.append(cursor.fetchone()[0])
    return counts, Dossier.objects.get(pk=dossier.pk).version


def _pages_not_refused(client, intruder, ids, consent):
    """Every person and dossier page that takes an id, by GET and POST: how many were tried and
    those that did not answer 404 (or 405)."""
    tried, opened = 0, []
    for name, _path in all_routes():
        app = name.split(":")[0]
        if app not in ids or name.endswith((":list", ":create")):
            continue
        # The route's own sample arguments (a proposal's kind...), with the records' ids.
        kwargs = {**resolve(_path).kwargs, "pk": ids[app]}
        if "consent_pk" in kwargs or name.endswith("consent_withdraw"):
            kwargs["consent_pk"] = consent.pk
        url = reverse(name, kwargs=kwargs)
        for method in ("get", "post"):
            tried += 1
            status = getattr(client, method)(url).status_code
            analyst_may_read = intruder == "ana" and name == "cases:detail" and method == "get"
            # 405 (a POST-only page asked with GET) comes before any lookup: it tells nothing.
            if status not in (404, 405) and not analyst_may_read:
                opened.append((method, url, status))
    return tried, opened


@pytest.mark.parametrize("intruder", ["bob", "carol", "ana", "olivia", "root", "charlie"])
def test_no_page_opens_another_organisations_records(users, orgs, login, intruder, figure):
    alice = users["alice"]
    dossier = f.dossier(alice, orgs["ngo_a"])
    person = dossier.person
    consent = f.people_actions.record_consent(
        person,
        acting_user=alice,
        organisation=orgs["ngo_a"],
        purpose="services",
        given_on=dossier.opened_on,
        given_by="person",
    )
    client = login(users[intruder])
    before = _table_counts_and_version(dossier)
    ids = {"people": person.pk, "cases": dossier.pk}
    tried, opened = _pages_not_refused(client, intruder, ids, consent)
    # Creating a dossier for someone else's person is refused too.
    tried += 1
    if client.get(reverse("cases:create") + f"?person={person.pk}").status_code != 404:
        opened.append(("get", "cases:create", "not 404"))
    after = _table_counts_and_version(dossier)
    figure(
        f"S3: {intruder}: {len(opened)} of {tried} requests on another organisation's "
        "person and dossier pages did not answer 404 (or 405); database unchanged: "
        f"{after == before}"
    )
    assert opened == [] and after == before
