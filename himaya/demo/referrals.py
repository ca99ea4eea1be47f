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

# org key: (services, groups, regions, languages, contact)
PROVIDERS = {
    "ngo_nour": (
        ["psychosocial", "legal_aid", "interpretation", "reintegration", "shelter"],
        ["women", "children", "sexual_exploitation"],
        ["casablanca_settat", "rabat_sale_kenitra"],
        ["ar", "fr", "en"],
        "المداومة: 05 22 00 00 01 (من 8 إلى 18)",
    ),
    "ngo_karama": (
        ["psychosocial", "legal_aid", "livelihood"],
        ["women", "men", "migrants"],
        ["oriental"],
        ["ar", "fr"],
        "Bureau d'Oujda, 05 36 00 00 02",
    ),
    "ngo_amal": (
        ["psychosocial", "medical", "education", "reintegration"],
        ["children", "families", "migrants"],
        ["tanger_tetouan_al_hoceima"],
        ["ar", "es", "fr"],
        "طنجة، 05 39 00 00 03",
    ),
    "ngo_tiwizi": (
        ["livelihood", "reintegration", "interpretation"],
        ["women", "men"],
        ["souss_massa"],
        ["ar", "fr"],
        "أكادير، 05 28 00 00 04",
    ),
    "ngo_insaf": (
        ["legal_aid", "psychosocial", "education"],
        ["children", "women"],
        ["marrakech_safi"],
        ["ar", "fr"],
        "مراكش، 05 24 00 00 05",
    ),
    "oimp": (
        ["return", "reintegration", "interpretation", "medical"],
        ["migrants", "women", "men", "children", "families"],
        ["rabat_sale_kenitra", "casablanca_settat", "tanger_tetouan_al_hoceima", "oriental"],
        ["en", "fr", "ar"],
        "مكتب العودة الطوعية المساعدة، +212 5 37 00 00 06",
    ),
    "shelter_casa": (
        ["shelter", "psychosocial", "medical"],
        ["women", "children", "families", "sexual_exploitation"],
        ["casablanca_settat"],
        ["ar", "fr"],
        "الاستقبال 24/24: 05 22 00 00 07",
    ),
    "shelter_tanger": (
        ["shelter", "psychosocial"],
        ["women", "men", "children", "migrants"],
        ["tanger_tetouan_al_hoceima"],
        ["ar", "fr", "es"],
        "Accueil 24 h : 05 39 00 00 08",
    ),
    "health_oujda": (
        ["medical", "psychosocial"],
        ["women", "men", "children"],
        ["oriental"],
        ["ar", "fr"],
        "المستعجلات: 05 36 00 00 09",
    ),
    "bar_casa": (
        ["legal_aid"],
        ["women", "men", "children", "migrants"],
        ["casablanca_settat"],
        ["ar", "fr"],
        "Aide juridictionnelle, 05 22 00 00 10",
    ),
}

# org key, name (Arabic, French, English), region, city (Arabic, French, English),
# beds women/men/children/families
FACILITIES = [
    (
        "shelter_casa",
        ("مركز دار الأمان", "Centre Dar Al Amane", "Dar Al Amane Centre"),
        "casablanca_settat",
        ("الدار البيضاء", "Casablanca", "Casablanca"),
        14,
        0,
        6,
        3,
    ),
    (
        "shelter_casa",
        (
            "دار النور (للأمهات والأطفال)",
            "Maison Annour (mères et enfants)",
            "Annour House (mothers and children)",
        ),
        "casablanca_settat",
        ("المحمدية", "Mohammedia", "Mohammedia"),
        4,
        0,
        6,
        4,
    ),
    (
        "shelter_tanger",
        ("مركز البوغاز للاستقبال", "Centre d'accueil Al Boughaz", "Al Boughaz Reception Centre"),
        "tanger_tetouan_al_hoceima",
        ("طنجة", "Tanger", "Tangier"),
        8,
        6,
        4,
        0,
    ),
    (
        "ngo_nour",
        ("شقة العبور نور", "Appartement relais Nour", "Nour transit flat"),
        "casablanca_settat",
        ("الدار البيضاء", "Casablanca", "Casablanca"),
        3,
        0,
        0,
        0,
    ),
]

# Where each owner's victims are referred, per service (closest provider first).
BY_REGION = {
    "casablanca_settat": {
        "shelter": "shelter_casa",
        "psychosocial": "ngo_nour",
        "legal_aid": "bar_casa",
    },
    "tanger_tetouan_al_hoceima": {
        "shelter": "shelter_tanger",
        "psychosocial": "ngo_amal",
        "medical": "ngo_amal",
    },
    "oriental": {
        "psychosocial": "ngo_karama",
        "medical": "health_oujda",
        "legal_aid": "ngo_karama",
    },
    "souss_massa": {"livelihood": "ngo_tiwizi", "reintegration": "ngo_tiwizi"},
    "marrakech_safi": {"legal_aid": "ngo_insaf"},
}
FALLBACK = {"shelter": "shelter_casa", "psychosocial": "ngo_nour", "legal_aid": "ngo_nour"}

REASONS = [
    "Besoin d'un hébergement sûr après sa sortie du lieu d'exploitation.",
    "تحتاج إلى دعم نفسي بعد الاستماع إليها من طرف الشرطة.",
    "Accompagnement juridique pour la constitution de partie civile.",
    "تحتاج إلى متابعة طبية وإلى ترجمة إلى الإنجليزية.",
    "Souhaite rentrer dans son pays ; documents de voyage à établir avec le consulat.",
]
SESSION_NOTES = [
    "جلسة فردية؛ تحسن النوم واستئناف التواصل مع الأسرة.",
    "جلسة دعم نفسي جماعية.",
    "Consultation juridique : explication de la procédure et des droits de la victime.",
    "",
]
GOALS = [
    "Obtenir une pièce d'identité et un titre de séjour provisoire.",
    "متابعة العلاج النفسي لمدة ثلاثة أشهر.",
    "Formation professionnelle en couture (Entraide nationale).",
    "إعادة التواصل مع الأسرة.",
]
WEIGHTS = [
    (ReferralStatus.DONE, 45),
    (ReferralStatus.ACCEPTED, 14),
    (ReferralStatus.REJECTED, 14),
    (ReferralStatus.REVOKED, 5),
    (ReferralStatus.IN_PROGRESS, 8),
]
REJECTIONS = ["no_capacity", "no_capacity", "not_eligible", "not_offered", "person_declined"]
SUPPORT_GIVERS = ["commission", "ministry_justice", "commune_tanger"]
SUPPORT_RECEIVERS = [
    "ngo_nour",
    "ngo_karama",
    "ngo_amal",
    "ngo_tiwizi",
    "ngo_insaf",
    "shelter_casa",
    "shelter_tanger",
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


def load(orgs, users, codes, anchor, rng) -> dict[str, int]:
    today = min(anchor, timezone.localdate())
    start = today - datetime.timedelta(days=730)
    counts = dict.fromkeys(
        [
            "providers",
            "facilities",
            "referrals",
            "stays",
            "sessions",
            "returns",
            "goals",
            "followups",
            "ngo_support",
        ],
        0,
    )
    facilities = _providers(orgs, codes, counts)
    staff = _staff(orgs)
    key_of = {o.pk: k for k, o in orgs.items()}
    dossiers = list(
        Dossier.objects.with_stage()
        .filter(stage__in=[Stage.IDENTIFIED, Stage.ASSISTED, Stage.CLOSED, Stage.PRESUMED])
        .select_related("person", "person__sex", "owner_org", "owner_org__region")
        .prefetch_related("person__citizenships")
        .order_by("pk")
    )
    status_pool = [s for s, w in WEIGHTS for _ in range(w)]
    for d in dossiers:
        if rng.random() > 0.55:
            continue
        owner_key = key_of.get(d.owner_org_id)
        sender = staff.get(d.owner_org_id)
        if sender is None or owner_key is None:
            continue
        region = d.owner_org.region.code if d.owner_org.region_id else ""
        services = ["psychosocial"]
        if rng.random() < 0.45:
            services.append("shelter")
        if rng.random() < 0.3:
            services.append("legal_aid")
        foreign = [c.code for c in d.person.citizenships.all() if c.code != "MA"]
        if foreign and rng.random() < 0.5:
            services.append("return")
        first_day = max(d.opened_on, start)
        if first_day >= today:
            continue
        for service in services:
            target = (
                "oimp"
                if service == "return"
                else BY_REGION.get(region, {}).get(service) or FALLBACK.get(service)
            )
            if target is None or orgs[target].pk == d.owner_org_id:
                continue
            span = (today - first_day).days
            sent_on = first_day + datetime.timedelta(days=rng.randint(0, max(span, 0)))
            status = rng.choice(status_pool)
            if (today - sent_on).days < 3 and status == ReferralStatus.DONE:
                status = ReferralStatus.ACCEPTED
            # Old referrals are answered and closed: open ones are recent.
            if status == ReferralStatus.ACCEPTED and (today - sent_on).days > 120:
                status = ReferralStatus.DONE
            if status == ReferralStatus.IN_PROGRESS and (today - sent_on).days > 14:
                status = ReferralStatus.REVOKED
            _refer(
                d,
                orgs,
                orgs[target],
                service,
                sent_on,
                status,
                sender,
                staff,
                facilities,
                foreign,
                codes,
                today,
                rng,
                counts,
            )
    _demo_user_referrals(orgs, users, staff, facilities, codes, today, rng, counts)
    _support(orgs, users, start, today, rng, counts)
    return counts


def _refer(
    d,
    orgs,
    to_org,
    service,
    sent_on,
    status,
    sender,
    staff,
    facilities,
    foreign,
    codes,
    today,
    rng,
    counts,
    overdue=False,
    admit=None,
):
    """One referral and what follows it; ``admit`` forces (True) or refuses (False) a shelter
    admission of an accepted referral, else it is drawn (70 %)."""
    person = d.person
    child = person.is_child_on(sent_on)
    consent = None if child else _consents(person, d.owner_org, sender, sent_on)
    sent_at = _at(sent_on, rng.randint(8, 17))
    if overdue:
        sent_at = timezone.now() - datetime.timedelta(hours=60)
    to_key = next((k for k, o in orgs.items() if o.pk == to_org.pk), None)
    facility = None
    if service == "shelter" and facilities.get(to_key):
        facility = rng.choice(facilities[to_key])
    answer_at = sent_at + datetime.timedelta(hours=rng.choice([2, 5, 20, 30, 70]))
    if answer_at > timezone.now():
        answer_at = timezone.now()
    r = Referral.objects.create(
        dossier=d,
        from_org=d.owner_org,
        to_org=to_org,
        service=service,
        facility=facility,
        reason=rng.choice(REASONS),
        urgent=rng.random() < 0.15,
        status=status,
        consent=consent,
        is_child=child,
        guardian="Tuteur désigné par le juge des mineurs" if child else "",
        sent_by=sender,
        sent_at=sent_at,
    )
    receiver = staff.get(to_org.pk)
    if status != ReferralStatus.IN_PROGRESS and status != ReferralStatus.REVOKED:
        r.answered_by = receiver
        if status == ReferralStatus.REJECTED:
            r.rejected_at = answer_at
            r.rejection_reason = rng.choice(REJECTIONS)
        else:
            r.accepted_at = answer_at
    ended = None
    if status == ReferralStatus.REVOKED:
        r.revoked_at = ended = answer_at
    elif status == ReferralStatus.REJECTED:
        ended = answer_at
    grant = AccessGrant.objects.create(
        dossier=d,
        organisation=to_org,
        with_identity=True,
        reason=f"Referral ({service})",
        source="",
        granted_by=sender,
        starts_at=sent_at,
    )
    AccessGrant.objects.filter(pk=grant.pk).update(source=f"{access.REFERRAL_SOURCE}{r.pk}")
    r.grant = grant
    counts["referrals"] += 1
    stay = None
    if status in (ReferralStatus.ACCEPTED, ReferralStatus.DONE) and receiver is not None:
        admitted = (r.accepted_at + datetime.timedelta(days=1)).date()
        if service == "shelter" and facility is not None and admitted <= today:
            drawn = rng.random() < 0.7 if admit is None else admit
            if status == ReferralStatus.DONE or drawn:  # else: waiting list
                stay = _stay(r, facility, child, admitted, status, receiver, today, rng, counts)
            if status == ReferralStatus.DONE and stay is None:
                status = r.status = ReferralStatus.REJECTED
                r.rejected_at, r.accepted_at = r.accepted_at, None
                r.rejection_reason = "no_capacity"
                ended = r.rejected_at
        elif service == "return":
            dest = foreign[0] if foreign else "NG"
            ReturnAssistance.objects.create(
                dossier=d,
                organisation=to_org,
                destination=codes("country", dest),
                partner=orgs.get(
                    {"NG": "consulate_ng", "CI": "consulate_ci", "PH": "consulate_ph"}.get(
                        dest, "oimp"
                    )
                ),
                travel_on=min(admitted + datetime.timedelta(days=rng.randint(10, 60)), today),
                reintegration_followup="Suivi de réintégration par le bureau pays (3 mois)."
                if status == ReferralStatus.DONE
                else "",
                given_by=receiver,
            )
            counts["returns"] += 1
        else:
            for i in range(rng.randint(1, 4)):
                on = admitted + datetime.timedelta(days=7 * i)
                if on > today:
                    break
                ServiceRecord.objects.create(
                    dossier=d,
                    organisation=to_org,
                    kind=service if service != "shelter" else "psychosocial",
                    on=on,
                    given_by=receiver,
                    note=rng.choice(SESSION_NOTES),
                )
                counts["sessions"] += 1
    if status == ReferralStatus.DONE:
        done = r.accepted_at + datetime.timedelta(days=rng.randint(20, 120))
        if stay is not None and stay.discharged_on:
            done = max(done, _at(stay.discharged_on, 16))
        r.done_at = ended = min(done, timezone.now())
    r.save()
    if ended is not None:
        AccessGrant.objects.filter(pk=grant.pk).update(revoked_at=ended)
    return r


def _stay(r, facility, child, admitted, status, user, today, rng, counts):
    group = _bed_group(r.dossier.person, child, facility)
    if group is None:
        return None
    discharged = None
    if status == ReferralStatus.DONE:
        discharged = min(admitted + datetime.timedelta(days=rng.randint(5, 90)), today)
    # a bed of the group must be free every night of the stay (the first night suffices for
    # the demo's ordered data; checked again on the last)
    for day in {admitted, discharged or today}:
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
        discharge_reason=rng.choice(["plan_completed", "returned", "moved", "left"])
        if discharged
        else "",
        recorded_by=user,
    )
    counts["stays"] += 1
    return stay


def _demo_user_referrals(orgs, users, staff, facilities, codes, today, rng, counts):
    """Open referrals for the demo shelter manager and caseworker (two past their limit),
    plan goals and follow-ups on the caseworker's dossiers."""
    nour = orgs["ngo_nour"]
    casa = orgs["shelter_casa"]
    base = Dossier.objects.with_stage().filter(
        stage__in=[Stage.IDENTIFIED, Stage.ASSISTED, Stage.PRESUMED]
    )
    busy = set(
        Referral.objects.filter(status__in=["in_progress", "accepted"]).values_list(
            "dossier_id", "to_org_id"
        )
    )
    to_shelter = [
        d
        for d in base.exclude(owner_org=casa)
        .select_related("person", "person__sex", "owner_org")
        .order_by("-opened_on")[:40]
        if (d.pk, casa.pk) not in busy and staff.get(d.owner_org_id)
    ]
    # two waiting for an answer (one overdue), one accepted and admitted, one accepted and on
    # the waiting list; the accepted ones sent early enough to be answered days ago, whatever
    # the hour the demo is loaded
    for i, d in enumerate(to_shelter[:4]):
        status = ReferralStatus.IN_PROGRESS if i < 2 else ReferralStatus.ACCEPTED
        _refer(
            d,
            orgs,
            casa,
            "shelter",
            today - datetime.timedelta(days=i if i < 2 else i + 3),
            status,
            staff[d.owner_org_id],
            staff,
            facilities,
            [],
            codes,
            today,
            rng,
            counts,
            overdue=(i == 0),
            admit=(i == 2) if i >= 2 else None,
        )
    to_nour = [
        d
        for d in base.exclude(owner_org=nour)
        .select_related("person", "person__sex", "owner_org")
        .order_by("opened_on")[:40]
        if (d.pk, nour.pk) not in busy and staff.get(d.owner_org_id)
    ]
    for i, d in enumerate(to_nour[:3]):
        _refer(
            d,
            orgs,
            nour,
            "psychosocial",
            today - datetime.timedelta(days=i),
            ReferralStatus.IN_PROGRESS if i < 2 else ReferralStatus.ACCEPTED,
            staff[d.owner_org_id],
            staff,
            facilities,
            [],
            codes,
            today,
            rng,
            counts,
            overdue=(i == 1),
        )
    caseworker = users["caseworker"]
    own = list(base.filter(owner_org=nour).order_by("-opened_on")[:8])
    for i, d in enumerate(own):
        for g in range(rng.randint(1, 3)):
            SupportGoal.objects.create(
                dossier=d,
                organisation=nour,
                goal=GOALS[(i + g) % len(GOALS)],
                status=rng.choice(list(GoalStatus.values)),
                target_on=today + datetime.timedelta(days=rng.randint(-30, 120)),
                created_by=caseworker,
            )
            counts["goals"] += 1
        FollowUp.objects.create(
            dossier=d,
            organisation=nour,
            due_on=today + datetime.timedelta(days=i - 2),
            purpose="Appel de suivi" if i % 2 else "Visite à domicile",
            created_by=caseworker,
        )
        counts["followups"] += 1


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
