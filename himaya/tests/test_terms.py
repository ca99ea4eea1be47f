"""The catalogues use the words of docs/terms.md for its English terms (issue 15)."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "himaya" / "locale"


def terms():
    rows = []
    for line in (ROOT / "docs" / "terms.md").read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 4 or cells[0] in ("term", "---"):
            continue
        term, ar, fr, en = ([w.strip() for w in c.split(" / ")] for c in cells)
        rows.append((term[0], ar, fr, en))
    return rows


def catalogue(lang):
    with open(LOCALE / lang / "LC_MESSAGES" / "django.po", "rb") as po:
        return {m.id: m.string for m in read_po(po) if m.id}


def forms(value):
    return list(value) if isinstance(value, tuple) else [value]


def test_the_table_is_read():
    names = [row[0] for row in terms()]
    assert len(names) >= 12
    assert "dossier transfer (ownership)" in names and "referral (to a service)" in names


@pytest.mark.parametrize("row", terms(), ids=lambda row: row[0])
def test_catalogues_use_the_terms(row):
    term, ar_words, fr_words, en_words = row
    ar, fr = catalogue("ar"), catalogue("fr")
    english = re.compile(r"\b(" + "|".join(re.escape(w) for w in en_words) + r")\b", re.I)
    checked, wrong = 0, []
    for msgid, ar_string in ar.items():
        if not any(english.search(text) for text in forms(msgid)):
            continue
        checked += 1
        for lang, words, strings in (
            ("ar", ar_words, forms(ar_string)),
            ("fr", fr_words, forms(fr.get(msgid, ""))),
        ):
            missing = [
                s
                for s in strings
                if not any(w.lower() in s.lower() for w in words)
                # a column name of an exchange format, kept in English
                and not english.search(s)
            ]
            if missing:
                wrong.append((lang, forms(msgid)[0], missing[0]))
    assert checked > 0, f"no message holds {en_words}"
    assert wrong == []


def test_the_dossier_transfer_is_never_called_a_referral():
    """The Arabic for the dossier transfer is نقل, never إحالة (which is the referral)."""
    ar = catalogue("ar")
    wrong = [
        (msgid, ar[msgid])
        for msgid in ar
        if isinstance(msgid, str)
        and re.search(r"\btransfer", msgid, re.I)
        and "dossier" in msgid.lower()
        and "إحال" in ar[msgid]
    ]
    assert wrong == []
