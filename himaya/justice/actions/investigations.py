"""Every write about an investigation: open, edit, transfer, close; link victims' dossiers
(with the grants that let its justice organisations see them) and hotline reports."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.accounts.models import Organisation
from himaya.audit import log
from himaya.cases.actions import create_grant, end_grant
from himaya.cases.models import AccessGrant, Dossier
from himaya.core import access
from himaya.core.actions import ensure_visible, save_versioned
from himaya.core.bidi import blank
from himaya.hotline.models import Report
from himaya.notifications.actions import notify
from himaya.notifications.models import Kind

from ..confirmations import OrderWarning
from ..models import (
    DossierLink,
    Handoff,
    Investigation,
    InvestigationHandoff,
    InvestigationStatus,
)
from . import run
from .common import check_code, check_date, check_external_ref, check_text, touch

GRANT_REASON = "justice: dossier linked to an investigation"


def _editable(user, investigation):
    locked = (
        Investigation.objects.select_for_update()
        .filter(access.investigation_edit_q(user), pk=investigation.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied
    run.forget(locked)  # changed through this lock: the one an import row held is stale
    return locked


def lock_writable(user, investigation):
    """The investigation, locked, and the organisation the user acts for on it. An import's
    rows lock and check it once a run (run.Memo): the lock holds till the run's end."""
    rule = access.investigation_write_q(user)
    return run.lock_once(user, Investigation, investigation.pk, rule, access.investigation_org_for)


def _check_forms(forms):
    forms = list(forms or ())
    for form in forms:
        check_code("forms", form, "exploitation_form")
    return forms


def _check_reports(user, reports):
    reports = list(reports or ())
    if not reports:
        return reports
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
    # A new investigation has none yet: added, without reading what it has (``set``).
    if forms:
        investigation.forms.add(*forms)
    if reports:
        investigation.reports.add(*reports)
    log.write(
        acting_user,
        "open_investigation",
        investigation,
        ["opened_on", "investigating_org", "region", "forms", "reports"]
        + (["external_ref"] if external_ref else []),
        organisation_id=organisation.pk,
    )
    ensure_visible(run.seen(acting_user, Investigation), investigation, acting_user)
    return investigation


@transaction.atomic
def update_investigation(
    investigation, *, acting_user, expected_version, opened_on, region=None, forms=None, warn=None
):
    """``warn``: see ``check_date`` (an event before the opening is a plausible order)."""
    locked = _editable(acting_user, investigation)
    check_date("opened_on", opened_on)
    handed = _earliest_handoff(locked) if opened_on != locked.opened_on else None
    if handed and opened_on > handed:
        # Never before the opening: transfer_investigation and close_investigation refuse it.
        raise ValidationError(
            {
                "opened_on": _(
                    "The investigation was transferred, sent back or closed on %(date)s, "
                    "before this date."
                )
                % {"date": handed.isoformat()}
            }
        )
    first_event = _earliest_event(locked)
    if first_event and opened_on > first_event:
        message = _("An event of this investigation is dated %(date)s, before it.") % {
            "date": first_event.isoformat()
        }
        if warn is None:
            raise ValidationError({"opened_on": message})
        warn("opened_on", OrderWarning(message, f"after an event {first_event.isoformat()}"))
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
    """The first day its suspects were arrested or prosecuted: a register may date them before
    the recorded opening (a clerk confirms it, issue 16), a page may not. (Not the day a
    suspect was named: a register without it records the opening day.)"""
    dates = (
        investigation.suspect_events.aggregate(first=Min("on"))["first"],
        investigation.prosecutions.aggregate(first=Min("started_on"))["first"],
    )
    return min(filter(None, dates), default=None)


def _earliest_handoff(investigation):
    """The first day it was transferred or sent back, or the day it was closed."""
    closed = investigation.status == InvestigationStatus.CLOSED
    dates = (
        investigation.handoffs.aggregate(first=Min("on"))["first"],
        investigation.status_on if closed else None,
    )
    return min(filter(None, dates), default=None)


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
    # Not before the opening, nor before the office last sent it back: an older date (a
    # register imported again after the send-back) would undo the return and list the
    # hand-offs out of order.
    returned = locked.handoffs.filter(kind=Handoff.RETURNED).order_by("-on").first()
    if returned is not None:
        check_date("on", on, after=returned.on, after_label=_("the last send-back"))
    check_date("on", on, after=locked.opened_on, after_label=_("the opening"))
    locked.prosecution_office = office
    locked.status = InvestigationStatus.TRANSFERRED
    locked.status_on = on
    locked.save(update_fields=["prosecution_office", "status", "status_on"])
    InvestigationHandoff.objects.create(
        investigation=locked,
        kind=Handoff.TRANSFERRED,
        on=on,
        office=office,
        created_by=acting_user,
    )
    touch(locked, on)
    for link in locked.dossier_links.select_related("dossier"):
        _grant_for_link(link, acting_user, announce=False)  # the transfer is the news
    log.write(
        acting_user,
        "transfer_investigation",
        locked,
        ["prosecution_office", "status", "status_on", "handoffs"],
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


RETURN_REASON_MAX = 2000


def returnable(user):
    """The investigations the user's prosecution office may send back now: transferred to it
    (core.access), no prosecution started."""
    return Investigation.objects.filter(access.investigation_return_q(user)).filter(
        prosecutions__isnull=True
    )


@transaction.atomic
def return_investigation(investigation, *, acting_user, reason, on):
    """The prosecution office sends back an investigation transferred to it that it will not
    prosecute (another office's competence, a file to complete): open again at the
    investigating organisation, the office's access through the transfer ended, the
    investigators told. Not once a prosecution has started."""
    locked = (
        Investigation.objects.select_for_update()
        .filter(access.investigation_return_q(acting_user), pk=investigation.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied
    if not returnable(acting_user).filter(pk=locked.pk).exists():
        raise ValidationError(
            _("A prosecution has started on this investigation: it cannot be sent back.")
        )
    reason = check_text("reason", reason, RETURN_REASON_MAX)
    if blank(reason):
        raise ValidationError({"reason": _("Say why the investigation is sent back.")})
    check_date("on", on, after=locked.status_on, after_label=_("the transfer"))
    office_id = locked.prosecution_office_id
    locked.prosecution_office = None
    locked.status = InvestigationStatus.OPEN
    locked.status_on = on
    changed = ["prosecution_office", "status", "status_on"]
    locked.save(update_fields=changed)
    InvestigationHandoff.objects.create(
        investigation=locked,
        kind=Handoff.RETURNED,
        on=on,
        office_id=office_id,
        reason=reason,
        created_by=acting_user,
    )
    touch(locked, on)
    for link in locked.dossier_links.all():
        for grant in AccessGrant.objects.filter(
            source=_grant_source(link), organisation_id=office_id, revoked_at__isnull=True
        ):
            end_grant(grant, acting_user=acting_user)
    log.write(
        acting_user,
        "return_investigation",
        locked,
        [*changed, "handoffs"],
        organisation_id=office_id,
    )
    notify(
        Kind.INVESTIGATION_RETURNED,
        target=locked,
        reference=locked.reference,
        url=reverse("justice:detail", args=[locked.pk]),
        organisations=[locked.investigating_org_id],
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
    locked, org_id = lock_writable(acting_user, investigation)
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
    locked, org_id = lock_writable(acting_user, link.investigation)
    if locked.prosecutions.filter(participations__dossier_id=link.dossier_id).exists():
        raise ValidationError(_("This victim takes part in a prosecution; the link stays."))
    for grant in AccessGrant.objects.filter(source=_grant_source(link), revoked_at__isnull=True):
        end_grant(grant, acting_user=acting_user)
    log.write(acting_user, "unlink_dossier", link, ["dossier"], organisation_id=org_id)
    link.delete()


@transaction.atomic
def link_report(investigation, report, *, acting_user):
    locked, org_id = lock_writable(acting_user, investigation)
    if report is None:
        raise ValidationError({"report": _("Choose a hotline report you can see.")})
    _check_reports(acting_user, [report])
    locked.reports.add(report)
    log.write(acting_user, "link_report", locked, ["reports"], organisation_id=org_id)
    return locked
