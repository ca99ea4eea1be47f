"""Every record users see by its name is named in the deployment's languages, the demo names
them in all three, and an Arabic reader of the demo's main pages meets no French or English
record name (issue 15 item 10). The check of Latin words on Arabic pages is the walk's own
(himaya/testing/walk.py)."""

import html
import re

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from himaya.accounts.models import User
from himaya.conftest import verified_client
from himaya.core import trilingual
from himaya.justice.models import Suspect
from himaya.people.models import Person
from himaya.testing import walk

pytestmark = pytest.mark.django_db

# (model, the trios it is named by): every model whose records users see by a name.
NAMED = [
    ("accounts.Organisation", ("name",)),
    ("referrals.Facility", ("name", "city")),
    ("screening.Campaign", ("name",)),
    ("coordination.Plan", ("title",)),
    ("coordination.Axis", ("title",)),
    ("coordination.Objective", ("title",)),
    ("coordination.Measure", ("title",)),
    ("coordination.Indicator", ("name", "source")),
    ("coordination.IndicatorYear", ("source",)),
    ("core.Code", ("label",)),
]
# Trios a record may leave empty (a facility without a city, a computed indicator's source);
# given in one language, they are given in all three.
OPTIONAL_TRIOS = {"city", "source"}
# Fields a user reads as a record's name that are not written per language: none may be left.
ONE_LANGUAGE_NAMES = re.compile(r"^(name|title|label|city)$")
# Fields of that shape that are free text typed once by their writer, in the language they
# write in (a caller's city in a hotline report, the title of one training session or meeting,
# the label one gives one's API token, field device or uploaded file): shown as typed.
TYPED_ONCE = {
    "hotline.Report.city",
    "coordination.Training.title",
    "coordination.Meeting.title",
    "accounts.ApiToken.name",
    "field.FieldDevice.name",
    "coordination.Evidence.name",
}


def test_every_named_model_has_its_name_in_the_three_languages():
    for label, trios in NAMED:
        model = apps.get_model(label)
        fields = {f.name for f in model._meta.get_fields()}
        for trio in trios:
            missing = {f"{trio}_{code}" for code in trilingual.LANGS} - fields
            assert not missing, (label, missing)
    # and no other model of ours holds a one-language name field
    ours = [m for m in apps.get_models() if m.__module__.startswith("himaya.")]
    single = [
        f"{m._meta.label}.{f.name}"
        for m in ours
        for f in m._meta.concrete_fields
        if ONE_LANGUAGE_NAMES.match(f.name)
    ]
    single = [name for name in single if name not in TYPED_ONCE]
    assert single == []


def test_a_name_reads_in_the_readers_language_else_the_nearest():
    from himaya.referrals.models import Facility

    f = Facility(name_ar="مركز الأمان", name_fr="Centre Al Amane", name_en="")
    with translation.override("ar"):
        assert f.name == "مركز الأمان"
    with translation.override("fr"):
        assert f.name == "Centre Al Amane"
    with translation.override("en"):  # no English name: French before Arabic
        assert f.name == "Centre Al Amane"
    assert Facility(name_ar="مركز الأمان").name_in("fr") == "مركز الأمان"


NOTES = re.compile(r'(?s)<div[^>]*data-testid="note"><div[^>]*>.*?</div>.*?</div>')


def _visible_text(page):
    page = re.sub(r"(?is)<(script|style|template)\b.*?</\1>", " ", page)
    page = re.sub(r"(?s)<[^>]+>", " ", page)
    return html.unescape(page)


def _latin_names():
    """Names of people typed in Latin script: names, not French (as in the walk)."""
    words = set()
    for u in User.objects.all():
        words.update((u.username, u.first_name, u.last_name))
    for model in (Person, Suspect):
        for r in model.objects.all():
            words.update((r.given_name_lat or "", r.family_name_lat or ""))
    return {w for w in words if w}


def test_organisation_choices_sort_by_the_name_the_reader_sees():
    """The organisations' own order is their French name; every list of them offered in a form
    sorts by the name its reader sees (issue 15 item 10)."""
    from himaya.accounts.models import Organisation
    from himaya.coordination.forms import ActionForm, MeasureForm
    from himaya.people.forms import OrgChoiceField
    from himaya.testing.factories import OrganisationFactory

    a = OrganisationFactory(name_ar="جمعية الأمل", name_fr="Association Amal", name_en="Amal")
    b = OrganisationFactory(name_ar="أمان", name_fr="Zahra", name_en="Aman")
    c = OrganisationFactory(name_ar="مدرسة", name_fr="École", name_en="School")
    # in French, École among the E (a database's byte order puts it after Zahra)
    expected = {"ar": [b, a, c], "fr": [a, c, b], "en": [a, b, c]}
    for lang, order in expected.items():
        with translation.override(lang):
            names = [o.name for o in order]
            field = OrgChoiceField(Organisation.objects.all())
            assert [label for _v, label in field.choices][1:] == names, lang
            agency = ActionForm().fields["agency"]
            assert [label for _v, label in agency.choices][1:] == names, lang
            partners = MeasureForm().fields["partners"]
            assert [label for _v, label in partners.choices] == names, lang


def test_the_demos_arrest_places_and_officials_bodies_are_typed_in_arabic():
    from himaya.demo import justice as demo_justice

    assert not any(walk.LATIN_WORD.search(p) for p in demo_justice.PLACES)
    assert not any(walk.LATIN_WORD.search(body) for _kind, body in demo_justice.BODIES)


# The tests below share one demo (kept until the end of the module): those above need an empty
# database, so they come first.
@pytest.fixture(scope="module")
def demo(demo_database):
    """The run's demo deployment under this module's tests (himaya/conftest.py)."""
    return demo_database


def test_every_named_record_of_the_demo_has_its_three_names(demo):
    empty = []
    for label, trios in NAMED:
        model = apps.get_model(label)
        for record in model.objects.all():
            for trio in trios:
                if trio in OPTIONAL_TRIOS and not any(
                    getattr(record, f"{trio}_{c}") for c in trilingual.LANGS
                ):
                    continue
                gaps = [c for c in trilingual.LANGS if not getattr(record, f"{trio}_{c}").strip()]
                if gaps:
                    empty.append(f"{label} {record.pk} {trio}: {gaps}")
    assert empty == []


def _latin_record_names():
    """The demo's French and English record names: none may be read on an Arabic page (each
    record has an Arabic name, the one shown there); nor the French or English label of an
    official's kind of body."""
    from himaya.core.models import Code

    latin_names = set()
    for label, trios in NAMED:
        if label == "core.Code":
            continue
        for record in apps.get_model(label).objects.all():
            for trio in trios:
                latin_names.update(
                    getattr(record, f"{trio}_{code}").strip()
                    for code in ("fr", "en")
                    if walk.LATIN_WORD.search(getattr(record, f"{trio}_{code}"))
                )
    for code in Code.objects.filter(list="public_body"):
        latin_names.update((code.label_fr, code.label_en))
    return latin_names


def _arabic_pages():
    """The demo roles' main pages that show named records, by demo username."""
    from himaya.coordination.models import Indicator
    from himaya.justice.models import Prosecution
    from himaya.referrals.models import Facility
    from himaya.screening.models import Campaign

    facilities = [reverse("referrals:facility", args=[f.pk]) for f in Facility.objects.all()]
    campaigns = [reverse("screening:campaign_detail", args=[c.pk]) for c in Campaign.objects.all()]
    return {
        "shelter": [
            "/",
            reverse("referrals:beds"),
            reverse("referrals:directory"),
            *facilities,
        ],
        "caseworker": ["/", reverse("referrals:directory"), reverse("screening:campaign_list")],
        "police": ["/", reverse("screening:campaign_list"), reverse("screening:list")],
        "analyst": [
            reverse("screening:figures"),
            reverse("screening:campaign_list"),
            *campaigns,
        ],
        "focal": [
            reverse("coordination:index"),
            *{
                reverse("coordination:measure", args=[i.measure_id])
                for i in Indicator.objects.filter(figure="")
            },
        ],
        "analyst_oversight": [reverse("justice:oversight")],
        "prosecutor": [
            reverse("justice:prosecution", args=[p.pk])
            for p in Prosecution.objects.visible_to(User.objects.get(username="prosecutor"))
            .filter(suspect__public_official=True)
            .order_by("pk")[:3]
        ],
    }


def test_arabic_pages_of_the_demo_show_no_french_or_english_record_name(demo, figure):
    latin_names, people, pages = _latin_record_names(), _latin_names(), _arabic_pages()
    found, opened = [], 0
    for username, urls in pages.items():
        user = User.objects.get(username=username.removesuffix("_oversight"))
        user.preferred_language = "ar"
        user.save(update_fields=["preferred_language"])
        client = verified_client(user)
        for url in urls:
            response = client.get(url, follow=True)
            assert response.status_code == 200, (username, url, response.status_code)
            opened += 1
            # progress notes are free text typed in their writer's language, some in French
            page = NOTES.sub(" ", response.content.decode())
            text = _visible_text(page)
            shown = [n for n in latin_names if re.search(rf"\b{re.escape(n)}\b", text)]
            if shown:
                # told with the walk's own check, which quotes the Arabic around them
                findings = walk.foreign_words(text, allowed_words=people)
                found.append(f"{username} {url}: {shown} {findings[:3]}")
    roles = {name.removesuffix("_oversight") for name in pages}
    figure(
        f"demo names: {len(NAMED)} named models in ar/fr/en; {opened} Arabic pages of "
        f"{len(roles)} roles → {len(found)} French/English record names"
    )
    assert found == []


def test_the_demos_prosecutor_sees_an_officials_prosecution(demo):
    assert _arabic_pages()["prosecutor"], "the demo's prosecutor sees an official's prosecution"
