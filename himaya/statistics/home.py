"""The commission's panel of the home page: this year so far against the same days of last
year, and what waits across agencies, by region (urgent reports untriaged, referrals
unanswered, stalled proceedings, non-punishment alerts open, shelter occupancy). Figures only:
no name, no record a national analyst could not open anyway. Wired by himaya.views.home."""

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from himaya.cases.models import NonPunishmentAlert
from himaya.core import access
from himaya.core.models import Code
from himaya.hotline import figures as hotline_figures
from himaya.hotline.models import Report
from himaya.justice import figures as justice_figures
from himaya.justice.models import Investigation, Prosecution
from himaya.referrals.models import BED_GROUPS, Facility, Referral, ShelterStay

from . import figures
from .revision import settled_version


def _same_days_last_year(today):
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


def _victims_until(year, day):
    return sum(1 for v in figures.identified_victims(year) if v.identified_on <= day)


def year_so_far(today=None) -> list[dict]:
    """Headline figures from 1 January to today, against 1 January to the same day last year:
    victims identified, investigations opened, defendants prosecuted, persons referred
    (whenever identified), hotline reports. The annual report's counting rules (the figures
    modules), cut at the day."""
    today = today or timezone.localdate()
    before = _same_days_last_year(today)
    rows = [
        (
            "victims",
            _("victims identified"),
            _victims_until(today.year, today),
            _victims_until(before.year, before),
        )
    ]
    rows.append(
        (
            "investigations",
            _("investigations opened"),
            justice_figures.investigations_in_year(today.year, None, until=today),
            justice_figures.investigations_in_year(before.year, None, until=before),
        )
    )

    def prosecuted(day):
        return justice_figures.prosecuted_in_year(day.year, None, until=day)["total"]

    rows.append(("prosecuted", _("defendants prosecuted"), prosecuted(today), prosecuted(before)))

    def referred(day):
        return figures.persons_referred(day.year, until=day)["total"]

    # Every person referred since 1 January, whenever identified: the report's "persons
    # referred in the year", not its "victims identified in the year and referred".
    rows.append(
        (
            "persons_referred",
            _("persons referred, whenever identified"),
            referred(today),
            referred(before),
        )
    )

    def reports(day):
        return hotline_figures.reports_received(
            Report.objects.all(), day.replace(month=1, day=1), day
        )

    rows.append(("reports", _("hotline reports"), reports(today), reports(before)))
    return [{"key": k, "label": label, "value": v, "previous": p} for k, label, v, p in rows]


def alerts_by_region(today=None) -> dict:
    """What waits across agencies, per region: urgent reports untriaged past their limit (the
    report's region), referrals unanswered past their limit (the receiving organisation's
    region), stalled proceedings (the investigation's region), non-punishment alerts open (the
    offence's region), and shelter beds used today against beds (the shelter's region).
    Returns {"rows": [...], "totals": {...}}; a region with nothing is left out."""
    today = today or timezone.localdate()
    regions = {c.pk: c for c in Code.objects.filter(list="region")}
    table = {}

    def add(region_id, key, n=1):
        row = table.setdefault(
            region_id,
            {"reports": 0, "referrals": 0, "stalled": 0, "alerts": 0, "used": 0, "beds": 0},
        )
        row[key] += n

    for region_id, n in (
        Report.objects.overdue().values_list("region_id").annotate(n=Count("pk")).order_by()
    ):
        add(region_id, "reports", n)
    for region_id, n in (
        Referral.objects.overdue()
        .values_list("to_org__region_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        add(region_id, "referrals", n)
    for row in Investigation.objects.all().stalled(today):
        add(row.region_id, "stalled")
    for row in Prosecution.objects.select_related("investigation").stalled(today):
        add(row.investigation.region_id if row.investigation_id else None, "stalled")
    for region_id, n in (
        NonPunishmentAlert.objects.open()
        .values_list("offence__region_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        add(region_id, "alerts", n)
    facilities = list(Facility.objects.filter(active=True))
    occupancy = ShelterStay.objects.filter(facility__in=facilities).occupancy(today)
    for facility in facilities:
        occupied = occupancy[facility.pk]
        add(facility.region_id, "used", sum(occupied[g] for g in BED_GROUPS))
        add(facility.region_id, "beds", sum(facility.beds(g) for g in BED_GROUPS))
    rows = []
    for region_id, row in table.items():
        region = regions.get(region_id)
        rows.append({"region": region.label if region else _("region not recorded"), **row})
    rows.sort(
        key=lambda r: (
            -(r["reports"] + r["referrals"] + r["stalled"] + r["alerts"]),
            str(r["region"]),
        )
    )
    totals = {
        k: sum(r[k] for r in rows)
        for k in ("reports", "referrals", "stalled", "alerts", "used", "beds")
    }
    return {"rows": rows, "totals": totals}


# The panel is computed once per data version and day, and kept a few minutes (what waits
# also depends on the hour: a referral becomes overdue without any write).
PANEL_SECONDS = 120


def home_context(user) -> dict:
    if not access.reads_national_report(user):
        return {}
    today = timezone.localdate()
    version = settled_version()  # None while a writer is open: counted now, not kept
    key = f"himaya:commission-panel:{today.isoformat()}:{translation.get_language()}:{version}"
    panel = cache.get(key) if version else None
    if panel is None:
        panel = {"so_far": year_so_far(today), "alerts": alerts_by_region(today)}
        for row in panel["so_far"]:
            row["label"] = str(row["label"])
        for row in panel["alerts"]["rows"]:
            row["region"] = str(row["region"])
        if version:
            cache.set(key, panel, PANEL_SECONDS)
    return {
        "commission_year": today.year,
        "commission_so_far": panel["so_far"],
        "commission_alerts": panel["alerts"],
        "commission_stalled_months": settings.HIMAYA_STALLED_MONTHS,
        "commission_report_year": today.year - 1,
    }
