"""The coordination pages: every member reads, the lead agency's focal point updates its
measure with evidence, the commission comments, an outsider gets 404 everywhere."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from himaya.audit.models import AuditEvent
from himaya.coordination import actions
from himaya.coordination.models import Evidence, Measure

from .test_actions import PDF


@pytest.fixture
def rec(users, plan, ministry):
    return actions.do_add_recommendation(
        acting_user=users["ana"],
        source="tip_report",
        year=2024,
        priority=True,
        text_en="Train judges.",
        text_ar="تكوين القضاة.",
        text_fr="Former les juges.",
        measures=[plan["measure"]],
        agencies=[ministry],
    )


def _pages(plan, rec):
    m = plan["measure"]
    return [
        reverse("coordination:index"),
        reverse("coordination:plan", args=[plan["plan"].pk]),
        reverse("coordination:indicators", args=[plan["plan"].pk]),
        reverse("coordination:measure", args=[m.pk]),
        reverse("coordination:recommendations"),
        reverse("coordination:recommendation", args=[rec.pk]),
        reverse("coordination:trainings"),
        reverse("coordination:meetings"),
        reverse("coordination:dashboard"),
    ]


def test_members_read_every_page_in_three_languages_and_an_outsider_none(
    users, plan, rec, login, fatima
):
    for name in ("ana", "carol", "alice"):
        client = login(users[name])
        for url in _pages(plan, rec):
            response = client.get(url, follow=True)
            assert response.status_code == 200, (name, url)
    client = login(fatima)
    for lang in ("ar", "fr"):
        client.post(reverse("accounts:set_language"), {"language": lang})
        page = client.get(reverse("coordination:measure", args=[plan["measure"].pk]))
        assert f'lang="{lang}"' in page.content.decode()
        assert ('dir="rtl"' in page.content.decode()) == (lang == "ar")
    outsider = login(users["charlie"])
    for url in _pages(plan, rec):
        assert outsider.get(url).status_code == 404, url
    evidence = actions.do_attach_evidence(
        acting_user=fatima, measure=plan["measure"], name="a.pdf", data=PDF
    )
    assert outsider.get(reverse("coordination:evidence", args=[evidence.pk])).status_code == 404


def test_the_focal_point_updates_its_measure_with_evidence(users, plan, login, fatima, figure):
    measure = plan["measure"]
    client = login(fatima)
    response = client.post(
        reverse("coordination:measure_status", args=[measure.pk]),
        {"status": "under_way", "note": "first sessions", "version": measure.version},
    )
    assert response.status_code == 302
    upload = SimpleUploadedFile("rapport.pdf", PDF, content_type="text/html")
    response = client.post(
        reverse("coordination:measure_evidence", args=[measure.pk]),
        {"file": upload, "description": "attendance list"},
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    download = client.get(reverse("coordination:evidence", args=[evidence.pk]))
    assert download["Content-Type"] == "application/octet-stream"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content if download.streaming else [download.content]) == PDF
    svg = SimpleUploadedFile(
        "x.pdf", b"<svg onload=alert(1)></svg>", content_type="application/pdf"
    )
    response = client.post(
        reverse("coordination:measure_evidence", args=[measure.pk]), {"file": svg}
    )
    assert response.status_code == 400 and "markup" in response.content.decode()
    assert Evidence.objects.count() == 1
    stale = client.post(
        reverse("coordination:measure_status", args=[measure.pk]),
        {"status": "late", "version": 1},
    )
    assert stale.status_code == 409
    bad = client.post(
        reverse("coordination:measure_status", args=[measure.pk]),
        {"status": "finished", "version": "x"},
    )
    assert bad.status_code == 400
    measure.refresh_from_db()
    assert measure.status == "under_way"
    rows = AuditEvent.objects.filter(action__in=["set_measure_status", "attach_evidence"])
    assert rows.count() == 2
    figure(
        f"coordination: focal point's status + evidence → {rows.count()} audit rows; SVG refused"
    )


def test_readers_cannot_write_a_measure(users, plan, login, pierre):
    measure = plan["measure"]
    for user in (pierre, users["carol"]):
        client = login(user)
        r = client.post(
            reverse("coordination:measure_status", args=[measure.pk]),
            {"status": "done", "version": measure.version},
        )
        assert r.status_code == 403
        r = client.post(reverse("coordination:measure_note", args=[measure.pk]), {"text": "x"})
        assert r.status_code == 403
    assert Measure.objects.get().status == "not_started"


def test_the_progress_export_in_three_languages(users, plan, rec, login, fatima):
    actions.do_record_progress(
        rec, acting_user=fatima, year=2024, status="in_progress", evidence="120 judges trained"
    )
    client = login(users["carol"])
    for lang in ("ar", "fr", "en"):
        xlsx = client.get(reverse("coordination:progress_export", args=[2024, lang, "xlsx"]))
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
        from io import BytesIO

        from openpyxl import load_workbook

        ws = load_workbook(BytesIO(xlsx.content)).active
        assert ws.sheet_view.rightToLeft == (lang == "ar")
        texts = [c.value for row in ws.iter_rows() for c in row if c.value]
        assert {"ar": "تكوين القضاة.", "fr": "Former les juges.", "en": "Train judges."}[
            lang
        ] in texts
        assert "120 judges trained" in texts
    pdf = client.get(reverse("coordination:progress_export", args=[2024, "ar", "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert (
        client.get(reverse("coordination:progress_export", args=[2024, "de", "pdf"])).status_code
        == 404
    )


def test_a_training_and_a_meeting_from_the_pages(users, orgs, login, ministry, fatima):
    client = login(fatima)
    data = {
        "topic": "identification",
        "title": "Identification",
        "starts_on": "2024-04-02",
        "ends_on": "2024-04-01",
        "organiser": ministry.pk,
        "aud_police_women": "3",
    }
    r = client.post(reverse("coordination:training_new"), data)
    assert r.status_code == 400 and "before the first day" in r.content.decode()
    data["ends_on"] = "2024-04-03"
    assert client.post(reverse("coordination:training_new"), data).status_code == 302
    assert client.get(reverse("coordination:meeting_new")).status_code == 403
    ana = login(users["ana"])
    r = ana.post(
        reverse("coordination:meeting_new"),
        {
            "held_on": "2024-05-05",
            "title": "Plénière",
            "attendees": [ministry.pk, orgs["police"].pk],
        },
    )
    assert r.status_code == 302
    meeting_url = r["Location"]
    meeting_id = int(meeting_url.rstrip("/").rsplit("/", 1)[-1])
    assert (
        ana.post(
            reverse("coordination:decision_add", args=[meeting_id]), {"text": "Guide"}
        ).status_code
        == 302
    )
    from himaya.coordination.models import Decision

    decision = Decision.objects.get()
    r = ana.post(
        reverse("coordination:action_add", args=[decision.pk]),
        {"text": "Traduire", "agency": ministry.pk, "due_on": "2024-06-01"},
    )
    assert r.status_code == 302
    home = client.get(reverse("home"))
    assert "Traduire" in home.content.decode()  # overdue on the ministry's home page
