"""S21 at national scale: an erasure reads every encrypted text of the database once (minutes at
a million persons), longer than the web server lets a request last, so in a database of more
than HIMAYA_ERASURE_INLINE_PERSONS persons the page records the request "being erased" and the
background worker erases, with the same result and the same traces left: none. Checked again
when its turn comes, a request refused then erases nothing and says so."""

import pytest
from django.urls import reverse

from himaya.cases.models import DossierNote
from himaya.core import crypto
from himaya.notifications.models import Kind, Notification
from himaya.people.models import Person
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
