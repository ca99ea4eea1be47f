"""Justice figures on hand-made data, each compared with a count made by hand (DOMAIN.md §6).

Reference year 2025, previous 2024. Police of Tanger (carol) open A, B, C in 2025 and D in
2024; a gendarmerie opens E in 2025. Suspects: s1 (public official) and s2 in A, s3 in B, s4
in D. s1 is arrested twice in 2025, s2 once; s4 in 2024. The parquet (paula) prosecutes s1
(labour + forced begging), s2 (sexual), s3 (domestic servitude) in 2025, s4 (sexual) in 2024.
s1 is convicted of labour and acquitted of begging; s2 acquitted; s3 not decided (stalled);
s4 convicted in 2024. C stays open without any event (stalled)."""

import datetime

import pytest

from himaya.justice import actions as ja
from himaya.justice import figures
from himaya.testing import factories as f

D = datetime.date


def form(c):
    return f.code("exploitation_form", c)


@pytest.fixture
def data(users, orgs):
    carol, paula, police, parquet = users["carol"], users["paula"], orgs["police"], orgs["parquet"]

    def inv(on):
        return ja.open_investigation(acting_user=carol, organisation=police, opened_on=on)

    a, b, c, d = inv(D(2025, 2, 1)), inv(D(2025, 2, 15)), inv(D(2025, 1, 10)), inv(D(2024, 3, 1))
    gendarmerie = f.OrganisationFactory(
        name_fr="Gendarmerie", type=f.code("org_type", "gendarmerie")
    )
    gina = f.member(f.UserFactory(username="gina"), gendarmerie, "investigator")
    ja.open_investigation(acting_user=gina, organisation=gendarmerie, opened_on=D(2025, 11, 1))

    def suspect(i, on, **kw):
        return ja.add_suspect(i, acting_user=carol, added_on=on, given_name_lat="S", **kw)

    s1 = suspect(a, D(2025, 2, 2), public_official=True, official_body="Douane")
    s2 = suspect(a, D(2025, 2, 2))
    s3 = suspect(b, D(2025, 2, 16))
    s4 = suspect(d, D(2024, 3, 2))
    for s, i, on in (
        (s1, a, D(2025, 3, 1)),
        (s1, a, D(2025, 6, 1)),
        (s2, a, D(2025, 3, 1)),
        (s4, d, D(2024, 5, 1)),
    ):
        ja.record_suspect_event(i, s, acting_user=carol, kind="arrest", on=on)
    ja.transfer_investigation(a, acting_user=carol, office=parquet, on=D(2025, 3, 15))
    ja.transfer_investigation(b, acting_user=carol, office=parquet, on=D(2025, 3, 15))
    ja.transfer_investigation(d, acting_user=carol, office=parquet, on=D(2024, 5, 15))

    def prosecute(i, s, on, *forms_):
        p = ja.start_prosecution(
            i, s, acting_user=paula, office=parquet, started_on=on, court=orgs["court"]
        )
        return [ja.add_charge(p, acting_user=paula, article="448.1", form=form(x)) for x in forms_]

    c1_labour, c1_begging = prosecute(a, s1, D(2025, 4, 1), "labour", "begging")
    (c2,) = prosecute(a, s2, D(2025, 4, 1), "sexual")
    prosecute(b, s3, D(2025, 5, 1), "domestic_servitude")
    (c4,) = prosecute(d, s4, D(2024, 6, 1), "sexual")

    def decide(charge, outcome, on):
        return ja.record_decision(charge, acting_user=paula, outcome=outcome, decided_on=on)

    conv1 = decide(c1_labour, "convicted", D(2025, 9, 1))
    decide(c1_begging, "acquitted", D(2025, 9, 1))
    decide(c2, "acquitted", D(2025, 9, 1))
    conv4 = decide(c4, "convicted", D(2024, 12, 1))
    ja.record_sentence(conv1, acting_user=paula, prison_months=60, suspended_months=12)
    ja.record_sentence(conv4, acting_user=paula, prison_months=120)
    return {"police": police, "c": c}


def test_investigations_and_arrests(data, figure):
    assert figures.investigations_opened(2025) == {"year": 2025, "value": 4, "previous": 1}
    assert figures.investigations_opened(2025, {data["police"].pk})["value"] == 3
    assert figures.suspects_arrested(2025) == {"year": 2025, "value": 2, "previous": 1}
    figure("justice figures 2025: 4 investigations (1 in 2024), 2 suspects arrested (hand count 2)")


def test_prosecuted_by_form_with_including_lines(data):
    got = figures.prosecuted_by_form(2025)
    assert (got["total"], got["previous"]) == (3, 1)
    rows = {r["code"]: r for r in got["forms"]}
    assert rows["labour"]["count"] == 2 and rows["labour"]["previous"] == 0
    assert {i["code"]: i["count"] for i in rows["labour"]["including"]} == {
        "begging": 1,
        "domestic_servitude": 1,
    }
    assert rows["sexual"]["count"] == 1 and rows["sexual"]["previous"] == 1


def test_convictions_sentences_acquittals(data):
    got = figures.convicted_by_form(2025)
    assert (got["total"], got["previous"]) == (1, 1)
    rows = {r["code"]: r for r in got["forms"]}
    # Acquitted of begging: no "including forced begging" line for the conviction.
    assert rows["labour"]["count"] == 1 and rows["labour"]["including"] == []
    assert rows["sexual"]["count"] == 0 and rows["sexual"]["previous"] == 1
    bands = {
        b["band"]: (b["count"], b["previous"]) for b in figures.sentences_by_band(2025)["bands"]
    }
    assert bands["1_5y"] == (1, 0) and bands["10_20y"] == (0, 1)
    assert sum(c for c, _p in bands.values()) == 1
    # s1 convicted on one charge and acquitted on another counts as convicted.
    assert figures.acquittals(2025) == {"year": 2025, "value": 1, "previous": 0}


def test_officials_and_stalled(data):
    got = figures.officials_involved(2025)
    assert got["investigations"] == {"value": 1, "previous": 0}
    assert got["prosecuted"] == {"value": 1, "previous": 0}
    assert got["convicted"] == {"value": 1, "previous": 0}
    stalled = figures.stalled_proceedings(2025)
    # C (open, no event since January) and s3's prosecution (no event since May).
    assert stalled["investigations"] == {"value": 1, "previous": 0}
    assert stalled["prosecutions"] == {"value": 1, "previous": 0}
    assert figures.stalled_proceedings(2025, {data["police"].pk})["investigations"]["value"] == 1


def test_stalled_queryset_has_ages(data):
    from himaya.justice.models import Investigation

    today = D(2026, 1, 10)
    rows = Investigation.objects.stalled(today)
    assert [r.pk for r in rows] == [data["c"].pk]
    assert rows[0].idle_days == (today - D(2025, 1, 10)).days


def test_drill_down_matches_the_figures(data, users):
    from himaya.justice.models import Investigation, Prosecution

    assert figures.drill_down("investigations", 2025).count() == 4
    arrested = figures.drill_down("arrested", 2025).values("suspect_id").distinct().count()
    assert arrested == figures.suspects_arrested(2025)["value"]
    prosecuted = figures.drill_down("prosecuted", 2025)
    assert prosecuted.values("suspect_id").distinct().count() == 3
    # Narrowed to what a user may open: the police see their investigations, not E.
    mine = figures.drill_down("investigations", 2025).filter(
        pk__in=Investigation.objects.visible_to(users["carol"]).values("pk")
    )
    assert mine.count() == 3
    assert not prosecuted.filter(
        pk__in=Prosecution.objects.visible_to(users["alice"]).values("pk")
    ).exists()
