import datetime

import pytest
from django.utils import timezone

from himaya.people import actions as people_actions
from himaya.referrals import actions
from himaya.testing import factories as f


def consent(user, org, person, purposes=("services", "sharing")):
    for p in purposes:
        people_actions.record_consent(
            person,
            acting_user=user,
            organisation=org,
            purpose=p,
            given_on=timezone.localdate(),
            given_by="person",
        )


@pytest.fixture
def shelter_setup(orgs, users):
    """The shelter as a provider with one facility (2 beds for women, 1 for children)."""
    f.provider(orgs["shelter"], users["sam"], ["shelter", "psychosocial"], ["women"])
    f.provider(orgs["io"], users["ivy"], ["return"], ["migrants"])
    f.provider(orgs["ngo_b"], users["bob"], ["psychosocial", "legal_aid"])
    facility = actions.create_facility(
        orgs["shelter"],
        acting_user=users["sam"],
        name_fr="Dar Amane",
        region=f.code("region", "casablanca_settat"),
        beds_women=2,
        beds_children=1,
    )
    return facility


@pytest.fixture
def consented_dossier(orgs, users):
    d = f.dossier(users["alice"], orgs["ngo_a"])
    consent(users["alice"], orgs["ngo_a"], d.person)
    return d


def refer(users, orgs, dossier, to="shelter", service="shelter", **kw):
    return actions.send_referral(
        dossier,
        acting_user=kw.pop("user", users["alice"]),
        to_org=orgs[to],
        service=service,
        reason=kw.pop("reason", "Needs a safe place"),
        **kw,
    )


YESTERDAY = lambda: timezone.localdate() - datetime.timedelta(days=1)  # noqa: E731
