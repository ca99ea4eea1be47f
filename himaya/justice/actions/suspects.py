"""Every write about a suspect: add one to an investigation (an existing one the user sees, or a
new one), correct their identity or flags, and record their arrest, detention and release."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.audit import log
from himaya.core import access, hooks
from himaya.core.actions import save_versioned
from himaya.core.bidi import check_name
from himaya.core.codedata import public_body_for
from himaya.core.models import Code
from himaya.people.models import BirthDatePrecision

from ..models import EventKind, Investigation, InvestigationSuspect, Suspect, SuspectEvent
from .common import check_code, check_date, check_external_ref, check_text, touch
from .investigations import lock_writable

NAME_MAX = 200
PLACE_MAX = 500


SUSPECT_FIELDS = (
    "given_name_ar",
    "family_name_ar",
    "given_name_lat",
    "family_name_lat",
    "sex",
    "birth_date",
    "birth_date_precision",
    "citizenship",
    "role_in_process",
    "public_official",
    "official_body_type",
    "official_body",
    "diplomatic_immunity",
)


def official_body_kind(text):
    """The kind of public body (a code) a body named without its kind names (an import or a
    client of the API from before the list): the kind it names, else "other public body"."""
    code = public_body_for(text)
    return Code.objects.of("public_body").filter(code=code).first() if code else None


def _clean_suspect(fields):
    """Validated suspect fields, for a new suspect or an edit (all of SUSPECT_FIELDS)."""
    clean = {}
    for name in ("given_name_ar", "family_name_ar", "given_name_lat", "family_name_lat"):
        clean[name] = check_text(name, fields.get(name), NAME_MAX)
        try:
            check_name(clean[name])
        except ValidationError as exc:
            raise ValidationError({name: exc}) from None
    if not any(clean.values()):
        raise ValidationError(
            {"given_name_ar": _("Give at least one name, in Arabic or Latin script.")}
        )
    clean["sex"] = check_code("sex", fields.get("sex"), "sex")
    clean["citizenship"] = check_code("citizenship", fields.get("citizenship"), "country")
    clean["role_in_process"] = check_code(
        "role_in_process", fields.get("role_in_process"), "role_in_process"
    )
    birth_date = fields.get("birth_date")
    precision = fields.get("birth_date_precision") or (
        BirthDatePrecision.EXACT if birth_date else BirthDatePrecision.UNKNOWN
    )
    if precision not in BirthDatePrecision.values:
        raise ValidationError({"birth_date_precision": _("Choose a value from the list.")})
    if birth_date is not None:
        check_date("birth_date", birth_date)
    elif precision in (BirthDatePrecision.EXACT, BirthDatePrecision.YEAR):
        raise ValidationError({"birth_date": _("Give the birth date, or say it is unknown.")})
    clean["birth_date"] = birth_date
    clean["birth_date_precision"] = precision
    clean["public_official"] = bool(fields.get("public_official"))
    clean["official_body_type"] = check_code(
        "official_body_type", fields.get("official_body_type"), "public_body"
    )
    clean["official_body"] = check_text("official_body", fields.get("official_body"), NAME_MAX)
    if clean["public_official"] and not clean["official_body_type"]:
        if not clean["official_body"]:
            raise ValidationError(
                {"official_body_type": _("Say which body the official belongs to.")}
            )
        clean["official_body_type"] = official_body_kind(clean["official_body"])
    if not clean["public_official"]:
        clean["official_body_type"] = None
        clean["official_body"] = ""
    clean["diplomatic_immunity"] = bool(fields.get("diplomatic_immunity"))
    return clean


@transaction.atomic
def add_suspect(
    investigation,
    *,
    acting_user,
    suspect=None,
    added_on=None,
    external_ref="",
    warn=None,
    **fields,
):
    """Add a suspect to an investigation: an existing one the user sees (a suspect may be in
    several investigations), or a new one from ``fields`` (SUSPECT_FIELDS). ``warn``: see
    ``check_date``."""
    locked, org_id = lock_writable(acting_user, investigation)
    added_on = added_on or timezone.localdate()
    check_date(
        "added_on", added_on, after=locked.opened_on, after_label=_("the opening"), warn=warn
    )
    if suspect is not None:
        if external_ref or any(fields.values()):
            # the existing suspect's record keeps its own: refused rather than dropped
            raise ValidationError(
                {"suspect": _("Give an existing suspect or a new suspect's identity, not both.")}
            )
        if not Suspect.objects.visible_to(acting_user).filter(pk=suspect.pk).exists():
            raise ValidationError({"suspect": _("Choose a suspect you can see.")})
        if locked.suspect_links.filter(suspect=suspect).exists():
            raise ValidationError({"suspect": _("This suspect is already in the investigation.")})
    else:
        clean = _clean_suspect(fields)
        external_ref = check_external_ref(Suspect, "registered_by", org_id, external_ref)
        suspect = Suspect.objects.create(
            registered_by_id=org_id, created_by=acting_user, external_ref=external_ref, **clean
        )
        hooks.call("index_suspect", suspect, new=True)
        log.write(
            acting_user,
            "create_suspect",
            suspect,
            [k for k, v in clean.items() if v] + (["external_ref"] if external_ref else []),
            organisation_id=org_id,
        )
    link = InvestigationSuspect.objects.create(
        investigation=locked, suspect=suspect, added_on=added_on, added_by=acting_user
    )
    touch(locked, added_on)
    log.write(acting_user, "add_suspect", link, ["suspect", "added_on"], organisation_id=org_id)
    return suspect


@transaction.atomic
def update_suspect(suspect, *, acting_user, expected_version, **fields):
    """Change a suspect's identity or flags: by the justice organisations of one of the
    investigations the suspect is in that may write it."""
    writable = Investigation.objects.filter(
        access.investigation_write_q(acting_user), suspect_links__suspect=suspect
    ).first()
    if writable is None:
        raise PermissionDenied
    org_id = access.investigation_org_for(acting_user, writable)
    locked = Suspect.objects.select_for_update().get(pk=suspect.pk)
    merged = {name: getattr(locked, name) for name in SUSPECT_FIELDS}
    merged.update({k: v for k, v in fields.items() if k in SUSPECT_FIELDS})
    clean = _clean_suspect(merged)
    changed = [k for k, v in clean.items() if getattr(locked, k) != v]
    for k in changed:
        setattr(locked, k, clean[k])
    save_versioned(locked, changed, expected_version)
    if changed:
        hooks.call("index_suspect", locked)
        log.write(acting_user, "update_suspect", locked, changed, organisation_id=org_id)
    return locked


@transaction.atomic
def record_suspect_event(
    investigation, suspect, *, acting_user, kind, on, place="", external_ref="", warn=None
):
    """An arrest, a pre-trial detention or a release of a suspect of the investigation. A
    release follows an arrest or a detention. ``warn``: see ``check_date`` (an arrest in
    flagrante comes before the investigation's recorded opening)."""
    locked, org_id = lock_writable(acting_user, investigation)
    if suspect is None or not locked.suspect_links.filter(suspect=suspect).exists():
        raise ValidationError({"suspect": _("Choose a suspect of this investigation.")})
    if kind not in EventKind.values:
        raise ValidationError({"kind": _("Choose the event.")})
    check_date("on", on, after=locked.opened_on, after_label=_("the opening"), warn=warn)
    place = check_text("place", place, PLACE_MAX)
    if kind == EventKind.RELEASE:
        before = SuspectEvent.objects.filter(
            suspect=suspect, kind__in=[EventKind.ARREST, EventKind.DETENTION], on__lte=on
        )
        if not before.exists():
            raise ValidationError(
                {"kind": _("A release follows an arrest or a detention; record that first.")}
            )
    external_ref = check_external_ref(SuspectEvent, "organisation", org_id, external_ref)
    event = SuspectEvent.objects.create(
        suspect=suspect,
        investigation=locked,
        kind=kind,
        on=on,
        place=place,
        organisation_id=org_id,
        recorded_by=acting_user,
        external_ref=external_ref,
    )
    touch(locked, on)
    log.write(
        acting_user,
        f"record_{kind}",
        event,
        ["suspect", "kind", "on"] + (["place"] if place else []),
        organisation_id=org_id,
    )
    return event
