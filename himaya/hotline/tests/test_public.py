"""The public tip form and its follow-up: no login, three languages, CSRF on, a receipt code
shown once, a rate limit per address that keeps no address, a spam trap, and nothing stored
about the reporter but what they wrote."""

import datetime
import re
import types

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from himaya.audit.models import AccessEvent, AuditEvent
from himaya.cases import actions as case_actions
from himaya.hotline import actions, ratelimit
from himaya.hotline.models import RateCounter, Report, ReportAddition
from himaya.testing import factories as f
from himaya.tests.test_encryption import raw_database_text

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.77"
AGENT = "CanaryBrowser/9.9 (Zyxwvut)"


def tip_data(**overrides):
    data = {
        "narrative": "Trois jeunes femmes travaillent sans salaire dans une ferme.",
        "danger": "yes",
        "region": f.code("region", "souss_massa").pk,
        "city": "Chtouka",
        "possible_victims": "Trois femmes, environ 20 ans",
        "caller_type": "witness",
        "reporter_contact": "",
        "website": "",
    }
    data.update(overrides)
    return data


def public_client(address=ADDRESS, language=None):
    client = Client(REMOTE_ADDR=address, HTTP_USER_AGENT=AGENT)
    if language:
        client.cookies["himaya_language"] = language
    return client


def receipt_of(response):
    code = response.context["code"]
    assert len(code) == 19 and code.count("-") == 3
    return code


def test_the_form_is_public_minimal_and_has_a_hidden_trap(db):
    response = public_client().get(reverse("tips:report"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'class="hp-field"' in html and 'name="website"' in html
    # Strict CSP: no inline style or script; the one script (the length counter) is a static
    # file the form does without.
    assert "style=" not in html
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/himaya/himaya.js" defer>']
    assert 'data-testid="lang-fr"' in html and reverse("accounts:set_language") in html
    assert "/people/" not in html and "Log out" not in html
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    )


def test_a_logged_in_member_sees_no_navigation_and_stays_anonymous(users, login):
    client = login(users["harry"])
    html = client.get(reverse("tips:report")).content.decode()
    assert "Log out" not in html and 'href="/hotline/' not in html and "harry" not in html
    response = client.post(reverse("tips:report"), tip_data())
    assert response.status_code == 200
    report = Report.objects.get()
    assert report.taken_by is None and report.received_by is None
    assert AuditEvent.objects.get(action="submit_tip").actor_id is None


@pytest.mark.parametrize(
    "language,rtl,phrase",
    [("ar", True, 'dir="rtl"'), ("fr", False, 'lang="fr"'), ("en", False, 'lang="en"')],
)
def test_a_tip_in_each_language_gives_a_receipt(language, rtl, phrase):
    client = public_client(language=language)
    page = client.get(reverse("tips:report"))
    assert phrase in page.content.decode()
    response = client.post(reverse("tips:report"), tip_data())
    assert response.status_code == 200
    code = receipt_of(response)
    assert code in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    report = Report.objects.get()
    assert report.channel == "web_tip" and report.status == "untriaged"
    assert report.urgency == "immediate" and report.language.code == language
    assert report.region.code == "souss_massa" and report.city == "Chtouka"
    assert report.caller_type == "witness"
    assert report.receipt_digest == actions.receipt_digest(code.replace("-", ""))


@pytest.mark.parametrize(
    "danger,urgency", [("yes", "immediate"), ("unsure", "urgent"), ("no", "normal")]
)
def test_urgency_from_the_danger_question(danger, urgency):
    public_client().post(reverse("tips:report"), tip_data(danger=danger))
    assert Report.objects.get().urgency == urgency


def test_the_language_switch_works_for_anonymous_visitors():
    client = public_client()
    response = client.post(
        reverse("accounts:set_language"), {"language": "fr", "next": reverse("tips:report")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("tips:report")
    assert 'lang="fr"' in client.get(reverse("tips:report")).content.decode()


def test_nothing_identifying_the_reporter_is_stored(figure):
    client = public_client()
    response = client.post(
        reverse("tips:report"),
        tip_data(),
        HTTP_X_FORWARDED_FOR="198.51.100.23",
        HTTP_REFERER="https://canary-referrer.example/page",
    )
    code = receipt_of(response)
    client.post(reverse("tips:follow_up"), {"code": code, "text": "Ajout", "website": ""})
    dump = raw_database_text()
    hits = [v for v in (ADDRESS, "198.51.100.23", AGENT, "Zyxwvut", "canary-referrer") if v in dump]
    plain_code = code.replace("-", "")
    figure(
        f"Public tip form: after a tip and a follow-up, {len(hits)} traces of the reporter's "
        "address, browser or referrer in the database; receipt code stored in clear: "
        f"{plain_code in dump}"
    )
    assert hits == [] and plain_code not in dump and code not in dump
    assert RateCounter.objects.count() == 2  # one per form, keyed hashes only
    assert not AccessEvent.objects.exists()


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"narrative": ""}, "narrative"),
        ({"narrative": "x" * 10001}, "narrative"),
        ({"danger": ""}, "danger"),
        ({"danger": "maybe"}, "danger"),
        ({"region": "424242"}, "region"),
        ({"region": "9" * 40}, "region"),
        ({"city": "c" * 101}, "city"),
        ({"possible_victims": "p" * 2001}, "possible_victims"),
        ({"caller_type": "alien"}, "caller_type"),
        ({"reporter_contact": "r" * 301}, "reporter_contact"),
    ],
)
def test_r4_bad_input_is_a_form_error_and_keeps_the_text(overrides, field):
    response = public_client().post(reverse("tips:report"), tip_data(**overrides))
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {field}
    if field != "narrative":
        assert "Trois jeunes femmes" in response.content.decode()
    assert Report.objects.count() == 0 and RateCounter.objects.count() == 0


def test_an_empty_post_is_an_error_not_a_receipt():
    response = public_client().post(reverse("tips:report"))
    assert response.status_code == 400 and Report.objects.count() == 0


def test_the_spam_trap_looks_accepted_and_stores_nothing():
    response = public_client().post(
        reverse("tips:report"), tip_data(website="http://cheap-pills.example")
    )
    assert response.status_code == 200
    receipt_of(response)
    assert Report.objects.count() == 0 and not AuditEvent.objects.filter(action="submit_tip")


def test_csrf_is_on():
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR=ADDRESS)
    assert client.post(reverse("tips:report"), tip_data()).status_code == 403
    assert client.post(reverse("tips:follow_up"), {"code": "x", "text": "y"}).status_code == 403
    assert Report.objects.count() == 0


def test_rate_limit_per_address(settings, figure, monkeypatch):
    # One fixed hour: a run that straddles o'clock must not see its counter start again.
    fixed = timezone.now().replace(minute=30)
    monkeypatch.setattr(ratelimit, "timezone", types.SimpleNamespace(now=lambda: fixed))
    settings.HIMAYA_TIP_LIMIT_PER_HOUR = 3
    settings.HIMAYA_TIP_FLOOD_PER_HOUR = 4
    client = public_client()
    statuses = [client.post(reverse("tips:report"), tip_data()).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    limited = client.post(reverse("tips:report"), tip_data())
    assert 'data-testid="rate-limited"' in limited.content.decode()
    assert "Trois jeunes femmes" in limited.content.decode()  # nothing typed is lost
    assert Report.objects.count() == 4 and Report.objects.held().count() == 1
    # Another address is not affected.
    assert public_client("192.0.2.10").post(reverse("tips:report"), tip_data()).status_code == 200
    figure(
        "Public tip form: limit 3 per hour per address, flood 4 → 6 posts from one address "
        "stored 4 (1 held over the limit), 2 refused with the text kept; another address "
        "still accepted"
    )


def test_rate_windows_are_hourly_and_old_rows_go():
    request = RequestFactory().post("/report/", REMOTE_ADDR=ADDRESS)
    now = timezone.now()
    assert ratelimit.allow(request, "tip", 1, now=now)
    assert not ratelimit.allow(request, "tip", 1, now=now)
    assert ratelimit.allow(request, "follow_up", 1, now=now)  # counted apart
    later = now + datetime.timedelta(hours=3)
    assert ratelimit.allow(request, "tip", 1, now=later)
    windows = set(RateCounter.objects.values_list("window", flat=True))
    assert windows == {later.replace(minute=0, second=0, microsecond=0)}


def test_client_address_behind_the_proxy(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.23"
    )
    assert ratelimit.client_address(request) == "10.0.0.1"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert ratelimit.client_address(request) == "198.51.100.23"


def main_of(response):
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def shape(response):
    """What a page is made of, without its words: its elements, their test ids and fields."""
    import re

    return re.findall(r"<(\w+)|data-testid=\"([\w-]+)\"|name=\"(\w+)\"", main_of(response))


def test_follow_up_with_the_right_and_a_wrong_code():
    client = public_client()
    code = receipt_of(client.post(reverse("tips:report"), tip_data()))
    page = client.get(reverse("tips:follow_up"))
    assert page.status_code == 200 and 'class="hp-field"' in page.content.decode()
    right = client.post(
        reverse("tips:follow_up"),
        {"code": code.lower().replace("-", " "), "text": "Le patron a une voiture blanche."},
    )
    wrong = client.post(
        reverse("tips:follow_up"),
        {"code": actions.format_receipt(actions.new_receipt_code()), "text": "Intrus"},
    )
    assert right.status_code == wrong.status_code == 200
    assert 'data-testid="follow-up-done"' in main_of(right)
    assert 'data-status="received"' in main_of(right)
    # A wrong code: told so, what was typed kept, nothing added, and nothing else said.
    assert 'data-status="unknown"' in main_of(wrong) and "Intrus" in main_of(wrong)
    assert 'data-testid="follow-up-done"' not in main_of(wrong)
    addition = ReportAddition.objects.get()
    assert addition.text == "Le patron a une voiture blanche." and addition.by is None
    assert addition.report == Report.objects.get()


def tip_and_code(client=None, **overrides):
    client = client or public_client()
    code = receipt_of(client.post(reverse("tips:report"), tip_data(**overrides)))
    return Report.objects.get(receipt_digest=actions.receipt_digest(code.replace("-", ""))), code


def status_page(code, client=None, text=""):
    return (client or public_client()).post(
        reverse("tips:follow_up"), {"code": code, "text": text, "website": ""}
    )


def test_the_code_alone_shows_the_coarse_status_and_the_day_received(users, orgs):
    report, code = tip_and_code()
    received_at = timezone.make_aware(datetime.datetime(2026, 3, 14, 22, 40))
    Report.objects.filter(pk=report.pk).update(received_at=received_at)
    report.refresh_from_db()
    response = status_page(code)
    html = main_of(response)
    assert response.status_code == 200
    assert 'data-status="received"' in html and ReportAddition.objects.count() == 0
    assert "14 March 2026" in html
    # Nothing but the coarse status and the day: no time, reference, outcome, organisation.
    assert "22:40" not in html and report.reference not in html
    assert "Trois jeunes femmes" not in html and "Chtouka" not in html

    police = orgs["police"]
    actions.triage(
        report,
        outcome="police",
        acting_user=users["harry"],
        expected_version=report.version,
        organisation=police,
        note="Voiture blanche vue au marché",
    )
    html = main_of(status_page(code))
    assert 'data-status="handling"' in html
    for secret in (police.name_en, police.name_fr, police.name_ar, orgs["hotline"].name_fr):
        assert secret not in html
    assert "Voiture blanche" not in html and "harry" not in html.lower()
    assert "police" not in html.lower().replace("call the police", "")


@pytest.mark.parametrize("outcome", ["information", "not_trafficking", "spam"])
def test_a_tip_triaged_without_follow_up_is_closed(users, outcome):
    report, code = tip_and_code()
    actions.triage(
        report,
        outcome=outcome,
        acting_user=users["harry"],
        expected_version=report.version,
        note="Rien à suivre",
    )
    assert 'data-status="closed"' in main_of(status_page(code))


def test_a_tip_made_a_dossier_is_handled_until_the_dossier_ends(users):
    harry = users["harry"]
    report, code = tip_and_code()
    actions.triage_open_dossier(
        report,
        acting_user=harry,
        expected_version=report.version,
        person={"given_name_lat": "Souad"},
    )
    report.refresh_from_db()
    assert 'data-status="handling"' in main_of(status_page(code))
    case_actions.change_stage(report.dossier, acting_user=harry, stage="not_victim")
    html = main_of(status_page(code))
    assert 'data-status="closed"' in html
    assert report.dossier.reference not in html and "Souad" not in html


def test_an_unknown_code_gets_the_same_shape_and_status_as_a_known_one():
    _report, code = tip_and_code()
    other = actions.format_receipt(actions.new_receipt_code())
    for text in ("", "Une information de plus"):
        known, unknown = status_page(code, text=text), status_page(other, text=text)
        assert known.status_code == unknown.status_code == 200
        # The same elements in the same order; only the words of the status differ (and a
        # known code's addition is confirmed, its box emptied).
        if not text:
            assert shape(known) == shape(unknown)
    assert ReportAddition.objects.count() == 1


def test_follow_up_bad_input():
    client = public_client()
    for data, field in (
        ({"code": "ABC", "text": "x"}, "code"),
        ({"code": "ABCD-EFGH-JKLM-NPQ0", "text": "x"}, "code"),  # 0 is not in the alphabet
        ({"code": "ABCD-EFGH-JKLM-NPQR", "text": "t" * 5001}, "text"),
        ({"code": "é" * 41, "text": "x"}, "code"),
    ):
        response = client.post(reverse("tips:follow_up"), data)
        assert response.status_code == 400
        assert set(response.context["form"].errors) == {field}
    assert RateCounter.objects.count() == 0 and ReportAddition.objects.count() == 0


def test_follow_up_guesses_are_rate_limited(settings):
    settings.HIMAYA_TIP_LIMIT_PER_HOUR = 2
    client = public_client()
    code = receipt_of(client.post(reverse("tips:report"), tip_data()))
    guesses = [
        client.post(
            reverse("tips:follow_up"),
            {"code": actions.new_receipt_code(), "text": "guess"},
        ).status_code
        for _ in range(3)
    ]
    assert guesses == [200, 200, 429]
    # Even the right code waits now: what was typed is kept on the page.
    late = client.post(reverse("tips:follow_up"), {"code": code, "text": "Info tardive"})
    assert late.status_code == 429 and "Info tardive" in late.content.decode()
    assert ReportAddition.objects.count() == 0


def test_status_checks_are_throttled_and_read_right_to_left_in_arabic(settings):
    settings.HIMAYA_TIP_LIMIT_PER_HOUR = 2
    _report, code = tip_and_code()
    client = public_client(address="198.51.100.9", language="ar")
    first = status_page(code, client=client)
    html = first.content.decode()
    assert first.status_code == 200 and 'dir="rtl"' in html and 'data-status="received"' in html
    assert status_page(actions.new_receipt_code(), client=client).status_code == 200
    # The third look-up in the hour, even with the right code, shows no status.
    late = status_page(code, client=client, text="معلومة")
    assert late.status_code == 429 and "data-status" not in main_of(late)
    assert "معلومة" in main_of(late) and ReportAddition.objects.count() == 0


def test_follow_up_spam_trap():
    client = public_client()
    code = receipt_of(client.post(reverse("tips:report"), tip_data()))
    response = client.post(
        reverse("tips:follow_up"), {"code": code, "text": "buy now", "website": "x"}
    )
    assert response.status_code == 200 and ReportAddition.objects.count() == 0
    # A bot learns nothing of the tip: it gets the answer of an unknown code.
    assert 'data-status="unknown"' in main_of(response)


def test_the_hotline_sees_the_tip_and_its_addition(users, login):
    client = public_client()
    code = receipt_of(client.post(reverse("tips:report"), tip_data()))
    client.post(reverse("tips:follow_up"), {"code": code, "text": "Ils sont partis vers Agadir"})
    harry = login(users["harry"])
    queue = harry.get(reverse("hotline:list"))
    report = Report.objects.get()
    assert [r.pk for r in queue.context["page"]] == [report.pk]
    detail = harry.get(reverse("hotline:detail", args=[report.pk])).content.decode()
    assert "Ils sont partis vers Agadir" in detail and "Trois jeunes femmes" in detail
    # Another hotline's operator sees web tips too; other members do not.
    for name in ("alice", "carol", "ana"):
        assert (
            login(users[name]).get(reverse("hotline:detail", args=[report.pk])).status_code == 404
        )
