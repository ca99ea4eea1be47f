"""Demo hotline reports: two years of calls, messages, walk-ins and web tips, taken and triaged
through the hotline's actions (so they are validated and audited like real work), then dated
on the days they belong to, as the loader does for dossiers.

Most reports are triaged with a spread of outcomes; a few arrive today and wait, one of them in
immediate danger and already overdue, so the queue and the home page show what an operator
meets in the morning. Some web tips carry what their reporter added later with the receipt
code. The reports that led to a dossier are linked to dossiers the hotline already holds
(the demo's persons and dossiers come from its plan)."""

import datetime

from django.utils import timezone

from himaya.cases.models import Dossier
from himaya.hotline import actions
from himaya.hotline.models import Report, ReportAddition, ReportShare

from . import data

REPORTS = 120
DAYS = 730

# (kind, forms, fr, ar, possible victims fr, ar, suspects fr, ar). ``kind`` decides the outcomes
# a report can have: "case" (a suspected case), "info", "not" (not trafficking), "spam".
SCENARIOS = [
    (
        "case",
        ("domestic_servitude",),
        "Une jeune fille travaille comme domestique chez une famille à {city} ; elle ne sort "
        "jamais et ne serait pas payée. Les voisins l'entendent pleurer le soir.",
        "فتاة صغيرة تعمل خادمة لدى أسرة في {city}، لا تخرج أبدا ولا تتقاضى أجرا. الجيران "
        "يسمعونها تبكي في المساء.",
        "Une fille d'environ 14 ans, venue de la campagne",
        "فتاة في حوالي الرابعة عشرة، قادمة من البادية",
        "Le couple qui l'emploie",
        "الزوجان المشغلان",
    ),
    (
        "case",
        ("begging",),
        "Des enfants mendient chaque jour près de la gare de {city} ; un homme les dépose le "
        "matin en camionnette et reprend l'argent le soir.",
        "أطفال يتسولون يوميا قرب محطة القطار في {city}؛ رجل يوصلهم صباحا في شاحنة صغيرة "
        "ويأخذ المال مساء.",
        "Quatre ou cinq enfants de 6 à 10 ans",
        "أربعة أو خمسة أطفال بين 6 و10 سنوات",
        "Un homme d'une quarantaine d'années, camionnette blanche",
        "رجل في الأربعينات، شاحنة صغيرة بيضاء",
    ),
    (
        "case",
        ("sexual",),
        "Des jeunes femmes étrangères seraient logées dans un appartement à {city} et contraintes "
        "à la prostitution ; leurs passeports auraient été confisqués.",
        "نساء أجنبيات يقمن في شقة بمدينة {city} ويجبرن على الدعارة؛ جوازات سفرهن محتجزة.",
        "Trois ou quatre femmes d'Afrique de l'Ouest, la vingtaine",
        "ثلاث أو أربع نساء من غرب إفريقيا في العشرينات",
        "Une femme qui se fait appeler « Mama » et un chauffeur",
        "امرأة تلقب ب«ماما» وسائق",
    ),
    (
        "case",
        ("labour",),
        "Des ouvriers agricoles à {city} travaillent quatorze heures par jour ; l'employeur "
        "retient leurs salaires pour rembourser une dette de voyage.",
        "عمال فلاحيون في {city} يشتغلون 14 ساعة يوميا؛ المشغل يحتجز أجورهم لتسديد دين السفر.",
        "Une dizaine d'ouvriers, hommes et femmes",
        "حوالي عشرة عمال، رجال ونساء",
        "Le chef d'équipe de l'exploitation",
        "رئيس فريق الضيعة",
    ),
    (
        "case",
        ("sexual",),
        "Une adolescente est contactée sur les réseaux sociaux par un homme qui lui promet un "
        "travail à l'étranger et lui demande des photos.",
        "مراهقة يتواصل معها رجل عبر مواقع التواصل ويعدها بعمل في الخارج ويطلب منها صورا.",
        "Une adolescente de 16 ans",
        "مراهقة في السادسة عشرة",
        "Un compte sans photo, numéro étranger",
        "حساب بدون صورة، رقم أجنبي",
    ),
    (
        "case",
        ("forced_marriage",),
        "Une mineure de quinze ans serait mariée de force la semaine prochaine à {city}, contre "
        "de l'argent versé à sa famille.",
        "قاصر في الخامسة عشرة ستزوج قسرا الأسبوع المقبل في {city} مقابل مال يدفع لأسرتها.",
        "Une fille de 15 ans",
        "فتاة في الخامسة عشرة",
        "",
        "",
    ),
    (
        "case",
        ("criminality",),
        "De jeunes migrants à {city} seraient obligés de transporter de la drogue pour "
        "rembourser leur passage.",
        "مهاجرون شباب في {city} يجبرون على نقل المخدرات لتسديد ثمن عبورهم.",
        "Des jeunes hommes, certains mineurs",
        "شبان، بعضهم قاصرون",
        "Le réseau de passeurs du quartier",
        "شبكة المهربين في الحي",
    ),
    (
        "case",
        ("labour", "child_labour"),
        "Des enfants travaillent la nuit dans un atelier de couture à {city} ; la porte est "
        "fermée à clé de l'extérieur.",
        "أطفال يشتغلون ليلا في ورشة خياطة بمدينة {city}؛ الباب مقفل من الخارج.",
        "Des enfants de 12 à 15 ans",
        "أطفال بين 12 و15 سنة",
        "Le propriétaire de l'atelier",
        "صاحب الورشة",
    ),
    (
        "info",
        (),
        "L'appelante demande comment vérifier une agence de recrutement qui propose un contrat "
        "de travail à l'étranger.",
        "المتصلة تسأل عن كيفية التحقق من وكالة تشغيل تقترح عقد عمل بالخارج.",
        "",
        "",
        "",
        "",
    ),
    (
        "not",
        (),
        "Litige de salaire entre un employé et son patron à {city}, sans contrainte ni "
        "rétention de documents.",
        "نزاع حول الأجر بين عامل ومشغله في {city} دون إكراه أو احتجاز للوثائق.",
        "",
        "",
        "",
        "",
    ),
    (
        "spam",
        (),
        "Appel sans interlocuteur, puis raccroché.",
        "مكالمة بدون متحدث ثم انقطعت.",
        "",
        "",
        "",
        "",
    ),
]
ADDITIONS = [
    (
        "J'ai revu la camionnette ce matin, elle est garée devant l'immeuble.",
        "شفت الشاحنة مرة أخرى هذا الصباح، مركونة أمام العمارة.",
    ),  # fmt: skip
    ("Il y a aussi un bébé dans l'appartement.", "يوجد أيضا رضيع في الشقة."),
    ("Ils ont déménagé hier soir, je crois vers le sud.", "رحلوا البارحة ليلا، أظن نحو الجنوب."),
]
NOTES = [
    "Rappel de l'appelant : la situation n'a pas changé.",
    "اتصل المبلغ مرة أخرى وأكد المعلومات.",
    "تم التحقق مع الجمعية الشريكة: الشخص متابع من قبل.",
]
TRIAGE_NOTES = {
    "police": "أحيل هاتفيا على المداومة، ثم عبر النظام.",
    "ngo": "Orientation pour accompagnement psychosocial et juridique.",
    "information": "قُدمت معلومات حول الحقوق وسبل الانتصاف.",
    "not_trafficking": "لا يوجد عنصر من عناصر الاتجار: وُجه نحو مفتشية الشغل.",
    "spam": "",
}
POLICE_BY_REGION = {
    "tanger_tetouan_al_hoceima": "police_tanger",
    "casablanca_settat": "police_casa",
    "oriental": "police_oujda",
    "souss_massa": "police_agadir",
    "laayoune_sakia_el_hamra": "police_laayoune",
    "beni_mellal_khenifra": "gendarmerie_beni_mellal",
}
CHANNELS = [("call", 50), ("whatsapp_sms", 20), ("email", 8), ("walk_in", 7), ("web_tip", 15)]
LANGUAGES = [("ar", 35), ("ary", 25), ("fr", 25), ("en", 8), ("ha", 4), ("ff", 3)]
CALLERS = [
    ("victim", 12),
    ("relative", 25),
    ("witness", 35),
    ("professional", 15),
    ("anonymous", 13),
]


def _weighted(rng, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _minutes(n):
    return datetime.timedelta(minutes=n)


def _triage_delay(rng, urgency):
    if urgency == "immediate":
        return _minutes(rng.choice([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 18, 25]))
    # Most within a few hours, a long tail over the weekends.
    if urgency == "urgent":
        return _minutes(min(10 + int(rng.expovariate(1 / 60)), 30 * 60))
    return _minutes(min(20 + int(rng.expovariate(1 / 180)), 3 * 24 * 60))


def _date_back(report, received, triaged=None):
    fields = {"received_at": received, "created_at": received, "updated_at": triaged or received}
    if triaged:
        fields["triaged_at"] = triaged
    Report.objects.filter(pk=report.pk).update(**fields)


class _Loader:
    def __init__(self, orgs, users, codes, anchor, rng):
        self.orgs, self.codes, self.rng = orgs, codes, rng
        self.operators = [users["hotline"], users["staff.hotline"]]
        self.hotline = orgs["hotline"]
        self.now = timezone.now()
        # Today's reports arrive "now" on the day the demo is loaded for.
        self.today = (
            self.now
            if anchor == timezone.localdate()
            else timezone.make_aware(datetime.datetime.combine(anchor, datetime.time(12)))
        )
        self.anchor = anchor
        self.regions = list(data.CITIES)

    def _content(self, scenario, language, region):
        _kind, forms, fr, ar, victims_fr, victims_ar, suspects_fr, suspects_ar = scenario
        city = self.rng.choice(data.CITIES[region])
        arabic = language in ("ar", "ary")
        return {
            "narrative": (ar if arabic else fr).format(city=city),
            "possible_victims": victims_ar if arabic else victims_fr,
            "suspects": suspects_ar if arabic else suspects_fr,
            "city": city,
            "region": self.codes("region", region),
            "language": self.codes("language", language),
        }, [self.codes("exploitation_form", f) for f in forms]

    def _urgency(self, kind):
        if kind != "case":
            return "normal"
        return _weighted(self.rng, [("immediate", 15), ("urgent", 35), ("normal", 50)])

    def take(self, received, scenario, *, channel=None, urgency=None, language=None, region=None):
        """One report as the operator or the public form records it; returns it and, for a
        web tip, its receipt code."""
        rng = self.rng
        channel = channel or _weighted(rng, CHANNELS)
        region = region or rng.choice(self.regions)
        language = language or (
            rng.choice(["ar", "fr"]) if channel == "web_tip" else _weighted(rng, LANGUAGES)
        )
        urgency = urgency or self._urgency(scenario[0])
        content, forms = self._content(scenario, language, region)
        if channel == "web_tip":
            report, code = actions.submit_tip(
                urgency=urgency,
                caller_type=rng.choice(["anonymous", "witness", "relative"]),
                reporter_contact="" if rng.random() < 0.7 else "06 61 23 45 67",
                **{k: v for k, v in content.items() if k != "suspects"},
            )
            report.forms.set(forms)
            return report, code
        report = actions.record_report(
            acting_user=rng.choice(self.operators),
            organisation=self.hotline,
            channel=channel,
            received_at=received,
            caller_type=_weighted(rng, CALLERS),
            urgency=urgency,
            reporter_contact="" if rng.random() < 0.5 else "06 00 11 22 33",
            forms=forms,
            **content,
        )
        return report, None

    def outcome_for(self, kind):
        if kind == "info":
            return "information"
        if kind == "not":
            return "not_trafficking"
        if kind == "spam":
            return "spam"
        return _weighted(self.rng, [("police", 35), ("ngo", 45), ("information", 20)])

    def triage(self, report, outcome, received, triaged):
        operator = self.rng.choice(self.operators)
        kwargs = {"note": TRIAGE_NOTES.get(outcome, "")}
        region = report.region.code if report.region else None
        if outcome == "police":
            kwargs["organisation"] = self.orgs[POLICE_BY_REGION.get(region, "police_casa")]
        elif outcome == "ngo":
            kwargs["organisation"] = self.orgs[data.ASSIST_PARTNER.get(region, "ngo_nour")]
        actions.triage(
            report,
            outcome=outcome,
            acting_user=operator,
            expected_version=report.version,
            **kwargs,
        )
        _date_back(report, received, triaged)
        ReportShare.objects.filter(report=report).update(created_at=triaged)

    def add_later(self, report, received, code=None):
        """What the reporter (with the receipt code) or an operator added afterwards."""
        later = received + _minutes(self.rng.randint(60, 4 * 24 * 60))
        if later > self.now:
            return 0
        if code:
            fr, ar = self.rng.choice(ADDITIONS)
            text = ar if report.language and report.language.code == "ar" else fr
            if not actions.add_tip_information(code, text):
                return 0
            addition = report.additions.order_by("-id").first()
        else:
            operator = self.rng.choice(self.operators)
            addition = actions.add_note(report, acting_user=operator, text=self.rng.choice(NOTES))
        ReportAddition.objects.filter(pk=addition.pk).update(received_at=later)
        return 1


# The reports of today still waiting for triage (_waiting_reports); the others are triaged.
WAITING_TODAY = 5


def load(orgs, users, codes, anchor, rng) -> dict[str, int]:
    """Load the demo's hotline reports; returns counts for the loader's summary."""
    loader = _Loader(orgs, users, codes, anchor, rng)
    counts = {"hotline reports": 0, "web tips": 0, "untriaged reports": 0, "report additions": 0}
    cases = [s for s in SCENARIOS if s[0] == "case"]
    with_dossier = _reports_with_dossier(loader, orgs, anchor, rng, cases, counts)
    _triaged_reports(loader, anchor, rng, cases, REPORTS - with_dossier - WAITING_TODAY, counts)
    _waiting_reports(loader, cases, counts)
    counts["reports with a dossier"] = with_dossier
    counts["reports passed on"] = ReportShare.objects.count()
    return counts


def _reports_with_dossier(loader, orgs, anchor, rng, cases, counts):
    """Reports that led to a dossier: one for each of the hotline's dossiers of the period, up
    to eight, received on the day it was opened, triaged within the hour. Returns how many."""
    start = anchor - datetime.timedelta(days=DAYS)
    held = list(
        Dossier.objects.filter(
            owner_org=orgs["hotline"], opened_on__gte=start, opened_on__lt=anchor
        )
        .select_related("exploitation_region")
        .prefetch_related("forms")
        .order_by("opened_on", "id")
    )
    dossiers = held[:: max(1, len(held) // 8)][:8]  # spread over the two years
    for dossier in dossiers:
        received = min(
            timezone.make_aware(
                datetime.datetime.combine(dossier.opened_on, datetime.time(9, rng.randint(0, 59)))
            ),
            timezone.now() - _minutes(60),
        )
        codes_of = {f.code for f in dossier.forms.all()}
        scenario = next((s for s in cases if set(s[1]) & codes_of), rng.choice(cases))
        region = dossier.exploitation_region.code if dossier.exploitation_region else None
        report, _code = loader.take(received, scenario, channel="call", region=region)
        actions.triage_open_dossier(
            report,
            acting_user=rng.choice(loader.operators),
            expected_version=report.version,
            dossier=dossier,
            note="Personne orientée vers la ligne par une association ; dossier de la ligne.",
        )
        _date_back(report, received, received + _minutes(rng.randint(15, 60)))
        counts["hotline reports"] += 1
    return len(dossiers)


def _triaged_reports(loader, anchor, rng, cases, n, counts):
    """The rest of the two years: ``n`` reports, all triaged, some with additions later."""
    for _ in range(n):
        day = anchor - datetime.timedelta(days=rng.randint(1, DAYS))
        received = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(rng.randint(7, 22), rng.randint(0, 59)))
        )
        scenario = rng.choices(SCENARIOS, weights=[9] * len(cases) + [12, 8, 6])[0]
        report, code = loader.take(received, scenario)
        counts["hotline reports"] += 1
        counts["web tips"] += bool(code)
        triaged = min(received + _triage_delay(rng, report.urgency), loader.now)
        _date_back(report, received)
        loader.triage(report, loader.outcome_for(scenario[0]), received, triaged)
        if code and rng.random() < 0.5:
            counts["report additions"] += loader.add_later(report, received, code)
        elif not code and rng.random() < 0.12:
            counts["report additions"] += loader.add_later(report, received)


def _waiting_reports(loader, cases, counts):
    """Today: waiting for triage, one of them in immediate danger and already overdue."""
    now = loader.today
    waiting = [
        (now - _minutes(40), cases[2], "call", "immediate"),
        (now - _minutes(6), cases[1], "whatsapp_sms", "immediate"),
        (now - _minutes(190), cases[3], "call", "urgent"),
        (now - _minutes(75), cases[0], "web_tip", "urgent"),
        (now - _minutes(20), SCENARIOS[-3], "email", "normal"),
    ]
    assert len(waiting) == WAITING_TODAY
    for received, scenario, channel, urgency in waiting:
        report, code = loader.take(received, scenario, channel=channel, urgency=urgency)
        _date_back(report, received)
        counts["hotline reports"] += 1
        counts["untriaged reports"] += 1
        counts["web tips"] += bool(code)
        if code:
            fr, _ar = ADDITIONS[0]
            actions.add_tip_information(code, fr)
            counts["report additions"] += 1
