"""Pages of identification decisions and non-punishment alerts: who gets which form, bad input
answered with form errors (R4), outsiders answered 404 with the database unchanged (S3), lists
in scope (S4), analysts never reading reasons or notes (S5), and the prosecution losing the
dossier once its alert is resolved (200 then 404)."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from himaya.cases import actions
from himaya.cases.actions import record_decision, record_offence, resolve_alert
from himaya.cases.actions.decisions import refusal
from himaya.cases.home import home_context
from himaya.cases.models import (
    IdentificationDecision,
    NonPunishmentAlert,
    OffenceCharge,
    Stage,
    StageEvent,
)
from himaya.testing import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
TANGER = "tanger_tetouan_al_hoceima"


def tables():
    with connection.cursor() as cursor:
        counts = []
        for table in (
            "cases_identificationdecision",
            "cases_offencecharge",
            "cases_nonpunishmentalert",
            "cases_accessgrant",
            "cases_stageevent",
        ):
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
            counts.append(cursor.fetchone()[0])
    resolved = NonPunishmentAlert.objects.filter(resolved_on__isnull=False).count()
    return counts, resolved


@pytest.fixture
def dossier(users, orgs):
    carol = users["carol"]
    d = f.dossier(
        carol,
        orgs["police"],
        opened_on=TODAY - datetime.timedelta(days=60),
        exploitation_region=f.code("region", TANGER),
        caseworker=carol,
    )
    return d


@pytest.fixture
def alerted(users, orgs, dossier):
    """The dossier with a decision (reasons), an offence (detail) and its open alert."""
    carol = users["carol"]
    record_decision(
        dossier,
        acting_user=carol,
        organisation=orgs["police"],
        status=f.code("trafficking_status", "possible"),
        decided_on=TODAY - datetime.timedelta(days=50),
        reasons="Reasons Xylophant: passport withheld",
    )
    _charge, alert = record_offence(
        dossier,
        acting_user=carol,
        organisation=orgs["police"],
        offence_type="other",
        detail="Detail Quabbler",
        charged_on=TODAY - datetime.timedelta(days=5),
        authority_other="Authority Vornhald",
    )
    return alert


def decision_url(d):
    return reverse("cases:decision_create", args=[d.pk])


def offence_url(d):
    return reverse("cases:offence_create", args=[d.pk])


def test_the_police_records_a_decision_from_the_dossier_page(users, orgs, login, dossier):
    client = login(users["carol"])
    page = client.get(reverse("cases:detail", args=[dossier.pk])).content.decode()
    assert decision_url(dossier) in page and "No identification decision yet." in page
    assert client.get(decision_url(dossier)).status_code == 200
    status = f.code("trafficking_status", "actual")
    response = client.post(
        decision_url(dossier),
        {
            "organisation": orgs["police"].pk,
            "status": status.pk,
            "decided_on": TODAY.isoformat(),
            "reasons": "Contrainte et exploitation établies",
        },
    )
    assert response.status_code == 302
    decision = IdentificationDecision.objects.get(dossier=dossier)
    assert (decision.status, decision.decided_by) == (status, users["carol"])
    dossier.refresh_from_db()  # the page or the API changed it: read it back
    assert dossier.current_stage == Stage.IDENTIFIED
    page = client.get(reverse("cases:detail", args=[dossier.pk])).content.decode()
    assert "Contrainte et exploitation établies" in page and 'data-testid="decision"' in page


def test_the_review_of_a_negative_decision_through_the_page(users, orgs, login, dossier):
    carol = users["carol"]
    negative = record_decision(
        dossier,
        acting_user=carol,
        organisation=orgs["police"],
        status=f.code("trafficking_status", "not_victim"),
        decided_on=TODAY - datetime.timedelta(days=10),
        reasons="No indicator",
    )
    client = login(carol)
    page = client.get(reverse("cases:detail", args=[dossier.pk])).content.decode()
    assert 'data-testid="decision-review"' in page
    form_page = client.get(decision_url(dossier))
    assert form_page.context["reviewed"] == negative
    data = {
        "organisation": orgs["police"].pk,
        "status": f.code("trafficking_status", "possible").pk,
        "decided_on": TODAY.isoformat(),
        "reasons": "New facts from the hotline",
    }
    # Without naming the decision it reviews, the new decision is refused with a message.
    response = client.post(decision_url(dossier), data)
    assert response.status_code == 400 and "review" in response.content.decode()
    response = client.post(decision_url(dossier), {**data, "reviews": negative.pk})
    assert response.status_code == 302
    assert negative.__class__.objects.get(pk=negative.pk).review.status.code == "possible"
    dossier.refresh_from_db()  # the page or the API changed it: read it back
    assert dossier.current_stage == Stage.PRESUMED


@pytest.mark.parametrize(
    "override",
    [
        {"decided_on": (TODAY + datetime.timedelta(days=1)).isoformat()},
        {"decided_on": (TODAY - datetime.timedelta(days=61)).isoformat()},
        {"decided_on": "31/02/2024"},
        {"decided_on": "99999-01-01"},
        {"status": ""},
        {"status": "999999"},
        {"status": "abc"},
        {"status": str(2**70)},
        {"organisation": "999999"},
        {"reasons": "x" * 5001},
        {"reasons": "   "},
        {"reviews": "-3"},
        {"reviews": "999999"},
    ],
)
def test_bad_decisions_get_form_errors(users, orgs, login, dossier, override):
    data = {
        "organisation": orgs["police"].pk,
        "status": f.code("trafficking_status", "possible").pk,
        "decided_on": TODAY.isoformat(),
        "reasons": "Indicators",
        **override,
    }
    before = tables()
    response = login(users["carol"]).post(decision_url(dossier), data)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert tables() == before


def test_an_ngo_cannot_decide(users, orgs, login):
    alice = users["alice"]
    d = f.dossier(alice, orgs["ngo_a"])
    client = login(alice)
    page = client.get(reverse("cases:detail", args=[d.pk])).content.decode()
    assert decision_url(d) not in page
    before = tables()
    refused = client.get(decision_url(d))
    assert refused.status_code == 403
    # The refusal says why, who may decide, and what to do: refer the dossier to them.
    reason = refused.context["reason"]
    assert "caseworker at NGO A" in reason
    assert "investigator" in reason and "prosecutor" in reason
    assert "police" in reason and "court" in reason
    assert "Refer the dossier" in reason
    assert reason in refused.content.decode()
    data = {
        "organisation": orgs["ngo_a"].pk,
        "status": f.code("trafficking_status", "actual").pk,
        "decided_on": TODAY.isoformat(),
        "reasons": "x",
    }
    assert client.post(decision_url(d), data).status_code == 403
    assert tables() == before


def test_a_deciding_partner_without_the_identity_is_told_to_ask_the_holder(users, orgs, login):
    """Carol's police may decide; a dossier NGO A shares without the identity is refused with
    the reason and whom to ask."""
    alice, carol = users["alice"], users["carol"]
    d = f.dossier(alice, orgs["ngo_a"])
    actions.grant_access(
        d, acting_user=alice, organisation=orgs["police"], reason="r", with_identity=False
    )
    reason = refusal(carol, d)
    assert "does not see this dossier with the identity" in reason and "NGO A" in reason


@pytest.mark.parametrize("name", ["alice", "bob", "ana", "olivia", "harry", "charlie", "root"])
def test_outsiders_get_404_and_change_nothing(users, orgs, login, dossier, alerted, name):
    client = login(users[name])
    before = tables()
    urls = [
        decision_url(dossier),
        offence_url(dossier),
        reverse("cases:alerts:resolve", args=[alerted.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"outcome": "convicted", "reasons": "x"}).status_code == 404, url
    assert tables() == before


def test_the_prosecution_of_another_region_does_not_see_the_alert(
    users, orgs, login, dossier, alerted
):
    casa = f.OrganisationFactory(
        type=f.code("org_type", "prosecution"), region=f.code("region", "casablanca_settat")
    )
    nawal = f.member(f.UserFactory(username="nawal"), casa, "prosecutor")
    client = login(nawal)
    assert client.get(reverse("cases:alerts:list")).context["page"].object_list.count() == 0
    assert client.get(reverse("cases:alerts:resolve", args=[alerted.pk])).status_code == 404
    assert client.get(reverse("cases:detail", args=[dossier.pk])).status_code == 404
    assert home_context(nawal)["nonpunishment_alerts"] == []


def test_the_prosecution_resolves_and_loses_access_at_its_next_request(
    users, orgs, login, dossier, alerted
):
    client = login(users["paula"])
    detail = reverse("cases:detail", args=[dossier.pk])
    assert client.get(detail).status_code == 200
    listing = client.get(reverse("cases:alerts:list"))
    assert [a.pk for a in listing.context["page"]] == [alerted.pk]
    page = client.get(reverse("cases:alerts:resolve", args=[alerted.pk]))
    assert page.status_code == 200 and "Detail Quabbler" in page.content.decode()
    response = client.post(
        reverse("cases:alerts:resolve", args=[alerted.pk]),
        {"outcome": "non_punishment", "resolved_on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:alerts:list")
    assert client.get(detail).status_code == 404
    assert client.get(reverse("cases:alerts:resolve", args=[alerted.pk])).status_code == 404
    assert client.get(reverse("cases:alerts:list")).context["page"].object_list.count() == 0
    # The owner still sees the outcome on the dossier.
    page = login(users["carol"]).get(detail).content.decode()
    assert 'data-testid="alert-resolved"' in page


@pytest.mark.parametrize(
    "data",
    [
        {"outcome": "pardoned"},
        {"outcome": "other"},
        {"outcome": "other", "note": "x" * 2001},
        {"outcome": "convicted", "resolved_on": "2024-13-01"},
        {"outcome": "convicted", "resolved_on": (TODAY + datetime.timedelta(days=1)).isoformat()},
        {"outcome": "convicted", "resolved_on": (TODAY - datetime.timedelta(days=9)).isoformat()},
    ],
)
def test_bad_resolutions_get_form_errors(users, login, alerted, data):
    before = tables()
    response = login(users["paula"]).post(reverse("cases:alerts:resolve", args=[alerted.pk]), data)
    assert response.status_code == 400 and response.context["form"].errors
    assert tables() == before


def test_recording_an_offence_through_the_page(users, orgs, login, dossier):
    carol = users["carol"]
    client = login(carol)
    page = client.get(reverse("cases:detail", args=[dossier.pk])).content.decode()
    assert offence_url(dossier) not in page  # at screening: not yet a presumed victim
    response = client.get(offence_url(dossier))
    assert response.status_code == 200 and not response.context["stage_ok"]
    data = {
        "organisation": orgs["police"].pk,
        "offence_type": "irregular_entry_stay",
        "charged_on": TODAY.isoformat(),
        "authority_other": "Tribunal",
    }
    assert client.post(offence_url(dossier), data).status_code == 400
    assert not OffenceCharge.objects.exists()
    actions.change_stage(dossier, acting_user=carol, stage=Stage.PRESUMED)
    page = client.get(reverse("cases:detail", args=[dossier.pk])).content.decode()
    assert offence_url(dossier) in page
    response = client.post(offence_url(dossier), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("cases:detail", args=[dossier.pk])
    assert orgs["parquet"].name in response.content.decode()
    alert = NonPunishmentAlert.objects.get()
    assert list(alert.recipients.all()) == [orgs["parquet"]]
    assert 'data-testid="alert-open"' in response.content.decode()


@pytest.mark.parametrize(
    "override",
    [
        {"offence_type": "smuggling"},
        {"offence_type": "other"},
        {"detail": "x" * 2001},
        {"charged_on": (TODAY + datetime.timedelta(days=1)).isoformat()},
        {"charged_on": "not a date"},
        {"region": "999999"},
        {"region": "x"},
        {"authority": str(2**64)},
        {"authority_other": ""},
        {"authority_other": "x" * 201},
        {"organisation": "0"},
    ],
)
def test_bad_offences_get_form_errors(users, orgs, login, dossier, override):
    actions.change_stage(dossier, acting_user=users["carol"], stage=Stage.PRESUMED)
    data = {
        "organisation": orgs["police"].pk,
        "offence_type": "begging",
        "charged_on": TODAY.isoformat(),
        "authority_other": "Tribunal",
        **override,
    }
    before = tables()
    response = login(users["carol"]).post(offence_url(dossier), data)
    assert response.status_code == 400 and response.context["form"].errors
    assert tables() == before


def test_analysts_see_statuses_never_reasons_details_or_notes(users, orgs, login, alerted):
    resolve_alert(alerted, acting_user=users["paula"], outcome="other", note="Note Brimvax")
    response = login(users["ana"]).get(reverse("cases:detail", args=[alerted.dossier_id]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="decision"' in html and 'data-testid="offence"' in html
    for secret in ("Xylophant", "Quabbler", "Vornhald", "Brimvax", users["carol"].last_name):
        assert secret not in html
    assert not response.context["can_decide"] and not response.context["can_record_offence"]


def test_alert_lists_stay_in_scope(users, orgs, login, figure):
    """S4: every alert listed for a user is one they receive or own, and none is missing."""
    carol, alice = users["carol"], users["alice"]
    casa_parquet = f.OrganisationFactory(
        type=f.code("org_type", "prosecution"), region=f.code("region", "casablanca_settat")
    )
    nawal = f.member(f.UserFactory(username="nawal"), casa_parquet, "prosecutor")
    made = []
    for owner, org, region in [
        (carol, orgs["police"], TANGER),
        (carol, orgs["police"], "casablanca_settat"),
        (alice, orgs["ngo_a"], "casablanca_settat"),
        (alice, orgs["ngo_a"], TANGER),
    ]:
        d = f.dossier(owner, org, exploitation_region=f.code("region", region))
        actions.change_stage(d, acting_user=owner, stage=Stage.PRESUMED)
        _c, alert = record_offence(
            d,
            acting_user=owner,
            organisation=org,
            offence_type="prostitution",
            charged_on=TODAY,
            authority_other="x",
        )
        made.append((alert, org, region))
    expected = {
        "paula": {a.pk for a, _o, r in made if r == TANGER},
        "nawal": {a.pk for a, _o, r in made if r == "casablanca_settat"},
        "carol": {a.pk for a, o, _r in made if o == orgs["police"]},
        "alice": {a.pk for a, o, _r in made if o == orgs["ngo_a"]},
        "bob": set(),
        "ana": set(),
    }
    people = {**users, "nawal": nawal}
    out_of_scope = 0
    for name, want in expected.items():
        client = login(people[name])
        response = client.get(reverse("cases:alerts:list"))
        got = set() if response.status_code == 404 else {a.pk for a in response.context["page"]}
        home = {a.pk for a in home_context(people[name]).get("nonpunishment_alerts", [])}
        out_of_scope += len(got - want) + len(home - want)
        assert got == want == home, name
    figure(f"S4: non-punishment alert lists of 6 users → {out_of_scope} out-of-scope rows")


def test_home_lists_dossiers_awaiting_a_decision(users, orgs, dossier):
    carol = users["carol"]
    actions.change_stage(
        dossier, acting_user=carol, stage=Stage.PRESUMED, on=TODAY - datetime.timedelta(days=40)
    )
    recent = f.dossier(carol, orgs["police"])
    actions.change_stage(recent, acting_user=carol, stage=Stage.PRESUMED)
    ctx = home_context(carol)
    assert [d.pk for d in ctx["awaiting_decision"]] == [dossier.pk]
    assert ctx["awaiting_decision"][0].waiting_days == 40
    record_decision(
        dossier,
        acting_user=carol,
        organisation=orgs["police"],
        status=f.code("trafficking_status", "possible"),
        decided_on=TODAY,
        reasons="x",
    )
    assert [d.pk for d in home_context(carol)["awaiting_decision"]] == [dossier.pk]
    record_decision(
        dossier,
        acting_user=carol,
        organisation=orgs["police"],
        status=f.code("trafficking_status", "actual"),
        decided_on=TODAY,
        reasons="x",
    )
    assert home_context(carol)["awaiting_decision"] == []
    assert "awaiting_decision" not in home_context(users["alice"])  # an NGO does not decide
    assert home_context(users["charlie"]) == {}


def test_the_home_panel_renders_in_arabic(users, orgs, alerted, settings):
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("ar"):
        html = render_to_string("cases/_home.html", home_context(users["paula"]))
    assert 'data-testid="home-alert"' in html
    assert reverse("cases:alerts:resolve", args=[alerted.pk]) in html
    assert StageEvent.objects.filter(dossier=alerted.dossier).exists()


def test_role_page_method_matrix_of_the_new_pages(users, login, dossier, alerted, figure):
    """S2 for these pages: who gets 200 on GET; everyone else the status given."""
    roles = ["alice", "bob", "carol", "ana", "olivia", "harry", "paula", "root", "charlie"]
    expected = {
        decision_url(dossier): ({"carol", "paula"}, 404),
        offence_url(dossier): ({"carol", "paula"}, 404),
        reverse("cases:alerts:list"): ({"alice", "bob", "carol", "harry", "paula"}, 404),
        reverse("cases:alerts:resolve", args=[alerted.pk]): ({"carol", "paula"}, 404),
    }
    mismatches, cells = [], 0
    for name in roles:
        client = login(users[name])
        for url, (allowed, denied) in expected.items():
            cells += 1
            got = client.get(url).status_code
            if got != (200 if name in allowed else denied):
                mismatches.append((name, url, got))
    figure(f"S2: {cells} role × page cells of decisions and alerts → {len(mismatches)} mismatches")
    assert mismatches == []
