"""Lists of organisations in the order of the names their reader sees: an Arabic reader got the
administration list, the organisations API and the providers' directory in the order of the
French names (the model's own order)."""

import pytest
from django.urls import reverse

from himaya.referrals.models import Provider
from himaya.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(orgs):
    """Alpha/ياء and Beta/ألف: French and Arabic alphabetical orders disagree."""
    alpha = f.OrganisationFactory(name_fr="AAA Alpha", name_en="AAA Alpha", name_ar="ياء")
    beta = f.OrganisationFactory(name_fr="AAB Beta", name_en="AAB Beta", name_ar="ألف")
    return alpha, beta


def _speaking(client, language):
    client.post(reverse("accounts:set_language"), {"language": language})
    return client


def test_the_administration_list_follows_the_reader(users, login, two):
    alpha, beta = two
    for language, first, second in (("fr", "AAA Alpha", "AAB Beta"), ("ar", "ألف", "ياء")):
        page = _speaking(login(users["root"]), language).get(reverse("orgs:list"))
        html = page.content.decode()
        assert html.index(first) < html.index(second), language


def test_the_organisations_api_follows_the_language_of_the_answer(users, login, two):
    alpha, beta = two
    for language, ids in (("fr", [alpha.pk, beta.pk]), ("ar", [beta.pk, alpha.pk])):
        client = _speaking(login(users["ana"]), language)
        listed = []
        url = "/api/organisations/"
        while url:
            body = client.get(url).json()
            listed += [o["id"] for o in body["results"]]
            url = body.get("next")
        assert [pk for pk in listed if pk in ids] == ids, language


def test_the_providers_directory_follows_the_reader(users, login, two):
    alpha, beta = two
    for org in (alpha, beta):
        Provider.objects.create(organisation=org, services=["medical"], groups=["women"])
    for language, first, second in (("fr", "AAA Alpha", "AAB Beta"), ("ar", "ألف", "ياء")):
        html = _speaking(login(users["alice"]), language).get("/services/").content.decode()
        assert html.index(first) < html.index(second), language


def test_an_accounts_language_is_named_in_the_readers_language(users, login):
    """The account page named the account's language by its own name ("Français" on an Arabic
    page: the walk's finding in Arabic)."""
    from django.utils import translation
    from django.utils.translation import get_language_info

    bob = users["bob"]
    bob.preferred_language = "fr"
    bob.save()
    html = (
        _speaking(login(users["root"]), "ar")
        .get(reverse("orgs:user_detail", args=[bob.pk]))
        .content.decode()
    )
    with translation.override("ar"):
        arabic = str(get_language_info("fr")["name_translated"])
    assert arabic in html and "Français" not in html.split("<main", 1)[1].split("</main>")[0]
