"""The counting rules of the annual figures (DOMAIN.md §6) pinned on a hand-built caseload, where
they matter: one victim under two forms, a suspect arrested twice in the year, a defendant
charged under two forms, events on 31 December and 1 January, an approximate birth date at the
child/adult boundary, a person recorded twice and linked as the same person. Each expected
number is worked out by hand in the fixture's docstring."""

import datetime

import pytest
from django.utils import timezone

from himaya.cases.actions import record_decision
from himaya.justice import actions as ja
from himaya.justice.models import Suspect
from himaya.people.actions import link_same_person, unlink_same_person
from himaya.referrals.actions.services import record_session
from himaya.statistics import drill, figures
from himaya.statistics.labels import render
from himaya.statistics.report import build_report, find_row
from himaya.testing import factories as f

pytestmark = pytest.mark.django_db

D = datetime.date
Y = 2023


def code(list_, value):
    return f.code(list_, value)


@pytest.fixture
def caseload(users, orgs):
    """Victims (police of Tanger, decisions by carol):
    v1  female, Moroccan, dossier under sexual AND forced labour, possible on 31 Dec 2023.
    v2  male, Nigerian, forced begging (a sub-form of forced labour), actual on 1 Jan 2024.
    v3a/v3b the same woman recorded twice (Nigerian), possible on 2 Mar 2023 and actual on
        5 May 2023: two persons until linked, then one.
    v4  birth year 2005 only ("year" precision), identified 1 Mar 2023: 2023 - 2005 = 18 → adult.
    v5  exact birth date 1 Jun 2005, identified 1 Mar 2023: 17 → child.
    v6  no birth date, estimated 17 on 1 Jun 2022, identified 1 Jul 2023: 17 + 1 year → adult.
    v7  no birth date nor estimate, no citizenship, no sex: unknown everywhere; not_victim
        decision in 2023, possible on 2 Jan 2023 on a second dossier → counted.
    Suspects: s1 arrested on 1 Feb and 1 May 2023, prosecuted on 1 Jun 2023 with two charges
    (sexual, labour); s2a/s2b the same man recorded twice, each arrested in 2023; s3 arrested on
    31 Dec 2022 (previous year only)."""
    return {**_victims_of_the_police(users, orgs), **_suspects_prosecuted(users, orgs)}


def _decided(person, status, on, carol, police, forms):
    """A dossier of the police, opened in June 2022, for ``person``; carol's decision on it."""
    d = f.dossier(carol, police, the_person=person, forms=forms, opened_on=D(2022, 6, 1))
    record_decision(
        d,
        acting_user=carol,
        organisation=police,
        status=code("trafficking_status", status),
        decided_on=on,
        reasons="x",
    )


def _victims_of_the_police(users, orgs):
    """v1 to v7 of the caseload's docstring: their persons, by name."""
    carol, police = users["carol"], orgs["police"]

    def victim(forms, status, on, **fields):
        person = f.person(carol, police, **fields)
        _decided(person, status, on, carol, police, forms)
        return person

    ng = [code("country", "NG")]
    v = {
        "v1": victim(("sexual", "labour"), "possible", D(Y, 12, 31)),
        "v2": victim(
            ("begging",), "actual", D(Y + 1, 1, 1), sex=code("sex", "male"), citizenships=ng
        ),
        "v3a": victim(("sexual",), "possible", D(Y, 3, 2), citizenships=ng),
        "v3b": victim(("sexual",), "actual", D(Y, 5, 5), citizenships=ng),
        "v4": victim(
            ("labour",),
            "possible",
            D(Y, 3, 1),
            birth_date=D(2005, 1, 1),
            birth_date_precision="year",
        ),
        "v5": victim(("labour",), "possible", D(Y, 3, 1), birth_date=D(2005, 6, 1)),
        "v6": victim(
            ("labour",),
            "possible",
            D(Y, 7, 1),
            birth_date=None,
            birth_date_precision="estimated",
            estimated_age=17,
            estimated_on=D(2022, 6, 1),
        ),
    }
    v["v7"] = victim(
        ("domestic_servitude",),
        "not_victim",
        D(Y, 1, 1),
        sex=None,
        birth_date=None,
        birth_date_precision="unknown",
        citizenships=[],
    )
    # v7's second dossier, where she is a possible victim.
    _decided(v["v7"], "possible", D(Y, 1, 2), carol, police, ("domestic_servitude",))
    return v


def _suspects_prosecuted(users, orgs):
    """s1 to s3 of the caseload's docstring: their arrests, and s1's prosecution on two
    charges."""
    carol = users["carol"]
    inv = ja.open_investigation(
        acting_user=carol, organisation=orgs["police"], opened_on=D(2022, 12, 1)
    )

    def suspect(**kw):
        return ja.add_suspect(
            inv, acting_user=carol, added_on=D(2022, 12, 2), given_name_lat="S", **kw
        )

    s1 = suspect(sex=code("sex", "male"), citizenship=code("country", "MA"))
    s2a, s2b, s3 = suspect(), suspect(), suspect()
    for s, on in (
        (s1, D(Y, 2, 1)),
        (s1, D(Y, 5, 1)),
        (s2a, D(Y, 3, 1)),
        (s2b, D(Y, 4, 1)),
        (s3, D(Y - 1, 12, 31)),
    ):
        ja.record_suspect_event(inv, s, acting_user=carol, kind="arrest", on=on)
    ja.transfer_investigation(inv, acting_user=carol, office=orgs["parquet"], on=D(Y, 5, 15))
    p = ja.start_prosecution(
        inv, s1, acting_user=users["paula"], office=orgs["parquet"], started_on=D(Y, 6, 1)
    )
    for form in ("sexual", "labour"):
        ja.add_charge(
            p, acting_user=users["paula"], article="448.1", form=code("exploitation_form", form)
        )
    return {"s1": s1, "s2a": s2a, "s2b": s2b, "s3": s3}


def _victims(year):
    return {v.person: v for v in figures.identified_victims(year)}


def test_one_victim_under_two_forms_counts_once_in_the_total(caseload):
    victims = figures.identified_victims(Y)
    by_form = figures.victims_by_form(victims)
    # v1 (sexual+labour), v3a, v3b (sexual), v4, v5, v6 (labour), v7 (domestic servitude)
    assert len(victims) == 7
    assert by_form["sexual"] == 3 and by_form["labour"] == 5  # labour includes v7's sub-form
    assert by_form["domestic_servitude"] == 1
    assert sum(by_form[c] for c in ("sexual", "labour")) > len(victims)  # forms overlap
    assert _victims(Y)[caseload["v1"].pk].forms == {"sexual", "labour"}


def test_events_on_31_december_and_1_january_fall_in_their_own_year(caseload):
    assert caseload["v1"].pk in _victims(Y)  # 31 December 2023
    assert caseload["v2"].pk not in _victims(Y)
    assert set(_victims(Y + 1)) == {caseload["v2"].pk}  # 1 January 2024
    assert _victims(Y + 1)[caseload["v2"].pk].forms == {"begging", "labour"}
    j = figures.justice(Y)
    assert j["arrested"]["previous"] == 1  # s3, 31 December 2022


def test_child_or_adult_by_age_at_identification(caseload):
    victims = _victims(Y)
    assert victims[caseload["v4"].pk].age_group == "adult"  # birth year only: 18 that year
    assert victims[caseload["v5"].pk].age == 17
    assert victims[caseload["v5"].pk].age_group == "child"  # exact date: 17 on 1 March
    assert victims[caseload["v6"].pk].age == 18  # estimate moved forward by a year
    assert victims[caseload["v7"].pk].age_group == "unknown"


def test_breakdowns_by_sex_and_citizenship(caseload):
    victims = figures.identified_victims(Y)
    assert figures.victims_by(victims, "sex") == {"female": 6, "unknown": 1}
    cit = figures.victims_by(victims, "citizenship")
    assert cit == {"national": 4, "foreign": 2, "unknown": 1}
    assert figures.victims_by_country([v for v in victims if v.citizenship == "foreign"]) == {
        "NG": 2
    }


def test_a_person_recorded_twice_and_linked_counts_once(caseload, users, figure):
    v3a, v3b = caseload["v3a"], caseload["v3b"]
    assert len(figures.identified_victims(Y)) == 7
    link_same_person(v3b, v3a, acting_user=users["carol"])
    victims = _victims(Y)
    assert len(victims) == 6
    assert v3a.pk in victims and v3b.pk not in victims
    assert victims[v3a.pk].identified_on == D(Y, 3, 2)  # the first decision over both records
    unlink_same_person(v3b, acting_user=users["carol"])
    assert len(figures.identified_victims(Y)) == 7
    # a suspect recorded twice, both arrested: two until linked
    assert figures.justice(Y)["arrested"]["value"] == 3  # s1, s2a, s2b
    Suspect.objects.filter(pk=caseload["s2b"].pk).update(same_as=caseload["s2a"])
    assert figures.justice(Y)["arrested"]["value"] == 2
    figure("counting rules: a victim and a suspect recorded twice count once when linked")


def test_linking_needs_both_records_writable_and_never_chains(caseload, users):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        link_same_person(caseload["v3b"], caseload["v3a"], acting_user=users["bob"])
    link_same_person(caseload["v3b"], caseload["v3a"], acting_user=users["carol"])
    link_same_person(caseload["v3a"], caseload["v1"], acting_user=users["carol"])
    caseload["v3b"].refresh_from_db()
    assert caseload["v3b"].same_as_id == caseload["v1"].pk  # followed its record, no chain


def test_suspect_arrested_twice_and_defendant_charged_under_two_forms(caseload):
    j = figures.justice(Y)
    assert j["arrested"]["value"] == 3  # s1 twice → once; s2a and s2b (not linked)
    assert j["prosecuted"]["total"] == 1
    assert {r["code"]: r["count"] for r in j["prosecuted"]["forms"]} == {"sexual": 1, "labour": 1}
    defendants = figures.defendants_prosecuted(Y)
    assert len(defendants) == 1 and defendants[0].forms == {"sexual", "labour"}
    assert (defendants[0].sex, defendants[0].citizenship) == ("male", "national")


def test_report_tables_follow_the_rules(caseload, figure):
    report = build_report(Y)
    assert report["year"] == Y and report["previous_year"] == Y - 1
    assert find_row(report, "victims", "victims")["value"] == 7
    assert find_row(report, "victims", "victims:sexual")["value"] == 3
    assert find_row(report, "victims", "victims:labour:domestic_servitude")["level"] == 1
    assert find_row(report, "victims", "age_group:child")["value"] == 1
    assert find_row(report, "foreign_victims", "country:NG")["value"] == 2
    assert find_row(report, "law_enforcement", "arrested") == {
        "key": "arrested",
        "label": find_row(report, "law_enforcement", "arrested")["label"],
        "level": 0,
        "value": 3,
        "previous": 1,
    }
    assert find_row(report, "law_enforcement", "prosecuted:sexual")["value"] == 1
    assert find_row(report, "law_enforcement", "prosecuted:labour")["value"] == 1
    assert report["facts"]["victims"] == {"value": 7, "previous": 0}
    assert {f["code"]: f["value"] for f in report["facts"]["prosecuted_by_form"]} == {
        "sexual": 1,
        "labour": 1,
    }
    unodc = report["unodc"]["victims"]
    assert sum(c["count"] for c in unodc if c["form"] == "sexual") == 3
    assert sum(c["count"] for c in report["unodc"]["victim_persons"]) == 7  # once per person
    assert sum(c["count"] for c in report["unodc"]["suspects"]["contact"]) == 3
    assert sum(c["count"] for c in report["unodc"]["suspects"]["prosecuted"]) == 1  # two forms
    label = find_row(report, "victims", "victims")["label"]
    assert label == {"$t": "Victims identified"}  # data: the words are read in any language
    assert render(label, "ar") != render(label, "en") == "Victims identified"
    figure(
        f"annual report {Y}: {len(report['tables'])} tables, "
        f"{sum(len(t['rows']) for t in report['tables'])} rows, hand-counted rules hold"
    )


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


@pytest.fixture
def referred(caseload, users, orgs):
    """v3a (identified 2 March 2023) is referred twice in 2023 and a session is given; v1 is
    identified on 31 December 2023 and referred on 2 January 2024; a person identified in 2022
    is referred in 2023; v4 is referred on 31 December; v5 is served by the police who hold her
    dossier (assisted, not referred); a referral sent to v6 before her identification (1 July)
    does not make her referred."""
    carol, police = users["carol"], orgs["police"]

    def refer(person, day, service="psychosocial"):
        dossier = person.dossiers.first()
        return f.referral(dossier, carol, orgs["ngo_a"], service=service, sent_at=_at(day))

    refer(caseload["v3a"], D(Y, 3, 10))
    # a second service: the first referral is still open (one open per provider and service)
    refer(caseload["v3a"], D(Y, 4, 10), service="legal_aid")
    refer(caseload["v1"], D(Y + 1, 1, 2))
    older = f.person(carol, police)
    d = f.dossier(carol, police, the_person=older, opened_on=D(Y - 1, 1, 1))
    record_decision(
        d,
        acting_user=carol,
        organisation=police,
        status=code("trafficking_status", "actual"),
        decided_on=D(Y - 1, 6, 1),
        reasons="x",
    )
    refer(older, D(Y, 2, 1))
    refer(caseload["v4"], D(Y, 12, 31))
    record_session(
        caseload["v3a"].dossiers.first(),
        acting_user=users["alice"],
        organisation=orgs["ngo_a"],
        kind="psychosocial",
        on=D(Y, 4, 20),
    )
    refer(caseload["v6"], D(Y, 6, 30))  # identified on 1 July
    record_session(
        caseload["v5"].dossiers.first(),
        acting_user=carol,
        organisation=police,  # the organisation holding her dossier
        kind="psychosocial",
        on=D(Y, 3, 5),
    )
    return caseload


def test_referred_and_assisted_count_identified_victims_of_the_year(referred, figure):
    """v1, identified on 31 December and referred on 2 January, counts as referred in the year
    of her identification once the report's date is past the referral; own-organisation help is
    assisted."""
    p = figures.protection(Y)
    assert p["referred"] == 3  # v3a, v4 (31 December) and v1 (referred on 2 January 2024)
    assert p["persons_referred"] == 4  # v3a, v4, v6 and the person identified in 2022
    assert (p["assisted"], p["assisted_partner"], p["assisted_own"]) == (2, 1, 1)
    figure(
        "referred: v1 (28 Dec → 3 Jan case) counts in her year; own-organisation help is assisted"
    )


def test_a_report_frozen_before_a_referral_knows_nothing_of_it(referred):
    # a report dated 1 January 2024 (frozen that day) knows nothing of v1's referral
    frozen_then = figures.protection(Y, as_of=_at(D(Y + 1, 1, 1)))
    assert frozen_then["referred"] == 2


def test_the_next_year_counts_a_referral_among_persons_referred_not_its_victims(referred):
    # 2024 counts v1 among the persons referred that year, not among its identified victims
    nxt = figures.protection(Y + 1)
    assert (nxt["referred"], nxt["persons_referred"]) == (0, 1)


def test_the_report_shows_the_referred_and_assisted_figures(referred):
    report = build_report(Y)
    assert find_row(report, "protection", "referred")["value"] == 3
    assert find_row(report, "protection", "assisted_own")["value"] == 1


@pytest.fixture
def drilled(caseload, users, orgs):
    """v3a/v3b (one woman, two dossiers) linked, a person referred twice (v3, once in each
    dossier), v4 assisted both by the police holding her dossier and by a partner, s1 arrested
    twice and convicted on two charges, the same man recorded twice (s2a/s2b), a prosecution
    started with no charge yet (not counted)."""
    carol, police, paula = users["carol"], orgs["police"], users["paula"]
    link_same_person(caseload["v3a"], caseload["v3b"], acting_user=carol)
    Suspect.objects.filter(pk=caseload["s2b"].pk).update(same_as=caseload["s2a"])
    for person, day in (("v3a", D(Y, 3, 10)), ("v3b", D(Y, 6, 10)), ("v4", D(Y, 4, 1))):
        f.referral(caseload[person].dossiers.first(), carol, orgs["ngo_a"], sent_at=_at(day))
    for org, given_by in ((police, carol), (orgs["ngo_a"], users["alice"])):
        record_session(
            caseload["v4"].dossiers.first(),
            acting_user=given_by,
            organisation=org,
            kind="psychosocial",
            on=D(Y, 4, 20),
        )
    inv = caseload["s1"].events.first().investigation
    ja.start_prosecution(
        inv, caseload["s2a"], acting_user=paula, office=orgs["parquet"], started_on=D(Y, 7, 1)
    )
    prosecution = caseload["s1"].prosecutions.get()
    for charge in prosecution.charges.all():
        ja.record_decision(
            charge,
            acting_user=paula,
            outcome="convicted",
            decided_on=D(Y, 10, 1),
            court_name="Tribunal de première instance de Tanger",
        )
    return caseload


def _counted(analyst):
    """Each drill-down figure's total, checked against the report's value for it."""
    report = build_report(Y)
    rows = {r["key"]: r["value"] for t in report["tables"] for r in t["rows"]}
    counted = {}
    for key in drill.FIGURES:
        found = drill.records(key, Y, analyst)
        assert found["total"] == rows[key], key
        counted[key] = found["total"]
    return counted


def test_every_figure_with_records_lists_exactly_what_it_counts(drilled, users, figure):
    counted = _counted(users["ana"])
    listed = ", ".join(f"{k} {v}" for k, v in counted.items())
    figure(f"drill-down: every figure equals its list ({listed})")


def test_the_lists_count_persons_and_cases_once(drilled, users):
    counted = _counted(users["ana"])
    assert counted["referred"] == 2 and counted["persons_referred"] == 2  # v3 once, v4
    assert counted["arrested"] == 2 and counted["prosecuted"] == 1 and counted["convicted"] == 1
    assert counted["assisted"] == 1
