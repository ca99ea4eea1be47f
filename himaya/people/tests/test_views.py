import datetime

import pytest
from django.urls import reverse

from himaya.accounts.models import Organisation
from himaya.audit.models import AccessEvent
from himaya.people.models import Consent, IdentityDocument, Person
from himaya.testing import factories as f
from himaya.testing.routes import search

pytestmark = pytest.mark.django_db


def person_data(**overrides):
    data = {
        "given_name_ar": "مُحَمَّد",
        "family_name_ar": "العلوي",
        "given_name_lat": "",
        "family_name_lat": "",
        "sex": f.code("sex", "male").pk,
        "birth_date_precision": "year",
        "birth_year": "1990",
        "citizenships": [f.code("country", "MA").pk],
        "languages": [f.code("language", "ary").pk],
        "phones": "+212 600 000 000",
        "emails": "m@example.org",
        "address": "Casablanca",
        "organisation": Organisation.objects.get(name_en="NGO A").pk,
    }
    data.update(overrides)
    return data


def names_in(response):
    return [p.pk for p in response.context["page"]]


def test_create_person_with_arabic_name_found_by_latin_spelling_and_back(users, orgs, login):
    client = login(users["alice"])
    response = client.post(reverse("people:create"), person_data())
    assert response.status_code == 302, response.context["form"].errors
    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[person.pk])
    assert person.given_name_ar == "مُحَمَّد" and person.registered_by == orgs["ngo_a"]
    assert person.birth_date == datetime.date(1990, 1, 1)
    assert person.contacts["phones"] == ["+212 600 000 000"]
    latin = f.person(
        users["alice"], orgs["ngo_a"], given_name_lat="Mohammed", family_name_lat="Alaoui"
    )
    f.person(users["alice"], orgs["ngo_a"], given_name_lat="Karim", family_name_lat="Tazi")

    found = search(client, reverse("people:list"), {"q": "Mohammed"})
    assert set(names_in(found)) == {person.pk, latin.pk}
    # The exact spelling ranks first, the other script after.
    assert names_in(found)[0] == latin.pk
    found = search(client, reverse("people:list"), {"q": "محمد"})
    assert names_in(found) == [person.pk, latin.pk]
    assert "Karim" not in found.content.decode()


def test_latin_letters_in_arabic_field_are_refused_and_input_kept(users, login):
    client = login(users["alice"])
    response = client.post(
        reverse("people:create"), person_data(given_name_ar="Mohamed", family_name_lat="محمد")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "This field takes Arabic script" in html
    assert "This field takes Latin script" in html
    assert 'value="Mohamed"' in html and 'value="+212 600 000 000"' not in html
    assert "+212 600 000 000" in html  # textareas keep what was typed
    assert Person.objects.count() == 0


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"birth_date_precision": "exact", "birth_date": "2031-02-30"}, "birth_date"),
        ({"birth_date_precision": "exact", "birth_date": "2999-01-01"}, "birth_date"),
        ({"birth_date_precision": "exact", "birth_date": ""}, "birth_date"),
        ({"birth_date_precision": "estimated", "estimated_age": "130"}, "estimated_age"),
        ({"birth_date_precision": "estimated", "estimated_age": "-1"}, "estimated_age"),
        ({"given_name_ar": "ا" * 101}, "given_name_ar"),
        ({"citizenships": ["999999"]}, "citizenships"),
        ({"sex": "nonsense"}, "sex"),
        ({"emails": "not-an-email"}, "emails"),
    ],
)
def test_bad_input_is_a_form_error_never_a_500(users, login, overrides, field):
    response = login(users["alice"]).post(reverse("people:create"), person_data(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert Person.objects.count() == 0


def test_at_least_one_name_is_required(users, login):
    response = login(users["alice"]).post(
        reverse("people:create"), person_data(given_name_ar="", family_name_ar="")
    )
    assert response.status_code == 400
    assert "Give at least one name" in response.content.decode()


def test_detail_shows_identity_and_logs_the_read(users, orgs, login):
    person = f.person(
        users["alice"],
        orgs["ngo_a"],
        given_name_ar="فاطمة",
        birth_date_precision="estimated",
        birth_date=None,
        estimated_age=17,
        estimated_on=datetime.date(2024, 5, 1),
    )
    d = f.dossier(users["alice"], orgs["ngo_a"], the_person=person)
    response = login(users["alice"]).get(reverse("people:detail", args=[person.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "فاطمة" in html and "Fatima" in html and d.reference in html
    assert "about 17 years old" in html
    assert AccessEvent.objects.filter(
        actor_id=users["alice"].pk, person_id=person.pk, purpose="identity", outcome="ok"
    ).exists()
    # From the person to a screening of them, the person chosen already.
    screen = f"{reverse('screening:create')}?person={person.pk}"
    assert screen in html
    assert login(users["alice"]).get(screen).status_code == 200


@pytest.mark.parametrize("name", ["bob", "carol", "charlie", "olivia", "ana", "root"])
@pytest.mark.parametrize("view", ["people:detail", "people:edit"])
def test_outsiders_get_404_and_the_attempt_is_audited(users, orgs, login, name, view):
    person = f.person(users["alice"], orgs["ngo_a"])
    response = login(users[name]).get(reverse(view, args=[person.pk]))
    assert response.status_code == 404
    assert AccessEvent.objects.filter(
        actor_id=users[name].pk, object_id=str(person.pk), outcome="denied"
    ).exists()
    assert "Fatima" not in response.content.decode()


def test_missing_person_is_the_same_404_without_audit_noise(users, login):
    response = login(users["bob"]).get(reverse("people:detail", args=[987654]))
    assert response.status_code == 404
    assert not AccessEvent.objects.filter(outcome="denied").exists()


@pytest.mark.parametrize("name", ["charlie", "olivia", "ana"])
def test_list_and_create_need_a_victim_role(users, login, name):
    client = login(users[name])
    assert client.get(reverse("people:list")).status_code == 404
    assert client.post(reverse("people:create"), person_data()).status_code == 404
    assert Person.objects.count() == 0


def test_list_is_scoped_and_filters_never_500(users, orgs, login):
    mine = f.person(users["alice"], orgs["ngo_a"], given_name_lat="Amina")
    f.person(users["bob"], orgs["ngo_b"], given_name_lat="Amina")
    client = login(users["alice"])
    assert names_in(search(client, reverse("people:list"), {"q": "Amina"})) == [mine.pk]
    for params in (
        {"page": "999"},
        {"page": "abc"},
        {"sex": "x"},
        {"citizenship": "-1"},
        {"registered_by": orgs["ngo_b"].pk},
        {"q": "!!!"},
    ):
        response = client.get(reverse("people:list"), params)
        assert response.status_code == 200, params
    response = client.get(reverse("people:list"), {"sex": f.code("sex", "male").pk})
    assert names_in(response) == []
    response = search(client, reverse("people:list"), {"sex": "x", "q": "Amina"})
    assert names_in(response) == [mine.pk]  # a bad filter is shown, the others still apply
    assert response.context["form"].errors


def test_pagination_25_per_page(users, orgs, login):
    for i in range(27):
        f.person(users["alice"], orgs["ngo_a"], given_name_lat=f"Name{i}")
    client = login(users["alice"])
    assert len(names_in(client.get(reverse("people:list")))) == 25
    assert len(names_in(client.get(reverse("people:list"), {"page": 2}))) == 2
    assert len(names_in(client.get(reverse("people:list"), {"page": 50}))) == 2


def test_edit_with_stale_version_conflicts_and_does_not_overwrite(users, orgs, login):
    person = f.person(users["alice"], orgs["ngo_a"], given_name_lat="Fatima")
    client = login(users["alice"])
    form = client.get(reverse("people:edit", args=[person.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        given_name_lat="Fatiha",
        citizenships=data["citizenships"],
        languages=[],
        birth_date="1995-03-01",
    )
    stale = dict(data, given_name_lat="Fadwa")
    assert client.post(reverse("people:edit", args=[person.pk]), data).status_code == 302
    response = client.post(reverse("people:edit", args=[person.pk]), stale)
    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()
    assert 'value="Fadwa"' in response.content.decode()
    person.refresh_from_db()
    assert person.given_name_lat == "Fatiha" and person.version == 2


def test_bob_cannot_edit_alices_person(users, orgs, login):
    person = f.person(users["alice"], orgs["ngo_a"])
    response = login(users["bob"]).post(
        reverse("people:edit", args=[person.pk]), person_data(version=person.version)
    )
    assert response.status_code == 404
    person.refresh_from_db()
    assert person.given_name_ar == "" and person.version == 1


def test_add_document_and_consent_then_withdraw(users, orgs, login):
    person = f.person(users["alice"], orgs["ngo_a"])
    client = login(users["alice"])
    response = client.post(
        reverse("people:document_add", args=[person.pk]),
        {
            "doc-type": f.code("document_type", "passport").pk,
            "doc-number": "AB123456",
            "doc-issuing_country": f.code("country", "NG").pk,
            "doc-expires_on": "2030-01-01",
        },
    )
    assert response.status_code == 302
    doc = IdentityDocument.objects.get(person=person)
    assert doc.number == "AB123456" and doc.held_by_person is False  # unticked box
    response = client.post(
        reverse("people:consent_add", args=[person.pk]),
        {
            "consent-purpose": "services",
            "consent-given_on": "2024-01-10",
            "consent-given_by": "person",
            "consent-organisation": orgs["ngo_a"].pk,
        },
    )
    assert response.status_code == 302
    consent = Consent.objects.get(person=person)
    assert "AB123456" in client.get(reverse("people:detail", args=[person.pk])).content.decode()
    url = reverse("people:consent_withdraw", args=[person.pk, consent.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on is not None


def test_small_forms_refuse_bad_input_and_outsiders(users, orgs, login):
    person = f.person(users["alice"], orgs["ngo_a"])
    client = login(users["alice"])
    response = client.post(
        reverse("people:document_add", args=[person.pk]), {"doc-type": "999999", "doc-number": ""}
    )
    assert response.status_code == 400
    assert response.context["doc_form"].errors.keys() >= {"type", "number"}
    response = client.post(
        reverse("people:consent_add", args=[person.pk]),
        {
            "consent-purpose": "services",
            "consent-given_on": "2999-01-01",
            "consent-given_by": "person",
            "consent-organisation": orgs["ngo_b"].pk,
        },
    )
    assert response.status_code == 400
    assert response.context["consent_form"].errors.keys() >= {"given_on", "organisation"}
    consent = Consent.objects.create(
        person=person,
        purpose="services",
        given_on=datetime.date(2024, 1, 1),
        recorded_by=users["alice"],
        organisation=orgs["ngo_a"],
    )
    bob = login(users["bob"])
    assert (
        bob.post(
            reverse("people:document_add", args=[person.pk]),
            {"doc-type": f.code("document_type", "passport").pk, "doc-number": "X"},
        ).status_code
        == 404
    )
    assert (
        bob.post(reverse("people:consent_withdraw", args=[person.pk, consent.pk])).status_code
        == 404
    )
    assert not IdentityDocument.objects.exists()
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_huge_ids_and_values_are_errors_not_500(users, orgs, login):
    person = f.person(users["alice"], orgs["ngo_a"])
    client = login(users["alice"])
    huge = str(10**30)
    assert client.get(reverse("people:detail", args=[huge])).status_code == 404
    for params in ({"sex": huge}, {"citizenship": huge}, {"registered_by": huge}, {"page": huge}):
        assert client.get(reverse("people:list"), params).status_code == 200, params
    response = client.post(reverse("people:create"), person_data(citizenships=[huge], sex=huge))
    assert response.status_code == 400
    assert response.context["form"].errors.keys() >= {"citizenships", "sex"}
    response = client.post(
        reverse("people:edit", args=[person.pk]), person_data(version=huge, birth_year=huge)
    )
    assert response.status_code == 400
    assert response.context["form"].errors.keys() >= {"version", "birth_year"}
    url = reverse("people:consent_withdraw", args=[person.pk, huge])
    assert client.post(url).status_code == 404


def test_current_consents_exclude_future_and_withdrawn_ones(users, orgs):
    import datetime

    from django.utils import timezone

    from himaya.people import actions as people_actions
    from himaya.people.models import Consent

    alice = users["alice"]
    person = f.person(alice, orgs["ngo_a"])
    today = timezone.localdate()
    kept = people_actions.record_consent(
        person,
        acting_user=alice,
        organisation=orgs["ngo_a"],
        purpose="services",
        given_on=today - datetime.timedelta(days=10),
        given_by="person",
    )
    withdrawn = people_actions.record_consent(
        person,
        acting_user=alice,
        organisation=orgs["ngo_a"],
        purpose="sharing",
        given_on=today - datetime.timedelta(days=10),
        given_by="person",
    )
    people_actions.withdraw_consent(withdrawn, acting_user=alice)
    assert list(Consent.objects.filter(person=person).current()) == [kept]
    assert (
        list(Consent.objects.filter(person=person).current(on=today - datetime.timedelta(days=20)))
        == []
    )


def test_a_search_keeps_only_the_list_filters_in_the_address(users, orgs, login):
    client = login(users["alice"])
    response = client.post(
        reverse("people:list"),
        {"q": "Fatima", "given_name_lat": "Fatima", "sex": "x" * 100_000, "citizenship": "12"},
    )
    location = response["Location"]
    assert "Fatima" not in location and "given_name_lat" not in location
    assert "citizenship=12" in location and len(location) < 300
