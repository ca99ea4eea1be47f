"""Every string the Python code marks for translation reaches the catalogues.

`makemessages` finds a string only through the names Django's xgettext call knows (`_`,
`gettext`, `pgettext_lazy`, …). A translation function imported under another name (`gettext
as _t`) is invisible to it: the string is never offered to translators and shows in English on an
Arabic page. The first test refuses such aliases; the second extracts every marked string of the
Python sources with Babel (the same keywords) and finds each one in the Arabic and French
catalogues, so a string added without running `make messages` fails here, not in front of a user.
"""

import ast
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "locale"

# The keywords of Django's makemessages (django/core/management/commands/makemessages.py), in
# Babel's notation: the argument positions of the message id, the plural and the context.
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}
TRANSLATION_MODULES = {"django.utils.translation"}


def _sources():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "migrations" in parts or "tests" in parts or parts[0] == "testing":
            continue
        yield path


def _aliases(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in TRANSLATION_MODULES:
            for name in node.names:
                if name.asname and name.asname not in KEYWORDS:
                    yield name.name, name.asname, node.lineno


def test_translation_functions_keep_names_makemessages_knows():
    hidden = []
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for name, alias, line in _aliases(tree):
            hidden.append(f"{path.relative_to(ROOT)}:{line}: {name} as {alias}")
    assert hidden == [], "strings marked through these names never reach the catalogue"


def _marked():
    """(msgid, context, where) of every string marked in the Python sources."""
    for path in _sources():
        with open(path, "rb") as source:
            for line, message, _comments, context in extract_from_file(
                "python", source.name, keywords=KEYWORDS, comment_tags=()
            ):
                msgid = message[0] if isinstance(message, tuple) else message
                if msgid:
                    yield msgid, context, f"{path.relative_to(ROOT)}:{line}"


@pytest.fixture(scope="module")
def marked():
    found = list(_marked())
    assert len(found) > 1000  # the extraction itself works
    return found


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_every_marked_string_is_in_the_catalogue(marked, lang):
    with open(LOCALE / lang / "LC_MESSAGES" / "django.po", "rb") as po:
        catalog = read_po(po)
    missing = sorted(
        {
            f"{where}: {msgid!r}" + (f" (context {context!r})" if context else "")
            for msgid, context, where in marked
            if catalog.get(msgid, context=context) is None
        }
    )
    assert missing == [], f"{len(missing)} marked strings are not in the {lang} catalogue"
