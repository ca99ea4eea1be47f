"""A prosecution office sends back an investigation transferred to it that it will not
prosecute (another office's competence, a file to complete): the hand-off is answered, not left
waiting. The investigation is open again at the police, who are told and read why; the office's
access through the transfer ends; nothing is sent back once a prosecution has started."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from himaya.audit.models import AuditEvent
from himaya.cases.models import AccessGrant, Dossier
from himaya.core import access
from himaya.justice import actions as ja
from himaya.justice.models import Handoff, Investigation, InvestigationStatus
from himaya.notifications.models import Kind, Notification
from himaya.testing import factories as f

from .conftest import _investigation, days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def transferred(users, orgs):
    dossier = f.dossier(users["carol"], orgs["police"], forms=("labour",))
    inv, _official, _other = _investigation(users["carol"], orgs, dossier)
    return inv, dossier


def _send_back(inv, user, reason="Competence of the Rabat office", on=None):
    return ja.return_investigation(inv, acting_user=user, reason=reason, on=on or days_ago(60))


def test_the_office_sends_a_transfer_back(
    users, orgs, transferred, django_capture_on_commit_callbacks
):
    inv, dossier = transferred
    paula, carol = users["paula"], users["carol"]
    assert access.sees_identity(paula, dossier)  # through the transfer's grant
    with django_capture_on_commit_callbacks(execute=True):
        back = _send_back(inv, paula)
    assert (back.status, back.prosecution_office, back.status_on) == (
        InvestigationStatus.OPEN,
        None,
        days_ago(60),
    )
    (handoff,) = back.handoffs.filter(kind=Handoff.RETURNED)
    assert (handoff.office, handoff.on, handoff.reason, handoff.created_by) == (
        orgs["parquet"],
        days_ago(60),
        "Competence of the Rabat office",
        paula,
    )
    live = AccessGrant.objects.filter(dossier=dossier, revoked_at__isnull=True)
    assert not live.filter(organisation=orgs["parquet"]).exists()
    access.forget(paula)
    assert not Dossier.objects.visible_to(paula).filter(pk=dossier.pk).exists()
    assert not Investigation.objects.visible_to(paula).filter(pk=inv.pk).exists()
    told = Notification.objects.get(recipient=carol, kind=Kind.INVESTIGATION_RETURNED)
    assert told.reference == inv.reference
    assert AuditEvent.objects.filter(action="return_investigation", object_id=str(inv.pk)).exists()
    # The police may transfer it again, to the right office this time.
    again = ja.transfer_investigation(
        back, acting_user=carol, office=orgs["parquet"], on=days_ago(50)
    )
    assert again.status == InvestigationStatus.TRANSFERRED


def test_what_cannot_be_sent_back(users, orgs, transferred, case):
    inv, _dossier = transferred
    for outsider in (users["carol"], users["alice"]):  # the investigator, an NGO
        with pytest.raises(PermissionDenied):
            _send_back(inv, outsider)
    with pytest.raises(ValidationError) as exc:
        _send_back(inv, users["paula"], reason="   ")
    assert "reason" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        _send_back(inv, users["paula"], on=days_ago(75))  # before the transfer
    assert "on" in exc.value.error_dict
    with pytest.raises(ValidationError, match="prosecution has started"):
        _send_back(case["inv"], users["paula"])
    assert Investigation.objects.get(pk=inv.pk).status == InvestigationStatus.TRANSFERRED


def test_the_pages(users, login, transferred, case):
    inv, _dossier = transferred
    url = reverse("justice:return", args=[inv.pk])
    prosecutor = login(users["paula"])
    assert (
        'data-testid="send-back"' in prosecutor.get(reverse("justice:detail", args=[inv.pk])).text
    )
    started = prosecutor.get(reverse("justice:detail", args=[case["inv"].pk])).text
    assert 'data-testid="send-back"' not in started  # a prosecution has started there
    investigator = login(users["carol"])
    assert (
        'data-testid="send-back"'
        not in investigator.get(reverse("justice:detail", args=[inv.pk])).text
    )
    assert investigator.get(url).status_code == 404
    empty = prosecutor.post(url, {"reason": "", "on": days_ago(60).isoformat()})
    assert empty.status_code == 400
    done = prosecutor.post(
        url, {"reason": "File to complete: the victim's statement", "on": days_ago(60).isoformat()}
    )
    assert done.status_code == 302 and done["Location"] == reverse("justice:list")
    assert "sent back" in prosecutor.get(done["Location"]).text  # not a 404 after the message
    page = investigator.get(reverse("justice:detail", args=[inv.pk])).text
    assert 'data-testid="returned-reason"' in page and "the victim&#x27;s statement" in page
    assert prosecutor.get(reverse("justice:detail", args=[inv.pk])).status_code == 404


def test_each_hand_off_is_kept_with_its_reason(users, orgs, login, transferred):
    """Sent back twice: both reasons stay, in order with the transfers; the investigators read
    the latest on top and every one in the list."""
    inv, _dossier = transferred
    paula, carol = users["paula"], users["carol"]
    _send_back(inv, paula, reason="First: the victim's statement is missing", on=days_ago(60))
    ja.transfer_investigation(inv, acting_user=carol, office=orgs["parquet"], on=days_ago(50))
    _send_back(inv, paula, reason="Second: competence of Rabat", on=days_ago(40))
    kinds = list(inv.handoffs.values_list("kind", "on", "reason"))
    assert [(k, on) for k, on, _r in kinds] == [
        ("transferred", kinds[0][1]),
        ("returned", days_ago(60)),
        ("transferred", days_ago(50)),
        ("returned", days_ago(40)),
    ]
    assert [r for _k, _on, r in kinds if r] == [
        "First: the victim's statement is missing",
        "Second: competence of Rabat",
    ]
    page = login(carol).get(reverse("justice:detail", args=[inv.pk])).text
    assert 'data-testid="handoffs"' in page
    assert "Second: competence of Rabat" in page and "First: the victim&#x27;s" in page
    top = page.split('data-testid="returned-reason"')[1].split("</p>")[0]
    assert "Second: competence of Rabat" in top and "First" not in top


def test_a_transfer_is_not_dated_before_the_last_send_back(users, orgs, transferred):
    """A register imported again after the office sent the investigation back still says
    "transferred" with its old date: refused, not a second transfer undoing the return."""
    inv, _dossier = transferred
    first_transfer = inv.handoffs.get().on
    _send_back(inv, users["paula"], on=days_ago(40))
    with pytest.raises(ValidationError) as exc:
        ja.transfer_investigation(
            inv, acting_user=users["carol"], office=orgs["parquet"], on=first_transfer
        )
    assert "before the last send-back" in str(exc.value.error_dict["on"])
    assert Investigation.objects.get(pk=inv.pk).status == InvestigationStatus.OPEN
    assert inv.handoffs.count() == 2
    ja.transfer_investigation(
        inv, acting_user=users["carol"], office=orgs["parquet"], on=days_ago(40)
    )
    assert list(inv.handoffs.values_list("kind", flat=True)) == [
        "transferred",
        "returned",
        "transferred",
    ]


def test_the_api_lists_the_hand_offs_and_the_reasons_to_whom_reads_them(
    users, orgs, login, transferred
):
    """The investigation's hand-offs through the API, as on its page: the investigators read
    every reason; the office it went to next sees the hand-offs, not the other office's
    reason."""
    inv, _dossier = transferred
    carol = users["carol"]
    rabat = f.OrganisationFactory(
        name_fr="Parquet de Rabat",
        name_ar="النيابة العامة بالرباط",
        name_en="Rabat prosecution",
        type=f.code("org_type", "prosecution"),
        region=f.code("region", "rabat_sale_kenitra"),
    )
    rachid = f.member(f.UserFactory(username="rachid"), rabat, "prosecutor")
    _send_back(inv, users["paula"], reason="Competence of the Rabat office", on=days_ago(60))
    ja.transfer_investigation(inv, acting_user=carol, office=rabat, on=days_ago(50))
    url = f"/api/investigations/{inv.pk}/"

    def handoffs(user):
        response = login(user).get(url)
        assert response.status_code == 200, response.content
        return [(h["kind"], h["on"], h["office"], h["reason"]) for h in response.json()["handoffs"]]

    first = inv.handoffs.first().on.isoformat()
    assert handoffs(carol) == [
        ("transferred", first, orgs["parquet"].pk, None),
        (
            "returned",
            days_ago(60).isoformat(),
            orgs["parquet"].pk,
            "Competence of the Rabat office",
        ),
        ("transferred", days_ago(50).isoformat(), rabat.pk, None),
    ]
    assert [reason for *_h, reason in handoffs(rachid)] == [None, None, None]
    listed = login(carol).get("/api/investigations/").json()["results"]
    assert next(i for i in listed if i["id"] == inv.pk)["handoffs"][1]["reason"] == (
        "Competence of the Rabat office"
    )


def test_the_opening_is_not_moved_past_what_followed_it(users, orgs, login):
    """Found by an outside probe: the opening could be moved after the investigation's
    transfers and send-backs (then a new transfer was refused as "before the opening"). It
    may no more follow a hand-off or a closing."""
    carol, paula = users["carol"], users["paula"]
    inv = ja.open_investigation(
        acting_user=carol, organisation=orgs["police"], opened_on=days_ago(100)
    )
    ja.transfer_investigation(inv, acting_user=carol, office=orgs["parquet"], on=days_ago(70))
    _send_back(inv, paula, on=days_ago(60))

    def move(to, investigation=inv):
        investigation.refresh_from_db()
        return ja.update_investigation(
            investigation, acting_user=carol, expected_version=investigation.version, opened_on=to
        )

    with pytest.raises(ValidationError) as exc:
        move(days_ago(65))
    assert days_ago(70).isoformat() in str(exc.value.error_dict["opened_on"])
    assert move(days_ago(75)).opened_on == days_ago(75)
    page = login(carol).post(
        reverse("justice:edit", args=[inv.pk]),
        {
            "opened_on": days_ago(50).isoformat(),
            "version": Investigation.objects.get(pk=inv.pk).version,
        },
    )
    assert page.status_code == 400 and "transferred, sent back or closed" in page.text
    closed = ja.open_investigation(
        acting_user=carol, organisation=orgs["police"], opened_on=days_ago(100)
    )
    ja.close_investigation(closed, acting_user=carol, on=days_ago(50))
    with pytest.raises(ValidationError):
        move(days_ago(40), closed)
    # Its region alone is still corrected: the check reads the hand-offs only for a new date.
    inv.refresh_from_db()
    rabat = f.code("region", "rabat_sale_kenitra")
    edited = ja.update_investigation(
        inv,
        acting_user=carol,
        expected_version=inv.version,
        opened_on=inv.opened_on,
        region=rabat,
    )
    assert inv.region != rabat and edited.region == rabat
