"""The annual report: every table of DOMAIN.md §6 for a year with the year before beside it,
the facts the statement is written from, the series behind the charts and the UNODC
breakdowns, as one JSON-serialisable dict (it is stored as it is when a report is frozen).

A stored report holds data, never translated text: each label is a reference to its words
(a msgid with its values, a code, a choice; statistics.labels), turned into Arabic, French or
English when a page or an export is made (``labels.localise``), so the language of whoever
computed or froze the report never leaks into another. Every number comes from
``himaya.statistics.figures``; this module only lays the figures out.
"""

import datetime
from collections import Counter
from typing import NamedTuple

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop as _

from himaya.core.models import Code
from himaya.justice import figures as justice_figures
from himaya.referrals.models import BED_GROUPS, Service, ShelterStay

from . import figures, labels
from .models import FrozenReport
from .revision import data_revision, data_version

LANGUAGES = ("ar", "fr", "en")
SERIES_YEARS = 6
# The shape of a stored report; a build of another shape is computed again (statistics.builds).
# 2: labels are references (statistics.labels), no longer text in the three languages.
FORMAT = 2


def tri(text) -> dict:
    """A translatable text, stored as its msgid (statistics.labels): translated when read."""
    return labels.text(text)


def tri_format(template, **values) -> dict:
    """A translatable template and its values (references or numbers), filled when read."""
    return labels.text(template, **values)


def code_labels(code_list) -> dict:
    return {
        c: labels.code(code_list, c)
        for c in Code.objects.filter(list=code_list).values_list("code", flat=True)
    }


def row(key, label, value, previous, level=0):
    return {"key": key, "label": label, "level": level, "value": value, "previous": previous}


def table(key, title, rule, rows):
    return {"key": key, "title": tri(title), "rule": tri(rule), "rows": rows}


# --- Tables --------------------------------------------------------------------------------------


def _form_rows(prefix, forms_now, forms_before, labels):
    """Form rows from Counters of codes (each form with its parents counted): top-level forms
    in code-list order, each followed by its sub-forms as "including" lines."""
    rows = []
    tree = list(Code.objects.filter(list="exploitation_form").order_by("sort", "code"))
    for top in (c for c in tree if c.parent_id is None):
        if not (forms_now.get(top.code) or forms_before.get(top.code)):
            continue
        rows.append(
            row(
                f"{prefix}:{top.code}",
                labels[top.code],
                forms_now.get(top.code, 0),
                forms_before.get(top.code, 0),
            )
        )
        for sub in (c for c in tree if c.parent_id == top.pk):
            if forms_now.get(sub.code) or forms_before.get(sub.code):
                rows.append(
                    row(
                        f"{prefix}:{top.code}:{sub.code}",
                        labels[sub.code],
                        forms_now.get(sub.code, 0),
                        forms_before.get(sub.code, 0),
                        level=1,
                    )
                )
    return rows


def _justice_form_counter(block, key="count"):
    out = Counter()
    for form in block["forms"]:
        out[form["code"]] = form[key]
        for sub in form["including"]:
            out[sub["code"]] = sub[key]
    return out


def _law_enforcement(j, forms):
    pros_now = _justice_form_counter(j["prosecuted"])
    pros_before = _justice_form_counter(j["prosecuted"], "previous")
    conv_now = _justice_form_counter(j["convicted"])
    conv_before = _justice_form_counter(j["convicted"], "previous")
    rows = [
        row(
            "investigations",
            tri(_("Investigations opened")),
            j["investigations"]["value"],
            j["investigations"]["previous"],
        ),
        row(
            "arrested",
            tri(_("Suspects arrested")),
            j["arrested"]["value"],
            j["arrested"]["previous"],
        ),
        row(
            "prosecuted",
            tri(_("Defendants prosecuted")),
            j["prosecuted"]["total"],
            j["prosecuted"]["previous"],
        ),
        *_form_rows("prosecuted", pros_now, pros_before, forms),
        row(
            "convicted",
            tri(_("Defendants convicted")),
            j["convicted"]["total"],
            j["convicted"]["previous"],
        ),
        *_form_rows("convicted", conv_now, conv_before, forms),
        row(
            "acquitted",
            tri(_("Defendants acquitted")),
            j["acquittals"]["value"],
            j["acquittals"]["previous"],
        ),
    ]
    for band in j["sentences"]["bands"]:
        label = tri_format(
            _("Sentenced: %(band)s"), band=labels.choice("sentence_band", band["band"])
        )
        rows.append(row(f"sentence:{band['band']}", label, band["count"], band["previous"]))
    return table(
        "law_enforcement",
        _("Law enforcement"),
        _(
            "Investigations opened in the year; distinct suspects with an arrest dated in the "
            "year; distinct defendants with a prosecution started (convicted, acquitted) in "
            "the year, counted under each form among their charges, sub-forms as "
            "“including” lines, so forms may sum to more than the total; a defendant "
            "convicted on one charge and acquitted on another counts as convicted; sentences "
            "by the heaviest firm prison term."
        ),
        rows,
    )


def _victims(now, before, forms, countries):
    rows = [row("victims", tri(_("Victims identified")), len(now), len(before))]
    rows += _form_rows(
        "victims", figures.victims_by_form(now), figures.victims_by_form(before), forms
    )
    sexes = {
        "female": tri(_("women and girls")),
        "male": tri(_("men and boys")),
        "unknown": tri(_("sex not recorded")),
    }
    ages = {
        "child": tri(_("children (under 18)")),
        "adult": tri(_("adults")),
        "unknown": tri(_("age unknown")),
    }
    cits = {
        "national": tri(_("nationals")),
        "foreign": tri(_("foreign nationals")),
        "unknown": tri(_("citizenship not recorded")),
    }
    for attribute, names in (("sex", sexes), ("age_group", ages), ("citizenship", cits)):
        c_now, c_before = figures.victims_by(now, attribute), figures.victims_by(before, attribute)
        for key, label in names.items():
            rows.append(row(f"{attribute}:{key}", label, c_now[key], c_before[key]))
    victims = table(
        "victims",
        _("Victims identified"),
        _(
            "Distinct persons whose first identification decision (possible or actual victim) "
            "is dated in the year; counted under every form of their dossiers, so forms may sum "
            "to more than the total; child or adult by age on the day of that decision "
            "(estimated age where the birth date is approximate); national or foreign by "
            "citizenship."
        ),
        rows,
    )
    by_country_now = figures.victims_by_country([v for v in now if v.citizenship == "foreign"])
    by_country_before = figures.victims_by_country(
        [v for v in before if v.citizenship == "foreign"]
    )
    home = settings.HIMAYA_COUNTRY
    foreign_rows = [
        row(
            "foreign",
            tri(_("Foreign victims")),
            sum(1 for v in now if v.citizenship == "foreign"),
            sum(1 for v in before if v.citizenship == "foreign"),
        )
    ]
    for code in sorted(
        set(by_country_now) | set(by_country_before),
        key=lambda c: (-by_country_now[c], c),
    ):
        if code == home:
            continue
        label = countries.get(code, code)
        foreign_rows.append(
            row(f"country:{code}", label, by_country_now[code], by_country_before[code], 1)
        )
    foreign = table(
        "foreign_victims",
        _("Foreign victims by citizenship"),
        _(
            "Victims identified in the year holding no citizenship of the country, by "
            "citizenship; a person with two citizenships counts under each."
        ),
        foreign_rows,
    )
    return victims, foreign


def _protection(p, q):
    rows = [
        row(
            "referred",
            tri(_("Victims identified in the year and referred to a service")),
            p["referred"],
            q["referred"],
        ),
        row(
            "assisted",
            tri(_("Victims identified in the year who received a service")),
            p["assisted"],
            q["assisted"],
        ),
        row(
            "assisted_partner",
            tri(_("served by a partner organisation")),
            p["assisted_partner"],
            q["assisted_partner"],
            level=1,
        ),
        row(
            "assisted_own",
            tri(_("served by the organisation holding their dossier, without a referral")),
            p["assisted_own"],
            q["assisted_own"],
            level=1,
        ),
        row(
            "persons_referred",
            tri(_("Persons referred in the year, whenever identified")),
            p["persons_referred"],
            q["persons_referred"],
        ),
    ]
    for service in Service.values:
        a, b = p["by_service"].get(service, 0), q["by_service"].get(service, 0)
        if a or b:
            rows.append(
                row(f"referred:{service}", labels.choice("service", service), a, b, level=1)
            )
    rows += [
        row(
            "persons_assisted",
            tri(_("Persons who received a service in the year, whenever identified")),
            p["persons_assisted"],
            q["persons_assisted"],
        ),
        row(
            "accepted",
            tri(_("Referrals accepted")),
            p["answers"]["accepted"],
            q["answers"]["accepted"],
        ),
        row(
            "rejected",
            tri(_("Referrals rejected")),
            p["answers"]["rejected"],
            q["answers"]["rejected"],
        ),
    ]
    from himaya.referrals.models import RejectionReason

    for reason in RejectionReason.values:
        a, b = p["rejections"].get(reason, 0), q["rejections"].get(reason, 0)
        if a or b:
            rows.append(
                row(f"rejected:{reason}", labels.choice("rejection", reason), a, b, level=1)
            )
    median_now, median_before = p["response"]["median_hours"], q["response"]["median_hours"]
    rows.append(
        row(
            "response_hours",
            tri(_("Median time to answer a referral (hours)")),
            round(median_now, 1) if median_now is not None else None,
            round(median_before, 1) if median_before is not None else None,
        )
    )
    rows.append(
        row(
            "late",
            tri(_("Referrals answered after their limit")),
            p["response"]["late"],
            q["response"]["late"],
        )
    )
    for kind in sorted(set(p["services"]) | set(q["services"])):
        rows.append(
            row(
                f"service:{kind}",
                tri_format(_("Services delivered: %(kind)s"), kind=labels.choice("session", kind)),
                p["services"].get(kind, 0),
                q["services"].get(kind, 0),
            )
        )
    return table(
        "protection",
        _("Referrals and services"),
        _(
            "Victims identified in the year (first identification decision in the year) with at "
            "least one referral to another organisation sent from their identification up to "
            "the report's date (a frozen report: the day it was frozen), so a victim identified "
            "on 28 December and referred on 3 January counts in the year of identification; "
            "and with at least one service delivered over the same span (a session, a shelter "
            "stay, a return), by a partner or by the organisation holding the dossier, which "
            "counts as assisted without a referral (a person may count under both); the same "
            "for every person referred or served in the year, whenever identified, with the "
            "services asked; referrals answered in the year, counted as referrals; services "
            "delivered counted as services."
        ),
        rows,
    )


def _shelters(p, q, occupancy):
    rows = [
        row(
            "facilities",
            tri(_("Shelters at year end")),
            p["beds"]["facilities"],
            q["beds"]["facilities"],
        ),
        row("beds", tri(_("Beds at year end")), p["beds"]["total"], q["beds"]["total"]),
    ]
    for group in BED_GROUPS:
        rows.append(
            row(
                f"beds:{group}",
                labels.choice("bed_group", group),
                p["beds"]["beds"].get(group, 0),
                q["beds"]["beds"].get(group, 0),
                level=1,
            )
        )
    rows.append(row("bed_nights", tri(_("Bed-nights used")), p["bed_nights"], q["bed_nights"]))
    capacity = sum(m["capacity_nights"] for m in occupancy)
    rows.append(
        row(
            "occupancy",
            tri(_("Occupancy over the year (%)")),
            round(100 * p["bed_nights"] / capacity, 1) if capacity else None,
            None,
        )
    )
    return table(
        "shelters",
        _("Shelters"),
        _(
            "Shelters and their beds at the end of the year (the current configuration); nights "
            "spent in shelters in the year, from admission to discharge, the discharge night "
            "not counted; occupancy: bed-nights used over beds times days."
        ),
        rows,
    )


def _returns(p, q, countries):
    rows = [
        row(
            "returns",
            tri(_("Victims helped to return")),
            sum(p["returns"].values()),
            sum(q["returns"].values()),
        )
    ]
    for code in sorted(set(p["returns"]) | set(q["returns"])):
        rows.append(
            row(
                f"return:{code}",
                countries.get(code, code),
                p["returns"].get(code, 0),
                q["returns"].get(code, 0),
                level=1,
            )
        )
    return table(
        "returns",
        _("Returns"),
        _(
            "Distinct persons with a return travelling in the year, by destination country; "
            "the total adds the destinations."
        ),
        rows,
    )


def _non_punishment(n, m):
    from himaya.cases.models import AlertOutcome, OffenceType

    rows = [
        row(
            "victims_with_offence",
            tri(_("Victims with an offence recorded against them")),
            n["victims_with_offence"],
            m["victims_with_offence"],
        )
    ]
    for kind in OffenceType.values:
        rows.append(
            row(
                f"offence:{kind}",
                labels.choice("offence", kind),
                n["by_offence_type"][kind],
                m["by_offence_type"][kind],
                level=1,
            )
        )
    rows += [
        row("alerts_raised", tri(_("Alerts raised")), n["alerts_raised"], m["alerts_raised"]),
        row(
            "alerts_resolved",
            tri(_("Alerts resolved")),
            n["alerts_resolved"]["total"],
            m["alerts_resolved"]["total"],
        ),
    ]
    for outcome in AlertOutcome.values:
        rows.append(
            row(
                f"resolved:{outcome}",
                labels.choice("alert_outcome", outcome),
                n["alerts_resolved"][outcome],
                m["alerts_resolved"][outcome],
                level=1,
            )
        )
    rows.append(
        row(
            "alerts_open",
            tri(_("Alerts still open at year end")),
            n["alerts_open_at_year_end"],
            m["alerts_open_at_year_end"],
        )
    )
    return table(
        "non_punishment",
        _("Non-punishment"),
        _(
            "Distinct persons with an offence charged in the year while presumed or identified "
            "victims, by type (a person may count under several types); alerts raised and "
            "resolved in the year, by outcome; alerts raised by the end of the year and not "
            "resolved then."
        ),
        rows,
    )


def _officials_and_stalled(j):
    o, s = j["officials"], j["stalled"]
    rows = [
        row(
            "official_investigations",
            tri(_("Investigations involving a public official")),
            o["investigations"]["value"],
            o["investigations"]["previous"],
        ),
        row(
            "official_prosecuted",
            tri(_("Officials prosecuted")),
            o["prosecuted"]["value"],
            o["prosecuted"]["previous"],
        ),
        row(
            "official_convicted",
            tri(_("Officials convicted")),
            o["convicted"]["value"],
            o["convicted"]["previous"],
        ),
        row(
            "stalled_investigations",
            tri(_("Stalled investigations at year end")),
            s["investigations"]["value"],
            s["investigations"]["previous"],
        ),
        row(
            "stalled_prosecutions",
            tri(_("Stalled prosecutions at year end")),
            s["prosecutions"]["value"],
            s["prosecutions"]["previous"],
        ),
    ]
    months = settings.HIMAYA_STALLED_MONTHS
    rule = labels.ngettext(
        "Investigations opened, defendants prosecuted and convicted in the year where a "
        "suspect is flagged as a public official; proceedings open at the end of the year "
        "whose latest event is older than the stalled limit (%(months)s month).",
        "Investigations opened, defendants prosecuted and convicted in the year where a "
        "suspect is flagged as a public official; proceedings open at the end of the year "
        "whose latest event is older than the stalled limit (%(months)s months).",
        months,
        months=months,
    )
    return {
        "key": "officials_stalled",
        "title": tri(_("Officials and stalled cases")),
        "rule": rule,
        "rows": rows,
    }


def _identification(h, h0, s, s0):
    rows = [
        row("hotline_reports", tri(_("Hotline reports received")), h["total"], h0["total"]),
        row("people_screened", tri(_("People screened")), s["people"], s["people_before"]),
        row(
            "screened_in_campaigns",
            tri(_("Screenings in proactive campaigns")),
            s["campaign_share"]["campaign"],
            s0["campaign_share"]["campaign"],
            level=1,
        ),
        row(
            "screening_strong",
            tri(_("Screenings with a strong indication")),
            s["by_recommendation"]["strong"],
            s["by_recommendation_before"]["strong"],
            level=1,
        ),
        row(
            "screening_dossiers",
            tri(_("Dossiers opened from a screening")),
            s["dossiers"],
            s["dossiers_before"],
        ),
    ]
    return table(
        "identification",
        _("Hotline and proactive screening"),
        _(
            "Hotline reports received in the year (all channels, web tips included); people "
            "screened in the year (distinct persons where the screening is linked to a person), "
            "how many in proactive screening campaigns and with a strong indication; dossiers "
            "opened from a screening in the year."
        ),
        rows,
    )


def _support(n, m):
    rows = [
        row(
            "financial_mad",
            tri(_("Financial support to NGOs (MAD)")),
            float(n["financial_mad"]),
            float(m["financial_mad"]),
        ),
        row("financial_count", tri(_("Grants")), n["financial_count"], m["financial_count"], 1),
        row(
            "in_kind_count",
            tri(_("In-kind support given")),
            n["in_kind_count"],
            m["in_kind_count"],
        ),
        row("receivers", tri(_("Organisations supported")), n["receivers"], m["receivers"]),
    ]
    return table(
        "ngo_support",
        _("Support to NGOs"),
        _(
            "Support given in the year by public bodies to the organisations that serve "
            "victims: financial support in dirhams and the number of grants, in-kind support "
            "as the number of records, and the number of organisations receiving either."
        ),
        rows,
    )


def _trainings(t, t0):
    """Sessions and participants (by sex, then by type of agency), year against year."""
    sexes = (
        ("women", _("women")),
        ("men", _("men")),
        ("unrecorded", _("sex not recorded")),
    )
    rows = [
        row("sessions", tri(_("Training sessions")), t["sessions"], t0["sessions"]),
        row("participants", tri(_("Participants")), t["participants"], t0["participants"]),
    ]
    for key, label in sexes:
        rows.append(row(f"sex:{key}", tri(label), t["by_sex"][key], t0["by_sex"][key], 1))
    types = code_labels("org_type")
    for code in sorted(set(t["by_agency_type"]) | set(t0["by_agency_type"])):
        now, before = (x["by_agency_type"].get(code, {}) for x in (t, t0))
        label = types.get(code, code)
        for key, sex_label in sexes:
            if now.get(key) or before.get(key):
                name = tri_format(_("%(agency)s, %(sex)s"), agency=label, sex=tri(sex_label))
                rows.append(
                    row(f"agency:{code}:{key}", name, now.get(key, 0), before.get(key, 0), 1)
                )
    return table(
        "trainings",
        _("Trainings"),
        _(
            "Training sessions whose first day is in the year. Participants are counted per "
            "session, by the type of agency they came from and by sex: a person trained twice "
            "counts twice, since names are optional."
        ),
        rows,
    )


# --- Series, UNODC, data version -----------------------------------------------------------------


def _occupancy(year, beds):
    """Bed-nights per month against the beds at year end times the days of the month."""
    start, end = figures.days(year)
    stays = ShelterStay.objects.filter(admitted_on__lte=end).exclude(discharged_on__lte=start)
    months = []
    spans = list(stays.values_list("admitted_on", "discharged_on"))
    for month in range(1, 13):
        first = datetime.date(year, month, 1)
        last = (
            datetime.date(year, 12, 31)
            if month == 12
            else datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)
        )
        nights = 0
        for admitted, discharged in spans:
            stop = min(
                discharged or last + datetime.timedelta(days=1), last + datetime.timedelta(1)
            )
            nights += max((stop - max(admitted, first)).days, 0)
        months.append(
            {
                "month": month,
                "bed_nights": nights,
                "capacity_nights": beds * ((last - first).days + 1),
            }
        )
    return months


def _justice_series(year):
    out = []
    for y in range(year - SERIES_YEARS + 1, year + 1):
        out.append(
            {
                "year": y,
                "prosecuted": justice_figures._prosecuted(y, None)["total"],
                "convicted": justice_figures._convicted(y, None)["total"],
            }
        )
    return out


def _unodc_cells(people, with_forms):
    cells = Counter()
    for p in people:
        forms = sorted(p.forms) if with_forms and p.forms else [""]
        for form in forms:
            cells[(p.sex, p.age_group, p.citizenship, form)] += 1
    return [
        {"sex": s, "age": a, "citizenship": c, "form": f, "count": n}
        for (s, a, c, f), n in sorted(cells.items())
    ]


def _top_forms(victims):
    tops = set(
        Code.objects.filter(list="exploitation_form", parent__isnull=True).values_list(
            "code", flat=True
        )
    )
    for v in victims:
        v.top_forms = {f for f in v.forms if f in tops}
    return victims


# --- The report -----------------------------------------------------------------------------------


# The steps of a build, for the progress shown while it runs (statistics.tasks).
STEPS = (
    ("victims", gettext_lazy("victims identified")),
    ("justice", gettext_lazy("criminal justice")),
    ("protection", gettext_lazy("referrals and services")),
    ("others", gettext_lazy("non-punishment, hotline, screening, support")),
    ("tables", gettext_lazy("tables, series and UNODC breakdowns")),
)


def build_report(year: int, progress=None, as_of=None) -> dict:
    """The annual report of ``year`` with ``year - 1`` beside it (see the module docstring),
    as of ``as_of`` (default now: the report's date, up to which referrals and services of the
    year's victims count). ``progress(step, percent)`` is called before each step when given."""
    as_of = as_of or timezone.now()

    def step(name):
        if progress is not None:
            keys = [k for k, _label in STEPS]
            progress(name, round(100 * keys.index(name) / len(keys)))

    version = data_version()  # before counting: a write during the build makes it stale
    forms = code_labels("exploitation_form")
    countries = code_labels("country")
    step("victims")
    victims_now = _top_forms(figures.identified_victims(year))
    victims_before = _top_forms(figures.identified_victims(year - 1))
    step("justice")
    j = figures.justice(year)
    step("protection")
    p = figures.protection(year, as_of=as_of)
    q = figures.protection(year - 1, as_of=as_of)
    step("others")
    n, m = figures.non_punishment(year), figures.non_punishment(year - 1)
    support_now, support_before = figures.support_to_ngos(year), figures.support_to_ngos(year - 1)
    trained, trained_before = figures.trainings(year), figures.trainings(year - 1)
    h, h0 = figures.hotline(year), figures.hotline(year - 1)
    s, s0 = figures.screening(year), figures.screening(year - 1)
    step("tables")
    occupancy = _occupancy(year, p["beds"]["total"])
    victims_table, foreign_table = _victims(victims_now, victims_before, forms, countries)
    tables = [
        _law_enforcement(j, forms),
        victims_table,
        foreign_table,
        _identification(h, h0, s, s0),
        _protection(p, q),
        _shelters(p, q, occupancy),
        _returns(p, q, countries),
        _non_punishment(n, m),
        _officials_and_stalled(j),
        _support(support_now, support_before),
        _trainings(trained, trained_before),
    ]
    return {
        "format": FORMAT,
        "year": year,
        "previous_year": year - 1,
        "generated_at": as_of.isoformat(timespec="seconds"),
        "data_version": version,
        "country": settings.HIMAYA_COUNTRY,
        "tables": tables,
        "facts": _facts(tables, j, forms),
        "series": {
            "justice_by_year": _justice_series(year),
            "victims_by_form_sex": _victims_by_form_sex(victims_now, forms),
            "shelter_occupancy": occupancy,
        },
        "unodc": {
            "suspects": {
                "contact": _unodc_cells(figures.defendants_in_contact(year), False),
                "prosecuted": _unodc_cells(figures.defendants_prosecuted(year), False),
                "convicted": _unodc_cells(figures.defendants_convicted(year), False),
            },
            # one cell per person (no form): the sex, age and citizenship tables
            "victim_persons": _unodc_cells([_as_top(v) for v in victims_now], False),
            "victims": _unodc_cells([_as_top(v) for v in victims_now], True),
        },
    }


class _TopForms(NamedTuple):
    sex: str
    age_group: str
    citizenship: str
    forms: set


def _as_top(victim):
    """A victim with only the top-level forms (the UNODC tables know no sub-form)."""
    return _TopForms(victim.sex, victim.age_group, victim.citizenship, victim.top_forms)


def _victims_by_form_sex(victims, forms):
    counts = {}
    for v in victims:
        for code in sorted(v.top_forms):
            counts.setdefault(code, Counter())[v.sex] += 1
    order = list(
        Code.objects.filter(list="exploitation_form", parent__isnull=True)
        .order_by("sort", "code")
        .values_list("code", flat=True)
    )
    return [
        {"code": code, "label": forms[code], **{sex: counts[code][sex] for sex in figures.SEXES}}
        for code in order
        if code in counts
    ]


FACT_ROWS = {
    "investigations": ("law_enforcement", "investigations"),
    "arrested": ("law_enforcement", "arrested"),
    "prosecuted": ("law_enforcement", "prosecuted"),
    "convicted": ("law_enforcement", "convicted"),
    "acquitted": ("law_enforcement", "acquitted"),
    "victims": ("victims", "victims"),
    "victims_children": ("victims", "age_group:child"),
    "victims_foreign": ("victims", "citizenship:foreign"),
    "victims_female": ("victims", "sex:female"),
    "referred": ("protection", "referred"),
    "assisted": ("protection", "assisted"),
    "shelter_beds": ("shelters", "beds"),
    "bed_nights": ("shelters", "bed_nights"),
    "returns": ("returns", "returns"),
    "alerts_raised": ("non_punishment", "alerts_raised"),
    "alerts_resolved": ("non_punishment", "alerts_resolved"),
    "victims_with_offence": ("non_punishment", "victims_with_offence"),
    "official_investigations": ("officials_stalled", "official_investigations"),
    "ngo_support_mad": ("ngo_support", "financial_mad"),
}


def _facts(tables, j, forms):
    cells = {(t["key"], r["key"]): r for t in tables for r in t["rows"]}
    facts = {}
    for name, at in FACT_ROWS.items():
        found = cells[at]
        facts[name] = {"value": found["value"], "previous": found["previous"]}
    stalled = [
        cells[("officials_stalled", k)] for k in ("stalled_investigations", "stalled_prosecutions")
    ]
    facts["stalled"] = {
        "value": sum(r["value"] for r in stalled),
        "previous": sum(r["previous"] for r in stalled),
    }
    for name in ("prosecuted", "convicted", "victims"):
        facts[f"{name}_by_form"] = [
            {
                "code": r["key"].split(":")[-1],
                "label": r["label"],
                "value": r["value"],
                "previous": r["previous"],
                "level": r["level"],
            }
            for t in tables
            for r in t["rows"]
            if r["key"].startswith(f"{name}:") and t["key"] in ("law_enforcement", "victims")
        ]
    return facts


def find_row(report, table_key, row_key):
    for t in report["tables"]:
        if t["key"] == table_key:
            for r in t["rows"]:
                if r["key"] == row_key:
                    return r
    return None


# --- Indicators of the action plan (coordination), read from the report ------------------------


# Where each of them sits in a frozen annual report (table, row): a year with a frozen report
# gives the value submitted, not the records' count today.
INDICATOR_ROWS = {
    "victims_identified": ("victims", "victims"),
    "victims_referred": ("protection", "referred"),
    "victims_assisted": ("protection", "assisted"),
    "investigations": ("law_enforcement", "investigations"),
    "arrested": ("law_enforcement", "arrested"),
    "prosecuted": ("law_enforcement", "prosecuted"),
    "convicted": ("law_enforcement", "convicted"),
    "shelter_beds": ("shelters", "beds"),
    "training_sessions": ("trainings", "sessions"),
    "people_trained": ("trainings", "participants"),
}
_INDICATOR_CACHE = {}


def indicator_value(key, year, *, frozen=True) -> dict:
    """{"value", "frozen" (the frozen report's version, or None), "drill" (the figure of
    statistics.drill listing its records, or None)} of figure ``key`` for ``year``: from the
    latest frozen report of the year when there is one and ``frozen``, else counted now (kept
    per data revision)."""
    _label, fn, drill = figures.INDICATOR_FIGURES[key]
    if frozen:
        report = FrozenReport.objects.filter(year=year).order_by("-version").first()
        found = report and find_row(report.report, *INDICATOR_ROWS[key])
        if found:
            return {"value": found["value"], "frozen": report.version, "drill": drill}
    cache_key = (key, year, data_revision())
    if cache_key not in _INDICATOR_CACHE:
        if len(_INDICATOR_CACHE) > 500:
            _INDICATOR_CACHE.clear()
        _INDICATOR_CACHE[cache_key] = fn(year)
    return {"value": _INDICATOR_CACHE[cache_key], "frozen": None, "drill": drill}
