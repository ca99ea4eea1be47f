"""A CTDC-style anonymised extract, for international sharing (the Counter Trafficking Data
Collaborative publishes victims' case records so that every combination of quasi-identifiers
is shared by at least k = 11 records).

One record per identified victim in the reader's scope (a person with a possible or actual
victim decision on a dossier of the scope; records linked as the same person are one, as in
every figure, DOMAIN.md §6), with no identity, no date and no free text: the year of
registration, gender, the age band at identification, citizenship, the country of exploitation
and the forms of exploitation as CTDC's three flags. A victim recorded by two organisations is
one record: counted twice, she would be two of the k records that are meant to be k people.
These are all quasi-identifiers: together they could single someone out to a person who knows
the case.

Generalisation is global recoding along fixed ladders (year → 3-year period → withheld; CTDC's
age bands → minor/adult → withheld; country → sub-region → continent → withheld), chosen
greedily as in Datafly: while more records sit in combinations rarer than k than the
suppression budget allows, the quasi-identifier with the most distinct values among those rare
records is generalised one step. Records still in rare combinations are then withheld and
counted. ``check`` verifies the result independently: every combination occurs at least k times.
"""

from collections import Counter
from dataclasses import dataclass, field

from babel.core import get_global
from django.db.models import Prefetch
from django.utils import timezone

from himaya.core.fields import encrypted_names

from . import export

K = 11
SUPPRESSION_BUDGET = 0.05  # of the records, withheld rather than generalise everyone further

QUASI_IDENTIFIERS = (
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "citizenship",
    "CountryOfExploitation",
    "isForcedLabour",
    "isSexualExploitation",
    "isOtherExploit",
)
# Ladders: the columns that can be generalised, and how many steps each has.
LEVELS = {"yearOfRegistration": 2, "ageBroad": 2, "citizenship": 3, "CountryOfExploitation": 3}
COLUMNS = (*QUASI_IDENTIFIERS[:3], "majorityStatus", *QUASI_IDENTIFIERS[3:])

AGE_BANDS = [(0, 8), (9, 17), (18, 20), (21, 23), (24, 26), (27, 29), (30, 38), (39, 47)]
GENDERS = {"female": "Female", "male": "Male"}  # the rarer categories would single people out

# --- Regions (from time zones, as Babel ships no territory containment) --------------------------
NORTHERN_AFRICA = {"DZ", "EG", "LY", "MA", "SD", "TN", "EH"}
WESTERN_ASIA = {
    *[
        "AE",
        "AM",
        "AZ",
        "BH",
        "CY",
        "GE",
        "IL",
        "IQ",
        "JO",
        "KW",
        "LB",
        "OM",
        "PS",
        "QA",
        "SA",
        "SY",
        "TR",
        "YE",
    ],
}
SOUTHERN_ASIA = {*["AF", "BD", "BT", "IN", "IR", "LK", "MV", "NP", "PK"]}
CENTRAL_ASIA = {*["KZ", "KG", "TJ", "TM", "UZ"]}
NORTHERN_AMERICA = {*["US", "CA", "BM", "GL", "PM"]}
CONTINENT_BY_ZONE = {
    "Africa": "Africa",
    "America": "Americas",
    "Asia": "Asia",
    "Europe": "Europe",
    "Australia": "Oceania",
    "Pacific": "Oceania",
}
CONTINENT_OVERRIDES = {
    **dict.fromkeys(["CV", "SH", "KM", "MG", "MU", "RE", "SC", "YT", "IO", "TF"], "Africa"),
    **dict.fromkeys(["MV", "CC", "CX"], "Asia"),
    **dict.fromkeys(["IS", "FO", "PT", "ES", "SJ"], "Europe"),
    **dict.fromkeys(["BM", "FK", "GS", "CL", "EC", "US"], "Americas"),
    "AU": "Oceania",
    "RU": "Europe",
    "AQ": "Antarctica",
}


def continent(code):
    if code in CONTINENT_OVERRIDES:
        return CONTINENT_OVERRIDES[code]
    zones = get_global("territory_zones").get(code) or ()
    for zone in zones:
        found = CONTINENT_BY_ZONE.get(zone.split("/")[0])
        if found:
            return found
    return "Unknown"


def subregion(code):
    place = continent(code)
    if place == "Africa":
        return "Northern Africa" if code in NORTHERN_AFRICA else "Sub-Saharan Africa"
    if place == "Asia":
        for name, members in (
            ("Western Asia", WESTERN_ASIA),
            ("Southern Asia", SOUTHERN_ASIA),
            ("Central Asia", CENTRAL_ASIA),
        ):
            if code in members:
                return name
        return "Eastern and South-eastern Asia"
    if place == "Americas":
        return "Northern America" if code in NORTHERN_AMERICA else "Latin America and the Caribbean"
    return place


def age_band(age):
    if age is None:
        return ""
    for low, high in AGE_BANDS:
        if age <= high:
            return f"{low}--{high}"
    return "48+"


# --- Records --------------------------------------------------------------------------------------


POSITIVE = ("possible", "actual")


def victims(queryset):
    """Dossiers with a positive identification decision."""
    return queryset.filter(decisions__status__code__in=POSITIVE).distinct()


def _for_records(dossiers):
    """What ``record`` reads, and nothing of the identity or the free text (not read, not
    decrypted): the extract is built from the whole country's victims. The person a dossier
    counts for is its person's linked record when there is one (``person_key``)."""
    from himaya.cases.models import IdentificationDecision
    from himaya.people.models import Person

    positive = IdentificationDecision.objects.filter(status__code__in=POSITIVE).select_related(
        "status"
    )
    hidden = encrypted_names(Person)
    return (
        dossiers.select_related(
            "person",
            "person__sex",
            "person__same_as",
            "person__same_as__sex",
            "exploitation_country",
        )
        .defer(
            *encrypted_names(dossiers.model),
            *(f"person__{name}" for name in hidden),
            *(f"person__same_as__{name}" for name in hidden),
        )
        .prefetch_related(
            "person__citizenships",
            "person__same_as__citizenships",
            "forms__parent",
            Prefetch(
                "decisions", queryset=positive.defer(*encrypted_names(IdentificationDecision))
            ),
        )
    )


def _forms(dossier):
    """The dossier's forms of exploitation, each with the form above it."""
    forms = dossier.forms.all()
    return {f.code for f in forms} | {f.parent.code for f in forms if f.parent_id}


def flags(forms):
    """CTDC's three flags of a victim's forms of exploitation."""
    return {
        "isForcedLabour": int("labour" in forms),
        "isSexualExploitation": int("sexual" in forms),
        "isOtherExploit": int(bool(forms - {"labour", "sexual"}) and not forms & {"labour"}),
    }


def record(dossier):
    """The finest record of a victim, read off ``dossier`` (the dossier of their first positive
    decision) and the person it counts for: every quasi-identifier at level 0, the forms this
    dossier's (``records`` puts those of all the victim's dossiers in their place)."""
    person = dossier.person.same_as or dossier.person
    positive = [d for d in dossier.decisions.all() if d.status.code in POSITIVE]
    identified_on = min(d.decided_on for d in positive)
    age = person.age_on(identified_on)
    citizenships = sorted(c.code for c in person.citizenships.all())
    country = dossier.exploitation_country
    return {
        "yearOfRegistration": dossier.opened_on.year,
        "gender": GENDERS.get(person.sex.code if person.sex else "", "Unknown"),
        "ageBroad": age,  # kept as a number until the level is chosen
        "citizenship": citizenships[0] if citizenships else "",
        "CountryOfExploitation": country.code if country else "",
        **flags(_forms(dossier)),
    }


def records(queryset):
    """One finest record per victim of ``queryset``'s dossiers, in the order of the persons
    they count for: read off the dossier of the victim's first positive decision (the year it
    was opened, its country of exploitation; the age on that decision's day), with the forms of
    all the victim's dossiers of the scope with a positive decision. Dossiers are read a chunk
    at a time; what is kept is a small record per victim."""
    first = {}  # person → ((first positive decision's date, dossier id), record)
    forms = {}
    for dossier in export.in_chunks(victims(queryset), _for_records):
        decided = [d.decided_on for d in dossier.decisions.all()]
        if not decided:  # a decision changed between the read of the ids and of its chunk
            continue
        who = dossier.person.same_as_id or dossier.person_id
        forms.setdefault(who, set()).update(_forms(dossier))
        when = (min(decided), dossier.pk)
        if who not in first or when < first[who][0]:
            first[who] = (when, record(dossier))
    return [{**rec, **flags(forms[who])} for who, (_when, rec) in sorted(first.items())]


def generalise(rec, levels):
    out = dict(rec)
    year = rec["yearOfRegistration"]
    out["yearOfRegistration"] = (
        str(year)
        if levels["yearOfRegistration"] == 0
        else f"{year - year % 3}--{year - year % 3 + 2}"
        if levels["yearOfRegistration"] == 1
        else ""
    )
    age = rec["ageBroad"]
    majority = "" if age is None else ("Minor" if age < 18 else "Adult")
    out["majorityStatus"] = majority if levels["ageBroad"] < 2 else ""
    out["ageBroad"] = age_band(age) if levels["ageBroad"] == 0 else ""
    for column in ("citizenship", "CountryOfExploitation"):
        code, level = rec[column], levels[column]
        out[column] = (
            ""
            if not code or level >= 3
            else code
            if level == 0
            else subregion(code)
            if level == 1
            else continent(code)
        )
    return out


def key(rec):
    return tuple(rec[c] for c in (*QUASI_IDENTIFIERS, "majorityStatus"))


@dataclass
class Extract:
    records: list
    levels: dict
    k: int
    total: int
    withheld: int
    steps: list = field(default_factory=list)  # (column, level) in the order chosen
    made_on: object = None

    @property
    def classes(self):
        return Counter(key(r) for r in self.records)


def anonymise(raw, *, k=K, budget=SUPPRESSION_BUDGET):
    """Generalise and withhold ``raw`` records (``record``) until every combination of
    quasi-identifiers occurs at least ``k`` times."""
    levels = dict.fromkeys(LEVELS, 0)
    steps = []
    while True:
        recoded = [generalise(r, levels) for r in raw]
        counts = Counter(key(r) for r in recoded)
        rare = [r for r in recoded if counts[key(r)] < k]
        if len(rare) <= budget * len(recoded):
            break
        open_columns = [c for c in LEVELS if levels[c] < LEVELS[c]]
        if not open_columns:
            break
        column = max(open_columns, key=lambda c: (len({r[c] for r in rare}), -levels[c]))
        levels[column] += 1
        steps.append((column, levels[column]))
    kept = [r for r in recoded if counts[key(r)] >= k]
    return Extract(
        records=kept,
        levels=levels,
        k=k,
        total=len(raw),
        withheld=len(recoded) - len(kept),
        steps=steps,
        made_on=timezone.localdate(),
    )


def check(extract):
    """Every combination of quasi-identifiers in the extract occurs at least k times."""
    return all(n >= extract.k for n in extract.classes.values())


def build(queryset, *, k=K):
    extract = anonymise(records(queryset), k=k)
    if not check(extract):  # a guard: anonymise withholds every rare record
        raise AssertionError("k-anonymity not reached")
    return extract


def report_lines(extract):
    """What was generalised or withheld, in the reader's language."""
    from django.utils.translation import gettext as _

    names = {
        ("yearOfRegistration", 1): _("year of registration given as a 3-year period"),
        ("yearOfRegistration", 2): _("year of registration withheld"),
        ("ageBroad", 1): _("age band given as minor or adult only"),
        ("ageBroad", 2): _("age withheld"),
        ("citizenship", 1): _("citizenship given as a sub-region"),
        ("citizenship", 2): _("citizenship given as a continent"),
        ("citizenship", 3): _("citizenship withheld"),
        ("CountryOfExploitation", 1): _("country of exploitation given as a sub-region"),
        ("CountryOfExploitation", 2): _("country of exploitation given as a continent"),
        ("CountryOfExploitation", 3): _("country of exploitation withheld"),
    }
    lines = [
        _("k-anonymity: every combination of quasi-identifiers occurs at least %(k)s times.")
        % {"k": extract.k},
        _("Victims in scope: %(n)s; records shared: %(kept)s; withheld: %(w)s.")
        % {"n": extract.total, "kept": len(extract.records), "w": extract.withheld},
        _("Gender other than female or male is shared as unknown."),
    ]
    lines += [names[step] for step in extract.steps]
    if not extract.steps:
        lines.append(_("No quasi-identifier needed generalising."))
    return lines


def workbook(extract) -> bytes:
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "CTDC extract"
    ws.append(list(COLUMNS))
    for rec in extract.records:
        ws.append([rec[c] for c in COLUMNS])
    report = wb.create_sheet("report")
    for line in report_lines(extract):
        report.append([line])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
