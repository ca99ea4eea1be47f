"""Every access-controlled model has one policy (core/access/policies.py), reached through
``Model.objects.restrict(user, action)``, and each policy's actions return exactly the rows of
the rule functions the querysets called before (issue 18): on the random caseloads of
test_access_union.py, for every user, model and action."""

import random

import pytest
from django.apps import apps
from django.db.models import Q

from himaya.accounts.models import User
from himaya.coordination import policies as coordination
from himaya.core import access
from himaya.core.tests.test_access_union import caseload
from himaya.field import policies as field


def _readable(qs, user):
    return qs if access.reads_national_report(user) else qs.none()


def _parent(label, path):
    def view(qs, user):
        parents = apps.get_model(label).objects.visible_to(user).values("pk")
        return qs.filter(**{f"{path}__in": parents})

    return view


def _children(identity):
    return lambda qs, user: access.filter_dossier_children(qs, user, identity=identity)


def _services(org_field):
    return lambda qs, user: access.filter_service_records(qs, user, org_field=org_field)


def _import_runs(qs, user):
    casework = Q(requested_kind__startswith="casework")
    return qs.filter(
        (Q(organisation_id__in=access.exchange_org_ids(user)) & ~casework)
        | (Q(organisation_id__in=access.casework_import_org_ids(user)) & casework)
    )


def _extracts(qs, user):
    return qs.filter(owner_id=user.pk, organisation_id__in=access.analyst_org_ids(user))


def _coordination(qs, user):
    return qs if access._memberships(user) else qs.none()


def _devices(qs, user):
    return qs.filter(field.device_q(user))


# What each queryset's visible_to / with_identity_for / writable_by called before the policies
# (absent: view_identity is view, change is no rows).
COORDINATION = {
    "view": _coordination,
}
BEFORE = {
    "people.Person": {
        "view": access.filter_persons,
        "change": access.filter_writable_persons,
    },
    "people.IdentityDocument": {"view": access.filter_person_children},
    "people.Consent": {"view": access.filter_person_children},
    "cases.Dossier": {
        "view": access.filter_dossiers,
        "view_identity": lambda qs, u: access.restrict(qs, access.identity_dossier_ids(u)),
        "change": lambda qs, u: qs.filter(access.dossier_write_q(u)),
    },
    **{
        f"cases.{name}": {"view": _children(False), "view_identity": _children(True)}
        for name in ("StageEvent", "IdentificationDecision", "OffenceCharge", "NonPunishmentAlert")
    },
    "cases.DossierNote": {"view": access.filter_dossier_notes},
    "hotline.Report": {
        "view": access.filter_reports,
        "change": lambda qs, u: qs.filter(access.report_write_q(u)),
    },
    "hotline.ReportAddition": {"view": _parent("hotline.Report", "report")},
    "screening.Screening": {
        "view": access.filter_screenings,
        "change": lambda qs, u: qs.filter(access.screening_write_q(u)),
    },
    "screening.Campaign": {
        "view": access.filter_campaigns,
        "change": lambda qs, u: qs.filter(access.campaign_write_q(u)),
    },
    "referrals.Referral": {
        "view": access.filter_referrals,
        "view_identity": lambda qs, u: access.filter_dossier_children(
            access.filter_referrals(qs, u), u, identity=True
        ),
    },
    **{
        f"referrals.{name}": {"view": _services("organisation")}
        for name in ("ServiceRecord", "ReturnAssistance", "SupportGoal", "FollowUp")
    },
    "referrals.ShelterStay": {"view": _services("facility__organisation")},
    "referrals.DossierTransfer": {"view": access.filter_transfers},
    "referrals.Provider": {"view": access.filter_providers},
    "referrals.Facility": {"view": access.filter_providers},
    "referrals.NgoSupport": {"view": access.filter_ngo_support},
    "justice.Investigation": {
        "view": access.filter_investigations,
        "change": lambda qs, u: qs.filter(access.investigation_write_q(u)),
    },
    "justice.Suspect": {"view": access.filter_suspects},
    "justice.SuspectEvent": {"view": _parent("justice.Investigation", "investigation")},
    "justice.Prosecution": {
        "view": access.filter_prosecutions,
        "change": lambda qs, u: qs.filter(access.prosecution_write_q(u)),
    },
    **{
        f"justice.{name}": {"view": _parent("justice.Prosecution", "prosecution")}
        for name in ("Charge", "Appeal", "CourtTransfer", "Participation")
    },
    "justice.CourtDecision": {"view": _parent("justice.Prosecution", "charge__prosecution")},
    "justice.Sentence": {"view": _parent("justice.Prosecution", "decision__charge__prosecution")},
    "statistics.FrozenReport": {"view": _readable},
    "statistics.ReportBuild": {"view": _readable},
    "secure_exports.SecureExport": {"view": access.filter_secure_exports},
    "subjects.SubjectRequest": {"view": access.filter_subject_requests},
    "exchange.ImportRun": {"view": _import_runs},
    "exchange.Extract": {"view": _extracts},
    "field.FieldDevice": {"view": _devices, "change": _devices},
    **{
        f"coordination.{name}": COORDINATION
        for name in (
            "Plan",
            "Axis",
            "Objective",
            "StatusChange",
            "ProgressNote",
            "Indicator",
            "IndicatorYear",
            "Recommendation",
            "RecommendationProgress",
            "Evidence",
            "Training",
            "TrainingAudience",
            "Meeting",
            "MeetingAttendance",
            "Decision",
            "FollowUpAction",
        )
    },
    "coordination.Measure": {
        **COORDINATION,
        "change": lambda qs, u: qs.filter(coordination.measure_write_q(u)),
    },
}


def _before(label, action):
    rules = BEFORE[label]
    if action in rules:
        return rules[action]
    if action == "view_identity":
        return rules["view"]
    return lambda qs, _user: qs.none()


def test_every_model_with_visible_to_has_one_policy_and_a_restricted_queryset():
    guarded = {m._meta.label for m in apps.get_models() if hasattr(m.objects, "visible_to")}
    assert guarded == set(access.registered()) == set(BEFORE)
    for label in guarded:
        queryset = apps.get_model(label).objects.all()
        assert isinstance(queryset, access.RestrictedQuerySet), label
        assert access.policy_for(label) is access.policy_for(apps.get_model(label))
    with pytest.raises(LookupError):
        access.policy_for("accounts.Organisation")  # not access-controlled: no open door


@pytest.mark.django_db
def test_an_unknown_action_is_refused():
    user = User.objects.create(username="someone")
    with pytest.raises(ValueError):
        apps.get_model("cases.Dossier").objects.restrict(user, "delete")


def test_identity_fields_are_those_the_api_and_lists_hid_before():
    """The lists that hid the identity before the policies: the dossier API's keys, the
    decisions', alerts' and offences' serializers, the models' encrypted text."""
    fields = {label: set(p.identity_fields) for label, p in access.registered().items()}
    assert fields["cases.Dossier"] == {
        "person",
        "caseworker",
        "form_other_detail",
        "recruitment_city",
        "exploitation_city",
    }
    assert fields["cases.IdentificationDecision"] == {"reasons", "decided_by"}
    assert fields["cases.NonPunishmentAlert"] == {"outcome_note"}
    assert fields["cases.OffenceCharge"] == {"detail", "authority_other"}
    assert fields["referrals.Referral"] == {
        "reason",
        "override_reason",
        "guardian",
        "rejection_note",
    }
    assert fields["people.Person"] >= {"given_name_ar", "family_name_lat", "contacts"}
    assert fields["justice.Suspect"] >= {"given_name_ar", "official_body"}
    for label, names in fields.items():  # every name is a field of its model
        known = {f.name for f in apps.get_model(label)._meta.get_fields()}
        assert names <= known, (label, names - known)


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(3))
def test_restrict_returns_the_rows_of_the_former_rules(seed, figure):
    users = caseload(random.Random(seed))
    compared = rows = 0
    for user in users:
        access.forget(user)
        for label in sorted(access.registered()):
            manager = apps.get_model(label).objects
            for action in access.policies.ACTIONS:
                got = set(manager.restrict(user, action).values_list("pk", flat=True))
                old = _before(label, action)(manager.all(), user)
                want = set(old.values_list("pk", flat=True))
                assert got == want, (seed, user.username, label, action, sorted(got ^ want))
                compared += 1
                rows += len(got)
            assert set(manager.visible_to(user)) == set(manager.restrict(user, "view"))
    assert rows > 0  # the caseload gives the rules rows to agree on
    figure(
        f"access policies, seed {seed}: {len(access.registered())} policies, "
        f"{compared} (user, model, action) triples, {rows} rows, all equal to the former rules"
    )
