"""Identified victims of the year referred and assisted (DOMAIN.md §6), and the other
protection figures of the year (``himaya.referrals.figures``)."""

import datetime
from collections import defaultdict

from django.db.models import F, Q
from django.utils import timezone

from himaya.people.models import person_key
from himaya.referrals import figures as referrals_figures
from himaya.referrals.models import Referral, ReturnAssistance, ServiceRecord, ShelterStay

from .common import _dossiers, days
from .victims import first_dates, first_decisions


def _moments(year):
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    return start, timezone.make_aware(datetime.datetime(year + 1, 1, 1))


def _as_of(as_of):
    """The report's date: now for a live report (a frozen one is built when it is frozen)."""
    return as_of or timezone.now()


def _local_day(moment):
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


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
    (a revoked referral was sent); see ``referrals_of_identified``."""
    return referrals_of_identified(year, scope, as_of).count()


def services_of_identified(year, scope=None, as_of=None) -> dict:
    """{person: {"own", "partner"}}: identified victims of the year with a service delivered
    from their identification up to the report's date (a session, a shelter stay running then,
    a return travelling then), by the organisation holding the dossier ("own": a shelter that
    identified her assists her without a referral) or by another one ("partner")."""
    firsts = first_dates(year)
    start, _end = days(year)
    until = _local_day(_as_of(as_of))
    who = first_decisions(year).values("who")
    out = defaultdict(set)
    for qs, provider, begins, ends in (
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
    ):
        if _dossiers(scope) is not None:
            qs = qs.filter(dossier__in=_dossiers(scope).values("pk"))
        rows = (
            qs.annotate(who=person_key("dossier__"))
            .filter(who__in=who)
            .values_list("who", provider, "dossier__owner_org_id", begins, ends)
            .order_by()
        )
        for person, by, owner, first_day, last_day in rows:
            if (last_day is None or last_day >= firsts[person]) and first_day <= until:
                out[person].add("own" if by == owner else "partner")
    return dict(out)


def identified_assisted(year, scope=None, as_of=None) -> int:
    """Assisted (DOMAIN.md §6): identified victims of the year with at least one service
    delivered from their identification up to the report's date, by a partner or by the
    organisation holding the dossier; see ``services_of_identified``."""
    return len(services_of_identified(year, scope, as_of))


def protection(year, scope=None, as_of=None) -> dict:
    """Identified victims of the year referred and assisted (DOMAIN.md §6); every person
    referred or served in the year, whenever identified; referrals by service and provider type,
    answers, rejections by reason, response time, services delivered, shelter beds and
    bed-nights, returns by destination (``himaya.referrals.figures``)."""
    d = _dossiers(scope)
    f = referrals_figures
    served = services_of_identified(year, scope, as_of)
    return {
        "referred": identified_referred(year, scope, as_of),
        "assisted": len(served),
        "assisted_own": sum(1 for by in served.values() if "own" in by),
        "assisted_partner": sum(1 for by in served.values() if "partner" in by),
        "persons_referred": f.victims_referred(year, d),
        "persons_assisted": f.victims_assisted(year, d),
        "by_service": f.victims_referred_by_service(year, d),
        "by_provider_type": f.victims_referred_by_provider_type(year, d),
        "answers": f.referral_answers(year, d),
        "rejections": f.rejections_by_reason(year, d),
        "response": f.response_time_hours(year, d),
        "services": f.services_delivered(year, d),
        "beds": f.shelter_beds(year),
        "bed_nights": f.bed_nights(year, d),
        "returns": f.returns_by_destination(year, d),
    }
