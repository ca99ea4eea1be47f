"""S21: the access export holds what the requester's organisation may see about the person, and
nothing about anyone else."""

import json

import pytest
from django.urls import reverse

from himaya.audit.models import AccessEvent, AuditEvent
from himaya.subjects import actions
from himaya.subjects.models import SubjectRequest
from himaya.testing import factories as f

from .conftest import OTHER_CANARIES, SUBJECT_CANARIES
from .scan import fold

pytestmark = pytest.mark.django_db


def test_the_export_holds_no_other_persons_data(users, orgs, story, figure):
    subject, other = story["subject"], story["other"]
    request, body = actions.subject_access_export(subject, acting_user=users["alice"])
    text = fold(body.decode("utf-8"))
    document = json.loads(body)
    records = document["records"]
    assert records["person"][0]["given_name_lat"] == "Zoubida"
    assert {c for c in SUBJECT_CANARIES if fold(c) in text} == set(SUBJECT_CANARIES)
    assert (
        "[…]" in body.decode()
    )  # the other person's name in the shared note and call was taken out
    leaks = [c for c in OTHER_CANARIES if fold(c) in text]
    leaks += [ref for ref in (story["other_dossier"].reference,) if ref.casefold() in text]
    leaks += ["caller contact"] if "rachid" in text else []
    assert {r["record"] for r in records["people.identitydocument"]}.isdisjoint(
        set(other.documents.values_list("pk", flat=True))
    )
    assert [d["reference"] for d in records["cases.dossier"]] == [story["dossier"].reference]
    sections = sorted(k for k, v in records.items() if v)
    figure(
        f"S21 access export: {len(leaks)} other persons' data "
        f"({len(sections)} kinds of record exported: {', '.join(sections)})"
    )
    assert leaks == []
    assert request.kind == SubjectRequest.Kind.ACCESS and request.forward == "open"
    assert AuditEvent.objects.filter(action="subject_access_export").count() == 1
    assert AccessEvent.objects.filter(person_id=subject.pk, purpose="subject access export")


def test_the_export_reads_only_what_the_organisation_may_see(users, orgs, story):
    """NGO B, holding a dossier of the same person, is asked through the commission; its
    records are not in NGO A's export."""
    subject = story["subject"]
    f.member(users["bob"], orgs["ngo_b"], "caseworker")
    theirs = f.dossier(users["alice"], orgs["ngo_a"], subject, forms=("sexual",))
    Dossier = type(theirs)
    Dossier.objects.filter(pk=theirs.pk).update(owner_org=orgs["ngo_b"])
    request, body = actions.subject_access_export(subject, acting_user=users["alice"])
    assert theirs.reference not in body.decode()
    # NGO B for its dossier, the hotline for the call it linked to NGO A's dossier
    assert set(request.holders.all()) == {orgs["ngo_b"], orgs["hotline"]}


def test_export_page(login, users, story):
    subject = story["subject"]
    url = reverse("subjects:export", args=[subject.pk])
    for outsider in ("bob", "ana", "charlie"):
        assert login(users[outsider]).post(url).status_code == 404
    assert login(users["alice"]).get(url).status_code == 405
    response = login(users["alice"]).post(url)
    assert response.status_code == 201  # the one-time password page of the encrypted export
    request = SubjectRequest.objects.get()
    assert (
        login(users["alice"]).get(reverse("subjects:detail", args=[request.pk])).status_code == 200
    )
    assert login(users["bob"]).get(reverse("subjects:detail", args=[request.pk])).status_code == 404


def test_the_commission_passes_requests_on(login, users, orgs, story):
    officer = f.member(f.UserFactory(username="lina"), orgs["commission"], "linkage_officer")
    request, _body = actions.subject_access_export(story["subject"], acting_user=users["alice"])
    client = login(officer)
    listing = client.get(reverse("subjects:forwarded"))
    assert listing.status_code == 200 and request.reference.encode() in listing.content
    assert b"Zoubida" not in listing.content
    assert login(users["alice"]).get(reverse("subjects:forwarded")).status_code == 404
    client.post(reverse("subjects:passed_on", args=[request.pk]))
    request.refresh_from_db()
    assert request.forward == SubjectRequest.Forward.PASSED
