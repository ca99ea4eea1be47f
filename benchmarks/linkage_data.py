"""A seeded generator of person records as Morocco's national referral mechanism sees them, for
the linkage benchmark (``benchmarks/linkage.py``). Plain Python, no Django settings needed.

    records, truth = generate(10_000, seed=7)     # [(record_id, Record)], {record_id: person}

Each true person gets 1–4 records (one per agency that met them), each written the way that
agency writes names: Arabic only, Latin only or both; Latin spellings of one Arabic name
(Mohamed / Mohammed / Muhammad), articles kept, dropped or joined (El Amrani / Amrani /
Alamrani), compounds joined or split (Fatima Zahra / Fatimazahra), the father's name inserted
(Mohamed ben Ahmed), given and family names swapped, the family name missing, typing errors;
the birth date exact, the year only, a 1 January placeholder, an age estimated by the agency
(wrong by up to two years) or missing; sex and citizenship sometimes missing or wrong; phone
numbers (0612… / +212 612… / 00212 612…) and document numbers sometimes.

Hard negatives come from the population itself: siblings (about one person in eight belongs
to a household of 2–3 siblings: same family name and region, birth years 1–6 apart, often the
household's phone) and namesakes (given names are concentrated — Mohamed, Fatima Zahra —
so "Mohamed Alaoui" recurs with other birth years).

Names. No maintained package gives Moroccan names with their attested Arabic form *and* their
Latin spellings (names-dataset and faker give Latin names without the Arabic form, or Arabic
names of the Mashreq without Moroccan French-style spellings), so the tables (linkage_names.py) are
curated: ~110 male and ~95 female Moroccan given names, ~150 attested family names, each with
its Arabic form and its common Latin spellings. Real Moroccan surnames have a long tail (tens
of thousands), which a list of 150 would make far too concentrated (every Mohamed Alaoui a
namesake); the tail is therefore synthesised from Arabic root patterns (El Haddadi, Hamdaoui,
Benkirane, Bouzekri…: three root consonants in a surname pattern, written in Arabic and in the
French-style Latin spellings of each consonant). Migrants' names (Nigeria, Côte d'Ivoire,
Guinea, Senegal, Cameroon, the Philippines) are Latin with their own spelling variants; some
West African Muslim names also have an Arabic form used by Moroccan agencies.

``meta`` flags (``generate_full``) say which errors each record carries, so the benchmark can
break its false negatives and false positives down by kind.
"""

import dataclasses
import datetime
import hashlib
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if str(ROOT / "benchmarks") not in sys.path:
    sys.path.insert(0, str(ROOT / "benchmarks"))

from linkage_names import Name, cumulative  # noqa: E402
from linkage_names import tables as name_tables  # noqa: E402

from himaya.linkage.features import Record, document_key, make_record, phone_key  # noqa: E402

# Which migrants' family names: "v2" (linkage_migrant_names.py: the ethnic groups' published
# shares, long tails) or "v1" (the first tables: 15–25 names per country, the commonest held by
# about a fifth of its migrants, which the published facts contradict). The benchmarks take
# ``--names`` to compare the two.
NAMES = "v2"

TODAY = datetime.date(2025, 12, 31)

# --- record error flags (meta) -------------------------------------------------------------------
AR_ONLY = 1
LAT_ONLY = 2
BOTH = 4
FAMILY_MISSING = 8
SWAPPED = 16
TYPO = 32
FATHER = 64  # the father's name inserted ("Mohamed ben Ahmed")
BIRTH_MISSING = 128
BIRTH_ESTIMATED = 256
BIRTH_WRONG = 512  # a wrong exact date (day/month swapped, year off by one)
BIRTH_YEAR_ONLY = 1024  # the year or a 1 January placeholder
CIT_MISSING = 2048
CIT_WRONG = 4096
SEX_WRONG = 8192
SEX_MISSING = 16384
ARTICLE_DROPPED = 32768  # العمراني written عمراني
MIGRANT = 65536
COMPOUND = 131072  # a compound given name (Fatima Zahra, Mohamed Amine)

FLAG_NAMES = {
    AR_ONLY: "Arabic only",
    LAT_ONLY: "Latin only",
    BOTH: "both scripts",
    FAMILY_MISSING: "family name missing",
    SWAPPED: "given/family swapped",
    TYPO: "typing error",
    FATHER: "father's name inserted",
    BIRTH_MISSING: "birth date missing",
    BIRTH_ESTIMATED: "estimated age",
    BIRTH_WRONG: "wrong birth date",
    BIRTH_YEAR_ONLY: "birth year only / 1 Jan",
    CIT_MISSING: "citizenship missing",
    CIT_WRONG: "wrong citizenship",
    SEX_WRONG: "wrong sex",
    SEX_MISSING: "sex missing",
    ARTICLE_DROPPED: "Arabic article dropped",
    MIGRANT: "migrant",
    COMPOUND: "compound given name",
}

# Share of migrants among the persons, and of each citizenship among them.
MIGRANT_SHARE = 0.4
MIGRANT_MIX = {"NG": 0.25, "CI": 0.22, "GN": 0.2, "SN": 0.1, "CM": 0.13, "PH": 0.1}
NEIGHBOURS = {"NG": "GH", "CI": "GN", "GN": "ML", "SN": "GM", "CM": "GA", "PH": "ID", "MA": "DZ"}


# --- persons -------------------------------------------------------------------------------------


@dataclasses.dataclass
class Person:
    pid: int
    citizenship: str
    sex: str
    given: Name
    family: Name
    birth: datetime.date
    household: int
    phones: list
    document: str


def _birth(rng):
    age = min(60, max(6, int(rng.gauss(25, 8))))
    year = TODAY.year - age
    return datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))


def _phone(rng, citizenship):
    if citizenship != "MA" and rng.random() < 0.25:
        prefix = {"NG": "234", "CI": "225", "GN": "224", "SN": "221", "CM": "237", "PH": "63"}
        return f"+{prefix.get(citizenship, '1')}{rng.randint(700000000, 999999999)}"
    return f"0{rng.choice('67')}{rng.randint(10000000, 99999999)}"


def _document(rng, citizenship):
    if citizenship == "MA":
        letters = rng.choice(["A", "AB", "BE", "BK", "C", "CD", "D", "EE", "G", "J", "K", "X", "Z"])
        return f"{letters}{rng.randint(1000, 999999)}"
    return f"{rng.choice('ABCEHP')}{rng.randint(1000000, 99999999)}"


def _persons(n, rng, tables):
    """n persons, with about one in eight in a household of 2–3 siblings."""
    pid = 0
    household = 0
    while pid < n:
        household += 1
        migrant = rng.random() < MIGRANT_SHARE
        citizenship = (
            rng.choices(list(MIGRANT_MIX), weights=list(MIGRANT_MIX.values()))[0]
            if migrant
            else "MA"
        )
        r = rng.random()
        size = 1 if r < 0.92 else (2 if r < 0.98 else 3)
        size = min(size, n - pid)
        if citizenship == "MA":
            family = tables["family"].pick(rng)
        else:
            family = tables[citizenship][2].pick(rng)
        home_phone = _phone(rng, citizenship) if size > 1 and rng.random() < 0.6 else None
        eldest = _birth(rng)
        given_used = set()
        for k in range(size):
            sex = "F" if rng.random() < 0.58 else "M"
            for _try in range(20):
                if citizenship == "MA":
                    given = tables["female" if sex == "F" else "male"].pick(rng)
                else:
                    given = tables[citizenship][1 if sex == "F" else 0].pick(rng)
                if given.key not in given_used:
                    break
            given_used.add(given.key)
            if k == 0:
                birth = eldest
            else:
                gap = rng.randint(1, 6)
                birth = datetime.date(
                    min(TODAY.year - 4, eldest.year + gap * k),
                    rng.randint(1, 12),
                    rng.randint(1, 28),
                )
            phones = []
            if home_phone and rng.random() < 0.7:
                phones.append(home_phone)
            if rng.random() < (0.55 if citizenship == "MA" else 0.45):
                phones.append(_phone(rng, citizenship))
                if rng.random() < 0.2:
                    phones.append(_phone(rng, citizenship))  # a second number, or a new one
            adult = TODAY.year - birth.year >= 18
            has_doc = (adult and rng.random() < 0.85) if citizenship == "MA" else rng.random() < 0.3
            yield Person(
                pid,
                citizenship,
                sex,
                given,
                family,
                birth,
                household,
                phones,
                _document(rng, citizenship) if has_doc else "",
            )
            pid += 1


# --- records -------------------------------------------------------------------------------------

LATIN_TYPO_LETTERS = "aeioulnrsmtkdh"
ARABIC_TYPO_LETTERS = "ابتدرسعلمنهوي"


def _typo(rng, word, letters):
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.35:  # deletion
        return word[:i] + word[i + 1 :]
    if kind < 0.65:  # substitution
        return word[:i] + rng.choice(letters) + word[i + 1 :]
    if kind < 0.85:  # transposition
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]  # doubled letter


def _spelling(rng, name):
    """One Latin spelling, the common ones more often."""
    n = len(name.lat)
    if n == 1:
        return name.lat[0]
    r = rng.random()
    if r < 0.5:
        return name.lat[0]
    return name.lat[1 + rng.randrange(n - 1)] if r < 0.85 else name.lat[rng.randrange(n)]


def _phone_form(rng, number):
    if number.startswith("0") and len(number) == 10:
        r = rng.random()
        if r < 0.5:
            return number
        if r < 0.75:
            return f"+212 {number[1:4]}-{number[4:]}"
        if r < 0.9:
            return f"00212{number[1:]}"
        return " ".join(number[i : i + 2] for i in range(0, 10, 2))
    return number if rng.random() < 0.7 else number.replace("+", "00")


def digest(kind, key):
    """The benchmark's stand-in for ``crypto.blind_digest``: sha256 hex[:32] of the clear key."""
    return hashlib.sha256(f"{kind}:{key}".encode()).hexdigest()[:32]


def _render(rng, person, tables, today=TODAY):
    """One record of a person, as one agency writes it; (Record, meta flags)."""
    flags = 0
    migrant = person.citizenship != "MA"
    if migrant:
        flags |= MIGRANT
    has_ar = bool(person.given.ar and person.family.ar)
    r = rng.random()
    if not migrant:
        script = AR_ONLY if r < 0.25 else (LAT_ONLY if r < 0.6 else BOTH)
    elif has_ar:
        script = AR_ONLY if r < 0.05 else (BOTH if r < 0.15 else LAT_ONLY)
    else:
        script = LAT_ONLY
    flags |= script
    if " " in person.given.ar or " " in person.given.lat[0] or "-" in person.given.lat[0]:
        flags |= COMPOUND

    given_ar, family_ar = person.given.ar, person.family.ar
    given_lat, family_lat = _spelling(rng, person.given), _spelling(rng, person.family)
    if family_ar.startswith("ال") and rng.random() < 0.12:
        family_ar = family_ar[2:]
        flags |= ARTICLE_DROPPED
    # the father's name inserted: Mohamed ben Ahmed El Amrani
    if not migrant and rng.random() < 0.04:
        father = tables["male_list"][rng.randrange(40)]
        given_ar = f"{given_ar} بن {father.ar}"
        given_lat = f"{given_lat} {rng.choice(['Ben', 'ben', 'Bin'])} {_spelling(rng, father)}"
        flags |= FATHER
    if rng.random() < (0.03 if script != AR_ONLY else 0.0):
        words = (given_lat + " " + family_lat).split(" ")
        j = rng.randrange(len(words))
        words[j] = _typo(rng, words[j], LATIN_TYPO_LETTERS)
        ng = len(given_lat.split(" "))
        given_lat, family_lat = " ".join(words[:ng]), " ".join(words[ng:])
        flags |= TYPO
    if script != LAT_ONLY and rng.random() < 0.015:
        family_ar = _typo(rng, family_ar, ARABIC_TYPO_LETTERS)
        flags |= TYPO
    if rng.random() < (0.10 if migrant else 0.06):
        family_ar = family_lat = ""
        flags |= FAMILY_MISSING
    elif rng.random() < 0.04:
        given_ar, family_ar = family_ar, given_ar
        given_lat, family_lat = family_lat, given_lat
        flags |= SWAPPED
    if script == AR_ONLY:
        given_lat = family_lat = ""
    elif script == LAT_ONLY:
        given_ar = family_ar = ""

    # the date this agency met the person: estimated ages are relative to it
    seen = today - datetime.timedelta(days=rng.randrange(0, 6 * 365))
    birth_date, precision, estimated_age = None, "unknown", None
    r = rng.random()
    b = person.birth
    if r < 0.40:
        birth_date, precision = b, "exact"
        if rng.random() < 0.07:
            flags |= BIRTH_WRONG
            if b.day <= 12 and rng.random() < 0.5:
                birth_date = datetime.date(b.year, b.day, b.month)
            else:
                birth_date = datetime.date(b.year + rng.choice((-1, 1)), b.month, b.day)
    elif r < 0.52:
        birth_date, precision = datetime.date(b.year, 6, 30), "year"
        flags |= BIRTH_YEAR_ONLY
    elif r < 0.60:
        birth_date, precision = datetime.date(b.year, 1, 1), "exact"
        flags |= BIRTH_YEAR_ONLY
    elif r < 0.82:
        age = seen.year - b.year - ((seen.month, seen.day) < (b.month, b.day))
        err = rng.choices((0, -1, 1, -2, 2), weights=(50, 15, 15, 10, 10))[0]
        estimated_age = max(1, age + err)
        flags |= BIRTH_ESTIMATED
    else:
        flags |= BIRTH_MISSING

    sex = person.sex
    r = rng.random()
    if r < 0.02:
        sex = ""
        flags |= SEX_MISSING
    elif r < 0.023:
        sex = "M" if sex == "F" else "F"
        flags |= SEX_WRONG

    citizenships = [person.citizenship]
    r = rng.random()
    if r < 0.15:
        citizenships = []
        flags |= CIT_MISSING
    elif migrant and r < 0.19:
        citizenships = [NEIGHBOURS[person.citizenship]]
        flags |= CIT_WRONG
    elif not migrant and r < 0.16:
        citizenships.append(rng.choice(["FR", "ES", "BE", "NL", "IT"]))

    phones = []
    if person.phones and rng.random() < 0.35:
        phones = [_phone_form(rng, rng.choice(person.phones))]
    documents = []
    if person.document and rng.random() < 0.18:
        doc = person.document
        if rng.random() < 0.3:
            doc = doc[:2].lower() + " " + doc[2:]
        if rng.random() < 0.02:
            doc = doc[:-1] + str((int(doc[-1]) + 1) % 10)
        documents = [doc]

    record = make_record(
        given_ar=given_ar,
        family_ar=family_ar,
        given_lat=given_lat,
        family_lat=family_lat,
        sex=sex,
        birth_date=birth_date,
        precision=precision,
        estimated_age=estimated_age,
        estimated_on=seen,
        citizenships=citizenships,
        phone_digests=[digest("phone", k) for p in phones if (k := phone_key(p))],
        document_digests=[digest("document", k) for d in documents if (k := document_key(d))],
        today=today,
    )
    return record, flags


RECORDS_PER_PERSON = (0.5, 0.28, 0.14, 0.08)  # share of persons with 1, 2, 3, 4 records


@dataclasses.dataclass
class Dataset:
    records: list  # [(record_id, Record)]
    truth: dict  # record_id → person id
    meta: dict  # record_id → flags
    persons: list  # [(person id, household, given key, family key, citizenship)]


def iter_records(n_persons, *, seed=20251, records_per_person=RECORDS_PER_PERSON, names=None):
    """Yield (record_id, Record, person id, flags, person) for n_persons persons; record ids
    are 1.. in the order generated (a person's records are next to each other: shuffle if the
    order matters). ``names``: "v1" or "v2" (default ``NAMES``): the same process either way
    but for migrants' family names (the draws then part ways: two samples, not one twice)."""
    rng = random.Random(seed)
    tables = name_tables(seed, names or NAMES)
    if isinstance(records_per_person, int):
        weights = [0.0] * (records_per_person - 1) + [1.0]
    else:
        weights = list(records_per_person)
    counts = list(range(1, len(weights) + 1))
    cum = cumulative(weights)
    rid = 0
    for person in _persons(n_persons, rng, tables):
        for _k in range(rng.choices(counts, cum_weights=cum)[0]):
            rid += 1
            record, flags = _render(rng, person, tables)
            yield rid, record, person.pid, flags, person


def generate_full(n_persons, *, seed=20251, records_per_person=RECORDS_PER_PERSON, names=None):
    records, truth, meta, persons = [], {}, {}, []
    last = None
    for rid, record, pid, flags, person in iter_records(
        n_persons, seed=seed, records_per_person=records_per_person, names=names
    ):
        records.append((rid, record))
        truth[rid] = pid
        meta[rid] = flags
        if pid != last:
            persons.append(
                (pid, person.household, person.given.key, person.family.key, person.citizenship)
            )
            last = pid
    return Dataset(records, truth, meta, persons)


def generate(n_persons, *, seed=20251, records_per_person=RECORDS_PER_PERSON, names=None):
    """([(record_id, Record)], {record_id: true person id}), deterministic for the seed."""
    data = generate_full(n_persons, seed=seed, records_per_person=records_per_person, names=names)
    return data.records, data.truth


def describe(record: Record) -> str:
    """A record in one line, for the benchmark's examples."""
    parts = []
    if record.ar:
        parts.append(" ".join(record.ar))
    if record.lat:
        parts.append(" ".join(record.lat))
    birth = record.birth_date or (
        f"{record.birth_year}~{record.birth_precision}" if record.birth_year else "?"
    )
    extra = "".join(f" {k}" for k, v in (("ph", record.phones), ("doc", record.documents)) if v)
    return (
        f"{' / '.join(parts) or '-'}{' (no family)' if record.family_missing else ''} "
        f"{record.sex or '?'} {birth} {','.join(sorted(record.citizenships)) or '?'}{extra}"
    )


def namesakes(n_persons, *, seed=20251, names=None):
    """The generator's name concentration by citizenship: {code: figures}, over its persons
    (not records): the share of pairs of distinct persons with the same given and family name,
    the share of persons who have such a namesake, and the commonest family and given names'
    shares, to set beside published name frequencies."""
    from collections import Counter, defaultdict

    by = defaultdict(list)
    for _pid, _household, given, family, code in generate_full(
        n_persons, seed=seed, names=names
    ).persons:
        by[code].append((given, family))
    out = {}
    for code, people in sorted(by.items()):
        full, fam, giv = (
            Counter(people),
            Counter(f for _g, f in people),
            Counter(g for g, _f in people),
        )
        m = len(people)
        top_f, top_g = fam.most_common(1)[0], giv.most_common(1)[0]
        out[code] = {
            "persons": m,
            "same_full_name_pairs": sum(k * (k - 1) / 2 for k in full.values()) / (m * (m - 1) / 2),
            "with_namesake": sum(k for k in full.values() if k > 1) / m,
            "family_names": len(fam),
            "top_family": (top_f[0].split(":", 1)[1], top_f[1] / m),
            "top_given": (top_g[0].split(":", 1)[1], top_g[1] / m),
        }
    return out


def print_namesakes(n_persons, seed=20251):
    print(f"name concentration among {n_persons:,} persons (seed {seed}), v1 → v2")
    old, new = (
        namesakes(n_persons, seed=seed, names="v1"),
        namesakes(n_persons, seed=seed, names="v2"),
    )
    for code in new:
        a, b = old[code], new[code]
        print(
            f"  {code} {b['persons']:>7,} persons: same full name "
            f"{a['same_full_name_pairs']:.5f} → {b['same_full_name_pairs']:.5f}; "
            f"with a namesake {a['with_namesake']:.1%} → "
            f"{b['with_namesake']:.1%}; family names {a['family_names']} → {b['family_names']}; "
            f"commonest family name {a['top_family'][0]} {a['top_family'][1]:.1%} → "
            f"{b['top_family'][0]} {b['top_family'][1]:.1%}; commonest given name "
            f"{b['top_given'][0]} {b['top_given'][1]:.1%}"
        )


if __name__ == "__main__":
    import time

    if "--namesakes" in sys.argv:
        args = [a for a in sys.argv[1:] if a != "--namesakes"]
        print_namesakes(int(args[0]) if args else 10_000)
        sys.exit(0)
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    t = time.perf_counter()
    data = generate_full(n, seed=int(sys.argv[2]) if len(sys.argv) > 2 else 20251)
    took = time.perf_counter() - t
    if n <= 200:
        for rid, rec in data.records:
            flags = [v for k, v in FLAG_NAMES.items() if data.meta[rid] & k]
            print(data.truth[rid], describe(rec), "|", ", ".join(flags))
    print(f"{n} persons, {len(data.records)} records in {took:.1f} s", file=sys.stderr)
