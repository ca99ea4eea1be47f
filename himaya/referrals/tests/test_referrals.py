"""Referrals: the consent rule (S7), the access a referral grants and its end (S6), the scope
of what a receiving organisation sees, statuses, overdue flags, stays and transfers."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from himaya.audit.models import AuditEvent
from himaya.cases import actions as case_actions
from himaya.cases.models import AccessGrant, Dossier, DossierNote
from himaya.core import access
from himaya.people.models import Consent
from himaya.referrals import actions
from himaya.referrals.models import Referral, ReferralStatus, ShelterStay
from himaya.testing import factories as f

from .conftest import YESTERDAY, consent, refer

pytestmark = pytest.mark.django_db


# --- S7: consent ------------------------------------------------------------------------------


def test_s7_adult_without_consent_is_not_referred(orgs, users, shelter_setup, figure):
    d = f.dossier(users["alice"], orgs["ngo_a"])
    attempts = 0
    for purposes in [(), ("services",), ("sharing",)]:
        Consent.objects.filter(person=d.person).delete()
        consent(users["alice"], orgs["ngo_a"], d.person, purposes)
        attempts += 1
        with pytest.raises(ValidationError, match="consented"):
            refer(users, orgs, d)
    # a withdrawn consent is no consent
    consent(users["alice"], orgs["ngo_a"], d.person, ("services", "sharing"))
    Consent.objects.filter(person=d.person).update(withdrawn_on=timezone.localdate())
    attempts += 1
    with pytest.raises(ValidationError):
        refer(users, orgs, d)
    assert Referral.objects.count() == 0
    assert AccessGrant.objects.count() == 0
    figure(f"S7 referrals without consent: {attempts} attempts, 0 created")


def test_s7_adult_with_consent_is_referred_and_linked(
    orgs, users, shelter_setup, consented_dossier
):
    r = refer(users, orgs, consented_dossier)
    assert r.status == ReferralStatus.IN_PROGRESS
    assert r.consent.purpose == "sharing"
    assert not r.consent_override


def test_s7_child_needs_guardian(orgs, users, shelter_setup):
    child = f.person(
        users["alice"],
        orgs["ngo_a"],
        birth_date=timezone.localdate().replace(year=timezone.localdate().year - 12),
    )
    d = f.dossier(users["alice"], orgs["ngo_a"], the_person=child)
    with pytest.raises(ValidationError, match="guardian"):
        refer(users, orgs, d)
    r = refer(users, orgs, d, guardian="Aunt, legal guardian")
    assert r.is_child and r.guardian == "Aunt, legal guardian" and r.consent is None


def test_s7_override_needs_role_and_reason_and_is_audited(orgs, users, shelter_setup):
    d_ngo = f.dossier(users["alice"], orgs["ngo_a"])
    with pytest.raises(PermissionDenied):
        refer(users, orgs, d_ngo, override=True, override_reason="danger")
    d = f.dossier(users["carol"], orgs["police"])
    with pytest.raises(ValidationError, match="reason"):
        refer(users, orgs, d, user=users["carol"], override=True, override_reason=" ")
    assert Referral.objects.count() == 0
    r = refer(
        users, orgs, d, user=users["carol"], override=True, override_reason="Immediate danger"
    )
    assert r.consent_override and r.override_reason == "Immediate danger"
    assert AuditEvent.objects.filter(
        action="override_consent", object_id=str(r.pk), actor_id=users["carol"].pk
    ).exists()


def test_s7_form_without_consent_creates_nothing(orgs, users, shelter_setup, login):
    d = f.dossier(users["alice"], orgs["ngo_a"])
    client = login(users["alice"])
    url = reverse("referrals:refer", args=[d.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b'data-testid="consent-missing"' in page.content
    assert b"override" not in page.content  # a caseworker has no override fields
    resp = client.post(
        url,
        {"service": "shelter", "to_org": orgs["shelter"].pk, "reason": "x", "override": "on"},
    )
    assert resp.status_code == 400
    assert b"consented" in resp.content
    assert Referral.objects.count() == 0


# --- S6: access through a referral ------------------------------------------------------------


def _detail(client, d):
    return client.get(reverse("cases:detail", args=[d.pk])).status_code


@pytest.mark.parametrize("end", ["reject", "revoke", "done"])
def test_s6_referral_grants_then_ends_access(
    end, orgs, users, shelter_setup, consented_dossier, login, figure
):
    d = consented_dossier
    sam = login(users["sam"])
    assert _detail(sam, d) == 404
    r = refer(users, orgs, d)
    assert _detail(sam, d) == 200
    assert access.sees_identity(users["sam"], d)
    if end == "reject":
        actions.reject_referral(
            r, acting_user=users["sam"], expected_version=r.version, reason="no_capacity"
        )
    elif end == "revoke":
        actions.revoke_referral(r, acting_user=users["alice"], expected_version=r.version)
    else:
        r = actions.accept_referral(r, acting_user=users["sam"], expected_version=r.version)
        actions.complete_referral(r, acting_user=users["sam"], expected_version=r.version)
    assert _detail(sam, d) == 404
    access.forget(users["sam"])
    assert not Dossier.objects.visible_to(users["sam"]).filter(pk=d.pk).exists()
    # the referral stays listed for the shelter, without its reason
    page = sam.get(reverse("referrals:detail", args=[r.pk]))
    assert page.status_code == 200 and b"Needs a safe place" not in page.content
    figure(f"S6 referral then {end}: 200 then 404")


def test_s6_ending_one_referral_keeps_the_other(
    orgs, users, shelter_setup, consented_dossier, login
):
    d = consented_dossier
    r1 = refer(users, orgs, d)
    refer(users, orgs, d, service="psychosocial")
    actions.revoke_referral(r1, acting_user=users["alice"], expected_version=r1.version)
    assert _detail(login(users["sam"]), d) == 200


# --- What the receiving organisation sees ---


def test_receiver_sees_only_its_notes_and_referrals(
    orgs, users, shelter_setup, consented_dossier, login
):
    d = consented_dossier
    case_actions.add_note(d, acting_user=users["alice"], text="Owner's private note")
    r_shelter = refer(users, orgs, d)
    refer(users, orgs, d, to="ngo_b", service="legal_aid", reason="Lawyer for the trial")
    DossierNote.objects.create(
        dossier=d, text="Shelter note", author=users["sam"], organisation=orgs["shelter"]
    )
    notes = set(DossierNote.objects.visible_to(users["sam"]).values_list("text", flat=True))
    assert notes == {"Shelter note"}
    assert set(Referral.objects.visible_to(users["sam"])) == {r_shelter}
    page = login(users["sam"]).get(reverse("cases:detail", args=[d.pk])).content.decode()
    assert "Owner's private note" not in page and "Lawyer for the trial" not in page
    assert "Shelter note" in page
    # the owner still reads every note
    owner = set(DossierNote.objects.visible_to(users["alice"]).values_list("text", flat=True))
    assert owner == {"Owner's private note", "Shelter note"}
    assert access.referral_only(users["sam"], d)
    assert not access.referral_only(users["alice"], d)


def test_referral_detail_outsiders_404(orgs, users, shelter_setup, consented_dossier, login):
    r = refer(users, orgs, consented_dossier)
    for name in ("charlie", "bob", "carol", "ana"):
        c = login(users[name])
        assert c.get(reverse("referrals:detail", args=[r.pk])).status_code == 404
        assert c.post(reverse("referrals:accept", args=[r.pk]), {"version": 1}).status_code == 404
        assert c.post(reverse("referrals:revoke", args=[r.pk]), {"version": 1}).status_code == 404
    r.refresh_from_db()
    assert r.status == ReferralStatus.IN_PROGRESS


def test_sender_cannot_accept_and_receiver_cannot_revoke(
    orgs, users, shelter_setup, consented_dossier
):
    r = refer(users, orgs, consented_dossier)
    with pytest.raises(PermissionDenied):
        actions.accept_referral(r, acting_user=users["alice"], expected_version=r.version)
    with pytest.raises(PermissionDenied):
        actions.revoke_referral(r, acting_user=users["sam"], expected_version=r.version)


def test_reject_requires_reason(orgs, users, shelter_setup, consented_dossier, login):
    r = refer(users, orgs, consented_dossier)
    c = login(users["sam"])
    c.post(reverse("referrals:reject", args=[r.pk]), {"version": r.version, "reason": ""})
    r.refresh_from_db()
    assert r.status == ReferralStatus.IN_PROGRESS
    c.post(
        reverse("referrals:reject", args=[r.pk]), {"version": r.version, "reason": "no_capacity"}
    )
    r.refresh_from_db()
    assert r.status == ReferralStatus.REJECTED and r.rejection_reason == "no_capacity"
    assert r.grant.revoked_at is not None


def test_a_refused_rejection_says_which_field_and_why(
    orgs, users, shelter_setup, consented_dossier, login
):
    """The rejection form is posted from the referral's page: a note over its limit was reported
    as "Give the reason for the rejection." although a reason was given, and later as a message
    on the page reloaded without the note. The page comes back now with the note as typed and
    each field's own error beside it; a stale page (no version) is said to be unreadable."""
    r = refer(users, orgs, consented_dossier)
    c = login(users["sam"])
    url = reverse("referrals:reject", args=[r.pk])
    long_note = {"version": r.version, "reason": "no_capacity", "note": "n" * 2001}
    response = c.post(url, long_note)
    html = response.content.decode()
    assert response.status_code == 400
    assert "At most 2000 characters (you typed 2001)." in html
    assert "n" * 2001 + "</textarea>" in html
    assert 'value="no_capacity" selected' in html
    no_version = {"reason": "no_capacity"}
    response = c.post(url, no_version)
    assert response.status_code == 400
    html = response.content.decode()
    # One message: no "fields marked below" beside it, where no field is marked.
    assert html.count("The form could not be read; try again.") == 1
    assert "Please correct the fields marked below" not in html
    r.refresh_from_db()
    assert r.status == ReferralStatus.IN_PROGRESS


def test_overdue_flag(orgs, users, shelter_setup, consented_dossier, settings):
    r = refer(users, orgs, consented_dossier)
    assert not r.is_overdue
    Referral.objects.filter(pk=r.pk).update(sent_at=timezone.now() - datetime.timedelta(hours=5))
    r.refresh_from_db()
    assert not r.is_overdue
    Referral.objects.filter(pk=r.pk).update(urgent=True)
    r.refresh_from_db()
    assert r.is_overdue
    assert list(Referral.objects.overdue()) == [r]
    from himaya.referrals.home import home_context

    assert home_context(users["alice"])["referrals_overdue"] == [r]
    assert home_context(users["sam"])["referrals_overdue"] == [r]
    assert home_context(users["bob"])["referrals_overdue"] == []


# --- Stays and beds ---


def test_admit_discharge_and_free_beds(orgs, users, shelter_setup, consented_dossier, login):
    facility = shelter_setup
    assert facility.free_beds() == 3
    r = refer(users, orgs, consented_dossier, facility=facility)
    with pytest.raises(ValidationError):  # not accepted yet
        actions.admit(
            r,
            acting_user=users["sam"],
            facility=facility,
            bed_group="women",
            admitted_on=YESTERDAY(),
        )
    r = actions.accept_referral(r, acting_user=users["sam"], expected_version=r.version)
    c = login(users["sam"])
    page = c.get(reverse("referrals:facility", args=[facility.pk])).content.decode()
    assert consented_dossier.reference in page  # waiting list
    c.post(
        reverse("referrals:admit", args=[r.pk]),
        {"bed": f"{facility.pk}:women", "admitted_on": YESTERDAY().isoformat()},
    )
    stay = ShelterStay.objects.get()
    assert facility.free_beds() == 2
    with pytest.raises(ValidationError, match="Discharge"):
        actions.complete_referral(r, acting_user=users["sam"], expected_version=r.version)
    c.post(
        reverse("referrals:discharge", args=[stay.pk]),
        {
            "version": stay.version,
            "discharged_on": timezone.localdate().isoformat(),
            "discharge_reason": "plan_completed",
        },
    )
    stay.refresh_from_db()
    assert stay.discharged_on == timezone.localdate()
    assert facility.free_beds() == 3
    # another organisation cannot discharge or see the stay
    assert (
        login(users["bob"])
        .post(reverse("referrals:discharge", args=[stay.pk]), {"version": stay.version})
        .status_code
        == 404
    )


def test_no_admission_beyond_beds(orgs, users, shelter_setup):
    facility = shelter_setup
    for _ in range(2):
        d = f.dossier(users["alice"], orgs["ngo_a"])
        consent(users["alice"], orgs["ngo_a"], d.person)
        r = refer(users, orgs, d)
        r = actions.accept_referral(r, acting_user=users["sam"], expected_version=r.version)
        actions.admit(
            r,
            acting_user=users["sam"],
            facility=facility,
            bed_group="women",
            admitted_on=YESTERDAY(),
        )
    d = f.dossier(users["alice"], orgs["ngo_a"])
    consent(users["alice"], orgs["ngo_a"], d.person)
    r = refer(users, orgs, d)
    r = actions.accept_referral(r, acting_user=users["sam"], expected_version=r.version)
    with pytest.raises(ValidationError, match="No bed"):
        actions.admit(
            r,
            acting_user=users["sam"],
            facility=facility,
            bed_group="women",
            admitted_on=YESTERDAY(),
        )
    assert facility.free_beds() == 1  # the child bed


# --- Sessions, returns, plan, follow-ups ---


def test_sessions_and_return_by_providers(orgs, users, shelter_setup, consented_dossier, login):
    d = consented_dossier
    with pytest.raises(PermissionDenied):
        actions.record_session(d, acting_user=users["ivy"], kind="psychosocial", on=YESTERDAY())
    refer(users, orgs, d, to="io", service="return", reason="Wants to go home")
    ivy = login(users["ivy"])
    resp = ivy.post(
        reverse("referrals:return_add", args=[d.pk]),
        {
            "destination": f.code("country", "NG").pk,
            "partner": orgs["io"].pk,
            "travel_on": timezone.localdate().isoformat(),
            "followup": "Call in a month",
        },
    )
    assert resp.status_code == 302
    alice = login(users["alice"])
    resp = alice.post(
        reverse("referrals:session_add", args=[d.pk]),
        {"kind": "psychosocial", "on": YESTERDAY().isoformat(), "note": "first session"},
    )
    assert resp.status_code == 302
    page = alice.get(reverse("referrals:services", args=[d.pk])).content.decode()
    assert "first session" in page and "Call in a month" in page
    # the IO does not read the owner's sessions
    page = ivy.get(reverse("referrals:services", args=[d.pk])).content.decode()
    assert "first session" not in page and "Call in a month" in page
    # bad input is a form error, not a 500
    resp = alice.post(reverse("referrals:session_add", args=[d.pk]), {"kind": "x", "on": "nope"})
    assert resp.status_code == 400
    # outsiders
    for name in ("charlie", "bob"):
        c = login(users[name])
        assert c.get(reverse("referrals:services", args=[d.pk])).status_code == 404
        assert (
            c.post(
                reverse("referrals:session_add", args=[d.pk]),
                {"kind": "psychosocial", "on": YESTERDAY().isoformat()},
            ).status_code
            == 404
        )


def test_followup_on_home(orgs, users, consented_dossier, login):
    d = consented_dossier
    fu = actions.schedule_followup(d, acting_user=users["alice"], due_on=timezone.localdate())
    from himaya.referrals.home import home_context

    assert home_context(users["alice"])["followups_due"] == [fu]
    login(users["alice"]).post(reverse("referrals:followup_done", args=[fu.pk]))
    fu.refresh_from_db()
    assert fu.done_on == timezone.localdate()
    assert home_context(users["alice"])["followups_due"] == []


# --- Transfers ---


def test_transfer_needs_acceptance(orgs, users, consented_dossier, login):
    d = consented_dossier
    t = actions.propose_transfer(
        d, acting_user=users["alice"], to_org=orgs["ngo_b"], reason="Moved to Rabat"
    )
    d.refresh_from_db()
    assert d.owner_org == orgs["ngo_a"]
    with pytest.raises(PermissionDenied):
        actions.answer_transfer(t, acting_user=users["alice"], accept=True)
    login(users["bob"]).post(
        reverse("referrals:transfer_answer", args=[t.pk]), {"answer": "accept"}
    )
    d.refresh_from_db()
    assert d.owner_org == orgs["ngo_b"]
    access.forget(users["alice"])
    assert _detail(login(users["alice"]), d) == 404
    assert AuditEvent.objects.filter(action="transfer_dossier", object_id=str(d.pk)).exists()


def test_receiver_sees_no_justice_data(orgs, users, shelter_setup, login):
    from himaya.cases.actions import record_decision, record_offence

    carol = users["carol"]
    d = f.dossier(carol, orgs["police"])
    consent(carol, orgs["police"], d.person)
    record_decision(
        d,
        acting_user=carol,
        organisation=orgs["police"],
        status=f.code("trafficking_status", "actual"),
        decided_on=timezone.localdate(),
        reasons="Secret investigation findings",
    )
    record_offence(
        d,
        acting_user=carol,
        organisation=orgs["police"],
        offence_type="irregular_entry_stay",
        charged_on=timezone.localdate(),
        region=f.code("region", "tanger_tetouan_al_hoceima"),
        detail="Charged at the port",
        authority=orgs["parquet"],
    )
    refer(users, orgs, d, user=carol)
    page = login(users["sam"]).get(reverse("cases:detail", args=[d.pk])).content.decode()
    assert "Secret investigation findings" not in page and "Charged at the port" not in page
    own = login(carol).get(reverse("cases:detail", args=[d.pk])).content.decode()
    assert "Secret investigation findings" in own and "Charged at the port" in own
