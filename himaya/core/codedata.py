"""The content of the code lists, loaded by a data migration and by `himaya synccodes`.

Countries (ISO 3166-1) and languages (ISO 639) take their names from CLDR through Babel, so the
three languages come from one maintained source. The other lists are the domain's own
(DOMAIN.md §2, §3) and HTCDS 2.0's picklists (shared/standards/htcds).
"""

from babel import Locale

# (code, parent, ar, fr, en, htcds, tip)
EXPLOITATION_FORMS = [
    (
        "sexual",
        None,
        "الاستغلال الجنسي",
        "exploitation sexuelle",
        "sexual exploitation",
        "SexualExploitation",
        "sex",
    ),
    ("labour", None, "العمل القسري", "travail forcé", "forced labour", "ForcedLabour", "labour"),
    (
        "begging",
        "labour",
        "التسول القسري",
        "mendicité forcée",
        "forced begging",
        "ForcedBegging",
        "labour",
    ),
    (
        "slavery_like",
        "labour",
        "ممارسات مشابهة للعبودية",
        "pratiques analogues à l'esclavage",
        "practices similar to slavery",
        "Servitude",
        "labour",
    ),
    (
        "domestic_servitude",
        "labour",
        "العبودية المنزلية",
        "servitude domestique",
        "domestic servitude",
        "Servitude",
        "labour",
    ),
    (
        "criminality",
        "labour",
        "الإجرام القسري",
        "criminalité forcée",
        "forced criminality",
        "Other",
        "labour",
    ),
    (
        "child_labour",
        "labour",
        "عمل الأطفال",
        "travail des enfants",
        "child labour",
        "ChildLabour",
        "labour",
    ),
    (
        "armed_conflict",
        "labour",
        "الاستغلال في النزاعات المسلحة",
        "exploitation dans les conflits armés",
        "exploitation in armed conflict",
        "ForcedMilitaryByNonStateActors",
        "labour",
    ),
    (
        "forced_marriage",
        None,
        "الزواج القسري",
        "mariage forcé",
        "forced marriage",
        "ForcedMarriage",
        "other",
    ),
    (
        "organ_removal",
        None,
        "نزع الأعضاء",
        "prélèvement d'organes",
        "organ removal",
        "OrganRemoval",
        "other",
    ),
    (
        "medical_experimentation",
        None,
        "التجارب الطبية على الأحياء",
        "expérimentation médicale",
        "medical experimentation",
        "Other",
        "other",
    ),
    (
        "illegal_adoption",
        None,
        "التبني غير المشروع",
        "adoption illégale",
        "illegal adoption",
        "ForcedAdoption",
        "other",
    ),
    (
        "surrogacy",
        None,
        "الحمل بالنيابة",
        "gestation pour autrui",
        "surrogacy",
        "Surrogacy",
        "other",
    ),
    ("other", None, "أشكال أخرى", "autre forme", "other form", "Other", "other"),
]

SEX_EXPLOITATION = [
    ("prostitution", "الدعارة", "prostitution", "prostitution", "Prostitution"),
    ("pornography", "المواد الإباحية", "pornographie", "pornography", "Pornography"),
    (
        "remote_interactive",
        "خدمات تفاعلية عن بعد",
        "services interactifs à distance",
        "remote interactive services",
        "RemoteInteractiveServices",
    ),
    (
        "private_sexual_services",
        "خدمات جنسية خاصة",
        "services sexuels privés",
        "private sexual services",
        "PrivateSexualServices",
    ),
]

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

SEXES = [
    ("female", "أنثى", "féminin", "female", "Feminine"),
    ("male", "ذكر", "masculin", "male", "Masculine"),
    (
        "transgender_female",
        "عابرة جنسيا",
        "transgenre féminin",
        "transgender feminine",
        "TransgenderFeminine",
    ),
    (
        "transgender_male",
        "عابر جنسيا",
        "transgenre masculin",
        "transgender masculine",
        "TransgenderMasculine",
    ),
    ("non_conforming", "غير مطابق", "non conforme", "non-conforming", "NonConforming"),
    ("unknown", "غير محدد", "non précisé", "not specified", "NonSpecifiedUnknown"),
]

DOCUMENT_TYPES = [
    ("cnie", "البطاقة الوطنية للتعريف الإلكترونية", "CNIE", "national identity card (CNIE)", ""),
    ("passport", "جواز السفر", "passeport", "passport", ""),
    ("residence_card", "بطاقة الإقامة", "carte de séjour", "residence card", ""),
    ("refugee_card", "بطاقة لاجئ", "carte de réfugié", "refugee card", ""),
    (
        "asylum_certificate",
        "شهادة طلب اللجوء",
        "attestation de demande d'asile",
        "asylum-seeker certificate",
        "",
    ),
    ("birth_certificate", "عقد الازدياد", "acte de naissance", "birth certificate", ""),
    ("consular_card", "بطاقة قنصلية", "carte consulaire", "consular card", ""),
    ("other", "وثيقة أخرى", "autre document", "other document", ""),
]

TRAFFICKING_STATUSES = [
    (
        "possible",
        "ضحية محتملة",
        "victime présumée",
        "possible victim of trafficking",
        "PossibleVictimOfTrafficking",
    ),
    (
        "actual",
        "ضحية اتجار بالبشر",
        "victime de la traite",
        "actual victim of trafficking",
        "ActualVictimOfTrafficking",
    ),
    (
        "not_victim",
        "ليس ضحية اتجار",
        "pas une victime de la traite",
        "not a victim of trafficking",
        "NotAVictimOfTrafficking",
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

RECRUITMENT_METHODS = [
    (
        "business",
        "في مكان تجاري",
        "dans un commerce",
        "at a place of business",
        "AtAPlaceOfBusiness",
    ),
    (
        "education",
        "في مؤسسة تعليمية",
        "dans un établissement d'enseignement",
        "at an educational institution",
        "AtAnEducationalInstitution",
    ),
    ("work", "في العمل", "au travail", "at work", "AtWork"),
    (
        "social_network",
        "عبر شبكات التواصل الاجتماعي",
        "par les réseaux sociaux",
        "through online social networks",
        "ThroughOnlineSocialNetworks",
    ),
    (
        "online_ad",
        "عبر إعلان على الإنترنت",
        "par une annonce en ligne",
        "through an online advertisement",
        "ThroughAnOnlineAdvertisement",
    ),
    (
        "tv_ad",
        "عبر إعلان تلفزي",
        "par une publicité télévisée",
        "through a television advert",
        "ThroughATelevisionAdvert",
    ),
    (
        "newspaper_ad",
        "عبر إعلان في جريدة",
        "par une annonce dans un journal",
        "through a newspaper advert",
        "ThroughANewspaperAdvert",
    ),
    (
        "family",
        "عبر العائلة",
        "par la famille",
        "through family or family events",
        "ThroughFamilyOrFamilyEvents",
    ),
    (
        "friends",
        "عبر الأصدقاء",
        "par des amis",
        "through friends or social events",
        "ThroughFriendsOrSocialEvents",
    ),
    ("other", "أخرى", "autre", "other", "Other"),
]

CONTROL_METHODS = [
    (
        "physical_threats",
        "تهديدات جسدية",
        "menaces physiques",
        "physical threats",
        "PhysicalThreats",
    ),
    (
        "law_enforcement_threats",
        "التهديد بالسلطات",
        "menaces de dénonciation",
        "threats of law enforcement",
        "ThreatsOfLawEnforcement",
    ),
    (
        "threatens_family",
        "تهديد الأطفال أو العائلة",
        "menaces envers la famille",
        "threatens children/family",
        "ThreatensChildrenFamily",
    ),
    ("debt_bondage", "عبودية الدين", "servitude pour dettes", "debt bondage", "DebtBondage"),
    ("false_promises", "وعود كاذبة", "fausses promesses", "false promises", "FalsePromises"),
    ("physical_abuse", "إساءة جسدية", "violence physique", "physical abuse", "PhysicalAbuse"),
    ("sexual_abuse", "اعتداء جنسي", "violence sexuelle", "sexual abuse", "SexualAbuse"),
    (
        "takes_earnings",
        "الاستيلاء على الأجر",
        "confiscation des gains",
        "takes earnings",
        "TakesEarnings",
    ),
    (
        "restricts_finance",
        "تقييد الوصول إلى المال",
        "restriction de l'accès à l'argent",
        "restricts financial access",
        "RestrictsFinancialAccess",
    ),
    (
        "restricts_medical",
        "الحرمان من العلاج",
        "restriction des soins médicaux",
        "restricts medical care",
        "RestrictsMedicalCare",
    ),
    (
        "withholds_necessities",
        "الحرمان من الضروريات",
        "privation du nécessaire",
        "withholds necessities",
        "WithholdsNecessities",
    ),
    (
        "psychological_abuse",
        "إساءة نفسية",
        "violence psychologique",
        "psychological abuse",
        "PsychologicalAbuse",
    ),
    (
        "substances",
        "مواد مؤثرة عقليا",
        "substances psychoactives",
        "psychoactive substance",
        "PsychoactiveSubstance",
    ),
    (
        "excessive_hours",
        "ساعات عمل مفرطة",
        "horaires excessifs",
        "excessive working hours",
        "ExcessiveWorkingHours",
    ),
    (
        "withholds_documents",
        "حجز الوثائق",
        "confiscation des documents",
        "withholds documents",
        "WithholdsDocuments",
    ),
    ("other", "أخرى", "autre", "other", "Other"),
]

VULNERABILITIES = [
    ("addiction", "الإدمان", "addiction", "addiction", "Addiction"),
    ("social_group", "الانتماء لفئة اجتماعية", "groupe social", "social group", "SocialGroup"),
    ("discrimination", "التمييز", "discrimination", "discrimination", "Discrimination"),
    ("poverty", "الفقر", "pauvreté", "poverty", "Poverty"),
    (
        "disability",
        "الإعاقة والصحة الجسدية",
        "handicap et santé physique",
        "disability and physical health",
        "DisabilityAndPhysicalHealth",
    ),
    ("mental_health", "الصحة النفسية", "santé mentale", "mental health", "MentalHealth"),
    ("migration", "الهجرة", "migration", "migration", "Migration"),
    ("homelessness", "التشرد", "sans-abrisme", "homelessness", "Homelessness"),
    (
        "abuse_social_media",
        "إساءة عبر وسائل التواصل",
        "abus sur les réseaux sociaux",
        "abuse - social media",
        "AbuseSocialMedia",
    ),
    ("abuse_physical", "إساءة جسدية", "abus physique", "abuse - physical", "AbusePhysical"),
    ("education", "التعليم", "éducation", "education", "Education"),
    (
        "work_environment",
        "بيئة العمل",
        "environnement de travail",
        "work environment",
        "WorkEnvironment",
    ),
]

ROLES_IN_PROCESS = [
    (
        "travelling_partner",
        "رفيق سفر",
        "compagnon de voyage",
        "travelling partner",
        "TravellingPartner",
    ),
    ("transporter", "ناقل", "transporteur", "transporter", "Transporter"),
    (
        "recruiter",
        "مجند أو وسيط",
        "recruteur ou intermédiaire",
        "recruiter or intermediary",
        "RecruiterOrIntermediary",
    ),
    (
        "broker",
        "وسيط أو وكيل سفر",
        "courtier ou agent de voyage",
        "broker / travel agent",
        "BrokerTravelAgent",
    ),
    ("smuggler", "مهرب", "passeur", "smuggler", "Smuggler"),
    ("abuser", "معتد", "agresseur", "abuser", "Abuser"),
    ("kidnapper", "خاطف", "ravisseur", "kidnapper", "Kidnapper"),
    ("exploiter", "مستغل", "exploiteur", "exploiter", "Exploiter"),
    ("other", "أخرى", "autre", "other", "Other"),
]

CASE_STATUSES = [
    ("active", "نشط", "actif", "active", "Active"),
    ("follow_up", "متابعة", "suivi", "follow up", "FollowUp"),
    ("closed", "مغلق", "clos", "closed", "Closed"),
    (
        "closed_referred",
        "مغلق بعد الإحالة",
        "clos après orientation",
        "closed referred",
        "ClosedReferred",
    ),
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


ISIC_SECTIONS = [
    (
        "A",
        "الفلاحة والغابات والصيد",
        "agriculture, sylviculture et pêche",
        "agriculture, forestry and fishing",
    ),
    ("B", "المعادن والمقالع", "industries extractives", "mining and quarrying"),
    ("C", "الصناعة التحويلية", "industrie manufacturière", "manufacturing"),
    ("F", "البناء", "construction", "construction"),
    ("G", "التجارة", "commerce", "wholesale and retail trade"),
    ("H", "النقل والتخزين", "transports et entreposage", "transportation and storage"),
    (
        "I",
        "الإيواء والمطاعم",
        "hébergement et restauration",
        "accommodation and food service activities",
    ),
    ("R", "الفنون والترفيه", "arts, spectacles et loisirs", "arts, entertainment and recreation"),
    ("S", "خدمات أخرى", "autres activités de services", "other service activities"),
    (
        "T",
        "العمل المنزلي",
        "activités des ménages en tant qu'employeurs",
        "activities of households as employers",
    ),
]

# Languages met among victims and staff; names come from CLDR.
LANGUAGE_CODES = [
    "ar",
    "ary",
    "zgh",
    "tzm",
    "shi",
    "rif",
    "fr",
    "en",
    "es",
    "pt",
    "it",
    "de",
    "nl",
    "ru",
    "uk",
    "tr",
    "fa",
    "ur",
    "hi",
    "bn",
    "zh",
    "tl",
    "fil",
    "id",
    "ha",
    "yo",
    "ig",
    "pcm",
    "ff",
    "wo",
    "bm",
    "dyu",
    "sus",
    "man",
    "ln",
    "sw",
    "am",
    "ti",
    "so",
    "ak",
    "ee",
    "sg",
    "kr",
]
# Names CLDR does not give in Arabic.
LANGUAGE_NAMES_AR = {"ary": "الدارجة المغربية", "rif": "الريفية"}
NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "AC", "CP", "CQ", "DG", "EA", "IC", "TA"}


def _row(code_list, code, ar, fr, en, htcds="", tip="", parent=None, sort=0):
    return {
        "list": code_list,
        "code": code,
        "label_ar": ar,
        "label_fr": fr,
        "label_en": en,
        "htcds": htcds,
        "tip": tip,
        "parent": parent,
        "sort": sort,
    }


def all_rows():
    """Every code as a dict; parents are given by code within the same list."""
    rows = []
    for i, (code, parent, ar, fr, en, htcds, tip) in enumerate(EXPLOITATION_FORMS):
        rows.append(_row("exploitation_form", code, ar, fr, en, htcds, tip, parent, i))
    simple = [
        ("sex_exploitation", SEX_EXPLOITATION),
        ("org_type", ORG_TYPES),
        ("sex", SEXES),
        ("document_type", DOCUMENT_TYPES),
        ("trafficking_status", TRAFFICKING_STATUSES),
        ("decision_org", DECISION_ORGS),
        ("recruitment_method", RECRUITMENT_METHODS),
        ("control_method", CONTROL_METHODS),
        ("vulnerability", VULNERABILITIES),
        ("role_in_process", ROLES_IN_PROCESS),
        ("case_status", CASE_STATUSES),
        ("public_body", PUBLIC_BODIES),
    ]
    for code_list, items in simple:
        for i, (code, ar, fr, en, htcds) in enumerate(items):
            rows.append(_row(code_list, code, ar, fr, en, htcds, sort=i))
    for i, (code, ar, fr, en) in enumerate(REGIONS):
        rows.append(_row("region", code, ar, fr, en, sort=i))
    for i, (code, ar, fr, en) in enumerate(ISIC_SECTIONS):
        rows.append(_row("industry", code, ar, fr, en, htcds=en.capitalize(), sort=i))
    ar, fr, en = Locale("ar"), Locale("fr"), Locale("en")
    for code in sorted(en.territories):
        if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES:
            rows.append(
                _row(
                    "country",
                    code,
                    ar.territories.get(code, en.territories[code]),
                    fr.territories.get(code, en.territories[code]),
                    en.territories[code],
                    htcds=code,
                )
            )
    for i, code in enumerate(LANGUAGE_CODES):
        name_en = en.languages.get(code, code)
        rows.append(
            _row(
                "language",
                code,
                LANGUAGE_NAMES_AR.get(code) or ar.languages.get(code, name_en),
                fr.languages.get(code, name_en),
                name_en,
                htcds=code,
                sort=i,
            )
        )
    return rows


def sync(code_model):
    """Create or update every code (idempotent). Works with historical models too."""
    created = updated = 0
    by_key = {(c.list, c.code): c for c in code_model.objects.all()}
    pending_parents = []
    for row in all_rows():
        parent = row.pop("parent")
        key = (row["list"], row["code"])
        obj = by_key.get(key)
        if obj is None:
            obj = code_model.objects.create(**row)
            by_key[key] = obj
            created += 1
        else:
            changed = [f for f, v in row.items() if getattr(obj, f) != v]
            if changed:
                for f in changed:
                    setattr(obj, f, row[f])
                obj.save(update_fields=changed)
                updated += 1
        if parent:
            pending_parents.append((obj, by_key[(row["list"], parent)]))
    for obj, parent in pending_parents:
        if obj.parent_id != parent.id:
            obj.parent = parent
            obj.save(update_fields=["parent"])
    return created, updated
