"""Arabic reads as Arabic (issue 15, item 9): a number meets its noun in the right one of Arabic's
six plural forms, and Arabic text carries Arabic punctuation (، ؛ ؟), never a Latin , ; ? between
Arabic words: in the catalogue, and in the pages as rendered."""

import datetime
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.test import Client
from django.urls import reverse
from django.utils import translation

from himaya.accounts.models import User
from himaya.core.punctuation import join_clauses, join_words
from himaya.hotline.templatetags.hotline import duration
from himaya.referrals.models import Provider

LOCALE = Path(__file__).resolve().parents[1] / "locale"
AR = "\u0600-\u06ff"
# A Latin comma, semicolon or question mark with Arabic on both sides (spaces, marks and
# closing quotes between), or a Latin question mark right after Arabic.
LATIN_IN_ARABIC = re.compile(rf"[{AR}»]\s*[,;]\s*[{AR}«]|[{AR}]\s*\?")


def minutes(n):
    return datetime.timedelta(minutes=n)


@pytest.mark.parametrize(
    "lang, value, shown",
    [
        ("ar", minutes(1), "دقيقة واحدة"),
        ("ar", minutes(2), "دقيقتين"),
        ("ar", minutes(9), "9 دقائق"),
        ("ar", minutes(13), "13 دقيقة"),
        ("ar", minutes(3 * 60 + 13), "3 ساعات، 13 دقيقة"),
        ("ar", minutes(2 * 60), "ساعتين"),
        ("ar", minutes(11 * 24 * 60 + 60), "11 يومًا، ساعة واحدة"),
        ("ar", minutes(100 * 24 * 60), "100 يوم"),
        ("fr", minutes(3 * 60 + 13), "3 heures, 13 minutes"),
        ("fr", minutes(1), "1 minute"),
        ("en", minutes(2 * 24 * 60 + 4 * 60), "2 days, 4 hours"),
    ],
)
def test_durations_use_the_plural_forms_of_the_language(lang, value, shown):
    with translation.override(lang):
        assert duration(value) == shown


def test_lists_are_joined_with_the_punctuation_of_the_language():
    with translation.override("ar"):
        assert join_words(["إيواء", "مساعدة قانونية"]) == "إيواء، مساعدة قانونية"
        assert join_clauses(["أ، ب", "ج"]) == "أ، ب؛ ج"
    with translation.override("fr"):
        assert join_words(["hébergement", "aide juridique"]) == "hébergement, aide juridique"


def test_the_arabic_catalogue_has_six_plural_forms_and_arabic_punctuation():
    with open(LOCALE / "ar" / "LC_MESSAGES" / "django.po", "rb") as po:
        catalog = read_po(po)
    assert catalog.num_plurals == 6
    assert catalog.plural_expr.replace(" ", "") == (
        "n==0?0:n==1?1:n==2?2:n%100>=3&&n%100<=10?3:n%100>=11&&n%100<=99?4:5"
    )
    plural_entries = [m for m in catalog if m.id and isinstance(m.id, tuple)]
    assert plural_entries and all(len(m.string) == 6 for m in plural_entries)
    latin = [
        (m.id, s)
        for m in catalog
        if m.id
        for s in (m.string if isinstance(m.string, tuple) else [m.string])
        if LATIN_IN_ARABIC.search(s)
    ]
    assert latin == []


def test_the_activation_page_shows_the_password_rules_in_arabic(orgs, users):
    """Django builds the rules once at start-up, in English: the page builds them in Arabic, with
    the plural form of 12 (حرفًا, not أحرف)."""
    from himaya.accounts import activation

    nadia = User.objects.create_user("nadia", email="nadia@example.org")  # no usable password
    client = Client()
    client.cookies["himaya_language"] = "ar"
    link = activation.link_for(nadia)
    opened = client.get("/" + link.split("://", 1)[1].split("/", 1)[1])
    page = client.get(opened["Location"]).content.decode()
    assert "يجب أن تتكون كلمة المرور من 12 حرفًا على الأقل." in page
    assert "Your password" not in page and "at least 12" not in page


def test_arabic_pages_join_labels_with_the_arabic_comma(orgs, users, login):
    alice = users["alice"]
    alice.preferred_language = "ar"
    alice.save()
    Provider.objects.create(
        organisation=orgs["ngo_b"],
        services=["shelter", "legal_aid", "psychosocial"],
        groups=["women", "children"],
    )
    client = login(alice)
    html = client.get(reverse("referrals:provider", args=[orgs["ngo_b"].pk])).content.decode()
    text = re.sub(r"<[^>]+>", " ", html)
    assert "، " in text
    assert LATIN_IN_ARABIC.findall(text) == []
