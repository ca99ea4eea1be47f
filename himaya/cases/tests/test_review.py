"""Regression tests from the security review of the identify features (cases).

Root cause: _raise_alert looks for "a grant another open alert holds for the same
organisation" with

    dossier.grants.filter(live_grant_q(""), organisation=org,
                          nonpunishment_alerts__resolved_on__isnull=True)

An ``isnull=True`` lookup across a many-to-many is a LEFT OUTER JOIN: a grant linked to no
alert at all (a referral's, a justice link's, any grant_access) has a NULL there and matches.
So the alert adopts that grant instead of creating its own: (1) if the grant is de-identified,
the prosecution never gets the identity the rule promises while the alert is open; (2) when the
alert is resolved, resolve_alert ends "its" grants and so revokes the other flow's grant.
"""

import datetime

import pytest
from django.utils import timezone

from himaya.cases import actions
from himaya.cases.actions import record_offence, resolve_alert
from himaya.cases.actions.nonpunishment import GRANT_REASON
from himaya.cases.models import AccessGrant, Dossier, Stage
from himaya.core import access
from himaya.testing import factories as f

pytestmark = pytest.mark.django_db

TANGER = "tanger_tetouan_al_hoceima"


@pytest.fixture
def presumed(users, orgs):
    """A police dossier in Tangier at the presumed-victim stage (the parquet is Tangier's)."""
    carol = users["carol"]
    dossier = f.dossier(carol, orgs["police"], exploitation_region=f.code("region", TANGER))
    actions.change_stage(dossier, acting_user=carol, stage=Stage.PRESUMED)
    return dossier


def charge(dossier, user, org):
    return record_offence(
        dossier,
        acting_user=user,
        organisation=org,
        offence_type="begging",
        charged_on=timezone.localdate() - datetime.timedelta(days=1),
        authority_other="Tribunal de première instance",
    )


def sees_identity(user, dossier):
    access.forget(user)
    return Dossier.objects.with_identity_for(user).filter(pk=dossier.pk).exists()


def test_an_alert_gives_the_identity_even_when_the_prosecution_holds_a_deidentified_grant(
    users, orgs, presumed
):
    carol, paula = users["carol"], users["paula"]
    # The prosecution already follows the dossier de-identified (e.g. a justice link).
    earlier = actions.grant_access(
        presumed,
        acting_user=carol,
        organisation=orgs["parquet"],
        reason="justice link",
        with_identity=False,
    )
    assert not sees_identity(paula, presumed)
    _offence, alert = charge(presumed, carol, orgs["police"])
    # The rule (core/access.py, "Decisions and non-punishment"): each recipient receives a
    # grant WITH the identity while the alert is open.
    grant = alert.grants.get()
    assert grant.pk != earlier.pk  # fails on HEAD: the de-identified grant was adopted
    assert (grant.with_identity, grant.reason) == (True, GRANT_REASON)
    assert sees_identity(paula, presumed)  # fails on HEAD


def test_resolving_an_alert_does_not_end_a_grant_another_flow_created(users, orgs, presumed):
    carol, paula = users["carol"], users["paula"]
    referral = actions.grant_access(
        presumed,
        acting_user=carol,
        organisation=orgs["parquet"],
        reason="referral",
        with_identity=True,
    )
    _offence, alert = charge(presumed, carol, orgs["police"])
    resolve_alert(alert, acting_user=paula, outcome="non_punishment")
    referral.refresh_from_db()
    assert referral.revoked_at is None  # fails on HEAD: the referral's grant was revoked
    assert AccessGrant.objects.filter(pk=referral.pk, revoked_at__isnull=True).exists()
    access.forget(paula)
    assert Dossier.objects.visible_to(paula).filter(pk=presumed.pk).exists()
    # The alert's own grant, by contrast, ended with it.
    assert not alert.grants.filter(revoked_at__isnull=True).exists()


def test_the_api_takes_a_charging_authority_only_from_the_pages_list(users, orgs, presumed, login):
    """Low: the offence form offers as charging authority only the organisations that bring
    charges (identify_forms.CHARGING_ORG_TYPES: police, gendarmerie, prosecution, court,
    immigration service, labour inspectorate); the API (api.identify.OffenceCreateSerializer.
    validate_authority) takes any active organisation, e.g. a shelter, and record_offence does
    not check the type either. Fails on HEAD (201)."""
    from himaya.cases.models import NonPunishmentAlert, OffenceCharge

    response = login(users["carol"]).post(
        f"/api/dossiers/{presumed.pk}/offences/",
        {
            "offence_type": "begging",
            "charged_on": timezone.localdate().isoformat(),
            "authority": orgs["shelter"].pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "authority" in response.json()
    assert not OffenceCharge.objects.exists() and not NonPunishmentAlert.objects.exists()
