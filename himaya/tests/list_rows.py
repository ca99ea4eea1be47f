"""What adds one row to each list of the project, for the query-count tests
(himaya/tests/test_list_queries.py): each function takes the standard users and organisations
and goes through the app's actions (or the factories and test helpers built on them), so the
rows are those a user would make."""

import datetime
import itertools

from django.utils import timezone

from himaya.testing import factories as f

_serial = itertools.count(1)
DAY = datetime.date(2024, 5, 1)


def reader(users, orgs, who):
    """The named user; ``lina``, the commission's linkage officer, is made on first use."""
    if who not in users:
        assert who == "lina"
        users["lina"] = f.member(
            f.UserFactory(username="lina"), orgs["commission"], "linkage_officer"
        )
    return users[who]


# --- people, cases, hotline, screening, justice --------------------------------------------


def dossier(users, orgs):
    f.dossier(users["alice"], orgs["ngo_a"])


def report(users, orgs):
    from himaya.hotline.tests.conftest import make_report

    make_report(users["harry"], orgs["hotline"], forms=("labour",))


def held_tip(users, orgs):
    """A web tip held over its address's limit, waiting for the hotline's review."""
    from himaya.hotline import actions
    from himaya.hotline.models import Hold

    actions.submit_tip(
        narrative=f"Tip {next(_serial)}: girls kept in a house near the port.",
        urgency="normal",
        region=f.code("region", "tanger_tetouan_al_hoceima"),
        hold=Hold.OVER_ADDRESS_LIMIT,
    )


def screening(users, orgs):
    from himaya.screening.tests.helpers import submitted

    submitted(users["carol"], orgs["police"])


def campaign(users, orgs):
    from himaya.screening import actions

    today = timezone.localdate()
    actions.create_campaign(
        acting_user=users["carol"],
        organisation=orgs["police"],
        name_fr=f"Port de Tanger {next(_serial)}",
        region=f.code("region", "tanger_tetouan_al_hoceima"),
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=10),
        target_group="irregular_migrants",
        status="active",
    )


def questionnaire(users, orgs):
    """A new published version of the labour questionnaire, by the system administrator."""
    from himaya.screening import actions
    from himaya.screening.tests.helpers import published

    draft = actions.new_version(published(), acting_user=users["root"])
    actions.publish(draft, acting_user=users["root"])


def investigation(users, orgs):
    from himaya.justice import actions as ja

    return ja.open_investigation(
        acting_user=users["carol"],
        organisation=orgs["police"],
        opened_on=DAY,
        forms=[f.code("exploitation_form", "labour")],
    )


def suspect(users, orgs):
    _investigation, accused = _suspect(users, orgs)
    return accused


def _suspect(users, orgs):
    from himaya.justice import actions as ja

    inv = investigation(users, orgs)
    return inv, ja.add_suspect(
        inv,
        acting_user=users["carol"],
        added_on=DAY,
        given_name_lat="Karim",
        family_name_lat=f"Suspect {next(_serial)}",
        role_in_process=f.code("role_in_process", "recruiter"),
    )


def prosecution(users, orgs):
    """An investigation passed to the prosecution, with one suspect prosecuted on one charge."""
    from himaya.justice import actions as ja

    carol, paula = users["carol"], users["paula"]
    inv, accused = _suspect(users, orgs)
    ja.transfer_investigation(inv, acting_user=carol, office=orgs["parquet"], on=DAY)
    started = ja.start_prosecution(
        inv, accused, acting_user=paula, office=orgs["parquet"], started_on=DAY, court=orgs["court"]
    )
    return ja.add_charge(
        started, acting_user=paula, article="448.1", form=f.code("exploitation_form", "labour")
    )


def court_decision(users, orgs):
    from himaya.justice import actions as ja

    ja.record_decision(
        prosecution(users, orgs),
        acting_user=users["paula"],
        outcome="convicted",
        decided_on=DAY + datetime.timedelta(days=30),
    )


def alert(users, orgs):
    from himaya.cases import actions
    from himaya.cases.actions import record_offence
    from himaya.cases.models import Stage

    carol = users["carol"]
    tanger = f.code("region", "tanger_tetouan_al_hoceima")
    case = f.dossier(carol, orgs["police"], exploitation_region=tanger)
    actions.change_stage(case, acting_user=carol, stage=Stage.PRESUMED)
    record_offence(
        case,
        acting_user=carol,
        organisation=orgs["police"],
        offence_type="irregular_entry_stay",
        charged_on=DAY,
        region=tanger,
        authority_other="Tribunal de première instance",
    )


def referral(users, orgs):
    from himaya.referrals.models import Provider
    from himaya.referrals.tests.conftest import consent, refer

    Provider.objects.get_or_create(organisation=orgs["ngo_b"], services=["psychosocial"])
    case = f.dossier(users["alice"], orgs["ngo_a"])
    consent(users["alice"], orgs["ngo_a"], case.person)
    refer(users, orgs, case, to="ngo_b", service="psychosocial")


# --- accounts, notifications, field, exports, subjects, exchange, linkage -------------------


def organisation(users, orgs):
    """A new organisation with one member, by the system administrator."""
    from himaya.accounts import actions

    n = next(_serial)
    org = actions.create_organisation(
        acting_user=users["root"],
        name_fr=f"Association {n}",
        name_ar=f"جمعية {n}",
        name_en=f"Association {n}",
        type=f.code("org_type", "ngo"),
    )
    actions.create_member(
        acting_user=users["root"],
        organisation=org,
        role="caseworker",
        username=f"worker{n}",
        email=f"worker{n}@example.org",
    )


def member(users, orgs):
    """A new caseworker at NGO A, by its organisation administrator."""
    from himaya.accounts import actions

    n = next(_serial)
    actions.create_member(
        acting_user=users["olivia"],
        organisation=orgs["ngo_a"],
        role="caseworker",
        username=f"member{n}",
        email=f"member{n}@example.org",
    )


def notification(users, orgs):
    from himaya.notifications.models import Notification

    Notification.objects.create(
        recipient=users["alice"], organisation=orgs["ngo_a"], kind="referral_sent"
    )


def device(users, orgs):
    from himaya.field import actions

    alice = users["alice"]
    actions.enrol_device(
        acting_user=alice,
        user=alice,
        organisation=orgs["ngo_a"],
        name=f"Phone {next(_serial)}",
        days=30,
    )


def secure_export(users, orgs):
    from himaya.secure_exports import actions
    from himaya.secure_exports.models import Kind

    actions.do_create_export(
        owner=users["alice"],
        organisation_id=orgs["ngo_a"].pk,
        kind=Kind.REGISTERS,
        file_name=f"registers-{next(_serial)}.xlsx",
        content=b"PK\x03\x04 registers",
        subject=("exchange.export", ""),
    )


def subject_request(users, orgs):
    """A person's access request answered by NGO A, to pass on to the other holders."""
    from himaya.subjects import actions

    case = f.dossier(users["alice"], orgs["ngo_a"])
    actions.subject_access_export(case.person, acting_user=users["alice"])


def import_run(users, orgs):
    """A checked upload of an investigations register (not committed)."""
    from himaya.exchange import services
    from himaya.exchange.tests.helpers import csv_bytes

    data = csv_bytes(
        [["ref", "opened_on", "forms"], [f"P-{next(_serial)}", "02/02/2024", "labour"]]
    )
    services.check_upload(
        data,
        "registre.csv",
        user=users["carol"],
        organisation=orgs["police"],
        kind="investigations",
    )


def pair(users, orgs):
    """Two records of one woman at two NGOs, proposed to the linkage desk."""
    from himaya.linkage.candidates import propose
    from himaya.linkage.models import PairSource
    from himaya.linkage.scoring import Score

    a = f.dossier(users["alice"], orgs["ngo_a"]).person
    b = f.dossier(users["bob"], orgs["ngo_b"]).person
    created, _new = propose(
        "person",
        a.pk,
        b.pk,
        Score({"name": 4, "birth": 4}, 12.0, 0.99, {}),
        source=PairSource.BATCH,
    )
    return created


def question(users, orgs):
    """The desk's question about a pair, to each organisation holding one of its records."""
    from himaya.linkage import actions

    actions.ask_owners(
        pair(users, orgs), acting_user=reader(users, orgs, "lina"), text="Same woman?"
    )


# --- coordination ---------------------------------------------------------------------------


def _objective(users):
    from himaya.coordination import actions
    from himaya.coordination.models import Objective

    found = Objective.objects.first()
    if found:
        return found
    ana = users["ana"]
    plan = actions.do_create_plan(acting_user=ana, start_year=2023, end_year=2030, title_fr="Plan")
    axis = actions.do_add_axis(plan, acting_user=ana, title_fr="Protection")
    return actions.do_add_objective(axis, acting_user=ana, title_fr="Identifier les victimes")


def plan(users, orgs):
    from himaya.coordination import actions

    actions.do_create_plan(
        acting_user=users["ana"], start_year=2023, end_year=2030, title_fr=f"Plan {next(_serial)}"
    )


def measure(users, orgs, deadline=datetime.date(2030, 12, 31)):
    from himaya.coordination import actions

    return actions.do_add_measure(
        _objective(users),
        acting_user=users["ana"],
        title_fr=f"Former les magistrats {next(_serial)}",
        lead_agency=orgs["parquet"],
        partners=[orgs["police"], orgs["ngo_a"]],
        deadline=deadline,
        on=datetime.date(2023, 2, 1),
    )


def overdue_measure(users, orgs):
    """A measure past its deadline, not done: on the commission's dashboard."""
    measure(users, orgs, deadline=DAY)


def indicator(users, orgs):
    from himaya.coordination import actions

    actions.do_add_indicator(
        measure(users, orgs),
        acting_user=users["ana"],
        name_fr="Juges formés",
        source_fr="CSPJ",
        targets={2024: 100},
    )


def recommendation(users, orgs):
    from himaya.coordination import actions

    actions.do_add_recommendation(
        acting_user=users["ana"],
        source="tip_report",
        year=2024,
        priority=True,
        text_fr=f"Former les juges {next(_serial)}.",
        measures=[measure(users, orgs)],
        agencies=[orgs["parquet"], orgs["police"]],
    )


def training(users, orgs):
    from himaya.coordination import actions

    actions.do_record_training(
        acting_user=users["ana"],
        organiser=orgs["police"],
        topic="non_punishment",
        title=f"Non-sanction des victimes {next(_serial)}",
        starts_on=DAY,
        ends_on=DAY + datetime.timedelta(days=1),
        audience=[(f.code("org_type", "prosecution"), 12, 9, 0)],
    )


def meeting(users, orgs):
    from himaya.coordination import actions

    held = actions.do_record_meeting(
        acting_user=users["ana"],
        held_on=DAY,
        title=f"Session plénière {next(_serial)}",
        attendance=[(orgs["parquet"], 2), (orgs["police"], 1)],
    )
    decision = actions.do_add_decision(held, acting_user=users["ana"], text="Publier le guide")
    actions.do_assign_action(
        decision,
        acting_user=users["ana"],
        text="Traduire le guide",
        agency=orgs["parquet"],
        due_on=DAY + datetime.timedelta(days=60),
    )
