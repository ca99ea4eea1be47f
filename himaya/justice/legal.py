"""The legal articles a charge is brought under: Law 27-14 (Penal Code art. 448-1 to 448-14)
and the related offences prosecutors charge alongside or instead of trafficking. Kept here as
data with labels in Arabic, French and English (a charge stores the code). Only the article
numbers are given for Law 27-14, not a summary of each: a summary is a legal reading that a
jurist of the deployment should write, not the software."""

from django.utils.translation import get_language

# (code, Arabic, French, English)
ARTICLES = [
    *[
        (
            f"448.{n}",
            f"الفصل 448-{n} من القانون الجنائي (القانون 27.14)",
            f"art. 448-{n} du Code pénal (loi 27-14)",
            f"Penal Code art. 448-{n} (Law 27-14)",
        )
        for n in range(1, 15)
    ],
    (
        "498",
        "الفصل 498 من القانون الجنائي (الوساطة في البغاء)",
        "art. 498 du Code pénal (proxénétisme)",
        "Penal Code art. 498 (procuring)",
    ),
    (
        "503.2",
        "الفصل 503-2 من القانون الجنائي (استغلال الأطفال في المواد الإباحية)",
        "art. 503-2 du Code pénal (pornographie infantile)",
        "Penal Code art. 503-2 (child pornography)",
    ),
    (
        "327",
        "الفصل 327 من القانون الجنائي (التسول باستعمال الأطفال)",
        "art. 327 du Code pénal (mendicité avec des enfants)",
        "Penal Code art. 327 (begging with children)",
    ),
    (
        "436",
        "الفصل 436 من القانون الجنائي (الاختطاف والاحتجاز)",
        "art. 436 du Code pénal (enlèvement et séquestration)",
        "Penal Code art. 436 (abduction and unlawful confinement)",
    ),
    (
        "02-03.52",
        "المادة 52 من القانون 02.03 (تهريب المهاجرين)",
        "art. 52 de la loi 02-03 (trafic de migrants)",
        "Law 02-03 art. 52 (smuggling of migrants)",
    ),
    (
        "labour.10",
        "المادة 10 من مدونة الشغل (العمل الجبري)",
        "art. 10 du Code du travail (travail forcé)",
        "Labour Code art. 10 (forced labour)",
    ),
    ("other", "مقتضى آخر", "autre disposition", "other provision"),
]

CODES = [row[0] for row in ARTICLES]
_BY_CODE = {row[0]: row for row in ARTICLES}
TRAFFICKING_ARTICLES = frozenset(c for c in CODES if c.startswith("448."))


def article_label(code, lang=None):
    row = _BY_CODE.get(code)
    if row is None:
        return code
    lang = (lang or get_language() or "ar")[:2]
    return {"ar": row[1], "fr": row[2]}.get(lang, row[3])


def article_choices():
    """Choices in the active language (a callable, so that forms built later pick it up)."""
    return [(code, article_label(code)) for code in CODES]
