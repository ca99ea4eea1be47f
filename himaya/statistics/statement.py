"""The annual statement: the year's figures written as prose in Arabic, French and English.

``statement(report, language)`` returns paragraphs in the register of the US TIP report and of
the national reports ("In 2023 the authorities investigated 79 trafficking cases, compared with
120 in 2022, and arrested 119 suspects."). It reads only ``report["year"]``,
``report["previous_year"]`` and ``report["facts"]`` (see report.py), so a frozen report renders
without the database.

The statement is produced in all three languages whatever the interface language (the national
report is published in Arabic and French, the international one in English), so its phrases are
a small per-language table with grammar helpers here, not gettext catalogues.

Rules: a part whose value is None is left out; 0 is said as a negation ("did not convict any
trafficker", "n'ont condamné aucun trafiquant", "لم تُدِن المحاكم أي شخص"); the previous year
is always given for investigations, prosecutions, convictions and victims, and elsewhere only
when it differs by at least 5% of the larger of the two. Numbers are formatted by Babel with
the project's Moroccan locales (settings.BABEL_LOCALES): ar_MA gives Western digits with "."
between thousands (1.250.000, as in the Moroccan press; plain "ar" would give 1,250,000), fr
a narrow no-break space (1 250 000), en_GB a comma. Years are never grouped.

Form lists (``prosecuted_by_form``...) may carry sub-forms: an item whose ``level`` is 1, or
whose code is "parent:child", is an "including" line of the item above it."""

from typing import NamedTuple

from babel.numbers import format_decimal

from . import labels

LANGUAGES = ("ar", "fr", "en")
LOCALES = {"ar": "ar_MA", "fr": "fr_MA", "en": "en_GB"}  # as settings.BABEL_LOCALES


def number(n, language):
    return format_decimal(n, locale=LOCALES[language])


# --- Arabic: the counted noun (العدد والمعدود) ----------------------------------------------


class ArabicNoun(NamedTuple):
    singular: str  # قضية
    dual: str  # oblique dual (accusative/genitive): قضيتين
    plural: str  # قضايا
    accusative: str  # indefinite accusative singular, the tamyiz of 11-99: مشتبهًا به
    feminine: bool = False  # for واحد / واحدة
    tail: str = ""  # invariable words after the count: "للاتجار بالبشر"


def arabic_count(n, forms, case="genitive"):
    """The count ``n`` with its noun in the form Arabic grammar requires, numbers as digits.

    The noun depends on the last two digits (the part of the number read last), as in the
    grammars and in the CLDR plural rules for Arabic (zero/one/two/few/many/other):
      1          noun + واحد/واحدة after it, in the sentence's case: قضية واحدة, مشتبهًا به واحدًا
      2          dual alone, oblique here (every slot in the statement is accusative/genitive):
                 قضيتين
      n%100 3-10   plural (genitive): 3 قضايا، 10 ضحايا، 103 قضايا، 110 قضايا
      n%100 11-99  singular accusative with tanween (tamyiz): 11 مشتبهًا به، 79 قضية، 2023 شخصًا
      otherwise  (0, 100, 101, 102, 200, 1000...) singular genitive: 100 قضية، 101 قضية
    Numbers are digits, so the reversed gender of 3-10 never shows. For 101 and 102 we follow
    CLDR ("other": 101 يوم) rather than spelling out مئة ويوم. Sources: CLDR language plural
    rules for ar (n mod 100 in 3..10 few, 11..99 many), Babel's ar unit patterns (0 يوم، 3
    أيام، 11 يومًا، 100 يوم), and the grammar summaries: 3-10 plural genitive, 11-99 singular
    accusative, 100 and 1000 singular genitive, the last two digits deciding in compounds;
    the seed article itself writes "119 مشتبهًا به" and "150 شخصا" (19 and 50: accusative).
    ``case`` ("genitive" or "accusative") matters only for 1 (مشتبه به واحد / مشتبهًا به
    واحدًا)."""
    tail = forms.tail
    if n == 1:
        acc = case == "accusative"
        one = "واحدة" if forms.feminine else ("واحدًا" if acc else "واحد")
        return f"{forms.accusative if acc else forms.singular} {one}{tail}"
    if n == 2:
        return f"{forms.dual}{tail}"
    last = n % 100
    if 3 <= last <= 10:
        noun = forms.plural
    elif 11 <= last <= 99:
        noun = forms.accusative
    else:
        noun = forms.singular
    return f"{number(n, 'ar')} {noun}{tail}"


def _ar_one_two(n, feminine):
    """A count standing alone, nominative ("من بينهم واحد بتهمة..."): 1 and 2 as words."""
    if n == 1:
        return "واحدة" if feminine else "واحد"
    if n == 2:
        return "اثنتان" if feminine else "اثنان"
    return number(n, "ar")


def _ar_li(phrase):
    """The preposition لـ attached: للاتجار، لضحيتين، لـ120 ضحية."""
    if phrase.startswith("ال"):
        return "لل" + phrase[2:]
    return ("لـ" if phrase[:1].isdigit() else "ل") + phrase


# --- French and English ---------------------------------------------------------------------


def french_count(n, forms):
    """1 enquête, 2 enquêtes, 1 000 000 d'enquêtes (0 and 1 take the singular in French)."""
    singular, plural = forms[0], forms[1]
    if n in (0, 1):
        return f"{number(n, 'fr')} {singular}"
    if n % 1_000_000 == 0:
        return f"{number(n, 'fr')} {_fr_de(plural)}"
    return f"{number(n, 'fr')} {plural}"


def _fr_de(word):
    return ("d'" if word[:1].lower() in "aeiouyéèêàâîôûh" else "de ") + word


def english_count(n, forms):
    return f"{number(n, 'en')} {forms[0] if n == 1 else forms[1]}"


def _lower(label):
    """Lowercase a label's first letter mid-sentence, unless it is an acronym."""
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


def _join(items, language, conj=None):
    if language == "ar":
        return " و".join(items)
    conj = conj or {"fr": "et", "en": "and"}[language]
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {conj} {items[-1]}"


# --- The phrase table -----------------------------------------------------------------------
# Per language: nouns, subjects (full form, pronoun after a first sentence), and per fact a
# positive and a negative template. {S} subject, {N} count (accusative in Arabic), {G} count
# in the genitive, {L} genitive with لـ, {F} forms, {P} previous year.

# fmt: off
N = ArabicNoun
PHRASES = {
    "en": {
        "lead": "In {year} ", "prev": ", compared with {n} in {year}",
        "prev_none": ", compared with none in {year}", "same": ", the same number as in {year}",
        "same_none": ", as in {year}",
        "nouns": {
            "case": ("trafficking case", "trafficking cases"), "suspect": ("suspect", "suspects"),
            "defendant": ("defendant", "defendants"), "trafficker": ("trafficker", "traffickers"),
            "victim": ("victim", "victims"), "bed": ("bed", "beds"),
            "identified": ("identified victim", "identified victims"),
            "night": ("bed-night", "bed-nights"), "alert2": ("alert", "alerts"),
            "alert": ("non-punishment alert", "non-punishment alerts"),
            "investigation": ("investigation", "investigations"), "stalled": ("case", "cases"),
            "child": ("child", "children"), "female": ("woman or girl", "women or girls"),
            "foreign": ("foreign national", "foreign nationals"),
        },
        "subjects": {
            "authorities": ("the authorities ", None), "prosecution": ("the authorities ", "they "),
            "courts": ("the courts ", None), "shelters": ("shelters ", None),
            "system": ("the system ", None),
        },
        "facts": {
            "investigations": ("case", "{S}investigated {N}{P}",
                               "{S}did not investigate any trafficking case{P}"),
            "arrested": ("suspect", "{S}arrested {N}{P}", "{S}did not arrest any suspect{P}"),
            "prosecuted": ("defendant", "{S}prosecuted {N}{F}{P}",
                           "{S}did not prosecute any defendant{P}"),
            "convicted": ("trafficker", "{S}convicted {N}{F}{P}",
                          "{S}did not convict any trafficker{P}"),
            "acquitted": ("defendant", "{S}acquitted {N}{P}", "{S}did not acquit any defendant{P}"),
            "victims": ("victim", "{S}identified {N}{P}", "{S}did not identify any victim{P}"),
            "referred": ("identified", "{S}referred {N} to services{P}",
                         "{S}did not refer any identified victim to services{P}"),
            "assisted": ("victim", "{S}provided assistance to {N}{P}",
                         "{S}did not provide assistance to any victim{P}"),
            "shelter_beds": ("bed", "{S}had {N} at the end of the year{P}",
                             "{S}did not have any bed at the end of the year{P}"),
            "bed_nights": ("night", "{S}recorded {N}{P}", "{S}did not record any bed-night{P}"),
            "returns": ("victim", "{S}assisted the voluntary return of {N}{P}",
                        "{S}did not assist the return of any victim{P}"),
            "victims_with_offence": ("identified", "{S}recorded an offence against {N}{P}",
                                     "{S}did not record an offence against any identified "
                                     "victim{P}"),
            "alerts_raised": ("alert", "{S}raised {N}{P}",
                              "{S}did not raise any non-punishment alert{P}"),
            "alerts_resolved": ("alert2", "{S}resolved {N}{P}", "{S}did not resolve any alert{P}"),
            "official_investigations": (
                "investigation", "{S}opened {N} involving public officials{P}",
                "{S}did not open any investigation involving a public official{P}"),
            "stalled": ("stalled", "{S}flagged {N} as stalled{P}",
                        "{S}did not flag any case as stalled{P}"),
            "ngo_support_mad": (
                "mad", "{S}provided {N} in financial support to civil-society organisations{P}",
                "{S}did not provide any financial support to civil-society organisations{P}"),
        },
        "including": ", including {items}", "sub": " (including {items})",
        "for": "{n} for {label}",
        "breakdown": "the victims identified included {items}",
        "breakdown_none": "no {adjs} victim was identified",
        "adjs": {"child": "child", "foreign": "foreign", "female": "female"},
        "by_form": ("the authorities identified {items}",
                    "by form of exploitation, they identified {items}"),
        "overlap": "; a victim may be counted under more than one form",
    },
    "fr": {
        "lead": "En {year}, ", "prev": ", contre {n} en {year}",
        "prev_none": ", contre {aucun} en {year}", "same": ", soit autant qu'en {year}",
        "same_none": ", comme en {year}",
        "nouns": {  # singular, plural, feminine
            "case": ("affaire de traite", "affaires de traite", True),
            "suspect": ("suspect", "suspects", False), "defendant": ("prévenu", "prévenus", False),
            "trafficker": ("trafiquant", "trafiquants", False),
            "victim": ("victime", "victimes", True),
            "identified": ("victime identifiée", "victimes identifiées", True),
            "bed": ("lit", "lits", False), "night": ("nuitée", "nuitées", True),
            "alert": ("alerte de non-sanction", "alertes de non-sanction", True),
            "alert2": ("alerte", "alertes", True), "investigation": ("enquête", "enquêtes", True),
            "stalled": ("affaire en souffrance", "affaires en souffrance", True),
            "mad": ("dirham", "dirhams", False), "child": ("enfant", "enfants", False),
            "foreign": ("personne de nationalité étrangère", "personnes de nationalité étrangère",
                        True),
            "female": ("femme ou fille", "femmes ou filles", True),
        },
        "subjects": {
            "authorities": ("les autorités ", None), "prosecution": ("les autorités ", "elles "),
            "courts": ("les tribunaux ", None), "shelters": ("les centres d'hébergement ", None),
            "system": ("le système ", None),
        },
        "facts": {
            "investigations": ("case", "{S}ont enquêté sur {N}{P}",
                               "{S}n'ont enquêté sur aucune affaire de traite{P}"),
            "arrested": ("suspect", "{S}ont arrêté {N}{P}", "{S}n'ont arrêté aucun suspect{P}"),
            "prosecuted": ("defendant", "{S}ont poursuivi {N}{F}{P}",
                           "{S}n'ont poursuivi aucun prévenu{P}"),
            "convicted": ("trafficker", "{S}ont condamné {N}{F}{P}",
                          "{S}n'ont condamné aucun trafiquant{P}"),
            "acquitted": ("defendant", "{S}ont acquitté {N}{P}",
                          "{S}n'ont acquitté aucun prévenu{P}"),
            "victims": ("victim", "{S}ont identifié {N}{P}",
                        "{S}n'ont identifié aucune victime{P}"),
            "referred": ("identified", "{S}ont orienté {N} vers des services{P}",
                         "{S}n'ont orienté aucune victime identifiée vers des services{P}"),
            "assisted": ("victim", "{S}ont apporté une assistance à {N}{P}",
                         "{S}n'ont apporté d'assistance à aucune victime{P}"),
            "shelter_beds": ("bed", "{S}disposaient de {N} en fin d'année{P}",
                             "{S}ne disposaient d'aucun lit en fin d'année{P}"),
            "bed_nights": ("night", "{S}ont enregistré {N}{P}",
                           "{S}n'ont enregistré aucune nuitée{P}"),
            "returns": ("victim", "{S}ont organisé le retour volontaire de {N}{P}",
                        "{S}n'ont organisé le retour d'aucune victime{P}"),
            "victims_with_offence": (
                "identified", "{S}ont enregistré une infraction à l'encontre de {N}{P}",
                "{S}n'ont enregistré d'infraction à l'encontre d'aucune victime identifiée{P}"),
            "alerts_raised": ("alert", "{S}a émis {N}{P}",
                              "{S}n'a émis aucune alerte de non-sanction{P}"),
            "alerts_resolved": ("alert2", "{S}a clôturé {N}{P}", "{S}n'a clôturé aucune alerte{P}"),
            "official_investigations": (
                "investigation", "{S}ont ouvert {N} impliquant des agents publics{P}",
                "{S}n'ont ouvert aucune enquête impliquant un agent public{P}"),
            "stalled": ("stalled", "{S}a signalé {N}{P}",
                        "{S}n'a signalé aucune affaire en souffrance{P}"),
            "ngo_support_mad": (
                "mad",
                "{S}ont apporté un soutien financier de {N} aux organisations de la société "
                "civile{P}",
                "{S}n'ont apporté aucun soutien financier aux organisations de la société "
                "civile{P}"),
        },
        "including": ", dont {items}", "sub": " (dont {items})", "for": "{n} pour {label}",
        "breakdown": "les victimes identifiées comprenaient {items}",
        "breakdown_none": "aucune victime {adjs} n'a été identifiée",
        "adjs": {"child": "mineure", "foreign": "étrangère", "female": "de sexe féminin"},
        "by_form": ("les autorités ont identifié {items}",
                    "par forme d'exploitation, elles ont identifié {items}"),
        "overlap": " ; une même victime peut être comptée sous plusieurs formes",
    },
    "ar": {
        "lead": "في سنة {year}، ", "prev": "، مقابل {n} في سنة {year}",
        "prev_none": "، مقابل عدم تسجيل أي {singular} في سنة {year}",
        "prev_none_mad": "، في حين لم يُقدَّم أي دعم في سنة {year}",
        "same": "، وهو العدد نفسه المسجل في سنة {year}", "same_none": "، كما في سنة {year}",
        "nouns": {  # singular, oblique dual, plural, accusative singular, feminine, tail
            "case": N("قضية", "قضيتين", "قضايا", "قضية", True, " للاتجار بالبشر"),
            "suspect": N("مشتبه به", "مشتبهين بهما", "مشتبه بهم", "مشتبهًا به"),
            "person": N("شخص", "شخصين", "أشخاص", "شخصًا"),
            "victim": N("ضحية", "ضحيتين", "ضحايا", "ضحية", True),
            "bed": N("سرير", "سريرين", "أسرّة", "سريرًا"),
            "night": N("ليلة إيواء", "ليلتي إيواء", "ليالي إيواء", "ليلة إيواء", True),
            "alert": N("تنبيه", "تنبيهين", "تنبيهات", "تنبيهًا", False, " بشأن عدم معاقبة الضحايا"),
            "alert2": N("تنبيه", "تنبيهين", "تنبيهات", "تنبيهًا"),
            "investigation": N("تحقيق", "تحقيقين", "تحقيقات", "تحقيقًا", False,
                               " بشأن تورط موظفين عموميين"),
            "stalled": N("قضية", "قضيتين", "قضايا", "قضية", True, " في حالة تعثر"),
            "mad": N("درهم", "درهمين", "دراهم", "درهمًا"),
            "child": N("طفل", "طفلين", "أطفال", "طفلًا"),
            "foreign": N("أجنبي", "أجنبيين", "أجانب", "أجنبيًا"),
            "female": N("أنثى", "أنثيين", "إناث", "أنثى", True),
        },
        "subjects": {
            "authorities": (" السلطات", None), "prosecution": (" النيابة العامة", None),
            "courts": (" المحاكم", None), "shelters": (" مراكز الإيواء", None),
            "system": (" النظام", None),
        },
        "facts": {
            "investigations": ("case", "حققت{S} في {G}{P}",
                               "لم تحقق{S} في أي قضية للاتجار بالبشر{P}"),
            "arrested": ("suspect", "اعتقلت{S} {N}{P}", "لم تعتقل{S} أي مشتبه به{P}"),
            "prosecuted": ("person", "تابعت{S} {N}{F}{P}", "لم تتابع{S} أي شخص{P}"),
            "convicted": ("person", "أدانت المحاكم {N}{F}{P}", "لم تُدِن المحاكم أي شخص{P}"),
            "acquitted": ("person", "برّأت{S} {N}{P}", "لم تبرّئ{S} أي شخص{P}"),
            "victims": ("victim", "حددت{S} {N}{P}", "لم تحدد{S} أي ضحية{P}"),
            "referred": ("victim", "أحالت{S} {N} على الخدمات{P}",
                         "لم تُحِل{S} أي ضحية على الخدمات{P}"),
            "assisted": ("victim", "قدمت{S} المساعدة {L}{P}", "لم تقدم{S} المساعدة لأي ضحية{P}"),
            "shelter_beds": ("bed", "وفرت{S} {N} في نهاية السنة{P}",
                             "لم تتوفر{S} على أي سرير في نهاية السنة{P}"),
            "bed_nights": ("night", "سجلت{S} {N}{P}", "لم تسجل{S} أي ليلة إيواء{P}"),
            "returns": ("victim", "نظمت{S} العودة الطوعية {L}{P}",
                        "لم تنظم{S} العودة الطوعية لأي ضحية{P}"),
            "victims_with_offence": ("victim", "سجلت{S} مخالفة في حق {G}{P}",
                                     "لم تسجل{S} أي مخالفة في حق أي ضحية{P}"),
            "alerts_raised": ("alert", "أصدر{S} {N}{P}",
                              "لم يُصدر{S} أي تنبيه بشأن عدم معاقبة الضحايا{P}"),
            "alerts_resolved": ("alert2", "عالج{S} {N}{P}", "لم يعالج{S} أي تنبيه{P}"),
            "official_investigations": ("investigation", "فتحت{S} {N}{P}",
                                        "لم تفتح{S} أي تحقيق بشأن تورط موظفين عموميين{P}"),
            "stalled": ("stalled", "رصد{S} {N}{P}", "لم يرصد{S} أي قضية في حالة تعثر{P}"),
            "ngo_support_mad": ("mad", "قدمت{S} دعمًا ماليًا بقيمة {G} لمنظمات المجتمع المدني{P}",
                                "لم تقدم{S} أي دعم مالي لمنظمات المجتمع المدني{P}"),
        },
        "including": "، من بينهم {items}", "sub": " (من بينهم {items})",
        "for": "{n} بتهمة {label}",
        "breakdown": "شملت حصيلة الضحايا {items}",
        "breakdown_none": "لم يكن من بين الضحايا أي {adjs}",
        "adjs": {"child": "أطفال", "foreign": "أجانب", "female": "إناث"},
        "by_form": ("حددت السلطات {items}", "حسب شكل الاستغلال، حددت السلطات {items}"),
        "sub_victims": " (ويشمل ذلك {items})",
        "overlap": "، علمًا بأن الضحية الواحدة قد تُحتسب ضمن أكثر من شكل",
    },
}

# Paragraphs: sentences of (subject, [(fact, always give the previous year)]); "breakdown"
# and "by_form" are the victims' special sentences.
PARAGRAPHS = [
    [("authorities", [("investigations", True), ("arrested", False)]),
     ("prosecution", [("prosecuted", True), ("convicted", True)]),
     ("courts", [("acquitted", False)])],
    [("authorities", [("victims", True)]), "breakdown", "by_form"],
    [("authorities", [("referred", False), ("assisted", False)]),
     ("shelters", [("shelter_beds", False), ("bed_nights", False)]),
     ("authorities", [("returns", False)])],
    [("authorities", [("victims_with_offence", False)]),
     ("system", [("alerts_raised", False), ("alerts_resolved", False)])],
    [("authorities", [("official_investigations", False)]), ("system", [("stalled", False)]),
     ("authorities", [("ngo_support_mad", False)])],
]
# fmt: on


BREAKDOWN = {"child": "victims_children", "foreign": "victims_foreign", "female": "victims_female"}


def _int(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not value.is_integer() or value < 0:
        return None
    return int(value)


class _Writer:
    def __init__(self, report, language):
        if language not in PHRASES:
            raise ValueError(f"Unknown language {language!r}: expected one of {LANGUAGES}.")
        self.lang, self.t = language, PHRASES[language]
        self.year = _int(report.get("year"))
        self.prev_year = _int(report.get("previous_year"))
        self.facts = report.get("facts") or {}

    def fact(self, name):
        item = self.facts.get(name)
        item = item if isinstance(item, dict) else {}
        return _int(item.get("value")), _int(item.get("previous"))

    def count(self, n, noun_key, case="accusative"):
        noun = self.t["nouns"].get(noun_key)
        if self.lang == "ar":
            return arabic_count(n, noun, case)
        if noun_key == "mad":
            return f"MAD {number(n, 'en')}" if self.lang == "en" else french_count(n, noun)
        return (french_count if self.lang == "fr" else english_count)(n, noun)

    def previous(self, value, prev, noun_key, always, full):
        if prev is None or self.prev_year is None:
            return ""
        if not always and (prev == value or abs(prev - value) < 0.05 * max(prev, value)):
            return ""
        t, year = self.t, self.prev_year
        if prev == value:
            return t["same" if value else "same_none"].format(year=year)
        noun = t["nouns"].get(noun_key)
        if prev == 0:
            aucun = "aucune" if noun and noun[-1] is True else "aucun"
            singular = noun.singular if self.lang == "ar" else ""
            key = "prev_none_mad" if noun_key == "mad" and "prev_none_mad" in t else "prev_none"
            return t[key].format(year=year, aucun=aucun, singular=singular)
        if self.lang == "ar":
            n = self.count(prev, noun_key, "genitive").removesuffix(noun.tail)
        elif full or noun_key == "mad":
            n = self.count(prev, noun_key)
        else:
            n = number(prev, self.lang)
        return t["prev"].format(n=n, year=year)

    def label(self, item):
        text = labels.render(item.get("label"), self.lang) or str(item.get("code") or "")
        return text if self.lang == "ar" else _lower(text)

    def form_groups(self, key):
        """[(top item, [sub-items])], items with a positive value only."""
        groups = []
        for item in self.facts.get(key) or []:
            if not isinstance(item, dict):
                continue
            is_sub = item.get("level", 0) == 1 or ":" in str(item.get("code") or "")
            value = _int(item.get("value"))
            if is_sub:
                if groups and value:
                    groups[-1][1].append((item, value))
            else:
                groups.append(((item, value), []))
        return [(top, subs) for top, subs in groups if top[1]]

    def charges(self, key):
        """ ", including 150 for sex trafficking and 32 for forced labour (including 1 ...)"."""
        t = self.t

        def one(item, n):
            n = _ar_one_two(n, False) if self.lang == "ar" else number(n, self.lang)
            return t["for"].format(n=n, label=self.label(item))

        parts = []
        for (item, n), subs in self.form_groups(key):
            sub = _join([one(i, v) for i, v in subs], self.lang) if subs else ""
            parts.append(one(item, n) + (t["sub"].format(items=sub) if sub else ""))
        return t["including"].format(items=_join(parts, self.lang)) if parts else ""

    def clause(self, name, always, subject):
        value, prev = self.fact(name)
        if value is None:
            return None
        noun_key, positive, negative = self.t["facts"][name]
        forms = self.charges(f"{name}_by_form") if name in ("prosecuted", "convicted") else ""
        p = self.previous(value, prev, noun_key, always, bool(forms))
        if value == 0:
            return negative.format(S=subject, P=p)
        gen = self.count(value, noun_key, "genitive")
        return positive.format(
            S=subject, N=self.count(value, noun_key), G=gen, L=_ar_li(gen), F=forms, P=p
        )

    def sentence(self, spec, first):
        """The sentence's body without lead or full stop, or None."""
        if spec == "breakdown":
            return self.breakdown()
        if spec == "by_form":
            return self.by_form(first)
        subject_key, clauses = spec
        full, pronoun = self.t["subjects"][subject_key]
        subject = full if first or pronoun is None else pronoun
        done = []
        for name, always in clauses:
            text = self.clause(name, always, "" if done else subject)
            if text is not None:
                done.append(text)
        if not done:
            return None
        if self.lang == "ar":
            return "، و".join(done)
        conj = {"fr": "et", "en": "and"}[self.lang]
        if len(done) == 1:
            return done[0]
        return ", ".join(done[:-1]) + (", " if "," in done[-2] else " ") + f"{conj} {done[-1]}"

    def breakdown(self):
        total = self.fact("victims")[0]
        if total == 0:
            return None
        some, none = [], []
        for key in BREAKDOWN:
            value = self.fact(BREAKDOWN[key])[0]
            if value is not None:
                (some if value else none).append((key, value))
        texts = []
        if some:
            items = [self.count(v, k) for k, v in some]
            texts.append(self.t["breakdown"].format(items=_join(items, self.lang)))
        if none:
            adjs = [self.t["adjs"][k] for k, _ in none]
            conj = {"ar": "أو", "fr": "ou", "en": "or"}[self.lang]
            adjs = " أو ".join(adjs) if self.lang == "ar" else _join(adjs, self.lang, conj)
            texts.append(self.t["breakdown_none"].format(adjs=adjs))
        if not texts:
            return None
        sep = {"ar": "، و", "fr": " ; ", "en": "; "}[self.lang]
        return sep.join(texts)

    def by_form(self, first):
        groups = self.form_groups("victims_by_form")
        if not groups or self.fact("victims")[0] == 0:
            return None
        lang, t = self.lang, self.t

        def one(item, n, lead):
            label = self.label(item)
            if lang == "ar":
                return f"{self.count(n, 'victim')} {_ar_li(label)}"
            num = self.count(n, "victim") if lead else number(n, lang)
            if lang == "fr":
                return f"{num} {_fr_de(label)}"
            return f"{num} of {label}"

        parts = []
        for index, ((item, n), subs) in enumerate(groups):
            text = one(item, n, index == 0)
            if subs:
                items = _join([one(i, v, lang == "ar") for i, v in subs], lang)
                text += t.get("sub_victims", t["sub"]).format(items=items)
            parts.append(text)
        text = t["by_form"][0 if first else 1].format(items=_join(parts, lang))
        total = self.fact("victims")[0]
        if total is not None and sum(n for (_, n), _ in groups) > total:
            text += t["overlap"]
        return text


def statement(report: dict, language: str) -> list[str]:
    """The statement's paragraphs in ``language`` ("ar", "fr" or "en")."""
    w = _Writer(report, language)
    paragraphs = []
    for specs in PARAGRAPHS:
        sentences = []
        for spec in specs:
            body = w.sentence(spec, first=not sentences)
            if body is None:
                continue
            if not sentences and w.year is not None:
                body = w.t["lead"].format(year=w.year) + body
            elif language == "ar" and sentences:
                body = "و" + body
            if language != "ar":
                body = body[:1].upper() + body[1:]
            sentences.append(body + ".")
        if sentences:
            paragraphs.append(" ".join(sentences))
    return paragraphs
