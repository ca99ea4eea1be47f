"""Characters that change how text is shown without being seen (Unicode TR #36 §2.1, the
"Trojan Source" attacks, CVE-2021-42574).

An embedding or override (U+202A–U+202E) or an isolate (U+2066–U+2069) reorders the letters
around it: "Amina" + RLO + "ilaneB" shows as "Amina Benali" reversed, and an unterminated one
drags the rest of its line with it. Two rules, one each for names and for free text:

- **Names refuse them** (``check_name``), with the other invisible format and control
  characters: a name is compared, searched and linked, and an invisible character makes
  "فاطمة" and RLM + "فاطمة" two names for the exact linkage keys (core/names.py folds case
  and accents, not format characters), so a duplicate ranks lower at the linkage desk.
  Direction *marks* (LRM U+200E, RLM U+200F, ALM U+061C) are refused too: a name field holds
  one script (people/validators.py) and is shown isolated, so a mark has no mixed-direction
  run to repair there; it only arrives pasted from a word processor or a phone, invisibly.
  The joiners ZWNJ U+200C and ZWJ U+200D are accepted: Persian and Urdu names written in
  Arabic letters need ZWNJ (ملک + ZWNJ + زاده), Indic scripts need both, and neither
  reorders text.
- **Free text keeps what was typed** (a note or a tip is evidence) and is neutralised when
  shown (``neutralise``): every template's output loses the embedding, override and isolate
  characters (core/templating.py), and the ``bidi`` filter shows a value isolated in
  ``<bdi dir="auto">``, so that its direction neither comes from nor leaks into the page.
  Marks stay: they cannot reorder letters, and mixed Arabic and French notes use them.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext_lazy as _

# LRE, RLE, PDF, LRO, RLO; LRI, RLI, FSI, PDI.
EMBEDDINGS = "\u202a\u202b\u202c\u202d\u202e"
ISOLATES = "\u2066\u2067\u2068\u2069"
BIDI_CONTROLS = EMBEDDINGS + ISOLATES
MARKS = "\u200e\u200f\u061c"
JOINERS = "\u200c\u200d"
# Invisible "letters" (category Lo) that show as nothing: Hangul fillers.
FILLERS = "\u115f\u1160\u3164\uffa0"

# What display removes: the bidi controls, the deprecated format controls U+206A–U+206F
# (symmetric swapping, Arabic form shaping, digit shapes) and the interlinear annotation
# characters U+FFF9–U+FFFB, which some renderers use to hide the text between them.
_DISPLAY = re.compile("[\u202a-\u202e\u2066-\u206f\ufff9-\ufffb]")
# Categories refused in names: controls (C0, C1), format characters, line and paragraph
# separators.
_NAME_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}
# What shows nothing at all (``blank``): those and the spaces (tabs and line ends are Cc).
_INVISIBLE = _NAME_CATEGORIES | {"Zs"}


def hidden_characters(value):
    """(position, character) of each character a name refuses; positions count from 1."""
    return [
        (i, ch)
        for i, ch in enumerate(value or "", start=1)
        if ch not in JOINERS and (unicodedata.category(ch) in _NAME_CATEGORIES or ch in FILLERS)
    ]


def blank(text) -> bool:
    """Whether ``text`` shows nothing: empty, or only spaces and invisible characters (direction
    marks, joiners, other format and control characters, fillers). A reason, a note or a
    detail the action requires says nothing then, though ``str.strip`` leaves it non-empty."""
    return all(unicodedata.category(ch) in _INVISIBLE or ch in FILLERS for ch in text or "")


def describe(ch):
    """U+202E (RIGHT-TO-LEFT OVERRIDE): how a user can find an invisible character."""
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X} ({name})" if name else f"U+{ord(ch):04X}"


def check_name(value):
    """Refuse a name that holds an invisible character (a validator for forms, serializers and
    the actions). The message names the character and its place, not the value: it may travel
    in a JSON error or an import report."""
    found = hidden_characters(value)
    if found:
        position, ch = found[0]
        raise ValidationError(
            _(
                "A name cannot hold invisible characters that change how text is shown: "
                "%(character)s at position %(position)s. Type the name again without it."
            ),
            code="hidden_character",
            params={"character": describe(ch), "position": position},
        )


def neutralise(text):
    """The text without the characters that reorder what is shown around them."""
    if not text or not _DISPLAY.search(text):
        return text
    cleaned = _DISPLAY.sub("", text)
    # These characters are never part of markup: safe markup stays safe without them.
    return mark_safe(cleaned) if isinstance(text, SafeData) else cleaned  # noqa: S308


def count_display_controls(text):
    """How many characters ``neutralise`` would remove."""
    return len(_DISPLAY.findall(text or ""))


def isolate(value, autoescape=True):
    """A free-text value as shown: escaped, neutralised, in its own direction (``<bdi>`` with
    ``dir="auto"``), so that an Arabic note keeps its order in a French page and the reverse."""
    if value is None or value == "":
        return ""
    text = neutralise(value if isinstance(value, str) else str(value))
    if not autoescape:
        text = mark_safe(text)  # noqa: S308 -- autoescape is off: the template shows it as is
    return format_html('<bdi dir="auto">{}</bdi>', text)


# --- Isolating what Himaya itself puts inside a sentence -----------------------------------
# A reference, a date or a name inside a translated sentence must keep its own order (a Latin
# HMY-2026-000346 or a date inside Arabic text, an Arabic name inside French). In a page that
# is <bdi> markup: the isolate characters would be removed with every other bidi control on
# the way out (core/templating.py). Where markup cannot go (CSS ``content`` strings of PDF
# margins), core.pdf.css_string writes the isolate characters as CSS escapes.


def isolate_plain(text):
    """``text`` between FSI and PDI, for a plain-text sentence (a PDF margin); in a page, use
    ``isolate`` (<bdi>)."""
    return f"\u2068{text}\u2069"


def html_sentence(template, **parts):
    """A translated %-sentence as HTML: the sentence and every part escaped, parts made with
    ``isolate()`` kept as markup."""
    return mark_safe(  # noqa: S308 - the sentence and every part are escaped here
        conditional_escape(str(template)) % {k: conditional_escape(v) for k, v in parts.items()}
    )
