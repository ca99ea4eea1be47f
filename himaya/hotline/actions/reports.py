"""The hotline's own writes on a report: take it, correct it before triage, pass it on to one
more organisation, add a note."""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.audit import log
from himaya.core import access
from himaya.core.actions import ensure_visible, save_versioned
from himaya.core.bidi import blank

from ..models import (
    SHARE_OUTCOMES,
    Channel,
    Outcome,
    Report,
    ReportAddition,
    ReportShare,
)
from .common import (
    ADDITION_MAX,
    EDITABLE_FIELDS,
    _announce_pass,
    _check_report,
    _clean_text,
    _next_reference,
    _writable,
)


@transaction.atomic
def record_report(*, acting_user, organisation, forms=(), **fields):
    """A report taken by a hotline operator (a call, a message, an e-mail, a walk-in)."""
    if organisation.pk not in access.hotline_org_ids(acting_user):
        raise PermissionDenied(_("You cannot take reports for this organisation."))
    fields = _clean_text({k: v for k, v in fields.items() if k in EDITABLE_FIELDS})
    if fields.get("channel") == Channel.WEB_TIP:
        raise ValidationError({"channel": _("Web tips arrive only through the public form.")})
    report = Report(
        received_by=organisation,
        taken_by=acting_user,
        # The reference carries the row id, known only after the insert: a unique stand-in.
        reference=f"tmp-{secrets.token_hex(8)}",
        **fields,
    )
    _check_report(report)
    report.save()
    report.reference = _next_reference(report)
    report.save(update_fields=["reference"])
    report.forms.set(forms)
    log.write(
        acting_user,
        "record_report",
        report,
        ["received_by", "taken_by"]
        + [f for f in EDITABLE_FIELDS if getattr(report, f) not in (None, "")]
        + (["forms"] if forms else []),
        organisation_id=organisation.pk,
    )
    ensure_visible(Report.objects, report, acting_user)
    return report


@transaction.atomic
def update_report(report, *, acting_user, expected_version, forms=None, **fields):
    """Correct a report before it is triaged; afterwards, notes record what changed."""
    _writable(acting_user, report)
    # The status as it is now, not as the caller read it.
    if Report.objects.select_for_update().get(pk=report.pk).is_triaged:
        raise ValidationError(_("A triaged report is not edited any more: add a note instead."))
    fields = _clean_text({k: v for k, v in fields.items() if k in EDITABLE_FIELDS})
    if "channel" in fields and (fields["channel"] == Channel.WEB_TIP) != report.is_web_tip:
        raise ValidationError(
            {"channel": _("A web tip stays a web tip, and only the public form makes one.")}
        )
    changed = [f for f in EDITABLE_FIELDS if f in fields and getattr(report, f) != fields[f]]
    if report.is_web_tip and "received_at" in changed:
        raise ValidationError({"received_at": _("A web tip keeps the time it arrived.")})
    for f in changed:
        setattr(report, f, fields[f])
    _check_report(report)
    save_versioned(report, changed, expected_version)
    if forms is not None and set(report.forms.all()) != set(forms):
        report.forms.set(forms)
        changed.append("forms")
    log.write(acting_user, "update_report", report, changed)
    return report, changed


@transaction.atomic
def share_report(report, *, acting_user, organisation):
    """Pass a report already passed to the police or referred to an NGO to one more such
    organisation (another unit, a shelter)."""
    _writable(acting_user, report)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.outcome not in SHARE_OUTCOMES:
        raise ValidationError(
            _("Only a report passed to the police or referred to an NGO is passed on further.")
        )
    allowed = SHARE_OUTCOMES[Outcome.POLICE] | SHARE_OUTCOMES[Outcome.NGO]
    if organisation is None or not organisation.active or organisation.type.code not in allowed:
        raise ValidationError(
            {"organisation": _("Choose an active police, gendarmerie, NGO, IO or shelter.")}
        )
    if report.shares.filter(organisation=organisation).exists():
        raise ValidationError({"organisation": _("The report was already passed to them.")})
    share = ReportShare.objects.create(report=report, organisation=organisation, by=acting_user)
    Report.objects.filter(pk=report.pk).update(updated_at=timezone.now())
    _announce_pass(report, organisation, acting_user)
    log.write(
        acting_user,
        "share_report",
        share,
        ["organisation"],
        organisation_id=access.hotline_acting_org_for(acting_user, report),
    )
    return share


@transaction.atomic
def add_note(report, *, acting_user, text):
    """A note of the hotline on a report (before or after triage)."""
    _writable(acting_user, report)
    text = (text or "").strip()
    if blank(text):
        raise ValidationError({"text": _("The note is empty.")})
    if len(text) > ADDITION_MAX:
        raise ValidationError(
            {"text": _("At most %(limit)s characters.") % {"limit": f"{ADDITION_MAX:,}"}}
        )
    org_id = access.hotline_acting_org_for(acting_user, report)
    addition = ReportAddition.objects.create(
        report=report, text=text, by=acting_user, organisation_id=org_id
    )
    Report.objects.filter(pk=report.pk).update(updated_at=timezone.now())
    log.write(acting_user, "add_report_note", addition, ["text"], organisation_id=org_id)
    return addition
