"""The prioritised recommendations of the 2024 Trafficking in Persons report on Morocco (the seed
article) in Arabic, French and English, and the names of the indicators computed from the
figures."""

# The prioritised recommendations of the 2024 TIP report on Morocco (the seed article), with
# the measures of the plan (by their code) and the agencies that answer them.
RECOMMENDATIONS = [
    (
        True,
        "P1",
        (
            "تطبيق إجراءات منهجية لتحديد ضحايا الاتجار بشكل استباقي، وخاصة بين الفئات السكانية "
            "الضعيفة مثل المهاجرين غير النظاميين."
        ),
        (
            "Mettre en place des procédures systématiques d'identification proactive des victimes, "
            "en particulier parmi les groupes vulnérables tels que les migrants en situation "
            "irrégulière."
        ),
        (
            "Implement systematic procedures to proactively identify victims, especially among "
            "vulnerable groups such as irregular migrants."
        ),
        ["2.1.1", "2.1.2", "2.1.3"],
        ["police_tanger", "immigration", "commission"],
    ),
    (
        True,
        "P2",
        "التنفيذ الكامل لآلية الاستجابة الوطنية.",
        "Mettre pleinement en œuvre le mécanisme national d'orientation.",
        "Fully implement the national referral mechanism.",
        ["2.2.1"],
        ["ministry_justice", "commission"],
    ),
    (
        True,
        "P3",
        (
            "تدريب السلطات القضائية وسلطات إنفاذ القانون، فضلاً عن المجتمع المدني والجهات الفاعلة "
            "الأخرى في مجال حماية الضحايا، على تطبيق آلية الاستجابة الوطنية."
        ),
        (
            "Former les autorités judiciaires et les forces de l'ordre, ainsi que la société "
            "civile et les autres acteurs de la protection des victimes, à l'application du "
            "mécanisme national d'orientation."
        ),
        (
            "Train judicial and law-enforcement officials, civil society and other "
            "victim-protection actors on the national referral mechanism."
        ),
        ["4.1.1", "4.1.3"],
        ["ministry_justice", "oimp"],
    ),
    (
        True,
        "P4",
        (
            "توفير خدمات الحماية الكافية لضحايا جميع أشكال الاتجار، بما في ذلك مراكز الإيواء "
            "والخدمات النفسية والاجتماعية والمساعدة القانونية والمساعدة في العودة إلى أوطانهم."
        ),
        (
            "Fournir des services de protection adéquats aux victimes de toutes les formes de "
            "traite, notamment l'hébergement, les services psychosociaux, l'assistance juridique "
            "et l'aide au retour dans leur pays."
        ),
        (
            "Provide adequate protection services for victims of all forms of trafficking, "
            "including shelters, psychosocial services, legal assistance and help returning to "
            "their home country."
        ),
        ["2.2.2", "2.2.3", "2.2.4", "2.2.5"],
        ["shelter_casa", "health_oujda", "oimp"],
    ),
    (
        False,
        "F1",
        "تقديم الدعم المالي أو العيني لمنظمات المجتمع المدني التي تقدم الخدمات للضحايا.",
        (
            "Apporter un soutien financier ou en nature aux organisations de la société civile qui "
            "servent les victimes."
        ),
        (
            "Provide financial or in-kind support to the civil-society organisations that serve "
            "victims."
        ),
        ["2.2.6"],
        ["commission", "ministry_justice"],
    ),
    (
        False,
        "F2",
        (
            "ضمان عدم معاقبة الضحايا على أفعال غير قانونية ارتكبوها كنتيجة مباشرة للاتجار بهم، مثل "
            "انتهاك قوانين الهجرة."
        ),
        (
            "Veiller à ce que les victimes ne soient pas sanctionnées pour des actes illicites "
            "commis comme conséquence directe de la traite, tels que les infractions à la "
            "législation sur l'immigration."
        ),
        (
            "Ensure victims are not punished for unlawful acts committed as a direct result of "
            "being trafficked, such as immigration violations."
        ),
        ["3.2.2"],
        ["parquet_tanger", "ministry_justice"],
    ),
    (
        False,
        "F3",
        (
            "تزويد اللجنة الوطنية لمكافحة الاتجار بالبشر بالموارد والموظفين الكافيين لتنسيق جهود "
            "الحكومة."
        ),
        (
            "Doter la Commission nationale des ressources et du personnel nécessaires pour "
            "coordonner l'action du gouvernement."
        ),
        (
            "Give the National Commission the resources and staff to coordinate the government's "
            "efforts."
        ),
        ["4.2.3"],
        ["ministry_justice"],
    ),
]

FIGURE_NAMES = {
    "victims_identified": ("الضحايا المحددون", "Victimes identifiées", "Victims identified"),
    "victims_referred": ("الضحايا المحالون", "Victimes orientées", "Victims referred"),
    "victims_assisted": (
        "الضحايا المستفيدون من المساعدة",
        "Victimes assistées",
        "Victims assisted",
    ),
    "investigations": ("الأبحاث المفتوحة", "Enquêtes ouvertes", "Investigations opened"),
    "arrested": ("المشتبه بهم الموقوفون", "Suspects arrêtés", "Suspects arrested"),
    "prosecuted": ("الأشخاص المتابعون", "Personnes poursuivies", "Persons prosecuted"),
    "convicted": ("الأشخاص المدانون", "Personnes condamnées", "Persons convicted"),
    "shelter_beds": ("أسرّة الإيواء", "Lits d'hébergement", "Shelter beds"),
    "training_sessions": ("الدورات التكوينية", "Sessions de formation", "Training sessions"),
    "people_trained": ("المشاركون في التكوين", "Participants formés", "People trained"),
}
