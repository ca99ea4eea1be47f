"""Country lists (issue 15, items 7 and 8): in the order of the names the reader sees, the
deployment's country first, and without the codes the deployment leaves out (EH for Morocco)
in forms, filters, the API, the registers' and HTCDS imports."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from himaya.core.collation import sort_key
from himaya.core.models import Code
from himaya.exchange import services
from himaya.exchange.htcds import importing
from himaya.exchange.models import ImportRun
from himaya.exchange.tests.helpers import sheets, workbook
from himaya.exchange.tests.test_htcds_helpers import filled
from himaya.exchange.tests.test_htcds_import import ngo_rows
from himaya.justice.models import Suspect
from himaya.people.forms import DocumentForm, PersonFilterForm, PersonForm
from himaya.people.models import Person
from himaya.people.tests.test_api import post, token_client
from himaya.people.tests.test_views import person_data
from himaya.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def labels(field):
    return [str(label) for value, label in field.choices if value != ""]


def test_the_key_ignores_the_arabic_article_hamza_and_french_accents():
    assert sort_key("الجزائر", "ar")[0] == sort_key("جزائر", "ar")[0]
    assert sort_key("إثيوبيا", "ar")[0] == sort_key("اثيوبيا", "ar")[0]
    assert sort_key("Égypte", "fr")[0] == sort_key("egypte", "fr")[0]
    words = ["Équateur", "Égypte", "Espagne", "El Salvador", "Îles Cook", "Irlande", "Inde"]
    assert sorted(words, key=lambda w: sort_key(w, "fr")) == [
        "Égypte",
        "El Salvador",
        "Équateur",
        "Espagne",
        "Îles Cook",
        "Inde",
        "Irlande",
    ]
    arabic = ["المغرب", "تونس", "الجزائر", "مصر", "السنغال", "بلجيكا", "اليمن"]
    assert sorted(arabic, key=lambda w: sort_key(w, "ar")) == [
        "بلجيكا",
        "تونس",
        "الجزائر",
        "السنغال",
        "مصر",
        "المغرب",
        "اليمن",
    ]


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_every_country_select_is_in_the_readers_order_morocco_first(lang):
    with translation.override(lang):
        fields = [
            PersonForm().fields["citizenships"],
            DocumentForm().fields["issuing_country"],
            PersonFilterForm().fields["citizenship"],
        ]
        expected_first = Code.objects.get(list="country", code="MA").label
        for field in fields:
            names = labels(field)
            assert len(names) > 200
            assert names[0] == expected_first
            rest = names[1:]
            assert rest == sorted(rest, key=lambda n: sort_key(n, lang))
            # Not the order of the ISO codes: Andorra (AD) is not first after Morocco.
            assert rest[0] != Code.objects.get(list="country", code="AD").label


def test_arabic_and_french_lists_read_alphabetically():
    with translation.override("ar"):
        names = labels(PersonFilterForm().fields["citizenship"])
    assert names[0] == "المغرب"
    assert names.index("تونس") < names.index("الجزائر") < names.index("السنغال")
    assert names.index("السنغال") < names.index("مصر") < names.index("اليمن")
    with translation.override("fr"):
        names = labels(PersonFilterForm().fields["citizenship"])
    assert names[0] == "Maroc"
    assert names.index("Égypte") < names.index("Espagne") < names.index("France")


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_western_sahara_is_offered_nowhere(lang):
    with translation.override(lang):
        label = Code.objects.get(list="country", code="EH").label
        for field in (
            PersonForm().fields["citizenships"],
            DocumentForm().fields["issuing_country"],
            PersonFilterForm().fields["citizenship"],
        ):
            assert label not in labels(field)


def test_the_person_page_lists_countries_in_arabic_order_and_refuses_eh(users, login):
    alice = users["alice"]
    alice.preferred_language = "ar"
    alice.save()
    client = login(alice)
    page = client.get(reverse("people:create")).content.decode()
    select = re.search(r'<select name="citizenships".*?</select>', page, re.S).group(0)
    options = re.findall(r"<option[^>]*>([^<]+)</option>", select)
    assert options[0] == "المغرب" and "الصحراء الغربية" not in options
    eh = Code.objects.get(list="country", code="EH")
    response = client.post(reverse("people:create"), person_data(citizenships=[eh.pk]))
    assert response.status_code == 400
    assert response.context["form"].errors["citizenships"]
    assert Person.objects.count() == 0


def test_the_api_refuses_an_excluded_country_by_name(users):
    response = post(
        token_client(users["alice"]),
        "/api/persons/",
        {"given_name_lat": "Amina", "citizenships": ["EH"]},
    )
    assert response.status_code == 400
    assert "“EH” is not accepted in the list “country”." in str(response.json())
    assert Person.objects.count() == 0


def test_the_setting_decides_what_is_left_out(settings):
    settings.HIMAYA_EXCLUDED_COUNTRIES = frozenset()
    assert "EH" in {c.code for c in Code.objects.of("country")}
    settings.HIMAYA_EXCLUDED_COUNTRIES = frozenset({"EH", "XK"})
    codes = {c.code for c in Code.objects.of("country")}
    assert "EH" not in codes and "XK" not in codes and "MA" in codes


@pytest.mark.parametrize("value", ["EH", "Western Sahara", "Sahara occidental", "الصحراء الغربية"])
def test_the_register_import_refuses_it_naming_row_and_column(users, orgs, value):
    data = sheets()
    data["suspects"][2][5] = value  # the second suspect's citizenship: sheet row 3
    with translation.override("en"):
        _run, result = services.run_import(
            workbook(data),
            "register.xlsx",
            user=users["paula"],
            organisation=orgs["parquet"],
            commit=False,
        )
    found = [e for e in result.errors if e.sheet == "suspects"]
    assert [(e.row, e.column) for e in found] == [(3, "citizenship")]
    assert f"“{value}” is not accepted in this list: this system leaves it out." in found[0].message
    assert Suspect.objects.count() == 0


def test_the_casework_import_refuses_it(users, orgs):
    rows = [
        ["ref", "opened_on", "given_name_lat", "nationalité", "recruitment_country"],
        ["D-1", "2024-02-10", "Amina", "MA", "Sahara occidental"],
        ["D-2", "2024-02-11", "Awa", "EH", "SN"],
    ]
    with translation.override("en"):
        _run, result = services.run_import(
            workbook({"dossiers": rows}),
            "c.xlsx",
            user=users["alice"],
            organisation=orgs["ngo_a"],
            commit=False,
            register="casework",
        )
    assert sorted((e.row, e.column) for e in result.errors) == [
        (2, "recruitment_country"),
        (3, "citizenship"),
    ]
    assert all("this system leaves it out" in e.message for e in result.errors)
    assert Person.objects.count() == 0


def test_the_htcds_import_refuses_it_in_citizenship_and_places(users, orgs):
    rows = ngo_rows()
    rows[0]["Citizenship"] = "Western Sahara"
    rows[1]["vic_LocationOfRecruitment"] = "Laayoune, Western Sahara"
    run, _converted = importing.check(
        filled(rows), "cases.xlsx", user=users["alice"], organisation=orgs["ngo_a"]
    )
    assert run.status == ImportRun.Status.REJECTED
    found = {(e["row"], e["column"]): e["message"] for e in run.errors}
    assert "this system leaves it out" in found[(3, "prs_Citizenship")]
    assert "this system leaves it out" in found[(4, "vic_LocationOfRecruitment")]
    assert Person.objects.count() == 0


def test_a_suspect_with_an_excluded_citizenship_is_refused_by_the_action(users, orgs):
    from django.core.exceptions import ValidationError

    from himaya.justice.actions import check_code

    with pytest.raises(ValidationError):
        check_code("citizenship", f.code("country", "EH"), "country")
    assert check_code("citizenship", f.code("country", "SN"), "country").code == "SN"
