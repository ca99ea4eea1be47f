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


def test_canary_names_reach_no_log_and_no_url(users, orgs, login, caplog, figure):
    caplog.set_level(logging.DEBUG)
    alice = users["alice"]
    client = login(alice)
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
    assert CANARY_AR[0] in listing.content.decode()  # found, through a token in the URL
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
    assert opened.status_code == 302

    logs = caplog.text
    canaries = CANARY_LAT + CANARY_AR
    log_hits = [c for c in canaries if c in logs]
    url_hits = [u for u in urls if any(c in u for c in canaries)]
    figure(
        f"S16: {len(urls)} URLs and {len(caplog.records)} log records after a full flow "
        f"→ {len(log_hits)} canary hits in logs, {len(url_hits)} in URLs"
    )
    assert log_hits == [] and url_hits == []


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
    ids = {"people": person.pk, "cases": dossier.pk}
    client = login(users[intruder])

    def snapshot():
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

    before = snapshot()
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
    # Creating a dossier for someone else's person is refused too.
    tried += 1
    if client.get(reverse("cases:create") + f"?person={person.pk}").status_code != 404:
        opened.append(("get", "cases:create", "not 404"))
    figure(
        f"S3: {intruder}: {len(opened)} of {tried} requests on another organisation's "
        "person and dossier pages did not answer 404 (or 405); database unchanged: "
        f"{snapshot() == before}"
    )
    assert opened == [] and snapshot() == before
