"""Hotline figures: reports by channel, outcome, form of exploitation and region, and the time
to triage. One function per figure, its counting rule in its docstring (DOMAIN.md §6).

Every function takes ``reports``, the queryset of reports the reader may count (for a page:
``Report.objects.for_figures(user)``), and a period ``start``–``end`` of local dates, both
included. A report belongs to the period of its ``received_at`` (local time): the figures
describe the reports received in the period, whenever they were triaged. No function returns
a record or any free text."""

import datetime
import math
import statistics
from dataclasses import dataclass

from django.db.models import Count

from himaya.core.models import Code

from .models import Channel, Outcome, Report, Urgency, local_midnight

UNTRIAGED = "untriaged"


def year_period(year):
    """1 January to 31 December of ``year``."""
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def received_in(reports, start, end):
    """The reports received from ``start`` 00:00 to ``end`` 24:00, local time."""
    return reports.filter(
        received_at__gte=local_midnight(start),
        received_at__lt=local_midnight(end + datetime.timedelta(days=1)),
    )


def reports_received(reports, start, end):
    """Reports received in the period: each report once."""
    return received_in(reports, start, end).count()


def by_channel(reports, start, end):
    """Reports received in the period, each counted once under its channel (call, WhatsApp/SMS,
    e-mail, walk-in, web tip). Every channel is listed, zeros included; the counts sum to
    ``reports_received``."""
    counts = dict(
        received_in(reports, start, end).order_by().values_list("channel").annotate(n=Count("pk"))
    )
    return {c.value: counts.get(c.value, 0) for c in Channel}


def by_outcome(reports, start, end):
    """Reports received in the period, each counted once under its triage outcome as of now;
    reports not triaged yet are counted under "untriaged". A report received on 31 December
    and triaged on 2 January counts in the year it was received. Every outcome is listed,
    zeros included; the counts sum to ``reports_received``."""
    qs = received_in(reports, start, end).order_by()
    counts = dict(qs.values_list("outcome").annotate(n=Count("pk")))
    result = {o.value: counts.get(o.value, 0) for o in Outcome}
    result[UNTRIAGED] = counts.get("", 0)
    return result


@dataclass
class FormRow:
    code: str
    label: str
    depth: int
    count: int


def by_form(reports, start, end):
    """Reports received in the period, counted under each suspected form of exploitation they
    name. A sub-form counts under itself and under its parent: a report naming forced begging
    is one report of forced begging and one of forced labour, and a report naming two
    sub-forms of forced labour is still one report of forced labour ("including" lines,
    DOMAIN.md §2). A report may name several forms, so the forms may sum to more than the
    reports received. Reports naming no form are counted on the last row, "not stated" (code
    ""). Rows follow the code list, each parent followed by its sub-forms."""
    codes = list(Code.objects.filter(list="exploitation_form").order_by("sort", "code"))
    parent_of = {c.pk: c.parent_id for c in codes}
    ids = received_in(reports, start, end).values("pk")
    pairs = Report.forms.through.objects.filter(report_id__in=ids).values_list(
        "report_id", "code_id"
    )
    reports_of = {c.pk: set() for c in codes}
    named = set()
    for report_id, code_id in pairs:
        named.add(report_id)
        node = code_id
        while node is not None and node in reports_of:
            reports_of[node].add(report_id)
            node = parent_of.get(node)
    children = {}
    for c in codes:
        children.setdefault(c.parent_id, []).append(c)
    rows = []

    def walk(parent_id, depth):
        for c in children.get(parent_id, []):
            if c.active or reports_of[c.pk]:
                rows.append(FormRow(c.code, c.label, depth, len(reports_of[c.pk])))
                walk(c.pk, depth + 1)

    walk(None, 0)
    total = received_in(reports, start, end).count()
    rows.append(FormRow("", "", 0, total - len(named)))
    return rows


def by_region(reports, start, end):
    """Reports received in the period, each counted once under the region where the reported
    situation takes place; reports without a region under ``None`` ("not stated"). Every
    region is listed, zeros included; the counts sum to ``reports_received``."""
    counts = dict(
        received_in(reports, start, end)
        .order_by()
        .values_list("region__code")
        .annotate(n=Count("pk"))
    )
    regions = Code.objects.filter(list="region").order_by("sort", "code")
    result = {r.code: counts.get(r.code, 0) for r in regions}
    result[None] = counts.get(None, 0)
    return result


def percentile(values, p):
    """The nearest-rank percentile: the smallest value with at least p % of the values at or
    below it."""
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def time_to_triage(reports, start, end):
    """Of the reports received in the period and triaged (whenever it happened), the time from
    receipt to triage (``triaged_at − received_at``): how many, the median (the middle value,
    or the mean of the two middle ones) and the 90th percentile (nearest rank: 90 % of the
    reports were triaged in at most this time); the same per urgency. Reports still waiting
    are not timed; ``waiting`` counts them. Median and p90 are None when no report was
    triaged."""
    qs = received_in(reports, start, end)
    rows = list(
        qs.filter(triaged_at__isnull=False).values_list("urgency", "received_at", "triaged_at")
    )

    def summary(durations):
        if not durations:
            return {"count": 0, "median": None, "p90": None}
        seconds = [d.total_seconds() for d in durations]
        return {
            "count": len(seconds),
            "median": datetime.timedelta(seconds=statistics.median(seconds)),
            "p90": datetime.timedelta(seconds=percentile(seconds, 90)),
        }

    result = summary([t - r for _u, r, t in rows])
    result["waiting"] = qs.filter(triaged_at__isnull=True).count()
    result["by_urgency"] = {
        u.value: summary([t - r for urg, r, t in rows if urg == u.value]) for u in Urgency
    }
    return result


def summary(reports, start, end):
    """Every hotline figure of one period, for the figures page."""
    return {
        "start": start,
        "end": end,
        "total": reports_received(reports, start, end),
        "channel": by_channel(reports, start, end),
        "outcome": by_outcome(reports, start, end),
        "form": by_form(reports, start, end),
        "region": by_region(reports, start, end),
        "triage": time_to_triage(reports, start, end),
    }
