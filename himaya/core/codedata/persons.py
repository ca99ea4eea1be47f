"""About a person and their dossier: sex, identity documents, trafficking status, role in the
process and case status (DOMAIN.md §3, HTCDS 2.0)."""

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
