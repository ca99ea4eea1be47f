"""How two records compare: one comparison per kind of evidence, each with ordered levels.

The levels are the only place where two records are compared. The entry-time scorer (in
Python) and the batch de-duplication (Splink on DuckDB, where these functions are registered as
SQL functions) use the same functions, so a pair gets the same levels and the same weight both
ways, and the explanation a user reads is built from the levels that made the score.

Each function returns the level's index, higher is closer; ``NULL`` (-1) means "cannot tell"
(a value missing on one side), which Fellegi–Sunter scoring leaves out, as Splink does.
"""

import dataclasses
from functools import lru_cache

from rapidfuzz.distance import JaroWinkler, Levenshtein

from himaya.core import names

from .features import Record

NULL = -1

# Token match kinds, strongest first.
EXACT, SKELETON, FUZZY = 3, 2, 1
FUZZY_JW = 0.88  # Jaro-Winkler of two folded tokens of one script
FUZZY_SKELETON = 0.75  # normalised Levenshtein similarity of two skeletons


@dataclasses.dataclass
class TokenMatch:
    left: str
    right: str
    kind: int
    cross_script: bool


@dataclasses.dataclass
class NameComparison:
    level: int
    matches: list
    unmatched_left: int = 0
    unmatched_right: int = 0
    order_swapped: bool = False
    joined: list = dataclasses.field(default_factory=list)


NAME_LEVELS = ("other", "partial", "subset", "fuzzy", "all tokens", "exact")


@lru_cache(maxsize=100_000)
def _skeletons(token):
    return frozenset(sk for form in names._variants(token) if (sk := names.skeleton(form)))


@lru_cache(maxsize=1_000_000)
def _joined_skeletons(a, b):
    return frozenset(x + y for x in _skeletons(a) for y in _skeletons(b))


@lru_cache(maxsize=1_000_000)
def _token_kind(a, sa, b, sb):
    """How two tokens match (0: not at all). Cached: the batch compares the same few thousand
    tokens millions of times."""
    if sa == sb and (a == b or names._variants(a) & names._variants(b)):
        return EXACT
    ska, skb = _skeletons(a), _skeletons(b)
    if ska & skb:
        return SKELETON
    if (
        sa == sb
        and len(a) >= 3
        and len(b) >= 3
        and JaroWinkler.normalized_similarity(a, b) >= FUZZY_JW
    ):
        return FUZZY
    for x in ska:
        for y in skb:
            if (
                len(x) >= 3
                and len(y) >= 3
                and x[0] == y[0]
                and Levenshtein.normalized_similarity(x, y) >= FUZZY_SKELETON
            ):
                return FUZZY
    return 0


def _match_tokens(left, sl, right, sr):
    """Greedy best-first assignment of tokens; a token may also match two adjacent tokens of
    the other name written as one word (Fatimazahra ↔ Fatima Zahra)."""
    candidates = []
    for i, a in enumerate(left):
        for j, b in enumerate(right):
            kind = _token_kind(a, sl, b, sr)
            if kind:
                candidates.append((-kind, 2, (i,), (j,)))
    for one, many, flip in ((left, right, False), (right, left, True)):
        for i, token in enumerate(one):
            sks = _skeletons(token)
            for j in range(len(many) - 1):
                if sks & _joined_skeletons(many[j], many[j + 1]):
                    li, rj = ((j, j + 1), (i,)) if flip else ((i,), (j, j + 1))
                    candidates.append((-SKELETON, 3, li, rj))
    candidates.sort()
    used_l, used_r, matches, pairs, joined_pairs = set(), set(), [], [], []
    for neg, _size, li, rj in candidates:
        if used_l.intersection(li) or used_r.intersection(rj):
            continue
        used_l.update(li)
        used_r.update(rj)
        text_l = " ".join(left[i] for i in li)
        text_r = " ".join(right[j] for j in rj)
        matches.append(TokenMatch(text_l, text_r, -neg, sl != sr))
        if len(li) + len(rj) > 2:
            joined_pairs.append((text_l, text_r))
        pairs.append((li[0], rj[0]))
    swapped = False
    if len(pairs) >= 2:
        ordered = sorted(pairs)
        swapped = any(b[1] < a[1] for a, b in zip(ordered, ordered[1:], strict=False))
    return matches, len(left) - len(used_l), len(right) - len(used_r), swapped, joined_pairs


def _level(matches, un_l, un_r):
    if not matches:
        return 0
    if un_l == 0 and un_r == 0:
        weakest = min(m.kind for m in matches)
        if weakest == EXACT:
            return 5
        if weakest == SKELETON:
            return 4
        return 3
    if un_l == 0 or un_r == 0:
        return 2  # every token of one name is in the other: a name missing on one side
    return 1


def compare_names(a: Record, b: Record) -> NameComparison | None:
    """The best comparison over the scripts each name is written in; None when a name is
    missing."""
    best = None
    for sa, ta in a.renderings:
        for sb, tb in b.renderings:
            matches, un_l, un_r, swapped, joined = _match_tokens(ta, sa, tb, sb)
            result = NameComparison(
                _level(matches, un_l, un_r), matches, un_l, un_r, swapped, joined
            )
            key = (result.level, sa == sb, sum(m.kind for m in matches))
            if best is None or key > best[0]:
                best = (key, result)
    return best[1] if best else None


def name_level(a: Record, b: Record) -> int:
    return _name_level(a.ar, a.lat, b.ar, b.lat)


@lru_cache(maxsize=2_000_000)
def _name_level(ar_a, lat_a, ar_b, lat_b) -> int:
    """The name level from the tokens alone, cached: in a register of concentrated names the
    same two names meet again and again."""
    result = compare_names(Record(ar=ar_a, lat=lat_a), Record(ar=ar_b, lat=lat_b))
    return NULL if result is None else result.level


BIRTH_LEVELS = (
    "more than 3 years apart",
    "within 3 years",
    "within a year, exact dates or years",
    "within a year, an estimated age",
    "same year, an estimated age",
    "same year, a year only",
    "same year, exact dates",
    "same day",
)
# How precise a birth is (features.birth_facts): an exact day, a year (or 1 January), an age.
EXACT_DAY, YEAR_ONLY, ESTIMATED = 0, 1, 2


def birth_level(a: Record, b: Record) -> int:
    """How close two births are, at the precision of the vaguer of the two: an estimated age is
    often a year or two off for the same person, while two exact dates a year apart are more
    often two persons; the weights of each level come from data (training.py)."""
    if a.birth_year is None or b.birth_year is None:
        return NULL
    if a.birth_date and b.birth_date and a.birth_date == b.birth_date:
        return 7
    vaguer = max(a.birth_precision or 0, b.birth_precision or 0)
    gap = abs(a.birth_year - b.birth_year)
    if gap == 0:
        return {EXACT_DAY: 6, YEAR_ONLY: 5}.get(vaguer, 4)
    if gap <= 1:
        return 3 if vaguer == ESTIMATED else 2
    if gap <= 3:
        return 1
    return 0


def sex_level(a: Record, b: Record) -> int:
    if not a.sex or not b.sex:
        return NULL
    return 1 if a.sex == b.sex else 0


def citizenship_level(a: Record, b: Record) -> int:
    if not a.citizenships or not b.citizenships:
        return NULL
    return 1 if a.citizenships & b.citizenships else 0


def phone_level(a: Record, b: Record) -> int:
    if not a.phones or not b.phones:
        return NULL
    return 1 if a.phones & b.phones else 0


def document_level(a: Record, b: Record) -> int:
    if not a.documents or not b.documents:
        return NULL
    return 1 if a.documents & b.documents else 0


# name → (level function, number of levels)
COMPARISONS = {
    "name": (name_level, len(NAME_LEVELS)),
    "birth": (birth_level, len(BIRTH_LEVELS)),
    "sex": (sex_level, 2),
    "citizenship": (citizenship_level, 2),
    "phone": (phone_level, 2),
    "document": (document_level, 2),
}


def comparison_vector(a: Record, b: Record) -> dict[str, int]:
    return {name: fn(a, b) for name, (fn, _n) in COMPARISONS.items()}
