"""Non-punishment: an offence charged against a presumed or identified victim raises an alert
to the prosecution of the region, shared through an access grant while the alert is open."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from himaya.audit.models import AuditEvent
from himaya.cases import actions
from himaya.cases.actions import record_offence, resolve_alert
from himaya.cases.actions.nonpunishment import GRANT_REASON
from himaya.cases.models import (
    AccessGrant,
    Dossier,
    NonPunishmentAlert,
    OffenceCharge,
    Stage,
)
from himaya.testing import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
TANGER = "tanger_tetouan_al_hoceima"


@pytest.fixture
def presumed(users, orgs):
    """A police dossier in Tangier, at the presumed-victim stage."""
    carol = users["carol"]
    dossier = f.dossier(carol, orgs["police"], exploitation_region=f.code("region", TANGER))
    actions.change_stage(dossier, acting_user=carol, stage=Stage.PRESUMED)
    return dossier


def offence(dossier, user, org, **kwargs):
    kwargs.setdefault("offence_type", "irregular_entry_stay")
    kwargs.setdefault("charged_on", TODAY - datetime.timedelta(days=3))
    kwargs.setdefault("authority_other", "Tribunal de première instance")
    return record_offence(dossier, acting_user=user, organisation=org, **kwargs)


def sees(user, dossier):
    user.__dict__.pop("_himaya_memberships", None)
    return Dossier.objects.visible_to(user).filter(pk=dossier.pk).exists()


def test_an_offence_alerts_the_regional_prosecution_until_resolved(users, orgs, presumed):
    carol, paula = users["carol"], users["paula"]
    assert not sees(paula, presumed)
    charge, alert = offence(presumed, carol, orgs["police"])
    assert charge.region.code == TANGER  # the dossier's region of exploitation by default
    assert list(alert.recipients.all()) == [orgs["parquet"]]
    grant = alert.grants.get()
    assert (grant.organisation, grant.with_identity, grant.reason) == (
        orgs["parquet"],
        True,
        GRANT_REASON,
    )
    assert grant.source == f"cases.nonpunishmentalert:{alert.pk}"
    assert sees(paula, presumed)
    assert list(NonPunishmentAlert.objects.visible_to(paula).open()) == [alert]
    resolve_alert(alert, acting_user=paula, outcome="non_punishment")
    alert.refresh_from_db()
    assert (alert.outcome, alert.resolved_on, alert.resolved_org) == (
        "non_punishment",
        TODAY,
        orgs["parquet"],
    )
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    assert not sees(paula, presumed)
    assert [
        a
        for a in AuditEvent.objects.order_by("id").values_list("action", flat=True)
        if a in {"record_offence", "raise_alert", "grant_access", "resolve_alert", "revoke_access"}
    ] == ["record_offence", "grant_access", "raise_alert", "revoke_access", "resolve_alert"]


def test_another_open_alert_keeps_the_grant(users, orgs, presumed):
    carol, paula = users["carol"], users["paula"]
    _c1, first = offence(presumed, carol, orgs["police"])
    _c2, second = offence(presumed, carol, orgs["police"], offence_type="document_fraud")
    assert first.grants.get() == second.grants.get()  # one grant serves both
    assert AccessGrant.objects.filter(dossier=presumed).count() == 1
    resolve_alert(first, acting_user=paula, outcome="charges_dropped")
    assert sees(paula, presumed)
    resolve_alert(second, acting_user=carol, outcome="convicted")  # the owner resolves too
    assert not sees(paula, presumed)


def test_the_alert_goes_to_the_region_of_the_charge(users, orgs, presumed):
    casa = f.OrganisationFactory(
        name_fr="Parquet de Casablanca",
        type=f.code("org_type", "prosecution"),
        region=f.code("region", "casablanca_settat"),
    )
    f.OrganisationFactory(  # inactive: receives nothing
        type=f.code("org_type", "prosecution"),
        region=f.code("region", "casablanca_settat"),
        active=False,
    )
    _charge, alert = offence(
        presumed, users["carol"], orgs["police"], region=f.code("region", "casablanca_settat")
    )
    assert list(alert.recipients.all()) == [casa]
    assert not sees(users["paula"], presumed)  # the prosecution of another region
    assert not NonPunishmentAlert.objects.visible_to(users["paula"]).exists()


def test_no_prosecution_in_the_region_still_alerts_the_owner(users, orgs, presumed):
    _charge, alert = offence(
        presumed, users["carol"], orgs["police"], region=f.code("region", "oriental")
    )
    assert not alert.recipients.exists() and not alert.grants.exists()
    assert list(NonPunishmentAlert.objects.for_inbox(users["carol"])) == [alert]


@pytest.mark.parametrize("stage", [None, Stage.NOT_VICTIM, Stage.CLOSED])
def test_only_a_presumed_or_identified_victim_gets_an_offence(users, orgs, stage):
    carol = users["carol"]
    dossier = f.dossier(carol, orgs["police"], exploitation_region=f.code("region", TANGER))
    if stage == Stage.CLOSED:
        for s in (Stage.PRESUMED, Stage.IDENTIFIED, Stage.ASSISTED, Stage.CLOSED):
            actions.change_stage(dossier, acting_user=carol, stage=s)
    elif stage:
        actions.change_stage(dossier, acting_user=carol, stage=stage)
    with pytest.raises(ValidationError, match="presumed or identified"):
        offence(dossier, carol, orgs["police"])
    assert not OffenceCharge.objects.exists() and not AccessGrant.objects.exists()


def test_a_partner_with_the_identity_records_an_offence_and_the_grant_follows(
    users, orgs, presumed
):
    actions.grant_access(
        presumed, acting_user=users["carol"], organisation=orgs["ngo_b"], reason="assistance"
    )
    charge, alert = offence(presumed, users["bob"], orgs["ngo_b"], offence_type="begging")
    assert charge.organisation == orgs["ngo_b"]
    assert alert.grants.get().organisation == orgs["parquet"]
    # The NGO holding the grant may not resolve the alert: the prosecution or the owner does.
    with pytest.raises(PermissionDenied):
        resolve_alert(alert, acting_user=users["bob"], outcome="charges_dropped")


@pytest.mark.parametrize("name", ["alice", "bob", "ana", "paula", "charlie", "root"])
def test_outsiders_record_nothing(users, orgs, presumed, name):
    with pytest.raises(PermissionDenied):
        offence(presumed, users[name], orgs["police"])
    assert not OffenceCharge.objects.exists() and not NonPunishmentAlert.objects.exists()


def test_a_prosecution_owner_needs_no_grant(users, orgs):
    paula = users["paula"]
    dossier = f.dossier(paula, orgs["parquet"], exploitation_region=f.code("region", TANGER))
    actions.change_stage(dossier, acting_user=paula, stage=Stage.PRESUMED)
    _charge, alert = offence(dossier, paula, orgs["parquet"])
    assert list(alert.recipients.all()) == [orgs["parquet"]]
    assert not AccessGrant.objects.exists()


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"offence_type": "other"}, "detail"),
        ({"offence_type": "smuggling"}, "offence_type"),
        ({"detail": "x" * 2001}, "detail"),
        ({"authority_other": ""}, "authority"),
        ({"authority_other": "x" * 201}, "authority_other"),
        ({"charged_on": TODAY + datetime.timedelta(days=1)}, "charged_on"),
        ({"region": None}, "region"),
    ],
)
def test_bad_offences_are_refused(users, orgs, kwargs, field):
    carol = users["carol"]
    dossier = f.dossier(carol, orgs["police"])  # no region of exploitation
    actions.change_stage(dossier, acting_user=carol, stage=Stage.PRESUMED)
    kwargs = {"region": f.code("region", TANGER), **kwargs}
    with pytest.raises(ValidationError) as exc:
        offence(dossier, carol, orgs["police"], **kwargs)
    assert field in exc.value.error_dict
    assert not OffenceCharge.objects.exists()


def test_authority_from_the_list_or_named_not_both(users, orgs, presumed):
    with pytest.raises(ValidationError) as exc:
        offence(presumed, users["carol"], orgs["police"], authority=orgs["parquet"])
    assert "authority_other" in exc.value.error_dict
    charge, _alert = offence(
        presumed, users["carol"], orgs["police"], authority=orgs["parquet"], authority_other=""
    )
    assert charge.authority == orgs["parquet"]


def test_resolution_rules(users, orgs, presumed):
    carol, paula = users["carol"], users["paula"]
    _charge, alert = offence(presumed, carol, orgs["police"])
    for kwargs, field in [
        ({"outcome": "pardoned"}, "outcome"),
        ({"outcome": "other"}, "note"),
        (
            {"outcome": "convicted", "resolved_on": TODAY + datetime.timedelta(days=1)},
            "resolved_on",
        ),
        (
            {"outcome": "convicted", "resolved_on": TODAY - datetime.timedelta(days=1)},
            "resolved_on",
        ),
    ]:
        with pytest.raises(ValidationError) as exc:
            resolve_alert(alert, acting_user=paula, **kwargs)
        assert field in exc.value.error_dict, kwargs
    for name in ("alice", "bob", "ana", "charlie"):
        with pytest.raises(PermissionDenied):
            resolve_alert(alert, acting_user=users[name], outcome="convicted")
    resolve_alert(alert, acting_user=paula, outcome="other", note="Classement sans suite")
    with pytest.raises(ValidationError, match="already resolved"):
        resolve_alert(alert, acting_user=carol, outcome="convicted")
    alert.refresh_from_db()
    assert (alert.outcome, alert.outcome_note) == ("other", "Classement sans suite")


def test_reasons_details_and_notes_are_encrypted_at_rest(users, orgs, presumed, figure):
    """S17 for these records: raw SQL over every table finds none of the free texts."""
    from himaya.cases.actions import record_decision
    from himaya.tests.test_encryption import raw_database_text

    carol = users["carol"]
    canaries = ["Zorblat reasons", "Quibbix detail", "Vornhald court", "Brimvax note"]
    record_decision(
        presumed,
        acting_user=carol,
        organisation=orgs["police"],
        status=f.code("trafficking_status", "possible"),
        decided_on=TODAY,
        reasons=canaries[0],
    )
    _charge, alert = offence(
        presumed,
        carol,
        orgs["police"],
        offence_type="other",
        detail=canaries[1],
        authority_other=canaries[2],
    )
    resolve_alert(alert, acting_user=users["paula"], outcome="other", note=canaries[3])
    dump = raw_database_text()
    hits = [c for c in canaries if c in dump]
    figure(f"S17: decisions and non-punishment: {len(hits)} of {len(canaries)} canaries in clear")
    assert hits == []
