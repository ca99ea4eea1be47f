"""Issue 15: refusals that say why and what to do (a dossier not shared, a form whose list is
empty because something must be recorded first), the transfer of jurisdiction a decision by
another court reveals, and the investigation list's filters."""

import re

import pytest
from django.urls import reverse

from himaya.audit.models import AuditEvent
from himaya.cases import actions as case_actions
from himaya.core import access
from himaya.justice import actions as ja
from himaya.justice.models import CourtDecision, CourtTransfer, Investigation, Prosecution
from himaya.testing import factories as f
from himaya.testing.queries import page_queries

from .conftest import days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def laayoune(orgs):
    return f.OrganisationFactory(
        name_fr="Tribunal de première instance de Laâyoune",
        name_ar="المحكمة الابتدائية بالعيون",
        name_en="Laayoune court of first instance",
        type=f.code("org_type", "court"),
        region=f.code("region", "laayoune_sakia_el_hamra"),
    )


# --- A dossier the police cannot link ---------------------------------------------------------


def test_linking_an_ngo_dossier_says_to_ask_for_a_referral(login, users, orgs, case):
    carol = login(users["carol"])
    ngo_dossier = f.dossier(users["alice"], orgs["ngo_a"])
    url = reverse("justice:link_dossier", args=[case["inv"].pk])
    before = case["inv"].dossier_links.count()
    r = carol.post(url, {"reference": ngo_dossier.reference})
    assert r.status_code == 400
    error = r.context["form"].errors["reference"][0]
    # Nothing tells that the NGO's dossier exists; the answer says what to do.
    assert "ask it to refer the dossier to your organisation with the identity" in error
    assert "NGO A" not in error
    assert r.context["form"]["reference"].value() == ngo_dossier.reference  # kept as typed
    # Shared without the identity: the police see it, so the holder is named.
    case_actions.grant_access(
        ngo_dossier,
        acting_user=users["alice"],
        organisation=orgs["police"],
        reason="r",
        with_identity=False,
    )
    r = carol.post(url, {"reference": ngo_dossier.reference})
    error = r.context["form"].errors["reference"][0]
    assert r.status_code == 400 and "without the identity" in error and "NGO A" in error
    assert case["inv"].dossier_links.count() == before


# --- Forms whose required list is empty -------------------------------------------------------


def test_sentence_before_any_verdict_says_to_record_the_decision_first(login, users, case):
    paula = login(users["paula"])
    p = case["p1"]
    r = paula.get(reverse("justice:sentence_add", args=[p.pk]))
    assert r.status_code == 200
    page = r.content.decode()
    assert 'data-testid="needs-first"' in page and "record the court&#x27;s decision first" in page
    assert reverse("justice:decision_add", args=[p.pk]) in page
    assert "form-submit" not in page  # no form with an empty required list
    ja.record_decision(
        case["c1"], acting_user=users["paula"], outcome="convicted", decided_on=days_ago(5)
    )
    r = paula.get(reverse("justice:sentence_add", args=[p.pk]))
    assert "form-submit" in r.content.decode()
    ja.record_sentence(CourtDecision.objects.get(), acting_user=users["paula"], prison_months=12)
    r = paula.get(reverse("justice:sentence_add", args=[p.pk]))
    assert "already has its sentence" in r.content.decode()


def test_empty_lists_elsewhere_say_what_comes_first(login, users, orgs, case):
    paula, carol = login(users["paula"]), login(users["carol"])
    inv = ja.open_investigation(
        acting_user=users["carol"], organisation=orgs["police"], opened_on=days_ago(20)
    )
    # No suspect: the event form links to adding one (carol may), the prosecution form too.
    r = carol.get(reverse("justice:event_add", args=[inv.pk]))
    assert r.status_code == 200
    assert reverse("justice:suspect_add", args=[inv.pk]) in r.content.decode()
    suspect = ja.add_suspect(
        inv, acting_user=users["carol"], added_on=days_ago(10), given_name_lat="Ali"
    )
    ja.transfer_investigation(
        inv, acting_user=users["carol"], office=orgs["parquet"], on=days_ago(9)
    )
    p = ja.start_prosecution(
        inv, suspect, acting_user=users["paula"], office=orgs["parquet"], started_on=days_ago(8)
    )
    r = paula.get(reverse("justice:prosecution_create", args=[inv.pk]))
    assert "already prosecuted" in r.content.decode()
    # No charge: the decision and appeal forms link to adding one.
    for name in ("decision_add", "appeal_add"):
        r = paula.get(reverse(f"justice:{name}", args=[p.pk]))
        assert r.status_code == 200
        assert reverse("justice:charge_add", args=[p.pk]) in r.content.decode(), name
    # No dossier linked: the participation form links to linking one (for the office, which
    # may write the transferred investigation).
    r = paula.get(reverse("justice:participation_add", args=[p.pk]))
    assert reverse("justice:link_dossier", args=[inv.pk]) in r.content.decode()
    # A POST to such a page is answered as bad input, and writes nothing.
    r = paula.post(reverse("justice:participation_add", args=[p.pk]), {"role": "witness"})
    assert r.status_code == 400 and not p.participations.exists()


# --- Transfer of jurisdiction -----------------------------------------------------------------


def test_a_decision_by_another_court_asks_then_records_the_transfer(
    login, users, orgs, case, laayoune
):
    p = case["p1"]
    Prosecution.objects.filter(pk=p.pk).update(court=laayoune)  # filed at Laâyoune
    paula = login(users["paula"])
    url = reverse("justice:decision_add", args=[p.pk])
    data = {
        "charge": case["c1"].pk,
        "outcome": "convicted",
        "decided_on": days_ago(3).isoformat(),
        "instance": "first",
        "court": orgs["court"].pk,  # Tangier
    }
    r = paula.post(url, data)
    assert r.status_code == 400
    page = r.content.decode()
    assert "Laayoune court of first instance" in page and "Tangier court" in page
    assert 'type="checkbox" name="confirm_transfer"' in page
    assert not CourtDecision.objects.exists() and not CourtTransfer.objects.exists()
    r = paula.post(url, {**data, "confirm_transfer": "on", "transfer_asked": asked(page)})
    assert r.status_code == 302
    transfer = CourtTransfer.objects.get()
    assert (transfer.from_court, transfer.to_court, transfer.on) == (
        laayoune,
        orgs["court"],
        days_ago(3),
    )
    assert Prosecution.objects.get(pk=p.pk).court == orgs["court"]
    assert AuditEvent.objects.filter(action="transfer_jurisdiction").count() == 1
    page = paula.get(reverse("justice:prosecution", args=[p.pk])).content.decode()
    assert 'data-testid="court-transfer"' in page and "Laayoune court of first instance" in page
    # The court that handed the case over still reads it, and no longer decides.
    clerk = f.member(f.UserFactory(username="lclerk"), laayoune, "prosecutor")
    assert login(clerk).get(reverse("justice:prosecution", args=[p.pk])).status_code == 200
    assert not Prosecution.objects.filter(access.prosecution_decide_q(clerk), pk=p.pk).exists()


def asked(page):
    """What the page's transfer box confirms, rendered beside it."""
    return re.search(r'name="transfer_asked" value="([^"]*)"', page).group(1)


def test_a_ticked_transfer_confirms_only_the_court_it_was_asked_about(
    login, users, orgs, case, laayoune
):
    """The box ticked while the court is changed to yet another court: that transfer is asked
    again (the box unticked, nothing written), never recorded unseen."""
    p = case["p1"]
    Prosecution.objects.filter(pk=p.pk).update(court=laayoune)
    paula = login(users["paula"])
    url = reverse("justice:decision_add", args=[p.pk])
    data = {
        "charge": case["c1"].pk,
        "outcome": "convicted",
        "decided_on": days_ago(3).isoformat(),
        "instance": "first",
        "court": orgs["court"].pk,  # Tangier
    }
    first = paula.post(url, data).content.decode()
    other = {**data, "court": "", "court_name": "Tribunal de 1re instance de Dakhla (100%)"}
    r = paula.post(url, {**other, "confirm_transfer": "on", "transfer_asked": asked(first)})
    page = r.content.decode()
    assert r.status_code == 400
    assert "Dakhla (100%)" in page  # the question about the court now chosen
    box = page[page.index('type="checkbox" name="confirm_transfer"') :].split(">", 1)[0]
    assert "checked" not in box and asked(page) != asked(first)
    assert not CourtDecision.objects.exists() and not CourtTransfer.objects.exists()
    r = paula.post(url, {**other, "confirm_transfer": "on", "transfer_asked": asked(page)})
    assert r.status_code == 302
    transfer = CourtTransfer.objects.get()
    assert (transfer.from_court, transfer.to_court_name) == (laayoune, other["court_name"])
    assert CourtDecision.objects.get().court_name == other["court_name"]


def test_the_court_seized_and_appeals_ask_nothing_and_imports_warn(users, orgs, case, laayoune):
    paula = users["paula"]
    ja.record_decision(case["c1"], acting_user=paula, outcome="acquitted", decided_on=days_ago(9))
    ja.record_appeal(case["p1"], acting_user=paula, lodged_on=days_ago(8), lodged_by="prosecution")
    ja.record_decision(
        case["c1"],
        acting_user=paula,
        outcome="convicted",
        decided_on=days_ago(7),
        instance="appeal",
        court=laayoune,
    )
    assert not CourtTransfer.objects.exists()
    warnings = []
    ja.record_decision(
        case["c2"],
        acting_user=paula,
        outcome="convicted",
        decided_on=days_ago(6),
        court_name="Tribunal de Dakhla",
        warn=lambda field, message: warnings.append((field, message)),
    )
    assert [w[0] for w in warnings] == ["court"]
    transfer = CourtTransfer.objects.get()
    assert transfer.to_court is None and transfer.to_court_display == "Tribunal de Dakhla"
    # Changing the court seized from one court to another is a transfer too.
    ja.set_court(case["p1"], acting_user=paula, court=laayoune)
    assert CourtTransfer.objects.filter(prosecution=case["p1"], to_court=laayoune).exists()


# --- Investigation list filters ---------------------------------------------------------------


def _investigation(user, org, *, opened, region=None, forms=()):
    return ja.open_investigation(
        acting_user=user,
        organisation=org,
        opened_on=opened,
        region=f.code("region", region) if region else None,
        forms=[f.code("exploitation_form", c) for c in forms],
    )


def test_investigation_filters(login, users, orgs):
    carol = users["carol"]
    a = _investigation(
        carol,
        orgs["police"],
        opened=days_ago(40),
        region="tanger_tetouan_al_hoceima",
        forms=("begging",),
    )
    b = _investigation(
        carol, orgs["police"], opened=days_ago(10), region="casablanca_settat", forms=("sexual",)
    )
    ja.transfer_investigation(b, acting_user=carol, office=orgs["parquet"], on=days_ago(5))
    client = login(carol)
    url = reverse("justice:list")

    def listed(**params):
        r = client.get(url, params)
        assert r.status_code == 200
        return {inv.pk for inv in r.context["page"]}

    assert listed() == {a.pk, b.pk}
    assert listed(reference=a.reference.lower()[-4:]) == {a.pk}
    assert listed(opened_from=days_ago(20).isoformat()) == {b.pk}
    assert listed(opened_to=days_ago(20).isoformat()) == {a.pk}
    assert listed(region=f.code("region", "casablanca_settat").pk) == {b.pk}
    # A form finds its sub-forms: forced labour includes forced begging.
    assert listed(form=f.code("exploitation_form", "labour").pk) == {a.pk}
    assert listed(organisation=orgs["parquet"].pk) == {b.pk}
    assert listed(organisation=orgs["police"].pk, status="transferred") == {b.pk}


@pytest.mark.parametrize(
    "params",
    [
        {"opened_from": "2024-13-45"},
        {"opened_from": days_ago(1).isoformat(), "opened_to": days_ago(30).isoformat()},
        {"region": "abc"},
        {"form": "99999999999999999999999"},
        {"organisation": "١٢"},
        {"status": "nonsense"},
        {"reference": "x" * 500},
    ],
)
def test_bad_filters_are_told_never_a_500(login, users, orgs, params):
    _investigation(users["carol"], orgs["police"], opened=days_ago(3))
    r = login(users["carol"]).get(reverse("justice:list"), params)
    assert r.status_code == 200
    page = r.content.decode()
    assert 'data-testid="filter-error"' in page
    for name in ("opened_from", "opened_to"):  # what was typed is kept in the form
        if name in params:
            assert f'value="{params[name]}"' in page


def test_investigation_list_queries_do_not_grow_with_the_list(login, users, orgs):
    carol = users["carol"]
    client = login(carol)
    params = (
        f"?opened_from={days_ago(400).isoformat()}&form="
        f"{f.code('exploitation_form', 'labour').pk}&organisation={orgs['police'].pk}"
        f"&reference=ENQ&region={f.code('region', 'tanger_tetouan_al_hoceima').pk}"
    )
    url = reverse("justice:list") + params

    def add(n):
        for i in range(n):
            _investigation(
                carol,
                orgs["police"],
                opened=days_ago(30 + i),
                region="tanger_tetouan_al_hoceima",
                forms=("labour", "begging"),
            )

    add(2)
    small = page_queries(client, url)
    add(8)
    assert page_queries(client, url) == small
    assert len(client.get(url).context["page"]) == Investigation.objects.count() == 10
