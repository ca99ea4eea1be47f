"""Justice: investigations, suspects, prosecutions and what hangs from them (the rules:
below)."""

from django.db.models import Q

from .base import (
    ANALYST_ROLES,
    COURT_ORG_TYPES,
    INVESTIGATING_ORG_TYPES,
    JUSTICE_ORG_TYPES,
    JUSTICE_ROLES,
    PROSECUTING_ORG_TYPES,
    _memberships,
    is_national_analyst,
    model,
    restrict,
    union,
)
from .dossiers import _identity_org_ids_on

# --- Justice ---------------------------------------------------------------------------------
# - Justice records (investigations, suspects, arrests, prosecutions, charges, decisions,
#   sentences, appeals, victims' participation) are seen by the investigators and prosecutors
#   (JUSTICE_ROLES) of the justice organisations of the case: the investigating organisation,
#   the prosecution office the investigation was transferred to, the office of each
#   prosecution, and the courts of a prosecution (the court seized, the court of one of its
#   decisions, or a court that was seized before a transfer of jurisdiction). A court sees
#   its prosecutions and their defendants, and the investigation they came from, but not the
#   investigation's other suspects.
# - NGOs, shelters, international organisations and hotlines are not justice organisations:
#   they never see a suspect, whatever dossier of theirs is linked to an investigation.
# - Analysts see justice figures only, never a record: those of their own justice organisation,
#   or all of them for the national commission, which also gets the list of proceedings that
#   involve a public official or a person with immunity, without any identity.
# - Writes: the investigating organisation opens and edits its investigation, transfers it to a
#   prosecution office and closes it; it and the office it was transferred to add suspects,
#   arrests, detentions, releases and links to dossiers and reports. A prosecution office starts
#   prosecutions on investigations it sees and writes their charges, victims' participation and
#   appeals; decisions and sentences are recorded by the office or by the court seized.
# - Linking a victim's dossier needs the dossier's identity (its owner or a grant with the
#   identity, through one of the linking user's organisations). Each justice organisation of
#   the investigation that does not already see the dossier with its identity (the investigating
#   organisation, and the prosecution office once the investigation is transferred) gets an
#   access grant with the identity for as long as the link lasts; a dossier owned by the police
#   that investigates needs none. Justice never gets a grant for dossiers it cannot already
#   see: an NGO that wants the police to see a victim's dossier shares it first (a referral).


def justice_org_ids(user, types=JUSTICE_ORG_TYPES) -> set[int]:
    """Organisations of the given types where the user investigates or prosecutes."""
    return {org for org, role, t in _memberships(user) if role in JUSTICE_ROLES and t in types}


def investigating_org_ids(user) -> set[int]:
    return justice_org_ids(user, INVESTIGATING_ORG_TYPES)


def prosecuting_org_ids(user) -> set[int]:
    return justice_org_ids(user, PROSECUTING_ORG_TYPES)


def court_org_ids(user) -> set[int]:
    return justice_org_ids(user, COURT_ORG_TYPES)


def handles_justice(user) -> bool:
    return bool(justice_org_ids(user))


def _case_investigation_parts(orgs):
    """Investigations where one of ``orgs`` investigates or prosecutes (not as a court), one
    indexed sub-select per path."""
    investigations = model("justice.Investigation").objects
    return (
        investigations.filter(investigating_org_id__in=orgs).values("pk"),
        investigations.filter(prosecution_office_id__in=orgs).values("pk"),
        _prosecutions()
        .filter(office_id__in=orgs, investigation__isnull=False)
        .values("investigation_id"),
    )


def _prosecutions():
    return model("justice.Prosecution").objects


def _court_prosecution_ids(orgs):
    """Prosecutions before one of these courts: the court seized, the court of one of the
    decisions on its charges, or a court that was seized and transferred the case (it keeps
    reading the proceeding it handed over; deciding stays with the court seized)."""
    return (
        _prosecutions().filter(court_id__in=orgs).values("pk"),
        model("justice.CourtDecision")
        .objects.filter(court_id__in=orgs)
        .values("charge__prosecution_id"),
        model("justice.CourtTransfer")
        .objects.filter(from_court_id__in=orgs)
        .values("prosecution_id"),
    )


def prosecution_ids(user):
    orgs = justice_org_ids(user)
    if not orgs:
        return None
    cases = union(*_case_investigation_parts(orgs))
    return union(
        _prosecutions().filter(office_id__in=orgs).values("pk"),
        *_court_prosecution_ids(orgs),
        _prosecutions().filter(investigation_id__in=cases).values("pk"),
    )


def prosecution_q(user, prefix=""):
    ids = prosecution_ids(user)
    return Q(pk__in=[]) if ids is None else Q(**{f"{prefix}pk__in": ids})


def filter_prosecutions(qs, user):
    return restrict(qs, prosecution_ids(user))


def investigation_ids(user):
    orgs = justice_org_ids(user)
    if not orgs:
        return None
    courts = _prosecutions().filter(pk__in=union(*_court_prosecution_ids(orgs)))
    return union(
        *_case_investigation_parts(orgs),
        courts.filter(investigation__isnull=False).values("investigation_id"),
    )


def investigation_q(user, prefix=""):
    ids = investigation_ids(user)
    return Q(pk__in=[]) if ids is None else Q(**{f"{prefix}pk__in": ids})


def filter_investigations(qs, user):
    return restrict(qs, investigation_ids(user))


def filter_suspects(qs, user):
    """Suspects of the investigations the user's organisation investigates or prosecutes,
    defendants of the prosecutions it sees (courts), and those it registered."""
    orgs = justice_org_ids(user)
    if not orgs:
        return qs.none()
    links = model("justice.InvestigationSuspect").objects
    return restrict(
        qs,
        union(
            links.filter(investigation_id__in=union(*_case_investigation_parts(orgs))).values(
                "suspect_id"
            ),
            _prosecutions().filter(pk__in=prosecution_ids(user)).values("suspect_id"),
            qs.model.objects.filter(registered_by_id__in=orgs).values("pk"),
        ),
    )


def investigation_edit_q(user, prefix=""):
    """Investigations whose header and status the user may change."""
    orgs = investigating_org_ids(user)
    if not orgs:
        return Q(pk__in=[])
    return Q(**{f"{prefix}investigating_org_id__in": orgs})


def investigation_return_q(user, prefix=""):
    """Investigations transferred to one of the user's prosecution offices, which it may send
    back to the investigators (justice.actions.return_investigation)."""
    orgs = prosecuting_org_ids(user)
    if not orgs:
        return Q(pk__in=[])
    return Q(**{f"{prefix}prosecution_office_id__in": orgs, f"{prefix}status": "transferred"})


def reads_handoff_reason(user, handoff) -> bool:
    """A prosecution office's reason for sending an investigation back (a
    justice.InvestigationHandoff) is read by the investigators, the organisation investigating,
    and by that office's prosecutors."""
    return handoff.investigation.investigating_org_id in investigating_org_ids(
        user
    ) or handoff.office_id in prosecuting_org_ids(user)


def investigation_write_q(user, prefix=""):
    """Investigations the user may add suspects, their events and links to."""
    orgs = investigating_org_ids(user)
    if not orgs:
        return Q(pk__in=[])
    return Q(**{f"{prefix}investigating_org_id__in": orgs}) | Q(
        **{f"{prefix}prosecution_office_id__in": orgs}
    )


def prosecution_write_q(user, prefix=""):
    """Prosecutions whose charges, victims' participation and appeals the user may write."""
    orgs = prosecuting_org_ids(user)
    if not orgs:
        return Q(pk__in=[])
    return Q(**{f"{prefix}office_id__in": orgs})


def prosecution_decide_q(user, prefix=""):
    """Prosecutions whose decisions and sentences the user may record: the office's, and the
    court seized."""
    q = prosecution_write_q(user, prefix)
    courts = court_org_ids(user)
    if courts:
        q |= Q(**{f"{prefix}court_id__in": courts})
    return q


def justice_dossier_grant_org_ids(investigation, dossier) -> set[int]:
    """Justice organisations of an investigation that need a grant to see a linked dossier with
    its identity (see the rules above)."""
    wanted = {investigation.investigating_org_id}
    if investigation.prosecution_office_id:
        wanted.add(investigation.prosecution_office_id)
    return wanted - _identity_org_ids_on(dossier, wanted)


def justice_figure_org_ids(user):
    """Organisations whose justice figures the user sees: None for all of them (national
    commission analysts), else their justice organisations (as analysts or members)."""
    if is_national_analyst(user):
        return None
    analyst = {
        org
        for org, role, t in _memberships(user)
        if role in ANALYST_ROLES and t in JUSTICE_ORG_TYPES
    }
    return analyst | justice_org_ids(user)


def sees_justice_oversight(user) -> bool:
    """The list of proceedings involving officials or immunity (no identities)."""
    return is_national_analyst(user)
