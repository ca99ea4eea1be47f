"""Screenings, campaigns and questionnaires (the rules: below)."""

from django.db.models import Q

from .base import (
    _memberships,
    analyst_org_ids,
    is_national_analyst,
    is_system_admin,
    member_org_ids,
    restrict,
    union,
    victim_org_ids,
)
from .dossiers import identity_dossier_ids

# --- Screening -------------------------------------------------------------------------------
# A screening, with its answers, is seen by the victim-handling members of the organisation
# that screened and, once it is linked to a dossier, by those who see that dossier with its
# identity. Analysts see screening counts only (screening figures), never a screening. A draft
# is answered, submitted or discarded by the victim-handling members of the screening
# organisation; a submitted screening is never changed (a correction is a new screening), only
# linked to a dossier, by those same members. Campaigns are not personal data: members of their
# organisation (any role) and national-commission analysts see them; victim-handling members of
# the organisation write them. Questionnaires are configuration: every member reads them,
# system administrators draft and publish their versions.


def filter_screenings(qs, user):
    """Screenings of the user's organisations, and those linked to a dossier they see with
    the identity."""
    orgs = victim_org_ids(user)
    if not orgs:
        return qs.none()
    return restrict(
        qs,
        union(
            qs.model.objects.filter(organisation_id__in=orgs).values("pk"),
            qs.model.objects.filter(dossier_id__in=identity_dossier_ids(user)).values("pk"),
        ),
    )


def screening_write_q(user, prefix=""):
    """Drafts the user may answer, submit or discard."""
    orgs = victim_org_ids(user)
    if not orgs:
        return Q(pk__in=[])
    return Q(**{f"{prefix}organisation_id__in": orgs, f"{prefix}status": "draft"})


def screening_link_q(user, prefix=""):
    """Submitted screenings the user may link to a dossier, open a dossier from, or correct."""
    orgs = victim_org_ids(user)
    if not orgs:
        return Q(pk__in=[])
    return Q(**{f"{prefix}organisation_id__in": orgs, f"{prefix}status": "submitted"})


def filter_campaigns(qs, user):
    if is_national_analyst(user):
        return qs
    orgs = member_org_ids(user)
    if not orgs:
        return qs.none()
    return qs.filter(organisation_id__in=orgs)


def campaign_write_q(user, prefix=""):
    orgs = victim_org_ids(user)
    if not orgs:
        return Q(pk__in=[])
    return Q(**{f"{prefix}organisation_id__in": orgs})


def reads_questionnaires(user) -> bool:
    return bool(_memberships(user)) or is_system_admin(user)


def manages_questionnaires(user) -> bool:
    return is_system_admin(user)


def screening_figure_org_ids(user):
    """Organisations whose screening counts the user may see: None for every organisation
    (national-commission analysts), else those where they are analysts or handle victims."""
    if is_national_analyst(user):
        return None
    return analyst_org_ids(user) | victim_org_ids(user)
