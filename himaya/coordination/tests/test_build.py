"""The commission builds and edits the plan from the pages (plan, axes, objectives, measures,
indicators with targets, recommendations); a focal point edits its own trainings and sets the
values of every indicator of its measure; meetings count attendance per organisation. Members
of other agencies are refused (403), an outsider sees nothing (404)."""

import datetime
import decimal

import pytest
from django.urls import reverse

from himaya.audit.models import AuditEvent
from himaya.coordination import actions
from himaya.coordination.models import (
    Axis,
    Indicator,
    IndicatorYear,
    Measure,
    MeetingAttendance,
    Objective,
    Plan,
    Recommendation,
    Training,
)


def _id(response):
    return int(response["Location"].rstrip("/").split("/")[-1])


@pytest.fixture
def ana(users, login):
    return login(users["ana"])


@pytest.fixture
def outline(ana):
    """The commission adds a plan, an axis and an objective through the pages."""
    r = ana.post(
        reverse("coordination:plan_new"),
        {
            "title_fr": "Plan national",
            "title_ar": "الخطة الوطنية",
            "start_year": "2023",
            "end_year": "2030",
        },
    )
    plan = Plan.objects.get(pk=_id(r))
    axis_added = ana.post(
        reverse("coordination:axis_new", args=[plan.pk]), {"title_fr": "Prévention"}
    )
    axis = Axis.objects.get(plan=plan)
    ana.post(reverse("coordination:objective_new", args=[axis.pk]), {"title_en": "Train"})
    objective = Objective.objects.get(axis=axis)
    return {"plan": plan, "axis": axis, "axis_added": axis_added, "objective": objective}


@pytest.fixture
def measure_data(orgs, ministry):
    return {
        "title_fr": "Former les inspecteurs",
        "lead_agency": ministry.pk,
        "partners": [orgs["police"].pk, orgs["ngo_a"].pk],
        "budget_line": "BG-7",
        "deadline": "2026-12-31",
    }


@pytest.fixture
def with_indicator(ana, outline, measure_data):
    """... a measure under the objective, and an indicator entered by hand with its source and
    targets for two years of the plan."""
    r = ana.post(reverse("coordination:measure_new", args=[outline["objective"].pk]), measure_data)
    measure = Measure.objects.get(pk=_id(r))
    indicator_added = ana.post(
        reverse("coordination:indicator_new", args=[measure.pk]),
        {
            "name_fr": "Inspecteurs formés",
            "source_fr": "Ministère, rapport annuel",
            "baseline_year": "2022",
            "baseline": "10",
            "target_2024": "50",
            "target_2025": "80",
        },
    )
    return {
        **outline,
        "measure": measure,
        "indicator_added": indicator_added,
        "manual": Indicator.objects.get(measure=measure),
    }


@pytest.fixture
def edited(ana, with_indicator, measure_data):
    """... then edits each, against the version read (the measure a second time, stale)."""
    built = with_indicator
    edit = reverse("coordination:measure_edit", args=[built["measure"].pk])
    version = built["measure"].version
    answers = {
        "measure": ana.post(edit, {**measure_data, "budget_line": "BG-8", "version": version}),
        "stale": ana.post(edit, {**measure_data, "budget_line": "BG-9", "version": 1}),
        "plan": ana.post(
            reverse("coordination:plan_edit", args=[built["plan"].pk]),
            {"title_fr": "Plan national", "start_year": "2023", "end_year": "2031", "version": 1},
        ),
        "axis": ana.post(
            reverse("coordination:axis_edit", args=[built["axis"].pk]),
            {"title_fr": "Prévention et sensibilisation", "version": 1},
        ),
        "objective": ana.post(
            reverse("coordination:objective_edit", args=[built["objective"].pk]),
            {"title_en": "Train more", "version": 1},
        ),
        "indicator": ana.post(
            reverse("coordination:indicator_edit", args=[built["manual"].pk]),
            {
                "name_fr": "Inspecteurs formés",
                "source_ar": "الوزارة",
                "source_fr": "Ministère",
                "target_2025": "90",
                "version": 1,
            },
        ),
    }
    return {**built, "answers": answers}


def _targets(indicator):
    return dict(IndicatorYear.objects.filter(indicator=indicator).values_list("year", "target"))


def test_a_plan_ending_before_it_starts_is_a_form_error(ana):
    bad = ana.post(
        reverse("coordination:plan_new"),
        {"title_fr": "Plan", "start_year": "2030", "end_year": "2023"},
    )
    assert bad.status_code == 400 and "The last year is before the first." in bad.content.decode()


def test_the_commission_adds_a_plan_an_axis_and_an_objective(outline):
    assert outline["axis_added"].status_code == 302
    assert outline["objective"].title_en == "Train"


def test_an_objective_without_text_is_a_form_error(ana, outline):
    empty = ana.post(reverse("coordination:objective_new", args=[outline["axis"].pk]), {})
    assert empty.status_code == 400
    assert "Give the text in at least one language." in empty.content.decode()


def test_a_measure_with_a_bad_deadline_is_a_form_error(ana, outline, measure_data):
    bad = ana.post(
        reverse("coordination:measure_new", args=[outline["objective"].pk]),
        {**measure_data, "deadline": "31/12"},
    )
    assert bad.status_code == 400 and Measure.objects.count() == 0


def test_a_measure_is_numbered_and_names_its_agencies(with_indicator, orgs, ministry):
    measure = with_indicator["measure"]
    assert measure.code == "1.1.1" and measure.lead_agency == ministry
    assert set(measure.partners.all()) == {orgs["police"], orgs["ngo_a"]}


def test_an_indicator_entered_by_hand_needs_its_source(ana, with_indicator):
    url = reverse("coordination:indicator_new", args=[with_indicator["measure"].pk])
    bad = ana.post(url, {"name_fr": "Inspecteurs formés"})
    assert bad.status_code == 400 and "Say where the values" in bad.content.decode()


def test_an_indicator_has_a_target_for_each_year_given(with_indicator):
    assert with_indicator["indicator_added"].status_code == 302
    assert _targets(with_indicator["manual"]) == {
        2024: decimal.Decimal("50.00"),
        2025: decimal.Decimal("80.00"),
    }


def test_an_indicator_computed_from_a_known_figure_only(ana, with_indicator):
    url = reverse("coordination:indicator_new", args=[with_indicator["measure"].pk])
    r = ana.post(url, {"name_fr": "Sessions", "figure": "training_sessions"})
    assert r.status_code == 302
    assert Indicator.objects.get(name_fr="Sessions").computed
    bad = ana.post(url, {"name_fr": "X", "figure": "made_up"})
    assert bad.status_code == 400


def test_the_measure_page_opens_for_editing(ana, with_indicator):
    edit = reverse("coordination:measure_edit", args=[with_indicator["measure"].pk])
    assert ana.get(edit).status_code == 200


def test_a_measure_is_edited_against_the_version_read(edited):
    assert edited["answers"]["measure"].status_code == 302
    assert edited["answers"]["stale"].status_code == 409
    edited["measure"].refresh_from_db()
    assert edited["measure"].budget_line == "BG-8"


def test_the_plan_axis_and_objective_are_edited(edited):
    answers = edited["answers"]
    assert answers["plan"].status_code == 302 and Plan.objects.get().end_year == 2031
    assert answers["axis"].status_code == 302 and Axis.objects.get().version == 2
    assert answers["objective"].status_code == 302
    assert Objective.objects.get().title_en == "Train more"


def test_an_indicators_targets_are_those_of_its_last_edit(edited):
    assert edited["answers"]["indicator"].status_code == 302
    assert _targets(edited["manual"]) == {2024: None, 2025: decimal.Decimal("90.00")}


def test_every_step_of_building_the_plan_is_audited(edited):
    audited = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "create_plan",
        "update_plan",
        "add_axis",
        "update_axis",
        "update_objective",
        "add_measure",
        "update_measure",
        "add_indicator",
        "update_indicator",
        "set_indicator_target",
    } <= audited


def _build_pages(plan):
    m, o, a, p = plan["measure"], plan["objective"], plan["axis"], plan["plan"]
    indicator = actions.do_add_indicator(m, acting_user=plan["ana"], name_fr="I", source_fr="S")
    return [
        reverse("coordination:plan_new"),
        reverse("coordination:plan_edit", args=[p.pk]),
        reverse("coordination:axis_new", args=[p.pk]),
        reverse("coordination:axis_edit", args=[a.pk]),
        reverse("coordination:objective_new", args=[a.pk]),
        reverse("coordination:objective_edit", args=[o.pk]),
        reverse("coordination:measure_new", args=[o.pk]),
        reverse("coordination:measure_edit", args=[m.pk]),
        reverse("coordination:indicator_new", args=[m.pk]),
        reverse("coordination:indicator_edit", args=[indicator.pk]),
        reverse("coordination:recommendation_new"),
    ]


@pytest.fixture
def built(plan, users):
    return {**plan, "ana": users["ana"]}


def test_only_the_commission_opens_the_building_pages(users, built, login, fatima):
    urls = _build_pages(built)
    ana = login(users["ana"])
    for url in urls:
        assert ana.get(url).status_code == 200, url
    for user in (fatima, users["alice"]):
        client = login(user)
        for url in urls:
            assert client.get(url).status_code == 403, url
            assert client.post(url, {"title_fr": "x"}).status_code == 403, url
    outsider = login(users["charlie"])
    for url in urls:
        assert outsider.get(url).status_code == 404, url
    assert Plan.objects.count() == 1 and Axis.objects.count() == 1


def test_recommendations_are_recorded_and_edited_with_their_links(users, plan, login, ministry):
    ana = login(users["ana"])
    data = {
        "source": "tip_report",
        "year": "2024",
        "priority": "on",
        "text_ar": "تكوين القضاة",
        "text_fr": "Former les juges",
        "text_en": "Train judges",
        "measures": [plan["measure"].pk],
        "agencies": [ministry.pk],
    }
    bad = ana.post(reverse("coordination:recommendation_new"), {**data, "source": "blog"})
    assert bad.status_code == 400 and Recommendation.objects.count() == 0
    r = ana.post(reverse("coordination:recommendation_new"), data)
    rec = Recommendation.objects.get(pk=_id(r))
    assert list(rec.measures.all()) == [plan["measure"]] and list(rec.agencies.all()) == [ministry]
    edit = reverse("coordination:recommendation_edit", args=[rec.pk])
    page = ana.get(edit).content.decode()
    assert "تكوين القضاة" in page
    r = ana.post(edit, {**data, "agencies": [], "reference": "P-3", "version": rec.version})
    assert r.status_code == 302
    rec.refresh_from_db()
    assert rec.reference == "P-3" and not rec.agencies.exists()


def test_the_focal_point_sets_the_values_of_each_indicator_of_its_measure(
    users, plan, login, fatima
):
    measure = plan["measure"]
    ana = users["ana"]
    first = actions.do_add_indicator(measure, acting_user=ana, name_fr="Juges", source_fr="CSPJ")
    second = actions.do_add_indicator(measure, acting_user=ana, name_fr="Greffiers", source_fr="MJ")
    computed = actions.do_add_indicator(
        measure, acting_user=ana, name_fr="Sessions", figure="training_sessions"
    )
    client = login(fatima)
    page = client.get(reverse("coordination:measure", args=[measure.pk])).content.decode()
    assert page.count('data-testid="indicator-year-form"') == 3
    assert f'name="i{second.pk}-actual"' in page
    assert f'name="i{computed.pk}-actual"' not in page  # the figure is its actual value
    url = reverse("coordination:indicator_year", args=[second.pk])
    r = client.post(url, {f"i{second.pk}-year": "2024", f"i{second.pk}-actual": "-3"})
    assert r.status_code == 400 and f'name="i{second.pk}-year" value="2024"' in r.content.decode()
    r = client.post(
        url,
        {
            f"i{second.pk}-year": "2024",
            f"i{second.pk}-target": "40",
            f"i{second.pk}-actual": "35",
            f"i{second.pk}-source_ar": "سجل كتابة الضبط",
            f"i{second.pk}-source_fr": "registre du greffe",
        },
    )
    assert r.status_code == 302
    row = IndicatorYear.objects.get(indicator=second)
    assert (row.year, row.target, row.actual) == (2024, 40, 35)
    assert (row.source_ar, row.source_fr, row.source_en) == (
        "سجل كتابة الضبط",
        "registre du greffe",
        "",
    )
    assert not IndicatorYear.objects.filter(indicator=first).exists()
    r = client.post(
        reverse("coordination:indicator_year", args=[computed.pk]),
        {f"i{computed.pk}-year": "2024", f"i{computed.pk}-target": "6"},
    )
    assert r.status_code == 302
    assert IndicatorYear.objects.get(indicator=computed).target == 6


def test_a_training_is_edited_by_its_organiser_and_the_commission_only(
    users, orgs, login, ministry, fatima, pierre
):
    training = actions.do_record_training(
        acting_user=fatima,
        organiser=ministry,
        topic="identification",
        title="Identification des victimes",
        starts_on=datetime.date(2024, 3, 4),
        ends_on=datetime.date(2024, 3, 5),
        audience=[(orgs["police"].type, 4, 6, 0)],
        on=datetime.date(2024, 3, 6),
    )
    url = reverse("coordination:training_edit", args=[training.pk])
    assert login(pierre).get(url).status_code == 403
    assert login(users["charlie"]).get(url).status_code == 404
    client = login(fatima)
    page = client.get(url).content.decode()
    assert 'value="Identification des victimes"' in page and 'name="aud_police_men"' in page
    data = {
        "topic": "identification",
        "title": "Identification des victimes (Tanger)",
        "starts_on": "2024-03-04",
        "ends_on": "2024-03-05",
        "organiser": ministry.pk,
        "aud_police_women": "5",
        "aud_police_men": "6",
        "version": training.version,
    }
    assert client.post(url, {**data, "aud_police_women": "x"}).status_code == 400
    assert client.post(url, data).status_code == 302
    training = Training.objects.get()
    assert training.title.endswith("(Tanger)") and training.participants == 11
    assert client.post(url, data).status_code == 409  # the version read is stale now


def test_meeting_attendance_counts_people_per_organisation(users, orgs, login, ministry):
    ana = login(users["ana"])
    data = {
        "held_on": "2024-05-05",
        "title": "Plénière",
        f"att_{ministry.pk}": "3",
        f"att_{orgs['police'].pk}": "2",
    }
    bad = ana.post(reverse("coordination:meeting_new"), {**data, f"att_{ministry.pk}": "-1"})
    assert bad.status_code == 400
    r = ana.post(reverse("coordination:meeting_new"), data)
    assert r.status_code == 302
    counts = dict(MeetingAttendance.objects.values_list("organisation_id", "people"))
    assert counts == {ministry.pk: 3, orgs["police"].pk: 2}
    page = ana.get(r["Location"]).content.decode()
    assert "(3)" in page and "(2)" in page


def test_the_commission_corrects_a_meeting(users, orgs, login, ministry, fatima):
    """A meeting's title, date and attendance are corrected from its page; its decisions stay;
    the audit row names what changed; a stale form is refused; the organisation that attended
    stays on the form once inactive. Other agencies are refused (403), outsiders see nothing."""
    meeting = actions.do_record_meeting(
        acting_user=users["ana"],
        held_on=datetime.date(2024, 5, 5),
        title="Plénère",
        attendance=[(ministry, 3), (orgs["police"], 2)],
    )
    decision = actions.do_add_decision(meeting, acting_user=users["ana"], text="Former les juges")
    actions.do_assign_action(
        decision,
        acting_user=users["ana"],
        text="Programme de formation",
        agency=ministry,
        due_on=datetime.date(2024, 5, 10),
    )
    orgs["police"].active = False
    orgs["police"].save(update_fields=["active"])
    ana = login(users["ana"])
    url = reverse("coordination:meeting_edit", args=[meeting.pk])
    assert url in ana.get(reverse("coordination:meeting", args=[meeting.pk])).content.decode()
    form = ana.get(url).context["form"]
    assert form[f"att_{orgs['police'].pk}"].value() == 2 and form["title"].value() == "Plénère"
    data = {
        "held_on": "2024-05-06",
        "title": "Plénière",
        "version": meeting.version,
        f"att_{ministry.pk}": "4",
        f"att_{orgs['police'].pk}": "2",
    }
    assert ana.post(url, {**data, "title": ""}).status_code == 400
    assert ana.post(url, data).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.title, meeting.held_on) == ("Plénière", datetime.date(2024, 5, 6))
    counts = dict(meeting.attendance.values_list("organisation_id", "people"))
    assert counts == {ministry.pk: 4, orgs["police"].pk: 2}
    assert list(meeting.decisions.all()) == [decision]
    audit = AuditEvent.objects.filter(action="update_meeting").get()
    assert sorted(audit.changed_fields) == ["attendance", "held_on", "title"]
    assert ana.post(url, data).status_code == 409  # the version read is stale now
    late = {**data, "held_on": "2024-05-11", "version": meeting.version}
    refused = ana.post(url, late)  # after its follow-up action's due date (10 May)
    assert refused.status_code == 400 and "2024-05-10" in refused.content.decode()
    assert login(fatima).get(url).status_code == 403
    assert login(fatima).post(url, data).status_code == 403
    assert login(users["alice"]).get(url).status_code == 403  # she reads the meetings
    assert login(users["charlie"]).get(url).status_code == 404  # no organisation


def test_an_indicators_source_reads_in_the_readers_language(users, plan, login, fatima):
    """Where hand-entered values come from is given in the three languages; each reader reads
    it in theirs, else the nearest one given (issue 15 item 10)."""
    measure = plan["measure"]
    actions.do_add_indicator(
        measure,
        acting_user=users["ana"],
        name_ar="القضاة المكونون",
        name_fr="Juges formés",
        source_ar="المعهد العالي للقضاء",
        source_fr="Institut supérieur de la magistrature",
    )
    url = reverse("coordination:measure", args=[measure.pk])
    for lang, shown, hidden in (
        ("ar", "المعهد العالي للقضاء", "Institut supérieur"),
        ("fr", "Institut supérieur de la magistrature", "المعهد العالي"),
        ("en", "Institut supérieur de la magistrature", "المعهد العالي"),  # French before Arabic
    ):
        fatima.preferred_language = lang
        fatima.save(update_fields=["preferred_language"])
        page = login(fatima).get(url).content.decode()
        table = page[page.index('data-testid="indicators"') :]
        table = table[: table.index("</table>")]
        assert shown in table and hidden not in table, lang
    with pytest.raises(TypeError):  # the one-language source is gone, not silently dropped
        actions.do_add_indicator(measure, acting_user=users["ana"], name_fr="X", source="S")
