"""The fixed content of the demo's referrals: provider profiles, facilities and their beds,
where each region's victims are referred, and the phrases of referrals, sessions and plans."""

# org key: (services, groups, regions, languages, contact)
PROVIDERS = {
    "ngo_nour": (
        ["psychosocial", "legal_aid", "interpretation", "reintegration", "shelter"],
        ["women", "children", "sexual_exploitation"],
        ["casablanca_settat", "rabat_sale_kenitra"],
        ["ar", "fr", "en"],
        "المداومة: 05 22 00 00 01 (من 8 إلى 18)",
    ),
    "ngo_karama": (
        ["psychosocial", "legal_aid", "livelihood"],
        ["women", "men", "migrants"],
        ["oriental"],
        ["ar", "fr"],
        "Bureau d'Oujda, 05 36 00 00 02",
    ),
    "ngo_amal": (
        ["psychosocial", "medical", "education", "reintegration"],
        ["children", "families", "migrants"],
        ["tanger_tetouan_al_hoceima"],
        ["ar", "es", "fr"],
        "طنجة، 05 39 00 00 03",
    ),
    "ngo_tiwizi": (
        ["livelihood", "reintegration", "interpretation"],
        ["women", "men"],
        ["souss_massa"],
        ["ar", "fr"],
        "أكادير، 05 28 00 00 04",
    ),
    "ngo_insaf": (
        ["legal_aid", "psychosocial", "education"],
        ["children", "women"],
        ["marrakech_safi"],
        ["ar", "fr"],
        "مراكش، 05 24 00 00 05",
    ),
    "oimp": (
        ["return", "reintegration", "interpretation", "medical"],
        ["migrants", "women", "men", "children", "families"],
        ["rabat_sale_kenitra", "casablanca_settat", "tanger_tetouan_al_hoceima", "oriental"],
        ["en", "fr", "ar"],
        "مكتب العودة الطوعية المساعدة، +212 5 37 00 00 06",
    ),
    "shelter_casa": (
        ["shelter", "psychosocial", "medical"],
        ["women", "children", "families", "sexual_exploitation"],
        ["casablanca_settat"],
        ["ar", "fr"],
        "الاستقبال 24/24: 05 22 00 00 07",
    ),
    "shelter_tanger": (
        ["shelter", "psychosocial"],
        ["women", "men", "children", "migrants"],
        ["tanger_tetouan_al_hoceima"],
        ["ar", "fr", "es"],
        "Accueil 24 h : 05 39 00 00 08",
    ),
    "health_oujda": (
        ["medical", "psychosocial"],
        ["women", "men", "children"],
        ["oriental"],
        ["ar", "fr"],
        "المستعجلات: 05 36 00 00 09",
    ),
    "bar_casa": (
        ["legal_aid"],
        ["women", "men", "children", "migrants"],
        ["casablanca_settat"],
        ["ar", "fr"],
        "Aide juridictionnelle, 05 22 00 00 10",
    ),
}

# org key, name (Arabic, French, English), region, city (Arabic, French, English),
# beds women/men/children/families
FACILITIES = [
    (
        "shelter_casa",
        ("مركز دار الأمان", "Centre Dar Al Amane", "Dar Al Amane Centre"),
        "casablanca_settat",
        ("الدار البيضاء", "Casablanca", "Casablanca"),
        14,
        0,
        6,
        3,
    ),
    (
        "shelter_casa",
        (
            "دار النور (للأمهات والأطفال)",
            "Maison Annour (mères et enfants)",
            "Annour House (mothers and children)",
        ),
        "casablanca_settat",
        ("المحمدية", "Mohammedia", "Mohammedia"),
        4,
        0,
        6,
        4,
    ),
    (
        "shelter_tanger",
        ("مركز البوغاز للاستقبال", "Centre d'accueil Al Boughaz", "Al Boughaz Reception Centre"),
        "tanger_tetouan_al_hoceima",
        ("طنجة", "Tanger", "Tangier"),
        8,
        6,
        4,
        0,
    ),
    (
        "ngo_nour",
        ("شقة العبور نور", "Appartement relais Nour", "Nour transit flat"),
        "casablanca_settat",
        ("الدار البيضاء", "Casablanca", "Casablanca"),
        3,
        0,
        0,
        0,
    ),
]

# Where each owner's victims are referred, per service (closest provider first).
BY_REGION = {
    "casablanca_settat": {
        "shelter": "shelter_casa",
        "psychosocial": "ngo_nour",
        "legal_aid": "bar_casa",
    },
    "tanger_tetouan_al_hoceima": {
        "shelter": "shelter_tanger",
        "psychosocial": "ngo_amal",
        "medical": "ngo_amal",
    },
    "oriental": {
        "psychosocial": "ngo_karama",
        "medical": "health_oujda",
        "legal_aid": "ngo_karama",
    },
    "souss_massa": {"livelihood": "ngo_tiwizi", "reintegration": "ngo_tiwizi"},
    "marrakech_safi": {"legal_aid": "ngo_insaf"},
}
FALLBACK = {"shelter": "shelter_casa", "psychosocial": "ngo_nour", "legal_aid": "ngo_nour"}

REASONS = [
    "Besoin d'un hébergement sûr après sa sortie du lieu d'exploitation.",
    "تحتاج إلى دعم نفسي بعد الاستماع إليها من طرف الشرطة.",
    "Accompagnement juridique pour la constitution de partie civile.",
    "تحتاج إلى متابعة طبية وإلى ترجمة إلى الإنجليزية.",
    "Souhaite rentrer dans son pays ; documents de voyage à établir avec le consulat.",
]
SESSION_NOTES = [
    "جلسة فردية؛ تحسن النوم واستئناف التواصل مع الأسرة.",
    "جلسة دعم نفسي جماعية.",
    "Consultation juridique : explication de la procédure et des droits de la victime.",
    "",
]
GOALS = [
    "Obtenir une pièce d'identité et un titre de séjour provisoire.",
    "متابعة العلاج النفسي لمدة ثلاثة أشهر.",
    "Formation professionnelle en couture (Entraide nationale).",
    "إعادة التواصل مع الأسرة.",
]
REJECTIONS = ["no_capacity", "no_capacity", "not_eligible", "not_offered", "person_declined"]
SUPPORT_GIVERS = ["commission", "ministry_justice", "commune_tanger"]
SUPPORT_RECEIVERS = [
    "ngo_nour",
    "ngo_karama",
    "ngo_amal",
    "ngo_tiwizi",
    "ngo_insaf",
    "shelter_casa",
    "shelter_tanger",
]
