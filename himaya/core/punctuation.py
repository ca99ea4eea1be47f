"""Punctuation of the reader's language: Arabic has its own comma (،), semicolon (؛) and
question mark (؟). A list of labels joined with a Latin ", " reads wrongly inside Arabic text, so
every list shown to a user is joined here, in the language active when it is shown."""

from babel.lists import format_list
from django.conf import settings
from django.utils.translation import get_language

ARABIC = {",": "،", ";": "؛", "?": "؟"}


def _arabic():
    return (get_language() or "ar")[:2] == "ar"


def comma():
    return "، " if _arabic() else ", "


def semicolon():
    return "؛ " if _arabic() else "; "


def join_words(items):
    """Labels or names, one after another: "a، b، c" in Arabic, "a, b, c" otherwise."""
    return comma().join(str(i) for i in items)


def join_clauses(items):
    """Clauses that may hold commas of their own: "a؛ b" in Arabic, "a; b" otherwise."""
    return semicolon().join(str(i) for i in items)


def babel_locale():
    """The CLDR locale of the active language, Moroccan forms (settings.BABEL_LOCALES)."""
    return settings.BABEL_LOCALES.get((get_language() or "ar")[:2], "en_GB")


def join_alternatives(items):
    """ "a, b or c" in the reader's language (CLDR's list patterns, through Babel): "a، b أو c"
    in Arabic, "a, b ou c" in French."""
    items = [str(i) for i in items if i]
    return format_list(items, style="or", locale=babel_locale()) if items else ""
