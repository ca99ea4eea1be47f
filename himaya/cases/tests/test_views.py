import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from himaya.audit.models import AccessEvent
from himaya.cases import actions
from himaya.cases.models import Dossier, DossierNote, StageEvent
from himaya.testing import factories as f
from himaya.testing.queries import PageQueries
from himaya.testing.routes import search

pytestmark = pytest.mark.django_db


@pytest.fixture
def alices(users, orgs):
    person = f.person(
        users["alice"],
        orgs["ngo_a"],
        given_name_lat="Mohammed",
        given_name_ar="محمد",
        family_name_lat="Alaoui",
    )
    dossier = f.dossier(users["alice"], orgs["ngo_a"], the_person=person, forms=("begging",))
    actions.add_note(dossier, acting_user=users["alice"], text="Secret story of the case")
    return dossier


def refs(response):
    return [d.reference for d in response.context["page"]]


def test_caseworker_sees_detail_with_identity_notes_and_timeline(users, login, alices):
    response = login(users["alice"]).get(reverse("cases:detail", args=[alices.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Mohammed" in html and "محمد" in html and "Secret story of the case" in html
    assert f'action="{reverse("cases:stage", args=[alices.pk])}"' in html
    assert [kind for _d, _a, kind, _i in response.context["timeline"]] == ["stage", "note"]
    assert AccessEvent.objects.filter(
        actor_id=users["alice"].pk, person_id=alices.person_id, purpose="identity"
    ).exists()


def test_analyst_sees_dossier_without_name_or_notes(users, login, alices):
    client = login(users["ana"])
    response = client.get(reverse("cases:detail", args=[alices.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert alices.reference in html
    for secret in ("Mohammed", "محمد", "Alaoui", "Secret story", "+212"):
        assert secret not in html
    assert response.context["stage_form"] is None and response.context["note_form"] is None
    assert "25–34" in html or "18–24" in html or "35–49" in html  # an age band, not a date
    assert not AccessEvent.objects.filter(actor_id=users["ana"].pk, outcome="ok").exists()
    listing = client.get(reverse("cases:list"))
    assert refs(listing) == [alices.reference]
    assert "Mohammed" not in listing.content.decode()
    # Searching by name must not work for someone who may not see names.
    assert refs(search(client, reverse("cases:list"), {"q": "Mohammed"})) == []
    assert client.get(reverse("people:detail", args=[alices.person_id])).status_code == 404
    for view in ("cases:edit",):
        assert client.get(reverse(view, args=[alices.pk])).status_code == 404
    for view, data in (
        ("cases:stage", {"stage-stage": "presumed"}),
        ("cases:note_add", {"note-text": "x"}),
    ):
        assert client.post(reverse(view, args=[alices.pk]), data).status_code == 404
    assert StageEvent.objects.filter(dossier=alices).count() == 1
    assert DossierNote.objects.filter(dossier=alices).count() == 1


@pytest.mark.parametrize("name", ["bob", "carol", "charlie", "olivia", "root"])
def test_outsiders_get_404_everywhere_and_attempts_are_audited(users, login, alices, name):
    client = login(users[name])
    gets = [reverse("cases:detail", args=[alices.pk]), reverse("cases:edit", args=[alices.pk])]
    for url in gets:
        response = client.get(url)
        assert response.status_code == 404
        assert "Mohammed" not in response.content.decode()
    posts = [
        (reverse("cases:stage", args=[alices.pk]), {"stage-stage": "presumed"}),
        (reverse("cases:note_add", args=[alices.pk]), {"note-text": "intrusion"}),
        (reverse("cases:edit", args=[alices.pk]), {"version": 1, "opened_on": "2024-01-01"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404
    assert (
        AccessEvent.objects.filter(
            actor_id=users[name].pk, object_id=str(alices.pk), outcome="denied"
        ).count()
        == 5
    )
    assert StageEvent.objects.filter(dossier=alices).count() == 1
    assert DossierNote.objects.filter(dossier=alices).count() == 1
    alices.refresh_from_db()
    assert alices.version == 1
    # Nor can they open a dossier on alice's person.
    url = reverse("cases:create") + f"?person={alices.person_id}"
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("name", ["charlie", "olivia"])
def test_list_needs_a_role(users, login, name):
    assert login(users[name]).get(reverse("cases:list")).status_code == 404


def test_jump_needs_a_reason(users, login, alices):
    client = login(users["alice"])
    url = reverse("cases:stage", args=[alices.pk])
    response = client.post(url, {"stage-stage": "closed"})
    assert response.status_code == 400
    assert "not the ordinary path" in response.content.decode()
    assert response.context["stage_form"].errors["reason"]
    assert StageEvent.objects.filter(dossier=alices).count() == 1
    response = client.post(url, {"stage-stage": "closed", "stage-reason": "Person left"})
    assert response.status_code == 302
    event = StageEvent.objects.filter(dossier=alices).last()
    assert event.stage == "closed" and event.reason == "Person left"
    detail = client.get(reverse("cases:detail", args=[alices.pk]))
    assert "Person left" in detail.content.decode()


def test_ordinary_step_needs_no_reason_and_bad_stage_is_refused(users, login, alices):
    client = login(users["alice"])
    url = reverse("cases:stage", args=[alices.pk])
    assert client.post(url, {"stage-stage": "bogus"}).status_code == 400
    assert client.post(url, {"stage-stage": "presumed", "stage-on": "31/02/x"}).status_code == 400
    assert client.post(url, {"stage-stage": "presumed"}).status_code == 302
    assert Dossier.objects.get(pk=alices.pk).stage == "presumed"
    assert client.get(url).status_code == 405


def test_note_add(users, login, alices):
    client = login(users["alice"])
    url = reverse("cases:note_add", args=[alices.pk])
    assert client.post(url, {"note-text": "   "}).status_code == 400
    assert client.post(url, {"note-text": "Met the family"}).status_code == 302
    assert DossierNote.objects.filter(dossier=alices).count() == 2


def test_create_from_person_and_edit_conflict(users, orgs, login):
    person = f.person(users["alice"], orgs["ngo_a"])
    client = login(users["alice"])
    url = reverse("cases:create") + f"?person={person.pk}"
    response = client.get(url)
    assert response.status_code == 200
    labels = dict(response.context["form"].fields["forms"].choices)
    assert any("›" in str(label) for label in labels.values())
    data = {
        "organisation": orgs["ngo_a"].pk,
        "opened_on": "2024-02-01",
        "forms": [f.code("exploitation_form", "begging").pk],
        "exploitation_region": f.code("region", "casablanca_settat").pk,
        "caseworker": users["alice"].pk,
    }
    assert client.post(url, dict(data, opened_on="2999-01-01")).status_code == 400
    assert client.post(url, dict(data, caseworker=users["bob"].pk)).status_code == 400
    response = client.post(url, data)
    dossier = Dossier.objects.get(person=person)
    assert response.status_code == 302 and dossier.caseworker == users["alice"]
    assert [c.code for c in dossier.forms.all()] == ["begging"]

    edit = reverse("cases:edit", args=[dossier.pk])
    initial = client.get(edit).context["form"].initial
    fresh = dict(data, version=initial["version"], exploitation_city="Tanger")
    stale = dict(fresh, exploitation_city="Agadir")
    assert client.post(edit, fresh).status_code == 302
    response = client.post(edit, stale)
    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()
    assert 'value="Agadir"' in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.exploitation_city == "Tanger" and dossier.version == 2


@pytest.mark.parametrize("person_param", ["", "abc", "999999"])
def test_create_with_bad_person_is_404(users, login, person_param):
    url = reverse("cases:create") + f"?person={person_param}"
    assert login(users["alice"]).get(url).status_code == 404


def test_filters(users, orgs, login):
    alice = users["alice"]
    begging = f.dossier(
        alice,
        orgs["ngo_a"],
        forms=("begging",),
        exploitation_region=f.code("region", "souss_massa"),
        opened_on=datetime.date(2024, 3, 1),
    )
    labour = f.dossier(alice, orgs["ngo_a"], forms=("labour",), opened_on=datetime.date(2024, 6, 1))
    sexual = f.dossier(alice, orgs["ngo_a"], forms=("sexual",))
    f.dossier(users["bob"], orgs["ngo_b"], forms=("begging",))
    client = login(alice)
    list_url = reverse("cases:list")
    by_form = client.get(list_url, {"form": f.code("exploitation_form", "labour").pk})
    assert sorted(refs(by_form)) == sorted([begging.reference, labour.reference])
    by_child = client.get(list_url, {"form": f.code("exploitation_form", "begging").pk})
    assert refs(by_child) == [begging.reference]
    region = client.get(list_url, {"region": f.code("region", "souss_massa").pk})
    assert refs(region) == [begging.reference]
    dates = client.get(list_url, {"opened_from": "2024-05-01", "opened_to": "2024-12-31"})
    assert refs(dates) == [labour.reference]
    assert refs(search(client, list_url, {"stage": "screening", "q": sexual.reference})) == [
        sexual.reference
    ]
    assert refs(client.get(list_url, {"stage": "closed"})) == []
    # Person names are searchable in either script for those who see identities.
    assert len(refs(search(client, list_url, {"q": "فاطمة"}))) == 3
    for bad in (
        {"page": "0"},
        {"page": "9999"},
        {"page": "x"},
        {"form": "nope"},
        {"opened_from": "2024-13-45"},
        {"stage": "bogus"},
        {"owner": "-3"},
    ):
        response = client.get(list_url, bad)
        assert response.status_code == 200, bad
        assert len(refs(response)) == 3 or bad.get("page") in ("0", "9999", "x")


def test_list_shows_names_only_with_identity_and_paginates(users, orgs, login, alices):
    client = login(users["alice"])
    html = client.get(reverse("cases:list")).content.decode()
    assert "Mohammed" in html and timezone.localdate().year.__str__() in html
    for _ in range(26):
        f.dossier(users["alice"], orgs["ngo_a"])
    assert len(refs(client.get(reverse("cases:list")))) == 25
    assert len(refs(client.get(reverse("cases:list"), {"page": 2}))) == 2
    assert len(refs(client.get(reverse("cases:list"), {"page": 99}))) == 2


def _count_queries(client, url):
    with PageQueries() as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(response.context["page"])


def test_list_query_count_is_constant(users, orgs, login):
    client = login(users["alice"])
    for _ in range(5):
        f.dossier(users["alice"], orgs["ngo_a"], forms=("begging", "sexual"))
    client.get(reverse("cases:list"))  # warm caches (session, code lists)
    small, n_small = _count_queries(client, reverse("cases:list"))
    for _ in range(25):
        f.dossier(users["alice"], orgs["ngo_a"], forms=("begging", "sexual"))
    large, n_large = _count_queries(client, reverse("cases:list"))
    assert (n_small, n_large) == (5, 25)
    assert small == large
    analyst = login(users["ana"])
    assert _count_queries(analyst, reverse("cases:list"))[0] <= large


def test_huge_ids_and_values_are_errors_not_500(users, orgs, login, alices):
    client = login(users["alice"])
    huge = str(10**30)
    assert client.get(reverse("cases:detail", args=[huge])).status_code == 404
    assert client.get(reverse("cases:create") + f"?person={huge}").status_code == 404
    for params in ({"form": huge}, {"region": huge}, {"owner": huge}, {"page": huge}):
        response = client.get(reverse("cases:list"), params)
        assert response.status_code == 200 and refs(response) == [alices.reference], params
    response = client.post(
        reverse("cases:edit", args=[alices.pk]),
        {"version": huge, "opened_on": "2024-01-01", "forms": [huge], "caseworker": huge},
    )
    assert response.status_code == 400
    assert response.context["form"].errors.keys() >= {"version", "forms", "caseworker"}


def test_stage_form_offers_only_allowed_moves(users, login, alices):
    form = (
        login(users["alice"]).get(reverse("cases:detail", args=[alices.pk])).context["stage_form"]
    )
    offered = {value for value, _label in form.fields["stage"].choices}
    assert offered == set(actions.allowed_moves("screening")) and "screening" not in offered
    labels = dict(form.fields["stage"].choices)
    assert "reason required" in str(labels["closed"])
    assert "reason required" not in str(labels["presumed"])


def test_user_in_two_organisations_picks_the_acting_one(users, orgs, login):
    alice = users["alice"]
    f.member(alice, orgs["ngo_b"], "caseworker")
    person = f.person(alice, orgs["ngo_a"])
    client = login(alice)
    url = reverse("cases:create") + f"?person={person.pk}"
    field = client.get(url).context["form"]["organisation"]
    assert not field.is_hidden
    assert {o.pk for o in field.field.queryset} == {orgs["ngo_a"].pk, orgs["ngo_b"].pk}
    assert field.initial == min(orgs["ngo_a"].pk, orgs["ngo_b"].pk)
    response = client.post(url, {"organisation": orgs["ngo_b"].pk, "opened_on": "2024-02-01"})
    assert response.status_code == 302
    assert Dossier.objects.get(person=person).owner_org == orgs["ngo_b"]
    # An organisation the user does not work for is not a valid choice.
    response = client.post(url, {"organisation": orgs["police"].pk, "opened_on": "2024-02-01"})
    assert response.status_code == 400 and "organisation" in response.context["form"].errors
