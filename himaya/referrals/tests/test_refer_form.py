"""Issue 15 on the referral and shelter pages: the consent recorded inside the referral form
(through the person page's own action, audited, kept only with the referral), beds and
facilities offered only where they fit the person (and why the others are not), distinct labels
for accepting a referral and admitting a person, and refusals that say who may act."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from himaya.audit.models import AuditEvent
from himaya.people.models import Consent
from himaya.referrals import actions
from himaya.referrals.models import Referral, ShelterStay
from himaya.testing import factories as f

from .conftest import consent, refer

pytestmark = pytest.mark.django_db

REASON = "تحتاج إلى إيواء آمن بعد خروجها من مكان الاستغلال"


def _refer_url(dossier):
    return reverse("referrals:refer", args=[dossier.pk])


def _post(orgs, facility=None, **extra):
    data = {
        "service": "shelter",
        "to_org": orgs["shelter"].pk,
        "reason": REASON,
        "facility": facility.pk if facility else "",
    }
    data.update(extra)
    return data


def _man(users, orgs, **fields):
    return f.dossier(
        users["alice"],
        orgs["ngo_a"],
        f.person(
            users["alice"],
            orgs["ngo_a"],
            given_name_lat="Youssef",
            sex=f.code("sex", "male"),
            **fields,
        ),
    )


def _child(users, orgs):
    born = timezone.localdate() - datetime.timedelta(days=365 * 10)
    return f.dossier(
        users["alice"],
        orgs["ngo_a"],
        f.person(users["alice"], orgs["ngo_a"], birth_date=born),
    )


# --- Consent recorded with the referral --------------------------------------------------------


def test_consent_recorded_inside_the_referral_form(orgs, users, shelter_setup, login):
    d = f.dossier(users["alice"], orgs["ngo_a"])
    alice = login(users["alice"])
    page = alice.get(_refer_url(d)).content.decode()
    assert 'data-testid="consent-now"' in page and "id_consent_given_by" in page

    # Without the consent ticked: refused, nothing recorded, every word typed still there.
    response = alice.post(_refer_url(d), _post(orgs, urgent="on"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "record the consent with the referral" in body and REASON in body
    assert 'name="urgent" class="form-check-input" id="id_urgent" checked' in body
    assert not Referral.objects.exists() and not Consent.objects.exists()

    # Ticked without saying who gave it: a message on that field, still nothing recorded.
    response = alice.post(
        _refer_url(d), _post(orgs, consent_now="on", consent_given_by="", consent_given_on="")
    )
    assert response.status_code == 400
    assert "Say who gave the consent." in response.content.decode()
    assert not Consent.objects.exists()

    today = timezone.localdate()
    response = alice.post(
        _refer_url(d),
        _post(
            orgs,
            consent_now="on",
            consent_given_by="representative",
            consent_given_on=today.isoformat(),
            consent_informed_in=f.code("language", "ar").pk,
        ),
    )
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "referrals:detail", args=[referral.pk]
    )
    consents = Consent.objects.filter(person=d.person)
    assert sorted(consents.values_list("purpose", "given_by", "given_on", "organisation_id")) == [
        ("services", "representative", today, orgs["ngo_a"].pk),
        ("sharing", "representative", today, orgs["ngo_a"].pk),
    ]
    assert {c.informed_in.code for c in consents} == {"ar"}
    assert referral.consent == consents.get(purpose="sharing") and not referral.consent_override
    # Audited by the consent action itself, one row per purpose, by alice.
    rows = AuditEvent.objects.filter(
        action="record_consent", outcome="ok", actor_id=users["alice"].pk
    )
    assert sorted(r.object_id for r in rows) == sorted(str(c.pk) for c in consents)
    # Consented now: the form no longer asks.
    page = alice.get(_refer_url(d)).content.decode()
    assert 'data-testid="consent-ok"' in page and "id_consent_now" not in page


def test_consent_is_not_kept_when_the_referral_is_refused(orgs, users, shelter_setup, login):
    d = f.dossier(users["alice"], orgs["ngo_a"])
    alice = login(users["alice"])
    # To her own organisation: refused after the consent was written in the same transaction.
    response = alice.post(
        _refer_url(d),
        _post(
            orgs,
            to_org=orgs["ngo_a"].pk,
            consent_now="on",
            consent_given_by="person",
            consent_given_on=timezone.localdate().isoformat(),
        ),
    )
    assert response.status_code == 400
    assert REASON in response.content.decode()
    assert not Consent.objects.exists() and not Referral.objects.exists()
    assert not AuditEvent.objects.filter(action="record_consent").exists()


def test_a_childs_consent_is_given_by_a_guardian(orgs, users, shelter_setup, login):
    d = _child(users, orgs)
    alice = login(users["alice"])
    page = alice.get(_refer_url(d)).content.decode()
    assert '<option value="guardian" selected>' in page  # the guardian, offered first
    data = _post(
        orgs,
        guardian="Fatima Zahra, mother",
        consent_now="on",
        consent_given_by="person",
        consent_given_on=timezone.localdate().isoformat(),
    )
    response = alice.post(_refer_url(d), data)
    assert response.status_code == 400
    assert "legal guardian or a legal representative" in response.content.decode()
    assert not Consent.objects.exists()
    response = alice.post(_refer_url(d), data | {"consent_given_by": "guardian"})
    assert response.status_code == 302
    assert set(Consent.objects.values_list("given_by", flat=True)) == {"guardian"}
    assert Referral.objects.get().guardian == "Fatima Zahra, mother"


def test_a_future_consent_date_is_a_form_error(orgs, users, shelter_setup, login):
    d = f.dossier(users["alice"], orgs["ngo_a"])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = login(users["alice"]).post(
        _refer_url(d),
        _post(
            orgs, consent_now="on", consent_given_by="person", consent_given_on=tomorrow.isoformat()
        ),
    )
    assert (
        response.status_code == 400 and "This date is in the future." in response.content.decode()
    )
    assert not Consent.objects.exists() and not Referral.objects.exists()


# --- Beds and facilities that fit the person ---------------------------------------------------


def test_a_women_and_children_shelter_is_not_offered_for_a_man(orgs, users, shelter_setup, login):
    facility = shelter_setup  # 2 beds for women, 1 for children
    d = _man(users, orgs)
    consent(users["alice"], orgs["ngo_a"], d.person)
    alice = login(users["alice"])
    page = alice.get(_refer_url(d)).content.decode()
    assert f'<option value="{facility.pk}"' not in page
    assert 'data-testid="facilities-not-offered"' in page
    assert "beds for women, and the person is male" in page
    assert "beds for children, and the person is an adult" in page
    # Posted anyway: refused by the action, with the reason, and the reason typed kept.
    with pytest.raises(ValidationError, match="No bed of this facility fits"):
        refer(users, orgs, d, facility=facility)
    response = alice.post(_refer_url(d), _post(orgs, facility=facility))
    assert response.status_code == 400 and REASON in response.content.decode()
    assert not Referral.objects.exists()


def test_admit_offers_only_the_beds_that_fit(orgs, users, shelter_setup, consented_dossier, login):
    facility = shelter_setup
    r = refer(users, orgs, consented_dossier, facility=facility)  # an adult woman
    r = actions.accept_referral(r, acting_user=users["sam"], expected_version=r.version)
    sam = login(users["sam"])
    page = sam.get(reverse("referrals:detail", args=[r.pk])).content.decode()
    assert f'value="{facility.pk}:women"' in page
    assert f'value="{facility.pk}:children"' not in page
    assert "Dar Amane · beds for children, and the person is an adult" in page
    assert "2 beds free today" in page
    # Children's beds posted anyway: a form error on the page, and the action refuses too.
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = sam.post(
        reverse("referrals:admit", args=[r.pk]),
        {"bed": f"{facility.pk}:children", "admitted_on": yesterday},
        follow=True,
    )
    assert "Select a valid choice" in response.content.decode()
    with pytest.raises(ValidationError, match="does not fit the person"):
        actions.admit(
            r,
            acting_user=users["sam"],
            facility=facility,
            bed_group="children",
            admitted_on=timezone.localdate(),
        )
    assert not ShelterStay.objects.exists()
    sam.post(
        reverse("referrals:admit", args=[r.pk]),
        {"bed": f"{facility.pk}:women", "admitted_on": yesterday},
    )
    assert ShelterStay.objects.get().bed_group == "women"


def test_no_bed_fits_says_so(orgs, users, shelter_setup, login):
    d = _man(users, orgs)
    consent(users["alice"], orgs["ngo_a"], d.person)
    r = refer(users, orgs, d)  # to the shelter, no facility named
    r = actions.accept_referral(r, acting_user=users["sam"], expected_version=r.version)
    page = login(users["sam"]).get(reverse("referrals:detail", args=[r.pk])).content.decode()
    assert 'data-testid="no-bed-fits"' in page and 'data-testid="admit"' not in page
    assert "beds for women, and the person is male" in page


# --- Labels and refusals ---------------------------------------------------------------------


def test_accepting_and_admitting_have_distinct_labels(
    orgs, users, shelter_setup, consented_dossier, login
):
    r = refer(users, orgs, consented_dossier, facility=shelter_setup)
    sam = login(users["sam"])
    page = sam.get(reverse("referrals:detail", args=[r.pk])).content.decode()
    assert ">Accept the referral</button>" in page and ">Reject the referral</button>" in page
    sam.post(reverse("referrals:accept", args=[r.pk]), {"version": r.version})
    page = sam.get(reverse("referrals:detail", args=[r.pk])).content.decode()
    assert ">Admit the person</button>" in page and ">Accept the referral<" not in page


def test_refusals_say_who_may_act(orgs, users, shelter_setup, consented_dossier, login):
    r = refer(users, orgs, consented_dossier)
    # The receiver sees the referral but may not revoke it: a message, not a 404.
    sam = login(users["sam"])
    response = sam.post(
        reverse("referrals:revoke", args=[r.pk]), {"version": r.version}, follow=True
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Revoking a referral is for:" in body and "caseworker" in body
    assert str(orgs["ngo_a"].name) in body  # the organisation that sent it
    r.refresh_from_db()
    assert r.status == "in_progress"
    # The sender may not accept it either, and is told who answers.
    alice = login(users["alice"])
    body = alice.post(
        reverse("referrals:accept", args=[r.pk]), {"version": r.version}, follow=True
    ).content.decode()
    assert "Answering a referral is for:" in body and str(orgs["shelter"].name) in body
    # Override by a caseworker: refused with who may (investigator or prosecutor).
    d = f.dossier(users["alice"], orgs["ngo_a"])
    with pytest.raises(Exception, match="investigator or prosecutor"):
        refer(users, orgs, d, override=True, override_reason="Danger")
