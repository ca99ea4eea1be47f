"""The tables the bulk caseload fills, and the columns the generator gives for each, in the
order of its rows (``caseload.py`` adds the values in this order). A column not listed gets the
field's default or NULL (``copying.Table``)."""

from django.apps import apps

from .copying import Table

# key: (model, or model and many-to-many field, [columns given by the generator])
COLUMNS = {
    "person": (
        "people.Person",
        [
            "id",
            "given_name_ar",
            "family_name_ar",
            "given_name_lat",
            "family_name_lat",
            "sex_id",
            "birth_date",
            "birth_date_precision",
            "estimated_age",
            "estimated_on",
            "registered_by_id",
            "created_at",
            "updated_at",
        ],
    ),
    "citizenship": (("people.Person", "citizenships"), ["person_id", "code_id"]),
    "dossier": (
        "cases.Dossier",
        [
            "id",
            "reference",
            "person_id",
            "owner_org_id",
            "caseworker_id",
            "opened_on",
            "created_at",
            "updated_at",
        ],
    ),
    "dossier_forms": (("cases.Dossier", "forms"), ["dossier_id", "code_id"]),
    "stage": (
        "cases.StageEvent",
        ["dossier_id", "stage", "on", "actor_id", "organisation_id", "recorded_at"],
    ),
    "decision": (
        "cases.IdentificationDecision",
        [
            "dossier_id",
            "status_id",
            "decided_on",
            "organisation_id",
            "organisation_type_id",
            "reasons",
            "decided_by_id",
            "recorded_at",
        ],
    ),
    "referral": (
        "referrals.Referral",
        [
            "id",
            "dossier_id",
            "from_org_id",
            "to_org_id",
            "service",
            "facility_id",
            "reason",
            "urgent",
            "status",
            "is_child",
            "sent_by_id",
            "sent_at",
            "answered_by_id",
            "accepted_at",
            "rejected_at",
            "done_at",
            "rejection_reason",
        ],
    ),
    "session": (
        "referrals.ServiceRecord",
        ["dossier_id", "organisation_id", "kind", "on", "given_by_id", "created_at"],
    ),
    "stay": (
        "referrals.ShelterStay",
        [
            "facility_id",
            "dossier_id",
            "referral_id",
            "bed_group",
            "admitted_on",
            "discharged_on",
            "discharge_reason",
            "recorded_by_id",
        ],
    ),
    "return": (
        "referrals.ReturnAssistance",
        ["dossier_id", "organisation_id", "destination_id", "travel_on", "given_by_id"],
    ),
    "investigation": (
        "justice.Investigation",
        [
            "id",
            "reference",
            "opened_on",
            "investigating_org_id",
            "prosecution_office_id",
            "region_id",
            "status",
            "status_on",
            "last_event_on",
            "created_by_id",
            "created_at",
            "updated_at",
        ],
    ),
    "investigation_forms": (("justice.Investigation", "forms"), ["investigation_id", "code_id"]),
    "dossier_link": (
        "justice.DossierLink",
        ["investigation_id", "dossier_id", "linked_by_id", "organisation_id"],
    ),
    "suspect": (
        "justice.Suspect",
        [
            "id",
            "given_name_lat",
            "family_name_lat",
            "sex_id",
            "birth_date",
            "birth_date_precision",
            "citizenship_id",
            "role_in_process_id",
            "public_official",
            "registered_by_id",
            "created_by_id",
        ],
    ),
    "investigation_suspect": (
        "justice.InvestigationSuspect",
        ["investigation_id", "suspect_id", "added_on", "added_by_id"],
    ),
    "suspect_event": (
        "justice.SuspectEvent",
        ["suspect_id", "investigation_id", "kind", "on", "organisation_id", "recorded_by_id"],
    ),
    "prosecution": (
        "justice.Prosecution",
        [
            "id",
            "suspect_id",
            "investigation_id",
            "started_on",
            "office_id",
            "court_id",
            "status",
            "last_event_on",
            "created_by_id",
        ],
    ),
    "charge": (
        "justice.Charge",
        ["id", "prosecution_id", "article", "form_id", "organisation_id", "created_by_id"],
    ),
    "court_decision": (
        "justice.CourtDecision",
        [
            "id",
            "charge_id",
            "outcome",
            "decided_on",
            "court_id",
            "organisation_id",
            "recorded_by_id",
        ],
    ),
    "sentence": (
        "justice.Sentence",
        [
            "decision_id",
            "prison_months",
            "suspended_months",
            "fine_mad",
            "organisation_id",
            "recorded_by_id",
        ],
    ),
    "participation": (
        "justice.Participation",
        ["prosecution_id", "dossier_id", "role", "organisation_id", "recorded_by_id"],
    ),
    "offence": (
        "cases.OffenceCharge",
        [
            "id",
            "dossier_id",
            "offence_type",
            "authority_id",
            "charged_on",
            "region_id",
            "recorded_by_id",
            "organisation_id",
            "recorded_at",
        ],
    ),
    "alert": (
        "cases.NonPunishmentAlert",
        [
            "id",
            "dossier_id",
            "offence_id",
            "raised_at",
            "outcome",
            "resolved_on",
            "resolved_by_id",
            "resolved_org_id",
        ],
    ),
    "hotline_report": (
        "hotline.Report",
        [
            "id",
            "reference",
            "channel",
            "received_at",
            "received_by_id",
            "taken_by_id",
            "caller_type",
            "region_id",
            "urgency",
            "narrative",
            "status",
            "outcome",
            "triaged_at",
            "triaged_by_id",
            "triage_org_id",
            "dossier_id",
            "created_at",
            "updated_at",
        ],
    ),
    "hotline_report_forms": (("hotline.Report", "forms"), ["report_id", "code_id"]),
    "screening": (
        "screening.Screening",
        [
            "id",
            "reference",
            "questionnaire_id",
            "organisation_id",
            "screener_id",
            "screened_on",
            "region_id",
            "campaign_id",
            "person_id",
            "dossier_id",
            "status",
            "submitted_at",
            "recommendation",
            "created_at",
            "updated_at",
        ],
    ),
    "alert_recipients": (
        ("cases.NonPunishmentAlert", "recipients"),
        ["nonpunishmentalert_id", "organisation_id"],
    ),
}

# Columns given only when the model has them (the generator checks ``has_column`` too).
OPTIONAL = {"person": ["same_as_id"], "suspect": ["same_as_id"]}


def has_column(model, attname):
    return any(f.attname == attname for f in model._meta.concrete_fields)


def model_of(spec):
    if isinstance(spec, tuple):
        label, m2m = spec
        return getattr(apps.get_model(label), m2m).through
    return apps.get_model(spec)


def caseload_tables():
    """{key: Table} for one load, in the order the rounds are flushed."""
    tables = {}
    for key, (spec, given) in COLUMNS.items():
        model = model_of(spec)
        extra = [c for c in OPTIONAL.get(key, []) if has_column(model, c)]
        tables[key] = Table(model, [*given, *extra])
    return tables
