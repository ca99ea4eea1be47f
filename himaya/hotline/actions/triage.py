"""Triage: one action per outcome (open a dossier, pass to the police, refer to an NGO,
information only, not trafficking, spam), and the bulk review of held web tips."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.accounts.models import Organisation
from himaya.audit import log
from himaya.cases import actions as case_actions
from himaya.cases.models import Dossier
from himaya.core import access
from himaya.core.bidi import blank
from himaya.core.errors import Conflict
from himaya.people import actions as people_actions

from ..models import (
    SHARE_OUTCOMES,
    Outcome,
    Report,
    ReportShare,
    Status,
)
from .common import NOTE_MAX, _announce_pass, _announce_urgent_tip, _writable


def _begin_triage(report, acting_user, expected_version):
    """The report, locked, checked writable, untriaged and unchanged since it was read."""
    _writable(acting_user, report)
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.is_triaged:
        raise ValidationError(
            _("This report was already triaged (%(outcome)s).")
            % {"outcome": Outcome(locked.outcome).label}
        )
    if expected_version is None or locked.version != expected_version:
        raise Conflict()
    return locked


def _finish_triage(report, acting_user, outcome, note, *, changed=(), **extra):
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(
            {"note": _("At most %(limit)s characters.") % {"limit": f"{NOTE_MAX:,}"}}
        )
    org_id = access.hotline_acting_org_for(acting_user, report)
    # A report taken a moment ahead of the server clock is not triaged before it arrived.
    now = max(timezone.now(), report.received_at)
    values = {
        "status": Status.TRIAGED,
        "outcome": outcome,
        "triaged_at": now,
        "triaged_by": acting_user,
        "triage_org_id": org_id,
        "triage_note": note,
        "updated_at": now,
        **extra,
    }
    Report.objects.filter(pk=report.pk).update(version=F("version") + 1, **values)
    for name, value in values.items():
        setattr(report, name, value)
    report.version += 1
    log.write(
        acting_user,
        f"triage_{outcome}",
        report,
        ["status", "outcome", "triaged_at", "triaged_by"]
        + (["triage_note"] if note else [])
        + list(changed),
        organisation_id=org_id,
    )
    return report


PERSON_FIELDS = (
    "given_name_ar",
    "family_name_ar",
    "given_name_lat",
    "family_name_lat",
    "sex",
    "estimated_age",
)


@transaction.atomic
def triage_open_dossier(
    report, *, acting_user, expected_version, note="", person=None, forms=None, dossier=None
):
    """Open a dossier for the person the report is about (a new person record with the names
    given, owned by the hotline), or link the report to a dossier the hotline already holds.
    The report keeps the link."""
    locked = _begin_triage(report, acting_user, expected_version)
    org_id = access.hotline_acting_org_for(acting_user, locked)
    if dossier is not None:
        if not Dossier.objects.writable_by(acting_user).filter(pk=dossier.pk).exists():
            raise ValidationError({"dossier": _("Choose a dossier of your organisation.")})
    else:
        organisation = Organisation.objects.get(pk=org_id)
        person = {k: v for k, v in (person or {}).items() if k in PERSON_FIELDS}
        if person.get("estimated_age") is not None:
            person["birth_date_precision"] = "estimated"
            person["estimated_on"] = timezone.localdate()
        else:
            person.pop("estimated_age", None)
        created = people_actions.create_person(
            acting_user=acting_user, organisation=organisation, **person
        )
        forms = list(locked.forms.all()) if forms is None else list(forms)
        dossier = case_actions.open_dossier(
            created,
            acting_user=acting_user,
            organisation=organisation,
            forms=forms,
            # "Other" needs its detail; the report holds it, under its reference.
            form_other_detail=(
                _("See hotline report %(reference)s.") % {"reference": locked.reference}
                if any(f.code == "other" for f in forms)
                else ""
            ),
            exploitation_region=locked.region,
            exploitation_city=locked.city,
        )
    return _finish_triage(
        locked, acting_user, Outcome.OPEN_DOSSIER, note, changed=["dossier"], dossier=dossier
    )


def _check_share_org(outcome, organisation, field="organisation"):
    allowed = SHARE_OUTCOMES[outcome]
    if organisation is None or not organisation.active or organisation.type.code not in allowed:
        message = (
            _("Choose an active police or gendarmerie organisation.")
            if outcome == Outcome.POLICE
            else _("Choose an active NGO, international organisation or shelter.")
        )
        raise ValidationError({field: message})


def _share_triage(report, acting_user, expected_version, outcome, organisation, note):
    locked = _begin_triage(report, acting_user, expected_version)
    _check_share_org(outcome, organisation)
    ReportShare.objects.create(report=locked, organisation=organisation, by=acting_user)
    _announce_pass(locked, organisation, acting_user)
    return _finish_triage(locked, acting_user, outcome, note, changed=["shares"])


@transaction.atomic
def triage_pass_to_police(report, *, acting_user, expected_version, organisation, note=""):
    """An emergency or a crime to investigate: the police or gendarmerie unit sees the report
    from now on."""
    return _share_triage(report, acting_user, expected_version, Outcome.POLICE, organisation, note)


@transaction.atomic
def triage_refer_to_ngo(report, *, acting_user, expected_version, organisation, note=""):
    """Support without a dossier at the hotline: the NGO, IO or shelter sees the report."""
    return _share_triage(report, acting_user, expected_version, Outcome.NGO, organisation, note)


@transaction.atomic
def triage_information_only(report, *, acting_user, expected_version, note=""):
    """The caller wanted information or advice; nothing to follow up."""
    locked = _begin_triage(report, acting_user, expected_version)
    return _finish_triage(locked, acting_user, Outcome.INFORMATION, note)


@transaction.atomic
def triage_not_trafficking(report, *, acting_user, expected_version, note=""):
    """Looked at and found not to be trafficking: the note says why."""
    locked = _begin_triage(report, acting_user, expected_version)
    if blank(note):
        raise ValidationError({"note": _("Say why this is not trafficking.")})
    return _finish_triage(locked, acting_user, Outcome.NOT_TRAFFICKING, note)


@transaction.atomic
def triage_spam(report, *, acting_user, expected_version, note=""):
    """Spam, a joke or a wrong number."""
    locked = _begin_triage(report, acting_user, expected_version)
    return _finish_triage(locked, acting_user, Outcome.SPAM, note)


TRIAGE_ACTIONS = {
    Outcome.OPEN_DOSSIER: triage_open_dossier,
    Outcome.POLICE: triage_pass_to_police,
    Outcome.NGO: triage_refer_to_ngo,
    Outcome.INFORMATION: triage_information_only,
    Outcome.NOT_TRAFFICKING: triage_not_trafficking,
    Outcome.SPAM: triage_spam,
}


def triage(report, *, outcome, **kwargs):
    """The triage action of ``outcome``, for the pages and the API."""
    return TRIAGE_ACTIONS[Outcome(outcome)](report, **kwargs)


# --- held web tips (over the per-address limit) -----------------------------------------------

HELD_REVIEW_MAX = 500


def _lock_held(reports, acting_user):
    """The held tips among ``reports`` (reports or ids) that the user may triage, locked, in
    id order (the others, already reviewed by a colleague or never held, are left alone)."""
    ids = [getattr(r, "pk", r) for r in reports][: HELD_REVIEW_MAX + 1]
    if len(ids) > HELD_REVIEW_MAX:
        raise ValidationError(
            _("Review at most %(limit)s held tips at a time.") % {"limit": HELD_REVIEW_MAX}
        )
    return list(
        Report.objects.writable_by(acting_user)
        .held()
        .filter(pk__in=ids)
        .select_for_update()
        .order_by("pk")
    )


@transaction.atomic
def dismiss_held_tips(reports, *, acting_user, note=""):
    """Dismiss held tips as spam in one go: each is triaged "spam" (its own audit row, like a
    triage one by one) and keeps its hold as the record of why it waited. Returns how many
    were dismissed."""
    locked = _lock_held(reports, acting_user)
    for report in locked:
        _finish_triage(report, acting_user, Outcome.SPAM, note, changed=["hold"])
    return len(locked)


@transaction.atomic
def accept_held_tips(reports, *, acting_user):
    """Move held tips into the triage queue, where they are triaged like any other report
    (an urgent one alerts the hotlines then). Returns how many were accepted."""
    locked = _lock_held(reports, acting_user)
    now = timezone.now()
    for report in locked:
        Report.objects.filter(pk=report.pk).update(
            hold="", updated_at=now, version=F("version") + 1
        )
        report.hold, report.updated_at = "", now
        report.version += 1
        log.write(
            acting_user,
            "accept_held_tip",
            report,
            ["hold"],
            organisation_id=access.hotline_acting_org_for(acting_user, report),
        )
        _announce_urgent_tip(report, actor=acting_user)
    return len(locked)
