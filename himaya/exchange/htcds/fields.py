"""Which HTCDS field goes where in Himaya, and what is not carried and why (docs/htcds.md
is this table in prose). Himaya's own columns, for what the standard has no field for but a
dossier needs (the date it was opened, the decision's date and reasons, the service and outcome
of a referral), are prefixed ``him_`` as the standard prefixes its own sections; they follow the
template's columns, so the template's layout is unchanged."""

from django.utils.translation import gettext_lazy as _

from . import standard

# Himaya's extension columns: (field name, label).
EXTENSIONS = (
    ("him_OpenedOn", "Opened On"),
    ("him_BirthDatePrecision", "Birthdate Precision"),
    ("him_EstimatedAge", "Estimated Age"),
    ("him_OtherFormDetail", "Other Form of Exploitation"),
    ("him_DecisionDate", "Trafficking Status Decision Date"),
    ("him_DecisionReasons", "Trafficking Status Decision Reasons"),
    ("him_ReferralService", "Outgoing Referral Service"),
    ("him_ReferralStatus", "Outgoing Referral Status"),
    ("him_ReferralAcceptedOn", "Outgoing Referral Accepted On"),
    ("him_ReferralEndedOn", "Outgoing Referral Ended On"),
    ("him_Guardian", "Guardian"),
)
EXTENSION_FIELDS = tuple(name for name, _label in EXTENSIONS)
LABELS = {**standard.LABELS, **dict(EXTENSIONS)}

# Fields of the standard that the templates have no column for and Himaya records: an export
# writes them after the template's columns, named and labelled as the standard names them.
NOT_IN_TEMPLATE = ("vic_Vulnerabilities",)
# The columns after the template's, (field name, label).
AFTER_TEMPLATE = (*((name, standard.LABELS[name]) for name in NOT_IN_TEMPLATE), *EXTENSIONS)

# The columns of an export, in order: the template's, then the standard's others, then Himaya's.
EXPORT_FIELDS = (*standard.TEMPLATE_FIELDS, *(name for name, _label in AFTER_TEMPLATE))

# Every field read, with its other spellings (the template's row 1, misspellings met).
ALIASES = {
    "vic_TraffickingStatusDecisionMakingOrg": ("vic_TraffickinStatusDecisionMakingOrg",),
    standard.CASE_ID: ("Case ID", "Case Number", "cas_CaseId", "cas_CaseNumber", "No", "#"),
}

# HTCDS fields recorded on the dossier as sets of codes: field → the column of the casework
# register's dossiers kind, which is also the Dossier's field (cases/actions/dossiers.py CODE_SETS).
CODE_SETS = {
    "vic_TypeOfSexExploitation": "sex_exploitation_types",
    "vic_ForcedLabourIndustry": "industries",
    "vic_MethodOfRecruitment": "recruitment_methods",
    "vic_MethodsOfControl": "control_methods",
    "vic_Vulnerabilities": "vulnerabilities",
}
# Of those, what an analyst's de-identified export leaves out: sexual exploitation details
# and vulnerabilities (health, migration) are shown only with the identity (QUALITY S5).
IDENTIFIED_ONLY = {"vic_TypeOfSexExploitation", "vic_Vulnerabilities"}

# Fields the import reads, by casework column (kind, column) → HTCDS field: a row error of the
# casework import is shown on the HTCDS column it came from.
CASEWORK_COLUMNS = {
    "dossiers": {
        "ref": standard.CASE_ID,
        "opened_on": "him_OpenedOn",
        "given_name_lat": "prs_FirstName",
        "given_name_ar": "prs_FirstName",
        "family_name_lat": "prs_SecondName",
        "family_name_ar": "prs_SecondName",
        "sex": "prs_Gender",
        "birth_date": "prs_Birthdate",
        "birth_date_precision": "him_BirthDatePrecision",
        "estimated_age": "him_EstimatedAge",
        "citizenship": "prs_Citizenship",
        "forms": "vic_TypeOfExploitation",
        "form_other_detail": "him_OtherFormDetail",
        **{column: name for name, column in CODE_SETS.items()},
        "recruitment_country": "vic_LocationOfRecruitment",
        "recruitment_city": "vic_LocationOfRecruitment",
        "exploitation_country": "vic_LocationOfExploitation",
        "exploitation_region": "vic_LocationOfExploitation",
        "exploitation_city": "vic_LocationOfExploitation",
    },
    "decisions": {
        "ref": standard.CASE_ID,
        "dossier_ref": standard.CASE_ID,
        "decided_on": "him_DecisionDate",
        "status": "vic_TraffickingStatus",
        "deciding_org_type": "vic_TraffickingStatusDecisionMakingOrg",
        "deciding_organisation": "vic_TraffickingStatusDecisionMakingOrg",
        "reasons": "him_DecisionReasons",
    },
    "referrals": {
        "ref": standard.CASE_ID,
        "dossier_ref": standard.CASE_ID,
        "provider": "cas_ReferredOrganisation",
        "sent_on": "cas_OutgoingReferralDate",
        "service": "him_ReferralService",
        "status": "him_ReferralStatus",
        "accepted_on": "him_ReferralAcceptedOn",
        "rejected_on": "him_ReferralEndedOn",
        "done_on": "him_ReferralEndedOn",
        "revoked_on": "him_ReferralEndedOn",
        "consent": "con_Consent",
        "guardian": "him_Guardian",
        "reason": "cas_OutgoingReferralDetails",
    },
}

# Fields read but not recorded, and why (shown after a dry run with the number of cells).
_CONTACT = _(
    "Contact details are not taken from a shared workbook: record them in the person's page."
)
NOT_CARRIED = {
    "cas_CaseOwner": _("A case owner is a Himaya user: assign the caseworker in the dossier."),
    "prs_Salutation": _("Himaya records no salutation."),
    "prs_Title": _("A position within an organisation is not recorded for victims."),
    "prs_Email": _CONTACT,
    "prs_HomePhone": _CONTACT,
    "prs_MobilePhone": _CONTACT,
    "prs_MailingCity": _CONTACT,
    "prs_MailingCountry": _CONTACT,
    "prs_MailingState": _CONTACT,
    "prs_MailingStreet": _CONTACT,
    "prs_MailingPostalCode": _CONTACT,
    "cas_Status": _(
        "A dossier's stage follows from its dated events (decisions, closure), never from a "
        "status column."
    ),
    "cas_ReasonForCaseClosure": _("A closure is recorded with its date in the dossier."),
    "cas_ReferringOrganisation": _(
        "An incoming referral is the sender's record; its date is taken as the date the "
        "dossier was opened."
    ),
    "cas_ReferringPrimaryCaseWorker": _("Caseworkers of other organisations are not recorded."),
    "cas_ReasonForIncomingReferral": _("An incoming referral is the sender's record."),
    "cas_IncomingReferralDetails": _("An incoming referral is the sender's record."),
    "cas_ReferredPrimaryCaseWorker": _("Caseworkers of other organisations are not recorded."),
}
# A trafficking status decided by a body that takes no formal identification decision under
# this installation's rule (an NGO, "Other"): read and counted under the status's field, not
# recorded as a decision. (Not in NOT_CARRIED, whose fields are counted whenever present.)
DECIDED_BY_NON_DECIDING_BODY = "vic_TraffickingStatus"
EXPLAINED = {
    DECIDED_BY_NON_DECIDING_BODY: _(
        "A trafficking status decided by a body that takes no formal identification decision "
        "here (an NGO, another body) is the organisation's own assessment: the dossier is "
        "opened without a decision, for a deciding body to record one."
    ),
}
# The dossiers kind's columns for CODE_SETS are the casework register's (exchange/casework.py);
# a field whose column the kind does not declare is counted as read, not recorded, with this.
NO_COLUMN = _(
    "The casework import of this installation has no column for it: its values are checked, "
    "not recorded."
)
# An outgoing referral is recorded only with the service it was for (him_ReferralService):
# HTCDS does not say which service, and a Himaya referral is always for one.
REFERRAL_WITHOUT_SERVICE = "cas_ReferredOrganisation"


def why_not_carried(name):
    """Why the values of HTCDS field ``name`` were read but not recorded, in words."""
    return NOT_CARRIED.get(name) or EXPLAINED.get(name) or NO_COLUMN
