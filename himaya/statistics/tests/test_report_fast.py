"""The report's fast figures (computed in the database, one grouped pass per family) give the
very numbers of the straightforward ones (``report_oracle``) on random small caseloads built
through the actions and factories: persons with one or two dossiers, positive and negative
decisions over three years, records linked as the same person, referrals answered or not,
sessions by the dossier's organisation or a partner, returns."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from himaya.cases.actions import record_decision
from himaya.cases.models import Dossier
from himaya.people.actions import link_same_person
from himaya.referrals.actions.services import record_return, record_session
from himaya.referrals.models import Referral
from himaya.statistics import figures, revision
from himaya.statistics.figures import victims as victims_module
from himaya.statistics.report import build_report
from himaya.statistics.report.victims import _top_forms
from himaya.testing import factories as f

from . import report_oracle

pytestmark = pytest.mark.django_db

Y = 2023
FIRST_DAY = datetime.date(Y - 1, 1, 1)
FORMS = ("sexual", "labour", "begging", "domestic_servitude")
SERVICES = ("psychosocial", "legal_aid")
AS_OF = (
    timezone.make_aware(datetime.datetime(Y + 1, 1, 2, 9)),
    timezone.make_aware(datetime.datetime(Y + 2, 6, 1, 12)),
)

# two days in three fall in the report's year, where identifications and referrals meet
days = st.one_of(st.integers(365, 729), st.integers(365, 729), st.integers(0, 3 * 365 - 1)).map(
    lambda n: FIRST_DAY + datetime.timedelta(days=n)
)
referral = st.fixed_dictionaries(
    {
        "day": days,
        "hour": st.integers(0, 23),
        "answer": st.sampled_from((None, "accepted", "rejected")),
        "hours": st.integers(1, 24 * 9),
    }
)
dossier = st.fixed_dictionaries(
    {
        "forms": st.lists(st.sampled_from(FORMS), max_size=2, unique=True),
        "decisions": st.lists(
            st.tuples(st.sampled_from(("possible", "actual", "not_victim")), days), max_size=2
        ),
        "referrals": st.lists(referral, max_size=2),
        "sessions": st.lists(st.tuples(st.booleans(), days), max_size=2),
        "return_on": st.none() | days,
    }
)
person = st.fixed_dictionaries(
    {
        "sex": st.sampled_from(("female", "male", None)),
        "birth": st.sampled_from(("exact", "year", "estimated", "unknown")),
        "countries": st.sampled_from(((), ("MA",), ("NG",), ("MA", "NG"))),
        "dossiers": st.lists(dossier, min_size=1, max_size=2),
        "linked": st.booleans(),
    }
)


def _person(users, orgs, spec):
    carol = users["carol"]
    birth = {
        "exact": {"birth_date": datetime.date(2006, 5, 20), "birth_date_precision": "exact"},
        "year": {"birth_date": datetime.date(2005, 1, 1), "birth_date_precision": "year"},
        "estimated": {
            "birth_date": None,
            "birth_date_precision": "estimated",
            "estimated_age": 17,
            "estimated_on": datetime.date(Y - 1, 7, 1),
        },
        "unknown": {"birth_date": None, "birth_date_precision": "unknown"},
    }[spec["birth"]]
    return f.person(
        carol,
        orgs["police"],
        sex=f.code("sex", spec["sex"]) if spec["sex"] else None,
        citizenships=[f.code("country", c) for c in spec["countries"]],
        **birth,
    )


def _dossier(users, orgs, who, spec):
    carol, police, alice = users["carol"], orgs["police"], users["alice"]
    d = f.dossier(carol, police, the_person=who, forms=spec["forms"], opened_on=FIRST_DAY)
    latest = None
    for status, on in sorted(spec["decisions"], key=lambda x: x[1]):  # in date order
        latest = record_decision(
            d,
            acting_user=carol,
            organisation=police,
            status=f.code("trafficking_status", status),
            decided_on=on,
            reasons="x",
            # a decision after "not a victim" is its review
            reviews=latest if latest is not None and latest.is_negative else None,
        )
    sent = []
    for service, r in zip(SERVICES, spec["referrals"], strict=False):
        at = timezone.make_aware(datetime.datetime.combine(r["day"], datetime.time(r["hour"])))
        # children among them (born 2006): consent by a guardian, named with the referral
        consent = {"given_by": "guardian", "given_on": r["day"]}
        made = f.referral(
            d, carol, orgs["ngo_a"], service=service, sent_at=at, consent=consent, guardian="A"
        )
        sent.append((made, r))
    for partner, on in spec["sessions"]:
        by = (alice, orgs["ngo_a"]) if partner and sent else (carol, police)
        record_session(d, acting_user=by[0], organisation=by[1], kind="psychosocial", on=on)
    if spec["return_on"]:
        record_return(
            d,
            acting_user=carol,
            organisation=police,
            destination=f.code("country", "NG"),
            partner_other="OIM",
            travel_on=spec["return_on"],
        )
    for made, r in sent:  # answered after the sessions: a partner records while it is open
        if r["answer"]:
            answered = made.sent_at + datetime.timedelta(hours=r["hours"], minutes=7)
            Referral.objects.filter(pk=made.pk).update(
                status=r["answer"],
                **{f"{r['answer']}_at": answered},
                rejection_reason="no_capacity" if r["answer"] == "rejected" else "",
            )


def _build(users, orgs, specs):
    made = []
    for spec in specs:
        who = _person(users, orgs, spec)
        for d in spec["dossiers"]:
            _dossier(users, orgs, who, d)
        if spec["linked"] and made:
            link_same_person(who, made[-1], acting_user=users["carol"])
        made.append(who)


def _compare(seen):
    half = list(Dossier.objects.order_by("pk").values_list("pk", flat=True)[::2])
    part = figures.Scope(dossiers=Dossier.objects.filter(pk__in=half))
    for year in (Y - 1, Y, Y + 1):
        for as_of, scope in ((AS_OF[0], None), (AS_OF[1], None), (AS_OF[1], part)):
            fast = figures.protection(year, scope, as_of)
            slow = report_oracle.protection(year, scope, as_of)
            assert fast == slow, (year, as_of, scope)
            seen["compared"] += 1
        served = figures.services_of_identified(year, as_of=AS_OF[1])
        assert served == report_oracle.services_of_identified(year, as_of=AS_OF[1])
        assert figures.identified_referred(year) == figures.referrals_of_identified(year).count()
        for scope in (None, part):
            fast_victims = figures.identified_victims(year, scope)
            assert fast_victims == report_oracle.identified_victims(year, scope), year
            seen["victims"] += len(fast_victims)
    report = build_report(Y, as_of=AS_OF[1])
    victims = _top_forms(victims_module.identified_victims(Y))
    for key, with_forms in (("victim_persons", False), ("victims", True)):
        assert report["unodc"][key] == report_oracle.unodc_victims(victims, with_forms)


def test_fast_figures_equal_the_straightforward_ones(users, orgs, figure):
    """Random caseloads: each built in a savepoint rolled back afterwards; the figures cached
    per data revision are forgotten between them (SQLite's revision rolls back with the data)."""
    seen = {"compared": 0, "caseloads": 0, "referred": 0, "victims": 0}

    @settings(
        max_examples=8,
        deadline=None,
        phases=(Phase.explicit, Phase.generate),  # no shrinking: each caseload takes seconds
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(specs=st.lists(person, min_size=1, max_size=5))
    def check(specs):
        revision.forget()
        with transaction.atomic():
            _build(users, orgs, specs)
            _compare(seen)
            seen["referred"] += sum(
                figures.identified_referred(year, as_of=AS_OF[1]) for year in (Y - 1, Y, Y + 1)
            )
            seen["caseloads"] += 1
            transaction.set_rollback(True)
        revision.forget()

    check()
    assert seen["caseloads"] == 8 and seen["compared"] == 8 * 9
    assert seen["referred"] > 0  # the caseloads did refer identified victims
    assert seen["victims"] > 0
    figure(
        f"annual report fast path: {seen['caseloads']} random caseloads, "
        f"{seen['compared']} protection figure sets and {seen['victims']} victim rows equal "
        "to the straightforward ones"
    )
