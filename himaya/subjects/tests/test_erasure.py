"""S21: erasure leaves no trace of the person in any table, file or index, keeps the other
person whole, and keeps the counts of a frozen annual report under a legal hold."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from himaya.audit.models import AuditEvent
from himaya.cases.actions import grant_access, record_decision
from himaya.cases.models import Dossier, DossierNote
from himaya.core import crypto
from himaya.exchange import pending
from himaya.exchange.models import ImportRun
from himaya.hotline.models import Report
from himaya.linkage.models import BlockingKey, NameFrequency
from himaya.linkage.records import frequency_digest, person_record
from himaya.people.models import Person, PersonNameKey
from himaya.secure_exports.models import SecureExport
from himaya.statistics.actions import differences
from himaya.statistics.figures import identified_victims
from himaya.statistics.models import FrozenReport
from himaya.statistics.report import build_report
from himaya.subjects import actions
from himaya.subjects.models import SubjectRequest
from himaya.testing import factories as f

from .conftest import OTHER_CANARIES, SUBJECT_CANARIES
from .scan import scan

pytestmark = pytest.mark.django_db


def index_digests(person):
    """What the indexes hold for the person: blind-index, linkage and name-count digests."""
    return (
        set(PersonNameKey.objects.filter(person=person).values_list("digest", flat=True))
        | set(BlockingKey.objects.filter(person=person).values_list("digest", flat=True))
        | {frequency_digest(person_record(person))}
    )


def pending_upload(user, org, text, file_name):
    """An upload checked and waiting to be imported (exchange.pending)."""
    return ImportRun.objects.create(
        user=user,
        organisation=org,
        file_name=file_name,
        file_format="csv",
        kind="casework",
        digest="0" * 64,
        status=ImportRun.Status.CHECKED,
        token=pending.store_pending(text.encode("utf-8")),
    )


def test_erasure_without_hold_leaves_no_trace(
    story, eraser, users, orgs, login, settings, tmp_path, figure
):
    settings.VAR_DIR = tmp_path  # this test's own data directory, scanned whole
    subject, other = story["subject"], story["other"]
    alice, ngo = users["alice"], orgs["ngo_a"]
    hers = pending_upload(
        alice, ngo, "name;phone\nZoubida Qarmouchi;0661234567\n", "zoubida_qarmouchi.csv"
    )
    his = pending_upload(alice, ngo, "name\nHamid Bennani\n", "list.csv")
    client = login(alice)
    assert client.post(reverse("subjects:export", args=[subject.pk])).status_code == 201
    client.post(reverse("people:list"), {"q": "Zoubida Qarmouchi"})  # kept in her session
    client.post(reverse("people:list"), {"q": "Hamid"})
    digests = index_digests(subject)
    assert NameFrequency.objects.filter(digest__in=digests).exists()
    needles = [*SUBJECT_CANARIES, *digests]
    _tables, files_before, before = scan(needles)
    assert {n for _w, n in before} >= {crypto.blind_digest("x:zoubida")} | {
        "zoubida",
        "قرموشي",
    }, "the scan must see the person before the erasure"
    assert any(where.startswith(str(tmp_path)) for where, _n in before)  # in the upload too
    assert any(where == "django_session (search)" for where, _n in before)

    request = actions.erase_person(subject, acting_user=eraser, reason="Her written request")

    assert request.outcome == SubjectRequest.Outcome.REMOVED and request.holds == []
    assert not Person.objects.filter(pk=subject.pk).exists()
    assert not Dossier.objects.filter(pk=story["dossier"].pk).exists()
    report = Report.objects.get(pk=story["report"].pk)  # the call stays, emptied
    assert report.dossier_id is None and report.narrative == ""
    tables, files, after = scan(needles)
    assert pending.load_pending(hers.token) is None and pending.load_pending(his.token)
    assert SecureExport.objects.get(subject_id=str(subject.pk)).archive in (b"", memoryview(b""))
    # The other person is whole: the same scan still finds every one of their values.
    _t, _f, others = scan(OTHER_CANARIES)
    assert {n for _w, n in others} == {c.casefold() for c in OTHER_CANARIES}
    assert ("django_session (search)", "hamid") in others  # her other search is kept
    assert Person.objects.get(pk=other.pk).given_name_lat == "Hamid"
    figure(
        f"S21 erasure: {len(after)} traces in {tables} tables, files and indexes (every "
        f"column read raw, every encrypted field and session search decrypted, {files_before} "
        f"files under the data directory then {files}, the blind index, linkage keys and name "
        "counts), after "
        "removing a person with no legal hold"
    )
    assert after == []
    assert AuditEvent.objects.filter(action="erase_person", object_id=str(subject.pk)).exists()


@pytest.fixture
def frozen_year(users, orgs, story):
    """The subject identified last year by the police, whose report of that year is frozen."""
    year = timezone.localdate().year - 1
    dossier = f.dossier(
        users["alice"],
        orgs["ngo_a"],
        story["subject"],
        forms=("labour",),
        opened_on=datetime.date(year, 11, 1),
    )
    grant_access(
        dossier,
        acting_user=users["alice"],
        organisation=orgs["police"],
        reason="identification",
    )
    record_decision(
        dossier,
        acting_user=users["carol"],
        organisation=orgs["police"],
        status=f.code("trafficking_status", "actual"),
        decided_on=datetime.date(year, 12, 10),
        reasons="Zoubida Qarmouchi, seen in Derb",
    )
    f.member(users["ana"], orgs["commission"], "analyst")
    frozen = FrozenReport.objects.create(
        year=year,
        version=1,
        report=build_report(year),
        data_version="test",
        frozen_by=users["ana"],
    )
    return frozen


def test_a_frozen_report_keeps_the_counts_and_loses_the_identity(
    story, eraser, frozen_year, login, users, figure
):
    subject = story["subject"]
    year = frozen_year.year
    victims = frozen_year.report
    assert Person.objects.get(pk=subject.pk).birth_date is not None
    digests = index_digests(subject)
    counted = {v.person: v.age_group for v in identified_victims(year)}
    assert counted == {subject.pk: "child"}  # 17 on the day of the decision

    page = login(eraser).get(reverse("subjects:erase", args=[subject.pk]))
    assert b'data-testid="erase-holds"' in page.content and str(year).encode() in page.content

    request = actions.erase_person(subject, acting_user=eraser, reason="Request of Zoubida")

    assert request.outcome == SubjectRequest.Outcome.ANONYMISED
    assert request.holds == [{"code": "frozen_report", "year": year}]
    assert "zoubida" not in request.reason.casefold()
    kept = Person.objects.get(pk=subject.pk)
    assert kept.display_name == "" and kept.birth_date is None
    assert kept.birth_date_precision == "estimated" and kept.estimated_age == 17
    assert kept.sex.code == "female" and list(kept.citizenships.values_list("code", flat=True))
    assert not DossierNote.objects.filter(dossier=story["dossier"]).exists()
    assert {v.person: v.age_group for v in identified_victims(year)} == counted
    assert differences(victims, build_report(year)) == []
    assert not Person.objects.search("Zoubida Qarmouchi").exists()
    assert not Person.objects.search("قرموشي").exists()
    assert login(users["alice"]).get(reverse("people:detail", args=[subject.pk])).status_code == 200
    _tables, _files, after = scan([*SUBJECT_CANARIES, *digests])
    figure(
        f"S21 erasure under a legal hold (frozen report of {year}): {len(after)} traces; "
        f"report differences after erasure: {len(differences(victims, build_report(year)))}"
    )
    assert after == []


def test_an_open_prosecution_is_a_hold(users, orgs):
    from himaya.justice import actions as ja

    carol, paula = users["carol"], users["paula"]
    boss = f.member(
        f.member(f.UserFactory(username="pia"), orgs["police"], "org_admin"),
        orgs["police"],
        "investigator",
    )
    dossier = f.dossier(carol, orgs["police"], forms=("labour",))
    today = timezone.localdate()
    inv = ja.open_investigation(
        acting_user=carol,
        organisation=orgs["police"],
        opened_on=today - datetime.timedelta(days=30),
        forms=[f.code("exploitation_form", "labour")],
    )
    ja.link_dossier(inv, dossier, acting_user=carol)
    suspect = ja.add_suspect(
        inv,
        acting_user=carol,
        added_on=today - datetime.timedelta(days=20),
        given_name_lat="Karim",
        role_in_process=f.code("role_in_process", "recruiter"),
    )
    ja.transfer_investigation(inv, acting_user=carol, office=orgs["parquet"], on=today)
    prosecution = ja.start_prosecution(
        inv,
        suspect,
        acting_user=paula,
        office=orgs["parquet"],
        started_on=today,
        court=orgs["court"],
    )
    ja.record_participation(prosecution, dossier, acting_user=paula, role="complainant")

    request = actions.erase_person(dossier.person, acting_user=boss, reason="Request")

    assert request.holds == [{"code": "proceedings"}]
    assert Dossier.objects.filter(pk=dossier.pk).exists()
    assert prosecution.participations.filter(dossier=dossier).exists()
    assert Person.objects.get(pk=dossier.person_id).display_name == ""


def test_who_may_erase(users, orgs, story, eraser):
    subject = story["subject"]
    with pytest.raises(PermissionDenied):  # a caseworker, not an organisation admin
        actions.erase_person(subject, acting_user=users["alice"], reason="x")
    with pytest.raises(PermissionDenied):  # another organisation
        actions.erase_person(subject, acting_user=users["bob"], reason="x")
    with pytest.raises(ValidationError):
        actions.erase_person(subject, acting_user=eraser, reason="  ")
    # A dossier of the person owned by another organisation: that one is asked instead.
    Dossier.objects.filter(pk=story["dossier"].pk).update(owner_org=orgs["ngo_b"])
    assert "Another organisation" in actions.erasure_refusal(eraser, subject)
    assert Person.objects.filter(pk=subject.pk).exists()


def test_erasure_pages(login, users, story, eraser):
    subject = story["subject"]
    url = reverse("subjects:erase", args=[subject.pk])
    assert login(users["bob"]).get(url).status_code == 404
    assert login(users["charlie"]).post(url, {"reason": "x", "confirm": "on"}).status_code == 404
    page = login(users["alice"]).get(url)
    assert page.status_code == 200 and b'data-testid="erase-refusal"' in page.content
    assert login(users["alice"]).post(url, {"reason": "x", "confirm": "on"}).status_code == 403
    client = login(eraser)
    person_page = client.get(reverse("people:detail", args=[subject.pk]))
    assert url.encode() in person_page.content
    unconfirmed = client.post(url, {"reason": "Her request"})
    assert unconfirmed.status_code == 400 and b"Tick the box" in unconfirmed.content
    assert Person.objects.filter(pk=subject.pk).exists()
    done = client.post(url, {"reason": "Her request", "confirm": "on"})
    assert done.status_code == 302
    result = client.get(done["Location"])
    assert result.status_code == 200 and b'data-testid="outcome"' in result.content
    assert not Person.objects.filter(pk=subject.pk).exists()
    request = SubjectRequest.objects.get()
    assert login(users["bob"]).get(done["Location"]).status_code == 404
    assert request.person is None and request.person_number == subject.pk
