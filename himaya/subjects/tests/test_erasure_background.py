"""S21 at national scale: an erasure reads every encrypted text of the database once (minutes at
a million persons), longer than the web server lets a request last, so in a database of more
than HIMAYA_ERASURE_INLINE_PERSONS persons the page records the request "being erased" and the
background worker erases, with the same result and the same traces left: none. Checked again
when its turn comes, a request refused then erases nothing and says so."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from himaya.cases.models import DossierNote
from himaya.core import crypto
from himaya.exchange.models import Extract
from himaya.notifications.models import Kind, Notification
from himaya.people.models import Person
from himaya.subjects import actions, erasure
from himaya.subjects.models import SubjectRequest

from .conftest import SUBJECT_CANARIES
from .scan import scan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def large(settings, tmp_path):
    settings.HIMAYA_ERASURE_INLINE_PERSONS = 1
    settings.VAR_DIR = tmp_path


def _ask(client, person):
    url = reverse("subjects:erase", args=[person.pk])
    return client.post(url, {"reason": "Her written request", "confirm": "on"})


def test_the_worker_erases_and_leaves_no_trace(login, users, story, eraser, work):
    subject, other_dossier = story["subject"], story["other_dossier"]
    client = login(eraser)
    response = _ask(client, subject)
    request = SubjectRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("subjects:detail", args=[request.pk])
    assert request.outcome == SubjectRequest.Outcome.ERASING
    assert Person.objects.filter(pk=subject.pk).exists()  # nothing erased yet
    page = client.get(response["Location"]).text
    assert "under way" in page and "being erased" in page
    again = client.get(reverse("subjects:erase", args=[subject.pk])).text
    assert "already under way" in again
    assert _ask(client, subject).status_code == 403 and SubjectRequest.objects.count() == 1

    work()
    request.refresh_from_db()
    assert request.outcome == SubjectRequest.Outcome.REMOVED and request.counts
    assert not Person.objects.filter(pk=subject.pk).exists()
    note = DossierNote.objects.get(dossier=other_dossier)
    assert "Zoubida" not in note.text and "Hamid says" in note.text
    _tables, _files, after = scan([*SUBJECT_CANARIES, crypto.blind_digest("x:zoubida")])
    assert after == []
    told = Notification.objects.get(recipient=eraser, kind=Kind.JOB_FINISHED)
    assert told.reference == request.reference


def test_a_request_refused_when_its_turn_comes_erases_nothing(
    login, users, orgs, story, eraser, work
):
    subject = story["subject"]
    _ask(login(eraser), subject)
    eraser.memberships.filter(organisation=orgs["ngo_a"], role="caseworker").update(active=False)
    work()
    request = SubjectRequest.objects.get()
    assert request.outcome == SubjectRequest.Outcome.FAILED and request.counts == {}
    assert Person.objects.get(pk=subject.pk).given_name_lat == "Zoubida"
    told = Notification.objects.get(recipient=eraser, kind=Kind.JOB_FAILED)
    assert told.reference == request.reference


def test_an_erasure_that_fails_in_the_worker_erases_nothing_and_frees_the_person(
    login, users, story, eraser, monkeypatch, django_capture_on_commit_callbacks
):
    subject = story["subject"]
    client = login(eraser)
    _ask(client, subject)

    def broken(person, *, hold):
        raise RuntimeError("disk full")

    monkeypatch.setattr(erasure, "erase", broken)
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
        actions.erase_queued(SubjectRequest.objects.get().pk)
    request = SubjectRequest.objects.get()
    assert request.outcome == SubjectRequest.Outcome.FAILED
    assert Person.objects.get(pk=subject.pk).family_name_lat == "Qarmouchi"
    assert Notification.objects.filter(recipient=eraser, kind=Kind.JOB_FAILED).count() == 1
    monkeypatch.undo()
    assert _ask(client, subject).status_code == 302  # asked again, and queued
    assert SubjectRequest.objects.filter(outcome=SubjectRequest.Outcome.ERASING).count() == 1


def test_an_erasure_no_worker_finished_ends_after_a_day(login, story, eraser):
    _ask(login(eraser), story["subject"])
    request = SubjectRequest.objects.get()
    day = request.created_at + actions.LOST_AFTER
    assert actions.fail_lost_erasures(now=day - datetime.timedelta(seconds=1)) == 0
    assert actions.fail_lost_erasures(now=day + datetime.timedelta(seconds=1)) == 1
    request.refresh_from_db()
    assert request.outcome == SubjectRequest.Outcome.FAILED


def test_the_analysts_extracts_waiting_are_erased_with_the_person(users, orgs, story, eraser):
    waiting = Extract.objects.create(
        owner=users["ana"],
        organisation=orgs["commission"],
        kind=Extract.Kind.HTCDS_CSV,
        status=Extract.Status.READY,
        content=b"a row of hers among the country's",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    request = actions.erase_person(story["subject"], acting_user=eraser, reason="Her request")
    waiting.refresh_from_db()
    assert waiting.status == Extract.Status.EXPIRED and bytes(waiting.content) == b""
    assert request.counts["exchange.extract"] == 1
