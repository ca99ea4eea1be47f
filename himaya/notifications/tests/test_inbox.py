"""The bell, the inbox and the e-mail preference: each user reads only their own notices (S3),
a record's link is shown only while the reader may see it, mails are tried again."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from himaya.audit.models import AuditEvent
from himaya.cases import actions as case_actions
from himaya.notifications import actions, scans
from himaya.notifications import mail as notification_mail
from himaya.notifications.models import EmailChoice, Kind, MailState, Notification, Preference
from himaya.referrals.models import Referral

from .conftest import refer

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(users, orgs, victim, django_capture_on_commit_callbacks):
    """Alice refers Khadija to the shelter (urgent) and to NGO B."""
    with django_capture_on_commit_callbacks(execute=True):
        shelter = refer(users, orgs, victim, "shelter", "shelter", urgent=True)
        legal = refer(users, orgs, victim, "ngo_b", "legal_aid")
    return shelter, legal


def test_the_bell_counts_the_unread(sent, users, login):
    sam = login(users["sam"])
    page = sam.get("/").content.decode()
    assert 'data-testid="bell"' in page and 'data-testid="bell-count">1<' in page
    fragment = sam.get(reverse("notifications:count"), HTTP_HX_REQUEST="true")
    assert (
        fragment.status_code == 200 and 'data-testid="bell-count">1<' in fragment.content.decode()
    )
    # alice, who sent them, has nothing unread; the outsider has nothing at all
    assert 'data-testid="bell-count"' not in login(users["alice"]).get("/").content.decode()
    assert 'data-testid="bell-count"' not in login(users["charlie"]).get("/").content.decode()


def test_the_inbox_lists_and_links_the_record(sent, users, login):
    shelter, _legal = sent
    sam = login(users["sam"])
    page = sam.get(reverse("notifications:inbox")).content.decode()
    assert f'New referral <bdi dir="ltr">{shelter.dossier.reference}</bdi> (shelter)' in page
    assert ">urgent<" in page and "Khadija" not in page
    note = Notification.objects.get(recipient=users["sam"])
    opened = sam.post(reverse("notifications:open", args=[note.pk]))
    assert opened.status_code == 302
    assert opened["Location"] == reverse("referrals:detail", args=[shelter.pk])
    note.refresh_from_db()
    assert note.read_at is not None
    assert 'data-testid="bell-count"' not in sam.get("/").content.decode()


def test_s3_notifications_are_their_readers_alone(sent, users, login, figure):
    note = Notification.objects.get(recipient=users["sam"])
    refused = 0
    for name in ("alice", "bob", "charlie", "paula"):
        client = login(users[name])
        assert client.post(reverse("notifications:open", args=[note.pk])).status_code == 404
        client.post(reverse("notifications:read"), {"id": [note.pk]})
        client.post(reverse("notifications:read"), {"all": "1"})
        page = client.get(reverse("notifications:inbox") + "?state=all").content.decode()
        assert "(shelter)" not in page  # bob sees his own notice (legal aid), not sam's
        refused += 1
    note.refresh_from_db()
    assert note.read_at is None
    figure(f"S3 notifications opened or marked read by another user: 0 of {refused} attempts")


def test_a_link_is_shown_only_while_the_record_is_shared(
    users, orgs, victim, login, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        grant = case_actions.grant_access(
            victim, acting_user=users["alice"], organisation=orgs["police"], reason="Inquiry"
        )
    carol = login(users["carol"])
    assert (
        'data-testid="notification-open"'
        in carol.get(reverse("notifications:inbox")).content.decode()
    )
    case_actions.revoke_access(grant, acting_user=users["alice"])
    page = carol.get(reverse("notifications:inbox")).content.decode()
    assert "no longer shared with you" in page and victim.reference in page
    assert 'data-testid="notification-open"' not in page
    note = Notification.objects.get(recipient=users["carol"], kind=Kind.GRANT_GIVEN)
    opened = carol.post(reverse("notifications:open", args=[note.pk]), follow=True)
    assert "no longer shared" in opened.content.decode()
    assert opened.redirect_chain[-1][0] == reverse("notifications:inbox")


def test_filters_mark_all_read_and_pagination(sent, users, login, settings):
    bob = login(users["bob"])
    inbox = reverse("notifications:inbox")
    assert bob.get(inbox + "?kind=referral_sent").content.decode().count('data-kind="') == 1
    assert bob.get(inbox + "?kind=alert_raised").content.decode().count('data-kind="') == 0
    today = timezone.localdate()
    assert bob.get(inbox + f"?since={today}").content.decode().count('data-kind="') == 1
    later = today + datetime.timedelta(days=1)
    assert bob.get(inbox + f"?since={later}").content.decode().count('data-kind="') == 0
    # bad filters: a clear message, never a 500
    bad = bob.get(inbox + f"?since={later}&until={today}&kind=nonsense")
    assert bad.status_code == 400 and "before the start date" in bad.content.decode()
    assert bob.post(reverse("notifications:read"), {"all": "1"}).status_code == 302
    assert not Notification.objects.for_user(users["bob"]).unread().exists()
    assert bob.get(inbox).content.decode().count('data-kind="') == 0
    assert bob.get(inbox + "?state=all").content.decode().count('data-kind="') == 1
    # paginated: a page holds HIMAYA_LIST_PAGE_SIZE
    settings.HIMAYA_LIST_PAGE_SIZE = 2
    Notification.objects.bulk_create(
        [
            Notification(recipient=users["bob"], kind=Kind.REFERRAL_SENT, reference=f"R{i}")
            for i in range(4)
        ]
    )
    first = bob.get(inbox).content.decode()
    assert first.count('data-kind="') == 2 and "Page 1 of 2" in first


def test_a_member_who_leaves_stops_reading_what_came_as_a_member(sent, users, login):
    users["sam"].memberships.update(active=False)
    assert not Notification.objects.for_user(users["sam"]).exists()


def test_the_preference_page(users, login):
    alice = login(users["alice"])
    url = reverse("notifications:preferences")
    assert alice.get(url).status_code == 200
    assert alice.post(url, {"email": "weekly"}).status_code == 400
    assert alice.post(url, {"email": "immediate"}).status_code == 302
    assert Preference.objects.get(user=users["alice"]).email == EmailChoice.IMMEDIATE
    assert AuditEvent.objects.filter(action="notification_preference").count() == 1
    assert login(users["charlie"]).get(url).status_code == 200  # one's own, whoever one is


def test_a_failed_mail_is_tried_again(
    users, orgs, victim, immediate_tasks, monkeypatch, django_capture_on_commit_callbacks
):
    sam = users["sam"]
    sam.email = "sam@example.org"
    sam.save(update_fields=["email"])
    actions.set_preference(sam, email=EmailChoice.IMMEDIATE)

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr(notification_mail, "send_mail", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        refer(users, orgs, victim, "shelter", "shelter")
    note = Notification.objects.get(recipient=sam)
    assert note.mail_state == MailState.PENDING and note.mail_attempts == 1
    assert Referral.objects.count() == 1  # the hand-off stands
    monkeypatch.undo()
    assert notification_mail.sweep() == (0, 1)
    note.refresh_from_db()
    assert note.mail_state == MailState.SENT and len(mail.outbox) == 1


def test_scans_give_each_notice_once(users, orgs, victim, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        late = refer(users, orgs, victim, "shelter", "shelter")
    Referral.objects.filter(pk=late.pk).update(sent_at=timezone.now() - datetime.timedelta(days=9))
    for _run in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            scans.run_all()
    overdue = Notification.objects.filter(kind=Kind.REFERRAL_OVERDUE)
    assert sorted(overdue.values_list("recipient__username", flat=True)) == ["alice", "sam"]


def test_the_notify_command(users, orgs, victim, django_capture_on_commit_callbacks):
    from io import StringIO

    from django.core.management import call_command

    with django_capture_on_commit_callbacks(execute=True):
        late = refer(users, orgs, victim, "shelter", "shelter")
    Referral.objects.filter(pk=late.pk).update(sent_at=timezone.now() - datetime.timedelta(days=9))
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notify", stdout=out)
    assert "overdue_referrals: 1 found" in out.getvalue()
    assert Notification.objects.filter(kind=Kind.REFERRAL_OVERDUE).count() == 2


def test_the_sentence_is_escaped_and_its_reference_isolated():
    note = Notification(kind=Kind.REFERRAL_SENT, reference="<b>R-1</b>", detail="<i>shelter</i>")
    html = str(note.html)
    assert html == (
        'New referral <bdi dir="ltr">&lt;b&gt;R-1&lt;/b&gt;</bdi> (&lt;i&gt;shelter&lt;/i&gt;)'
    )


def test_a_held_tip_in_immediate_danger_is_announced_once_an_hour(
    users, django_capture_on_commit_callbacks
):
    from himaya.hotline import actions as hotline_actions
    from himaya.hotline.models import Hold

    with django_capture_on_commit_callbacks(execute=True):
        for urgency in ("immediate", "immediate", "normal", "immediate"):
            hotline_actions.submit_tip(
                narrative="Une femme enfermée.", urgency=urgency, hold=Hold.OVER_ADDRESS_LIMIT
            )
    notes = Notification.objects.filter(kind=Kind.TIP_HELD_DANGER)
    assert [n.recipient.username for n in notes] == ["harry"]
    assert notes.get().url.endswith("?held=over_address_limit") and notes.get().urgent
    # a held tip never raises the ordinary urgent-tip notice
    assert not Notification.objects.filter(kind=Kind.TIP_URGENT).exists()


def test_a_data_subject_request_tells_the_commissions_linkage_officers(
    users, victim, lina, django_capture_on_commit_callbacks
):
    from himaya.subjects import actions as subject_actions

    with django_capture_on_commit_callbacks(execute=True):
        request, _body = subject_actions.subject_access_export(
            victim.person, acting_user=users["alice"]
        )
    note = Notification.objects.get(kind=Kind.SUBJECT_REQUEST)
    assert note.recipient == lina and note.reference == request.reference
    assert note.text == f"Data subject request {request.reference} (access to the data): pass it on"
    # the analyst of the same commission does not act on it; the requester is not told
    assert not Notification.objects.exclude(recipient=lina).exists()
