"""The coordination actions and their access rules: the commission writes everything, a lead
agency's focal points write its measures, partners and others read, an outsider sees nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from himaya.audit.models import AuditEvent
from himaya.coordination import actions
from himaya.coordination.models import (
    Evidence,
    FollowUpAction,
    Measure,
    MeasureStatus,
    NoteKind,
    Plan,
    RecommendationStatus,
    StatusChange,
    Training,
)
from himaya.core.errors import Conflict
from himaya.notifications.models import Kind, Notification
from himaya.testing import factories as f

from .conftest import TODAY

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def test_everyone_with_a_membership_reads_the_plan_and_an_outsider_nothing(users, plan, fatima):
    for name in ("ana", "carol", "alice", "ivy"):
        assert Plan.objects.visible_to(users[name]).count() == 1, name
        assert Measure.objects.visible_to(users[name]).count() == 1, name
    assert Plan.objects.visible_to(fatima).count() == 1
    for name in ("charlie", "root"):  # no membership: fail closed
        assert Plan.objects.visible_to(users[name]).count() == 0
        assert Measure.objects.visible_to(users[name]).count() == 0


def test_only_the_commission_builds_the_plan(users, fatima):
    for user in (fatima, users["carol"], users["charlie"]):
        with pytest.raises(PermissionDenied):
            actions.do_create_plan(acting_user=user, start_year=2023, end_year=2030, title_fr="X")
    assert Plan.objects.count() == 0


def test_the_lead_agencys_focal_point_moves_the_status_with_its_history(plan, fatima):
    measure = plan["measure"]
    actions.do_set_measure_status(
        measure,
        acting_user=fatima,
        expected_version=measure.version,
        status=MeasureStatus.UNDER_WAY,
        note="first session held",
        on=datetime.date(2024, 3, 1),
    )
    measure.refresh_from_db()
    assert (measure.status, measure.status_on) == ("under_way", datetime.date(2024, 3, 1))
    history = list(StatusChange.objects.filter(measure=measure).values_list("status", "on"))
    assert history == [
        ("not_started", datetime.date(2023, 2, 1)),
        ("under_way", datetime.date(2024, 3, 1)),
    ]
    row = AuditEvent.objects.filter(action="set_measure_status").get()
    assert (row.actor_username, row.organisation_id) == ("fatima", measure.lead_agency_id)
    assert row.changed_fields == ["status", "status_on"]


def test_a_partner_a_reader_and_an_outsider_cannot_write_a_measure(users, plan, pierre):
    measure = plan["measure"]  # the police is a partner, pierre its focal point
    for user in (pierre, users["carol"], users["charlie"], users["alice"]):
        with pytest.raises(PermissionDenied):
            actions.do_set_measure_status(
                measure, acting_user=user, expected_version=1, status="under_way"
            )
        with pytest.raises(PermissionDenied):
            actions.do_add_progress_note(measure, acting_user=user, text="x")
        with pytest.raises(PermissionDenied):
            actions.do_attach_evidence(acting_user=user, measure=measure, name="a.pdf", data=PDF)
    measure.refresh_from_db()
    assert measure.status == "not_started" and measure.version == 1
    assert not Evidence.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["set_measure_status", "add_progress_note"])


def test_a_stale_status_change_is_a_conflict(plan, fatima, users):
    measure = plan["measure"]
    actions.do_set_measure_status(
        measure, acting_user=users["ana"], expected_version=1, status="under_way"
    )
    with pytest.raises(Conflict):
        actions.do_set_measure_status(
            measure, acting_user=fatima, expected_version=1, status="late"
        )
    measure.refresh_from_db()
    assert measure.status == "under_way"


def test_a_status_change_cannot_go_back_in_time(plan, fatima):
    with pytest.raises(ValidationError) as exc:
        actions.do_set_measure_status(
            plan["measure"],
            acting_user=fatima,
            expected_version=1,
            status="under_way",
            on=datetime.date(2022, 1, 1),
        )
    assert "on" in exc.value.error_dict


def test_notes_are_progress_from_the_lead_and_comments_from_the_commission(plan, fatima, users):
    progress = actions.do_add_progress_note(plan["measure"], acting_user=fatima, text="done 2")
    comment = actions.do_add_progress_note(plan["measure"], acting_user=users["ana"], text="ok")
    assert (progress.kind, comment.kind) == (NoteKind.PROGRESS, NoteKind.COMMENT)
    with pytest.raises(ValidationError):
        actions.do_add_progress_note(plan["measure"], acting_user=fatima, text="  ")


def test_evidence_is_checked_by_its_content(plan, fatima):
    measure = plan["measure"]
    kept = actions.do_attach_evidence(
        acting_user=fatima, measure=measure, name="../rapport\u202e.exe.pdf", data=PDF
    )
    assert (kept.kind, kept.name, bytes(kept.content)) == ("pdf", "rapport.exe.pdf", PDF)
    hostile = {
        "svg": b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script/></svg>',
        "html": b"<!doctype html><script>alert(1)</script>",
        "polyglot": PDF + b"PK\x03\x04" + b"\x00" * 30 + b"PK\x05\x06" + b"\x00" * 18,
        "pdf with html": b"%PDF-1.4\n<html><script>alert(1)</script>\n%%EOF",
        "zip": _zip({"a.txt": b"x"}),
        "macro": _zip(
            {"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>", "xl/vbaProject.bin": b"x"}
        ),
        "exe": b"MZ\x90\x00\x03" + b"\x00" * 100,
        "big": b"%PDF-" + b"0" * (5 * 1024 * 1024) + b"%%EOF",
        "empty": b"   ",
    }
    refused = {}
    for label, data in hostile.items():
        with pytest.raises(ValidationError) as exc:
            actions.do_attach_evidence(acting_user=fatima, measure=measure, name="x.pdf", data=data)
        refused[label] = exc.value.message_dict["file"][0]
    assert len(refused) == len(hostile)
    assert "too large" in refused["big"] and "markup" in refused["svg"]
    assert "another file" in refused["polyglot"] and "macros" in refused["macro"]
    assert Evidence.objects.count() == 1
    docx = _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"})
    assert (
        actions.do_attach_evidence(
            acting_user=fatima, measure=measure, name="note.bin", data=docx
        ).name
        == "note.docx"
    )


def _zip(members):
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def test_recommendation_progress_by_the_responsible_agency_and_the_commission(
    users, plan, fatima, pierre, ministry
):
    rec = actions.do_add_recommendation(
        acting_user=users["ana"],
        source="tip_report",
        year=2024,
        priority=True,
        text_en="Train judges on victim-centred approaches.",
        measures=[plan["measure"]],
        agencies=[ministry],
    )
    row = actions.do_record_progress(
        rec,
        acting_user=fatima,
        year=2024,
        status=RecommendationStatus.IN_PROGRESS,
        evidence="120 judges trained",
    )
    assert row.organisation_id == ministry.pk
    with pytest.raises(PermissionDenied):  # the police is not responsible for it
        actions.do_record_progress(rec, acting_user=pierre, year=2024, status="implemented")
    with pytest.raises(Conflict):
        actions.do_record_progress(
            rec, acting_user=users["ana"], year=2024, status="implemented", expected_version=None
        )
    actions.do_record_progress(
        rec, acting_user=users["ana"], year=2024, status="implemented", expected_version=1
    )
    row.refresh_from_db()
    assert (row.status, row.version) == ("implemented", 2)
    with pytest.raises(ValidationError):
        actions.do_record_progress(rec, acting_user=users["ana"], year=2023, status="partly")


def test_a_focal_point_records_its_own_trainings_only(users, orgs, ministry, fatima):
    fields = dict(
        topic="non_punishment",
        title="Non-sanction des victimes",
        starts_on=datetime.date(2024, 5, 2),
        ends_on=datetime.date(2024, 5, 3),
        audience=[(f.code("org_type", "prosecution"), 12, 9, 0)],
        on=TODAY,
    )
    training = actions.do_record_training(acting_user=fatima, organiser=ministry, **fields)
    assert training.participants == 21
    with pytest.raises(PermissionDenied):
        actions.do_record_training(acting_user=fatima, organiser=orgs["police"], **fields)
    with pytest.raises(PermissionDenied):
        actions.do_record_training(acting_user=users["carol"], organiser=orgs["police"], **fields)
    bad = {**fields, "ends_on": datetime.date(2024, 5, 1)}
    with pytest.raises(ValidationError) as exc:
        actions.do_record_training(acting_user=fatima, organiser=ministry, **bad)
    assert "ends_on" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        actions.do_record_training(
            acting_user=fatima, organiser=ministry, **{**fields, "audience": []}
        )
    assert "audience" in exc.value.error_dict
    future = {
        **fields,
        "starts_on": datetime.date(2025, 7, 1),
        "ends_on": datetime.date(2025, 7, 1),
    }
    with pytest.raises(ValidationError):
        actions.do_record_training(acting_user=fatima, organiser=ministry, **future)
    assert Training.objects.count() == 1
    # the commission records any organiser's
    actions.do_record_training(acting_user=users["ana"], organiser=orgs["police"], **fields)


def test_follow_up_actions_overdue_notify_the_agency_once(
    users, orgs, ministry, fatima, django_capture_on_commit_callbacks
):
    ana = users["ana"]
    meeting = actions.do_record_meeting(
        acting_user=ana,
        held_on=datetime.date(2025, 3, 10),
        title="Session plénière",
        attendance=[(ministry, 2), (orgs["police"], 1)],
    )
    decision = actions.do_add_decision(meeting, acting_user=ana, text="Publier le guide")
    action = actions.do_assign_action(
        decision,
        acting_user=ana,
        text="Traduire le guide",
        agency=ministry,
        due_on=datetime.date(2025, 5, 1),
    )
    with pytest.raises(PermissionDenied):
        actions.do_assign_action(
            decision, acting_user=fatima, text="x", agency=ministry, due_on=TODAY
        )
    from himaya.coordination.actions.work import scan_overdue_actions

    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert scan_overdue_actions(TODAY) == 1
    sent = Notification.objects.filter(kind=Kind.ACTION_OVERDUE)
    assert list(sent.values_list("recipient__username", flat=True)) == ["fatima"]
    with pytest.raises(PermissionDenied):
        actions.do_close_action(action, acting_user=users["carol"], expected_version=1)
    actions.do_close_action(action, acting_user=fatima, expected_version=1, note="fait", on=TODAY)
    assert FollowUpAction.objects.overdue(TODAY).count() == 0
