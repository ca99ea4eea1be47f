"""The demo as data: a pure function of a seed and an anchor date (no database, no clock).

``build_plan(seed, anchor)`` returns the persons, their documents, consents and dossiers with
their stage events, notes and referrals, as the deployment would hold them after two years.
The loader replays the plan through the actions; the same seed and anchor give the same plan.
"""

import datetime
import hashlib
import json
import random
from dataclasses import dataclass, field

from . import data

SEED = 2024
PERSONS = 300
FORMS = list(data.FORM_PROFILES)
STAGES = ["screening", "presumed", "identified", "assisted", "closed", "not_victim", "referred_out"]
ORG_BY_KEY = {o[0]: o for o in data.ORGANISATIONS}
VICTIM_USERS = {}
for _u in data.DEMO_USERS + data.STAFF_USERS:
    if _u[3] and _u[4] in {
        "hotline_operator",
        "investigator",
        "prosecutor",
        "caseworker",
        "shelter_manager",
    }:
        VICTIM_USERS.setdefault(_u[3], []).append(_u[0])


@dataclass
class DossierPlan:
    org: str
    forms: list
    opened_on: datetime.date
    events: list  # [(stage, date, reason)] after the opening screening event
    notes: list  # [(username, text, day written)]
    actor: str
    caseworker: str | None
    other_detail: str = ""
    recruitment_country: str | None = None
    recruitment_region: str | None = None
    exploitation_region: str | None = None
    exploitation_city: str = ""
    grant: tuple | None = None  # (org key, reason)

    @property
    def stage(self):
        return self.events[-1][0] if self.events else "screening"


@dataclass
class PersonPlan:
    org: str
    actor: str
    given_name_ar: str = ""
    family_name_ar: str = ""
    given_name_lat: str = ""
    family_name_lat: str = ""
    sex: str = "unknown"
    birth_date: datetime.date | None = None
    birth_date_precision: str = "unknown"
    estimated_age: int | None = None
    estimated_on: datetime.date | None = None
    citizenships: list = field(default_factory=list)
    languages: list = field(default_factory=list)
    contacts: dict | None = None
    documents: list = field(default_factory=list)  # [(type, number, country, expires, held)]
    consents: list = field(default_factory=list)  # [(purpose, given_on, given_by, language)]
    dossiers: list = field(default_factory=list)


def _weighted(rng, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _region(org):
    return ORG_BY_KEY[org][2]


def _stage_for_age(rng, age_days):
    if age_days < 14:
        table = {"screening": 60, "presumed": 30, "not_victim": 10}
    elif age_days < 60:
        table = {
            "screening": 15,
            "presumed": 35,
            "identified": 25,
            "assisted": 15,
            "not_victim": 10,
        }
    elif age_days < 180:
        table = {
            "screening": 3,
            "presumed": 15,
            "identified": 25,
            "assisted": 35,
            "closed": 5,
            "not_victim": 10,
            "referred_out": 7,
        }
    else:
        table = {
            "screening": 2,
            "presumed": 8,
            "identified": 15,
            "assisted": 30,
            "closed": 25,
            "not_victim": 10,
            "referred_out": 10,
        }
    return _weighted(rng, table)


def _path(rng, target, jump_allowed):
    """The stage events leading to ``target``: (stage, gap in days, reason)."""
    if target == "screening":
        return []
    if target == "not_victim":
        if rng.random() < 0.6:
            return [("not_victim", rng.randint(1, 20), "")]
        return [("presumed", rng.randint(0, 10), ""), ("not_victim", rng.randint(10, 60), "")]
    if target == "referred_out":
        head = [("presumed", rng.randint(0, 10), "")]
        if rng.random() < 0.4:
            head.append(("identified", rng.randint(5, 60), ""))
        return head + [("referred_out", rng.randint(5, 90), rng.choice(data.REFERRED_OUT_REASONS))]
    steps = []
    if jump_allowed and target in {"identified", "assisted", "closed"} and rng.random() < 0.08:
        steps.append(("identified", rng.randint(0, 3), rng.choice(data.JUMP_REASONS)))
    else:
        steps.append(("presumed", rng.randint(0, 10), ""))
        if target != "presumed":
            steps.append(("identified", rng.randint(5, 60), ""))
    if target in {"assisted", "closed"}:
        steps.append(("assisted", rng.randint(0, 21), ""))
    if target == "closed":
        steps.append(("closed", rng.randint(60, 360), ""))
    return steps


def _forms(rng, i):
    first = (
        FORMS[i]
        if i < len(FORMS)
        else _weighted(rng, {f: p[0] for f, p in data.FORM_PROFILES.items()})
    )
    forms = [first]
    if first in data.SECOND_FORM and rng.random() < 0.15:
        forms.append(rng.choice(data.SECOND_FORM[first]))
    return forms


def _spell(rng, spellings):
    # The usual spelling most of the time, a variant otherwise.
    return spellings[0] if len(spellings) == 1 or rng.random() < 0.6 else rng.choice(spellings[1:])


def _name(rng, person, country, female):
    if country == "MA":
        given = rng.choice(data.MA_FEMALE if female else data.MA_MALE)
        family = rng.choice(data.MA_FAMILY)
        script = _weighted(rng, {"both": 70, "ar": 15, "lat": 15})
        if script in {"both", "ar"}:
            person.given_name_ar, person.family_name_ar = given[0], family[0]
        if script in {"both", "lat"}:
            person.given_name_lat = _spell(rng, given[1])
            person.family_name_lat = _spell(rng, family[1])
        return (
            ["ary", "ar"]
            + ([rng.choice(["zgh", "shi", "rif", "tzm"])] if rng.random() < 0.2 else [])
            + (["fr"] if rng.random() < 0.3 else [])
        )
    if country in data.FOREIGN_ARABIC:
        langs, females, males, families = data.FOREIGN_ARABIC[country]
        given = rng.choice(females if female else males)
        family = rng.choice(families)
        person.given_name_ar, person.family_name_ar = given[0], family[0]
        if rng.random() < 0.8:
            person.given_name_lat = _spell(rng, given[1])
            person.family_name_lat = _spell(rng, family[1])
        return list(langs)
    langs, females, males, families, _ar = data.FOREIGN[country]
    person.given_name_lat = _spell(rng, rng.choice(females if female else males))
    person.family_name_lat = _spell(rng, rng.choice(families))
    return [langs[0]] + rng.sample(langs[1:], k=min(len(langs) - 1, rng.randint(0, 2)))


def _birth(rng, person, age, on):
    born = on - datetime.timedelta(days=int(age * 365.25) + rng.randint(0, 364))
    kind = _weighted(rng, {"exact": 55, "year": 20, "estimated": 20, "unknown": 5})
    if kind == "exact":
        person.birth_date, person.birth_date_precision = born, "exact"
    elif kind == "year":
        person.birth_date, person.birth_date_precision = datetime.date(born.year, 1, 1), "year"
    elif kind == "estimated":
        person.birth_date_precision = "estimated"
        person.estimated_age = max(0, age + rng.choice([-1, 0, 0, 0, 1]))
        person.estimated_on = on


def _documents(rng, person, country, child, forms, anchor):
    docs = []
    controlled = bool({"sexual", "labour", "domestic_servitude", "slavery_like"} & set(forms))
    if country == "MA":
        if child and rng.random() < 0.35:
            docs.append(
                (
                    "birth_certificate",
                    f"{rng.randint(100, 999)}/{rng.randint(2005, 2020)}",
                    "MA",
                    None,
                    True,
                )
            )
        elif not child and rng.random() < 0.45:
            letters = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2))
            docs.append(
                (
                    "cnie",
                    f"{letters}{rng.randint(100000, 999999)}",
                    "MA",
                    anchor + datetime.timedelta(days=rng.randint(-200, 3000)),
                    not controlled or rng.random() < 0.8,
                )
            )
        return docs
    if rng.random() < 0.6:
        prefix = {"NG": "A", "PH": "P", "CI": "20CI", "SN": "A0", "CM": "AA"}.get(country, "")
        number = f"{prefix}{rng.randint(1000000, 9999999)}"
        # Documents taken by the exploiter: the passport is recorded as withheld.
        held = not controlled or rng.random() < 0.55
        docs.append(
            (
                "passport",
                number,
                country,
                anchor + datetime.timedelta(days=rng.randint(-500, 1800)),
                held,
            )
        )
    if rng.random() < 0.15:
        kind = rng.choice(["asylum_certificate", "refugee_card", "consular_card"])
        docs.append(
            (
                kind,
                f"{rng.randint(100, 999)}-{rng.randint(10000, 99999)}",
                "MA" if kind != "consular_card" else country,
                anchor + datetime.timedelta(days=rng.randint(30, 700)),
                True,
            )
        )
    return docs


def _dossier(rng, i, person_org, anchor, start, forms, child, country, earliest=None):
    org = person_org
    region = _region(org)
    target, opened = _target_and_opening(rng, i, anchor, earliest or start)
    jump_ok = ORG_BY_KEY[org][1] in {"police", "gendarmerie", "prosecution"}
    events, day = [], opened
    for stage, gap, reason in _path(rng, target, jump_ok):
        day = min(anchor, day + datetime.timedelta(days=gap))
        events.append((stage, day, reason))
    users = VICTIM_USERS[org]
    actor = rng.choice(users)
    caseworker = None if (target == "screening" and rng.random() < 0.5) else actor
    plan = DossierPlan(
        org=org,
        forms=forms,
        opened_on=opened,
        events=events,
        notes=[],
        actor=actor,
        caseworker=caseworker,
    )
    if "other" in forms:
        plan.other_detail = rng.choice(data.OTHER_DETAILS)
    _places(rng, plan, region, country)
    # Notes follow the stages reached.
    for stage, day in [("screening", opened)] + [(e[0], e[1]) for e in events]:
        if rng.random() < 0.7:
            plan.notes.append((actor, rng.choice(data.NOTES[stage])[1], day))
    _share(rng, plan, target, region, child)
    return plan


def _target_and_opening(rng, i, anchor, low):
    """The stage the dossier reaches and the day it opens (not before ``low``): the first
    dossiers cover every stage, the others reach a stage that fits their age."""
    if i < len(STAGES):
        target = STAGES[i]
        if target == "screening":
            opened = anchor - datetime.timedelta(days=rng.randint(0, 10))
        else:
            opened = low + datetime.timedelta(
                days=rng.randint(0, max(0, (anchor - low).days - 420))
            )
    else:
        opened = low + datetime.timedelta(days=rng.randint(0, max(0, (anchor - low).days)))
        target = _stage_for_age(rng, (anchor - opened).days)
    return target, opened


def _places(rng, plan, region, country):
    """Where the person was recruited and exploited: in the owner's region, except for the
    hotline's and international organisations' dossiers, which come from anywhere."""
    plan.recruitment_country = country
    if country == "MA":
        plan.recruitment_region = rng.choice(list(data.CITIES))
    exploitation_region = region
    if ORG_BY_KEY[plan.org][1] in {"hotline", "international_organisation"}:
        exploitation_region = rng.choice(list(data.CITIES))
    plan.exploitation_region = exploitation_region
    plan.exploitation_city = rng.choice(data.CITIES.get(exploitation_region, [""]))


def _share(rng, plan, target, region, child):
    """The grant of a dossier referred out, or of one an authority refers for assistance (with
    the partner's note once the person is assisted)."""
    org, events = plan.org, plan.events
    owner_type = ORG_BY_KEY[org][1]
    stages = {e[0] for e in events}
    if target == "referred_out":
        partner = data.ASSIST_PARTNER.get(region, "oimp")
        if partner == org:
            partner = "oimp" if org != "oimp" else "ngo_nour"
        plan.grant = (partner, "Dossier transmis (orientation sortante)")
    elif (
        owner_type not in {"ngo", "international_organisation", "shelter"}
        and (stages & {"identified", "assisted", "closed"})
        and rng.random() < (0.3 if child else 0.6)
    ):
        partner = data.ASSIST_PARTNER.get(plan.exploitation_region, "ngo_nour")
        if partner != org:
            plan.grant = (partner, "Orientation pour assistance (services et hébergement)")
            if "assisted" in stages:
                assisted_on = next(e[1] for e in events if e[0] == "assisted")
                plan.notes.append(
                    (VICTIM_USERS[partner][0], rng.choice(data.NOTES["assisted"])[1], assisted_on)
                )


def build_plan(seed=SEED, anchor=None, persons=PERSONS):
    """The whole demo, as a list of PersonPlan; the same arguments give the same plan."""
    anchor = anchor or datetime.date(2026, 1, 1)
    start = datetime.date(anchor.year - 2, 1, 1)
    rng = random.Random(seed)
    owners = {k: w for k, w in data.DOSSIER_OWNERS}
    return [_person(rng, i, owners, anchor, start, persons) for i in range(persons)]


def _person(rng, i, owners, anchor, start, persons):
    """The i-th person: who she is, her first dossier, her documents and consents, and
    sometimes a second dossier."""
    forms = _forms(rng, i)
    _weight, female_share, child_share = data.FORM_PROFILES[forms[0]]
    country = _weighted(rng, data.NATIONALITY_BY_FORM[forms[0]])
    female = rng.random() < female_share
    child = rng.random() < child_share
    org = _weighted(rng, owners)
    if child and rng.random() < 0.3:
        org = rng.choice(["ngo_amal", "shelter_tanger", "police_tanger"])
    person = PersonPlan(org=org, actor=VICTIM_USERS[org][0])
    person.sex = "female" if female else "male"
    if rng.random() < 0.02:
        person.sex = rng.choice(["transgender_female", "unknown"])
    langs = _name(rng, person, country, female)
    person.citizenships = [country] if rng.random() > 0.03 else []
    person.languages = list(dict.fromkeys(langs))
    dossier = _dossier(rng, i, org, anchor, start, forms, child, country)
    if forms[0] == "illegal_adoption":
        age = rng.randint(0, 1)
    elif child:
        age = rng.randint(7, 17)
    else:
        age = rng.randint(18, 52)
    _birth(rng, person, age, dossier.opened_on)
    person.documents = _documents(rng, person, country, child, forms, anchor)
    if rng.random() < 0.3:
        phone = f"+212 6{rng.randint(10, 99)}-{rng.randint(100000, 999999)}"
        person.contacts = {"phones": [phone]}
    _consents(rng, person, dossier, child)
    person.dossiers.append(dossier)
    # Some persons come back: a second dossier after the first one ended.
    if dossier.stage in {"closed", "referred_out"} and rng.random() < 0.15:
        last = dossier.events[-1][1] + datetime.timedelta(days=30)
        if last < anchor - datetime.timedelta(days=20):
            # The same organisation meets them again.
            second = _dossier(
                rng,
                persons,
                org,
                anchor,
                start,
                _forms(rng, persons),
                child,
                country,
                earliest=last,
            )
            person.dossiers.append(second)
    return person


def _consents(rng, person, dossier, child):
    """Consent to processing for half of them; to services (and often to sharing) once
    presumed or identified a victim."""
    reached = {e[0]: e[1] for e in dossier.events}
    lang = person.languages[0] if person.languages else None
    if rng.random() < 0.5:
        person.consents.append(
            ("processing", dossier.opened_on, "guardian" if child else "person", lang)
        )
    if "presumed" in reached or "identified" in reached:
        day = reached.get("presumed", reached.get("identified"))
        person.consents.append(("services", day, "guardian" if child else "person", lang))
        if rng.random() < 0.7:
            person.consents.append(("sharing", day, "guardian" if child else "person", lang))


def digest_rows(rows):
    return hashlib.sha256(json.dumps(rows, default=str, ensure_ascii=False).encode()).hexdigest()


def plan_rows(plan):
    """What the database must hold after loading ``plan``, in creation order."""
    rows = []
    for person in plan:
        for d in person.dossiers:
            rows.append(
                [
                    person.given_name_ar,
                    person.given_name_lat,
                    d.stage,
                    sorted(d.forms),
                    d.opened_on.isoformat(),
                    [e[1].isoformat() for e in d.events],
                ]
            )
    return rows
