"""Justice pages: the flow through the forms, form errors instead of 500s, and the outsider
case (404, database unchanged) on every page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from himaya.justice import actions as ja
from himaya.justice.models import (
    CourtDecision,
    Investigation,
    Prosecution,
    Sentence,
    Suspect,
    SuspectEvent,
)
from himaya.testing import factories as f

from .conftest import days_ago


def counts():
    return [
        m.objects.count()
        for m in (Investigation, Suspect, SuspectEvent, Prosecution, CourtDecision, Sentence)
    ]


SUSPECT_FORM = {
    "given_name_lat": "Hassan",
    "family_name_lat": "Tazi",
    "birth_date_precision": "unknown",
    "public_official": "on",
    "official_body": "Douane",
}


@pytest.fixture
def opened(login, users, orgs):
    """Carol, with a dossier of her own, opens an investigation through the form."""
    carol = login(users["carol"])
    dossier = f.dossier(users["carol"], orgs["police"])
    r = carol.post(
        reverse("justice:create"),
        {
            "organisation": orgs["police"].pk,
            "opened_on": days_ago(10).isoformat(),
            "forms": [f.code("exploitation_form", "labour").pk],
        },
    )
    return {"carol": carol, "dossier": dossier, "response": r}


@pytest.fixture
def with_suspect(opened):
    """... links her dossier to it by reference and adds a suspect through the form."""
    carol, inv = opened["carol"], Investigation.objects.get()
    carol.post(reverse("justice:link_dossier", args=[inv.pk]), {"reference": "HMY-0000"})
    linked = carol.post(
        reverse("justice:link_dossier", args=[inv.pk]), {"reference": opened["dossier"].reference}
    )
    added = carol.post(
        reverse("justice:suspect_add", args=[inv.pk]),
        {**SUSPECT_FORM, "added_on": days_ago(9).isoformat()},
    )
    return {**opened, "inv": inv, "linked": linked, "added": added}


@pytest.fixture
def second_investigation(users, orgs):
    return ja.open_investigation(
        acting_user=users["carol"],
        organisation=orgs["police"],
        opened_on=days_ago(5),
    )


def test_investigator_opens_an_investigation_through_the_form(opened):
    assert opened["response"].status_code == 302
    assert Investigation.objects.count() == 1


def test_an_unknown_dossier_reference_is_a_form_error(opened):
    inv = Investigation.objects.get()
    r = opened["carol"].post(
        reverse("justice:link_dossier", args=[inv.pk]), {"reference": "HMY-0000"}
    )
    assert r.status_code == 400 and "No dossier" in r.content.decode()


def test_investigator_links_a_dossier_and_adds_a_suspect(with_suspect):
    assert with_suspect["linked"].status_code == 302
    assert with_suspect["added"].status_code == 302


def test_the_same_name_in_another_investigation_raises_the_duplicate_hint(
    with_suspect, second_investigation
):
    r = with_suspect["carol"].post(
        reverse("justice:suspect_add", args=[second_investigation.pk]),
        {**SUSPECT_FORM, "added_on": days_ago(1).isoformat()},
    )
    assert r.status_code == 409 and 'data-testid="duplicate-hint"' in r.content.decode()


def test_choosing_the_existing_suspect_adds_no_second_one(with_suspect, second_investigation):
    # the hint's button submits the form: the typed identity and date come with the choice
    r = with_suspect["carol"].post(
        reverse("justice:suspect_add", args=[second_investigation.pk]),
        {**SUSPECT_FORM, "added_on": days_ago(1).isoformat(), "existing": Suspect.objects.get().pk},
    )
    assert r.status_code == 302 and Suspect.objects.count() == 1
    assert second_investigation.suspect_links.get().added_on == days_ago(1)


def test_an_arrest_in_the_future_is_a_form_error(with_suspect):
    r = with_suspect["carol"].post(
        reverse("justice:event_add", args=[with_suspect["inv"].pk]),
        {
            "suspect": Suspect.objects.get().pk,
            "kind": "arrest",
            "on": "2999-01-01",
            "place": "Tanger",
        },
    )
    assert r.status_code == 400 and "future" in r.content.decode()


def test_the_page_shows_the_suspect_arrested_and_the_dossier(with_suspect):
    carol, inv = with_suspect["carol"], with_suspect["inv"]
    r = carol.post(
        reverse("justice:event_add", args=[inv.pk]),
        {
            "suspect": Suspect.objects.get().pk,
            "kind": "arrest",
            "on": days_ago(8).isoformat(),
            "place": "Tanger",
        },
    )
    assert r.status_code == 302
    page = carol.get(reverse("justice:detail", args=[inv.pk])).content.decode()
    assert "Hassan" in page and "Douane" in page and with_suspect["dossier"].reference in page


def test_bad_input_is_a_form_error(login, users, orgs, case):
    paula = login(users["paula"])
    p = case["p1"]
    for url, data in (
        (reverse("justice:charge_add", args=[p.pk]), {"article": "nope", "form": "x"}),
        (
            reverse("justice:decision_add", args=[p.pk]),
            {"charge": "abc", "outcome": "x", "decided_on": "31/31/2020"},
        ),
        (reverse("justice:sentence_add", args=[p.pk]), {"prison_months": "-3"}),
        (reverse("justice:prosecution_create", args=[case["inv"].pk]), {"started_on": "yesterday"}),
    ):
        before = counts()
        r = paula.post(url, data)
        assert r.status_code == 400, url
        assert counts() == before


def test_prosecutor_decides_and_sentences(login, users, orgs, case):
    paula = login(users["paula"])
    p1, p2 = case["p1"], case["p2"]
    r = paula.post(
        reverse("justice:decision_add", args=[p1.pk]),
        {
            "charge": case["c1"].pk,
            "outcome": "convicted",
            "decided_on": days_ago(2).isoformat(),
            "instance": "first",
        },
    )
    assert r.status_code == 302
    r = paula.post(
        reverse("justice:sentence_add", args=[p1.pk]),
        {
            "decision": CourtDecision.objects.get().pk,
            "prison_months": "60",
            "suspended_months": "0",
            "fine_mad": "10000",
        },
    )
    assert r.status_code == 302
    r = paula.post(
        reverse("justice:decision_add", args=[p2.pk]),
        {
            "charge": case["c2"].pk,
            "outcome": "acquitted",
            "decided_on": days_ago(2).isoformat(),
            "instance": "first",
        },
    )
    assert r.status_code == 302
    page = paula.get(reverse("justice:prosecution", args=[p1.pk])).content.decode()
    assert 'data-testid="sentence"' in page


@pytest.mark.parametrize("name", ["charlie", "alice", "sam", "ana", "harry", "ivy", "bob"])
def test_outsiders_get_404_and_change_nothing(login, users, orgs, case, name):
    client = login(users[name])
    inv, p = case["inv"], case["p1"]
    before = counts()
    gets = [
        reverse("justice:list"),
        reverse("justice:detail", args=[inv.pk]),
        reverse("justice:edit", args=[inv.pk]),
        reverse("justice:prosecution", args=[p.pk]),
        reverse("justice:stalled"),
        reverse("justice:suspect_add", args=[inv.pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [
        (
            reverse("justice:create"),
            {"organisation": orgs["police"].pk, "opened_on": days_ago(1).isoformat()},
        ),
        (
            reverse("justice:suspect_add", args=[inv.pk]),
            {
                "given_name_lat": "X",
                "birth_date_precision": "unknown",
                "added_on": days_ago(1).isoformat(),
            },
        ),
        (
            reverse("justice:event_add", args=[inv.pk]),
            {"suspect": case["other"].pk, "kind": "arrest", "on": days_ago(1).isoformat()},
        ),
        (
            reverse("justice:charge_add", args=[p.pk]),
            {"article": "448.2", "form": f.code("exploitation_form", "labour").pk},
        ),
        (
            reverse("justice:decision_add", args=[p.pk]),
            {
                "charge": case["c1"].pk,
                "outcome": "convicted",
                "decided_on": days_ago(1).isoformat(),
                "instance": "first",
            },
        ),
        (
            reverse("justice:transfer", args=[inv.pk]),
            {"office": orgs["parquet"].pk, "on": days_ago(1).isoformat()},
        ),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert counts() == before


def test_a_court_sees_its_prosecutions_but_not_other_suspects(login, users, orgs, case):
    cole = login(users["cole"])
    # The court decides; charges are the office's.
    assert cole.get(reverse("justice:prosecution", args=[case["p1"].pk])).status_code == 200
    assert cole.get(reverse("justice:charge_add", args=[case["p1"].pk])).status_code == 404
    r = cole.post(
        reverse("justice:decision_add", args=[case["p1"].pk]),
        {
            "charge": case["c1"].pk,
            "outcome": "acquitted",
            "decided_on": days_ago(1).isoformat(),
            "instance": "first",
        },
    )
    assert r.status_code == 302


def test_stalled_list_and_home_panel(login, users, orgs, settings):
    from himaya.justice import actions as ja
    from himaya.justice.home import home_context

    old = timezone.localdate() - datetime.timedelta(days=400)
    inv = ja.open_investigation(
        acting_user=users["carol"], organisation=orgs["police"], opened_on=old
    )
    page = login(users["carol"]).get(reverse("justice:stalled")).content.decode()
    assert inv.reference in page and 'data-testid="stalled-age"' in page
    ctx = home_context(users["carol"])
    assert ctx["justice_stalled_count"] == 1 and ctx["justice_stalled"][0].idle_days == 400
    assert home_context(users["alice"]) == {}
    assert home_context(users["paula"])["justice_stalled_count"] == 0


def test_oversight_for_commission_analysts_without_names(login, users, case):
    page = login(users["ana"]).get(reverse("justice:oversight"))
    assert page.status_code == 200
    text = page.content.decode()
    assert case["inv"].reference in text and "Commune urbaine" in text
    assert "Karim" not in text and "Official" not in text and "سعيد" not in text
    # the kind of body in the reader's language, the body as typed
    for lang, kind in (("ar", "السلطة المحلية أو الجماعة"), ("fr", "autorité locale ou commune")):
        users["ana"].preferred_language = lang
        users["ana"].save(update_fields=["preferred_language"])
        text = login(users["ana"]).get(reverse("justice:oversight")).content.decode()
        assert f"{kind} · Commune urbaine" in text, lang
        # and on the prosecution's page, to the prosecutor
        users["paula"].preferred_language = lang
        users["paula"].save(update_fields=["preferred_language"])
        page = login(users["paula"]).get(reverse("justice:prosecution", args=[case["p1"].pk]))
        assert f"{kind} · Commune urbaine" in page.content.decode(), lang
    for name in ("carol", "paula", "alice"):
        assert login(users[name]).get(reverse("justice:oversight")).status_code == 404


def test_figures_page_scoped(login, users, case):
    assert login(users["ana"]).get(reverse("justice:figures")).status_code == 200
    assert login(users["carol"]).get(reverse("justice:figures") + "?year=abc").status_code == 200
    assert login(users["alice"]).get(reverse("justice:figures")).status_code == 404


def test_charge_added_through_the_form(login, users, case):
    paula = login(users["paula"])
    r = paula.post(
        reverse("justice:charge_add", args=[case["p1"].pk]),
        {"article": "448.2", "form": f.code("exploitation_form", "begging").pk},
    )
    assert r.status_code == 302
    assert case["p1"].charges.count() == 2


def test_edit_conflict_and_suspect_edit(login, users, orgs, case):
    carol = login(users["carol"])
    inv = case["inv"]
    url = reverse("justice:edit", args=[inv.pk])
    data = {"opened_on": days_ago(100).isoformat(), "region": "", "version": inv.version}
    assert carol.post(url, data).status_code == 302
    # The same stale version again: a conflict shown on the form, nothing saved.
    data["opened_on"] = days_ago(99).isoformat()
    assert carol.post(url, data).status_code == 409
    inv.refresh_from_db()
    assert inv.opened_on == days_ago(100)
    s = case["other"]
    url = reverse("justice:suspect_edit", args=[inv.pk, s.pk])
    assert carol.get(url).status_code == 200
    r = carol.post(
        url,
        {
            "given_name_ar": "سعيد",
            "family_name_ar": "المشتبه",
            "birth_date_precision": "unknown",
            "diplomatic_immunity": "on",
            "version": s.version,
        },
    )
    assert r.status_code == 302
    s.refresh_from_db()
    assert s.diplomatic_immunity
    for name in ("alice", "cole", "charlie"):
        assert login(users[name]).post(url, {"version": s.version}).status_code == 404


def test_link_hotline_report(login, users, orgs, case):
    from himaya.hotline import actions as hotline_actions

    report = hotline_actions.record_report(
        acting_user=users["harry"],
        organisation=orgs["hotline"],
        channel="call",
        caller_type="witness",
        urgency="normal",
        narrative="Travail forcé dans une ferme.",
    )
    carol = login(users["carol"])
    url = reverse("justice:link_report", args=[case["inv"].pk])
    # Not passed to the police: not visible, so not linkable.
    r = carol.post(url, {"reference": report.reference})
    assert r.status_code == 400 and not case["inv"].reports.exists()
    report.refresh_from_db()
    hotline_actions.triage_pass_to_police(
        report,
        acting_user=users["harry"],
        expected_version=report.version,
        organisation=orgs["police"],
    )
    assert carol.post(url, {"reference": report.reference}).status_code == 302
    assert list(case["inv"].reports.all()) == [report]


def test_participation_and_appeal_pages(login, users, orgs, case):
    from himaya.justice.models import Appeal, Participation

    paula = login(users["paula"])
    p = case["p1"]
    r = paula.post(
        reverse("justice:participation_add", args=[p.pk]),
        {
            "dossier": case["dossier"].pk,
            "role": "complainant",
            "protection_asked": ["identity", "police"],
            "protection_granted": ["identity"],
            "compensation_mad": "15000",
        },
    )
    assert r.status_code == 302
    assert Participation.objects.get().protection_granted == ["identity"]
    r = paula.post(
        reverse("justice:appeal_add", args=[p.pk]),
        {"lodged_on": days_ago(1).isoformat(), "lodged_by": "defence"},
    )
    assert r.status_code == 400  # no decision yet
    paula.post(
        reverse("justice:decision_add", args=[p.pk]),
        {
            "charge": case["c1"].pk,
            "outcome": "convicted",
            "decided_on": days_ago(5).isoformat(),
            "instance": "first",
        },
    )
    r = paula.post(
        reverse("justice:appeal_add", args=[p.pk]),
        {"lodged_on": days_ago(1).isoformat(), "lodged_by": "defence"},
    )
    assert r.status_code == 302
    appeal = Appeal.objects.get()
    r = paula.post(
        reverse("justice:appeal_decide", args=[p.pk, appeal.pk]),
        {"outcome": "upheld", "decided_on": timezone.localdate().isoformat()},
    )
    assert r.status_code == 302
    page = paula.get(reverse("justice:prosecution", args=[p.pk])).content.decode()
    assert case["dossier"].reference in page
    assert (
        login(users["alice"]).get(reverse("justice:participation_add", args=[p.pk])).status_code
        == 404
    )
