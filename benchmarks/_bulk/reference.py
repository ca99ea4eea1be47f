"""The reference data of the bulk caseload: a few rows, through the ORM (organisations and their
accounts, providers, shelters, support to NGOs, screening campaigns). The random draws come in a
fixed order from the caseload's generator, so a seed gives the same caseload."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

# The codes the caseload's draws choose from.
COMMON_FOREIGN = ["SN", "CI", "NG", "CM", "GN", "ML", "PH", "IN", "SY", "FR", "ES", "CD"]
# (form code, weight): sub-forms count under their parent ("labour, including begging").
FORM_WEIGHTS = [
    ("sexual", 40),
    ("labour", 6),
    ("begging", 10),
    ("domestic_servitude", 10),
    ("child_labour", 6),
    ("criminality", 5),
    ("slavery_like", 4),
    ("forced_marriage", 5),
    ("illegal_adoption", 2),
    ("organ_removal", 1),
    ("other", 11),
]
SESSION_KINDS = ["psychosocial", "medical", "legal_aid", "interpretation", "reintegration"]
OFFENCE_TYPES = ["irregular_entry_stay", "prostitution", "begging", "forced_criminality", "other"]
CHANNELS = ["call", "whatsapp_sms", "email", "walk_in", "web_tip"]
CALLERS = ["victim", "relative", "witness", "professional", "anonymous"]
URGENCIES = ["immediate", "urgent", "normal", "normal"]
ARTICLES = ["448.1", "448.2", "448.3", "448.4", "448.5"]

# key: (organisation type, how many)
ORGANISATIONS = {
    "commission": ("national_commission", 1),
    "police": ("police", 4),
    "gendarmerie": ("gendarmerie", 2),
    "prosecution": ("prosecution", 4),
    "court": ("court", 4),
    "ngo": ("ngo", 12),
    "shelter": ("shelter", 6),
    "io": ("international_organisation", 1),
    "labour": ("labour_inspectorate", 2),
    "hotline": ("hotline", 1),
}
ROLE_OF = {  # the role of each organisation's account; caseworker otherwise
    "police": "investigator",
    "gendarmerie": "investigator",
    "prosecution": "prosecutor",
    "court": "prosecutor",
    "shelter": "shelter_manager",
    "commission": "analyst",
    "hotline": "hotline_operator",
}


@dataclass
class Reference:
    code: dict  # (list, code) -> pk
    orgs: dict  # key -> [Organisation]
    users: dict  # key -> [user pk], one per organisation, in the same order
    facilities: list
    campaigns: list
    questionnaires: list  # pks of the published questionnaires


def reference_data(rng, year):
    from himaya.core.models import Code
    from himaya.screening.models import Questionnaire

    code = {(c.list, c.code): c.pk for c in Code.objects.all()}
    orgs = _organisations(code)
    users = {key: _accounts(key, members) for key, members in orgs.items()}
    facilities = _providers_and_shelters(rng, orgs, year)
    _support(rng, orgs, users, year)
    campaigns = _campaigns(orgs, users, year)
    questionnaires = list(
        Questionnaire.objects.filter(status="published").values_list("pk", flat=True)
    )
    return Reference(code, orgs, users, facilities, campaigns, questionnaires)


def _organisations(code):
    from himaya.accounts.models import Organisation

    regions = [pk for (lst, _c), pk in code.items() if lst == "region"]
    orgs = {}
    for key, (kind, n) in ORGANISATIONS.items():
        name = f"bench {key}"
        orgs[key] = Organisation.objects.bulk_create(
            Organisation(
                name_ar=f"{name} {i}",
                name_fr=f"{name} {i}",
                name_en=f"{name} {i}",
                type_id=code[("org_type", kind)],
                region_id=regions[i % len(regions)],
            )
            for i in range(n)
        )
    return orgs


def _accounts(key, members):
    """One account per organisation, with the role its kind of organisation has."""
    from himaya.accounts.models import Membership, User

    made = []
    for i in range(len(members)):
        u = User(username=f"bench_{key}_{i}", preferred_language="fr")
        u.set_unusable_password()
        made.append(u)
    made = User.objects.bulk_create(made)
    role = ROLE_OF.get(key, "caseworker")
    Membership.objects.bulk_create(
        Membership(user=u, organisation=o, role=role) for u, o in zip(made, members, strict=True)
    )
    return [u.pk for u in made]


def _providers_and_shelters(rng, orgs, year):
    from himaya.referrals.models import Facility, Provider

    for o in orgs["ngo"] + orgs["shelter"] + orgs["io"]:
        Provider.objects.create(
            organisation=o,
            services=["shelter", "psychosocial", "medical", "legal_aid"],
            groups=["women", "children"],
        )
    created = datetime.datetime(year - 6, 1, 1, tzinfo=datetime.UTC)
    return Facility.objects.bulk_create(
        Facility(
            organisation=o,
            name_fr=f"bench shelter {i}",
            region_id=o.region_id,
            beds_women=rng.randint(10, 60),
            beds_men=rng.randint(0, 20),
            beds_children=rng.randint(0, 30),
            beds_families=rng.randint(0, 10),
            created_at=created,
        )
        for i, o in enumerate(orgs["shelter"] * 3)
    )


def _support(rng, orgs, users, year):
    """Forty gifts a year from the commission to NGOs and shelters, 60% of them money."""
    from himaya.referrals.models import NgoSupport

    giver = orgs["commission"][0]
    support = []
    for y in range(year - 5, year + 1):
        for _i in range(40):
            financial = rng.random() < 0.6
            support.append(
                NgoSupport(
                    giver=giver,
                    receiver=rng.choice(orgs["ngo"] + orgs["shelter"]),
                    on=datetime.date(y, 1, 1) + datetime.timedelta(days=rng.randrange(365)),
                    kind="financial" if financial else "in_kind",
                    amount_mad=Decimal(rng.randrange(10_000, 500_000)) if financial else None,
                    purpose="bench",
                    recorded_by_id=users["commission"][0],
                )
            )
    NgoSupport.objects.bulk_create(support)


def _campaigns(orgs, users, year):
    """Four two-month screening campaigns a year, by the first four NGOs."""
    from himaya.screening.models import Campaign

    campaigns = []
    for y in range(year - 5, year + 1):
        for i in range(4):
            o = orgs["ngo"][i]
            starts = datetime.date(y, 1 + 3 * i, 1)
            campaigns.append(
                Campaign(
                    name_fr=f"bench campaign {y}-{i}",
                    organisation=o,
                    region_id=o.region_id,
                    starts_on=starts,
                    ends_on=starts + datetime.timedelta(days=60),
                    target_group="domestic_workers",
                    status="closed",
                    created_by_id=users["ngo"][i],
                )
            )
    return Campaign.objects.bulk_create(campaigns)
