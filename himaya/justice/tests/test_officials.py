"""Proceedings involving a public official or a person with immunity count persons: the flag
recorded on one record of a suspect holds for every record linked to it as the same person (the
linkage desk), in the annual figures (DOMAIN.md §6, "officials") and in the commission's
oversight list. Before this, a prosecution office's own record of an official, linked to the
police's flagged one, was counted as no official at all."""

import datetime

import pytest

from himaya.justice import actions as ja
from himaya.justice import figures
from himaya.justice.oversight import oversight_rows
from himaya.linkage import actions as linkage
from himaya.linkage.candidates import propose
from himaya.linkage.models import PairSource
from himaya.linkage.scoring import Score
from himaya.testing import factories as f

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def two_records(users, orgs):
    """The same customs officer: flagged by the police in investigation X, recorded again
    without the flag by the gendarmerie in investigation Y, prosecuted and convicted there."""
    carol, paula, parquet = users["carol"], users["paula"], orgs["parquet"]
    x = ja.open_investigation(
        acting_user=carol, organisation=orgs["police"], opened_on=D(2025, 2, 1)
    )
    flagged = ja.add_suspect(
        x,
        acting_user=carol,
        added_on=D(2025, 2, 1),
        given_name_lat="Hamid",
        public_official=True,
        official_body="Douane",
        diplomatic_immunity=True,
    )
    gendarmerie = f.OrganisationFactory(
        name_fr="Gendarmerie", type=f.code("org_type", "gendarmerie")
    )
    gina = f.member(f.UserFactory(username="gina"), gendarmerie, "investigator")
    y = ja.open_investigation(acting_user=gina, organisation=gendarmerie, opened_on=D(2025, 3, 1))
    again = ja.add_suspect(y, acting_user=gina, added_on=D(2025, 3, 1), given_name_lat="Hamid")
    ja.transfer_investigation(y, acting_user=gina, office=parquet, on=D(2025, 3, 15))
    p = ja.start_prosecution(
        y, again, acting_user=paula, office=parquet, started_on=D(2025, 4, 1), court=orgs["court"]
    )
    charge = ja.add_charge(
        p, acting_user=paula, article="448.1", form=f.code("exploitation_form", "labour")
    )
    ja.record_decision(charge, acting_user=paula, outcome="convicted", decided_on=D(2025, 9, 1))
    return {"x": x, "y": y, "flagged": flagged, "again": again, "gendarmerie": gendarmerie}


def _link(orgs, flagged, again):
    lina = f.member(f.UserFactory(username="lina"), orgs["commission"], "linkage_officer")
    score = Score({"name": 4, "birth": 4}, 12.0, 0.99, {})
    pair, _new = propose("suspect", flagged.pk, again.pk, score, source=PairSource.BATCH)
    linkage.link_pair(pair, acting_user=lina)


def _officials():
    got = figures.officials_involved(2025)
    return {k: got[k]["value"] for k in ("investigations", "prosecuted", "convicted")}


def test_an_official_flagged_on_a_linked_record_counts_as_one_official(two_records, orgs):
    assert _officials() == {"investigations": 1, "prosecuted": 0, "convicted": 0}
    _link(orgs, two_records["flagged"], two_records["again"])
    assert _officials() == {"investigations": 2, "prosecuted": 1, "convicted": 1}


def test_the_oversight_list_shows_the_linked_records_proceedings_once_per_person(two_records, orgs):
    def rows():
        return {(r["kind"], r["reference"]): r for r in oversight_rows()}

    before = rows()
    assert [key[1] for key in before] == [two_records["x"].reference]
    _link(orgs, two_records["flagged"], two_records["again"])
    after = rows()
    references = sorted(key[1] for key in after)
    assert references == sorted([two_records["x"].reference] + [two_records["y"].reference] * 2)
    for row in after.values():
        shown = two_records["flagged"].official_body_shown
        assert (row["officials"], row["immunity"], row["bodies"]) == (1, 1, [shown])


def test_an_organisations_own_figures_read_only_the_flags_its_records_carry(two_records, orgs):
    """The gendarmerie's own figures do not tell it that another organisation flagged its
    suspect as an official (the investigation page keeps that flag to its record too)."""
    _link(orgs, two_records["flagged"], two_records["again"])
    own = figures.officials_involved(2025, {two_records["gendarmerie"].pk})
    assert own["investigations"]["value"] == 0
    police = figures.officials_involved(2025, {orgs["police"].pk})
    assert police["investigations"]["value"] == 1
