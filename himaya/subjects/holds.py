"""Legal holds on a person's erasure (docs/subject-rights.md).

- **Proceedings**: one of the person's dossiers takes part in a prosecution that is not decided,
  or is linked to an investigation still open. The court file needs the dossier's facts.
- **Frozen report**: the person appears in a year whose annual report was frozen (the official
  submission), or in the year before one (a frozen report shows the year before beside its
  own). Its figures must stay reproducible from the records.

A person "appears" in every year that a date of one of their records falls in (opened, decided,
referred, screened, reported...): a wide rule on purpose, since a figure of any of those years
may count them. A person with no record of that kind counts in no figure, and holds nothing.
"""

import datetime

from django.db import models
from django.db.models import Max, Min
from django.utils.translation import gettext_lazy as _

from himaya.cases.models import Dossier
from himaya.justice.models import Investigation, Prosecution
from himaya.statistics.models import FrozenReport

from .records import person_records

PROCEEDINGS, FROZEN_REPORT = "proceedings", "frozen_report"


def appearance_years(person, records=None) -> set[int]:
    records = records if records is not None else person_records(person)
    years = set()
    for model, qs in records.items():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, (models.DateField, models.DateTimeField))
        ]
        if not fields:
            continue
        aggregates = {}
        for name in fields:
            aggregates[f"{name}__min"] = Min(name)
            aggregates[f"{name}__max"] = Max(name)
        values = [v for v in qs.order_by().aggregate(**aggregates).values() if v is not None]
        for low, high in zip(values[::2], values[1::2], strict=False):
            years.update(range(_year(low), _year(high) + 1))
    return years


def _year(value):
    return value.year if isinstance(value, (datetime.date, datetime.datetime)) else int(value)


def legal_holds(person, records=None) -> list[dict]:
    """The holds that apply to the person, e.g. [{"code": "frozen_report", "year": 2025}]."""
    records = records if records is not None else person_records(person)
    dossiers = records[Dossier]
    holds = []
    open_prosecution = (
        Prosecution.objects.unfinished().filter(participations__dossier__in=dossiers).exists()
    )
    open_investigation = (
        Investigation.objects.unfinished().filter(dossier_links__dossier__in=dossiers).exists()
    )
    if open_prosecution or open_investigation:
        holds.append({"code": PROCEEDINGS})
    years = appearance_years(person, records)
    frozen = (
        FrozenReport.objects.filter(year__in=years | {y + 1 for y in years})
        .order_by("year")
        .values_list("year", flat=True)
        .distinct()
    )
    holds += [{"code": FROZEN_REPORT, "year": year} for year in frozen]
    return holds


def hold_label(hold):
    if hold.get("code") == PROCEEDINGS:
        return _("A prosecution or an investigation about the person is still open.")
    return _("The person is counted in the frozen annual report of %(year)s.") % {
        "year": hold.get("year")
    }
