"""Every write about a dossier: open, edit, change stage, add a note, grant and end access."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from himaya.audit import log
from himaya.core import access
from himaya.core.actions import ensure_visible, save_versioned
from himaya.notifications.actions import notify
from himaya.notifications.models import Kind
from himaya.people.models import Person

from .models import END_STAGES, ORDINARY_STEPS, AccessGrant, Dossier, DossierNote, Stage, StageEvent

EDITABLE_FIELDS = [
    "caseworker",
    "form_other_detail",
    "recruitment_country",
    "recruitment_region",
    "recruitment_city",
    "exploitation_country",
    "exploitation_region",
    "exploitation_city",
    "opened_on",
]


def _writable_dossier(user, dossier):
    if not Dossier.objects.writable_by(user).filter(pk=dossier.pk).exists():
        raise PermissionDenied


def _check_caseworker(caseworker, organisation):
    if (
        caseworker is not None
        and not type(caseworker)
        .objects.filter(access.caseworker_q([organisation.pk]), pk=caseworker.pk)
        .exists()
    ):
        raise ValidationError(
            {"caseworker": _("The caseworker must be an active member of the organisation.")}
        )


# A dossier's facts that are sets of codes, each of one list (its field's limit_choices_to):
# the forms of exploitation, and what HTCDS records beside them. Every action takes them alike.
CODE_SETS = (
    "forms",
    "sex_exploitation_types",
    "industries",
    "recruitment_methods",
    "control_methods",
    "vulnerabilities",
)


def code_list_of(name):
    return Dossier._meta.get_field(name).remote_field.limit_choices_to["list"]


def _code_sets(forms, fields):
    """The code sets an action was given (``forms`` apart, as callers have always passed it),
    checked against their lists; ``None`` where one was not given."""
    sets = {"forms": forms}
    for name in CODE_SETS[1:]:
        sets[name] = fields.pop(name, None)
    for name, codes in sets.items():
        if codes is None:
            continue
        codes = sets[name] = list(codes)
        expected = code_list_of(name)
        if any(c.list != expected for c in codes):
            raise ValidationError({name: _("Choose values of the list offered for this field.")})
    return sets


def _check_forms(forms, other_detail):
    if any(f.code == "other" for f in forms) and not other_detail.strip():
        raise ValidationError({"form_other_detail": _("Describe the other form of exploitation.")})


def _next_reference(dossier):
    return f"HMY-{dossier.opened_on.year}-{dossier.pk:06d}"


@transaction.atomic
def open_dossier(person, *, acting_user, organisation, forms=(), opened_on=None, **fields):
    if organisation.pk not in access.victim_org_ids(acting_user):
        raise PermissionDenied(_("You cannot open dossiers for this organisation."))
    if not Person.objects.writable_by(acting_user).filter(pk=person.pk).exists():
        raise PermissionDenied
    opened_on = opened_on or timezone.localdate()
    if opened_on > timezone.localdate():
        raise ValidationError({"opened_on": _("A dossier cannot be opened in the future.")})
    _check_caseworker(fields.get("caseworker"), organisation)
    sets = {k: v for k, v in _code_sets(forms, fields).items() if v}
    _check_forms(sets.get("forms", []), fields.get("form_other_detail", ""))
    dossier = Dossier(
        person=person,
        owner_org=organisation,
        opened_on=opened_on,
        # The reference carries the row id, known only after the insert: a unique stand-in first.
        reference=f"tmp-{timezone.now().timestamp()}",
        **{k: v for k, v in fields.items() if k in EDITABLE_FIELDS},
    )
    dossier.full_clean(exclude=["reference", "person", "owner_org"])
    dossier.save()
    dossier.reference = _next_reference(dossier)
    dossier.save(update_fields=["reference"])
    for name, codes in sets.items():
        getattr(dossier, name).set(codes)
    StageEvent.objects.create(
        dossier=dossier,
        stage=Stage.SCREENING,
        on=opened_on,
        actor=acting_user,
        organisation=organisation,
    )
    log.write(
        acting_user,
        "open_dossier",
        dossier,
        ["person", "owner_org", "opened_on", "stage"]
        + [name for name in CODE_SETS if name in sets]
        + [f for f in EDITABLE_FIELDS if fields.get(f)],
        organisation_id=organisation.pk,
    )
    ensure_visible(Dossier.objects, dossier, acting_user)
    return dossier


@transaction.atomic
def update_dossier(dossier, *, acting_user, expected_version, forms=None, **fields):
    _writable_dossier(acting_user, dossier)
    sets = _code_sets(forms, fields)
    if "caseworker" in fields:
        _check_caseworker(fields["caseworker"], dossier.owner_org)
    changed = [f for f in EDITABLE_FIELDS if f in fields and getattr(dossier, f) != fields[f]]
    for f in changed:
        setattr(dossier, f, fields[f])
    new_forms = sets["forms"] if forms is not None else list(dossier.forms.all())
    _check_forms(new_forms, dossier.form_other_detail)
    if dossier.opened_on > timezone.localdate():
        raise ValidationError({"opened_on": _("A dossier cannot be opened in the future.")})
    dossier.full_clean(exclude=["reference", "person", "owner_org"])
    save_versioned(dossier, changed, expected_version)
    for name in CODE_SETS:
        codes = sets[name]
        if codes is not None and set(getattr(dossier, name).all()) != set(codes):
            getattr(dossier, name).set(codes)
            changed.append(name)
    log.write(acting_user, "update_dossier", dossier, changed)
    return dossier, changed


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
    _writable_dossier(acting_user, dossier)
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
    if needs_reason and not reason.strip():
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
    log.write(
        acting_user,
        "change_stage",
        dossier,
        ["stage"] + (["reason"] if reason else []),
        organisation_id=organisation_id,
    )
    return event


@transaction.atomic
def add_note(dossier, *, acting_user, text):
    # A partner holding a live grant with the identity adds its own follow-up notes (append-only,
    # signed with its organisation); changing the dossier itself stays with the owner.
    if not Dossier.objects.with_identity_for(acting_user).filter(pk=dossier.pk).exists():
        raise PermissionDenied
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("The note is empty.")})
    if len(text) > 20000:
        raise ValidationError({"text": _("A note holds at most 20,000 characters.")})
    organisation_id = access.acting_org_for(acting_user, dossier, identity=True)
    note = DossierNote.objects.create(
        dossier=dossier, text=text, author=acting_user, organisation_id=organisation_id
    )
    log.write(acting_user, "add_note", note, ["text"], organisation_id=organisation_id)
    return note


@transaction.atomic
def grant_access(
    dossier, *, acting_user, organisation, reason, with_identity=True, until=None, source=""
):
    """Let another organisation see a dossier. Called by the actions that share a dossier
    (referrals, transfers, justice links), which end the grant when they end."""
    _writable_dossier(acting_user, dossier)
    return create_grant(
        dossier,
        acting_user=acting_user,
        organisation=organisation,
        reason=reason,
        with_identity=with_identity,
        until=until,
        source=source,
    )


def create_grant(
    dossier,
    *,
    acting_user,
    organisation,
    reason,
    with_identity=True,
    until=None,
    source="",
    announce=True,
):
    """The grant itself, for actions that share a dossier under a rule of their own (a
    non-punishment alert shares it with the prosecution whoever records the offence, see
    core.access). Must run inside the caller's transaction. The organisation is told, unless
    the caller's own notice (a referral, an alert) already says it (``announce=False``)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why this organisation needs the dossier.")})
    if organisation.pk == dossier.owner_org_id or not organisation.active:
        raise ValidationError(
            {"organisation": _("Share the dossier with another, active organisation.")}
        )
    grant = AccessGrant.objects.create(
        dossier=dossier,
        organisation=organisation,
        with_identity=with_identity,
        reason=reason.strip(),
        until=until,
        source=source,
        granted_by=acting_user,
    )
    log.write(acting_user, "grant_access", grant, ["organisation", "with_identity", "until"])
    if announce:
        notify(
            Kind.GRANT_GIVEN,
            target=dossier,
            reference=dossier.reference,
            detail=gettext_lazy("with the identity")
            if with_identity
            else gettext_lazy("without the identity"),
            url=reverse("cases:detail", args=[dossier.pk]),
            organisations=[organisation.pk],
            actor=acting_user,
        )
    return grant


@transaction.atomic
def revoke_access(grant, *, acting_user):
    _writable_dossier(acting_user, grant.dossier)
    return end_grant(grant, acting_user=acting_user)


def end_grant(grant, *, acting_user):
    """End a grant, for the action that created it under its own rule (``create_grant``)."""
    if grant.revoked_at is None:
        grant.revoked_at = timezone.now()
        grant.save(update_fields=["revoked_at"])
        log.write(acting_user, "revoke_access", grant, ["revoked_at"])
    return grant
