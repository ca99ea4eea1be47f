"""Punctuation of the reader's language: Arabic has its own comma (،), semicolon (؛) and
question mark (؟). A list of labels joined with a Latin ", " reads wrongly inside Arabic text, so
every list shown to a user is joined here, in the language active when it is shown."""

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
