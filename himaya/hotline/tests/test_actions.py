"""Taking, correcting and triaging reports: the actions and the model's rules."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from himaya.audit.models import AuditEvent
from himaya.cases.models import Dossier
from himaya.core.errors import Conflict
from himaya.hotline import actions
from himaya.hotline.models import Report, ReportAddition, ReportShare
from himaya.people.models import Person
from himaya.testing import factories as f

from .conftest import make_report, make_tip

pytestmark = pytest.mark.django_db


def test_record_report_gives_a_reference_encrypts_and_audits(users, orgs, report):
    year = timezone.localtime(report.received_at).year
    assert report.reference == f"HL-{year}-{report.pk:06d}"
    assert report.status == "untriaged" and report.outcome == ""
    assert report.received_by == orgs["hotline"] and report.taken_by == users["harry"]
    assert [c.code for c in report.forms.all()] == ["domestic_servitude"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT narrative, city, possible_victims, suspects, reporter_contact "
            "FROM hotline_report WHERE id = %s",
            [report.pk],
        )
        raw = cursor.fetchone()
    assert all(v.startswith("enc1:") for v in raw)
    assert "Salé" not in " ".join(raw)
    event = AuditEvent.objects.get(action="record_report", object_id=str(report.pk))
    assert event.organisation_id == orgs["hotline"].pk
    assert {"narrative", "city", "forms", "urgency"} <= set(event.changed_fields)


@pytest.mark.parametrize("name", ["alice", "carol", "ana", "charlie"])
def test_only_hotline_operators_take_reports(users, orgs, name):
    with pytest.raises(PermissionDenied):
        make_report(users[name], orgs["hotline"])
    with pytest.raises(PermissionDenied):  # not even for their own organisation
        make_report(users["alice"], orgs["ngo_a"])
    assert Report.objects.count() == 0


def test_report_input_is_validated(users, orgs):
    harry, hotline = users["harry"], orgs["hotline"]
    cases = [
        ({"narrative": "   "}, "narrative"),
        ({"narrative": "x" * 10001}, "narrative"),
        ({"city": "y" * 101}, "city"),
        ({"received_at": timezone.now() + datetime.timedelta(hours=1)}, "received_at"),
        ({"channel": "web_tip"}, "channel"),
        ({"channel": "pigeon"}, "channel"),
        ({"urgency": "whenever"}, "urgency"),
    ]
    for fields, field in cases:
        with pytest.raises(ValidationError) as exc:
            make_report(harry, hotline, **fields)
        assert field in exc.value.message_dict, fields
    assert Report.objects.count() == 0


def test_update_before_triage_with_optimistic_locking(users, report):
    harry = users["harry"]
    report, changed = actions.update_report(
        report, acting_user=harry, expected_version=1, urgency="urgent", city="Témara"
    )
    assert sorted(changed) == ["city", "urgency"] and report.version == 2
    stale = Report.objects.get(pk=report.pk)
    with pytest.raises(Conflict):
        actions.update_report(stale, acting_user=harry, expected_version=1, urgency="normal")
    assert Report.objects.get(pk=report.pk).urgency == "urgent"
    with pytest.raises(ValidationError):
        actions.update_report(report, acting_user=harry, expected_version=2, channel="web_tip")
    with pytest.raises(PermissionDenied):
        actions.update_report(report, acting_user=users["alice"], expected_version=2, city="X")


def test_open_dossier_creates_person_and_dossier_owned_by_the_hotline(users, orgs, report):
    harry = users["harry"]
    triaged = actions.triage_open_dossier(
        report,
        acting_user=harry,
        expected_version=report.version,
        person={"given_name_ar": "أمينة", "given_name_lat": "Amina", "estimated_age": 17},
        note="Mineure, à protéger",
    )
    dossier = triaged.dossier
    assert dossier.owner_org == orgs["hotline"]
    assert [c.code for c in dossier.forms.all()] == ["domestic_servitude"]
    assert dossier.exploitation_region.code == "rabat_sale_kenitra"
    assert dossier.exploitation_city == "Salé"
    person = Person.objects.get(pk=dossier.person_id)
    assert person.registered_by == orgs["hotline"] and person.is_child_on(timezone.localdate())
    fresh = Report.objects.get(pk=report.pk)
    assert fresh.status == "triaged" and fresh.outcome == "open_dossier"
    assert fresh.dossier_id == dossier.pk and fresh.triaged_by == harry
    assert fresh.triage_note == "Mineure, à protéger" and fresh.version == 2
    assert fresh.time_to_triage >= datetime.timedelta(0)
    assert AuditEvent.objects.filter(action="triage_open_dossier", object_id=str(report.pk))


def test_open_dossier_needs_a_name_and_rolls_back(users, report):
    with pytest.raises(ValidationError):
        actions.triage_open_dossier(
            report, acting_user=users["harry"], expected_version=1, person={"sex": None}
        )
    assert Person.objects.count() == 0 and Dossier.objects.count() == 0
    assert Report.objects.get(pk=report.pk).status == "untriaged"


def test_open_dossier_can_link_an_existing_dossier_of_the_hotline(users, orgs, report):
    harry = users["harry"]
    existing = f.dossier(harry, orgs["hotline"])
    others = f.dossier(users["alice"], orgs["ngo_a"])
    with pytest.raises(ValidationError):
        actions.triage_open_dossier(report, acting_user=harry, expected_version=1, dossier=others)
    actions.triage_open_dossier(report, acting_user=harry, expected_version=1, dossier=existing)
    assert Report.objects.get(pk=report.pk).dossier == existing
    assert Dossier.objects.count() == 2


def test_other_form_gets_its_detail_from_the_reference(users, orgs):
    report = make_report(users["harry"], orgs["hotline"], forms=("other",))
    triaged = actions.triage_open_dossier(
        report, acting_user=users["harry"], expected_version=1, person={"given_name_lat": "Awa"}
    )
    assert report.reference in triaged.dossier.form_other_detail


def test_pass_to_police_and_refer_to_ngo_share_the_report(users, orgs, report):
    harry = users["harry"]
    with pytest.raises(ValidationError) as exc:  # an NGO is not the police
        actions.triage_pass_to_police(
            report, acting_user=harry, expected_version=1, organisation=orgs["ngo_a"]
        )
    assert "organisation" in exc.value.message_dict
    actions.triage_pass_to_police(
        report, acting_user=harry, expected_version=1, organisation=orgs["police"], note="Urgent"
    )
    assert list(ReportShare.objects.values_list("organisation", flat=True)) == [orgs["police"].pk]
    other = make_report(harry, orgs["hotline"])
    with pytest.raises(ValidationError):
        actions.triage_refer_to_ngo(
            other, acting_user=harry, expected_version=1, organisation=orgs["police"]
        )
    orgs["ngo_b"].active = False
    orgs["ngo_b"].save()
    with pytest.raises(ValidationError):
        actions.triage_refer_to_ngo(
            other, acting_user=harry, expected_version=1, organisation=orgs["ngo_b"]
        )
    actions.triage_refer_to_ngo(
        other, acting_user=harry, expected_version=1, organisation=orgs["ngo_a"]
    )
    assert Report.objects.get(pk=other.pk).outcome == "ngo"


def test_a_triaged_report_is_not_triaged_again_but_takes_notes(users, orgs, report):
    harry = users["harry"]
    actions.triage_information_only(report, acting_user=harry, expected_version=1)
    for outcome, kwargs in [
        ("spam", {}),
        ("police", {"organisation": orgs["police"]}),
        ("open_dossier", {"person": {"given_name_lat": "Awa"}}),
    ]:
        with pytest.raises(ValidationError) as exc:
            actions.triage(report, outcome=outcome, acting_user=harry, expected_version=2, **kwargs)
        assert "already triaged" in str(exc.value)
    with pytest.raises(ValidationError):
        actions.update_report(report, acting_user=harry, expected_version=2, urgency="urgent")
    note = actions.add_note(report, acting_user=harry, text="Rappel du témoin")
    assert note.organisation == orgs["hotline"]
    fresh = Report.objects.get(pk=report.pk)
    assert fresh.outcome == "information" and fresh.version == 2
    assert Person.objects.count() == 0 and ReportShare.objects.count() == 0


def test_triage_with_a_stale_version_conflicts(users, report):
    actions.update_report(report, acting_user=users["harry"], expected_version=1, urgency="urgent")
    with pytest.raises(Conflict):
        actions.triage_spam(report, acting_user=users["harry"], expected_version=1)
    assert Report.objects.get(pk=report.pk).status == "untriaged"


def test_not_trafficking_needs_a_reason(users, report):
    with pytest.raises(ValidationError) as exc:
        actions.triage_not_trafficking(report, acting_user=users["harry"], expected_version=1)
    assert "note" in exc.value.message_dict
    actions.triage_not_trafficking(
        report, acting_user=users["harry"], expected_version=1, note="Conflit de voisinage"
    )


@pytest.mark.parametrize("name", ["alice", "carol", "ana", "root", "charlie"])
def test_outsiders_cannot_triage_or_annotate(users, orgs, report, name):
    with pytest.raises(PermissionDenied):
        actions.triage_spam(report, acting_user=users[name], expected_version=1)
    with pytest.raises(PermissionDenied):
        actions.add_note(report, acting_user=users[name], text="x")
    assert Report.objects.get(pk=report.pk).status == "untriaged"
    assert ReportAddition.objects.count() == 0


def test_passed_to_partner_reads_but_cannot_write(users, orgs, report):
    actions.triage_pass_to_police(
        report, acting_user=users["harry"], expected_version=1, organisation=orgs["police"]
    )
    carol = users["carol"]
    assert Report.objects.visible_to(carol).filter(pk=report.pk).exists()
    with pytest.raises(PermissionDenied):
        actions.add_note(report, acting_user=carol, text="Nous intervenons")
    with pytest.raises(PermissionDenied):
        actions.share_report(report, acting_user=carol, organisation=orgs["ngo_a"])


def test_share_further_after_police_or_ngo(users, orgs, report):
    harry = users["harry"]
    with pytest.raises(ValidationError):  # untriaged: triage first
        actions.share_report(report, acting_user=harry, organisation=orgs["ngo_a"])
    actions.triage_pass_to_police(
        report, acting_user=harry, expected_version=1, organisation=orgs["police"]
    )
    actions.share_report(report, acting_user=harry, organisation=orgs["ngo_a"])
    with pytest.raises(ValidationError):  # twice
        actions.share_report(report, acting_user=harry, organisation=orgs["ngo_a"])
    with pytest.raises(ValidationError):  # a prosecution is not a share target
        actions.share_report(report, acting_user=harry, organisation=orgs["parquet"])
    assert set(report.shares.values_list("organisation", flat=True)) == {
        orgs["police"].pk,
        orgs["ngo_a"].pk,
    }


def test_overdue_follows_the_urgency_limits(users, orgs, settings):
    harry, hotline = users["harry"], orgs["hotline"]
    minutes = datetime.timedelta(minutes=1)
    late_immediate = make_report(harry, hotline, urgency="immediate", ago=16 * minutes)
    fresh_immediate = make_report(harry, hotline, urgency="immediate", ago=14 * minutes)
    late_urgent = make_report(harry, hotline, urgency="urgent", ago=25 * 60 * minutes)
    fresh_urgent = make_report(harry, hotline, urgency="urgent", ago=23 * 60 * minutes)
    old_normal = make_report(harry, hotline, urgency="normal", ago=30 * 24 * 60 * minutes)
    triaged = make_report(harry, hotline, urgency="immediate", ago=60 * minutes)
    actions.triage_spam(triaged, acting_user=harry, expected_version=1)
    overdue = set(Report.objects.overdue().values_list("pk", flat=True))
    assert overdue == {late_immediate.pk, late_urgent.pk}
    assert late_immediate.is_overdue() and not fresh_immediate.is_overdue()
    assert not old_normal.is_overdue() and not Report.objects.get(pk=triaged.pk).is_overdue()
    # Configurable: with 10 minutes, the 14-minute-old report is late too.
    settings.HIMAYA_TRIAGE_MINUTES_IMMEDIATE = 10
    assert fresh_immediate.pk in set(Report.objects.overdue().values_list("pk", flat=True))
    # ``now`` can be given: an hour from now, the 23-hour-old urgent report is late.
    later = timezone.now() + datetime.timedelta(hours=2)
    assert fresh_urgent.pk in set(Report.objects.overdue(now=later).values_list("pk", flat=True))


def test_queue_order_untriaged_by_urgency_then_oldest_then_triaged_newest(users, orgs):
    harry, hotline = users["harry"], orgs["hotline"]
    hour = datetime.timedelta(hours=1)
    normal_old = make_report(harry, hotline, urgency="normal", ago=5 * hour)
    immediate_new = make_report(harry, hotline, urgency="immediate", ago=hour / 6)
    immediate_old = make_report(harry, hotline, urgency="immediate", ago=hour)
    urgent = make_report(harry, hotline, urgency="urgent", ago=2 * hour)
    done_old = make_report(harry, hotline, urgency="immediate", ago=10 * hour)
    done_new = make_report(harry, hotline, urgency="normal", ago=3 * hour)
    for r in (done_old, done_new):
        actions.triage_information_only(r, acting_user=harry, expected_version=1)
    order = list(Report.objects.queue_order().values_list("pk", flat=True))
    assert order == [
        immediate_old.pk,
        immediate_new.pk,
        urgent.pk,
        normal_old.pk,
        done_new.pk,
        done_old.pk,
    ]


def test_web_tip_receipt_is_stored_only_as_a_hash(db):
    report, code = make_tip(reporter_contact="")
    assert report.channel == "web_tip" and report.received_by is None and report.taken_by is None
    assert len(code) == 16 and code not in str(Report.objects.filter(pk=report.pk).values()[0])
    assert report.receipt_digest == actions.receipt_digest(code)
    assert actions.normalise_receipt(actions.format_receipt(code).lower()) == code
    assert actions.normalise_receipt("ABCD-EFGH") is None
    assert actions.normalise_receipt("O" * 16) is None  # O is not in the alphabet
    event = AuditEvent.objects.get(action="submit_tip")
    assert event.actor_id is None and event.object_id == str(report.pk)


def test_follow_up_with_the_receipt_code(users, db):
    report, code = make_tip()
    other, _other_code = make_tip()
    assert actions.add_tip_information(actions.format_receipt(code).lower(), "Il y a 3 enfants")
    assert not actions.add_tip_information(actions.new_receipt_code(), "intrus")
    assert not actions.add_tip_information("not a code", "intrus")
    assert not actions.add_tip_information(code, "   ")
    assert not actions.add_tip_information(code, "x" * 5001)
    additions = list(ReportAddition.objects.all())
    assert [(a.report_id, a.text, a.by_id) for a in additions] == [
        (report.pk, "Il y a 3 enfants", None)
    ]
    assert not other.additions.exists()
    # A flood through one code stops at the limit.
    for i in range(actions.MAX_PUBLIC_ADDITIONS + 5):
        actions.add_tip_information(code, f"ajout {i}")
    assert report.additions.count() == actions.MAX_PUBLIC_ADDITIONS


def test_web_tip_keeps_its_channel_and_arrival_time(users, tip):
    report, _code = tip
    harry = users["harry"]
    with pytest.raises(ValidationError):
        actions.update_report(report, acting_user=harry, expected_version=1, channel="call")
    with pytest.raises(ValidationError):
        actions.update_report(
            report,
            acting_user=harry,
            expected_version=1,
            received_at=report.received_at - datetime.timedelta(days=1),
        )
    actions.update_report(report, acting_user=harry, expected_version=1, urgency="immediate")
    assert Report.objects.get(pk=report.pk).urgency == "immediate"


def test_web_tip_is_triaged_by_any_hotline(users, orgs, tip):
    report, _code = tip
    second = f.OrganisationFactory(type=f.code("org_type", "hotline"))
    sara = f.member(f.UserFactory(username="sara"), second, "hotline_operator")
    actions.triage_open_dossier(
        report, acting_user=sara, expected_version=1, person={"given_name_lat": "Awa"}
    )
    fresh = Report.objects.get(pk=report.pk)
    assert fresh.triage_org == second and fresh.dossier.owner_org == second
    assert fresh.received_by is None


@pytest.mark.parametrize("seed", [0, 1])
def test_the_queue_is_paged_path_by_path_as_the_whole_list(users, orgs, seed, figure):
    """The queue's order is plain columns (hotline/models.queue_keys, served by the index
    ``report_queue``), so a page is read path by path of what the operator sees (the hotline's
    reports, the web tips, the reports shared with it): every page holds the rows and the
    order of the ordinary ORDER BY … LIMIT … OFFSET over the whole list."""
    import random

    from himaya.core import pagination

    rng = random.Random(seed)
    harry, hotline = users["harry"], orgs["hotline"]
    for _ in range(14):
        ago = datetime.timedelta(minutes=rng.randrange(1, 5000))
        urgency = rng.choice(["immediate", "urgent", "normal"])
        if rng.random() < 0.3:
            report, _code = make_tip(urgency=urgency)
        else:
            report = make_report(harry, hotline, urgency=urgency, ago=ago)
        if rng.random() < 0.4:
            actions.triage_information_only(report, acting_user=harry, expected_version=1)
    qs = Report.objects.visible_to(harry).queue_order()
    assert pagination._by_path(qs) is not None  # a union of paths, read path by path
    paginator = pagination.CappedPaginator(qs, 4)
    pages = 0
    for bottom in range(0, 16, 4):
        want = list(qs.values_list("pk", flat=True)[bottom : bottom + 4])
        got = [r.pk for r in pagination.rows_between(qs, bottom, bottom + 4)]
        assert got == want, (seed, bottom)
        assert [r.pk for r in paginator._rows(bottom, bottom + 4)] == want
        pages += 1
    figure(f"hotline queue, seed {seed}: {pages} pages read path by path → 0 differ")
