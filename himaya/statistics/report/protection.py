"""The report's protection tables: referrals and services, shelters (with the occupancy by
month), returns."""

import datetime

from django.utils.translation import gettext_noop as _

from himaya.referrals.models import BED_GROUPS, RejectionReason, Service, ShelterStay

from .. import figures, labels
from .cells import row, table, tri, tri_format


def _protection(p, q):
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
        _referred_rows(p, q) + _answer_rows(p, q),
    )


def _referred_rows(p, q):
    """Identified victims referred and assisted, and every person referred (by service) or
    served in the year."""
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
    rows.append(
        row(
            "persons_assisted",
            tri(_("Persons who received a service in the year, whenever identified")),
            p["persons_assisted"],
            q["persons_assisted"],
        )
    )
    return rows


def _answer_rows(p, q):
    """Referrals accepted and rejected (by reason), how fast they were answered, and the
    services delivered."""
    rows = [
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
    return rows


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
