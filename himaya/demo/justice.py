"""The demo's criminal-justice chain, written through the justice actions (validated and
audited like real work): about 60 investigations over two years by the police of Tangier and
Casablanca and the gendarmerie of Nador, linked to their own victims' dossiers; suspects (some
public officials, one with diplomatic immunity), arrests, detentions and releases; most
investigations transferred to the prosecution of Tangier or Casablanca, which charge the
suspects under the forms of the case, and courts' decisions with sentences for the older ones.
A few proceedings are left without any event for more than HIMAYA_STALLED_MONTHS months, so
that the stalled alert and the commission's list of officials have rows.

Visible to the demo users "police" (police_tanger) and "prosecutor" (parquet_tanger); the
colleagues staff.police_casa, staff.gendarmerie_nador and staff.parquet_casa act for the
others."""

import datetime
import random
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from himaya.cases.models import Dossier
from himaya.justice import actions as ja
from himaya.justice.models import Investigation, Prosecution

INVESTIGATIONS = 60
# (investigating org, its investigator, prosecution office, its prosecutor, court)
UNITS = [
    ("police_tanger", "police", "parquet_tanger", "prosecutor", "court_tanger"),
    ("police_casa", "staff.police_casa", "parquet_casa", "staff.parquet_casa", "court_casa"),
    (
        "gendarmerie_nador",
        "staff.gendarmerie_nador",
        "parquet_tanger",
        "prosecutor",
        "court_tanger",
    ),
]
WEIGHTS = [0.45, 0.35, 0.2]

GIVEN = [
    ("يوسف", "Youssef"),
    ("حميد", "Hamid"),
    ("مصطفى", "Mustapha"),
    ("رشيد", "Rachid"),
    ("عبد الله", "Abdellah"),
    ("نعيمة", "Naima"),
    ("خالد", "Khalid"),
    ("إدريس", "Driss"),
    ("سميرة", "Samira"),
    ("", "Chinedu"),
    ("", "Moussa"),
    ("", "Ibrahima"),
]
FAMILY = [
    ("العلوي", "Alaoui"),
    ("بناني", "Bennani"),
    ("الإدريسي", "Idrissi"),
    ("الفاسي", "El Fassi"),
    ("التازي", "Tazi"),
    ("الحسني", "Hassani"),
    ("", "Okafor"),
    ("", "Diallo"),
    ("", "Traoré"),
]
CITIZENSHIPS = ["MA", "MA", "MA", "MA", "NG", "SN", "ML", "CI", "ES"]
ROLES = ["recruiter", "exploiter", "transporter", "broker", "exploiter", "abuser"]
# An official's body: its kind (a code, read in each reader's language) and the body as the
# police typed it, in Arabic (as many as before, so the demo draws the same numbers).
BODIES = [
    ("local_authority", "قيادة بني مكادة، عون سلطة"),
    ("police", "المديرية العامة للأمن الوطني، الدائرة الأمنية درب السلطان"),
    ("customs", "إدارة الجمارك، ميناء طنجة المتوسط"),
    ("gendarmerie", "سرية الدرك الملكي بالفنيدق"),
]
# Where an arrest took place, as the police typed it.
PLACES = [
    "طنجة، بني مكادة",
    "الدار البيضاء، درب السلطان",
    "ميناء الناظور",
    "الفنيدق",
    "طنجة المدينة",
]
# Article most often charged for each form (the form is what the figures count).
ARTICLE_BY_FORM = {
    "sexual": ["448.1", "448.2", "498"],
    "begging": ["448.1", "327"],
    "labour": ["448.1", "448.2", "labour.10"],
    "domestic_servitude": ["448.1", "448.2"],
    "criminality": ["448.1"],
    "child_labour": ["448.1", "448.4"],
}
FALLBACK_FORMS = ["sexual", "labour", "begging", "domestic_servitude"]


def _day(start, today, rng, low, high):
    """A day ``low``..``high`` days after ``start``, never after ``today``."""
    return min(today, start + datetime.timedelta(days=rng.randint(low, high)))


def _suspect_fields(rng, codes, official, immunity):
    g_ar, g_lat = rng.choice(GIVEN)
    f_ar, f_lat = rng.choice(FAMILY)
    born = rng.randint(1960, 2000)
    fields = {
        "given_name_ar": g_ar,
        "family_name_ar": f_ar if g_ar else "",
        "given_name_lat": g_lat,
        "family_name_lat": f_lat,
        "sex": codes("sex", "female" if g_lat in ("Naima", "Samira") else "male"),
        "birth_date": datetime.date(born, 1, 1),
        "birth_date_precision": "year",
        "citizenship": codes("country", rng.choice(CITIZENSHIPS)),
        "role_in_process": codes("role_in_process", rng.choice(ROLES)),
        "public_official": official,
        "diplomatic_immunity": immunity,
    }
    if official:  # drawn last, as before: the rest of the demo stays the same
        kind, fields["official_body"] = rng.choice(BODIES)
        fields["official_body_type"] = codes("public_body", kind)
    return fields


@dataclass
class _Run:
    """What the steps share: the loaded accounts and organisations, the code lists, the part's
    generator, the counts, and the two facts carried from one investigation to the next."""

    orgs: dict
    users: dict
    codes: object
    today: datetime.date
    rng: random.Random
    counts: dict
    immunity_given: bool = False
    sentenced: int = 0


def load(orgs, users, codes, anchor, rng) -> dict[str, int]:
    """Add the justice records; returns their counts. ``orgs`` and ``users`` are keyed as in
    demo.data; ``codes`` is loader.Codes."""
    today = min(anchor, timezone.localdate())
    stalled_days = settings.HIMAYA_STALLED_MONTHS * 31 + 20
    counts = dict.fromkeys(
        ["investigations", "suspects", "arrests", "prosecutions", "charges", "court decisions"], 0
    )
    counts["appeals"] = 0
    run = _Run(orgs, users, codes, today, rng, counts)
    for i in range(INVESTIGATIONS):
        _investigation(run, i, stalled_days)
    counts["stalled_investigations"] = len(Investigation.objects.stalled(today))
    counts["stalled_prosecutions"] = len(Prosecution.objects.stalled(today))
    return counts


def _investigation(run, i, stalled_days):
    """One investigation, from its opening to its prosecutions' judgments."""
    rng, today = run.rng, run.today
    org_key, inv_user, office_key, pros_user, court_key = rng.choices(UNITS, WEIGHTS)[0]
    investigator, prosecutor = run.users[inv_user], run.users[pros_user]
    # Every tenth investigation is left as it was opened, long ago: it is stalled.
    left_alone = i % 10 == 3
    oldest = stalled_days + 10 if left_alone else 20
    opened = today - datetime.timedelta(days=rng.randint(oldest, 730))
    inv, forms = _open(run, investigator, run.orgs[org_key], opened)
    if left_alone:
        return
    suspects = [
        _suspect(run, inv, investigator, opened, i) for _n in range(rng.choice([1, 1, 2, 2, 3]))
    ]
    last = max(inv.last_event_on, *(s.links.get(investigation=inv).added_on for s in suspects))
    age = (today - opened).days
    if age < 60:
        return  # still under investigation
    if rng.random() < 0.15:
        ja.close_investigation(inv, acting_user=investigator, on=_day(last, today, rng, 30, 200))
        return  # closed without prosecution
    transferred = _day(last, today, rng, 10, 60)
    office = run.orgs[office_key]
    ja.transfer_investigation(inv, acting_user=investigator, office=office, on=transferred)
    for suspect in suspects:
        if rng.random() < 0.15:
            continue  # not prosecuted
        _prosecute(run, inv, suspect, prosecutor, office, run.orgs[court_key], transferred, forms)


def _open(run, investigator, org, opened):
    """The investigation, its forms (those of the dossiers it is linked to) and those links."""
    rng = run.rng
    dossiers = list(
        Dossier.objects.with_identity_for(investigator)
        .filter(owner_org=org, opened_on__lte=opened)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    linked = rng.sample(dossiers, k=min(len(dossiers), rng.choice([0, 1, 1, 2])))
    forms = sorted(
        {
            c
            for c in Dossier.objects.filter(pk__in=linked).values_list("forms__code", flat=True)
            if c in ARTICLE_BY_FORM
        }
    ) or [rng.choice(FALLBACK_FORMS)]
    inv = ja.open_investigation(
        acting_user=investigator,
        organisation=org,
        opened_on=opened,
        forms=[run.codes("exploitation_form", f) for f in forms],
    )
    run.counts["investigations"] += 1
    for pk in linked:
        ja.link_dossier(inv, Dossier.objects.get(pk=pk), acting_user=investigator)
    return inv, forms


def _suspect(run, inv, investigator, opened, i):
    """A suspect, most arrested, then detained or released; one official has immunity."""
    rng, today = run.rng, run.today
    official = rng.random() < 0.1
    immunity = not run.immunity_given and i >= 25
    run.immunity_given |= immunity
    added = _day(opened, today, rng, 0, 20)
    suspect = ja.add_suspect(
        inv,
        acting_user=investigator,
        added_on=added,
        **_suspect_fields(rng, run.codes, official, immunity),
    )
    run.counts["suspects"] += 1
    if rng.random() < 0.75:
        arrested = _day(added, today, rng, 0, 30)
        ja.record_suspect_event(
            inv,
            suspect,
            acting_user=investigator,
            kind="arrest",
            on=arrested,
            place=rng.choice(PLACES),
        )
        run.counts["arrests"] += 1
        if rng.random() < 0.5:
            ja.record_suspect_event(
                inv, suspect, acting_user=investigator, kind="detention", on=arrested
            )
        elif rng.random() < 0.3:
            ja.record_suspect_event(
                inv,
                suspect,
                acting_user=investigator,
                kind="release",
                on=_day(arrested, today, rng, 1, 5),
            )
    return suspect


def _prosecute(run, inv, suspect, prosecutor, office, court, transferred, forms):
    """A suspect's prosecution and charges; those started long ago get their judgment, some
    of the others stall."""
    rng, today = run.rng, run.today
    started = _day(transferred, today, rng, 0, 30)
    p = ja.start_prosecution(
        inv, suspect, acting_user=prosecutor, office=office, started_on=started, court=court
    )
    run.counts["prosecutions"] += 1
    charge_forms = rng.sample(forms, k=min(len(forms), rng.choice([1, 1, 2])))
    charges = []
    for form in charge_forms:
        charges.append(
            ja.add_charge(
                p,
                acting_user=prosecutor,
                article=rng.choice(ARTICLE_BY_FORM[form]),
                form=run.codes("exploitation_form", form),
            )
        )
        run.counts["charges"] += 1
    if (today - started).days < 150 or rng.random() < 0.08:
        return
    _judge(run, p, charges, prosecutor, started)


def _judge(run, p, charges, prosecutor, started):
    """One outcome for every charge; the first charge of a conviction is sentenced, and every
    fourth sentence is appealed by the defence."""
    rng, today = run.rng, run.today
    decided = _day(started, today, rng, 90, 300)
    outcome = rng.choices(["convicted", "acquitted", "dismissed"], [0.65, 0.25, 0.1])[0]
    for charge in charges:
        decision = ja.record_decision(
            charge, acting_user=prosecutor, outcome=outcome, decided_on=decided
        )
        run.counts["court decisions"] += 1
        if outcome == "convicted" and charge is charges[0]:
            run.sentenced += 1
            prison = rng.choice([12, 24, 60, 60, 84, 120, 240])
            ja.record_sentence(
                decision,
                acting_user=prosecutor,
                prison_months=prison,
                suspended_months=rng.choice([0, 0, 0, min(12, prison)]),
                fine_mad=rng.choice([None, 10000, 50000, 200000]),
            )
            if run.sentenced % 4 == 1 and (today - decided).days > 20:
                _appeal(run, p, prosecutor, decided)


def _appeal(run, p, prosecutor, decided):
    rng, today = run.rng, run.today
    ja.record_appeal(
        p, acting_user=prosecutor, lodged_on=_day(decided, today, rng, 3, 10), lodged_by="defence"
    )
    run.counts["appeals"] += 1
    appeal = p.appeals.get()
    if (today - appeal.lodged_on).days > 120:
        ja.decide_appeal(
            appeal,
            acting_user=prosecutor,
            outcome=rng.choice(["upheld", "modified"]),
            decided_on=_day(appeal.lodged_on, today, rng, 60, 110),
        )
