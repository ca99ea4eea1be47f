"""Demo screenings: proactive campaigns over two years (migrants in an irregular situation in
Oujda, Nador and Tangier, farm workers in the Souss, domestic workers in Casablanca, street
children in Tangier), about 150 screenings through the actions, with a mix of results; dossiers
opened from some indications, some screenings attached to existing dossiers, and two drafts
for the demo police officer to finish.

``load(orgs, users, codes, anchor, rng)`` is called by the demo loader once the organisations,
accounts and dossiers exist; it returns counts for the loader's summary."""

import datetime

from django.utils import timezone

from himaya.cases.models import Dossier
from himaya.screening import actions
from himaya.screening.models import (
    CampaignStatus,
    Questionnaire,
    Recommendation,
    Screening,
    ScreeningStatus,
)

from . import data

# (org, actor, (name in Arabic, French, English), region, place (as typed by the organiser, most
#  in Arabic), target group, starts days before the anchor, days,
#  screenings, {questionnaire: weight}, citizenships)
CAMPAIGNS = [
    (
        "police_oujda",
        "staff.police_oujda",
        (
            "وجدة: المهاجرون غير النظاميين (المحطة الطرقية والمخيمات)",
            "Oujda : migrants en situation irrégulière (gare routière, campements)",
            "Oujda: irregular migrants (bus station, camps)",
        ),
        "oriental",
        "وجدة، أحفير",
        "irregular_migrants",
        660,
        45,
        22,
        {"adult_labour": 6, "adult_sexual": 3, "child": 1},
        ["GN", "CI", "ML", "SN", "CM", "NG"],
    ),
    (
        "gendarmerie_nador",
        "staff.gendarmerie_nador",
        (
            "الناظور: مخيمات كوروكو وسلوان",
            "Nador : campements de Gourougou et Selouane",
            "Nador: Gourougou and Selouane camps",
        ),
        "oriental",
        "الناظور، سلوان",
        "irregular_migrants",
        430,
        30,
        20,
        {"adult_labour": 5, "adult_sexual": 4, "child": 1},
        ["NG", "CM", "GN", "ML", "CD"],
    ),
    (
        "police_tanger",
        "police",
        (
            "طنجة: الميناء والمحطة الطرقية وحي بوخالف",
            "Tanger : port, gare routière et quartier Boukhalef",
            "Tangier: port, bus station and Boukhalef",
        ),
        "tanger_tetouan_al_hoceima",
        "طنجة المتوسط، بوخالف",
        "irregular_migrants",
        300,
        60,
        24,
        {"adult_labour": 5, "adult_sexual": 4, "child": 1},
        ["CI", "GN", "SN", "NG", "CM"],
    ),
    (
        "inspection_agadir",
        "staff.inspection_agadir",
        (
            "سوس: الضيعات الفلاحية ومحطات التلفيف",
            "Souss : exploitations agricoles et stations de conditionnement",
            "Souss: farms and packing stations",
        ),
        "souss_massa",
        "اشتوكة آيت باها، بيوكرى",
        "agricultural_workers",
        200,
        40,
        22,
        {"adult_labour": 9, "child": 1},
        ["MA", "MA", "MA", "ML", "SN"],
    ),
    (
        "police_oujda",
        "staff.police_oujda",
        (
            "وجدة: المهاجرون غير النظاميين، الحملة الثانية",
            "Oujda : migrants en situation irrégulière, deuxième campagne",
            "Oujda: irregular migrants, second campaign",
        ),
        "oriental",
        "وجدة، بركان",
        "irregular_migrants",
        120,
        40,
        16,
        {"adult_labour": 6, "adult_sexual": 3, "child": 1},
        ["GN", "CI", "ML", "SN"],
    ),
    (
        "ngo_nour",
        "caseworker",
        (
            "الدار البيضاء: العاملات المنزليات",
            "Casablanca : travailleuses domestiques",
            "Casablanca: domestic workers",
        ),
        "casablanca_settat",
        "الدار البيضاء، المحمدية",
        "domestic_workers",
        60,
        120,
        14,
        {"adult_labour": 9, "child": 1},
        ["PH", "CI", "MA", "MA"],
    ),
    (
        "police_tanger",
        "police",
        (
            "طنجة: الأطفال في وضعية الشارع",
            "Tanger : enfants en situation de rue",
            "Tangier: street children",
        ),
        "tanger_tetouan_al_hoceima",
        "المدينة القديمة، الميناء",
        "street_children",
        25,
        60,
        10,
        {"child": 1},
        ["MA", "MA", "GN"],
    ),
]

# Screenings outside any campaign, during ordinary operations: (org, actor, region, count).
OPERATIONS = [
    ("police_casa", "staff.police_casa", "casablanca_settat", 5),
    ("oimp", "staff.oimp", "rabat_sale_kenitra", 4),
    ("ngo_karama", "caseworker2", "oriental", 4),
]
# Screenings recorded for dossiers these organisations already hold: (org, actor, count).
LINKED = [("police_tanger", "police", 4), ("police_oujda", "staff.police_oujda", 3)]

PROFILES = {"none": 48, "vulnerable": 10, "exploited": 14, "deceived": 8, "trafficked": 20}
FORM_BY_TARGET = {
    "irregular_migrants": {"adult_labour": "labour", "adult_sexual": "sexual", "child": "begging"},
    "agricultural_workers": {"adult_labour": "labour", "child": "child_labour"},
    "domestic_workers": {"adult_labour": "domestic_servitude", "child": "domestic_servitude"},
    "street_children": {"child": "begging"},
}
# Typed by the screeners: most in Arabic, some in French (as in the field).
ALIASES = {
    "irregular_migrants": [
        "شاب، {c}، المحطة الطرقية",
        "امرأة، {c}، في المخيم",
        "رجل، {c}، وصل قبل شهرين",
        "Jeune femme, {c}, avec un enfant",
        "مجموعة من ثلاثة رجال، {c} (استُمع إليه وحده)",
    ],
    "agricultural_workers": [
        "عاملة فلاحية، محطة التلفيف",
        "عامل موسمي، البيوت المغطاة",
        "Ouvrière recrutée par un intermédiaire",
    ],
    "domestic_workers": [
        "عاملة منزلية، {c}",
        "Employée de maison logée chez l'employeur",
    ],
    "street_children": ["طفل في حوالي 14 سنة، المدينة القديمة", "طفلة في حوالي 12 سنة، الميناء"],
    "operation": ["شخص صودف أثناء عملية مراقبة", "Personne orientée par un partenaire"],
}
NOTES = [
    "تمت المقابلة بحضور مترجم.",
    "طلب الشخص أن يُتصل به من جديد.",
    "Propos cohérents ; orientée vers une association partenaire.",
    "",
    "",
]


def _at(day):
    # never later than now: "today" may have only just begun
    return min(
        timezone.make_aware(datetime.datetime.combine(day, datetime.time(11))), timezone.now()
    )


def _answers(questions, profile, rng):
    """Answers shaped like a profile; the rule decides the result."""
    answers = {q.key: ("unknown" if rng.random() < 0.04 else "no") for q in questions}
    by_dim = {}
    for q in questions:
        by_dim.setdefault(q.dimension, []).append(q)

    def yes(dimension, strength, n):
        pool = [q for q in by_dim.get(dimension, []) if q.strength == strength]
        for q in rng.sample(pool, min(n, len(pool))):
            answers[q.key] = "yes"

    def positive(dimension):
        strong = [q for q in by_dim.get(dimension, []) if q.strength == "strong"]
        if strong and rng.random() < 0.7:
            yes(dimension, "strong", 1)
            yes(dimension, "medium", 1)
        else:
            yes(dimension, "medium", 3)

    for _ in range(rng.randint(0, 2)):
        yes(rng.choice(["vulnerability_recruitment", "vulnerability_destination"]), "medium", 1)
    if profile == "vulnerable":
        yes("vulnerability_recruitment", "medium", 3)
        yes("vulnerability_destination", "medium", 2)
    elif profile == "exploited":
        positive("exploitation")
    elif profile == "deceived":
        positive("deceptive_recruitment")
        positive("exploitation")
    elif profile == "trafficked":
        positive(rng.choice(["deceptive_recruitment", "coercive_recruitment"]))
        positive("exploitation")
        positive("coercion_destination")
    return answers


def _person(citizenship, rng, child, day):
    female = rng.random() < 0.5
    if citizenship == "MA":
        given_ar, given_lat = rng.choice(data.MA_FEMALE if female else data.MA_MALE)
        family_ar, family_lat = rng.choice(data.MA_FAMILY)
        names = {
            "given_name_ar": given_ar,
            "family_name_ar": family_ar,
            "given_name_lat": given_lat[0],
            "family_name_lat": family_lat[0],
        }
    else:
        _langs, women, men, families, _arabic = data.FOREIGN[citizenship]
        names = {
            "given_name_lat": rng.choice(women if female else men)[0],
            "family_name_lat": rng.choice(families)[0],
        }
    return {
        **names,
        "estimated_age": rng.randint(11, 17) if child else rng.randint(19, 45),
        "birth_date_precision": "estimated",
        "estimated_on": day,
        "sex": "female" if female else "male",
    }


def _date(rng, start, days, anchor):
    day = start + datetime.timedelta(days=rng.randint(0, days))
    return min(day, anchor)


class _Loader:
    def __init__(self, orgs, users, codes, anchor, rng):
        self.orgs, self.users, self.codes, self.anchor, self.rng = orgs, users, codes, anchor, rng
        self.questionnaires = {
            q.code: q for q in Questionnaire.objects.published().prefetch_related("questions")
        }
        self.counts = {
            "campaigns": 0,
            "screenings": 0,
            "screening_drafts": 0,
            "dossiers_from_screenings": 0,
            "screenings_linked": 0,
        }

    def screening(self, *, org, actor, day, code, region, target, campaign=None, citizenship):
        rng = self.rng
        questionnaire = self.questionnaires[code]
        profile = rng.choices(list(PROFILES), weights=list(PROFILES.values()))[0]
        alias = rng.choice(ALIASES.get(target, ALIASES["operation"])).format(c=citizenship)
        user = self.users[actor]
        screening = actions.start_screening(
            acting_user=user,
            organisation=self.orgs[org],
            questionnaire=questionnaire,
            alias=alias,
            screened_on=day,
            region=self.codes("region", region),
            campaign=campaign,
            language=self.codes("language", "fr" if citizenship != "MA" else "ary"),
            answers=_answers(questionnaire.questions.all(), profile, rng),
        )
        screening = actions.submit_screening(screening, acting_user=user, notes=rng.choice(NOTES))
        Screening.objects.filter(pk=screening.pk).update(
            created_at=_at(day), updated_at=_at(day), submitted_at=_at(day)
        )
        self.counts["screenings"] += 1
        chance = {Recommendation.STRONG: 0.6, Recommendation.POSSIBLE: 0.15}.get(
            screening.recommendation, 0
        )
        if rng.random() < chance:
            fields = _person(citizenship, rng, child=code == "child", day=day)
            fields["sex"] = self.codes("sex", fields["sex"])
            form = FORM_BY_TARGET.get(target, {}).get(code) or (
                "sexual" if code == "adult_sexual" else "labour"
            )
            actions.open_dossier_from_screening(
                screening,
                acting_user=user,
                forms=[self.codes("exploitation_form", form)],
                citizenships=[self.codes("country", citizenship)],
                **fields,
            )
            self.counts["dossiers_from_screenings"] += 1
        return screening

    def campaigns(self):
        rng = self.rng
        for (
            org,
            actor,
            name,
            region,
            place,
            target,
            before,
            days,
            count,
            weights,
            citizenships,
        ) in CAMPAIGNS:
            starts_on = self.anchor - datetime.timedelta(days=before)
            ends_on = starts_on + datetime.timedelta(days=days)
            campaign = actions.create_campaign(
                acting_user=self.users[actor],
                organisation=self.orgs[org],
                name_ar=name[0],
                name_fr=name[1],
                name_en=name[2],
                region=self.codes("region", region),
                place=place,
                starts_on=starts_on,
                ends_on=ends_on,
                target_group=target,
                status=CampaignStatus.ACTIVE,
            )
            self.counts["campaigns"] += 1
            for _ in range(count):
                code = rng.choices(list(weights), weights=list(weights.values()))[0]
                self.screening(
                    org=org,
                    actor=actor,
                    day=_date(rng, starts_on, days, self.anchor),
                    code=code,
                    region=region,
                    target=target,
                    campaign=campaign,
                    citizenship=rng.choice(citizenships),
                )
            if ends_on < self.anchor:
                actions.update_campaign(
                    campaign,
                    acting_user=self.users[actor],
                    expected_version=campaign.version,
                    status=CampaignStatus.CLOSED,
                )

    def operations(self):
        rng = self.rng
        for org, actor, region, count in OPERATIONS:
            for _ in range(count):
                self.screening(
                    org=org,
                    actor=actor,
                    day=self.anchor - datetime.timedelta(days=rng.randint(3, 700)),
                    code=rng.choice(["adult_labour", "adult_labour", "adult_sexual"]),
                    region=region,
                    target="operation",
                    citizenship=rng.choice(["MA", "NG", "CI", "PH"]),
                )

    def linked(self):
        """Screenings recorded for persons whose dossier the organisation already holds."""
        rng = self.rng
        for org, actor, count in LINKED:
            user = self.users[actor]
            dossiers = list(
                Dossier.objects.filter(owner_org=self.orgs[org], screenings__isnull=True)
                .filter(stage__in=["screening", "presumed", "identified"])
                .order_by("opened_on", "id")
            )
            for dossier in rng.sample(dossiers, min(count, len(dossiers))):
                questionnaire = self.questionnaires[
                    "adult_sexual"
                    if dossier.forms.filter(code="sexual").exists()
                    else "adult_labour"
                ]
                profile = rng.choice(["trafficked", "trafficked", "deceived", "exploited"])
                screening = actions.start_screening(
                    acting_user=user,
                    organisation=self.orgs[org],
                    questionnaire=questionnaire,
                    person=dossier.person,
                    screened_on=dossier.opened_on,
                    region=dossier.exploitation_region,
                    answers=_answers(questionnaire.questions.all(), profile, rng),
                )
                actions.submit_screening(screening, acting_user=user)
                actions.link_dossier(screening, acting_user=user, dossier=dossier)
                Screening.objects.filter(pk=screening.pk).update(
                    created_at=_at(dossier.opened_on),
                    updated_at=_at(dossier.opened_on),
                    submitted_at=_at(dossier.opened_on),
                )
                self.counts["screenings"] += 1
                self.counts["screenings_linked"] += 1

    def drafts(self):
        """Two interviews the demo police officer started and did not finish."""
        rng = self.rng
        user = self.users["police"]
        for code, alias, groups in (
            ("adult_labour", "شاب غيني، المحطة الطرقية بطنجة", 2),
            ("child", "طفل في حوالي 15 سنة، ميناء طنجة", 1),
        ):
            questionnaire = self.questionnaires[code]
            dims = [d.value for d in questionnaire.dimensions()[:groups]]
            answers = _answers(questionnaire.questions.all(), "trafficked", rng)
            answers = {k: v for k, v in answers.items() if k.split(".")[0] in dims}
            campaign = (
                self.orgs["police_tanger"]
                .screening_campaigns.filter(target_group="street_children")
                .exclude(status=CampaignStatus.CLOSED)
                .first()
                if code == "child"
                else None
            )
            day = self.anchor - datetime.timedelta(days=1 if code == "child" else 2)
            if campaign is not None and not campaign.covers(day):
                campaign = None
            actions.start_screening(
                acting_user=user,
                organisation=self.orgs["police_tanger"],
                questionnaire=questionnaire,
                alias=alias,
                screened_on=day,
                region=self.codes("region", "tanger_tetouan_al_hoceima"),
                campaign=campaign,
                answers=answers,
            )
            self.counts["screening_drafts"] += 1


def load(orgs, users, codes, anchor, rng) -> dict[str, int]:
    """Load the demo screenings; ``anchor`` is the demo's today."""
    loader = _Loader(orgs, users, codes, min(anchor, timezone.localdate()), rng)
    loader.campaigns()
    loader.operations()
    loader.linked()
    loader.drafts()
    loader.counts["screenings_submitted"] = Screening.objects.filter(
        status=ScreeningStatus.SUBMITTED
    ).count()
    return loader.counts
