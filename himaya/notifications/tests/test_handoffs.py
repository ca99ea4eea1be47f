"""Every hand-off notifies the members of the receiving organisation whose role acts on it,
after commit, with no identity in any text or mail."""

import pytest
from django.core import mail
from django.db import transaction
from django.utils import translation

from himaya.notifications import actions
from himaya.notifications import mail as notification_mail
from himaya.notifications.models import EmailChoice, Kind, MailState, Notification
from himaya.referrals.models import Referral
from himaya.statistics import compute
from himaya.statistics.models import ReportBuild

from .conftest import NAMES, do_every_handoff, refer

pytestmark = pytest.mark.django_db

IMMEDIATE = ("alice", "sam", "paula")
# Who receives what: (kind, username) pairs that must exist after every hand-off.
EXPECTED = {
    (Kind.REFERRAL_SENT, "sam"),
    (Kind.REFERRAL_ACCEPTED, "alice"),
    (Kind.REFERRAL_COMPLETED, "alice"),
    (Kind.REFERRAL_REJECTED, "alice"),
    (Kind.REFERRAL_REVOKED, "ivy"),
    (Kind.REFERRAL_OVERDUE, "bob"),
    (Kind.REFERRAL_OVERDUE, "alice"),
    (Kind.TRANSFER_PROPOSED, "bob"),
    (Kind.TRANSFER_ANSWERED, "alice"),
    (Kind.GRANT_GIVEN, "carol"),
    (Kind.GRANT_ENDING, "carol"),
    (Kind.INVESTIGATION_TRANSFERRED, "paula"),
    (Kind.INVESTIGATION_RETURNED, "carol"),
    (Kind.ALERT_RAISED, "paula"),
    (Kind.ALERT_ANSWERED, "carol"),
    (Kind.REPORT_ROUTED, "carol"),
    (Kind.TIP_URGENT, "harry"),
    (Kind.PROCEEDING_STALLED, "carol"),
    (Kind.JOB_FINISHED, "ana"),
    (Kind.LINKAGE_QUESTION, "alice"),
    (Kind.LINKAGE_QUESTION, "bob"),
    (Kind.LINKAGE_ANSWER, "lina"),
    (Kind.ACTION_OVERDUE, "olivia"),
}


@pytest.fixture
def everything(users, orgs, victim, lina, immediate_tasks, django_capture_on_commit_callbacks):
    for user in users.values():
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    lina.email = "lina@example.org"
    lina.save(update_fields=["email"])
    for name in IMMEDIATE:
        actions.set_preference(users[name], email=EmailChoice.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=True):
        return do_every_handoff(users, orgs, victim, lina)


def received(kind=None):
    qs = Notification.objects.select_related("recipient")
    if kind:
        qs = qs.filter(kind=kind)
    return {(n.kind, n.recipient.username) for n in qs}


def test_every_handoff_notifies_who_acts_on_it(everything, figure):
    got = received()
    assert got >= EXPECTED, sorted(EXPECTED - got)
    kinds = {k for k, _u in got}
    # Every kind but three is exercised here: the failed job (test_a_failed_job_tells_who_...),
    # the held tip in danger and the data subject request (test_inbox).
    assert kinds == set(Kind.values) - {Kind.JOB_FAILED, Kind.TIP_HELD_DANGER, Kind.SUBJECT_REQUEST}
    figure(
        f"Hand-off kinds that notify: {len(kinds)} in one scenario through the actions, "
        f"plus a failed job, a held tip in danger and a subject request in their own tests: "
        f"{len(kinds) + 3} of "
        f"{len(Kind.values)} kinds"
    )


def test_the_actor_and_other_roles_are_not_told(everything, users):
    # Alice sent the referrals: she is told of the answers, never of her own sending.
    assert (Kind.REFERRAL_SENT, "alice") not in received()
    # Olivia is NGO A's administrator: no casework notice reaches her (only her organisation's
    # overdue follow-up action of the commission).
    assert {k for k, u in received() if u == "olivia"} == {Kind.ACTION_OVERDUE}
    # Nobody outside the organisations concerned (charlie has none; cole sits in a court).
    for name in ("charlie", "cole", "root"):
        assert not Notification.objects.filter(recipient=users[name]).exists()
    # The prosecution is told of the investigation, not of the police's other work.
    assert {k for k, u in received() if u == "paula"} == {
        Kind.INVESTIGATION_TRANSFERRED,
        Kind.ALERT_RAISED,
    }


def test_no_name_in_any_text_or_mail(everything, figure):
    texts = []
    for language in ("ar", "fr", "en"):
        with translation.override(language):
            texts += [n.text for n in Notification.objects.all()]
    notification_mail.sweep()  # the digests too
    mails = [m.subject + "\n" + m.body for m in mail.outbox]
    assert texts and mails
    found = [name for name in NAMES for text in texts + mails if name in text]
    assert found == []
    # the mail says only that something awaits: no reference either
    references = set(Notification.objects.values_list("reference", flat=True)) - {""}
    assert not [r for r in references for m in mails if r in m]
    figure(
        f"Names in notification texts and mails: {len(found)} "
        f"({len(texts)} texts in 3 languages, {len(mails)} mails)"
    )


def test_texts_are_in_the_readers_language(everything):
    n = Notification.objects.filter(kind=Kind.REFERRAL_SENT, detail="shelter").get()
    with translation.override("fr"):
        fr = n.text
    with translation.override("ar"):
        ar = n.text
    with translation.override("en"):
        en = n.text
    assert en.startswith("New referral HMY-") and "(shelter)" in en
    assert fr != en and ar != en and n.reference in fr and n.reference in ar


def test_a_rolled_back_handoff_tells_nobody(
    users, orgs, victim, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        refer(users, orgs, victim, "shelter", "shelter")
        raise RuntimeError("the page failed after the action")
    assert not Referral.objects.exists()
    assert not Notification.objects.exists()


def test_members_who_left_are_not_told(users, orgs, victim, django_capture_on_commit_callbacks):
    users["sam"].memberships.update(active=False)
    with django_capture_on_commit_callbacks(execute=True):
        refer(users, orgs, victim, "shelter", "shelter")
    assert not Notification.objects.filter(recipient=users["sam"]).exists()


def test_mails_at_once_or_in_a_daily_digest(everything, users):
    at_once = {m.to[0] for m in mail.outbox}
    assert at_once == {f"{n}@example.org" for n in IMMEDIATE}
    for name in IMMEDIATE:
        mine = Notification.objects.filter(recipient=users[name])
        assert mine.exists() and not mine.exclude(mail_state=MailState.SENT).exists()
    # the others wait for their digest: one mail each, once a day
    waiting = set(
        Notification.objects.filter(mail_state=MailState.PENDING).values_list(
            "recipient__username", flat=True
        )
    )
    assert waiting and not waiting & set(IMMEDIATE)
    mail.outbox.clear()
    digests, _retried = notification_mail.sweep()
    assert digests == len(waiting) == len(mail.outbox)
    assert all("digest" in m.subject or "Urgent" in m.subject for m in mail.outbox)
    assert notification_mail.sweep() == (0, 0)
    assert not Notification.objects.filter(mail_state=MailState.PENDING).exists()
    link = "http://127.0.0.1:8000/notifications/"
    assert all(link in m.body for m in mail.outbox)


def test_a_failed_job_tells_who_started_it(users, monkeypatch, django_capture_on_commit_callbacks):
    build = ReportBuild.objects.create(year=2026, data_version="v", requested_by=users["ana"])

    def fail(*args, **kwargs):
        raise RuntimeError("the computation broke")

    monkeypatch.setattr(compute, "build_report", fail)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        compute.run_build(build.pk, background=True)
    note = Notification.objects.get(recipient=users["ana"])
    assert note.kind == Kind.JOB_FAILED and note.text == "The annual report 2026 failed"
    # a report computed while its page waits tells nobody: the page shows it
    build = ReportBuild.objects.create(year=2025, data_version="w", requested_by=users["ana"])
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        compute.run_build(build.pk)
    assert Notification.objects.filter(recipient=users["ana"]).count() == 1
