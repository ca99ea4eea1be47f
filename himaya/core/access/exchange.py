"""Imports and exports, statistics, encrypted exports and the data subject's rights (the
rules: below)."""

from .base import (
    EXCHANGE_ORG_TYPES,
    is_linkage_officer,
    is_national_analyst,
    manageable_org_ids,
    member_org_ids,
    victim_org_ids,
)
from .justice import justice_org_ids

# --- Exchange (imports and exports) ----------------------------------------------------------
# Registers are imported (and exported) by the members who write justice records (investigators
# and prosecutors, JUSTICE_ROLES) of the justice organisations that keep them: police,
# gendarmerie, prosecution offices, courts and labour inspectorates. An import acts for one of
# those organisations: every record goes through the justice actions, which apply the justice
# rules above to the importing user. An import run (who, when, which file, what it did) is seen
# by the same members of the organisation it was made for; nobody else sees it.


def exchange_org_ids(user) -> set[int]:
    """Organisations the user may import registers for (and see the import runs of)."""
    return justice_org_ids(user, EXCHANGE_ORG_TYPES)


# --- Exchange: casework of past years ----------------------------------------------------------
# The casework of past years (persons and their dossiers, identification decisions, referrals and
# services, exchange/casework.py) is imported by whoever opens dossiers in the pages: the members
# whose role handles victims (VICTIM_ROLES: a prosecution office's prosecutors as an NGO's
# caseworkers), into an organisation where they do, and nowhere else: every dossier imported is
# owned by it, and a row may only name a dossier it imported before or in the same file. One rule
# for the page and the import, so nobody imports a dossier they could not open, nor is refused
# one they could. Its import runs are seen by those same members; a justice register's by the
# justice members (above).


def casework_import_org_ids(user) -> set[int]:
    """Organisations the user may import casework of past years into (and see those runs of):
    those where they open dossiers in the pages."""
    return victim_org_ids(user)


# --- Statistics (annual report, dashboards) ----------------------------------------------------
# The national annual report (every agency's figures, no identities) is read by the analysts of
# the national commission, who also freeze it as the official submission. Its drill-downs list
# only the records the reader may open anyway (the rules above), so an analyst sees victim
# dossiers without identity and no justice record. The public statistics need no login.


def reads_national_report(user) -> bool:
    return is_national_analyst(user)


def freezes_national_report(user) -> bool:
    return is_national_analyst(user)


# --- Encrypted exports (S18) --------------------------------------------------------------------
# An export holding personal data is its requester's alone: not their colleagues', not an
# administrator's. Anyone else asking for it gets the 404 of a missing one.


def filter_secure_exports(qs, user):
    if not getattr(user, "is_authenticated", False) or not member_org_ids(user):
        return qs.none()
    return qs.filter(owner_id=user.pk)


# --- The data subject's rights (S21, Law 09-08) ------------------------------------------------
# A person's own organisations answer their requests: whoever may change the person (the rules
# above) gives them a copy of what their organisation may see. Erasure cannot be undone: it also
# needs the organisation admin role in the organisation that registered the person, where the
# user handles victims too. A request is seen by the members of the organisation that answered
# it, and by the national commission's linkage officers, who pass it on to the other holders.


def subject_eraser_org_ids(user) -> set[int]:
    return manageable_org_ids(user) & victim_org_ids(user)


def filter_subject_requests(qs, user):
    if is_linkage_officer(user):
        return qs
    return qs.filter(organisation_id__in=member_org_ids(user))
