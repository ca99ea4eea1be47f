"""A dossier's stages: which moves are ordinary, and the stage event that records a move."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.audit import log
from himaya.core import access
from himaya.core.bidi import blank

from ..models import END_STAGES, ORDINARY_STEPS, Dossier, Stage, StageEvent
from .common import require_writable


def allowed_moves(current):
    """Stages reachable from ``current``, each with whether a reason is required."""
    return {
        stage: (current, stage) not in ORDINARY_STEPS or current in END_STAGES
        for stage in Stage
        if stage != current
    }


@transaction.atomic
def change_stage(dossier, *, acting_user, stage, on=None, reason=""):
    """Record a stage event. The ordinary path needs no reason; a jump, a step back, leaving an
    end stage or referring out must say why. Dates cannot go backwards or into the future."""
    require_writable(acting_user, dossier)
    return record_stage_event(
        dossier,
        acting_user=acting_user,
        stage=stage,
        on=on,
        reason=reason,
        organisation_id=access.acting_org_for(acting_user, dossier),
    )


def record_stage_event(dossier, *, acting_user, stage, on, reason, organisation_id):
    """The stage event itself, for actions that have authorised the writer by their own rule
    (``change_stage``: the owner; an identification decision: a deciding organisation that
    sees the dossier, see core.access). Must run inside the caller's transaction."""
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    current = locked.current_stage
    stage = Stage(stage)
    on = on or timezone.localdate()
    if stage == current:
        raise ValidationError({"stage": _("The dossier is already at this stage.")})
    needs_reason = allowed_moves(current)[stage]
    if needs_reason and blank(reason):
        raise ValidationError(
            {
                "reason": _(
                    "Moving from “%(from)s” to “%(to)s” is not the ordinary path: give the reason."
                )
                % {"from": Stage(current).label if current else "-", "to": stage.label}
            }
        )
    if on > timezone.localdate():
        raise ValidationError({"on": _("A stage cannot be dated in the future.")})
    last = locked.events.order_by("-on", "-id").first()
    if last and on < last.on:
        raise ValidationError(
            {
                "on": _("This date is before the last stage (%(date)s).")
                % {"date": last.on.isoformat()}
            }
        )
    event = StageEvent.objects.create(
        dossier=dossier,
        stage=stage,
        on=on,
        reason=reason.strip(),
        actor=acting_user,
        organisation_id=organisation_id,
    )
    Dossier.objects.filter(pk=dossier.pk).update(updated_at=timezone.now())
    # Dated on or after the last one and recorded last: the latest, as the database now holds.
    dossier.stage, dossier.stage_on = event.stage, event.on
    log.write(
        acting_user,
        "change_stage",
        dossier,
        ["stage"] + (["reason"] if reason else []),
        organisation_id=organisation_id,
    )
    return event
