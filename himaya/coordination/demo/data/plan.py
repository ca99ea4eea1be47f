"""The national action plan 2023–2030: axes, objectives and measures with their lead and partner
agencies, budget lines, deadlines and indicators."""

import datetime

PLAN_START, PLAN_END = 2023, 2030
ADOPTED = datetime.date(2023, 3, 1)

# (ar, fr, en), then objectives: (ar, fr, en), then measures:
# (ar, fr, en, lead, partners, budget line, deadline year, indicators)
# An indicator is ("figure", key, baseline) or
# ("hand", (ar, fr, en), (source ar, fr, en), baseline, step).
AXES = [
    (
        ("الوقاية والتحسيس", "Prévention et sensibilisation", "Prevention and awareness"),
        [
            (
                (
                    "التحسيس بمخاطر الاتجار",
                    "Sensibiliser aux risques de la traite",
                    "Raise awareness of trafficking risks",
                ),
                [
                    (
                        "حملة وطنية للتحسيس بالخط الساخن",
                        "Campagne nationale de promotion de la ligne d'écoute",
                        "National campaign promoting the hotline",
                        "hotline",
                        ["commission", "ngo_nour"],
                        "BG-PRV-01",
                        2024,
                        [
                            (
                                "hand",
                                (
                                    "مكالمات الخط الساخن",
                                    "Appels reçus par la ligne d'écoute",
                                    "Calls to the hotline",
                                ),
                                (
                                    "الخط الساخن، سجل المكالمات",
                                    "Ligne d'écoute, registre des appels",
                                    "Hotline, call register",
                                ),
                                900,
                                150,
                            )
                        ],
                    ),
                    (
                        "التحسيس في المؤسسات التعليمية",
                        "Sensibilisation en milieu scolaire",
                        "Awareness in schools",
                        "school_fes",
                        ["ngo_amal", "commission"],
                        "BG-PRV-02",
                        2026,
                        [
                            (
                                "hand",
                                ("تلاميذ تم تحسيسهم", "Élèves sensibilisés", "Pupils reached"),
                                (
                                    "المعهد العالي للعمل الاجتماعي",
                                    "Institut supérieur du travail social",
                                    "Higher Institute of Social Work",
                                ),
                                1200,
                                400,
                            )
                        ],
                    ),
                    (
                        "تحسيس المهاجرين بحقوقهم",
                        "Informer les migrants de leurs droits",
                        "Inform migrants of their rights",
                        "ngo_karama",
                        ["oimp", "immigration"],
                        "BG-PRV-03",
                        2025,
                        [],
                    ),
                ],
            ),
            (
                ("الوقاية من العمل القسري", "Prévenir le travail forcé", "Prevent forced labour"),
                [
                    (
                        "مراقبة وكالات التشغيل",
                        "Contrôler les agences de recrutement",
                        "Inspect recruitment agencies",
                        "inspection_casa",
                        ["inspection_agadir"],
                        "BG-PRV-04",
                        2025,
                        [
                            (
                                "hand",
                                ("زيارات المراقبة", "Visites de contrôle", "Inspection visits"),
                                (
                                    "مفتشية الشغل، التقارير",
                                    "Inspection du travail, rapports",
                                    "Labour inspectorate, reports",
                                ),
                                40,
                                15,
                            )
                        ],
                    ),
                    (
                        "ميثاق التشغيل المسؤول في الفلاحة",
                        "Charte du recrutement responsable dans l'agriculture",
                        "Responsible recruitment charter in agriculture",
                        "business_souss",
                        ["inspection_agadir", "ngo_tiwizi"],
                        "BG-PRV-05",
                        2026,
                        [],
                    ),
                    (
                        "حماية العاملات المنزليات",
                        "Protéger les travailleuses domestiques",
                        "Protect domestic workers",
                        "inspection_casa",
                        ["ngo_tiwizi", "ministry_justice"],
                        "BG-PRV-06",
                        2027,
                        [],
                    ),
                ],
            ),
        ],
    ),
    (
        ("الحماية والمساعدة", "Protection et assistance", "Protection and assistance"),
        [
            (
                (
                    "تحديد الضحايا بشكل استباقي",
                    "Identifier les victimes de manière proactive",
                    "Identify victims proactively",
                ),
                [
                    (
                        "دليل تحديد هوية الضحايا",
                        "Diffuser le guide d'identification des victimes",
                        "Disseminate the victim identification guide",
                        "commission",
                        ["police_tanger", "gendarmerie_nador", "ngo_nour"],
                        "BG-PRO-01",
                        2024,
                        [("figure", "victims_identified", 166)],
                    ),
                    (
                        "الفحص الاستباقي في صفوف المهاجرين",
                        "Dépistage proactif parmi les migrants",
                        "Proactive screening among migrants",
                        "police_tanger",
                        ["oimp", "ngo_karama", "immigration"],
                        "BG-PRO-02",
                        2025,
                        [
                            (
                                "hand",
                                ("استمارات الفحص", "Dépistages réalisés", "Screenings carried out"),
                                (
                                    "الشرطة، سجلات الفحص",
                                    "Police, registres de dépistage",
                                    "Police, screening registers",
                                ),
                                60,
                                40,
                            )
                        ],
                    ),
                    (
                        "الفحص في مراكز الحدود",
                        "Dépistage aux postes-frontières",
                        "Screening at border posts",
                        "immigration",
                        ["gendarmerie_nador", "police_oujda"],
                        "BG-PRO-03",
                        2026,
                        [],
                    ),
                    (
                        "فرق متنقلة للدرك",
                        "Équipes mobiles de la Gendarmerie",
                        "Gendarmerie mobile teams",
                        "gendarmerie_laayoune",
                        ["gendarmerie_beni_mellal"],
                        "BG-PRO-04",
                        2027,
                        [],
                    ),
                ],
            ),
            (
                ("الإحالة والإيواء", "Orientation et hébergement", "Referral and shelter"),
                [
                    (
                        "التنفيذ الكامل لآلية الإحالة الوطنية",
                        "Mise en œuvre complète du mécanisme national d'orientation",
                        "Full implementation of the national referral mechanism",
                        "ministry_justice",
                        ["commission", "ngo_nour", "oimp"],
                        "BG-PRO-05",
                        2025,
                        [
                            ("figure", "victims_referred", 90),
                            (
                                "hand",
                                (
                                    "اتفاقيات الإحالة الموقعة",
                                    "Conventions d'orientation signées",
                                    "Referral agreements signed",
                                ),
                                ("وزارة العدل", "Ministère de la Justice", "Ministry of Justice"),
                                3,
                                2,
                            ),
                        ],
                    ),
                    (
                        "فتح مراكز إيواء متخصصة",
                        "Ouvrir des centres d'hébergement spécialisés",
                        "Open specialised shelters",
                        "shelter_casa",
                        ["commune_tanger", "ngo_amal"],
                        "BG-PRO-06",
                        2026,
                        [("figure", "shelter_beds", 20)],
                    ),
                    (
                        "الدعم النفسي والاجتماعي",
                        "Soutien psychosocial",
                        "Psychosocial support",
                        "health_oujda",
                        ["ngo_nour", "shelter_tanger"],
                        "BG-PRO-07",
                        2026,
                        [("figure", "victims_assisted", 80)],
                    ),
                    (
                        "المساعدة القانونية للضحايا",
                        "Aide juridique aux victimes",
                        "Legal aid for victims",
                        "bar_casa",
                        ["ngo_insaf"],
                        "BG-PRO-08",
                        2027,
                        [],
                    ),
                    (
                        "العودة الطوعية وإعادة الإدماج",
                        "Retour volontaire et réintégration",
                        "Voluntary return and reintegration",
                        "oimp",
                        ["consulate_ng", "consulate_ci", "consulate_ph"],
                        "BG-PRO-09",
                        2028,
                        [],
                    ),
                    (
                        "دعم مالي للجمعيات",
                        "Soutien financier aux associations",
                        "Financial support to NGOs",
                        "commission",
                        ["ministry_justice", "commune_tanger"],
                        "BG-PRO-10",
                        2025,
                        [
                            (
                                "hand",
                                ("جمعيات مدعومة", "Associations soutenues", "NGOs supported"),
                                ("اللجنة الوطنية", "Commission nationale", "National Commission"),
                                0,
                                2,
                            )
                        ],
                    ),
                ],
            ),
        ],
    ),
    (
        ("الزجر والمتابعة", "Poursuites et répression", "Prosecution"),
        [
            (
                ("تعزيز البحث والتحري", "Renforcer les enquêtes", "Strengthen investigations"),
                [
                    (
                        "فرق جهوية متخصصة",
                        "Brigades régionales spécialisées",
                        "Specialised regional units",
                        "police_casa",
                        ["police_agadir", "police_laayoune"],
                        "BG-PRS-01",
                        2025,
                        [("figure", "investigations", 120), ("figure", "arrested", 100)],
                    ),
                    (
                        "التحقيقات المالية الموازية",
                        "Enquêtes financières parallèles",
                        "Parallel financial investigations",
                        "parquet_rabat",
                        ["police_casa"],
                        "BG-PRS-02",
                        2027,
                        [],
                    ),
                    (
                        "التعاون القضائي الدولي",
                        "Coopération judiciaire internationale",
                        "International judicial cooperation",
                        "ministry_justice",
                        ["parquet_rabat", "parquet_tanger"],
                        "BG-PRS-03",
                        2028,
                        [],
                    ),
                ],
            ),
            (
                (
                    "متابعة الجناة وحماية الضحايا أمام القضاء",
                    "Poursuivre les auteurs, protéger les victimes en justice",
                    "Prosecute offenders, protect victims in court",
                ),
                [
                    (
                        "دورية حول المتابعات",
                        "Circulaire sur les poursuites",
                        "Circular on prosecutions",
                        "parquet_rabat",
                        ["parquet_casa", "parquet_agadir", "parquet_tanger"],
                        "BG-PRS-04",
                        2024,
                        [("figure", "prosecuted", 150), ("figure", "convicted", 60)],
                    ),
                    (
                        "عدم معاقبة الضحايا",
                        "Non-sanction des victimes",
                        "Non-punishment of victims",
                        "parquet_tanger",
                        ["ministry_justice", "ngo_insaf"],
                        "BG-PRS-05",
                        2025,
                        [],
                    ),
                    (
                        "حماية الشهود والضحايا",
                        "Protection des témoins et des victimes",
                        "Witness and victim protection",
                        "court_tanger",
                        ["parquet_tanger"],
                        "BG-PRS-06",
                        2026,
                        [],
                    ),
                    (
                        "تعويض الضحايا",
                        "Indemnisation des victimes",
                        "Compensation of victims",
                        "court_casa",
                        ["bar_casa"],
                        "BG-PRS-07",
                        2028,
                        [],
                    ),
                ],
            ),
        ],
    ),
    (
        ("التنسيق والشراكة", "Coordination et partenariat", "Coordination and partnership"),
        [
            (
                (
                    "تعزيز قدرات الفاعلين",
                    "Renforcer les capacités des acteurs",
                    "Build the actors' capacity",
                ),
                [
                    (
                        "تكوين القضاة وضباط الشرطة القضائية",
                        "Former les magistrats et officiers de police judiciaire",
                        "Train judges and judicial police officers",
                        "ministry_justice",
                        ["parquet_rabat", "police_tanger", "gendarmerie_nador"],
                        "BG-COO-01",
                        2026,
                        [("figure", "training_sessions", 8), ("figure", "people_trained", 250)],
                    ),
                    (
                        "تكوين مفتشي الشغل",
                        "Former les inspecteurs du travail",
                        "Train labour inspectors",
                        "inspection_agadir",
                        ["inspection_casa"],
                        "BG-COO-02",
                        2025,
                        [],
                    ),
                    (
                        "تكوين الجمعيات",
                        "Former les associations",
                        "Train NGOs",
                        "oimp",
                        ["ngo_nour", "ngo_karama", "ngo_tiwizi"],
                        "BG-COO-03",
                        2026,
                        [],
                    ),
                ],
            ),
            (
                ("التنسيق والمعطيات", "Coordination et données", "Coordination and data"),
                [
                    (
                        "نظام معلوماتي وطني",
                        "Système d'information national",
                        "National information system",
                        "commission",
                        ["ministry_justice", "police_casa", "hotline"],
                        "BG-COO-04",
                        2024,
                        [],
                    ),
                    (
                        "تقرير سنوي موحد",
                        "Rapport annuel consolidé",
                        "Consolidated annual report",
                        "commission",
                        ["ministry_justice"],
                        "BG-COO-05",
                        2030,
                        [],
                    ),
                    (
                        "موارد وأطر اللجنة الوطنية",
                        "Moyens et personnel de la Commission nationale",
                        "Resources and staff of the National Commission",
                        "ministry_justice",
                        ["commission"],
                        "BG-COO-06",
                        2025,
                        [
                            (
                                "hand",
                                ("أطر اللجنة", "Personnel de la Commission", "Commission staff"),
                                ("اللجنة الوطنية", "Commission nationale", "National Commission"),
                                3,
                                1,
                            )
                        ],
                    ),
                    (
                        "لجان جهوية",
                        "Commissions régionales",
                        "Regional commissions",
                        "commune_tanger",
                        ["commission"],
                        "BG-COO-07",
                        2029,
                        [],
                    ),
                ],
            ),
        ],
    ),
]
