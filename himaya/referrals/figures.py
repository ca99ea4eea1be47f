"""Figures about referrals, services, shelters, returns and support to NGOs (DOMAIN.md §6), the
one query module the statistics issue reads; who was referred or assisted (the persons) is
counted in ``himaya.statistics.figures`` (``protection``), the only home of those rules. Each
figure is one function with its counting rule in its docstring; counts carry no identity.
Functions take an optional ``dossiers`` queryset narrowing the records counted (a drill-down
passes ``Dossier.objects.visible_to(user)``); the statistics app puts the year before beside
the year asked for. Persons are distinct people: two records linked as the same person
(``Person.same_as``) count once."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone

from himaya.people.models import person_key

from .models import (
    BED_GROUPS,
    Facility,
    NgoSupport,
    Referral,
    ReturnAssistance,
    ServiceRecord,
    ShelterStay,
    SupportKind,
)

# Distinct people: records linked as the same person count once.
PERSON = person_key("dossier__")


def _in(qs, dossiers, field="dossier"):
    return qs if dossiers is None else qs.filter(**{f"{field}__in": dossiers.values("pk")})


def _days(year):
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _moments(year):
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    return start, timezone.make_aware(datetime.datetime(year + 1, 1, 1))


def sent_in(year, dossiers=None, until=None):
    """The referrals sent in the year (any status): what the "persons referred" figures
    (``statistics.figures.persons_referred``) count and their drill-down lists; ``until`` (a
    day of the year) stops at the end of that day (the year so far)."""
    start, end = _moments(year)
    if until is not None:
        end = timezone.make_aware(datetime.datetime.combine(until, datetime.time.min))
        end += datetime.timedelta(days=1)
    return _in(Referral.objects.filter(sent_at__gte=start, sent_at__lt=end), dossiers)


def referral_answers(year, dossiers=None) -> dict[str, int]:
    """Referrals answered in the year: accepted (accepted_at in the year) and rejected
    (rejected_at in the year), counted as referrals, not persons."""
    start, end = _moments(year)
    qs = _in(Referral.objects.all(), dossiers)
    return {
        "accepted": qs.filter(accepted_at__gte=start, accepted_at__lt=end).count(),
        "rejected": qs.filter(rejected_at__gte=start, rejected_at__lt=end).count(),
    }


def rejections_by_reason(year, dossiers=None) -> dict[str, int]:
    """Referrals rejected in the year (rejected_at), per rejection reason."""
    start, end = _moments(year)
    rows = (
        _in(Referral.objects.filter(rejected_at__gte=start, rejected_at__lt=end), dossiers)
        .values("rejection_reason")
        .annotate(n=Count("pk"))
    )
    return {r["rejection_reason"]: r["n"] for r in rows}


def response_time_hours(year, dossiers=None) -> dict:
    """Time from sending to the answer (acceptance or rejection) of the referrals answered in
    the year, in hours: count, median, and how many were answered after their limit
    (settings HIMAYA_REFERRAL_ANSWER_HOURS, or _URGENT for urgent ones). Unanswered referrals
    are not counted."""
    start, end = _moments(year)
    qs = _in(Referral.objects.all(), dossiers).filter(
        Q(accepted_at__gte=start, accepted_at__lt=end)
        | Q(rejected_at__gte=start, rejected_at__lt=end)
    )
    hours, late = [], 0
    limit = {
        True: datetime.timedelta(hours=settings.HIMAYA_REFERRAL_ANSWER_HOURS_URGENT),
        False: datetime.timedelta(hours=settings.HIMAYA_REFERRAL_ANSWER_HOURS),
    }  # Referral.answer_due_at, without building a model per row
    for sent, accepted, rejected, urgent in qs.order_by().values_list(
        "sent_at", "accepted_at", "rejected_at", "urgent"
    ):
        answered = accepted or rejected
        hours.append((answered - sent).total_seconds() / 3600)
        late += answered > sent + limit[bool(urgent)]
    hours.sort()
    median = None
    if hours:
        mid = len(hours) // 2
        median = hours[mid] if len(hours) % 2 else (hours[mid - 1] + hours[mid]) / 2
    return {"answered": len(hours), "median_hours": median, "late": late}


def services_delivered(year, dossiers=None) -> dict[str, int]:
    """Sessions dated in the year, per kind (psychosocial, medical, legal aid, interpretation…),
    plus "shelter": stays admitted in the year, and "return": returns with a travel date in
    the year. Counted as services, not persons."""
    start, end = _days(year)
    rows = (
        _in(ServiceRecord.objects.filter(on__range=(start, end)), dossiers)
        .values("kind")
        .annotate(n=Count("pk"))
    )
    out = {r["kind"]: r["n"] for r in rows}
    out["shelter"] = _in(
        ShelterStay.objects.filter(admitted_on__range=(start, end)), dossiers
    ).count()
    out["return"] = _in(
        ReturnAssistance.objects.filter(travel_on__range=(start, end)), dossiers
    ).count()
    return out


def shelter_beds(year) -> dict:
    """Facilities active at year end (created by 31 December) and their beds per group, with
    the total; beds are the current configuration (changes of capacity are not versioned)."""
    _start, end = _days(year)
    cutoff = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    facilities = Facility.objects.filter(active=True, created_at__lt=cutoff)
    sums = facilities.aggregate(**{g: Sum(f"beds_{g}") for g in BED_GROUPS})
    beds = {g: sums[g] or 0 for g in BED_GROUPS}
    return {"facilities": facilities.count(), "beds": beds, "total": sum(beds.values())}


def bed_nights(year, dossiers=None) -> int:
    """Nights spent in shelters in the year: for each stay, the nights from admission to
    discharge (a stay still running counts up to 31 December) that fall in the year; the
    night of the discharge day is not counted."""
    start, end = _days(year)
    stays = ShelterStay.objects.filter(admitted_on__lte=end).filter(
        Q(discharged_on__isnull=True) | Q(discharged_on__gt=start)
    )
    probe = ShelterStay()  # ShelterStay.nights_in, without building a model per row
    total = 0
    for admitted, discharged in (
        _in(stays, dossiers).order_by().values_list("admitted_on", "discharged_on")
    ):
        probe.admitted_on, probe.discharged_on = admitted, discharged
        total += probe.nights_in(start, end)
    return total


def returns_by_destination(year, dossiers=None) -> dict[str, int]:
    """Distinct persons with a return travelling in the year, per destination country (ISO
    code)."""
    start, end = _days(year)
    rows = (
        _in(ReturnAssistance.objects.filter(travel_on__range=(start, end)), dossiers)
        .values("destination__code")
        .annotate(n=Count(PERSON, distinct=True))
    )
    return {r["destination__code"]: r["n"] for r in rows}


def support_to_ngos(year) -> dict:
    """Support given in the year (date of the support): financial support as the sum in MAD and
    the number of grants, in-kind support as the number of records; and the number of distinct
    receiving organisations."""
    start, end = _days(year)
    qs = NgoSupport.objects.filter(on__range=(start, end))
    financial = qs.filter(kind=SupportKind.FINANCIAL)
    return {
        "financial_mad": financial.aggregate(s=Sum("amount_mad"))["s"] or Decimal(0),
        "financial_count": financial.count(),
        "in_kind_count": qs.filter(kind=SupportKind.IN_KIND).count(),
        "receivers": qs.values("receiver_id").distinct().count(),
    }
