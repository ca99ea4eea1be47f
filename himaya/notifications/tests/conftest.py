"""Every hand-off of the referral mechanism, done through the actions on one victim whose
names the notifications must never carry."""

import datetime

import pytest
from django.utils import timezone

from himaya.cases import actions as case_actions
from himaya.cases.actions import record_offence, resolve_alert
from himaya.cases.models import Stage
from himaya.coordination import actions as coordination
from himaya.hotline import actions as hotline_actions
from himaya.justice import actions as ja
from himaya.linkage import actions as linkage_actions
from himaya.linkage.candidates import propose
from himaya.linkage.models import PairSource, Question
from himaya.linkage.scoring import Score
from himaya.notifications import scans
from himaya.people import actions as people_actions
from himaya.referrals import actions as ra
from himaya.referrals.models import Referral
from himaya.statistics import compute
from himaya.statistics.models import ReportBuild
from himaya.testing import factories as f

# The victim's names in both scripts, and a suspect's: no notification text nor mail may
# hold any of them.
NAMES = ["Khadija", "Benali", "خديجة", "بنعلي", "Hicham", "Trafiquant", "Salma", "Idrissi"]
TANGER = "tanger_tetouan_al_hoceima"


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


def consent(user, org, person):
    for purpose in ("services", "sharing"):
        people_actions.record_consent(
            person,
            acting_user=user,
            organisation=org,
            purpose=purpose,
            given_on=timezone.localdate(),
            given_by="person",
        )


@pytest.fixture
def providers(orgs, users):
    f.provider(orgs["shelter"], users["sam"], ["shelter", "psychosocial"])
    f.provider(orgs["ngo_b"], users["bob"], ["psychosocial", "legal_aid"])
    f.provider(orgs["io"], users["ivy"], ["return"])


@pytest.fixture
def victim(users, orgs, providers):
    """Khadija Benali's dossier at NGO A, with her consent to services and sharing."""
    alice = users["alice"]
    person = f.person(
        alice,
        orgs["ngo_a"],
        given_name_lat="Khadija",
        family_name_lat="Benali",
        given_name_ar="خديجة",
        family_name_ar="بنعلي",
    )
    dossier = f.dossier(alice, orgs["ngo_a"], person)
    consent(alice, orgs["ngo_a"], person)
    return dossier


def refer(users, orgs, dossier, to, service, **kw):
    return ra.send_referral(
        dossier,
        acting_user=users["alice"],
        to_org=orgs[to],
        service=service,
        reason="Needs help",
        **kw,
    )


def do_every_handoff(users, orgs, dossier, lina):
    """Every kind of hand-off, once. Returns what the later steps need."""
    shelter = _referral_handoffs(users, orgs, dossier)
    inv = _justice_handoffs(users, orgs)
    report = _hotline_handoffs(users, orgs)
    _linkage_handoffs(users, orgs, dossier, lina)
    _commission_handoffs(users, orgs)
    # and what the schedule finds: the late referral, the grant ending, the stalled case, the
    # overdue follow-up action
    found = scans.run_all()
    return {"found": found, "shelter": shelter, "inv": inv, "report": report}


def _referral_handoffs(users, orgs, dossier):
    """Referrals sent, accepted, completed; rejected; revoked; unanswered past the limit. A
    dossier transfer proposed and declined, and access given to the police, ending within
    days. Returns the completed shelter referral."""
    alice, bob, sam = users["alice"], users["bob"], users["sam"]
    shelter = refer(users, orgs, dossier, "shelter", "shelter", urgent=True)
    shelter = ra.accept_referral(shelter, acting_user=sam, expected_version=shelter.version)
    ra.complete_referral(shelter, acting_user=sam, expected_version=shelter.version)
    legal = refer(users, orgs, dossier, "ngo_b", "legal_aid")
    ra.reject_referral(legal, acting_user=bob, expected_version=legal.version, reason="no_capacity")
    ret = refer(users, orgs, dossier, "io", "return")
    ra.revoke_referral(ret, acting_user=alice, expected_version=ret.version)
    late = refer(users, orgs, dossier, "ngo_b", "psychosocial")
    Referral.objects.filter(pk=late.pk).update(sent_at=timezone.now() - datetime.timedelta(days=30))
    transfer = ra.propose_transfer(dossier, acting_user=alice, to_org=orgs["ngo_b"], reason="x")
    ra.answer_transfer(transfer, acting_user=bob, accept=False)
    case_actions.grant_access(
        dossier,
        acting_user=alice,
        organisation=orgs["police"],
        reason="Investigation",
        until=timezone.now() + datetime.timedelta(days=3),
    )
    return shelter


def _justice_handoffs(users, orgs):
    """An investigation transferred to the prosecution, another left to stall, and an offence
    charged against a presumed victim, then its non-punishment outcome. Returns the
    transferred investigation."""
    carol = users["carol"]
    police_dossier = f.dossier(
        carol,
        orgs["police"],
        f.person(carol, orgs["police"], given_name_lat="Salma", family_name_lat="Idrissi"),
        exploitation_region=f.code("region", TANGER),
    )
    inv = ja.open_investigation(
        acting_user=carol, organisation=orgs["police"], opened_on=days_ago(20)
    )
    ja.link_dossier(inv, police_dossier, acting_user=carol)
    ja.add_suspect(
        inv,
        acting_user=carol,
        added_on=days_ago(10),
        given_name_lat="Hicham",
        family_name_lat="Trafiquant",
    )
    ja.transfer_investigation(inv, acting_user=carol, office=orgs["parquet"], on=days_ago(1))
    # Another, transferred and sent back by the office: the police are told.
    sent_back = ja.open_investigation(
        acting_user=carol, organisation=orgs["police"], opened_on=days_ago(30)
    )
    ja.transfer_investigation(sent_back, acting_user=carol, office=orgs["parquet"], on=days_ago(20))
    ja.return_investigation(
        sent_back, acting_user=users["paula"], reason="Another office's competence", on=days_ago(10)
    )
    ja.open_investigation(acting_user=carol, organisation=orgs["police"], opened_on=days_ago(400))
    case_actions.change_stage(police_dossier, acting_user=carol, stage=Stage.PRESUMED)
    _offence, alert = record_offence(
        police_dossier,
        acting_user=carol,
        organisation=orgs["police"],
        offence_type="irregular_entry_stay",
        charged_on=days_ago(3),
        authority_other="Tribunal",
    )
    resolve_alert(alert, acting_user=users["paula"], outcome="non_punishment")
    return inv


def _hotline_handoffs(users, orgs):
    """An urgent call passed to the police, and an urgent web tip. Returns the call."""
    harry = users["harry"]
    report = hotline_actions.record_report(
        acting_user=harry,
        organisation=orgs["hotline"],
        channel="call",
        caller_type="witness",
        urgency="immediate",
        narrative="Khadija Benali est enfermée.",
        received_at=timezone.now(),
    )
    hotline_actions.triage_pass_to_police(
        report, acting_user=harry, expected_version=report.version, organisation=orgs["police"]
    )
    hotline_actions.submit_tip(narrative="Khadija Benali mendie.", urgency="urgent")
    return report


def _linkage_handoffs(users, orgs, dossier, lina):
    """The linkage desk asks the owners of two records whether they are one person; one
    answers."""
    bob = users["bob"]
    other = f.person(bob, orgs["ngo_b"], given_name_lat="Khadija", family_name_lat="Benaly")
    pair, _new = propose(
        "person",
        dossier.person_id,
        other.pk,
        Score({"name": 4, "birth": 4}, 12.0, 0.99, {}),
        source=PairSource.BATCH,
    )
    linkage_actions.ask_owners(pair, acting_user=lina, text="Same person?")
    question = Question.objects.get(organisation=orgs["ngo_b"])
    linkage_actions.answer_question(question, acting_user=bob, answer="Maybe")


def _commission_handoffs(users, orgs):
    """A background job: the annual report computed by the worker for the analyst; and the
    commission's follow-up action assigned to NGO A, past its due date."""
    ana = users["ana"]
    # Created directly: the report page queues a build (builds.live_report) only for a
    # caseload above the inline limit, and computes a small one at once, with no hand-off.
    build = ReportBuild.objects.create(
        year=timezone.localdate().year, data_version="v", requested_by=ana
    )
    compute.run_build(build.pk, background=True)
    meeting = coordination.do_record_meeting(
        acting_user=ana, held_on=datetime.date(2024, 1, 10), title="Plenary"
    )
    decision = coordination.do_add_decision(meeting, acting_user=ana, text="Guide")
    coordination.do_assign_action(
        decision,
        acting_user=ana,
        text="Translate the guide",
        agency=orgs["ngo_a"],
        due_on=datetime.date(2024, 2, 1),
    )


@pytest.fixture
def lina(orgs):
    return f.member(f.UserFactory(username="lina"), orgs["commission"], "linkage_officer")


@pytest.fixture
def immediate_tasks(settings):
    """Background tasks run at once (the mail task among them)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
