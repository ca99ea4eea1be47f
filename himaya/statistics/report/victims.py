"""The report's victims tables: victims identified (by form, sex, age group, citizenship),
foreign victims by citizenship, and the series of victims by form and sex."""

from collections import Counter

from django.conf import settings
from django.utils.translation import gettext_noop as _

from himaya.core.models import Code

from .. import figures
from .cells import _form_rows, row, table, tri


def _victims(now, before, forms, countries):
    """The table of victims identified and the table of foreign victims by citizenship."""
    return _victims_table(now, before, forms), _foreign_table(now, before, countries)


def _victims_table(now, before, forms):
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
    return table(
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


def _foreign_table(now, before, countries):
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
    return table(
        "foreign_victims",
        _("Foreign victims by citizenship"),
        _(
            "Victims identified in the year holding no citizenship of the country, by "
            "citizenship; a person with two citizenships counts under each."
        ),
        foreign_rows,
    )


def _top_forms(victims):
    tops = set(
        Code.objects.filter(list="exploitation_form", parent__isnull=True).values_list(
            "code", flat=True
        )
    )
    for v in victims:
        v.top_forms = {f for f in v.forms if f in tops}
    return victims


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
