"""Loading the demo: organisations and accounts directly, everything about victims through the
actions (so the demo is audited and validated like real work), in one transaction."""

import datetime
import hashlib
import hmac
import random
import time

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from himaya.accounts.models import Membership, Organisation, User
from himaya.audit import log
from himaya.cases import actions as case_actions
from himaya.cases.models import Dossier, DossierNote
from himaya.coordination import demo as coordination
from himaya.core.models import Code
from himaya.people import actions as people_actions
from himaya.people.models import Person

from . import data, hotline, identify, justice, linkage, referrals, screening, statistics
from .models import DemoRun
from .plan import SEED, build_plan, plan_rows

# Shared by every demo login; demo mode is refused in production.
DEMO_PASSWORD = "tanger-oujda-laayoune"
RECOVERY_CODES = 10


def _derive(label: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), label.encode(), hashlib.sha1).hexdigest()


def totp_key(username: str) -> str:
    """The hex TOTP secret of a demo user: stable for a given SECRET_KEY."""
    return _derive(f"himaya.demo.totp:{username}")


def recovery_codes(username: str) -> list[str]:
    return [_derive(f"himaya.demo.recovery:{username}:{i}")[:10] for i in range(RECOVERY_CODES)]


class Codes:
    def __init__(self):
        self._by_key = {(c.list, c.code): c for c in Code.objects.all()}

    def __call__(self, code_list, value):
        return self._by_key[(code_list, value)] if value else None


def create_organisations(codes):
    orgs = {}
    for key, org_type, region, name_ar, name_fr, name_en in data.ORGANISATIONS:
        orgs[key] = Organisation.objects.create(
            name_ar=name_ar,
            name_fr=name_fr,
            name_en=name_en,
            type=codes("org_type", org_type),
            region=codes("region", region),
        )
    return orgs


def create_users(orgs):
    """Demo logins (shared password, confirmed TOTP device, recovery codes) and colleagues."""
    taken = set(
        User.objects.filter(
            username__in=[u[0] for u in data.DEMO_USERS + data.STAFF_USERS]
        ).values_list("username", flat=True)
    )
    if taken:
        raise RuntimeError(f"these accounts already exist: {', '.join(sorted(taken))}")
    password = make_password(DEMO_PASSWORD)
    users = {}
    for username, first, last, org, _role in data.DEMO_USERS:
        user = User(
            username=username,
            first_name=first,
            last_name=last,
            password=password,
            email=f"{username}@demo.himaya.invalid",
            is_demo=True,
        )
        if org is None:
            user.is_superuser = user.is_staff = True
        user.save()
        TOTPDevice.objects.create(user=user, name="demo", confirmed=True, key=totp_key(username))
        device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
        StaticToken.objects.bulk_create(
            [StaticToken(device=device, token=c) for c in recovery_codes(username)]
        )
        users[username] = user
    for username, first, last, _org, _role in data.STAFF_USERS:
        user = User(username=username, first_name=first, last_name=last, is_demo=True)
        user.set_unusable_password()
        user.save()
        users[username] = user
    for username, _first, _last, org, role in data.DEMO_USERS + data.STAFF_USERS:
        if org:
            Membership.objects.create(user=users[username], organisation=orgs[org], role=role)
    return users


def _at(day):
    """The demo replays two years of work in a minute: records are dated on the day they
    belong to (a demo artefact; real records are dated when written)."""
    # never later than now: "today" may have only just begun
    return min(
        timezone.make_aware(datetime.datetime.combine(day, datetime.time(10))), timezone.now()
    )


def _load_person(person, orgs, users, codes):
    """A person of the demo with her documents, dossiers and consents; returns the counts."""
    actor = users[person.actor]
    p = _create_person(person, actor, orgs, codes)
    counts = {"dossiers": 0, "events": 0, "notes": 0, "grants": 0}
    for d in person.dossiers:
        _load_dossier(p, d, orgs, users, codes, counts)
    first_day = min([d.opened_on for d in person.dossiers], default=None)
    if first_day:
        Person.objects.filter(pk=p.pk).update(created_at=_at(first_day), updated_at=_at(first_day))
    for purpose, given_on, given_by, lang in person.consents:
        people_actions.record_consent(
            p,
            acting_user=actor,
            organisation=orgs[person.org],
            purpose=purpose,
            given_on=given_on,
            given_by=given_by,
            informed_in=codes("language", lang),
        )
    counts["documents"] = len(person.documents)
    counts["consents"] = len(person.consents)
    return counts


def _create_person(person, actor, orgs, codes):
    """The person's record and her identity documents."""
    p = people_actions.create_person(
        acting_user=actor,
        organisation=orgs[person.org],
        citizenships=[codes("country", c) for c in person.citizenships],
        languages=[codes("language", c) for c in person.languages],
        given_name_ar=person.given_name_ar,
        family_name_ar=person.family_name_ar,
        given_name_lat=person.given_name_lat,
        family_name_lat=person.family_name_lat,
        sex=codes("sex", person.sex),
        birth_date=person.birth_date,
        birth_date_precision=person.birth_date_precision,
        estimated_age=person.estimated_age,
        estimated_on=person.estimated_on,
        contacts=person.contacts,
    )
    for doc_type, number, country, expires_on, held in person.documents:
        people_actions.add_document(
            p,
            acting_user=actor,
            type=codes("document_type", doc_type),
            number=number,
            issuing_country=codes("country", country),
            expires_on=expires_on,
            held_by_person=held,
        )
    return p


def _load_dossier(p, d, orgs, users, codes, counts):
    """One of her dossiers: opened, moved through its stages, shared, annotated, and dated back
    to the days it belongs to."""
    owner = users[d.actor]
    dossier = case_actions.open_dossier(
        p,
        acting_user=owner,
        organisation=orgs[d.org],
        forms=[codes("exploitation_form", f) for f in d.forms],
        opened_on=d.opened_on,
        caseworker=users.get(d.caseworker),
        form_other_detail=d.other_detail,
        recruitment_country=codes("country", d.recruitment_country),
        recruitment_region=codes("region", d.recruitment_region),
        exploitation_country=codes("country", "MA"),
        exploitation_region=codes("region", d.exploitation_region),
        exploitation_city=d.exploitation_city,
    )
    counts["dossiers"] += 1
    for stage, on, reason in d.events:
        case_actions.change_stage(dossier, acting_user=owner, stage=stage, on=on, reason=reason)
        counts["events"] += 1
    if d.grant:
        case_actions.grant_access(
            dossier,
            acting_user=owner,
            organisation=orgs[d.grant[0]],
            reason=d.grant[1],
            source="demo",
        )
        counts["grants"] += 1
    for username, text, day in d.notes:
        note = case_actions.add_note(dossier, acting_user=users[username], text=text)
        DossierNote.objects.filter(pk=note.pk).update(created_at=_at(day))
        counts["notes"] += 1
    last_day = max([d.opened_on] + [e[1] for e in d.events] + [n[2] for n in d.notes])
    Dossier.objects.filter(pk=dossier.pk).update(
        created_at=_at(d.opened_on), updated_at=_at(last_day)
    )


def already_loaded():
    return DemoRun.objects.order_by("loaded_at").first()


@transaction.atomic
def load(seed=SEED, anchor=None, persons=None, out=None):
    """Load the demo once; returns (DemoRun, created)."""
    if not settings.DEMO_MODE:
        raise RuntimeError("the demo is loaded in demo mode only")
    existing = already_loaded()
    if existing:
        return existing, False
    out = out or (lambda line: None)
    started = time.monotonic()
    anchor = anchor or timezone.localdate()
    kwargs = {"persons": persons} if persons else {}
    plan = build_plan(seed, anchor, **kwargs)
    codes = Codes()
    orgs = create_organisations(codes)
    users = create_users(orgs)
    out(f"{len(orgs)} organisations, {len(users)} accounts")
    totals = {"organisations": len(orgs), "users": len(users), "persons": 0}
    for i, person in enumerate(plan, 1):
        for k, v in _load_person(person, orgs, users, codes).items():
            totals[k] = totals.get(k, 0) + v
        totals["persons"] += 1
        if i % 50 == 0 or i == len(plan):
            out(
                f"{i}/{len(plan)} persons, {totals['dossiers']} dossiers, "
                f"{totals['events']} stage events, {totals['notes']} notes"
            )
    # Each later part draws from its own generator, so adding one leaves the others' data as
    # it was.
    for name, part in [
        ("identify", identify),
        ("justice", justice),
        ("hotline", hotline),
        ("screening", screening),
        ("referrals", referrals),
        ("linkage", linkage),
        ("coordination", coordination),
        ("statistics", statistics),
    ]:
        counts = part.load(orgs, users, codes, anchor, random.Random(f"{seed}:{name}"))
        clash = set(counts) & set(totals)
        if clash:  # one part's count must never overwrite another's
            raise RuntimeError(f"demo part {name} reuses count names: {sorted(clash)}")
        totals.update(counts)
        out(", ".join(f"{v} {k}" for k, v in counts.items()))
    run = DemoRun.objects.create(seed=seed, anchor=anchor, counts=totals)
    log.write(None, "load_demo", run, ["seed", "anchor"])
    out(f"loaded in {time.monotonic() - started:.1f} s")
    return run, True


def database_rows():
    """The plan's dossiers, as loaded, in the shape of ``plan.plan_rows`` (to check
    determinism). Later parts (screenings) open dossiers of their own, after the plan's."""
    run = already_loaded()
    planned = Dossier.objects.order_by("id").prefetch_related("forms", "events")
    if run is not None:
        planned = planned[: run.counts["dossiers"]]
    rows = []
    for d in planned:
        person = Person.objects.get(pk=d.person_id)
        events = sorted(d.events.all(), key=lambda e: (e.on, e.id))
        rows.append(
            [
                person.given_name_ar,
                person.given_name_lat,
                events[-1].stage,
                sorted(f.code for f in d.forms.all()),
                d.opened_on.isoformat(),
                [e.on.isoformat() for e in events[1:]],
            ]
        )
    return rows


__all__ = ["DEMO_PASSWORD", "load", "already_loaded", "database_rows", "plan_rows"]
