"""Issue 14, item 7: past the per-address limit a public tip is kept, held "over the address
limit" for a review in bulk (one carrier NAT address is shared by many people); only a flood is
refused. The hotline dismisses or accepts held tips in bulk, each audited."""

import datetime
import types

import pytest
from django.test import Client
from django.urls import reverse

from himaya.audit.models import AccessEvent, AuditEvent
from himaya.hotline import actions, ratelimit
from himaya.hotline.models import Hold, Outcome, Report, Status
from himaya.notifications.models import Kind, Notification
from himaya.testing import factories as f

pytestmark = pytest.mark.django_db

NAT = "198.51.100.7"  # one carrier-grade NAT address, many phones behind it
# The hour's window is fixed: a run at 10:59 must not see its counter start again.
FIXED = datetime.datetime(2026, 3, 10, 10, 30, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def fixed_hour(monkeypatch):
    monkeypatch.setattr(ratelimit, "timezone", types.SimpleNamespace(now=lambda: FIXED))


def tip(n, **overrides):
    data = {
        "narrative": f"Tip number {n}: girls kept in a house near the port.",
        "danger": "no",
        "region": f.code("region", "tanger_tetouan_al_hoceima").pk,
        "city": "",
        "possible_victims": "",
        "caller_type": "witness",
        "reporter_contact": "",
        "website": "",
    }
    data.update(overrides)
    return data


def send(client, n, **overrides):
    return client.post(reverse("tips:report"), tip(n, **overrides))


def test_tips_past_the_limit_are_held_not_lost_and_a_flood_is_refused(settings, figure):
    settings.HIMAYA_TIP_LIMIT_PER_HOUR = 5
    settings.HIMAYA_TIP_FLOOD_PER_HOUR = 12
    nat = Client(REMOTE_ADDR=NAT)
    statuses = [send(nat, n).status_code for n in range(1, 13)]
    assert statuses == [200] * 12  # every sender got a receipt
    refused = send(nat, 13)
    assert refused.status_code == 429
    html = refused.content.decode()
    assert 'data-testid="rate-limited"' in html and "Tip number 13" in html  # kept in the form
    kept = Report.objects.count()
    held = Report.objects.held().count()
    assert (kept, held) == (12, 7)
    assert Report.objects.untriaged().count() == 5
    # The first five are in the queue, the rest held, in the order they came.
    order = list(Report.objects.order_by("pk").values_list("hold", flat=True))
    assert order == [""] * 5 + [Hold.OVER_ADDRESS_LIMIT] * 7
    assert all(
        "hold" in e.changed_fields
        for e in AuditEvent.objects.filter(action="submit_tip", object_id__in=held_ids())
    )
    # Another address is counted apart.
    assert send(Client(REMOTE_ADDR="192.0.2.44"), 99).status_code == 200
    assert Report.objects.latest("pk").hold == ""
    figure(
        f"Tips from one NAT address (limit {settings.HIMAYA_TIP_LIMIT_PER_HOUR}/h, flood "
        f"{settings.HIMAYA_TIP_FLOOD_PER_HOUR}/h): 12 sent → all 12 kept, {held} held "
        f"'over the address limit', 0 lost; the 13th refused (429) with its text kept"
    )


def held_ids():
    return [str(pk) for pk in Report.objects.held().values_list("pk", flat=True)]


def test_the_default_flood_limit_is_a_hundred(settings, figure):
    assert settings.HIMAYA_TIP_LIMIT_PER_HOUR == 5 and settings.HIMAYA_TIP_FLOOD_PER_HOUR == 100
    nat = Client(REMOTE_ADDR=NAT)
    statuses = [send(nat, n).status_code for n in range(1, 102)]
    assert statuses == [200] * 100 + [429]
    assert Report.objects.count() == 100 and Report.objects.held().count() == 95
    figure(
        "Tips from one NAT address with the defaults (5/h, flood 100/h): 101 sent → 100 kept "
        "(95 held), 0 lost, the 101st refused"
    )


def test_held_tips_in_danger_tell_the_hotline_once_an_hour_and_alert_when_accepted(
    users, orgs, login, settings, django_capture_on_commit_callbacks
):
    settings.HIMAYA_TIP_LIMIT_PER_HOUR = 1
    hana = f.member(f.UserFactory(username="hana"), orgs["hotline"], "hotline_operator")
    nat = Client(REMOTE_ADDR=NAT)
    with django_capture_on_commit_callbacks(execute=True):
        send(nat, 1, danger="yes")
    alerts = Notification.objects.count()
    assert alerts > 0
    with django_capture_on_commit_callbacks(execute=True):
        send(nat, 2, danger="yes")
    # Held, it is not announced as a tip: the hotline is told once in the hour that tips in
    # immediate danger wait in the held queue, however many arrive (a flood floods no one).
    held_notices = Notification.objects.filter(kind=Kind.TIP_HELD_DANGER)
    assert sorted(held_notices.values_list("recipient__username", flat=True)) == [
        "hana",
        "harry",
    ]
    assert Notification.objects.count() == alerts + 2
    held = Report.objects.held().get()
    assert not held.is_overdue(held.received_at + datetime.timedelta(days=3))
    harry = login(users["harry"])
    with django_capture_on_commit_callbacks(execute=True):
        response = harry.post(
            reverse("hotline:held_review"), {"reports": [held.pk], "decision": "accept"}
        )
    assert response.status_code == 302
    # Harry accepted it; his colleague is told now.
    assert Notification.objects.filter(recipient=hana, target_id=str(held.pk)).exists()
    held.refresh_from_db()
    assert held.hold == "" and held.status == Status.UNTRIAGED and held.version == 2
    assert AuditEvent.objects.filter(action="accept_held_tip", object_id=str(held.pk)).exists()


def test_the_hotline_reviews_held_tips_in_bulk(users, login, settings, figure):
    settings.HIMAYA_TIP_LIMIT_PER_HOUR = 2
    nat = Client(REMOTE_ADDR=NAT)
    for n in range(1, 9):
        send(nat, n)
    harry = login(users["harry"])
    queue = harry.get(reverse("hotline:list"))
    assert [r.narrative[:12] for r in queue.context["page"]] == ["Tip number 1", "Tip number 2"]
    html = queue.content.decode()
    assert 'data-testid="held-count"' in html and ">6 held: over the address limit<" in html
    page = harry.get(reverse("hotline:list"), {"held": Hold.OVER_ADDRESS_LIMIT})
    assert page.status_code == 200
    shown = [r.pk for r in page.context["page"]]
    assert len(shown) == 6
    html = page.content.decode()
    assert 'data-testid="held-review"' in html and "Tip number 8" in html
    # Showing what the tips say is a read of each, in the access log.
    assert AccessEvent.objects.filter(purpose="held_review").count() == 6
    spam, real = shown[:5], shown[5]
    done = harry.post(reverse("hotline:held_review"), {"reports": spam, "decision": "dismiss"})
    assert done.status_code == 302
    assert Report.objects.filter(pk__in=spam, status=Status.TRIAGED, outcome=Outcome.SPAM).count()
    assert set(Report.objects.filter(pk__in=spam).values_list("hold", flat=True)) == {
        Hold.OVER_ADDRESS_LIMIT  # kept as the record of why it waited
    }
    assert AuditEvent.objects.filter(action="triage_spam", object_id__in=map(str, spam)).count()
    assert AuditEvent.objects.filter(action="triage_spam").count() == 5
    harry.post(reverse("hotline:held_review"), {"reports": [real], "decision": "accept"})
    assert Report.objects.held().count() == 0
    assert Report.objects.untriaged().count() == 3
    # A second dismissal of what a colleague already reviewed changes nothing.
    again = harry.post(
        reverse("hotline:held_review"),
        {"reports": [*spam, real], "decision": "dismiss"},
        follow=True,
    )
    assert "0 held tips were dismissed" in again.content.decode()
    assert Report.objects.filter(outcome=Outcome.SPAM).count() == 5
    figure(
        "Held tips: 6 reviewed in 2 bulk actions (5 dismissed as spam, 1 accepted into the "
        "queue), 6 audit rows, 0 lost"
    )


def test_bad_review_input_is_a_message_never_a_500(users, login):
    harry = login(users["harry"])
    url = reverse("hotline:held_review")
    for data in (
        {},
        {"decision": "dismiss"},
        {"reports": ["x"], "decision": "dismiss"},
        {"reports": [str(2**70)], "decision": "accept"},
        {"reports": ["1"], "decision": "burn"},
    ):
        response = harry.post(url, data, follow=True)
        assert response.status_code == 200
        assert response.context["messages"]
    too_many = harry.post(url, {"reports": list(range(1, 600)), "decision": "dismiss"}, follow=True)
    assert too_many.status_code == 200
    assert "Review at most 500 held tips at a time." in too_many.content.decode()
    assert AuditEvent.objects.filter(action__in=["triage_spam", "accept_held_tip"]).count() == 0


def test_only_hotline_operators_review_held_tips(users, login, settings):
    settings.HIMAYA_TIP_LIMIT_PER_HOUR = 1
    nat = Client(REMOTE_ADDR=NAT)
    send(nat, 1)
    send(nat, 2)
    held = Report.objects.held().get()
    for name in ("alice", "charlie"):  # a caseworker of an NGO, the outsider
        client = login(users[name])
        response = client.post(
            reverse("hotline:held_review"), {"reports": [held.pk], "decision": "dismiss"}
        )
        assert response.status_code == 404
        listing = client.get(reverse("hotline:list"), {"held": Hold.OVER_ADDRESS_LIMIT})
        assert listing.status_code == 404 or held.pk not in [r.pk for r in listing.context["page"]]
    held.refresh_from_db()
    assert held.is_held


def test_the_action_skips_reports_that_are_not_held(users, orgs):
    harry = users["harry"]
    report = actions.record_report(
        acting_user=harry,
        organisation=orgs["hotline"],
        channel="call",
        caller_type="witness",
        urgency="normal",
        narrative="Un appel.",
    )
    assert actions.dismiss_held_tips([report.pk], acting_user=harry) == 0
    report.refresh_from_db()
    assert report.status == Status.UNTRIAGED


def test_the_home_panel_counts_held_tips_apart(users, login, settings):
    from himaya.hotline.home import home_context

    settings.HIMAYA_TIP_LIMIT_PER_HOUR = 1
    nat = Client(REMOTE_ADDR=NAT)
    for n in range(1, 4):
        send(nat, n, danger="yes")
    ctx = home_context(users["harry"])
    assert (ctx["hotline_untriaged"], ctx["hotline_held"]) == (1, 2)
    assert ctx["hotline_overdue_count"] == 0
    home = login(users["harry"]).get(reverse("home")).content.decode()
    assert 'data-testid="hotline-held"' in home and "?held=over_address_limit" in home


def test_the_api_lists_held_tips_apart_as_the_queue_does(users, login, settings):
    """The API listed held tips (over the address limit, mostly spam) as ordinary reports of
    the queue, with nothing to tell them apart: it now leaves them out as the queue's page does,
    lists them with ?held=, and says why each waits."""
    settings.HIMAYA_TIP_LIMIT_PER_HOUR = 2
    nat = Client(REMOTE_ADDR=NAT)
    for n in range(1, 6):
        send(nat, n)
    harry = login(users["harry"])
    queue = harry.get("/api/reports/").json()["results"]
    assert len(queue) == 2 and {r["hold"] for r in queue} == {""}
    held = harry.get("/api/reports/", {"held": Hold.OVER_ADDRESS_LIMIT}).json()["results"]
    assert len(held) == 3 and {r["hold"] for r in held} == {Hold.OVER_ADDRESS_LIMIT}
    assert {r["id"] for r in queue}.isdisjoint(r["id"] for r in held)
    assert harry.get("/api/reports/", {"held": "nonsense"}).status_code == 400
