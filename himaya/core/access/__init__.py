"""Who may see what: the one package with the visibility rules (DESIGN.md convention 3).

Every model holding personal data exposes ``Model.objects.visible_to(user)``, which calls the
functions here; views fetch records only through it, so a forbidden record looks exactly like a
missing one (404). We fail closed: no active membership, no rows.

Rules:
- A dossier is seen by members of its owning organisation whose role handles victims, and by
  organisations holding a live access grant on it (a referral or a transfer creates the grant;
  ending them ends it). A grant's scope says whether the identity comes with it.
- Analysts see dossiers (de-identified) of their own organisation; analysts of the national
  commission see every dossier de-identified. Analysts never see a person's identity.
- A person (an identity) is seen by whoever sees one of their dossiers with identity, or by the
  victim-handling members of the organisation that registered them.
- System administrators manage configuration and accounts; they see no victim unless they also
  hold a membership that grants it.
- Seeing is not writing: a dossier is changed (edited, moved to another stage, annotated, shared)
  only by victim-handling members of its owning organisation, and a person's record by those of
  the organisation that registered them or owns one of their dossiers. A grant lets a partner
  read, and, when the grant includes the identity, add its own follow-up notes and record the
  consents given to it (only the organisation that recorded a consent, or the person's own
  organisations, withdraw it); what else a partner may write is added here when the referral
  and justice flows need it.

This package names relations and models by string and imports no app, so apps above core can
use it. Every rule is written as a union of indexed sub-selects, one per access path (base.py
says why); each part of the package holds one family of records, and everything is re-exported
here, so callers write ``access.filter_dossiers`` whatever file holds it.

- base.py: memberships, the table of roles and organisation types, the union of access paths;
- dossiers.py, hotline.py, screening.py, referrals.py, justice.py, exchange.py: the rules of
  each family of records;
- policies.py: one policy per model (view, view with identity, change, acting organisation,
  identity fields) calling those rules, and the registry (``policy_for``);
- queryset.py: ``RestrictedQuerySet.restrict(user, action)``, every model's queryset;
- routing.py: who a write acts for and who an alert goes to (not visibility rules);
- explain.py: the sentences of a refusal.
"""

# ruff: noqa: F401 (re-exports)

from .base import (
    ANALYST_ROLES,
    CASE_RECORDS,
    COMMISSION_ROLES,
    COURT_ORG_TYPES,
    EXCHANGE_ORG_TYPES,
    FOCAL_POINT_ROLES,
    HOTLINE_ORG_TYPES,
    HOTLINE_ROLES,
    INVESTIGATING_ORG_TYPES,
    JUSTICE_ORG_TYPES,
    JUSTICE_ROLES,
    LINKAGE_ROLES,
    NATIONAL_ORG_TYPES,
    NONPUNISHMENT_ORG_TYPES,
    PROSECUTING_ORG_TYPES,
    PROVIDER_ADMIN_ROLES,
    REFERRAL_OVERRIDE_ROLES,
    ROLE_ORG_TYPES,
    SUPPORT_GIVER_ORG_TYPES,
    SUPPORT_RECORDER_ROLES,
    VICTIM_ROLES,
    _memberships,
    analyst_org_ids,
    caseworker_q,
    forget,
    handles_victims,
    is_linkage_officer,
    is_national_analyst,
    is_system_admin,
    linkage_org_ids,
    live_grant_q,
    live_grants,
    manageable_org_ids,
    member_org_ids,
    model,
    org_types_for_role,
    primary_org_id,
    restrict,
    role_fits,
    roles_for_org_type,
    union,
    victim_org_ids,
)
from .dossiers import (
    ALL,
    _identity_org_ids_on,
    _ids_q,
    alert_resolver_org_ids,
    can_withdraw_consent,
    deciding_org_ids,
    decision_org_ids_for,
    dossier_identity_q,
    dossier_owner_org_q,
    dossier_q,
    dossier_write_q,
    filter_dossier_children,
    filter_dossiers,
    filter_person_children,
    filter_persons,
    filter_writable_persons,
    identity_dossier_ids,
    identity_ids_among,
    offence_org_ids_for,
    person_registrar_org_q,
    sees_identity,
    visible_dossier_ids,
    withdrawable_consent_ids,
    writes_dossier,
)
from .exchange import (
    casework_import_org_ids,
    exchange_org_ids,
    filter_secure_exports,
    filter_subject_requests,
    freezes_national_report,
    reads_national_report,
    subject_eraser_org_ids,
)
from .hotline import (
    _hotline_analyst_org_ids,
    filter_reports,
    handles_reports,
    hotline_org_ids,
    report_figures_q,
    report_ids,
    report_q,
    report_write_q,
    sees_report_figures,
    tip_hotline_org_ids,
)
from .justice import (
    _case_investigation_parts,
    _court_prosecution_ids,
    _prosecutions,
    court_org_ids,
    filter_investigations,
    filter_prosecutions,
    filter_suspects,
    handles_justice,
    investigating_org_ids,
    investigation_edit_q,
    investigation_ids,
    investigation_q,
    investigation_return_q,
    investigation_write_q,
    justice_dossier_grant_org_ids,
    justice_figure_org_ids,
    justice_org_ids,
    prosecuting_org_ids,
    prosecution_decide_q,
    prosecution_ids,
    prosecution_q,
    prosecution_write_q,
    reads_handoff_reason,
    sees_justice_oversight,
)
from .policies import Policy, policy_for, register, registered
from .queryset import RestrictedQuerySet
from .referrals import (
    REFERRAL_SOURCE,
    _full_access_dossier_ids,
    _owned_dossier_ids,
    filter_dossier_notes,
    filter_ngo_support,
    filter_providers,
    filter_referrals,
    filter_service_records,
    filter_transfers,
    override_org_ids,
    provider_admin_org_ids,
    referral_ids,
    referral_only,
    referral_q,
    referral_receiver,
    referral_sender_org_ids,
    service_org_ids_for,
    support_giver_org_ids,
)
from .routing import (
    acting_org_for,
    alert_inbox_q,
    hotline_acting_org_for,
    investigation_org_for,
    nonpunishment_recipient_q,
    prosecution_org_for,
)
from .screening import (
    campaign_write_q,
    filter_campaigns,
    filter_screenings,
    manages_questionnaires,
    reads_questionnaires,
    screening_figure_org_ids,
    screening_link_q,
    screening_write_q,
)
