"""Name normalisation for search and linkage (DOMAIN.md §8).

Two keys are derived from every name token:

- the *folded* form, exact within its script: Arabic without diacritics or tatweel, with
  أ إ آ → ا, ى → ي, ة → ه; Latin lower-cased without accents;
- a consonant *skeleton* shared by both scripts: محمد, Mohamed, Mohammed and Muhammad all give
  ``mhmd``; فاطمة and Fatima give ``ftm``. It finds a name across scripts and spellings; results
  are then ranked by how many folded forms match exactly, since a skeleton alone is a blocking
  key, not a decision.

Particles (بن, ben, bin, ibn, ould, ولد) are dropped; articles (ال, El, Al-) are stripped with the
unstripped form kept as an alternative; عبد and the Latin abd/abdel/abdul are joined to the name
that follows, as they are written both ways.
"""

import re
import unicodedata
from functools import lru_cache

ARABIC_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
ARABIC_LETTERS = re.compile("[\u0621-\u064a]")
PARTICLES = {"بن", "ابن", "بنت", "ولد", "ben", "bin", "ibn", "bent", "bint", "ould", "ait", "aït"}
LATIN_ARTICLES = ("al-", "el-", "al", "el")
ABD_LATIN = {"abd", "abdel", "abdul", "abdal", "abdou", "abdoul", "abdil"}

# Arabic letter → consonant class; '' means a vowel-like letter dropped from the skeleton.
ARABIC_SKELETON = {
    "ا": "",
    "ء": "",
    "ؤ": "",
    "ئ": "",
    "ع": "",
    "ى": "",
    "و": "",
    "ي": "",
    "ب": "b",
    "ت": "t",
    "ث": "t",
    "ج": "j",
    "ح": "h",
    "خ": "k",
    "د": "d",
    "ذ": "d",
    "ر": "r",
    "ز": "z",
    "س": "s",
    "ش": "S",
    "ص": "s",
    "ض": "d",
    "ط": "t",
    "ظ": "z",
    "غ": "g",
    "ف": "f",
    "ق": "k",
    "ك": "k",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ه": "h",
    "ة": "h",
    "پ": "b",
    "ڤ": "f",
    "گ": "g",
}
# Latin digraphs first, then single letters; vowels (and y/w inside a word) are dropped.
LATIN_DIGRAPHS = [
    ("dj", "j"),
    ("kh", "k"),
    ("gh", "g"),
    ("ch", "S"),
    ("sh", "S"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("ou", ""),
    ("qu", "k"),
]
LATIN_SKELETON = {
    "c": "k",
    "q": "k",
    "x": "ks",
    "v": "f",
    "p": "b",
    "e": "",
    "a": "",
    "i": "",
    "o": "",
    "u": "",
    "y": "",
    "w": "",
    "'": "",
    "-": "",
}


def is_arabic(text: str) -> bool:
    return bool(ARABIC_LETTERS.search(text))


def fold_arabic(text: str) -> str:
    text = ARABIC_DIACRITICS.sub("", unicodedata.normalize("NFKC", text))
    return (
        text.replace("أ", "ا")
        .replace("إ", "ا")
        .replace("آ", "ا")
        .replace("ٱ", "ا")
        .replace("ى", "ي")
        .replace("ة", "ه")
    )


def fold_latin(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _tokens(text: str) -> list[str]:
    text = fold_arabic(text) if is_arabic(text) else fold_latin(text)
    return [t for t in re.split(r"[\s,.;/()\u060c]+", text) if t]


def _join_abd(tokens: list[str]) -> list[str]:
    joined, i = [], 0
    while i < len(tokens):
        tok = tokens[i]
        if (tok == "عبد" or tok in ABD_LATIN) and i + 1 < len(tokens):
            joined.append(tok + tokens[i + 1])
            i += 2
            continue
        joined.append(tok)
        i += 1
    return joined


def _strip_final_h(skeleton: str) -> str:
    # A final ة / -ah / -a is silent or a vowel in transliteration: Fatima, Fatimah, فاطمة.
    return skeleton[:-1] if len(skeleton) >= 2 and skeleton.endswith("h") else skeleton


@lru_cache(maxsize=100_000)
def skeleton(token: str) -> str:
    """The consonant skeleton of one folded token, in either script."""
    if is_arabic(token):
        out = []
        for i, ch in enumerate(token):
            if i == 0 and ch in "وي":
                out.append("w" if ch == "و" else "y")
            else:
                out.append(ARABIC_SKELETON.get(ch, ""))
        raw = "".join(out)
    else:
        word = token
        lead = ""
        if word.startswith("ou") and len(word) > 2 and word[2] in "aeiy":
            lead, word = "w", word[2:]
        elif word[:1] in ("y", "w"):
            lead, word = word[0], word[1:]
        for src, dst in LATIN_DIGRAPHS:
            word = word.replace(src, dst)
        # French soft c before e / i.
        word = re.sub(r"c(?=[eiy])", "s", word)
        raw = lead + "".join(
            LATIN_SKELETON.get(ch, ch) for ch in word if ch.isalpha() or ch in "-'"
        )
    collapsed = re.sub(r"(.)\1+", r"\1", raw)
    return _strip_final_h(collapsed)


@lru_cache(maxsize=100_000)
def _variants(token: str) -> frozenset[str]:
    """The token and its form without an article (memoised: linkage compares the same tokens
    millions of times)."""
    forms = {token}
    if is_arabic(token):
        if token.startswith("ال") and len(token) > 3:
            forms.add(token[2:])
    else:
        for art in LATIN_ARTICLES:
            if token.startswith(art) and len(token) - len(art) >= 3:
                forms.add(token[len(art) :].lstrip("-"))
    return frozenset(forms)


def name_tokens(text: str) -> list[str]:
    """Folded tokens of a name, particles and lone articles dropped, عبد joined."""
    toks = [t for t in _tokens(text or "") if t not in PARTICLES]
    toks = [t for t in toks if t not in {"ال", "al", "el"}]
    return _join_abd(toks)


def token_keys(token: str) -> set[str]:
    """Blind-index keys of one token: exact folded forms and skeletons, prefixed by kind."""
    keys = set()
    for form in _variants(token):
        keys.add("x:" + form)
        sk = skeleton(form)
        if sk:
            keys.add("s:" + sk)
    return keys


def _skeletons(token: str) -> set[str]:
    return {sk for form in _variants(token) if (sk := skeleton(form))}


def index_keys(*names: str) -> set[str]:
    """Keys of a person's names; adjacent tokens also give their joined skeleton, since
    Fatima Zahra is also written Fatimazahra."""
    keys = set()
    for name in names:
        tokens = name_tokens(name)
        for token in tokens:
            keys |= token_keys(token)
        for left, right in zip(tokens, tokens[1:], strict=False):
            keys |= {"s:" + a + b for a in _skeletons(left) for b in _skeletons(right)}
    return keys


def query_groups(text: str) -> list[set[str]]:
    """For a search string: per token, the skeleton keys any of which must match."""
    return [{"s:" + sk for sk in sks} for t in name_tokens(text) if (sks := _skeletons(t))]


def joined_query_groups(text: str) -> list[set[str]]:
    """The search string written as one word ("Fatima Zahra" → "Fatimazahra")."""
    tokens = name_tokens(text)
    if len(tokens) < 2:
        return []
    joined = {""}
    for token in tokens:
        joined = {a + b for a in joined for b in _skeletons(token)}
    return [{"s:" + j for j in joined if j}]


def exact_keys(text: str) -> set[str]:
    keys = set()
    for token in name_tokens(text):
        keys |= {k for k in token_keys(token) if k.startswith("x:")}
    return keys
