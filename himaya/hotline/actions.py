"""Every write about a hotline report: take a report, receive a web tip and what its reporter
adds later, edit before triage, triage (one action per outcome), pass on, add a note.

Each action is atomic, validates, saves and writes its audit row in the same transaction
(DESIGN.md convention 1). Audit rows carry field names, never the text itself."""

import datetime
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.accounts.models import Organisation
from himaya.audit import log
from himaya.cases import actions as case_actions
from himaya.cases.models import Dossier
from himaya.core import access
from himaya.core.actions import ensure_visible, save_versioned
from himaya.core.errors import Conflict
from himaya.notifications.actions import notify
from himaya.notifications.models import Kind
from himaya.people import actions as people_actions

from .models import (
    SHARE_OUTCOMES,
    CallerType,
    Channel,
    Hold,
    Outcome,
    Report,
    ReportAddition,
    ReportShare,
    Status,
    Urgency,
)

URGENT_LEVELS = (Urgency.IMMEDIATE, Urgency.URGENT)

# Longest text accepted per field (the forms and the API say the same).
TEXT_LIMITS = {
    "narrative": 10000,
    "possible_victims": 2000,
    "suspects": 2000,
    "city": 100,
    "reporter_contact": 300,
}
NOTE_MAX = 5000
ADDITION_MAX = 5000
# What one web tip may receive through its receipt code: enough for any reporter, not a flood.
MAX_PUBLIC_ADDITIONS = 30
# A report may be dated a little ahead of the server clock (a phone's clock), not more.
CLOCK_SKEW = datetime.timedelta(minutes=5)

EDITABLE_FIELDS = [
    "channel",
    "received_at",
    "caller_type",
    "language",
    "region",
    "city",
    "possible_victims",
    "suspects",
    "urgency",
    "narrative",
    "reporter_contact",
]

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


def _next_reference(report):
    year = timezone.localtime(report.received_at).year
    return f"HL-{year}-{report.pk:06d}"


def _clean_text(fields):
    """Strip the free text and refuse what is too long (the forms say so first)."""
    for name, limit in TEXT_LIMITS.items():
        if name in fields:
            value = (fields[name] or "").strip()
            if len(value) > limit:
                raise ValidationError(
                    {name: _("At most %(limit)s characters.") % {"limit": f"{limit:,}"}}
                )
            fields[name] = value
    return fields


def _check_report(report):
    if not report.narrative:
        raise ValidationError({"narrative": _("Say what happened.")})
    if report.received_at > timezone.now() + CLOCK_SKEW:
        raise ValidationError({"received_at": _("A report cannot be received in the future.")})
    report.full_clean(
        exclude=["reference", "received_by", "taken_by", "dossier", "triaged_by", "triage_org"]
    )


def _writable(user, report):
    if not Report.objects.writable_by(user).filter(pk=report.pk).exists():
        raise PermissionDenied


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


def _announce_held_danger(report):
    """A tip in immediate danger held over its address's limit must not wait unseen for the
    bulk review; but a flood must not flood the hotline either: one notice an hour, pointing
    to the held queue, however many such tips arrive."""
    hour = timezone.now().strftime("%Y-%m-%dT%H")
    notify(
        Kind.TIP_HELD_DANGER,
        target=None,
        reference=report.reference,
        detail=Urgency(report.urgency).label,
        url=reverse("hotline:list") + "?held=over_address_limit",
        urgent=True,
        organisations=Organisation.objects.filter(
            active=True, type__code__in=access.HOTLINE_ORG_TYPES
        ).values_list("pk", flat=True),
        key=f"tip_held_danger:{hour}",
    )


def _announce_urgent_tip(report, actor=None):
    """An urgent web tip waits for no one: every active hotline learns of it."""
    if report.urgency not in URGENT_LEVELS:
        return
    notify(
        Kind.TIP_URGENT,
        target=report,
        reference=report.reference,
        detail=Urgency(report.urgency).label,
        url=reverse("hotline:detail", args=[report.pk]),
        urgent=True,
        organisations=Organisation.objects.filter(
            active=True, type__code__in=access.HOTLINE_ORG_TYPES
        ).values_list("pk", flat=True),
        actor=actor,
    )


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
    if code is None or not text or len(text) > ADDITION_MAX:
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


# --- triage ----------------------------------------------------------------------------------


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


def _announce_pass(report, organisation, acting_user):
    """The organisation a report is passed to learns of it; urgency marks it urgent."""
    notify(
        Kind.REPORT_ROUTED,
        target=report,
        reference=report.reference,
        detail=Urgency(report.urgency).label,
        url=reverse("hotline:detail", args=[report.pk]),
        urgent=report.urgency in URGENT_LEVELS,
        organisations=[organisation.pk],
        actor=acting_user,
    )


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
    if not (note or "").strip():
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
    if not text:
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
