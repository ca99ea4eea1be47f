"""The demo's identification decisions and non-punishment alerts, added to the loaded dossiers
through the actions (audited and validated like real work).

Decisions follow each dossier's stage history: a dossier owned by a deciding organisation gets
"possible victim" on the day it became a presumed victim, "actual victim" on the day it was
identified, "not a victim" on the day it ended so. They are recorded after the history, through
the ordinary ``record_decision``: a decision whose stage the dossier has already reached (or
passed) writes no stage event, so the stage history stays exactly the plan's (the loader's
determinism test compares it). A dossier that ended "not a victim" gets only its negative
decision, since a positive one would take it back to "presumed". For the same reason the demo's
reviews uphold negative decisions; a review that overturns one moves the stage and is tried in
the browser.

Offences charged against victims in the regions of Tangier and Casablanca raise alerts to
parquet_tanger and parquet_casa; some are resolved with each outcome, and some stay open: at
least two for the demo prosecutor (parquet_tanger) and one on a dossier of the demo caseworker
(ngo_nour), whenever the plan holds such dossiers."""

import datetime

from django.conf import settings
from django.utils import timezone

from himaya.accounts.models import Membership
from himaya.cases.actions import record_decision, record_offence, resolve_alert
from himaya.cases.models import (
    OFFENCE_STAGES,
    Dossier,
    NonPunishmentAlert,
    OffenceCharge,
    Stage,
    StageEvent,
)
from himaya.core import access

DECISION_SHARE = 0.85  # the others still wait for their formal decision
REVIEWS = 3
OFFENCES = 15

REASONS = {
    "possible": [
        "Indicateurs forts de recrutement trompeur et de confiscation des documents "
        "(guide d'identification, grille adultes).",
        "مؤشرات قوية على الاستغلال والإكراه في مكان العمل؛ تم إشعار النيابة العامة.",
        "مؤشرات قوية على الإكراه في بلد المقصد وعلى عبودية الدين.",
    ],
    "actual": [
        "Audition de la victime et constatations de l'enquête : les éléments de l'acte, du "
        "moyen et du but d'exploitation sont réunis.",
        "ثبوت عناصر الاتجار بالبشر (الفعل والوسيلة والغرض) بعد البحث التمهيدي.",
        "أثبت البحث الفعل والوسيلة والغرض؛ تم إخبار الضحية.",
    ],
    "not_victim": [
        "Après audition, aucun indicateur de traite : situation de travail irrégulier sans "
        "contrainte.",
        "بعد الاستماع والتحري، لا توجد مؤشرات على الاتجار بالبشر.",
    ],
    "review": [
        "Réexamen après audition complémentaire : la décision négative est confirmée.",
        "أعيد فحص القرار بعد معطيات جديدة؛ تم تأكيد القرار السابق.",
    ],
}

# The offence most often charged against a victim of each form (DOMAIN.md §1).
OFFENCE_BY_FORM = {
    "sexual": "prostitution",
    "begging": "begging",
    "criminality": "forced_criminality",
}
REGIONS = {"tanger_tetouan_al_hoceima": "parquet_tanger", "casablanca_settat": "parquet_casa"}
COURTS = {
    "tanger_tetouan_al_hoceima": "المحكمة الابتدائية بطنجة",
    "casablanca_settat": "المحكمة الابتدائية بالدار البيضاء",
}
OUTCOMES = ["non_punishment", "charges_dropped", "convicted", "other", "non_punishment"]
OUTCOME_NOTES = [
    "Poursuite maintenue pour séjour irrégulier malgré l'alerte ; recours en cours.",
    "تم حفظ الملف في انتظار نتائج البحث في قضية الاتجار.",
]


def _at(day):
    # never later than now: "today" may have only just begun
    return min(
        timezone.make_aware(datetime.datetime.combine(day, datetime.time(11))), timezone.now()
    )


def _members(users):
    """Victim-handling demo users by organisation id, in a stable order."""
    by_org = {}
    ids = {u.pk: u for u in users.values()}
    rows = Membership.objects.filter(
        user_id__in=ids, active=True, role__in=access.VICTIM_ROLES
    ).order_by("user__username")
    for m in rows:
        by_org.setdefault(m.organisation_id, []).append(ids[m.user_id])
    return by_org


def _decisions(codes, today, rng, counts):
    """Decisions matching each deciding-organisation dossier's stage history."""
    deciding = settings.HIMAYA_DECIDING_ORG_TYPES
    dossiers = (
        Dossier.objects.filter(owner_org__type__code__in=deciding)
        .select_related("owner_org__type")
        .order_by("id")
    )
    events = {}
    for e in (
        StageEvent.objects.filter(dossier__in=dossiers).select_related("actor").order_by("on", "id")
    ):
        events.setdefault(e.dossier_id, []).append(e)
    negatives = []
    for dossier in dossiers:
        history = events.get(dossier.pk, [])
        final = history[-1].stage if history else None
        if rng.random() > DECISION_SHARE:
            continue
        for event in history:
            if event.stage == Stage.PRESUMED and final != Stage.NOT_VICTIM:
                value = "possible"
            elif event.stage == Stage.IDENTIFIED:
                value = "actual"
            elif event.stage == Stage.NOT_VICTIM:
                value = "not_victim"
            else:
                continue
            decision = record_decision(
                dossier,
                acting_user=event.actor,
                organisation=dossier.owner_org,
                status=codes("trafficking_status", value),
                decided_on=min(event.on, today),
                reasons=rng.choice(REASONS[value]),
            )
            counts["decisions"] += 1
            if value == "not_victim":
                negatives.append((dossier, decision, event.actor))
    for dossier, decision, actor in rng.sample(negatives, k=min(REVIEWS, len(negatives))):
        later = decision.decided_on + datetime.timedelta(days=rng.randint(10, 40))
        record_decision(
            dossier,
            acting_user=actor,
            organisation=dossier.owner_org,
            status=codes("trafficking_status", "not_victim"),
            decided_on=min(later, today),
            reasons=rng.choice(REASONS["review"]),
            reviews=decision,
        )
        counts["decisions"] += 1
        counts["reviews"] += 1


def _candidates(orgs, users):
    """Dossiers at an offence stage in the two regions, with a member of the owner to record
    the offence: (dossier, recorder, day it became a presumed or identified victim)."""
    members = _members(users)
    regions = {orgs[key].region_id: region for region, key in REGIONS.items()}
    found = []
    dossiers = (
        Dossier.objects.filter(stage__in=OFFENCE_STAGES, exploitation_region_id__in=regions)
        .select_related("exploitation_region", "caseworker")
        .prefetch_related("forms")
        .order_by("id")
    )
    for d in dossiers:
        staff = members.get(d.owner_org_id)
        if not staff:
            continue
        recorder = d.caseworker if d.caseworker in staff else staff[0]
        reached = (
            d.events.filter(stage__in=[Stage.PRESUMED, Stage.IDENTIFIED])
            .order_by("on", "id")
            .values_list("on", flat=True)
            .first()
        )
        found.append((d, recorder, reached or d.opened_on))
    return found


def _offence_type(dossier, rng):
    forms = {f.code for f in dossier.forms.all()}
    for form, offence in OFFENCE_BY_FORM.items():
        if form in forms and rng.random() < 0.7:
            return offence
    return rng.choice(["irregular_entry_stay", "irregular_entry_stay", "document_fraud"])


def _offences(orgs, users, today, rng, counts):
    candidates = _candidates(orgs, users)
    if not candidates:
        return
    caseworker = users.get("caseworker")
    tanger = orgs["parquet_tanger"].region_id
    # Kept open: two for the demo prosecutor, one on a dossier of the demo caseworker.
    # The most recent ones: an alert left open for years is what the alerts exist to prevent.
    recent = sorted(candidates, key=lambda c: c[2], reverse=True)
    must = [c for c in recent if c[0].exploitation_region_id == tanger][:2]
    must += [c for c in recent if c[0].caseworker == caseworker and c[1] == caseworker][:1]
    rest = [c for c in candidates if c not in must]
    chosen = must + rng.sample(rest, k=min(max(0, OFFENCES - len(must)), len(rest)))
    for i, (dossier, recorder, reached) in enumerate(chosen):
        region = dossier.exploitation_region
        charged = min(today, reached + datetime.timedelta(days=rng.randint(0, 20)))
        raised = min(today, charged + datetime.timedelta(days=rng.randint(0, 10)))
        in_himaya = rng.random() < 0.5
        offence, alert = record_offence(
            dossier,
            acting_user=recorder,
            organisation=dossier.owner_org,
            offence_type=_offence_type(dossier, rng),
            charged_on=charged,
            authority=orgs[REGIONS[region.code]] if in_himaya else None,
            authority_other="" if in_himaya else COURTS[region.code],
        )
        # The alert was raised on the day the offence was recorded (a demo artefact).
        OffenceCharge.objects.filter(pk=offence.pk).update(recorded_at=_at(raised))
        NonPunishmentAlert.objects.filter(pk=alert.pk).update(raised_at=_at(raised))
        alert.refresh_from_db()
        counts["offences"] += 1
        age = (today - raised).days
        if i < len(must) or age < 15 or (age < 120 and rng.random() < 0.5):
            continue  # still open
        resolver = users[
            "prosecutor" if REGIONS[region.code] == "parquet_tanger" else "staff.parquet_casa"
        ]
        outcome = OUTCOMES[counts["resolved"] % len(OUTCOMES)]
        resolve_alert(
            alert,
            acting_user=resolver,
            outcome=outcome,
            resolved_on=min(today, raised + datetime.timedelta(days=rng.randint(5, 60))),
            note=rng.choice(OUTCOME_NOTES) if outcome == "other" else "",
        )
        counts["resolved"] += 1


def load(orgs, users, codes, anchor, rng) -> dict[str, int]:
    """Add decisions, reviews, offences and alerts to the loaded demo dossiers; returns the
    counts. ``orgs`` and ``users`` are keyed as in demo.data; ``codes`` is loader.Codes."""
    today = min(anchor, timezone.localdate())
    counts = {"decisions": 0, "reviews": 0, "offences": 0, "resolved": 0}
    _decisions(codes, today, rng, counts)
    _offences(orgs, users, today, rng, counts)
    counts["open_alerts"] = counts["offences"] - counts["resolved"]
    return counts
