"""Identified victims of the year referred and assisted (DOMAIN.md §6), and the other
protection figures of the year (``himaya.referrals.figures``)."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db.models import F, Max, Q, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from himaya.people.models import person_key
from himaya.referrals import figures as referrals_figures
from himaya.referrals.models import Referral, ReturnAssistance, ServiceRecord, ShelterStay

from . import sql
from .common import _dossiers, days
from .victims import first_dates, first_decisions, positive_in_year


def _moments(year):
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    return start, timezone.make_aware(datetime.datetime(year + 1, 1, 1))


def _as_of(as_of):
    """The report's date: now for a live report (a frozen one is built when it is frozen)."""
    return as_of or timezone.now()


def _local_day(moment):
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def _scoped(qs, scope):
    return qs if _dossiers(scope) is None else qs.filter(dossier__in=_dossiers(scope).values("pk"))


def _positive_persons(year):
    """The persons with a positive decision dated in the year (a plain subquery: a superset of
    ``first_dates``, which the callers keep in Python)."""
    return positive_in_year(year, None).values("who")


def referrals_of_identified(year, scope=None, as_of=None):
    """The referrals that make an identified victim of the year "referred" (DOMAIN.md §6): sent
    to another organisation than the sender, any status, from the day of the person's first
    positive identification decision up to the report's date (``as_of``, default now), so a
    victim identified on 28 December and referred on 3 January counts in the year of
    identification. One per person: the first such referral (the drill-down lists these)."""
    firsts = first_dates(year)
    start, _end = _moments(year)
    qs = (
        Referral.objects.filter(sent_at__gte=start, sent_at__lte=_as_of(as_of))
        .exclude(to_org=F("from_org"))
        .annotate(who=person_key("dossier__"))
        .filter(who__in=first_decisions(year).values("who"))
    )
    if _dossiers(scope) is not None:
        qs = qs.filter(dossier__in=_dossiers(scope).values("pk"))
    first_referral = {}
    for who, pk, sent_at in qs.order_by("sent_at", "pk").values_list("who", "pk", "sent_at"):
        if who not in first_referral and _local_day(sent_at) >= firsts[who]:
            first_referral[who] = pk
    return Referral.objects.filter(pk__in=first_referral.values())


def identified_referred(year, scope=None, as_of=None) -> int:
    """Referred (DOMAIN.md §6): identified victims of the year with at least one referral to
    another organisation sent from their identification up to the report's date, any status
    (a revoked referral was sent); the persons ``referrals_of_identified`` lists.

    Counted in one grouped query: per person, the local day of their last such referral sent
    since 1 January of the year; a person of ``first_dates`` is referred when that day is on or
    after their identification (a later referral than the first one qualifies too)."""
    firsts = first_dates(year)
    start, _end = _moments(year)
    qs = _scoped(
        Referral.objects.filter(sent_at__gte=start, sent_at__lte=_as_of(as_of)).exclude(
            to_org=F("from_org")
        ),
        scope,
    )
    rows = (
        qs.annotate(who=person_key("dossier__"))
        .filter(who__in=_positive_persons(year))
        .values("who")
        .annotate(last=Max(TruncDate("sent_at")))
        .order_by()
        .values_list("who", "last")
    )
    return sum(1 for who, last in rows if who in firsts and last >= firsts[who])


_FAR = datetime.date(9999, 12, 31)


def _service_sources(start, until):
    """The services that assist (a session, a stay running then, a return travelling then)
    between ``start`` and ``until``: (records, provider, first day, last day)."""
    return (
        (ServiceRecord.objects.filter(on__range=(start, until)), "organisation_id", "on", "on"),
        (
            ShelterStay.objects.filter(admitted_on__lte=until).filter(
                Q(discharged_on__isnull=True) | Q(discharged_on__gte=start)
            ),
            "facility__organisation_id",
            "admitted_on",
            "discharged_on",
        ),
        (
            ReturnAssistance.objects.filter(travel_on__range=(start, until)),
            "organisation_id",
            "travel_on",
            "travel_on",
        ),
    )


def services_of_identified(year, scope=None, as_of=None) -> dict:
    """{person: {"own", "partner"}}: identified victims of the year with a service delivered
    from their identification up to the report's date (a session, a shelter stay running then,
    a return travelling then), by the organisation holding the dossier ("own": a shelter that
    identified her assists her without a referral) or by another one ("partner").

    One grouped query per kind of service: per person, the last day of their services by the
    dossier's organisation and by others (a stay still running: open-ended); a service counts
    when that day is on or after the person's identification."""
    firsts = first_dates(year)
    start, _end = days(year)
    until = _local_day(_as_of(as_of))
    out = defaultdict(set)
    for qs, provider, _begins, ends in _service_sources(start, until):
        own = Q(**{provider: F("dossier__owner_org_id")})
        last = Coalesce(ends, Value(_FAR))
        rows = (
            _scoped(qs, scope)
            .annotate(who=person_key("dossier__"))
            .filter(who__in=_positive_persons(year))
            .values("who")
            .annotate(own=Max(last, filter=own), partner=Max(last, filter=~own))
            .order_by()
            .values_list("who", "own", "partner")
        )
        for person, own_last, partner_last in rows:
            first = firsts.get(person)
            if first is None:
                continue
            if own_last is not None and own_last >= first:
                out[person].add("own")
            if partner_last is not None and partner_last >= first:
                out[person].add("partner")
    return dict(out)


def identified_assisted(year, scope=None, as_of=None) -> int:
    """Assisted (DOMAIN.md §6): identified victims of the year with at least one service
    delivered from their identification up to the report's date, by a partner or by the
    organisation holding the dossier; see ``services_of_identified``."""
    return len(services_of_identified(year, scope, as_of))


def persons_referred(year, scope=None, until=None) -> dict:
    """Every person referred in the year, whenever identified: distinct persons with a referral
    sent in the year (any status), in total, per service and per type of the receiving
    organisation (a person may count under several), read in one statement; ``until`` (a day
    of the year) stops at that day (the home page's year so far)."""
    rows = (
        referrals_figures.sent_in(year, _dossiers(scope), until)
        .annotate(who=person_key("dossier__"), provider_type=F("to_org__type__code"))
        .order_by()
        .values("who", "service", "provider_type")
    )
    total, by = sql.distinct_by(rows, "who", ("service", "provider_type"))
    return {"total": total, "by_service": by["service"], "by_provider_type": by["provider_type"]}


def persons_assisted(year, scope=None) -> int:
    """Every person served in the year, whenever identified: distinct persons with a session
    dated in the year, a stay running at some point of the year or a return travelling in the
    year, counted in one statement."""
    start, end = days(year)
    return sql.count_union(
        [
            _scoped(qs, scope).annotate(who=person_key("dossier__")).order_by().values("who")
            for qs, _by, _first, _last in _service_sources(start, end)
        ]
    )


def response_time(year, scope=None) -> dict:
    """Time from sending to the answer of the referrals answered in the year, in hours: count,
    median and how many were answered late (``referrals.figures.response_time_hours``, the rule;
    on PostgreSQL computed in the database: the median is the mean of the two middle values,
    taken with ``percentile_disc`` so it is the very number the Python path gives)."""
    d = _dossiers(scope)
    start, end = _moments(year)
    qs = _scoped(Referral.objects.all(), scope).filter(
        Q(accepted_at__gte=start, accepted_at__lt=end)
        | Q(rejected_at__gte=start, rejected_at__lt=end)
    )
    if sql.vendor_of(qs) != "postgresql":
        return referrals_figures.response_time_hours(year, d)
    rows = qs.annotate(answered=Coalesce("accepted_at", "rejected_at")).order_by()
    rows = rows.values("sent_at", "answered", "urgent")
    (answered, late, low, high), *_ = sql.fetch(
        rows,
        "SELECT COUNT(*),"
        " COUNT(*) FILTER (WHERE answered > sent_at + CASE WHEN urgent THEN %s ELSE %s END),"
        " percentile_disc(0.5) WITHIN GROUP (ORDER BY h),"
        " percentile_disc(0.5 + 1e-10) WITHIN GROUP (ORDER BY h)"
        " FROM (SELECT *, EXTRACT(EPOCH FROM answered - sent_at)::float8 / 3600 AS h"
        " FROM ({rows}) a) t",
        before=(
            datetime.timedelta(hours=settings.HIMAYA_REFERRAL_ANSWER_HOURS_URGENT),
            datetime.timedelta(hours=settings.HIMAYA_REFERRAL_ANSWER_HOURS),
        ),
    )
    median = None
    if answered:
        median = low if answered % 2 else (low + high) / 2
    return {"answered": answered, "median_hours": median, "late": late}


def protection(year, scope=None, as_of=None) -> dict:
    """Identified victims of the year referred and assisted (DOMAIN.md §6); every person
    referred or served in the year, whenever identified; referrals by service and provider type,
    answers, rejections by reason, response time, services delivered, shelter beds and
    bed-nights, returns by destination (``himaya.referrals.figures``)."""
    d = _dossiers(scope)
    f = referrals_figures
    served = services_of_identified(year, scope, as_of)
    referred = persons_referred(year, scope)
    return {
        "referred": identified_referred(year, scope, as_of),
        "assisted": len(served),
        "assisted_own": sum(1 for by in served.values() if "own" in by),
        "assisted_partner": sum(1 for by in served.values() if "partner" in by),
        "persons_referred": referred["total"],
        "persons_assisted": persons_assisted(year, scope),
        "by_service": referred["by_service"],
        "by_provider_type": referred["by_provider_type"],
        "answers": f.referral_answers(year, d),
        "rejections": f.rejections_by_reason(year, d),
        "response": response_time(year, scope),
        "services": f.services_delivered(year, d),
        "beds": f.shelter_beds(year),
        "bed_nights": f.bed_nights(year, d),
        "returns": f.returns_by_destination(year, d),
    }
