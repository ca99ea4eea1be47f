"""Every interface string exists in Arabic and French, and pages read in those languages."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.urls import reverse

from himaya.testing import factories as f

LOCALE = Path(__file__).resolve().parents[1] / "locale"


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_catalogues_are_complete(lang):
    with open(LOCALE / lang / "LC_MESSAGES" / "django.po", "rb") as po:
        catalog = read_po(po)
    messages = [m for m in catalog if m.id]
    untranslated = [
        m.id for m in messages if not all(m.string if isinstance(m.string, tuple) else [m.string])
    ]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert len(messages) > 400
    assert untranslated == [] and fuzzy == []


ENGLISH = [
    "Persons",
    "Dossiers",
    "Log out",
    "Timeline",
    "Change the stage",
    "Add a note",
    "Record a person",
    "forms of exploitation",
]


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_main_pages_show_no_english(users, orgs, login, lang, figure):
    alice = users["alice"]
    alice.preferred_language = lang
    alice.save()
    dossier = f.dossier(alice, orgs["ngo_a"])
    client = login(alice)
    pages = [
        reverse("home"),
        reverse("people:list"),
        reverse("people:create"),
        reverse("people:detail", args=[dossier.person_id]),
        reverse("cases:list"),
        reverse("cases:detail", args=[dossier.pk]),
        reverse("accounts:security"),
    ]
    leftovers = []
    for url in pages:
        html = client.get(url).content.decode()
        assert f'lang="{lang}"' in html
        text = re.sub(r"<[^>]+>", " ", html)
        # "Dossiers" is French too.
        words = [w for w in ENGLISH if not (lang == "fr" and w == "Dossiers")]
        leftovers += [(url, word) for word in words if re.search(rf"\b{word}\b", text)]
    figure(f"i18n: {len(pages)} main pages in {lang} → {len(leftovers)} English labels left")
    assert leftovers == []
