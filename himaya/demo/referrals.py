"""The demo's providers, facilities, referrals and services delivered, added to the loaded
dossiers.

Provider profiles for the NGOs, shelters, the international organisation, the health service
and the bar; facilities with beds at the two shelters and at Nour. Referrals of two years of
identified and assisted victims, in every status, dated on the day they belong to (a demo
artefact: real referrals are dated when sent), each with the consents it needs (or the guardian,
for a child); open referrals hold their live access grant, closed ones an ended grant. Accepted
shelter referrals are admitted while a bed of the group is free on that day, else they wait
(the waiting list); sessions, returns, support-plan goals and follow-ups follow the referrals.
Some referrals stay open for the demo users "shelter" (shelter_casa) and "caseworker"
(ngo_nour), two of them past their answer limit; public bodies' support to NGOs over two years
closes the part."""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from himaya.accounts.models import Membership
from himaya.cases.models import AccessGrant, Dossier, Stage
from himaya.core import access
from himaya.people.models import Consent
from himaya.referrals.models import (
    Facility,
    FollowUp,
    GoalStatus,
    NgoSupport,
    Provider,
    Referral,
    ReferralStatus,
    ReturnAssistance,
    ServiceRecord,
    ShelterStay,
    SupportGoal,
)

from .data.referrals import (
    BY_REGION,
    FACILITIES,
    FALLBACK,
    GOALS,
    PROVIDERS,
    REASONS,
    REJECTIONS,
    SESSION_NOTES,
    SUPPORT_GIVERS,
    SUPPORT_RECEIVERS,
)

WEIGHTS = [
    (ReferralStatus.DONE, 45),
    (ReferralStatus.ACCEPTED, 14),
    (ReferralStatus.REJECTED, 14),
    (ReferralStatus.REVOKED, 5),
    (ReferralStatus.IN_PROGRESS, 8),
]


def _at(day, hour=10):
    # never later than now: "today" may have only just begun
    return min(
        timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))), timezone.now()
    )


def _staff(orgs):
    """One victim-handling member per organisation (the first by username)."""
    found = {}
    for m in (
        Membership.objects.filter(active=True, role__in=access.VICTIM_ROLES)
        .select_related("user")
        .order_by("user__username")
    ):
        found.setdefault(m.organisation_id, m.user)
    return found


def _providers(orgs, codes, counts):
    for key, (services, groups, regions, languages, contact) in PROVIDERS.items():
        p = Provider.objects.create(
            organisation=orgs[key], services=services, groups=groups, contact=contact
        )
        p.regions.set([codes("region", r) for r in regions])
        p.languages.set(
            [c for c in (codes._by_key.get(("language", lang)) for lang in languages) if c]
        )
        counts["providers"] += 1
    facilities = {}
    for key, name, region, city, w, m, c, fam in FACILITIES:
        f = Facility.objects.create(
            organisation=orgs[key],
            **dict(zip(("name_ar", "name_fr", "name_en"), name, strict=True)),
            region=codes("region", region),
            **dict(zip(("city_ar", "city_fr", "city_en"), city, strict=True)),
            beds_women=w,
            beds_men=m,
            beds_children=c,
            beds_families=fam,
            created_at=_at(datetime.date(2020, 1, 1)),
        )
        facilities.setdefault(key, []).append(f)
        counts["facilities"] += 1
    return facilities


def _consents(person, org, user, day):
    for purpose in ("services", "sharing"):
        c = (
            Consent.objects.current(day)
            .filter(person=person, purpose=purpose)
            .order_by("given_on")
            .first()
        )
        if c is None:
            c = Consent.objects.create(
                person=person,
                purpose=purpose,
                given_on=day,
                recorded_by=user,
                organisation=org,
            )
    return c  # the sharing one


def _bed_group(person, child, facility):
    if child and facility.beds_children:
        return "children"
    sex = person.sex.code if person.sex_id else ""
    group = "men" if sex == "male" else "women"
    return group if facility.beds(group) else None


@dataclass
class _Loading:
    """What every step of the part reads: the loaded organisations and accounts, the code
    lists, the facilities by organisation key, the part's generator and its counts."""

    orgs: dict
    users: dict
    codes: object
    staff: dict
    facilities: dict
    today: datetime.date
    rng: random.Random
    counts: dict

    def key_of(self, org):
        return next((k for k, o in self.orgs.items() if o.pk == org.pk), None)


COUNTS = [
    "providers",
    "facilities",
    "referrals",
    "stays",
    "sessions",
    "returns",
    "goals",
    "followups",
    "ngo_support",
]


def load(orgs, users, codes, anchor, rng) -> dict[str, int]:
    today = min(anchor, timezone.localdate())
    start = today - datetime.timedelta(days=730)
    counts = dict.fromkeys(COUNTS, 0)
    facilities = _providers(orgs, codes, counts)
    ctx = _Loading(orgs, users, codes, _staff(orgs), facilities, today, rng, counts)
    key_of = {o.pk: k for k, o in orgs.items()}
    dossiers = list(
        Dossier.objects.filter(
            stage__in=[Stage.IDENTIFIED, Stage.ASSISTED, Stage.CLOSED, Stage.PRESUMED]
        )
        .select_related("person", "person__sex", "owner_org", "owner_org__region")
        .prefetch_related("person__citizenships")
        .order_by("pk")
    )
    status_pool = [s for s, w in WEIGHTS for _ in range(w)]
    for d in dossiers:
        if rng.random() > 0.55:
            continue
        sender = ctx.staff.get(d.owner_org_id)
        if sender is None or key_of.get(d.owner_org_id) is None:
            continue
        _refer_dossier(ctx, d, sender, start, status_pool)
    _demo_user_referrals(ctx)
    _support(orgs, users, start, today, rng, counts)
    return counts


def _services(d, rng):
    """The services a dossier's victim is referred for, and their foreign citizenships."""
    services = ["psychosocial"]
    if rng.random() < 0.45:
        services.append("shelter")
    if rng.random() < 0.3:
        services.append("legal_aid")
    foreign = [c.code for c in d.person.citizenships.all() if c.code != "MA"]
    if foreign and rng.random() < 0.5:
        services.append("return")
    return services, foreign


def _refer_dossier(ctx, d, sender, start, status_pool):
    """The referrals of one drawn dossier, one per service, each to the closest provider."""
    region = d.owner_org.region.code if d.owner_org.region_id else ""
    services, foreign = _services(d, ctx.rng)
    first_day = max(d.opened_on, start)
    if first_day >= ctx.today:
        return
    for service in services:
        target = (
            "oimp"
            if service == "return"
            else BY_REGION.get(region, {}).get(service) or FALLBACK.get(service)
        )
        if target is None or ctx.orgs[target].pk == d.owner_org_id:
            continue
        span = (ctx.today - first_day).days
        sent_on = first_day + datetime.timedelta(days=ctx.rng.randint(0, max(span, 0)))
        status = _status(ctx.rng.choice(status_pool), (ctx.today - sent_on).days)
        _refer(ctx, d, ctx.orgs[target], service, sent_on, status, sender, foreign)


def _status(status, age):
    """A drawn status made plausible for a referral sent ``age`` days ago: old referrals are
    answered and closed, open ones are recent."""
    if age < 3 and status == ReferralStatus.DONE:
        status = ReferralStatus.ACCEPTED
    if status == ReferralStatus.ACCEPTED and age > 120:
        status = ReferralStatus.DONE
    if status == ReferralStatus.IN_PROGRESS and age > 14:
        status = ReferralStatus.REVOKED
    return status


def _refer(ctx, d, to_org, service, sent_on, status, sender, foreign, overdue=False, admit=None):
    """One referral and what follows it; ``admit`` forces (True) or refuses (False) a shelter
    admission of an accepted referral, else it is drawn (70 %)."""
    r, answer_at = _send(ctx, d, to_org, service, sent_on, status, sender, overdue)
    receiver = ctx.staff.get(to_org.pk)
    ended = _answer(r, status, receiver, answer_at, ctx.rng)
    grant = _grant(r, sender)
    ctx.counts["referrals"] += 1
    stay = None
    if status in (ReferralStatus.ACCEPTED, ReferralStatus.DONE) and receiver is not None:
        admitted = (r.accepted_at + datetime.timedelta(days=1)).date()
        if service == "shelter" and r.facility is not None and admitted <= ctx.today:
            stay, ended = _admit(ctx, r, admitted, receiver, admit, ended)
            status = r.status
        elif service == "return":
            _return(ctx, r, admitted, receiver, foreign)
        else:
            _sessions(ctx, r, admitted, receiver)
    if status == ReferralStatus.DONE:
        done = r.accepted_at + datetime.timedelta(days=ctx.rng.randint(20, 120))
        if stay is not None and stay.discharged_on:
            done = max(done, _at(stay.discharged_on, 16))
        r.done_at = ended = min(done, timezone.now())
    r.save()
    if ended is not None:
        AccessGrant.objects.filter(pk=grant.pk).update(revoked_at=ended)
    return r


def _send(ctx, d, to_org, service, sent_on, status, sender, overdue):
    """The referral as sent, with the consents it needs (or a guardian, for a child); returns
    it and when it is answered."""
    person = d.person
    child = person.is_child_on(sent_on)
    consent = None if child else _consents(person, d.owner_org, sender, sent_on)
    sent_at = _at(sent_on, ctx.rng.randint(8, 17))
    if overdue:
        sent_at = timezone.now() - datetime.timedelta(hours=60)
    to_key = ctx.key_of(to_org)
    facility = None
    if service == "shelter" and ctx.facilities.get(to_key):
        facility = ctx.rng.choice(ctx.facilities[to_key])
    answer_at = sent_at + datetime.timedelta(hours=ctx.rng.choice([2, 5, 20, 30, 70]))
    if answer_at > timezone.now():
        answer_at = timezone.now()
    r = Referral.objects.create(
        dossier=d,
        from_org=d.owner_org,
        to_org=to_org,
        service=service,
        facility=facility,
        reason=ctx.rng.choice(REASONS),
        urgent=ctx.rng.random() < 0.15,
        status=status,
        consent=consent,
        is_child=child,
        guardian="Tuteur désigné par le juge des mineurs" if child else "",
        sent_by=sender,
        sent_at=sent_at,
    )
    return r, answer_at


def _answer(r, status, receiver, answer_at, rng):
    """The receiver's answer (unsaved); returns when the referral's grant ends, if it does."""
    if status != ReferralStatus.IN_PROGRESS and status != ReferralStatus.REVOKED:
        r.answered_by = receiver
        if status == ReferralStatus.REJECTED:
            r.rejected_at = answer_at
            r.rejection_reason = rng.choice(REJECTIONS)
        else:
            r.accepted_at = answer_at
    if status == ReferralStatus.REVOKED:
        r.revoked_at = answer_at
        return answer_at
    if status == ReferralStatus.REJECTED:
        return answer_at
    return None


def _grant(r, sender):
    """The referral's access grant, named after it (set on ``r``, unsaved)."""
    grant = AccessGrant.objects.create(
        dossier=r.dossier,
        organisation=r.to_org,
        with_identity=True,
        reason=f"Referral ({r.service})",
        source="",
        granted_by=sender,
        starts_at=r.sent_at,
    )
    AccessGrant.objects.filter(pk=grant.pk).update(source=f"{access.REFERRAL_SOURCE}{r.pk}")
    r.grant = grant
    return grant


def _admit(ctx, r, admitted, receiver, admit, ended):
    """An accepted shelter referral admitted while a bed is free, else on the waiting list; a
    done one with no bed becomes a refusal for lack of room. Returns the stay and the end."""
    stay = None
    drawn = ctx.rng.random() < 0.7 if admit is None else admit
    if r.status == ReferralStatus.DONE or drawn:  # else: waiting list
        stay = _stay(ctx, r, admitted, receiver)
    if r.status == ReferralStatus.DONE and stay is None:
        r.status = ReferralStatus.REJECTED
        r.rejected_at, r.accepted_at = r.accepted_at, None
        r.rejection_reason = "no_capacity"
        ended = r.rejected_at
    return stay, ended


def _return(ctx, r, admitted, receiver, foreign):
    dest = foreign[0] if foreign else "NG"
    ReturnAssistance.objects.create(
        dossier=r.dossier,
        organisation=r.to_org,
        destination=ctx.codes("country", dest),
        partner=ctx.orgs.get(
            {"NG": "consulate_ng", "CI": "consulate_ci", "PH": "consulate_ph"}.get(dest, "oimp")
        ),
        travel_on=min(admitted + datetime.timedelta(days=ctx.rng.randint(10, 60)), ctx.today),
        reintegration_followup="Suivi de réintégration par le bureau pays (3 mois)."
        if r.status == ReferralStatus.DONE
        else "",
        given_by=receiver,
    )
    ctx.counts["returns"] += 1


def _sessions(ctx, r, admitted, receiver):
    for i in range(ctx.rng.randint(1, 4)):
        on = admitted + datetime.timedelta(days=7 * i)
        if on > ctx.today:
            break
        ServiceRecord.objects.create(
            dossier=r.dossier,
            organisation=r.to_org,
            kind=r.service if r.service != "shelter" else "psychosocial",
            on=on,
            given_by=receiver,
            note=ctx.rng.choice(SESSION_NOTES),
        )
        ctx.counts["sessions"] += 1


def _stay(ctx, r, admitted, user):
    group = _bed_group(r.dossier.person, r.is_child, r.facility)
    if group is None:
        return None
    facility = r.facility
    discharged = None
    if r.status == ReferralStatus.DONE:
        discharged = min(admitted + datetime.timedelta(days=ctx.rng.randint(5, 90)), ctx.today)
    # a bed of the group must be free every night of the stay (the first night suffices for
    # the demo's ordered data; checked again on the last)
    for day in {admitted, discharged or ctx.today}:
        if facility.occupied(day)[group] >= facility.beds(group):
            return None
    if ShelterStay.objects.filter(dossier=r.dossier).running_on(admitted).exists():
        return None
    stay = ShelterStay.objects.create(
        facility=facility,
        dossier=r.dossier,
        referral=r,
        bed_group=group,
        admitted_on=admitted,
        discharged_on=discharged,
        discharge_reason=ctx.rng.choice(["plan_completed", "returned", "moved", "left"])
        if discharged
        else "",
        recorded_by=user,
    )
    ctx.counts["stays"] += 1
    return stay


def _demo_user_referrals(ctx):
    """Open referrals for the demo shelter manager and caseworker (two past their limit),
    plan goals and follow-ups on the caseworker's dossiers."""
    nour = ctx.orgs["ngo_nour"]
    casa = ctx.orgs["shelter_casa"]
    base = Dossier.objects.filter(stage__in=[Stage.IDENTIFIED, Stage.ASSISTED, Stage.PRESUMED])
    busy = set(
        Referral.objects.filter(status__in=["in_progress", "accepted"]).values_list(
            "dossier_id", "to_org_id"
        )
    )
    # two waiting for an answer (one overdue), one accepted and admitted, one accepted and on
    # the waiting list; the accepted ones sent early enough to be answered days ago, whatever
    # the hour the demo is loaded
    for i, d in enumerate(_free_dossiers(ctx, base, casa, busy, "-opened_on")[:4]):
        _refer(
            ctx,
            d,
            casa,
            "shelter",
            ctx.today - datetime.timedelta(days=i if i < 2 else i + 3),
            ReferralStatus.IN_PROGRESS if i < 2 else ReferralStatus.ACCEPTED,
            ctx.staff[d.owner_org_id],
            [],
            overdue=(i == 0),
            admit=(i == 2) if i >= 2 else None,
        )
    for i, d in enumerate(_free_dossiers(ctx, base, nour, busy, "opened_on")[:3]):
        _refer(
            ctx,
            d,
            nour,
            "psychosocial",
            ctx.today - datetime.timedelta(days=i),
            ReferralStatus.IN_PROGRESS if i < 2 else ReferralStatus.ACCEPTED,
            ctx.staff[d.owner_org_id],
            [],
            overdue=(i == 1),
        )
    _caseworker_plans(ctx, base, nour)


def _free_dossiers(ctx, base, to_org, busy, order):
    """Other organisations' dossiers with no open referral to ``to_org`` and a sender."""
    return [
        d
        for d in base.exclude(owner_org=to_org)
        .select_related("person", "person__sex", "owner_org")
        .order_by(order)[:40]
        if (d.pk, to_org.pk) not in busy and ctx.staff.get(d.owner_org_id)
    ]


def _caseworker_plans(ctx, base, nour):
    """Support-plan goals and a follow-up on each of the demo caseworker's latest dossiers."""
    caseworker = ctx.users["caseworker"]
    own = list(base.filter(owner_org=nour).order_by("-opened_on")[:8])
    for i, d in enumerate(own):
        for g in range(ctx.rng.randint(1, 3)):
            SupportGoal.objects.create(
                dossier=d,
                organisation=nour,
                goal=GOALS[(i + g) % len(GOALS)],
                status=ctx.rng.choice(list(GoalStatus.values)),
                target_on=ctx.today + datetime.timedelta(days=ctx.rng.randint(-30, 120)),
                created_by=caseworker,
            )
            ctx.counts["goals"] += 1
        FollowUp.objects.create(
            dossier=d,
            organisation=nour,
            due_on=ctx.today + datetime.timedelta(days=i - 2),
            purpose="Appel de suivi" if i % 2 else "Visite à domicile",
            created_by=caseworker,
        )
        ctx.counts["followups"] += 1


def _support(orgs, users, start, today, rng, counts):
    recorder = users["analyst"]
    for i in range(16):
        on = start + datetime.timedelta(days=rng.randint(0, (today - start).days))
        giver = orgs[SUPPORT_GIVERS[i % len(SUPPORT_GIVERS)]]
        receiver = orgs[rng.choice(SUPPORT_RECEIVERS)]
        financial = rng.random() < 0.6
        NgoSupport.objects.create(
            giver=giver,
            receiver=receiver,
            on=on,
            kind="financial" if financial else "in_kind",
            amount_mad=Decimal(rng.choice([25000, 50000, 80000, 120000, 200000]))
            if financial
            else None,
            description=""
            if financial
            else rng.choice(
                ["Literie et kits d'hygiène", "Véhicule de transport", "Matériel informatique"]
            ),
            purpose=rng.choice(
                [
                    "Fonctionnement du centre d'hébergement",
                    "Accompagnement psychosocial des victimes",
                    "دعم مشاريع إعادة الإدماج",
                ]
            ),
            recorded_by=recorder,
        )
        counts["ngo_support"] += 1
