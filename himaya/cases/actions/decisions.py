"""Identification decisions (DOMAIN.md §3): recorded by a competent organisation, moving the
dossier's stage; a negative decision is reviewed by a new decision, never edited."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.audit import log
from himaya.core import access
from himaya.core.access import explain
from himaya.core.actions import ensure_visible
from himaya.core.bidi import blank
from himaya.core.models import Code

from ..models import (
    DECISION_STAGES,
    Dossier,
    IdentificationDecision,
    Stage,
    decision_org_code,
)
from .stages import allowed_moves, record_stage_event

REASONS_MAX = 5000

# Stages that already say at least what a decision says: the decision is recorded and the
# stage stays (a formal "possible victim" decision on a dossier already assisted does not
# take it back to "presumed"). Otherwise the decision moves the dossier to its stage.
ALREADY_THERE = {
    "possible": {
        Stage.PRESUMED,
        Stage.IDENTIFIED,
        Stage.ASSISTED,
        Stage.CLOSED,
        Stage.REFERRED_OUT,
    },
    "actual": {Stage.IDENTIFIED, Stage.ASSISTED, Stage.CLOSED, Stage.REFERRED_OUT},
    "not_victim": {Stage.NOT_VICTIM},
}


def refusal(user, dossier):
    """Why ``user`` may not record a decision on ``dossier``, and what to do instead; None when
    they may. From the rule itself (core.access.decision_org_ids_for): a victim-handling member
    of an organisation of a deciding type that sees the dossier with the identity."""
    if access.decision_org_ids_for(user, dossier):
        return None
    if access.deciding_org_ids(user):
        return _(
            "Your organisation may take identification decisions, but does not see this "
            "dossier with the identity. Ask “%(owner)s”, which holds the dossier, to refer it "
            "to your organisation with the identity."
        ) % {"owner": dossier.owner_org.name}
    if access.writes_dossier(user, dossier):
        then = _(
            "Refer the dossier to one of them (a referral with the identity) so that it decides."
        )
    else:
        then = _("Ask “%(owner)s”, which holds the dossier, to refer it to one of them.") % {
            "owner": dossier.owner_org.name
        }
    return explain.refusal(
        _("Recording a formal identification decision"),
        access.VICTIM_ROLES,
        settings.HIMAYA_DECIDING_ORG_TYPES,
        user=user,
        then=then,
    )


def stage_after(current, status_code):
    """The stage a decision moves the dossier to, or None when the stage stays."""
    if current in ALREADY_THERE[status_code]:
        return None
    return DECISION_STAGES[status_code]


def latest_decision(dossier):
    return (
        dossier.decisions.select_related("status")
        .order_by("-decided_on", "-recorded_at", "-id")
        .first()
    )


def _check(dossier, *, status, decided_on, reasons, reviews, latest):
    if status is None or status.list != "trafficking_status" or status.code not in DECISION_STAGES:
        raise ValidationError({"status": _("Choose the trafficking status decided.")})
    if blank(reasons):
        raise ValidationError({"reasons": _("Give the reasons for the decision.")})
    if len(reasons) > REASONS_MAX:
        raise ValidationError(
            {"reasons": _("The reasons hold at most %(n)s characters.") % {"n": f"{REASONS_MAX:,}"}}
        )
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("A decision cannot be dated in the future.")})
    if decided_on < dossier.opened_on:
        raise ValidationError(
            {
                "decided_on": _("This date is before the dossier was opened (%(date)s).")
                % {"date": dossier.opened_on.isoformat()}
            }
        )
    if reviews is not None:
        if latest is None or reviews.pk != latest.pk:
            raise ValidationError(
                {"reviews": _("Only the latest decision on this dossier can be reviewed.")}
            )
        if not reviews.is_negative:
            raise ValidationError({"reviews": _("Only a negative decision is reviewed.")})
    elif latest is not None and latest.is_negative:
        raise ValidationError(
            {
                "reviews": _(
                    "The last decision on this dossier says “not a victim”: record a review "
                    "of that decision."
                )
            }
        )
    if latest is not None and decided_on < latest.decided_on:
        raise ValidationError(
            {
                "decided_on": _("This date is before the last decision (%(date)s).")
                % {"date": latest.decided_on.isoformat()}
            }
        )


def deciding_codes():
    """The deciding bodies (code list "decision_org") of the organisation types that may take
    an identification decision (settings.HIMAYA_DECIDING_ORG_TYPES)."""
    return {decision_org_code(t) for t in settings.HIMAYA_DECIDING_ORG_TYPES}


def deciding_rule():
    """The deciding-organisation rule in words: who takes an identification decision."""
    return explain.refusal(
        _("Recording a formal identification decision"),
        access.VICTIM_ROLES,
        settings.HIMAYA_DECIDING_ORG_TYPES,
    )


def check_deciding_body(organisation, organisation_type=None):
    """The deciding-organisation rule, for a decision taken now on a page or told by a row of
    a past year's register: ``organisation`` is of a type that decides; or, when the row names
    no organisation in Himaya but the type of the body that decided (``organisation_type``,
    code list "decision_org"), that type is a deciding one. Returns the body's code."""
    if organisation_type is None:
        org_type = organisation.type.code if organisation.type_id else ""
        if org_type not in settings.HIMAYA_DECIDING_ORG_TYPES:
            raise ValidationError(
                {
                    "organisation": deciding_rule()
                    + " "
                    + _("“%(org)s” is not an organisation of these types.")
                    % {"org": organisation.name}
                }
            )
        return Code.objects.get(list="decision_org", code=decision_org_code(org_type))
    if organisation_type.list != "decision_org" or organisation_type.code not in deciding_codes():
        raise ValidationError(
            {
                "organisation_type": deciding_rule()
                + " "
                + _("“%(body)s” is not a body of these types.") % {"body": organisation_type.label}
            }
        )
    return organisation_type


def check_may_decide(user, dossier, organisation):
    """Who records a decision on a page: a victim-handling member of an organisation of a
    deciding type that sees the dossier with the identity (core.access), for that
    organisation."""
    allowed = access.decision_org_ids_for(user, dossier)
    if not allowed:
        raise PermissionDenied(refusal(user, dossier))
    if organisation is None or organisation.pk not in allowed:
        raise ValidationError(
            {"organisation": _("Your organisation cannot record a decision on this dossier.")}
        )


@transaction.atomic
def record_decision(
    dossier, *, acting_user, organisation, status, decided_on, reasons, reviews=None
):
    check_may_decide(acting_user, dossier, organisation)
    decision = do_record_decision(
        dossier,
        acting_user=acting_user,
        organisation=organisation,
        status=status,
        on=decided_on,
        reasons=reasons,
        reviews=reviews,
    )
    ensure_visible(IdentificationDecision.objects, decision, acting_user)
    return decision


@transaction.atomic
def do_record_decision(
    dossier,
    *,
    acting_user,
    organisation,
    status,
    on,
    reasons,
    reviews=None,
    organisation_type=None,
    acting_org_id=None,
):
    """Record a formal identification decision taken on the day ``on`` and move the
    dossier's stage to match it (possible → presumed victim, actual → identified victim, not
    a victim → not a victim), for a writer the caller authorised.

    The deciding body follows the deciding-organisation rule (``check_deciding_body``). When
    the dossier is already at (or past) that stage, no stage event is written: the decision
    confirms the stage. A move off the ordinary path (a review overturning a negative
    decision, a negative decision on an identified victim) is recorded with the decision as
    its reason. A negative decision can only be followed by a review of it. ``acting_org_id``:
    the organisation the stage event and audit row are signed with (default: the deciding
    one; an import: the importing one)."""
    org_type = check_deciding_body(organisation, organisation_type)
    acting_org_id = acting_org_id or organisation.pk
    # One decision at a time per dossier: the latest decision and the stage are read locked.
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    reasons = (reasons or "").strip()
    latest = latest_decision(locked)
    _check(locked, status=status, decided_on=on, reasons=reasons, reviews=reviews, latest=latest)
    _move_stage(locked, acting_user, status, on, organisation, acting_org_id)
    decision = IdentificationDecision.objects.create(
        dossier=locked,
        status=status,
        decided_on=on,
        organisation=organisation,
        organisation_type=org_type,
        reasons=reasons,
        decided_by=acting_user,
        reviews=reviews,
    )
    log.write(
        acting_user,
        "record_decision",
        decision,
        ["status", "decided_on", "organisation", "organisation_type", "reasons"]
        + (["reviews"] if reviews else []),
        organisation_id=acting_org_id,
    )
    return decision


def _move_stage(locked, acting_user, status, on, organisation, acting_org_id):
    """The stage the decision moves the dossier to, through the stage rule itself
    (``record_stage_event``: dates in order, none in the future)."""
    current = locked.current_stage
    target = stage_after(current, status.code)
    if target is None:
        return
    reason = ""
    if allowed_moves(current)[target]:
        reason = _("Identification decision: %(status)s (%(organisation)s)") % {
            "status": status.label,
            "organisation": organisation.name,
        }
    try:
        record_stage_event(
            locked,
            acting_user=acting_user,
            stage=target,
            on=on,
            reason=reason,
            organisation_id=acting_org_id,
        )
    except ValidationError as exc:
        # The stage's date rule, said about the decision's date.
        raise ValidationError(
            {"decided_on" if k == "on" else "status": v for k, v in exc.error_dict.items()}
        ) from exc
