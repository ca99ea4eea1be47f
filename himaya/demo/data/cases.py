"""What the demo's dossiers look like: nationalities and profiles by form of exploitation, second
forms, details, caseworkers' notes and the reasons for unusual stage changes."""

# Nationalities of victims by form (weights): Moroccan victims dominate domestic forms.
NATIONALITY_BY_FORM = {
    "sexual": {"MA": 40, "NG": 22, "CI": 12, "CM": 8, "SN": 3, "GN": 5, "CD": 5, "SY": 2, "PH": 3},
    "labour": {"MA": 50, "SN": 8, "GN": 8, "ML": 10, "CI": 6, "SD": 8, "PH": 4, "CM": 3, "CD": 3},
    "domestic_servitude": {"MA": 55, "PH": 25, "CI": 12, "SN": 5, "NG": 3},
    "begging": {"MA": 50, "SN": 15, "GN": 15, "ML": 10, "SY": 5, "SD": 5},
    "slavery_like": {"MA": 35, "ML": 20, "GN": 15, "CI": 10, "SD": 10, "CM": 10},
    "criminality": {"MA": 70, "NG": 10, "GN": 10, "SD": 10},
    "child_labour": {"MA": 80, "GN": 10, "ML": 10},
    "armed_conflict": {"ML": 40, "SY": 30, "SD": 30},
    "forced_marriage": {"MA": 85, "SY": 10, "GN": 5},
    "organ_removal": {"MA": 40, "SD": 30, "NG": 30},
    "medical_experimentation": {"MA": 100},
    "illegal_adoption": {"MA": 70, "NG": 30},
    "surrogacy": {"MA": 40, "PH": 30, "NG": 30},
    "other": {"MA": 40, "PH": 20, "NG": 20, "CI": 20},
}

# form → (weight, share female, share of children); every form appears at least once.
FORM_PROFILES = {
    "sexual": (34, 0.88, 0.15),
    "labour": (18, 0.30, 0.05),
    "domestic_servitude": (10, 0.92, 0.30),
    "begging": (8, 0.45, 0.75),
    "slavery_like": (4, 0.40, 0.10),
    "criminality": (5, 0.20, 0.55),
    "child_labour": (5, 0.40, 1.0),
    "armed_conflict": (1, 0.10, 0.40),
    "forced_marriage": (4, 1.0, 0.55),
    "organ_removal": (1, 0.35, 0.0),
    "medical_experimentation": (1, 0.50, 0.0),
    "illegal_adoption": (1, 0.50, 1.0),
    "surrogacy": (1, 1.0, 0.0),
    "other": (2, 0.50, 0.0),
}
# Common second forms.
SECOND_FORM = {
    "sexual": ["domestic_servitude", "forced_marriage", "labour"],
    "labour": ["slavery_like", "criminality"],
    "domestic_servitude": ["sexual", "slavery_like"],
    "begging": ["criminality", "child_labour"],
    "criminality": ["begging", "sexual"],
    "child_labour": ["begging", "domestic_servitude"],
    "forced_marriage": ["domestic_servitude", "sexual"],
}
OTHER_DETAILS = [
    "الاستغلال في مراكز الاحتيال عبر الإنترنت",
    "Trafic de stupéfiants imposé (passeur forcé)",
    "Exploitation dans la pêche en haute mer",
]

# Notes written by caseworkers and officers (language, text): most in Arabic, some in French,
# as in a Moroccan deployment.
NOTES = {
    "screening": [
        (
            "fr",
            "Premier entretien réalisé avec l'appui d'un interprète. La personne est fatiguée "
            "et inquiète pour sa famille.",
        ),
        ("ar", "تم الاستماع الأولي للمعنية بالأمر بحضور مساعدة اجتماعية. تبدو عليها علامات الخوف."),
        ("ar", "أجريت المقابلة الأولى؛ تفيد المعنية بالأمر بأن المشغل احتفظ بجواز سفرها."),
        ("fr", "Signalement reçu de la ligne d'écoute : travail sans salaire depuis huit mois."),
        ("ar", "توصلنا بإشعار عبر الخط الساخن من أحد الجيران حول طفل يتسول ليلا."),
    ],
    "presumed": [
        ("fr", "Indicateurs forts de recrutement trompeur et de confiscation de documents."),
        ("ar", "مؤشرات قوية على الخداع في التشغيل وحجز الوثائق. تم إخبار النيابة العامة."),
        ("ar", "مؤشرات قوية على عبودية الدين؛ توجيه نحو فحص طبي."),
    ],
    "identified": [
        (
            "fr",
            "Décision d'identification notifiée. Orientation vers l'hébergement et l'aide "
            "juridique.",
        ),
        ("ar", "تم تحديد الهوية كضحية. توجيه نحو مركز الإيواء والمساعدة القانونية."),
        ("ar", "توصلنا بقرار تحديد الهوية من النيابة العامة؛ أُخبرت الضحية بلغتها."),
    ],
    "assisted": [
        (
            "fr",
            "Suivi psychosocial hebdomadaire mis en place ; la victime a repris contact avec "
            "sa famille.",
        ),
        ("ar", "استفادت الضحية من الدعم النفسي والاجتماعي ومن مواكبة قانونية خلال جلسة المحاكمة."),
        ("ar", "طُلبت المساعدة على العودة؛ سلّمت القنصلية وثيقة السفر."),
        ("fr", "Inscription à une formation professionnelle (couture) à partir du mois prochain."),
    ],
    "closed": [
        ("fr", "Dossier clôturé : retour volontaire effectué et réintégration confirmée."),
        ("ar", "تم إغلاق الملف بعد استكمال برنامج الإدماج وعودة الضحية إلى أسرتها."),
        ("ar", "أُغلق الملف بعد الإدماج؛ كانت مكالمة التتبع بعد ثلاثة أشهر إيجابية."),
    ],
    "not_victim": [
        (
            "fr",
            "Après évaluation, pas d'indicateurs de traite ; orientation vers les services "
            "sociaux.",
        ),
        ("ar", "بعد التقييم، لا توجد مؤشرات على الاتجار. تم توجيه الشخص إلى المصالح الاجتماعية."),
    ],
    "referred_out": [
        ("fr", "Dossier transmis : la personne réside désormais dans une autre région."),
        ("ar", "سُلّم الملف إلى الجمعية الشريكة الأقرب إلى أسرة الشخص."),
    ],
}

REFERRED_OUT_REASONS = [
    "انتقل الشخص إلى جهة أخرى؛ أحيل الملف على الجمعية المحلية.",
    "Prise en charge transférée à l'organisation internationale pour le retour volontaire.",
    "الإحالة على جمعية متخصصة في حماية الطفولة بطلب من النيابة العامة.",
]
JUMP_REASONS = [
    "Identification directe par le parquet à la suite d'une opération de police.",
    "حددت النيابة العامة هوية الضحية في الجلسة الأولى؛ أُجري الفرز في اليوم نفسه.",
]
