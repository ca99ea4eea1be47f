"""A justice case built through the actions: carol (police, Tanger) investigates with a victim's
dossier of her own, two suspects (one a public official) arrested; the investigation is
transferred to paula's office (parquet, Tanger), which prosecutes both before cole's court."""

import datetime

import pytest
from django.utils import timezone

from himaya.justice import actions as ja
from himaya.testing import factories as f


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def case(users, orgs):
    """The case of the module's docstring: its dossier, investigation, suspects ("official"
    and "other"), prosecutions (p1, p2) and their charges (c1, c2)."""
    carol, paula = users["carol"], users["paula"]
    dossier = f.dossier(carol, orgs["police"], forms=("labour",))
    inv, official, other = _investigation(carol, orgs, dossier)
    p1, p2 = [
        ja.start_prosecution(
            inv,
            suspect,
            acting_user=paula,
            office=orgs["parquet"],
            started_on=days_ago(60),
            court=orgs["court"],
        )
        for suspect in (official, other)
    ]
    c1 = ja.add_charge(
        p1, acting_user=paula, article="448.1", form=f.code("exploitation_form", "labour")
    )
    c2 = ja.add_charge(
        p2, acting_user=paula, article="448.1", form=f.code("exploitation_form", "sexual")
    )
    return {
        "dossier": dossier,
        "inv": inv,
        "official": official,
        "other": other,
        "p1": p1,
        "p2": p2,
        "c1": c1,
        "c2": c2,
    }


def _investigation(carol, orgs, dossier):
    """Carol's investigation with her dossier linked, two suspects arrested, transferred to
    the parquet. Returns the investigation and the two suspects."""
    inv = ja.open_investigation(
        acting_user=carol,
        organisation=orgs["police"],
        opened_on=days_ago(100),
        forms=[f.code("exploitation_form", "labour")],
    )
    ja.link_dossier(inv, dossier, acting_user=carol)
    official = ja.add_suspect(
        inv,
        acting_user=carol,
        added_on=days_ago(90),
        given_name_lat="Karim",
        family_name_lat="Official",
        public_official=True,
        official_body="Commune urbaine",
        role_in_process=f.code("role_in_process", "recruiter"),
    )
    other = ja.add_suspect(
        inv,
        acting_user=carol,
        added_on=days_ago(90),
        given_name_ar="سعيد",
        family_name_ar="المشتبه",
        role_in_process=f.code("role_in_process", "exploiter"),
    )
    for s in (official, other):
        ja.record_suspect_event(inv, s, acting_user=carol, kind="arrest", on=days_ago(80))
    ja.transfer_investigation(inv, acting_user=carol, office=orgs["parquet"], on=days_ago(70))
    return inv, official, other
