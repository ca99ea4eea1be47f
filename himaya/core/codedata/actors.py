"""Who acts: the kinds of organisation, the regions, the bodies that decide on a victim's
status, and the public bodies an official suspect belongs to."""

# HTCDS org Type, then the Moroccan actors of the referral mechanism.
ORG_TYPES = [
    (
        "national_commission",
        "اللجنة الوطنية",
        "commission nationale",
        "national commission",
        "CentralGovernmentOrganisation",
    ),
    ("prosecution", "النيابة العامة", "parquet", "prosecution", "LegalService"),
    ("court", "محكمة", "tribunal", "court", "LegalService"),
    ("police", "الأمن الوطني", "police", "police", "LawEnforcement"),
    ("gendarmerie", "الدرك الملكي", "gendarmerie", "gendarmerie", "LawEnforcement"),
    (
        "labour_inspectorate",
        "مفتشية الشغل",
        "inspection du travail",
        "labour inspectorate",
        "CentralGovernmentOrganisation",
    ),
    ("hotline", "الخط الساخن", "ligne d'écoute", "hotline", "CentralGovernmentOrganisation"),
    ("ngo", "منظمة غير حكومية", "ONG", "NGO", "NGO"),
    (
        "international_organisation",
        "منظمة دولية",
        "organisation internationale",
        "international organisation",
        "NGO",
    ),
    ("shelter", "مركز إيواء", "centre d'hébergement", "shelter", "NGO"),
    (
        "health_service",
        "مصلحة صحية",
        "service de santé",
        "health service",
        "HealthServiceOrganisation",
    ),
    ("consulate", "قنصلية", "consulat", "consulate", "CentralGovernmentOrganisation"),
    (
        "immigration_service",
        "مصلحة الهجرة",
        "service de l'immigration",
        "immigration service",
        "ImmigrationService",
    ),
    (
        "local_government",
        "جماعة ترابية",
        "collectivité territoriale",
        "local government",
        "LocalGovernmentOrganisation",
    ),
    (
        "central_government",
        "إدارة مركزية",
        "administration centrale",
        "central government",
        "CentralGovernmentOrganisation",
    ),
    ("legal_service", "خدمة قانونية", "service juridique", "legal service", "LegalService"),
    ("school", "مؤسسة تعليمية", "établissement scolaire", "school or college", "SchoolOrCollege"),
    ("business", "مقاولة", "entreprise", "business", "CorporateBusiness"),
]

# Morocco's 12 regions (2015 division).
REGIONS = [
    (
        "tanger_tetouan_al_hoceima",
        "طنجة - تطوان - الحسيمة",
        "Tanger-Tétouan-Al Hoceïma",
        "Tangier-Tetouan-Al Hoceima",
    ),
    ("oriental", "الشرق", "L'Oriental", "Oriental"),
    ("fes_meknes", "فاس - مكناس", "Fès-Meknès", "Fez-Meknes"),
    ("rabat_sale_kenitra", "الرباط - سلا - القنيطرة", "Rabat-Salé-Kénitra", "Rabat-Sale-Kenitra"),
    ("beni_mellal_khenifra", "بني ملال - خنيفرة", "Béni Mellal-Khénifra", "Beni Mellal-Khenifra"),
    ("casablanca_settat", "الدار البيضاء - سطات", "Casablanca-Settat", "Casablanca-Settat"),
    ("marrakech_safi", "مراكش - آسفي", "Marrakech-Safi", "Marrakesh-Safi"),
    ("draa_tafilalet", "درعة - تافيلالت", "Drâa-Tafilalet", "Draa-Tafilalet"),
    ("souss_massa", "سوس - ماسة", "Souss-Massa", "Souss-Massa"),
    ("guelmim_oued_noun", "كلميم - واد نون", "Guelmim-Oued Noun", "Guelmim-Oued Noun"),
    (
        "laayoune_sakia_el_hamra",
        "العيون - الساقية الحمراء",
        "Laâyoune-Sakia El Hamra",
        "Laayoune-Sakia El Hamra",
    ),
    (
        "dakhla_oued_ed_dahab",
        "الداخلة - وادي الذهب",
        "Dakhla-Oued Ed-Dahab",
        "Dakhla-Oued Ed-Dahab",
    ),
]

DECISION_ORGS = [
    ("police", "الشرطة", "police", "police", "Police"),
    ("ngo", "منظمة غير حكومية", "ONG", "NGO", "NGO"),
    (
        "court_prosecution",
        "المحكمة أو النيابة العامة",
        "tribunal ou parquet",
        "court or prosecution",
        "CourtOrProsecution",
    ),
    (
        "non_police_government",
        "جهة حكومية غير أمنية",
        "organisme public non policier",
        "non-police governmental organisation",
        "NonPoliceGovernmentalOrganization",
    ),
    ("other", "أخرى", "autre", "other", "Other"),
]

# The kinds of public body an official suspected of trafficking belongs to (UNODC's and the
# TIP report's "official complicity" asks for the body; the body's own name stays free text).
# The keywords recognise a body typed as free text (imports without the code, older records).
PUBLIC_BODIES = [
    ("police", "الأمن الوطني (الشرطة)", "Sûreté nationale (police)", "national police", ""),
    ("gendarmerie", "الدرك الملكي", "Gendarmerie royale", "Royal Gendarmerie", ""),
    ("auxiliary_forces", "القوات المساعدة", "Forces auxiliaires", "auxiliary forces", ""),
    ("customs", "إدارة الجمارك", "douanes", "customs", ""),
    (
        "local_authority",
        "السلطة المحلية أو الجماعة",
        "autorité locale ou commune",
        "local authority or commune",
        "",
    ),
    ("justice", "القضاء", "justice", "justice", ""),
    ("prison", "إدارة السجون", "administration pénitentiaire", "prison administration", ""),
    ("labour_inspectorate", "مفتشية الشغل", "inspection du travail", "labour inspectorate", ""),
    ("armed_forces", "القوات المسلحة", "forces armées", "armed forces", ""),
    (
        "diplomatic",
        "سلك دبلوماسي أو قنصلي",
        "corps diplomatique ou consulaire",
        "diplomatic or consular service",
        "",
    ),
    ("other", "جهة عمومية أخرى", "autre organisme public", "other public body", ""),
]
PUBLIC_BODY_WORDS = {
    "gendarmerie": ("gendarmerie", "درك"),
    "auxiliary_forces": ("forces auxiliaires", "القوات المساعدة", "mokhazni", "مخزني"),
    "police": ("police", "sûreté", "surete", "dgsn", "أمن", "شرطة"),
    "customs": ("douane", "customs", "جمارك", "الجمارك"),
    "local_authority": (
        "commune",
        "caïd",
        "caid",
        "pacha",
        "wali",
        "préfecture",
        "province",
        "autorité",
        "état civil",
        "etat civil",
        "municipal",
        "جماعة",
        "الجماعة",
        "قيادة",
        "باشوية",
        "عمالة",
        "ولاية",
        "إقليم",
        "السلطة المحلية",
        "الحالة المدنية",
        "مقدم",
        "شيخ",
    ),
    "prison": ("prison", "pénitentiaire", "السجون", "سجن"),
    "justice": (
        "tribunal",
        "parquet",
        "cour ",
        "justice",
        "court",
        "محكمة",
        "المحكمة",
        "النيابة",
        "القضاء",
    ),
    "labour_inspectorate": ("inspection du travail", "labour", "مفتشية الشغل", "الشغل"),
    "armed_forces": ("forces armées", "far", "armée", "army", "القوات المسلحة", "الجيش"),
    "diplomatic": ("consulat", "ambassade", "embassy", "consulate", "قنصلية", "سفارة"),
}


def public_body_for(text):
    """The kind of public body (a code of ``public_body``) a body typed as free text names, or
    "other" when none is recognised; "" for no text."""
    text = " ".join((text or "").split())
    if not text:
        return ""
    low = f" {text.lower()} "
    for code, words in PUBLIC_BODY_WORDS.items():
        for word in words:
            if (f" {word} " in low) if word.isascii() and len(word) <= 4 else (word in low):
                return code
    return "other"
