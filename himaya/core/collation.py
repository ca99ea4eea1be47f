"""Sorting names in the reader's language: country lists in alphabetical order of the names the
reader sees, not of the ISO codes behind them.

With PyICU installed, ICU's collation for the language decides. Without it, a key that does
what readers of these lists expect: in Arabic the article (ال) is ignored, as dictionaries do
(الجزائر under ج), and the forms of alif and hamza, diacritics and tatweel fold away; in French
and English accents and case are ignored (Égypte beside Équateur under E, Îles Cook under I).
"""

import re
import unicodedata
from functools import lru_cache

try:  # optional: a deployment may install PyICU for ICU's collation
    import icu
except ImportError:  # pragma: no cover - depends on the machine
    icu = None

_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "ئ": "ي",
        "ى": "ي",
        "ة": "ه",
        "ء": "",
        "ـ": "",  # tatweel
    }
)
_LATIN_FOLD = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d"})
_ARTICLE = re.compile(r"(?:^|(?<=\s))ال(?=\S\S)")
_SEPARATORS = re.compile(r"[\W_]+")


def _fold(text):
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = unicodedata.normalize("NFC", text).translate(_ARABIC_FOLD).translate(_LATIN_FOLD)
    text = _ARTICLE.sub("", text)
    return _SEPARATORS.sub(" ", text).strip()


@lru_cache(maxsize=8)
def _collator(lang):
    collator = icu.Collator.createInstance(icu.Locale(lang))
    collator.setStrength(icu.Collator.SECONDARY)
    return collator


# Cached: a country list sorts the same 250 labels on every page that shows one (issue 15,
# item 23); labels and languages are few and the keys small.
@lru_cache(maxsize=8192)
def sort_key(text, lang):
    """A key that orders ``text`` as a reader of ``lang`` expects."""
    text = text or ""
    if icu is not None:
        # ICU orders the letters; the Arabic article is still left out, as in dictionaries.
        return (_collator(lang).getSortKey(_ARTICLE.sub("", text)),)
    return (_fold(text), text)
