"""What a record of a person (a victim or a suspect) is compared on, in plain values.

A ``Record`` is built from the decrypted fields of one record, held in memory only, and never
saved: entry-time candidates, the batch de-duplication and the benchmark generator all build
records the same way, so they compare the same things. Phone and document numbers enter only as
keyed digests (``crypto.blind_digest``): they are strong evidence and are never kept in clear.

Blocking keys say which records are worth comparing at all. They are keyed digests too, stored
per record (``linkage.BlockingKey``), so that the candidates of a new record are one indexed
look-up, whatever the size of the register:

- ``n2``: the skeletons of any two name tokens of one script, in sorted order: insensitive to
  the order of the tokens and to the script (محمد الزياني and Zeyani Mohammed share
  ``mhmd|zn``); joined compounds give their joined skeleton too (Fatimazahra);
- ``n3``: the same with each skeleton cut to its first three consonants, so that a typing error
  late in a long name (Gonzalez, Gonzales) does not part two records;
- ``ny``: one token's skeleton with a year of birth, written for the neighbouring years too: a
  record with one name only (the family name missing) still meets the others born about then;
- ``ph`` and ``dc``: a phone number's or a document number's digest.
"""

import dataclasses
import datetime
import re
from itertools import combinations

from himaya.core import names

ARABIC, LATIN = "ar", "lat"
# A pair of skeletons shorter than this in all is too common to block on (Ba, Awa, Eze).
MIN_PAIR_SKELETON = 3
# A typo late in a long name still meets its record through the first consonants.
PREFIX = 3


@dataclasses.dataclass(frozen=True)
class Record:
    """One record's comparable values. Names are the folded tokens of each script (given names
    first); ``birth_year`` is derived from an exact date, a year or an estimated age."""

    ar: tuple[str, ...] = ()
    lat: tuple[str, ...] = ()
    family_missing: bool = False
    sex: str = ""
    birth_date: datetime.date | None = None
    birth_year: int | None = None
    # 0: an exact day; 1: the year only (or a 1 January placeholder); 2: an estimated age
    birth_precision: int | None = None
    citizenships: frozenset = frozenset()
    phones: frozenset = frozenset()
    documents: frozenset = frozenset()

    @property
    def renderings(self):
        """The name in each script it is written in: (script, tokens)."""
        out = []
        if self.ar:
            out.append((ARABIC, self.ar))
        if self.lat:
            out.append((LATIN, self.lat))
        return out

    @property
    def has_name(self):
        return bool(self.ar or self.lat)


def phone_key(number: str) -> str:
    """A phone number as compared: its last nine digits (0612… and +212 612… are one)."""
    digits = re.sub(r"\D", "", number or "")
    return digits[-9:] if len(digits) >= 6 else ""


def document_key(number: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", (number or "").upper())


def birth_facts(birth_date, precision, estimated_age=None, estimated_on=None, today=None):
    """(birth_date, birth_year, precision level) from a record's birth fields."""
    if birth_date and precision == "exact":
        if (birth_date.month, birth_date.day) == (1, 1):  # the usual placeholder
            return None, birth_date.year, 1
        return birth_date, birth_date.year, 0
    if birth_date and precision == "year":
        return None, birth_date.year, 1
    if estimated_age is not None:
        on = estimated_on or today or datetime.date.today()
        return None, on.year - estimated_age, 2
    return None, None, None


def make_record(
    *,
    given_ar="",
    family_ar="",
    given_lat="",
    family_lat="",
    sex="",
    birth_date=None,
    precision="unknown",
    estimated_age=None,
    estimated_on=None,
    citizenships=(),
    phone_digests=(),
    document_digests=(),
    today=None,
):
    date, year, level = birth_facts(birth_date, precision, estimated_age, estimated_on, today)
    ar = tuple(names.name_tokens(f"{given_ar or ''} {family_ar or ''}"))
    lat = tuple(names.name_tokens(f"{given_lat or ''} {family_lat or ''}"))
    return Record(
        ar=ar,
        lat=lat,
        family_missing=not ((family_ar or "").strip() or (family_lat or "").strip()),
        sex=sex or "",
        birth_date=date,
        birth_year=year,
        birth_precision=level,
        citizenships=frozenset(c for c in citizenships if c),
        phones=frozenset(p for p in phone_digests if p),
        documents=frozenset(d for d in document_digests if d),
    )


def _pair_keys(left, right):
    keys = set()
    for a in left:
        for b in right:
            if len(a) + len(b) >= MIN_PAIR_SKELETON:
                keys.add("n2:" + "|".join(sorted((a, b))))
                if len(a) > PREFIX or len(b) > PREFIX:
                    keys.add("n3:" + "|".join(sorted((a[:PREFIX], b[:PREFIX]))))
    return keys


def birth_years(record: Record) -> range:
    """The years a record's ``ny`` keys are written for: its year of birth and the next ones on
    each side (two for an estimated age), so two records born a year or two apart meet."""
    if record.birth_year is None:
        return range(0)
    slack = 2 if record.birth_precision == 2 else 1
    return range(record.birth_year - slack, record.birth_year + slack + 1)


def name_block_keys(record: Record) -> set[str]:
    keys = set()
    for _script, tokens in record.renderings:
        per_token = [
            {sk for form in names._variants(t) if (sk := names.skeleton(form))} for t in tokens
        ]
        for i, j in combinations(range(len(tokens)), 2):
            found = _pair_keys(per_token[i], per_token[j])
            keys |= found
            if not found:  # short names (Oumou Bah, Uwa): the spelled pair itself
                keys.add("x2:" + "|".join(sorted((tokens[i], tokens[j]))))
        # joined compounds: Fatima Zahra written Fatimazahra meets the other tokens as one
        for i in range(len(per_token) - 1):
            joined = {a + b for a in per_token[i] for b in per_token[i + 1]}
            for j, other in enumerate(per_token):
                if j not in (i, i + 1):
                    keys |= _pair_keys(joined, other)
        for year in birth_years(record):
            for token, sks in zip(tokens, per_token, strict=True):
                long_enough = {sk for sk in sks if len(sk) >= 2}
                keys |= {f"ny:{sk}:{year}" for sk in long_enough}
                if not long_enough:
                    keys.add(f"nx:{token}:{year}")
    return keys


# Joins two token keys into the key of the pair (skeletons hold letters, "-" and "'" only).
PAIR = "+"


def token_skeletons(record: Record) -> tuple[str, ...]:
    """Each name token as one value: its shortest skeleton (the article left out), in the first
    script the name is written in, sorted. Empty without a name."""
    for _script, tokens in record.renderings:
        sks = []
        for token in tokens:
            forms = [sk for form in names._variants(token) if (sk := names.skeleton(form))]
            if forms:
                sks.append(min(forms, key=lambda sk: (len(sk), sk)))
        return tuple(sorted(sks))
    return ()


def token_keys(record: Record) -> tuple[str, ...]:
    """The keys whose frequency in the register is counted for a name's tokens: each token
    (``token_skeletons``), then each pair of its tokens (``mrk+ntn``): the tokens of a
    compound given name (Mark Anthony, Fatima Zahra) come together far more often than
    their shares multiplied say (``scoring.token_frequency``)."""
    singles = tuple(dict.fromkeys(token_skeletons(record)))
    pairs = tuple(PAIR.join(pair) for pair in combinations(singles, 2))
    return singles + pairs


def name_key(record: Record) -> str:
    """The name as one value, for its frequency in the register (a rare name that agrees is
    stronger evidence than Mohamed Alaoui): its ``token_skeletons`` joined. Empty without a
    name."""
    return "|".join(token_skeletons(record))


def block_keys(record: Record) -> dict[str, str]:
    """Every blocking key of a record (clear text, to be digested), with its kind."""
    keys = {k: "name" for k in name_block_keys(record)}
    keys.update({"ph:" + p: "phone" for p in record.phones})
    keys.update({"dc:" + d: "document" for d in record.documents})
    return keys


def query_keys(record: Record) -> set[str]:
    """The keys a new record looks up: its own (the stored keys already spread over the
    neighbouring birth years)."""
    return set(block_keys(record))
