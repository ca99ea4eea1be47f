"""Hotline pages: the queue, taking a report, triage, notes, passing on, figures; outsiders
get 404 with the database unchanged (S3); bad input is a form error, never a 500 (R4)."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from himaya.audit.models import AccessEvent, AuditEvent
from himaya.cases.models import Dossier
from himaya.hotline import actions
from himaya.hotline.models import Report, ReportAddition, ReportShare
from himaya.people.models import Person
from himaya.testing import factories as f

from .conftest import make_report, make_tip

pytestmark = pytest.mark.django_db


def new_report_data(**overrides):
    data = {
        "channel": "call",
        "caller_type": "relative",
        "urgency": "immediate",
        "narrative": "Ma cousine est retenue par son employeur à Tanger.",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "region": f.code("region", "tanger_tetouan_al_hoceima").pk,
        "city": "Tanger",
        "language": f.code("language", "fr").pk,
        "forms": [f.code("exploitation_form", "domestic_servitude").pk],
        "possible_victims": "Sa cousine, 19 ans",
        "suspects": "",
        "reporter_contact": "",
    }
    data.update(overrides)
    return data


def snapshot():
    with connection.cursor() as cursor:
        counts = []
        for table in (
            "hotline_report",
            "hotline_reportshare",
            "hotline_reportaddition",
            "people_person",
            "cases_dossier",
        ):
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
            counts.append(cursor.fetchone()[0])
    versions = list(Report.objects.order_by("pk").values_list("version", "status", "urgency"))
    return counts, versions


def test_operator_takes_a_call_and_sees_it_in_the_queue(users, orgs, login):
    client = login(users["harry"])
    form = client.get(reverse("hotline:create"))
    assert form.status_code == 200
    html = form.content.decode()
    # Urgency, channel and caller come first, for an operator on the phone.
    assert html.index('name="urgency"') < html.index('name="narrative"')
    assert html.index('name="channel"') < html.index('name="narrative"')
    data = new_report_data(organisation=orgs["hotline"].pk)
    response = client.post(reverse("hotline:create"), data)
    assert response.status_code == 302
    report = Report.objects.get()
    assert response["Location"] == reverse("hotline:detail", args=[report.pk])
    assert report.received_by == orgs["hotline"] and report.urgency == "immediate"
    assert report.city == "Tanger" and report.language.code == "fr"
    queue = client.get(reverse("hotline:list"))
    assert queue.status_code == 200
    assert report.reference in queue.content.decode()
    assert "Tanger" not in queue.content.decode().replace("Tanger-Tétouan", "").replace(
        "Tangier", ""
    )  # no free text in the list
    assert queue.context["untriaged"] == 1


def test_detail_shows_the_report_and_audits_the_read(users, orgs, login, report):
    response = login(users["harry"]).get(reverse("hotline:detail", args=[report.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Une femme est enfermée" in html and "0661000000" in html
    assert set(response.context["triage_forms"]) == {"dossier", "police", "ngo", "close"}
    assert AccessEvent.objects.filter(
        actor_id=users["harry"].pk, object_type="hotline.report", object_id=str(report.pk)
    ).exists()


def test_overdue_reports_are_flagged_and_first(users, orgs, login):
    harry = users["harry"]
    normal = make_report(harry, orgs["hotline"], urgency="normal", ago=datetime.timedelta(days=3))
    late = make_report(harry, orgs["hotline"], urgency="immediate", ago=datetime.timedelta(hours=1))
    response = login(harry).get(reverse("hotline:list"))
    rows = list(response.context["page"])
    assert [r.pk for r in rows] == [late.pk, normal.pk]
    assert rows[0].overdue and not rows[1].overdue
    assert response.context["overdue"] == 1
    assert 'data-testid="overdue"' in response.content.decode()


def test_list_filters_and_bad_filter_values(users, orgs, login):
    harry = users["harry"]
    call = make_report(harry, orgs["hotline"], channel="call", urgency="urgent")
    mail = make_report(harry, orgs["hotline"], channel="email")
    actions.triage_spam(mail, acting_user=harry, expected_version=1)
    client = login(harry)
    url = reverse("hotline:list")

    def pks(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return {r.pk for r in response.context["page"]}

    assert pks(channel="call") == {call.pk}
    assert pks(status="triaged") == {mail.pk}
    assert pks(outcome="spam") == {mail.pk}
    assert pks(urgency="urgent") == {call.pk}
    assert pks(region=f.code("region", "oriental").pk) == set()
    today = timezone.localdate().isoformat()
    assert pks(start=today, end=today) == {call.pk, mail.pk}
    # Malformed values are errors on the filter form, the list still answers.
    for params in (
        {"start": "31/02/2024"},
        {"end": "yesterday"},
        {"region": "99999999999999999999"},
        {"channel": "pigeon"},
        {"page": "x"},
        {"region": "-1"},
    ):
        assert pks(**params) == {call.pk, mail.pk}, params


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"received_at": "2024-13-45T99:99"}, "received_at"),
        ({"received_at": "2999-01-01T10:00"}, "received_at"),
        ({"region": "99999"}, "region"),
        ({"region": "1" * 30}, "region"),
        ({"forms": ["abc"]}, "forms"),
        ({"language": "-5"}, "language"),
        ({"narrative": "x" * 10001}, "narrative"),
        ({"narrative": ""}, "narrative"),
        ({"city": "c" * 101}, "city"),
        ({"urgency": "tomorrow"}, "urgency"),
        ({"channel": "web_tip"}, "channel"),
        ({"caller_type": ""}, "caller_type"),
    ],
)
def test_r4_bad_input_is_a_form_error_and_keeps_what_was_typed(
    users, orgs, login, overrides, field
):
    data = new_report_data(organisation=orgs["hotline"].pk, **overrides)
    response = login(users["harry"]).post(reverse("hotline:create"), data)
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {field}
    assert Report.objects.count() == 0
    if field != "narrative":
        assert "Ma cousine est retenue" in response.content.decode()


def test_edit_before_triage_and_conflict(users, login, report):
    client = login(users["harry"])
    url = reverse("hotline:edit", args=[report.pk])
    response = client.get(url)
    assert response.status_code == 200 and "Une femme est enfermée" in response.content.decode()
    data = new_report_data(version=1, urgency="urgent")
    assert client.post(url, data).status_code == 302
    assert Report.objects.get(pk=report.pk).urgency == "urgent"
    stale = client.post(url, {**data, "urgency": "normal"})  # still version 1
    assert stale.status_code == 409
    assert "changed by someone else" in stale.content.decode()
    assert Report.objects.get(pk=report.pk).urgency == "urgent"
    assert client.post(url, {**data, "version": "abc"}).status_code == 400


def test_web_tip_keeps_its_channel_when_edited(users, login, tip):
    report, _code = tip
    client = login(users["harry"])
    url = reverse("hotline:edit", args=[report.pk])
    received = report.received_at
    # Channel and arrival time are fixed: what is posted for them is ignored.
    data = new_report_data(version=1, channel="call", received_at="2020-01-01T10:00")
    assert client.post(url, data).status_code == 302
    fresh = Report.objects.get(pk=report.pk)
    assert fresh.channel == "web_tip" and fresh.received_at == received
    assert fresh.urgency == "immediate"  # the rest was saved


def test_triage_open_dossier_from_the_page(users, orgs, login, report):
    client = login(users["harry"])
    url = reverse("hotline:triage", args=[report.pk])
    # No name and no dossier: an error on the form, nothing created.
    response = client.post(url, {"kind": "dossier", "dossier-version": 1})
    assert response.status_code == 400
    assert "name" in response.content.decode()
    assert Person.objects.count() == 0
    # Latin letters in the Arabic field: an error on that field.
    response = client.post(
        url, {"kind": "dossier", "dossier-version": 1, "dossier-given_name_ar": "Amina"}
    )
    assert response.status_code == 400
    assert response.context["triage_forms"]["dossier"].errors["given_name_ar"]
    response = client.post(
        url,
        {
            "kind": "dossier",
            "dossier-version": 1,
            "dossier-given_name_ar": "أمينة",
            "dossier-given_name_lat": "Amina",
            "dossier-estimated_age": "17",
            "dossier-note": "Ouverture",
        },
    )
    assert response.status_code == 302
    fresh = Report.objects.get(pk=report.pk)
    assert fresh.outcome == "open_dossier" and fresh.dossier.owner_org == orgs["hotline"]
    detail = client.get(reverse("hotline:detail", args=[report.pk]))
    assert fresh.dossier.reference in detail.content.decode()
    assert detail.context["triage_forms"] == {} and detail.context["sees_dossier"]
    # Triaging again is refused.
    again = client.post(url, {"kind": "close", "close-version": 2, "close-outcome": "spam"})
    assert again.status_code == 400
    assert Report.objects.get(pk=report.pk).outcome == "open_dossier"


def test_triage_link_existing_dossier_by_reference(users, orgs, login, report):
    existing = f.dossier(users["harry"], orgs["hotline"])
    foreign = f.dossier(users["alice"], orgs["ngo_a"])
    client = login(users["harry"])
    url = reverse("hotline:triage", args=[report.pk])
    bad = client.post(url, {"kind": "dossier", "dossier-version": 1, "dossier-dossier": "HMY-x"})
    assert bad.status_code == 400
    other = client.post(
        url, {"kind": "dossier", "dossier-version": 1, "dossier-dossier": foreign.reference}
    )
    assert other.status_code == 400
    ok = client.post(
        url,
        {"kind": "dossier", "dossier-version": 1, "dossier-dossier": existing.reference.lower()},
    )
    assert ok.status_code == 302
    assert Report.objects.get(pk=report.pk).dossier == existing
    assert Dossier.objects.count() == 2


def test_triage_pass_to_police_then_partner_reads_what_was_passed(users, orgs, login, report):
    harry_client = login(users["harry"])
    url = reverse("hotline:triage", args=[report.pk])
    detail = harry_client.get(reverse("hotline:detail", args=[report.pk]))
    # The police of the report's region would be suggested; this one is in Tanger.
    assert detail.context["triage_forms"]["police"].fields["organisation"].queryset.count() == 1
    for org in ("abc", orgs["ngo_a"].pk, 10**30):
        bad = harry_client.post(
            url, {"kind": "police", "police-version": 1, "police-organisation": org}
        )
        assert bad.status_code == 400
    ok = harry_client.post(
        url,
        {
            "kind": "police",
            "police-version": 1,
            "police-organisation": orgs["police"].pk,
            "police-note": "Danger immédiat",
        },
    )
    assert ok.status_code == 302
    actions.add_note(report, acting_user=users["harry"], text="Note interne de la ligne")
    carol = login(users["carol"])
    page = carol.get(reverse("hotline:detail", args=[report.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Une femme est enfermée" in html and "Danger immédiat" in html
    assert 'data-testid="passed-banner"' in html
    assert "Note interne" not in html  # the hotline's notes stay with the hotline
    assert page.context["triage_forms"] == {} and page.context["note_form"] is None
    assert page.context["share_form"] is None
    assert [r.pk for r in carol.get(reverse("hotline:list")).context["page"]] == [report.pk]
    before = snapshot()
    assert carol.get(reverse("hotline:edit", args=[report.pk])).status_code == 404
    assert (
        carol.post(reverse("hotline:note_add", args=[report.pk]), {"note-text": "x"}).status_code
        == 404
    )
    share = {"share-organisation": orgs["ngo_a"].pk}
    assert carol.post(reverse("hotline:share", args=[report.pk]), share).status_code == 404
    assert snapshot() == before
    # The hotline passes it on to an NGO as well.
    assert harry_client.post(reverse("hotline:share", args=[report.pk]), share).status_code == 302
    assert ReportShare.objects.filter(report=report).count() == 2
    assert harry_client.post(reverse("hotline:share", args=[report.pk]), share).status_code == 400


def test_close_outcomes_and_bad_kinds(users, login, report):
    client = login(users["harry"])
    url = reverse("hotline:triage", args=[report.pk])
    for data in (
        {},
        {"kind": "nonsense"},
        {"kind": "close", "close-version": 1, "close-outcome": "police"},
        {"kind": "close", "close-version": 1, "close-outcome": "not_trafficking"},
        {"kind": "close", "close-version": "x", "close-outcome": "spam"},
        {"kind": "close", "close-version": 1, "close-outcome": "spam", "close-note": "n" * 5001},
    ):
        assert client.post(url, data).status_code == 400, data
    assert (
        client.post(url, {"kind": "close", "close-version": 9, "close-outcome": "spam"}).status_code
        == 409
    )
    assert client.get(url).status_code == 405
    assert Report.objects.get(pk=report.pk).status == "untriaged"
    done = client.post(
        url,
        {
            "kind": "close",
            "close-version": 1,
            "close-outcome": "not_trafficking",
            "close-note": "Litige",
        },
    )
    assert done.status_code == 302
    assert Report.objects.get(pk=report.pk).outcome == "not_trafficking"
    assert client.get(reverse("hotline:edit", args=[report.pk])).status_code == 302


def test_notes(users, login, report):
    client = login(users["harry"])
    url = reverse("hotline:note_add", args=[report.pk])
    assert client.post(url, {"note-text": "  "}).status_code == 400
    assert client.post(url, {"note-text": "x" * 5001}).status_code == 400
    assert client.post(url, {"note-text": "Rappelé la témoin"}).status_code == 302
    assert ReportAddition.objects.get().by == users["harry"]


@pytest.mark.parametrize(
    "name", ["alice", "bob", "carol", "ana", "olivia", "paula", "root", "charlie"]
)
def test_s3_outsiders_get_404_everywhere_and_change_nothing(users, orgs, login, report, name):
    client = login(users[name])
    before = snapshot()
    pk = report.pk
    gets = [reverse("hotline:detail", args=[pk]), reverse("hotline:edit", args=[pk])]
    for url in gets:
        response = client.get(url)
        assert response.status_code == 404
        assert "Une femme" not in response.content.decode()
    posts = [
        (reverse("hotline:edit", args=[pk]), new_report_data(version=1)),
        (
            reverse("hotline:triage", args=[pk]),
            {"kind": "close", "close-version": 1, "close-outcome": "spam"},
        ),
        (reverse("hotline:note_add", args=[pk]), {"note-text": "intrusion"}),
        (reverse("hotline:share", args=[pk]), {"share-organisation": orgs["ngo_a"].pk}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404
    assert snapshot() == before
    assert (
        AccessEvent.objects.filter(
            actor_id=users[name].pk, object_id=str(pk), outcome="denied"
        ).count()
        == 6
    )
    assert not AuditEvent.objects.filter(actor_id=users[name].pk).exists()


@pytest.mark.parametrize("name", ["ana", "olivia", "root", "charlie"])
def test_queue_and_new_report_need_a_role(users, login, name):
    client = login(users[name])
    assert client.get(reverse("hotline:list")).status_code == 404
    assert client.get(reverse("hotline:create")).status_code == 404
    assert client.post(reverse("hotline:create"), new_report_data()).status_code == 404
    assert Report.objects.count() == 0


@pytest.mark.parametrize("name", ["alice", "carol"])
def test_victim_handlers_without_hotline_see_an_empty_list_and_cannot_take_reports(
    users, login, report, name
):
    client = login(users[name])
    response = client.get(reverse("hotline:list"))
    assert response.status_code == 200 and list(response.context["page"]) == []
    assert client.get(reverse("hotline:create")).status_code == 404


def test_figures_page(users, orgs, login):
    harry = users["harry"]
    make_report(harry, orgs["hotline"], forms=("begging",))
    make_tip()
    response = login(harry).get(reverse("hotline:figures"))
    assert response.status_code == 200
    assert response.context["current"]["total"] == 2
    assert login(users["ana"]).get(reverse("hotline:figures")).status_code == 200
    for name in ("alice", "carol", "olivia", "charlie", "root"):
        assert login(users[name]).get(reverse("hotline:figures")).status_code == 404, name
    client = login(harry)
    for params in (
        {"start": "2024-02-30"},
        {"start": "2025-01-01", "end": "2024-01-01"},
        {"end": "x"},
    ):
        assert client.get(reverse("hotline:figures"), params).status_code == 200
    leap = client.get(reverse("hotline:figures"), {"start": "2024-02-29", "end": "2024-02-29"})
    assert leap.status_code == 200


def test_detail_of_a_report_linked_to_a_dossier_audits_the_person(users, orgs, login, report):
    harry = users["harry"]
    actions.triage_open_dossier(
        report, acting_user=harry, expected_version=1, person={"given_name_lat": "Awa"}
    )
    login(harry).get(reverse("hotline:detail", args=[report.pk]))
    event = AccessEvent.objects.filter(object_type="hotline.report", purpose="report").last()
    assert event.person_id == Report.objects.get(pk=report.pk).dossier.person_id
