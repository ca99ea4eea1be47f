"""Pieces shared by the PDFs Himaya prints through WeasyPrint (the annual report, the dossier
summary): text that goes into the CSS of page margins."""

import re

from django.utils.translation import gettext as _


def css_string(text):
    """``text`` as a CSS string, escaped so that no text (a user's or an organisation's name)
    can close the <style> element or the string. Line breaks (CSS counts \\r and \\f too) become
    spaces; the bidi isolates that keep a name or a date in order become CSS escapes, since
    the page's template output loses the characters themselves (core/bidi.py)."""
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    text = re.sub(r"[\r\n\f]", " ", text)
    text = re.sub("[\u2066-\u2069]", lambda m: f"\\{ord(m.group()):x} ", text)
    return '"' + text.replace("<", "\\3c ").replace(">", "\\3e ") + '"'


def page_counter_css():
    """CSS ``content`` for the footer's "page X of Y", built from one translated msgid so a
    language can order the words as it needs."""
    marker = _("Page %(page)s of %(pages)s") % {"page": "\x00page\x00", "pages": "\x00pages\x00"}
    parts = []
    for i, piece in enumerate(marker.split("\x00")):
        if i % 2:
            parts.append(f"counter({piece})")
        elif piece:
            parts.append(css_string(piece))
    return " ".join(parts)
