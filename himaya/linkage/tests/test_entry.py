"""Candidates at entry: what a caseworker sees when she records a person who may already be
recorded, and what she never sees of another organisation's record."""

import datetime
import re

import pytest

from himaya.audit.models import AccessEvent, AuditEvent
from himaya.linkage.models import CandidatePair, EntryCheck, PairSource
from himaya.people.models import Person
from himaya.testing import factories as f

pytestmark = pytest.mark.django_db

ZEYANI_AR = {"given_name_ar": "محمد", "family_name_ar": "الزياني"}


def _existing(user, org, **names):
    fields = {"given_name_lat": "", "family_name_lat": "", **names}
    return f.person(
        user,
        org,
        birth_date=datetime.date(1990, 1, 1),
        birth_date_precision="year",
        sex=f.code("sex", "male"),
        **fields,
    )


def _form(org, **extra):
    data = {
        "given_name_lat": "Mohammed",
        "family_name_lat": "Zeyani",
        "sex": f.code("sex", "male").pk,
        "birth_date_precision": "year",
        "birth_year": "1990",
        "organisation": org.pk,
    }
    data.update(extra)
    return data


def test_a_visible_record_is_shown_with_why_it_matched(users, orgs, login):
    existing = _existing(users["alice"], orgs["ngo_a"], **ZEYANI_AR)
    client = login(users["alice"])
    response = client.post("/people/new/", _form(orgs["ngo_a"]))
    assert response.status_code == 409
    html = response.content.decode()
    assert f"/people/{existing.pk}/" in html
    assert "محمد" in html and "الزياني" in html
    assert "names match across scripts" in html
    assert "same birth year" in html
    assert Person.objects.count() == 1  # nothing saved before the user decides


def test_saving_anyway_keeps_the_decision(users, orgs, login):
    _existing(users["alice"], orgs["ngo_a"], **ZEYANI_AR)
    client = login(users["alice"])
    first = client.post("/people/new/", _form(orgs["ngo_a"]))
    token = re.search(r'name="entry_confirmed" value="([0-9a-f]+)"', first.content.decode())
    response = client.post("/people/new/", _form(orgs["ngo_a"], entry_confirmed=token.group(1)))
    assert response.status_code == 302
    assert Person.objects.count() == 2
    check = EntryCheck.objects.get()
    assert (check.visible_candidates, check.hidden_candidates) == (1, 0)
    assert check.outcome == EntryCheck.Outcome.SAVED_NEW


def test_changing_the_name_after_the_check_checks_again(users, orgs, login):
    _existing(users["alice"], orgs["ngo_a"], **ZEYANI_AR)
    client = login(users["alice"])
    first = client.post("/people/new/", _form(orgs["ngo_a"], given_name_lat="Ahmed"))
    assert first.status_code == 302  # no candidate for Ahmed Zeyani born 1990? then saved
    client.post("/people/new/", _form(orgs["ngo_a"]))
    token = "0" * 32
    again = client.post("/people/new/", _form(orgs["ngo_a"], entry_confirmed=token))
    assert again.status_code == 409


def test_another_organisations_record_is_only_a_notice(users, orgs, login, figure):
    """S4 extended: the notice carries no name, organisation, dossier or id of the record."""
    hidden = _existing(users["bob"], orgs["ngo_b"], **ZEYANI_AR)
    dossier = f.dossier(users["bob"], orgs["ngo_b"], hidden)
    client = login(users["alice"])
    response = client.post("/people/new/", _form(orgs["ngo_a"]))
    assert response.status_code == 409
    html = response.content.decode()
    assert "A possible match is recorded by another organisation." in html
    leaks = [
        needle
        for needle in (
            "محمد",
            "الزياني",
            orgs["ngo_b"].name_fr,
            orgs["ngo_b"].name_ar,
            dossier.reference,
            f"/people/{hidden.pk}/",
            f"/dossiers/{dossier.pk}/",
        )
        if needle in html
    ]
    assert leaks == []
    # the probe itself is in the audit trail: who learnt that a match exists, and which
    assert list(
        AccessEvent.objects.filter(purpose="linkage:hidden match").values_list(
            "person_id", "actor_username"
        )
    ) == [(hidden.pk, "alice")]
    figure(
        f"S4 linkage entry: 0 of 7 identity, organisation or dossier references leaked ({leaks})"
    )


def test_sending_the_hidden_match_to_the_desk(users, orgs, login):
    hidden = _existing(users["bob"], orgs["ngo_b"], **ZEYANI_AR)
    client = login(users["alice"])
    first = client.post("/people/new/", _form(orgs["ngo_a"]))
    token = re.search(r'name="entry_confirmed" value="([0-9a-f]+)"', first.content.decode())
    missing_reason = client.post(
        "/people/new/", _form(orgs["ngo_a"], entry_confirmed=token.group(1), send_to_desk="on")
    )
    assert missing_reason.status_code == 400
    assert "Say why the linkage desk should look at this." in missing_reason.content.decode()
    response = client.post(
        "/people/new/",
        _form(
            orgs["ngo_a"],
            entry_confirmed=token.group(1),
            send_to_desk="on",
            desk_reason="Met at the port of Tanger Med; says she was registered in Oujda",
        ),
    )
    assert response.status_code == 302
    pair = CandidatePair.objects.get()
    new = Person.objects.exclude(pk=hidden.pk).get()
    assert (pair.left_person_id, pair.right_person_id) == (hidden.pk, new.pk)
    assert pair.source == PairSource.REQUEST
    assert pair.requested_by_org == orgs["ngo_a"]
    assert EntryCheck.objects.get().outcome == EntryCheck.Outcome.SENT
    assert AuditEvent.objects.filter(action="linkage_entry_decision").count() == 1


def test_a_namesake_born_years_apart_is_not_a_candidate(users, orgs, login):
    _existing(users["alice"], orgs["ngo_a"], **ZEYANI_AR)
    client = login(users["alice"])
    response = client.post(
        "/people/new/", _form(orgs["ngo_a"], given_name_lat="Youssef", birth_year="1971")
    )
    assert response.status_code == 302


def test_editing_a_name_checks_against_others_not_itself(users, orgs, login):
    mine = _existing(
        users["alice"], orgs["ngo_a"], given_name_lat="Ahmed", family_name_lat="Zeyani"
    )
    _existing(users["alice"], orgs["ngo_a"], **ZEYANI_AR)
    client = login(users["alice"])
    data = _form(orgs["ngo_a"], version=mine.version, given_name_lat="Ahmed")
    same = client.post(f"/people/{mine.pk}/edit/", data)
    assert same.status_code == 302  # nothing changed that the check reads
    mine.refresh_from_db()
    data = _form(orgs["ngo_a"], version=mine.version)
    changed = client.post(f"/people/{mine.pk}/edit/", data)
    assert changed.status_code == 409
    assert f'/people/{mine.pk}/"' not in changed.content.decode().split("entry-candidates")[1]


@pytest.mark.parametrize(
    "names",
    [
        {"given_name_lat": "x"},
        {"given_name_lat": "A" * 100},
        {"given_name_ar": "م", "family_name_lat": "Z"},
        {"given_name_lat": "Mohammed", "family_name_lat": "محمد"},
    ],
)
def test_odd_names_get_a_message_or_a_record_never_a_500(users, orgs, login, names):
    _existing(users["alice"], orgs["ngo_a"], **ZEYANI_AR)
    client = login(users["alice"])
    data = _form(orgs["ngo_a"], given_name_lat="", family_name_lat="")
    data.update(names)
    response = client.post("/people/new/", data)
    assert response.status_code in (302, 400, 409)


def test_the_hotline_opening_a_dossier_is_checked_too(users, orgs, login):
    from django.urls import reverse

    from himaya.hotline.tests.conftest import make_report

    report = make_report(users["harry"], orgs["hotline"], forms=("domestic_servitude",))
    hidden = _existing(users["bob"], orgs["ngo_b"], **ZEYANI_AR)
    client = login(users["harry"])
    url = reverse("hotline:triage", args=[report.pk])
    data = {
        "kind": "dossier",
        "dossier-version": report.version,
        "dossier-given_name_lat": "Mohammed",
        "dossier-family_name_lat": "Zeyani",
        "dossier-sex": f.code("sex", "male").pk,
    }
    first = client.post(url, data)
    assert first.status_code == 409
    html = first.content.decode()
    assert 'data-testid="hidden-match"' in html and "الزياني" not in html
    token = re.search(r'name="dossier-entry_confirmed" value="([0-9a-f]+)"', html).group(1)
    saved = client.post(
        url,
        {
            **data,
            "dossier-entry_confirmed": token,
            "dossier-send_to_desk": "on",
            "dossier-desk_reason": "Caller says he was registered in Oujda",
        },
    )
    assert saved.status_code == 302
    pair = CandidatePair.objects.get()
    assert pair.left_person_id == hidden.pk and pair.requested_by_org == orgs["hotline"]


def test_a_screening_opening_a_dossier_is_checked_too(users, orgs, login):
    from django.urls import reverse

    from himaya.screening.tests.helpers import submitted

    screening = submitted(users["carol"], orgs["police"])
    visible = _existing(users["carol"], orgs["police"], **ZEYANI_AR)
    client = login(users["carol"])
    url = reverse("screening:open_dossier", args=[screening.pk])
    data = {"given_name_lat": "Mohammed", "family_name_lat": "Zeyani"}
    first = client.post(url, data)
    assert first.status_code == 409
    assert f"/people/{visible.pk}/" in first.content.decode()
    token = re.search(r'name="entry_confirmed" value="([0-9a-f]+)"', first.content.decode())
    saved = client.post(url, {**data, "entry_confirmed": token.group(1)})
    assert saved.status_code == 302
    assert EntryCheck.objects.get().visible_candidates == 1


def test_the_api_answers_409_with_what_the_caller_may_see(users, orgs, login, figure):
    from rest_framework.test import APIClient

    hidden = _existing(users["bob"], orgs["ngo_b"], **ZEYANI_AR)
    visible = _existing(
        users["alice"], orgs["ngo_a"], given_name_lat="Mohamed", family_name_lat="Ezzyani"
    )
    api = APIClient()
    api.force_authenticate(users["alice"])
    body = {
        "given_name_lat": "Mohammed",
        "family_name_lat": "Zeyani",
        "sex": "male",
        "birth_date": "1990-01-01",
        "birth_date_precision": "year",
        "organisation": orgs["ngo_a"].pk,
    }
    first = api.post("/api/persons/", body, format="json")
    assert first.status_code == 409
    payload = first.json()
    assert payload["code"] == "possible_duplicate"
    assert payload["candidates"] == [visible.pk] and payload["hidden_match"] is True
    text = first.content.decode()
    assert str(hidden.pk) not in payload["candidates"] and "الزياني" not in text
    saved = api.post("/api/persons/", {**body, "confirm_new": True}, format="json")
    assert saved.status_code == 201
    assert EntryCheck.objects.get().hidden_candidates == 1
    figure("S4 linkage API: a 409 lists the caller's own candidates only, 0 references to others")


def test_the_entry_check_runs_the_same_queries_for_2_or_12_candidates(users, orgs):
    """No query per candidate (an N+1 here once read every candidate's contacts)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from himaya.linkage import candidates
    from himaya.linkage.features import make_record

    probe = make_record(
        given_lat="Mohammed",
        family_lat="Zeyani",
        sex="male",
        birth_date=datetime.date(1990, 1, 1),
        precision="year",
    )
    counts = []
    for total in (2, 12):
        while Person.objects.count() < total:
            _existing(users["alice"], orgs["ngo_a"], **ZEYANI_AR)
        with CaptureQueriesContext(connection) as ctx:
            found = candidates.entry_candidates(users["alice"], "person", probe)
        assert len(found.visible) == total
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_name_counts_follow_the_records(users, orgs):
    """Each name, each name token and each pair of tokens is counted once per record holding
    it; the counts follow a change of name, and a recount from the keys gives the same."""
    from himaya.linkage.features import token_keys
    from himaya.linkage.models import NameFrequency
    from himaya.linkage.records import (
        frequency_digest,
        person_record,
        recount_frequencies,
        token_digest,
    )
    from himaya.people import actions as people_actions

    a = _existing(users["alice"], orgs["ngo_a"], **ZEYANI_AR)
    _existing(users["alice"], orgs["ngo_a"], **ZEYANI_AR)
    before = person_record(a)
    given, family = token_digest("mhmd"), token_digest("zn")
    pair = token_digest("mhmd+zn")

    def counts():
        return dict(NameFrequency.objects.filter(records__gt=0).values_list("digest", "records"))

    assert token_keys(before) == ("mhmd", "zn", "mhmd+zn")
    assert counts() == {frequency_digest(before): 2, given: 2, family: 2, pair: 2}
    people_actions.update_person(
        a, acting_user=users["alice"], expected_version=a.version, given_name_ar="أحمد"
    )
    a.refresh_from_db()
    after = person_record(a)
    assert counts() == {
        frequency_digest(before): 1,
        frequency_digest(after): 1,
        given: 1,
        token_digest("hmd"): 1,
        family: 2,
        pair: 1,
        token_digest("hmd+zn"): 1,
    }
    held = counts()
    recount_frequencies()
    assert counts() == held


def test_the_bounded_look_up_on_postgresql_finds_what_the_orm_finds(users, orgs):
    """On PostgreSQL, a key held by more than COMMON_KEY records is left out unless all are."""
    from django.db import connection

    from himaya.linkage import candidates
    from himaya.linkage.records import person_record

    if connection.vendor != "postgresql":
        pytest.skip("the bounded look-up is PostgreSQL's; SQLite uses the ORM query")
    p = _existing(users["alice"], orgs["ngo_a"], **ZEYANI_AR)
    q = _existing(users["alice"], orgs["ngo_a"], **ZEYANI_AR)
    record = person_record(p)
    found = candidates.find("person", record, exclude=[p.pk], threshold=0.0)
    assert [c.pk for c in found] == [q.pk]


def test_a_model_trained_for_other_levels_is_not_used():
    """A LinkageModel trained before the comparison levels changed would index levels it does
    not have: the shipped parameters are used instead."""
    from himaya.linkage import scoring
    from himaya.linkage.models import LinkageModel

    old = scoring.shipped_parameters()
    old = {**old, "comparisons": {**old["comparisons"], "birth": {"m": [0.5] * 5, "u": [0.2] * 5}}}
    LinkageModel.objects.create(parameters=old, records=1000)
    assert scoring.current_parameters() == scoring.shipped_parameters()
    fitting = {**scoring.shipped_parameters(), "source": "retrained"}
    LinkageModel.objects.create(parameters=fitting, records=1000)
    assert scoring.current_parameters()["source"] == "retrained"


def test_a_name_alone_weighs_by_its_tokens_and_uncounted_tokens_not_at_all(users, orgs):
    """A record with the given name only meets the full record at the "one name inside the
    other" level, weighed by how many records hold its tokens; a register whose keys were
    written before tokens were counted (no count for the stored record's tokens) gets no
    adjustment rather than the weight of the rarest name."""
    import math

    from himaya.linkage import candidates, scoring
    from himaya.linkage.models import NameFrequency
    from himaya.linkage.records import record_from_values, token_digest

    a = _existing(users["alice"], orgs["ngo_a"], **ZEYANI_AR)
    probe = record_from_values(
        {
            "given_name_ar": "محمد",
            "sex": "male",
            "birth_date": datetime.date(1990, 1, 1),
            "birth_date_precision": "year",
        }
    )
    params = scoring.shipped_parameters()
    name = params["comparisons"]["name"]
    plain = math.log2(name["m"][2] / name["u"][2])

    def weight():
        (found,) = candidates.find("person", probe, threshold=0.0, params=params)
        assert found.pk == a.pk and found.score.levels["name"] == 2
        return found.score.partial["name"]

    # one record in a register floored at 1000: the token's share is 1/1000
    assert weight() == pytest.approx(plain + math.log2(name["u"][2] * 1000))
    NameFrequency.objects.filter(digest__in=[token_digest("mhmd"), token_digest("zn")]).delete()
    assert weight() == pytest.approx(plain)
