"""The justice actions: what they record, what they refuse, what they audit."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone, translation

from himaya.audit.models import AuditEvent
from himaya.cases.models import AccessGrant, Dossier
from himaya.core import access
from himaya.core.models import Code
from himaya.justice import actions as ja
from himaya.justice.models import (
    Investigation,
    InvestigationStatus,
    ProsecutionStatus,
    Suspect,
)
from himaya.testing import factories as f

from .conftest import days_ago

TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


def test_open_investigation_audits_and_refuses_bad_input(users, orgs):
    carol = users["carol"]
    with pytest.raises(ValidationError) as exc:
        ja.open_investigation(acting_user=carol, organisation=orgs["police"], opened_on=TOMORROW)
    assert "opened_on" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        ja.open_investigation(
            acting_user=carol,
            organisation=orgs["police"],
            opened_on=days_ago(1),
            region=f.code("sex", "female"),
        )
    assert "region" in exc.value.error_dict
    with pytest.raises(PermissionDenied):
        ja.open_investigation(
            acting_user=users["alice"], organisation=orgs["ngo_a"], opened_on=days_ago(1)
        )
    inv = ja.open_investigation(
        acting_user=carol, organisation=orgs["police"], opened_on=days_ago(1), external_ref="R-1"
    )
    assert inv.reference.startswith("ENQ-")
    assert inv.region == orgs["police"].region
    assert AuditEvent.objects.filter(action="open_investigation", object_id=str(inv.pk)).exists()
    with pytest.raises(ValidationError) as exc:
        ja.open_investigation(
            acting_user=carol,
            organisation=orgs["police"],
            opened_on=days_ago(1),
            external_ref="R-1",
        )
    assert "external_ref" in exc.value.error_dict
    assert Investigation.objects.count() == 1


def test_suspect_identity_is_encrypted_and_flags_validated(users, orgs, case):
    with connection.cursor() as cur:
        cur.execute("SELECT given_name_lat, official_body FROM justice_suspect")
        raw = " ".join(str(v) for row in cur.fetchall() for v in row)
    assert "Karim" not in raw and "Commune" not in raw
    with pytest.raises(ValidationError) as exc:
        ja.add_suspect(
            case["inv"], acting_user=users["carol"], given_name_lat="X", public_official=True
        )
    assert "official_body_type" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:  # a code of another list
        ja.add_suspect(
            case["inv"],
            acting_user=users["carol"],
            given_name_lat="X",
            public_official=True,
            official_body_type=Code.objects.get(list="sex", code="male"),
        )
    assert "official_body_type" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        ja.add_suspect(case["inv"], acting_user=users["carol"])
    assert "given_name_ar" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        ja.add_suspect(case["inv"], acting_user=users["carol"], suspect=case["other"])
    assert "suspect" in exc.value.error_dict


def test_a_suspect_can_be_in_two_investigations(users, orgs, case):
    inv2 = ja.open_investigation(
        acting_user=users["carol"], organisation=orgs["police"], opened_on=days_ago(5)
    )
    ja.add_suspect(inv2, acting_user=users["carol"], suspect=case["other"])
    assert set(case["other"].investigations.all()) == {case["inv"], inv2}


def test_events_are_dated_after_the_opening_and_release_follows_arrest(users, case):
    carol, inv = users["carol"], case["inv"]
    with pytest.raises(ValidationError) as exc:
        ja.record_suspect_event(
            inv, case["other"], acting_user=carol, kind="arrest", on=days_ago(200)
        )
    assert "on" in exc.value.error_dict
    suspect = ja.add_suspect(inv, acting_user=carol, given_name_lat="Free")
    with pytest.raises(ValidationError) as exc:
        ja.record_suspect_event(inv, suspect, acting_user=carol, kind="release", on=days_ago(1))
    assert "kind" in exc.value.error_dict
    ja.record_suspect_event(inv, case["other"], acting_user=carol, kind="release", on=days_ago(1))
    inv.refresh_from_db()
    assert inv.last_event_on == timezone.localdate()  # the suspect added today


def test_transfer_grants_the_office_the_linked_dossier(users, orgs, case):
    # The police own the dossier: no grant for them; the office got one at the transfer.
    grants = AccessGrant.objects.filter(dossier=case["dossier"], revoked_at__isnull=True)
    assert list(grants.values_list("organisation_id", flat=True)) == [orgs["parquet"].pk]
    assert access.sees_identity(users["paula"], case["dossier"])
    # An NGO's dossier shared with the police: linking gives the office a grant as well.
    alice_dossier = f.dossier(users["alice"], orgs["ngo_a"])
    from himaya.cases.actions import grant_access

    grant_access(alice_dossier, acting_user=users["alice"], organisation=orgs["police"], reason="x")
    access.forget(users["carol"])
    link = ja.link_dossier(case["inv"], alice_dossier, acting_user=users["carol"])
    assert access.sees_identity(users["paula"], alice_dossier)
    ja.unlink_dossier(link, acting_user=users["carol"])
    access.forget(users["paula"])
    assert not Dossier.objects.visible_to(users["paula"]).filter(pk=alice_dossier.pk).exists()


def test_cannot_link_a_dossier_not_seen_with_identity(users, orgs, case):
    alice_dossier = f.dossier(users["alice"], orgs["ngo_a"])
    with pytest.raises(ValidationError) as exc:
        ja.link_dossier(case["inv"], alice_dossier, acting_user=users["carol"])
    assert "dossier" in exc.value.error_dict
    assert not AccessGrant.objects.filter(dossier=alice_dossier).exists()


def test_verdict_sentence_and_status(users, orgs, case):
    paula, cole = users["paula"], users["cole"]
    with pytest.raises(ValidationError) as exc:
        ja.record_decision(
            case["c1"], acting_user=paula, outcome="convicted", decided_on=days_ago(61)
        )
    assert "decided_on" in exc.value.error_dict
    acquittal = ja.record_decision(
        case["c2"], acting_user=cole, outcome="acquitted", decided_on=days_ago(10)
    )
    with pytest.raises(ValidationError):
        ja.record_sentence(acquittal, acting_user=paula, prison_months=12)
    conviction = ja.record_decision(
        case["c1"], acting_user=paula, outcome="convicted", decided_on=days_ago(10)
    )
    assert conviction.court == orgs["court"]
    with pytest.raises(ValidationError) as exc:
        ja.record_sentence(conviction, acting_user=paula, prison_months=12, suspended_months=24)
    assert "suspended_months" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        ja.record_sentence(conviction, acting_user=paula, prison_months=12, fine_mad="abc")
    assert "fine_mad" in exc.value.error_dict
    sentence = ja.record_sentence(
        conviction, acting_user=paula, prison_months=60, suspended_months=12, fine_mad="50000"
    )
    assert sentence.firm_months == 48
    case["p1"].refresh_from_db()
    assert case["p1"].status == ProsecutionStatus.DECIDED
    ja.record_appeal(case["p1"], acting_user=paula, lodged_on=days_ago(5), lodged_by="defence")
    case["p1"].refresh_from_db()
    assert case["p1"].status == ProsecutionStatus.APPEALED
    assert AuditEvent.objects.filter(action="record_sentence").count() == 1


def test_requalification_needs_an_article(users, case):
    with pytest.raises(ValidationError) as exc:
        ja.record_decision(
            case["c1"], acting_user=users["paula"], outcome="requalified", decided_on=days_ago(3)
        )
    assert "requalified_as" in exc.value.error_dict
    d = ja.record_decision(
        case["c1"],
        acting_user=users["paula"],
        outcome="requalified",
        decided_on=days_ago(3),
        requalified_as="498",
    )
    case["p1"].refresh_from_db()
    assert d.requalified_as == "498" and case["p1"].status == ProsecutionStatus.ONGOING


def test_participation_needs_a_linked_dossier_and_granted_among_asked(users, orgs, case):
    paula = users["paula"]
    with pytest.raises(ValidationError) as exc:
        ja.record_participation(
            case["p1"],
            case["dossier"],
            acting_user=paula,
            role="witness",
            protection_asked=["identity"],
            protection_granted=["police"],
        )
    assert "protection_granted" in exc.value.error_dict
    other = f.dossier(users["carol"], orgs["police"])
    with pytest.raises(ValidationError):
        ja.record_participation(case["p1"], other, acting_user=paula, role="witness")
    p = ja.record_participation(
        case["p1"],
        case["dossier"],
        acting_user=paula,
        role="complainant",
        protection_asked=["identity", "police"],
        protection_granted=["identity"],
        compensation_mad="20000",
    )
    assert p.compensation_mad == 20000


def test_only_the_office_charges_and_only_prosecution_offices_prosecute(users, orgs, case):
    for name in ("carol", "alice", "cole", "charlie"):
        access.forget(users[name])
        with pytest.raises((PermissionDenied, ValidationError)):
            ja.add_charge(
                case["p1"],
                acting_user=users[name],
                article="448.2",
                form=f.code("exploitation_form", "labour"),
            )
    with pytest.raises(ValidationError):
        ja.start_prosecution(
            case["inv"],
            case["other"],
            acting_user=users["carol"],
            office=orgs["police"],
            started_on=days_ago(1),
        )
    assert case["p1"].charges.count() == 1


def test_close_and_status(users, orgs):
    inv = ja.open_investigation(
        acting_user=users["carol"], organisation=orgs["police"], opened_on=days_ago(3)
    )
    ja.close_investigation(inv, acting_user=users["carol"], on=days_ago(1))
    inv.refresh_from_db()
    assert inv.status == InvestigationStatus.CLOSED
    with pytest.raises(ValidationError):
        ja.transfer_investigation(
            inv, acting_user=users["carol"], office=orgs["parquet"], on=days_ago(1)
        )


def test_update_suspect_is_versioned(users, case):
    from himaya.core.errors import Conflict

    s = case["other"]
    ja.update_suspect(s, acting_user=users["carol"], expected_version=1, diplomatic_immunity=True)
    assert Suspect.objects.get(pk=s.pk).diplomatic_immunity
    with pytest.raises(Conflict):
        ja.update_suspect(s, acting_user=users["carol"], expected_version=1, given_name_lat="Z")


def test_an_officials_body_has_a_kind_read_in_each_language_and_its_name_as_typed(users, case):
    """The kind of body is a code; a body named without its kind (an import, an older client)
    gets the kind its name says, else "other public body"; a suspect who is no official keeps
    neither."""
    carol, inv = users["carol"], case["inv"]
    customs = Code.objects.get(list="public_body", code="customs")
    typed = ja.add_suspect(
        inv,
        acting_user=carol,
        given_name_lat="Typed",
        public_official=True,
        official_body_type=customs,
        official_body="ميناء طنجة المتوسط",
    )
    with translation.override("ar"):
        assert typed.official_body_shown == "إدارة الجمارك · ميناء طنجة المتوسط"
    with translation.override("fr"):
        assert typed.official_body_shown == "douanes · ميناء طنجة المتوسط"
    named = {
        "Caïdat de Beni Makada": "local_authority",
        "الدرك الملكي بالفنيدق": "gendarmerie",
        "Direction générale de la sûreté nationale": "police",
        "Ministère de la santé": "other",
    }
    for i, (body, kind) in enumerate(named.items()):
        s = ja.add_suspect(
            inv,
            acting_user=carol,
            given_name_lat=f"Named{i}",
            public_official=True,
            official_body=body,
        )
        assert (s.official_body_type.code, s.official_body) == (kind, body)
    s = ja.update_suspect(
        typed, acting_user=carol, expected_version=typed.version, public_official=False
    )
    assert (s.official_body_type, s.official_body) == (None, "")
    assert s.official_body_shown == ""


def test_the_status_follows_each_charges_latest_decision_in_as_many_queries_for_any_count(
    users, case
):
    """A prosecution's status reads the latest decision of every charge at once: the import adds
    charges and decisions a row at a time, and a query per charge made each row slower than the
    last."""
    from django.test.utils import CaptureQueriesContext

    from himaya.justice.actions.prosecutions import refresh_status

    paula, p1 = users["paula"], case["p1"]
    labour = f.code("exploitation_form", "labour")
    ja.record_decision(case["c1"], acting_user=paula, outcome="convicted", decided_on=days_ago(20))
    with CaptureQueriesContext(connection) as one:
        assert refresh_status(p1) == ProsecutionStatus.DECIDED
    charges = [
        ja.add_charge(p1, acting_user=paula, article="448.1", form=labour, count=n)
        for n in (2, 3, 4)
    ]
    p1.refresh_from_db()
    assert p1.status == ProsecutionStatus.ONGOING  # three charges not decided yet
    for charge in charges:
        ja.record_decision(charge, acting_user=paula, outcome="acquitted", decided_on=days_ago(15))
    with CaptureQueriesContext(connection) as four:
        assert refresh_status(p1) == ProsecutionStatus.DECIDED
    assert len(four) == len(one)
    # the latest decision counts: a requalification after the acquittal reopens the charge
    ja.record_decision(
        charges[0],
        acting_user=paula,
        outcome="requalified",
        decided_on=days_ago(5),
        requalified_as="498",
    )
    p1.refresh_from_db()
    assert p1.status == ProsecutionStatus.ONGOING
