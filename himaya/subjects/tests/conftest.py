"""Two persons in one story, recorded through the actions: Zoubida Qarmouchi (the subject of
the requests) and Hamid Bennani, both helped by NGO A, met in the same hotline call and named in
each other's notes. Every identifying value is a canary the scans look for."""

import datetime

import pytest
from django.utils import timezone

from himaya.cases import actions as case_actions
from himaya.field import actions as field_actions
from himaya.field.models import FieldSubmission
from himaya.hotline import actions as hotline_actions
from himaya.hotline.models import Report
from himaya.linkage.candidates import propose
from himaya.linkage.models import PairSource
from himaya.linkage.scoring import Score
from himaya.people import actions as people_actions
from himaya.screening.tests import helpers as screening
from himaya.testing import factories as f

SUBJECT = {
    "given_name_lat": "Zoubida",
    "family_name_lat": "Qarmouchi",
    "given_name_ar": "زبيدة",
    "family_name_ar": "قرموشي",
}
SUBJECT_PHONE, SUBJECT_DOC = "+212 661 234 567", "ZX9876543"
SUBJECT_EMAIL, SUBJECT_ADDRESS = "zoubida.q@example.org", "Derb Lkhrazine"
OTHER = {
    "given_name_lat": "Hamid",
    "family_name_lat": "Bennani",
    "given_name_ar": "حميد",
    "family_name_ar": "بناني",
}
OTHER_PHONE, OTHER_DOC = "+212 677 889 900", "QK5544332"
SUBJECT_CANARIES = [*SUBJECT.values(), SUBJECT_PHONE, SUBJECT_DOC, SUBJECT_EMAIL, SUBJECT_ADDRESS]
OTHER_CANARIES = [*OTHER.values(), OTHER_PHONE, OTHER_DOC]


def _person(user, org, names, phone, doc, **contacts):
    person = f.person(
        user,
        org,
        **names,
        # 17 on 10 December of last year, whatever this year is (the frozen-report test)
        birth_date=datetime.date(timezone.localdate().year - 18, 11, 20),
        contacts={"phones": [phone], **contacts},
    )
    people_actions.add_document(
        person, acting_user=user, type=f.code("document_type", "passport"), number=doc
    )
    people_actions.record_consent(
        person,
        acting_user=user,
        organisation=org,
        purpose="processing",
        given_on=timezone.localdate(),
        given_by="person",
    )
    return person


@pytest.fixture
def story(users, orgs):
    """The two persons and their dossiers at NGO A, the notes naming each other, the subject's
    screening sent from a phone, the hotline call naming both and the linkage desk's pair."""
    alice, ngo = users["alice"], orgs["ngo_a"]
    subject = _person(
        alice,
        ngo,
        SUBJECT,
        SUBJECT_PHONE,
        SUBJECT_DOC,
        emails=[SUBJECT_EMAIL],
        address=SUBJECT_ADDRESS,
    )
    other = _person(alice, ngo, OTHER, OTHER_PHONE, OTHER_DOC)
    dossier, other_dossier = _dossiers_with_notes(alice, ngo, subject, other)
    _screening_from_a_phone(alice, ngo, subject)
    report = _hotline_call(users, orgs, dossier)
    # The linkage desk was asked whether the two are one person (they are not).
    propose(
        "person",
        subject.pk,
        other.pk,
        Score({}, -3, 0.2, {}),
        source=PairSource.ENTRY,
        reason="Zoubida Qarmouchi or Hamid Bennani?",
    )
    return {
        "subject": subject,
        "other": other,
        "dossier": dossier,
        "other_dossier": other_dossier,
        "report": report,
    }


def _dossiers_with_notes(alice, ngo, subject, other):
    """A dossier for each, with a note naming the other."""
    dossier = f.dossier(alice, ngo, subject, forms=("labour",))
    other_dossier = f.dossier(alice, ngo, other, forms=("labour",))
    case_actions.add_note(
        dossier,
        acting_user=alice,
        text=f"Zoubida Qarmouchi came with Hamid Bennani ({OTHER_PHONE}, passport {OTHER_DOC}); "
        f"she can be called on {SUBJECT_PHONE}.",
    )
    case_actions.add_note(
        other_dossier, acting_user=alice, text="Hamid says Zoubida Qarmouchi was kept in Derb."
    )
    return dossier, other_dossier


def _screening_from_a_phone(alice, ngo, subject):
    """The subject's screening, received from a field team's phone (ODK)."""
    received = screening.start(
        alice, ngo, person=subject, alias="Zoubida", place_detail="Derb Lkhrazine"
    )
    device, _token = field_actions.enrol_device(
        acting_user=alice, user=alice, organisation=ngo, name="phone 1", days=30
    )
    # Its submission row points at it. Created directly: receive_submission would start a
    # screening of its own from the form's answers, not this one with the subject's names.
    FieldSubmission.objects.create(
        instance_id="uuid:5b1f0c0e-0000-4000-8000-000000000001",
        device=device,
        form_id="himaya_form",
        form_version="1",
        questionnaire=received.questionnaire,
        screening=received,
        digest="0" * 64,
    )


def _hotline_call(users, orgs, dossier):
    """A call naming both, linked to the subject's dossier."""
    report = hotline_actions.record_report(
        acting_user=users["harry"],
        organisation=orgs["hotline"],
        channel="call",
        urgency="normal",
        narrative="A caller says Zoubida Qarmouchi and Hamid Bennani work without pay.",
        possible_victims="Zoubida Qarmouchi, Hamid Bennani",
        reporter_contact="Caller: Rachid, 0600000000",
    )
    # The hotline linked its call to the dossier the NGO opened (a triage step of its own).
    # Set directly: no action links a call to a dossier another organisation opened.
    Report.objects.filter(pk=report.pk).update(dossier=dossier)
    return report


@pytest.fixture
def eraser(users, orgs):
    """An organisation admin of NGO A who also works with its victims."""
    return f.member(users["olivia"], orgs["ngo_a"], "caseworker")
