"""A realistic annual report dict, built by hand after the report contract (brief 6) and the seed
article's 2023 figures (79 investigations, 119 arrests, 150 prosecuted for sex trafficking,
169 victims against 166, 128 + 42 = 170 by form). Used by the export tests; others may import
``sample_report()``. Labels are given in the three languages, as a frozen report carries them."""

import copy


def _l(ar, fr, en):
    return {"ar": ar, "fr": fr, "en": en}


FORMS = {
    "sexual": _l("الاتجار بالجنس", "Exploitation sexuelle", "Sex trafficking"),
    "labour": _l("العمل القسري", "Travail forcé", "Forced labour"),
    "begging": _l("التسول القسري", "Mendicité forcée", "Forced begging"),
    "slavery_like": _l(
        "ممارسات مشابهة للعبودية",
        "Pratiques analogues à l'esclavage",
        "Practices similar to slavery",
    ),
    "criminality": _l("الإجرام القسري", "Criminalité forcée", "Forced criminality"),
    "forced_marriage": _l("الزواج القسري", "Mariage forcé", "Forced marriage"),
}


def _row(key, label, value, previous, level=0):
    return {"key": key, "label": label, "level": level, "value": value, "previous": previous}


def _table(key, title, rule, rows):
    return {"key": key, "title": title, "rule": rule, "rows": rows}


TABLES = [
    _table(
        "law_enforcement",
        _l("التحقيقات والاعتقالات", "Enquêtes et arrestations", "Investigations and arrests"),
        _l(
            "التحقيقات المفتوحة خلال السنة؛ المشتبه بهم المتميزون الذين اعتقلوا خلال السنة.",
            "Enquêtes ouvertes dans l'année ; suspects distincts arrêtés dans l'année.",
            "Investigations opened in the year; distinct suspects with an arrest in the year.",
        ),
        [
            _row("investigations", _l("تحقيقات", "Enquêtes", "Investigations"), 79, 120),
            _row(
                "arrested",
                _l("مشتبه بهم معتقلون", "Suspects arrêtés", "Suspects arrested"),
                119,
                141,
            ),
        ],
    ),
    _table(
        "prosecutions",
        _l(
            "الأشخاص المتابعون قضائيا حسب شكل الاستغلال",
            "Personnes poursuivies, par forme d'exploitation",
            "Persons prosecuted, by form of exploitation",
        ),
        _l(
            "المتهمون المتميزون الذين بدأت متابعتهم خلال السنة، محسوبون تحت كل شكل من أشكال التهم.",
            "Prévenus distincts dont la poursuite a commencé dans l'année, comptés sous chaque "
            "forme de leurs chefs d'accusation ; les formes peuvent dépasser le total.",
            "Distinct defendants with a prosecution started in the year, counted under each form "
            "among their charges; forms may sum to more than the total.",
        ),
        [
            _row("prosecuted", _l("المجموع", "Total", "Total"), 181, 170),
            _row("prosecuted:sexual", FORMS["sexual"], 150, 139),
            _row("prosecuted:labour", FORMS["labour"], 32, 31),
            _row("prosecuted:labour:begging", FORMS["begging"], 1, 0, level=1),
            _row("prosecuted:labour:slavery_like", FORMS["slavery_like"], 12, 9, level=1),
            _row("prosecuted:labour:criminality", FORMS["criminality"], 6, 4, level=1),
        ],
    ),
    _table(
        "convictions",
        _l("الإدانات والعقوبات", "Condamnations et peines", "Convictions and sentences"),
        _l(
            "المتهمون المتميزون الذين صدرت في حقهم إدانة خلال السنة.",
            "Prévenus distincts condamnés dans l'année.",
            "Distinct defendants with a conviction dated in the year.",
        ),
        [
            _row("convicted", _l("مدانون", "Condamnés", "Convicted"), 94, 88),
            _row("convicted:sexual", FORMS["sexual"], 77, 70),
            _row("convicted:labour", FORMS["labour"], 18, 19),
            _row("acquitted", _l("مبرؤون", "Acquittés", "Acquitted"), 11, 14),
            _row(
                "sentence:under_5",
                _l("أقل من 5 سنوات", "Moins de 5 ans", "Under 5 years"),
                40,
                37,
            ),
            _row("sentence:5_10", _l("من 5 إلى 10 سنوات", "5 à 10 ans", "5 to 10 years"), 39, 38),
            _row(
                "sentence:over_10",
                _l("أكثر من 10 سنوات", "Plus de 10 ans", "Over 10 years"),
                15,
                13,
            ),
        ],
    ),
    _table(
        "victims",
        _l(
            "الضحايا المحددون حسب شكل الاستغلال",
            "Victimes identifiées, par forme d'exploitation",
            "Victims identified, by form of exploitation",
        ),
        _l(
            "الأشخاص المتميزون الذين صدر أول قرار بتحديد هويتهم خلال السنة؛ "
            "قد يتجاوز مجموع الأشكال المجموع الكلي.",
            "Personnes distinctes dont la première décision d'identification date de l'année ; "
            "les formes peuvent dépasser le total (128 + 42 = 170 pour 169 victimes).",
            "Distinct persons whose first identification decision is dated in the year; forms may "
            "sum to more than the total (128 + 42 = 170 for 169 victims).",
        ),
        [
            _row("victims", _l("المجموع", "Total", "Total"), 169, 166),
            _row("victims:sexual", FORMS["sexual"], 128, 121),
            _row("victims:labour", FORMS["labour"], 42, 45),
            _row("victims:labour:begging", FORMS["begging"], 2, 3, level=1),
            _row("victims:labour:slavery_like", FORMS["slavery_like"], 25, 22, level=1),
            _row("victims:labour:criminality", FORMS["criminality"], 7, 5, level=1),
        ],
    ),
    _table(
        "victim_profile",
        _l("خصائص الضحايا", "Profil des victimes", "Victim profile"),
        _l(
            "الجنس؛ قاصر أو راشد حسب السن عند تحديد الهوية؛ وطني أو أجنبي.",
            "Sexe ; enfant ou adulte selon l'âge à l'identification ; national ou étranger.",
            "Sex; child or adult by age at identification; national or foreign.",
        ),
        [
            _row("victims_female", _l("إناث", "Femmes et filles", "Female"), 131, 125),
            _row("victims_male", _l("ذكور", "Hommes et garçons", "Male"), 36, 39),
            _row("victims_sex_unknown", _l("غير معروف", "Inconnu", "Unknown"), 2, 2),
            _row("victims_children", _l("أطفال", "Enfants", "Children"), 23, 30),
            _row("victims_foreign", _l("أجانب", "Étrangers", "Foreign nationals"), 19, 12),
        ],
    ),
    _table(
        "protection",
        _l(
            "الإحالة والمساعدة والإيواء",
            "Orientation, assistance, hébergement",
            "Referral, assistance, shelter",
        ),
        _l(
            "ضحايا السنة الذين أحيلوا مرة على الأقل؛ الذين قدمت لهم خدمة على الأقل؛ الأسرّة في "
            "نهاية السنة.",
            "Victimes de l'année orientées au moins une fois ; ayant reçu au moins un service ; "
            "lits au 31 décembre ; nuitées de l'année.",
            "Victims of the year referred at least once; with at least one service delivered; "
            "beds at year end; bed-nights used in the year.",
        ),
        [
            _row(
                "referred", _l("ضحايا محالون", "Victimes orientées", "Victims referred"), 142, 120
            ),
            _row(
                "assisted",
                _l("ضحايا تمت مساعدتهم", "Victimes assistées", "Victims assisted"),
                117,
                101,
            ),
            _row("shelter_beds", _l("أسرّة الإيواء", "Lits d'hébergement", "Shelter beds"), 48, 36),
            _row("bed_nights", _l("ليالي المبيت", "Nuitées", "Bed-nights"), 11342, 9120),
            _row("returns", _l("مساعدة في العودة", "Aide au retour", "Return assistance"), 9, 4),
            _row(
                "days_to_referral",
                _l(
                    "متوسط الساعات حتى الإحالة",
                    "Heures moyennes avant orientation",
                    "Mean hours to referral",
                ),
                31.5,
                None,
            ),
        ],
    ),
    _table(
        "officials",
        _l(
            "تورط موظفين عموميين", "Implication d'agents publics", "Involvement of public officials"
        ),
        _l(
            "التحقيقات والمتابعات والإدانات التي تشمل موظفا عموميا.",
            "Enquêtes, poursuites et condamnations impliquant un agent public.",
            "Investigations, prosecutions and convictions involving a public official.",
        ),
        [
            _row("official_investigations", _l("تحقيقات", "Enquêtes", "Investigations"), 1, 1),
            _row("official_prosecutions", _l("متابعات", "Poursuites", "Prosecutions"), 0, 0),
            _row("official_convictions", _l("إدانات", "Condamnations", "Convictions"), 0, 0),
        ],
    ),
    _table(
        "non_punishment",
        _l("عدم معاقبة الضحايا", "Non-sanction des victimes", "Non-punishment"),
        _l(
            "الضحايا الذين سجلت ضدهم مخالفة؛ التنبيهات المثارة والمعالجة خلال السنة.",
            "Victimes contre lesquelles une infraction est enregistrée ; alertes levées et "
            "résolues dans l'année.",
            "Victims with an offence recorded against them; alerts raised and resolved "
            "in the year.",
        ),
        [
            _row(
                "victims_with_offence",
                _l("ضحايا متابعون بمخالفة", "Victimes mises en cause", "Victims with an offence"),
                14,
                17,
            ),
            _row("alerts_raised", _l("تنبيهات مثارة", "Alertes levées", "Alerts raised"), 14, 0),
            _row(
                "alerts_resolved",
                _l("تنبيهات معالجة", "Alertes résolues", "Alerts resolved"),
                11,
                0,
            ),
        ],
    ),
    _table(
        "coordination",
        _l(
            "التكوين ودعم الجمعيات",
            "Formations et soutien aux ONG",
            "Trainings and support to NGOs",
        ),
        _l(
            "الدورات والأشخاص المكونون؛ الدعم المالي (بالدرهم) والعيني "
            "المقدم لمنظمات المجتمع المدني.",
            "Sessions et personnes formées ; soutien financier (MAD) et en nature aux "
            "organisations de la société civile.",
            "Sessions and people trained; financial (MAD) and in-kind support to civil-society "
            "organisations.",
        ),
        [
            _row(
                "training_sessions",
                _l("دورات تكوينية", "Sessions de formation", "Training sessions"),
                37,
                22,
            ),
            _row(
                "people_trained",
                _l("أشخاص مكونون", "Personnes formées", "People trained"),
                1210,
                804,
            ),
            _row(
                "people_trained:justice",
                _l("قضاة ونيابة عامة", "Magistrats", "Judges and prosecutors"),
                310,
                200,
                level=1,
            ),
            _row(
                "ngo_support_mad",
                _l("الدعم المالي (درهم)", "Soutien financier (MAD)", "Financial support (MAD)"),
                1500000,
                0,
            ),
        ],
    ),
]


def _facts():
    facts = {}
    for table in TABLES:
        for row in table["rows"]:
            if ":" not in row["key"]:
                facts[row["key"]] = {"value": row["value"], "previous": row["previous"]}
    facts["stalled"] = {"value": 21, "previous": 25}

    def by_form(prefix):
        return [
            {
                "code": r["key"].split(":")[1],
                "label": r["label"],
                "value": r["value"],
                "previous": r["previous"],
            }
            for t in TABLES
            for r in t["rows"]
            if r["key"].startswith(prefix + ":") and r["level"] == 0
        ]

    facts["prosecuted_by_form"] = by_form("prosecuted")
    facts["convicted_by_form"] = by_form("convicted")
    facts["victims_by_form"] = by_form("victims")
    return facts


def _cells(spec):
    """spec: list of (sex, age, citizenship, form, count)."""
    return [{"sex": s, "age": a, "citizenship": c, "form": f, "count": n} for s, a, c, f, n in spec]


# Suspects: 181 prosecuted, 94 convicted, 119 arrested (formal contact); victims: 169 persons,
# listed once per top form (170 cells' worth: one woman counted under both forms).
UNODC = {
    "suspects": {
        "contact": _cells(
            [
                ("male", "adult", "national", "", 88),
                ("female", "adult", "national", "", 21),
                ("male", "adult", "foreign", "", 7),
                ("male", "child", "national", "", 1),
                ("unknown", "unknown", "unknown", "", 2),
            ]
        ),
        "prosecuted": _cells(
            [
                ("male", "adult", "national", "", 131),
                ("female", "adult", "national", "", 36),
                ("male", "adult", "foreign", "", 9),
                ("female", "adult", "foreign", "", 3),
                ("male", "child", "national", "", 1),
                ("male", "unknown", "unknown", "", 1),
            ]
        ),
        "convicted": _cells(
            [
                ("male", "adult", "national", "", 70),
                ("female", "adult", "national", "", 18),
                ("male", "adult", "foreign", "", 5),
                ("female", "adult", "foreign", "", 1),
            ]
        ),
    },
    "victims": _cells(
        [
            ("female", "adult", "national", "sexual", 96),
            ("female", "child", "national", "sexual", 14),
            ("female", "adult", "foreign", "sexual", 10),
            ("male", "adult", "national", "sexual", 3),
            ("female", "unknown", "unknown", "sexual", 2),
            ("male", "child", "national", "sexual", 3),
            ("male", "adult", "national", "labour", 18),
            ("male", "adult", "foreign", "labour", 7),
            ("male", "child", "national", "labour", 5),
            ("female", "adult", "national", "labour", 8),
            ("female", "child", "foreign", "labour", 1),
            ("unknown", "adult", "foreign", "labour", 1),
            ("female", "adult", "national", "labour", 2),
        ]
    ),
}

SERIES = {
    "justice_by_year": [
        {"year": 2018, "prosecuted": 96, "convicted": 51},
        {"year": 2019, "prosecuted": 118, "convicted": 63},
        {"year": 2020, "prosecuted": 102, "convicted": 70},
        {"year": 2021, "prosecuted": 147, "convicted": 81},
        {"year": 2022, "prosecuted": 170, "convicted": 88},
        {"year": 2023, "prosecuted": 181, "convicted": 94},
    ],
    "victims_by_form_sex": [
        {"code": "sexual", "label": FORMS["sexual"], "female": 122, "male": 6, "unknown": 0},
        {"code": "labour", "label": FORMS["labour"], "female": 11, "male": 30, "unknown": 1},
        {
            "code": "forced_marriage",
            "label": FORMS["forced_marriage"],
            "female": 0,
            "male": 0,
            "unknown": 0,
        },
    ],
    "shelter_occupancy": [
        {"month": m, "bed_nights": n, "capacity_nights": c}
        for m, n, c in [
            (1, 744, 1116),
            (2, 700, 1008),
            (3, 820, 1116),
            (4, 870, 1080),
            (5, 910, 1116),
            (6, 960, 1080),
            (7, 1010, 1488),
            (8, 1100, 1488),
            (9, 1030, 1440),
            (10, 1080, 1488),
            (11, 1028, 1440),
            (12, 1090, 1488),
        ]
    ],
}


def sample_report():
    """A fresh deep copy each call, so a test may alter it."""
    return copy.deepcopy(
        {
            "year": 2023,
            "previous_year": 2022,
            "generated_at": "2026-11-28T23:50:00+00:00",
            "data_version": "3f9a1c0e7b2d4a65",
            "tables": TABLES,
            "facts": _facts(),
            "series": SERIES,
            "unodc": UNODC,
        }
    )
