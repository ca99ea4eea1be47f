"""Every write about an investigation: open, edit, transfer, close; link dossiers and hotline
reports; add suspects and record their arrest, detention and release.

Every action takes plain keyword arguments (the import in himaya/exchange calls them row by
row), validates its input itself and raises ``ValidationError`` keyed by field name, runs in a
transaction and writes its audit row. ``external_ref`` is the record's number in a register it
was imported from: unique per organisation, so that a re-import finds the record again."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.accounts.models import Organisation
from himaya.audit import log
from himaya.cases.actions import create_grant, end_grant
from himaya.cases.models import AccessGrant, Dossier
from himaya.core import access, hooks
from himaya.core.actions import ensure_visible, save_versioned
from himaya.core.bidi import check_name
from himaya.core.codedata import public_body_for
from himaya.core.models import Code, excluded_codes
from himaya.hotline.models import Report
from himaya.notifications.actions import notify
from himaya.notifications.models import Kind
from himaya.people.models import BirthDatePrecision

from .models import (
    EXTERNAL_REF_MAX,
    DossierLink,
    EventKind,
    Investigation,
    InvestigationStatus,
    InvestigationSuspect,
    Suspect,
    SuspectEvent,
)

NAME_MAX = 200
PLACE_MAX = 500
GRANT_REASON = "justice: dossier linked to an investigation"


# --- Checks shared with prosecution_actions ----------------------------------------------------


def check_date(field, value, *, after=None, after_label="", warn=None):
    """A date is given, not in the future, and not before ``after`` when given.

    ``warn``: for an order that real registers do record (an arrest in flagrante, a suspect
    named in a complaint, a prosecution seized directly: all before the investigation's
    recorded opening), a callable ``warn(field, message)``: the date is accepted and the caller
    told (an import lists it for the clerk to confirm). Without it the date is refused, as on
    the pages. What cannot be (a date in the future, a verdict before its prosecution) never
    takes ``warn``."""
    if not isinstance(value, datetime.date):
        raise ValidationError({field: _("Enter a valid date.")})
    if value > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})
    if after is not None and value < after:
        message = _("This date is before %(what)s (%(date)s).") % {
            "what": after_label,
            "date": after.isoformat(),
        }
        if warn is None:
            raise ValidationError({field: message})
        warn(field, message)
    return value


def check_code(field, code, code_list, *, required=False):
    if code is None:
        if required:
            raise ValidationError({field: _("This field is required.")})
        return None
    if (
        getattr(code, "list", None) != code_list
        or not code.active
        or code.code in excluded_codes(code_list)
    ):
        raise ValidationError({field: _("Choose a value from the list.")})
    return code


def check_external_ref(model, org_field, org_id, value, *, exclude_pk=None):
    value = (value or "").strip()
    if len(value) > EXTERNAL_REF_MAX:
        raise ValidationError(
            {
                "external_ref": _("The external reference holds at most %(n)s characters.")
                % {"n": EXTERNAL_REF_MAX}
            }
        )
    if value:
        clash = model.objects.filter(**{org_field: org_id, "external_ref": value})
        if exclude_pk:
            clash = clash.exclude(pk=exclude_pk)
        if clash.exists():
            raise ValidationError(
                {"external_ref": _("Another record of this organisation has this reference.")}
            )
    return value


def touch(proceeding, on):
    """Move a proceeding's latest event forward to ``on`` (never back)."""
    if on > proceeding.last_event_on:
        type(proceeding).objects.filter(pk=proceeding.pk).update(last_event_on=on)
        proceeding.last_event_on = on


def _text(field, value, limit):
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationError(
            {field: _("This text holds at most %(n)s characters.") % {"n": f"{limit:,}"}}
        )
    return value


# --- Investigations ---------------------------------------------------------------------------


def _editable(user, investigation):
    locked = (
        Investigation.objects.select_for_update()
        .filter(access.investigation_edit_q(user), pk=investigation.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied
    return locked


def _writable(user, investigation):
    """The investigation, locked, and the organisation the user acts for on it."""
    locked = (
        Investigation.objects.select_for_update()
        .filter(access.investigation_write_q(user), pk=investigation.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied
    return locked, access.investigation_org_for(user, locked)


def _check_forms(forms):
    forms = list(forms or ())
    for form in forms:
        check_code("forms", form, "exploitation_form")
    return forms


def _check_reports(user, reports):
    reports = list(reports or ())
    visible = set(
        Report.objects.visible_to(user)
        .filter(pk__in=[r.pk for r in reports])
        .values_list("pk", flat=True)
    )
    if any(r.pk not in visible for r in reports):
        raise ValidationError({"reports": _("Choose hotline reports you can see.")})
    return reports


@transaction.atomic
def open_investigation(
    *,
    acting_user,
    organisation,
    opened_on,
    region=None,
    forms=(),
    reports=(),
    external_ref="",
):
    """Open an investigation for an investigating organisation (police, gendarmerie,
    prosecution, labour inspectorate) the user investigates for."""
    if organisation is None or organisation.pk not in access.investigating_org_ids(acting_user):
        raise PermissionDenied(_("You cannot open investigations for this organisation."))
    check_date("opened_on", opened_on)
    check_code("region", region, "region")
    forms = _check_forms(forms)
    reports = _check_reports(acting_user, reports)
    external_ref = check_external_ref(
        Investigation, "investigating_org", organisation.pk, external_ref
    )
    investigation = Investigation.objects.create(
        reference=f"tmp-{timezone.now().timestamp()}",
        external_ref=external_ref,
        opened_on=opened_on,
        investigating_org=organisation,
        region=region or organisation.region,
        last_event_on=opened_on,
        created_by=acting_user,
    )
    investigation.reference = f"ENQ-{opened_on.year}-{investigation.pk:06d}"
    investigation.save(update_fields=["reference"])
    investigation.forms.set(forms)
    investigation.reports.set(reports)
    log.write(
        acting_user,
        "open_investigation",
        investigation,
        ["opened_on", "investigating_org", "region", "forms", "reports"]
        + (["external_ref"] if external_ref else []),
        organisation_id=organisation.pk,
    )
    ensure_visible(Investigation.objects, investigation, acting_user)
    return investigation


@transaction.atomic
def update_investigation(
    investigation, *, acting_user, expected_version, opened_on, region=None, forms=None, warn=None
):
    """``warn``: see ``check_date`` (an event before the opening is a plausible order)."""
    locked = _editable(acting_user, investigation)
    check_date("opened_on", opened_on)
    first_event = _earliest_event(locked)
    if first_event and opened_on > first_event:
        message = _("An event of this investigation is dated %(date)s, before it.") % {
            "date": first_event.isoformat()
        }
        if warn is None:
            raise ValidationError({"opened_on": message})
        warn("opened_on", message)
    check_code("region", region, "region")
    changed = []
    for field, value in (("opened_on", opened_on), ("region", region)):
        if getattr(locked, field) != value:
            setattr(locked, field, value)
            changed.append(field)
    save_versioned(locked, changed, expected_version)
    if forms is not None:
        forms = _check_forms(forms)
        if set(locked.forms.all()) != set(forms):
            locked.forms.set(forms)
            changed.append("forms")
    if changed:
        log.write(
            acting_user,
            "update_investigation",
            locked,
            changed,
            organisation_id=locked.investigating_org_id,
        )
    return locked


def _earliest_event(investigation):
    dates = [
        d
        for d in (
            investigation.suspect_events.order_by("on").values_list("on", flat=True).first(),
            investigation.prosecutions.order_by("started_on")
            .values_list("started_on", flat=True)
            .first(),
        )
        if d
    ]
    return min(dates) if dates else None


@transaction.atomic
def transfer_investigation(investigation, *, acting_user, office, on):
    """Hand an open investigation to a prosecution office: the office then sees it and the
    victims' dossiers linked to it (grants where needed), and starts prosecutions."""
    locked = _editable(acting_user, investigation)
    if locked.status != InvestigationStatus.OPEN:
        raise ValidationError(_("Only an open investigation can be transferred."))
    if (
        office is None
        or not office.active
        or office.type.code not in access.PROSECUTING_ORG_TYPES
        or office.pk == locked.investigating_org_id
    ):
        raise ValidationError({"office": _("Choose an active prosecution office.")})
    check_date("on", on, after=locked.opened_on, after_label=_("the opening"))
    locked.prosecution_office = office
    locked.status = InvestigationStatus.TRANSFERRED
    locked.status_on = on
    locked.save(update_fields=["prosecution_office", "status", "status_on"])
    touch(locked, on)
    for link in locked.dossier_links.select_related("dossier"):
        _grant_for_link(link, acting_user, announce=False)  # the transfer is the news
    log.write(
        acting_user,
        "transfer_investigation",
        locked,
        ["prosecution_office", "status", "status_on"],
        organisation_id=locked.investigating_org_id,
    )
    notify(
        Kind.INVESTIGATION_TRANSFERRED,
        target=locked,
        reference=locked.reference,
        url=reverse("justice:detail", args=[locked.pk]),
        organisations=[office.pk],
        actor=acting_user,
    )
    return locked


@transaction.atomic
def close_investigation(investigation, *, acting_user, on):
    """Close an open investigation without prosecution (no suspect found, case dropped)."""
    locked = _editable(acting_user, investigation)
    if locked.status != InvestigationStatus.OPEN:
        raise ValidationError(_("This investigation is not open."))
    check_date("on", on, after=locked.last_event_on, after_label=_("its latest event"))
    locked.status = InvestigationStatus.CLOSED
    locked.status_on = on
    locked.save(update_fields=["status", "status_on"])
    touch(locked, on)
    log.write(
        acting_user,
        "close_investigation",
        locked,
        ["status", "status_on"],
        organisation_id=locked.investigating_org_id,
    )
    return locked


# --- Links to dossiers and reports ----------------------------------------------------------


def _grant_source(link):
    return f"justice.dossierlink:{link.pk}"


def _grant_for_link(link, acting_user, *, announce=True):
    for org_id in access.justice_dossier_grant_org_ids(link.investigation, link.dossier):
        create_grant(
            link.dossier,
            acting_user=acting_user,
            organisation=Organisation.objects.get(pk=org_id),
            reason=GRANT_REASON,
            with_identity=True,
            source=_grant_source(link),
            announce=announce,
        )


@transaction.atomic
def link_dossier(investigation, dossier, *, acting_user):
    """Link a victim's dossier that the user sees with its identity. Justice organisations of
    the investigation that do not see it with its identity get a grant while the link lasts
    (core.access, "Justice")."""
    locked, org_id = _writable(acting_user, investigation)
    if (
        dossier is None
        or not Dossier.objects.with_identity_for(acting_user).filter(pk=dossier.pk).exists()
    ):
        raise ValidationError({"dossier": _("Choose a dossier you see with its identity.")})
    if locked.dossier_links.filter(dossier=dossier).exists():
        raise ValidationError({"dossier": _("This dossier is already linked.")})
    link = DossierLink.objects.create(
        investigation=locked, dossier=dossier, linked_by=acting_user, organisation_id=org_id
    )
    _grant_for_link(link, acting_user)
    log.write(acting_user, "link_dossier", link, ["dossier"], organisation_id=org_id)
    return link


@transaction.atomic
def unlink_dossier(link, *, acting_user):
    locked, org_id = _writable(acting_user, link.investigation)
    if locked.prosecutions.filter(participations__dossier_id=link.dossier_id).exists():
        raise ValidationError(_("This victim takes part in a prosecution; the link stays."))
    for grant in AccessGrant.objects.filter(source=_grant_source(link), revoked_at__isnull=True):
        end_grant(grant, acting_user=acting_user)
    log.write(acting_user, "unlink_dossier", link, ["dossier"], organisation_id=org_id)
    link.delete()


@transaction.atomic
def link_report(investigation, report, *, acting_user):
    locked, org_id = _writable(acting_user, investigation)
    if report is None:
        raise ValidationError({"report": _("Choose a hotline report you can see.")})
    _check_reports(acting_user, [report])
    locked.reports.add(report)
    log.write(acting_user, "link_report", locked, ["reports"], organisation_id=org_id)
    return locked


# --- Suspects -------------------------------------------------------------------------------

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
        clean[name] = _text(name, fields.get(name), NAME_MAX)
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
    clean["official_body"] = _text("official_body", fields.get("official_body"), NAME_MAX)
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
    locked, org_id = _writable(acting_user, investigation)
    added_on = added_on or timezone.localdate()
    check_date(
        "added_on", added_on, after=locked.opened_on, after_label=_("the opening"), warn=warn
    )
    if suspect is not None:
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
    locked, org_id = _writable(acting_user, investigation)
    if suspect is None or not locked.suspect_links.filter(suspect=suspect).exists():
        raise ValidationError({"suspect": _("Choose a suspect of this investigation.")})
    if kind not in EventKind.values:
        raise ValidationError({"kind": _("Choose the event.")})
    check_date("on", on, after=locked.opened_on, after_label=_("the opening"), warn=warn)
    place = _text("place", place, PLACE_MAX)
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
