"""The caseload's generator: per person, a dossier and what the four pillars record of it.

Each person is drawn by ``Caseload.add_person``, which calls one method per kind of record in a
fixed order: the person, the dossier, how the person came to notice (a hotline report or a
screening), the identification decision, the referral and what followed it, then for victims the
justice records and the non-punishment alert. Every random draw comes from one
``random.Random`` in that order, so a seed gives the same rows; keep the order when changing a
method (a draw moved changes every row after it)."""

import datetime
import random
import time
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from importlib import import_module

from django.db import connection, transaction

from .copying import reset_sequences
from .reference import (
    ARTICLES,
    CALLERS,
    CHANNELS,
    COMMON_FOREIGN,
    FORM_WEIGHTS,
    OFFENCE_TYPES,
    SESSION_KINDS,
    URGENCIES,
    reference_data,
)
from .tables import caseload_tables, has_column

# What the stage triggers of migration cases 0006 compute, for a load that bypasses them.
STAGE_FILL = import_module("himaya.cases.migrations.0006_dossier_stage").FILL

CHUNK = 20_000  # persons per COPY round: bounds memory, one transaction each

# tables whose ids the generator gives (past ``id_offset``)
EXPLICIT_IDS = (
    "hotline_report",
    "screening",
    "referral",
    "investigation",
    "suspect",
    "prosecution",
    "charge",
    "court_decision",
    "offence",
)

DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)


def moment(day, hour):
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.UTC)


@dataclass
class Drawn:
    """What later records of one person depend on."""

    pid: int
    d0: datetime.date  # the day the dossier opens
    hour: int
    made: datetime.datetime
    offset: int  # days since the first day of the six years
    sex: int
    age: int
    owner: int
    foreign: bool = False
    form: int = 0
    status: str = ""
    decided: datetime.date | None = None


@dataclass
class OpenInvestigation:
    """An investigation still taking victims (one to three) in this round."""

    id: int
    victims: list
    org: int
    office: int
    opened: datetime.date
    form: int


class Caseload:
    def __init__(self, ref, rng, year, id_offset):
        from himaya.core import crypto

        self.T = caseload_tables()
        self.r, self.randrange, self.choice = rng.random, rng.randrange, rng.choice
        self.person_same_as = has_column(self.T["person"].model, "same_as_id")
        self.suspect_same_as = has_column(self.T["suspect"].model, "same_as_id")

        # Real ciphertext, a few distinct tokens reused (encrypting 4M names would only time
        # Fernet).
        def tokens(*words):
            return [crypto.encrypt(w) for w in words]

        self.given_ar = tokens("فاطمة", "أمينة", "يوسف", "مريم", "خديجة")
        self.family_ar = tokens("الزهراء", "بناني", "العلوي", "التازي")
        self.given_lat = tokens("Fatima", "Amina", "Youssef", "Mariam", "Grace", "Blessing")
        self.family_lat = tokens("Zahra", "Bennani", "Alaoui", "Okafor", "Diallo")
        self.reason = tokens("Indicateurs réunis lors de l'entretien.")[0]
        self.ref_reason = tokens("Besoin d'hébergement sûr.")[0]
        self.narrative = tokens("Appel signalant une situation d'exploitation.")[0]
        self._codes(ref.code)
        self._organisations(ref)

        self.first_day = datetime.date(year - 5, 1, 1)
        self.span = (datetime.date(year, 12, 31) - self.first_day).days + 1
        self.last_year_start = (datetime.date(year, 1, 1) - self.first_day).days
        self.ids = Counter(dict.fromkeys(EXPLICIT_IDS, id_offset))
        self.prev_dup = False
        self.open_inv = None

    def _codes(self, code):
        self.sex = {s: code[("sex", s)] for s in ("female", "male", "unknown")}
        self.country = {c: code[("country", c)] for c in ["MA", *COMMON_FOREIGN]}
        self.form_codes = [code[("exploitation_form", f)] for f, _w in FORM_WEIGHTS]
        self.form_cum = []
        acc = 0
        for _f, w in FORM_WEIGHTS:
            acc += w
            self.form_cum.append(acc)
        self.form_total = acc
        self.status_code = {
            s: code[("trafficking_status", s)] for s in ("possible", "actual", "not_victim")
        }
        self.decision_org = {
            s: code[("decision_org", s)] for s in ("police", "ngo", "non_police_government")
        }
        self.regions = [pk for (lst, _c), pk in code.items() if lst == "region"]
        self.roles = [pk for (lst, _c), pk in code.items() if lst == "role_in_process"]

    def _organisations(self, ref):
        def pks(key):
            return [o.pk for o in ref.orgs[key]]

        self.police, self.gendarmerie = pks("police"), pks("gendarmerie")
        self.prosecution, self.court, self.ngos = pks("prosecution"), pks("court"), pks("ngo")
        self.io, self.commission = pks("io"), pks("commission")
        self.owners = self.ngos + self.io + pks("shelter")
        self.user_of = {}
        for key, members in ref.orgs.items():
            for o, u in zip(members, ref.users[key], strict=True):
                self.user_of[o.pk] = u
        self.shelter_facilities = [(f.pk, f.organisation_id) for f in ref.facilities]
        self.hotline = ref.orgs["hotline"][0].pk
        self.questionnaires = ref.questionnaires
        self.campaigns_of_year = {}
        for c in ref.campaigns:
            self.campaigns_of_year.setdefault(c.starts_on.year, []).append(c.pk)
        # a screening a few days before the first year falls in a year without campaigns
        first = min(self.campaigns_of_year)
        self.campaigns_of_year.setdefault(first - 1, self.campaigns_of_year[first])

    def next_id(self, table):
        self.ids[table] += 1
        return self.ids[table]

    # --- one person -------------------------------------------------------------------------

    def add_person(self, pid, first_of_round):
        p = self.person(pid, first_of_round)
        self.dossier(p)
        self.notice(p)
        self.decision(p)
        self.referral(p)
        if p.status == "not_victim":
            return
        if self.r() < 0.1:  # ~10% of victims are in an investigation, 1 to 3 victims each
            self.justice(p)
        if self.r() < 0.05:  # ~5% of victims have an offence recorded against them
            self.non_punishment(p)

    def person(self, pid, first_of_round):
        r, randrange, sex = self.r, self.randrange, self.sex
        offset = randrange(self.span)
        d0 = self.first_day + offset * DAY
        hour = 8 + randrange(10)
        u = r()
        sx = sex["female"] if u < 0.6 else sex["male"] if u < 0.97 else sex["unknown"]
        age = randrange(8, 18) if r() < 0.15 else randrange(18, 61)
        p = Drawn(pid, d0, hour, moment(d0, hour), offset, sx, age, owner=0)
        birth = self._birth(d0, age)
        p.owner = self.choice(self.owners)
        # ~1% of records are a second record of the person before, linked as the same.
        same = []
        if self.person_same_as:
            dup = pid > first_of_round and not self.prev_dup and r() < 0.01
            same, self.prev_dup = [pid - 1 if dup else None], dup
        choice = self.choice
        self.T["person"].add(
            pid,
            choice(self.given_ar),
            choice(self.family_ar),
            choice(self.given_lat),
            choice(self.family_lat),
            sx,
            *birth,
            p.owner,
            p.made,
            p.made,
            *same,
        )
        u = r()
        if u < 0.7:
            self.T["citizenship"].add(pid, self.country["MA"])
        elif u < 0.95:
            self.T["citizenship"].add(pid, self.country[choice(COMMON_FOREIGN)])
            p.foreign = True
        return p

    def _birth(self, d0, age):
        """(birth date, its precision, estimated age, estimated on)."""
        u = self.r()
        if u < 0.6:
            return d0 - (age * 365 + self.randrange(365)) * DAY, "exact", None, None
        if u < 0.75:
            return datetime.date(d0.year - age, 1, 1), "year", None, None
        if u < 0.9:
            return None, "estimated", age, d0
        return None, "unknown", None, None

    def dossier(self, p):
        r, did = self.r, p.pid
        worker = self.user_of[p.owner]
        self.T["dossier"].add(did, f"B-{did:08d}", p.pid, p.owner, worker, p.d0, p.made, p.made)
        pick = r() * self.form_total
        p.form = next(f for f, c in zip(self.form_codes, self.form_cum, strict=True) if pick < c)
        self.T["dossier_forms"].add(did, p.form)
        if r() < 0.15:
            other = self.choice(self.form_codes)
            if other != p.form:
                self.T["dossier_forms"].add(did, other)

    def notice(self, p):
        """How the person came to notice: a hotline report (~20%), a screening (~50%)."""
        u = self.r()
        if u < 0.2:
            self.hotline_report(p)
        elif u < 0.7:
            self.screening(p)

    def hotline_report(self, p):
        randrange, choice, hotline = self.randrange, self.choice, self.hotline
        hid = self.next_id("hotline_report")
        received = p.made - randrange(1, 20) * DAY
        triaged = received + randrange(1, 48) * HOUR if self.r() < 0.95 else None
        operator = self.user_of[hotline]
        self.T["hotline_report"].add(
            hid,
            f"HB-{hid:08d}",
            choice(CHANNELS),
            received,
            hotline,
            operator,
            choice(CALLERS),
            choice(self.regions),
            choice(URGENCIES),
            self.narrative,
            "triaged" if triaged else "untriaged",
            "open_dossier" if triaged else "",
            triaged,
            operator if triaged else None,
            hotline if triaged else None,
            p.pid if triaged else None,
            received,
            received,
        )
        self.T["hotline_report_forms"].add(hid, p.form)

    def screening(self, p):
        randrange, choice = self.randrange, self.choice
        scid = self.next_id("screening")
        screened = p.d0 - randrange(0, 10) * DAY
        campaign = None
        if self.r() < 0.3:
            campaign = self.campaigns_of_year[screened.year][randrange(4)]
        at = moment(screened, p.hour)
        self.T["screening"].add(
            scid,
            f"SB-{scid:08d}",
            choice(self.questionnaires),
            p.owner,
            self.user_of[p.owner],
            screened,
            choice(self.regions),
            campaign,
            p.pid,
            p.pid,
            "submitted",
            at,
            "strong" if self.r() < 0.6 else "possible",
            at,
            at,
        )

    def decision(self, p):
        """The identification decision, and the stage it moves the dossier to."""
        r = self.r
        u = r()
        p.status = "possible" if u < 0.4 else "actual" if u < 0.9 else "not_victim"
        p.decided = p.d0 + self.randrange(0, 45) * DAY
        kind = r()
        if kind < 0.3:
            dorg, dtype = self.choice(self.police), self.decision_org["police"]
        elif kind < 0.85:
            dorg, dtype = p.owner, self.decision_org["ngo"]
        else:
            dorg, dtype = self.commission[0], self.decision_org["non_police_government"]
        at = moment(p.decided, p.hour)
        self.T["decision"].add(
            p.pid,
            self.status_code[p.status],
            p.decided,
            dorg,
            dtype,
            self.reason,
            self.user_of[dorg],
            at,
        )
        stage = {"possible": "presumed", "actual": "identified"}.get(p.status, "not_victim")
        self.T["stage"].add(p.pid, stage, p.decided, self.user_of[dorg], dorg, at)

    def referral(self, p):
        """A referral to a shelter or an NGO, then a stay or a session, and for some foreign
        victims a return."""
        r, randrange, choice = self.r, self.randrange, self.choice
        rid = self.next_id("referral")
        sent = moment(p.decided + randrange(0, 20) * DAY, p.hour)
        is_child = p.age < 18
        shelter = r() < 0.3
        if shelter:
            fac, to_org = choice(self.shelter_facilities)
            service = "shelter"
        else:
            fac, to_org = None, choice(self.ngos)
            service = choice(SESSION_KINDS)
        status, acc_at, rej_at, done_at, rej_reason = self._answer(sent)
        self.T["referral"].add(
            rid,
            p.pid,
            p.owner,
            to_org,
            service,
            fac,
            self.ref_reason,
            r() < 0.1,
            status,
            is_child,
            self.user_of[p.owner],
            sent,
            self.user_of[to_org] if (acc_at or rej_at) else None,
            acc_at,
            rej_at,
            done_at,
            rej_reason,
        )
        served = sent.date() + randrange(1, 10) * DAY
        if shelter and acc_at:
            self._stay(p, fac, to_org, rid, served, is_child)
        else:
            org = to_org if acc_at else p.owner
            self.T["session"].add(
                p.pid, org, choice(SESSION_KINDS), served, self.user_of[org], p.made
            )
        if p.foreign and r() < 0.1:
            io = self.io
            self.T["return"].add(
                p.pid,
                choice(io),
                self.country[choice(COMMON_FOREIGN)],
                served + randrange(30, 200) * DAY,
                self.user_of[io[0]],
            )

    def _answer(self, sent):
        """(status, accepted at, rejected at, done at, rejection reason) of a referral."""
        u = self.r()
        answered = sent + self.randrange(1, 96) * HOUR
        if u < 0.55:
            return "done", answered, None, answered + self.randrange(5, 90) * DAY, ""
        if u < 0.8:
            return "accepted", answered, None, None, ""
        if u < 0.9:
            return "rejected", None, answered, None, "no_capacity"
        if u < 0.97:
            return "in_progress", None, None, None, ""
        return "revoked", None, None, None, ""

    def _stay(self, p, fac, to_org, rid, served, is_child):
        if p.offset >= self.last_year_start and self.r() < 0.3:
            out, why = None, ""  # still in the shelter
        else:
            out, why = served + self.randrange(3, 180) * DAY, "plan_completed"
        group = "children" if is_child else "men" if p.sex == self.sex["male"] else "women"
        self.T["stay"].add(fac, p.pid, rid, group, served, out, why, self.user_of[to_org])

    # --- justice ------------------------------------------------------------------------------

    def justice(self, p):
        """The victim joins the open investigation, or a new one with its suspects."""
        inv = self.open_inv
        if inv is None or len(inv.victims) >= 3 or self.r() < 0.5:
            inv = self.investigation(p)
        else:
            inv.victims.append(p.pid)
        self.T["dossier_link"].add(inv.id, p.pid, self.user_of[inv.org], inv.org)

    def investigation(self, p):
        r, randrange, choice = self.r, self.randrange, self.choice
        iid = self.next_id("investigation")
        iorg = choice(self.police + self.gendarmerie)
        office = choice(self.prosecution)
        opened = p.decided + randrange(0, 60) * DAY
        u = r()
        status = "transferred" if u < 0.6 else "open" if u < 0.85 else "closed"
        status_on = opened + randrange(10, 200) * DAY if status != "open" else None
        last = status_on or opened + randrange(0, 300) * DAY
        self.T["investigation"].add(
            iid,
            f"INV-B-{iid:07d}",
            opened,
            iorg,
            office if status == "transferred" else None,
            choice(self.regions),
            status,
            status_on,
            last,
            self.user_of[iorg],
            moment(opened, p.hour),
            moment(opened, p.hour),
        )
        self.T["investigation_forms"].add(iid, p.form)
        inv = self.open_inv = OpenInvestigation(iid, [p.pid], iorg, office, opened, p.form)
        for index in range(1 if r() < 0.6 else 2):
            sid = self.suspect(inv, index)
            if status != "transferred" or r() > 0.8:
                continue
            self.prosecution_of(p, inv, sid, index)
        return inv

    def suspect(self, inv, index):
        """A suspect of the investigation (sometimes a second record of the one before), and
        the arrest of most."""
        r, choice, country = self.r, self.choice, self.country
        sid = self.next_id("suspect")
        age = self.randrange(20, 65)
        dup = []
        if self.suspect_same_as:
            dup = [sid - 1 if (index == 1 and r() < 0.05) else None]
        who = self.user_of[inv.org]
        self.T["suspect"].add(
            sid,
            choice(self.given_lat),
            choice(self.family_lat),
            self.sex["male"] if r() < 0.7 else self.sex["female"],
            datetime.date(inv.opened.year - age, 1, 1),
            "year",
            country["MA"] if r() < 0.8 else country[choice(COMMON_FOREIGN)],
            choice(self.roles),
            r() < 0.03,
            inv.org,
            who,
            *dup,
        )
        self.T["investigation_suspect"].add(inv.id, sid, inv.opened, who)
        if r() < 0.7:
            arrested = inv.opened + self.randrange(0, 90) * DAY
            self.T["suspect_event"].add(sid, inv.id, "arrest", arrested, inv.org, who)
        return sid

    def prosecution_of(self, p, inv, sid, index):
        randrange = self.randrange
        prid = self.next_id("prosecution")
        began = inv.opened + randrange(30, 200) * DAY
        u = self.r()
        status = "decided" if u < 0.55 else "ongoing" if u < 0.9 else "appealed"
        court = self.choice(self.court)
        office, by = inv.office, self.user_of[inv.office]
        self.T["prosecution"].add(
            prid, sid, inv.id, began, office, court, status, began + randrange(0, 400) * DAY, by
        )
        if index == 0:
            self.T["participation"].add(prid, p.pid, "complainant", office, by)
        for c in range(2 if self.r() < 0.2 else 1):
            cid = self.next_id("charge")
            form = inv.form if c == 0 else self.choice(self.form_codes)
            self.T["charge"].add(cid, prid, self.choice(ARTICLES), form, office, by)
            if status != "ongoing":
                self.verdict(cid, began, court)

    def verdict(self, cid, began, court):
        """The court's decision on a charge, and the sentence of a conviction."""
        r, randrange = self.r, self.randrange
        u = r()
        outcome = "convicted" if u < 0.7 else "acquitted" if u < 0.9 else "dismissed"
        cdid = self.next_id("court_decision")
        by = self.user_of[court]
        decided = began + randrange(90, 500) * DAY
        self.T["court_decision"].add(cdid, cid, outcome, decided, court, court, by)
        if outcome == "convicted":
            months = randrange(6, 180)
            self.T["sentence"].add(
                cdid,
                months,
                months // 2 if r() < 0.2 else 0,
                Decimal(randrange(0, 100_000)) if r() < 0.5 else None,
                court,
                by,
            )

    def non_punishment(self, p):
        """An offence recorded against the victim, and its alert to a prosecution office."""
        r, randrange, choice = self.r, self.randrange, self.choice
        oid = self.next_id("offence")
        charged = p.decided + randrange(0, 60) * DAY
        authority = choice(self.police)
        at = moment(charged, p.hour)
        self.T["offence"].add(
            oid,
            p.pid,
            choice(OFFENCE_TYPES),
            authority,
            charged,
            choice(self.regions),
            self.user_of[p.owner],
            p.owner,
            at,
        )
        resolved = r() < 0.6
        office = choice(self.prosecution)
        self.T["alert"].add(
            oid,
            p.pid,
            oid,
            at,
            choice(["charges_dropped", "non_punishment"]) if resolved else "",
            charged + randrange(5, 120) * DAY if resolved else None,
            self.user_of[office] if resolved else None,
            office if resolved else None,
        )
        self.T["alert_recipients"].add(oid, office)

    # --- a round ------------------------------------------------------------------------------

    def flush(self, fk_checks):
        """COPY this round's rows in one transaction."""
        raw = connection.connection  # psycopg Connection under Django's
        with transaction.atomic(), raw.cursor() as cur:
            cur.execute("SET LOCAL synchronous_commit = off")
            if not fk_checks:
                # Foreign-key triggers off for this load (superuser): the generator keeps the
                # references right; run once with --fk-checks to prove it.
                cur.execute("SET LOCAL session_replication_role = replica")
            for table in self.T.values():
                table.flush(cur)
            if not fk_checks:
                # The replica role fires no trigger, the dossiers' stage ones included
                # (migration cases 0006): this round's dossiers take their latest event's
                # stage as those triggers would give it.
                cur.execute(STAGE_FILL + " WHERE cases_dossier.stage IS NULL")
        # An investigation does not span COPY rounds (its rows went out with this one).
        self.open_inv = None


def load_caseload(n, *, seed=20231, year=2025, fk_checks=False, log=print, id_offset=0):
    """Load ``n`` persons and their records; returns {table: rows} and the seconds taken.

    ``id_offset`` shifts every explicit id past rows already there (the load benchmark puts
    the caseload beside the demo)."""
    started = time.perf_counter()
    rng = random.Random(seed)
    with transaction.atomic():
        ref = reference_data(rng, year)
    ref_seconds = time.perf_counter() - started
    gen = Caseload(ref, rng, year, id_offset)
    copy_seconds = 0.0
    for first in range(1 + id_offset, n + 1 + id_offset, CHUNK):
        end = min(first + CHUNK, n + 1 + id_offset)
        for pid in range(first, end):
            gen.add_person(pid, first)
        began = time.perf_counter()
        gen.flush(fk_checks)
        copy_seconds += time.perf_counter() - began
        log(f"  {end - 1 - id_offset:>9,} persons loaded ({time.perf_counter() - started:6.1f} s)")
    with connection.cursor() as cur:
        reset_sequences(cur, [t.table for t in gen.T.values()] + ["accounts_organisation"])
    return {
        "counts": {t.table: t.total for t in gen.T.values()},
        "reference_seconds": ref_seconds,
        "copy_seconds": copy_seconds,
        "seconds": time.perf_counter() - started,
    }
