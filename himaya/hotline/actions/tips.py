"""The public side of the hotline: a web tip and its receipt code, and what its reporter adds
later with that code."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from himaya.audit import log
from himaya.core.bidi import blank

from ..models import (
    CallerType,
    Channel,
    Hold,
    Report,
    ReportAddition,
    Urgency,
)
from .common import (
    ADDITION_MAX,
    MAX_PUBLIC_ADDITIONS,
    _announce_held_danger,
    _announce_urgent_tip,
    _check_report,
    _clean_text,
    _next_reference,
)

# Receipt codes: 16 symbols of a 32-letter alphabet without 0/O and 1/I (80 random bits),
# shown in groups of four.
RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
RECEIPT_LENGTH = 16


def new_receipt_code():
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


def format_receipt(code):
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise_receipt(text):
    """The code as stored, from what a person typed (any case, spaces or dashes), or None when
    it cannot be a receipt code."""
    code = "".join(ch for ch in (text or "").upper() if ch not in " -\t")
    if len(code) != RECEIPT_LENGTH or any(ch not in RECEIPT_ALPHABET for ch in code):
        return None
    return code


def receipt_digest(code):
    return hashlib.sha256(code.encode("ascii")).hexdigest()


@transaction.atomic
def submit_tip(
    *,
    narrative,
    urgency,
    region=None,
    city="",
    possible_victims="",
    reporter_contact="",
    caller_type=CallerType.ANONYMOUS,
    language=None,
    hold="",
):
    """A web tip from the public form: no account, nothing about the reporter but what they
    chose to give. Returns the report and its receipt code, which is kept only as a hash.

    ``hold`` (a ``Hold``) keeps the tip out of the triage queue until the hotline reviews it
    in bulk; a held tip alerts no one on its own, so a flood cannot flood the alerts too."""
    fields = _clean_text(
        {
            "narrative": narrative,
            "city": city,
            "possible_victims": possible_victims,
            "reporter_contact": reporter_contact,
        }
    )
    code = new_receipt_code()
    report = Report(
        channel=Channel.WEB_TIP,
        urgency=urgency,
        region=region,
        caller_type=caller_type,
        language=language,
        receipt_digest=receipt_digest(code),
        reference=f"tmp-{secrets.token_hex(8)}",
        hold=Hold(hold) if hold else "",
        **fields,
    )
    _check_report(report)
    report.save()
    report.reference = _next_reference(report)
    report.save(update_fields=["reference"])
    log.write(
        None,
        "submit_tip",
        report,
        ["channel", "urgency", "caller_type", "narrative"]
        + [f for f in ("region", "language") if getattr(report, f) is not None]
        + [f for f in ("city", "possible_victims", "reporter_contact") if fields[f]]
        + (["hold"] if report.hold else []),
    )
    if not report.hold:
        _announce_urgent_tip(report)
    elif report.urgency == Urgency.IMMEDIATE:
        _announce_held_danger(report)
    return report, code


def find_tip(code_text):
    """The web tip of a receipt code, or None (a read, for the public follow-up page)."""
    code = normalise_receipt(code_text)
    if code is None:
        return None
    return (
        Report.objects.select_related("dossier")
        .filter(receipt_digest=receipt_digest(code), channel=Channel.WEB_TIP)
        .first()
    )


@transaction.atomic
def add_tip_information(code_text, text):
    """What a reporter adds later with their receipt code. Returns whether it was added; the
    public page answers the same either way, so a guessed code teaches nothing."""
    code = normalise_receipt(code_text)
    text = (text or "").strip()
    if code is None or blank(text) or len(text) > ADDITION_MAX:
        return False
    report = (
        Report.objects.select_for_update()
        .filter(receipt_digest=receipt_digest(code), channel=Channel.WEB_TIP)
        .first()
    )
    if report is None:
        return False
    if report.additions.filter(by__isnull=True).count() >= MAX_PUBLIC_ADDITIONS:
        return False
    addition = ReportAddition.objects.create(report=report, text=text)
    Report.objects.filter(pk=report.pk).update(updated_at=timezone.now())
    log.write(None, "add_tip_information", addition, ["text"])
    return True
