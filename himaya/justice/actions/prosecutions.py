"""Every write about a prosecution itself: start it, add its charges, record appeals and their
outcome. Court decisions, sentences and the court seized are in ``courts``; victims' parts in
``participations``.

A prosecution's status follows its decisions: "decided" once every charge has a final decision
(convicted, acquitted, dismissed) and no appeal is pending, "under appeal" while one is, else
"ongoing" (``refresh_status``)."""

import functools

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils.translation import gettext as _

from himaya.audit import log
from himaya.core import access

from ..legal import CODES as ARTICLE_CODES
from ..models import (
    FINAL_OUTCOMES,
    Appeal,
    AppealBy,
    AppealOutcome,
    Charge,
    CourtDecision,
    Investigation,
    Prosecution,
    ProsecutionStatus,
)
from . import run
from .common import check_code, check_date, check_external_ref, touch

MAX_COUNT = 999
PENDING = AppealOutcome.PENDING


def lock_prosecution(user, prosecution, q):
    """The prosecution, locked if the user may write it by the rule ``q``, and the
    organisation the user acts for on it. An import's rows lock and check it once a run and
    rule (run.Memo): the lock holds till the run's end."""
    return run.lock_once(user, Prosecution, prosecution.pk, q, access.prosecution_org_for)


@functools.cache
def _status_parts():
    """What ``refresh_status`` reads of each charge, built once (a process's): the outcome
    of its latest decision, and whether an appeal of its prosecution is pending."""
    latest = (
        CourtDecision.objects.filter(charge=OuterRef("pk"))
        .order_by("-decided_on", "-id")
        .values("outcome")[:1]
    )
    pending = Appeal.objects.filter(prosecution=OuterRef("prosecution"), outcome=PENDING)
    return Subquery(latest), Exists(pending)


def refresh_status(prosecution, *, undecided=False):
    """Derive the prosecution's status from its charges' decisions and its appeals: the latest
    decision of each charge (``Charge.final_decision``'s order) and whether an appeal is
    pending read in one query, whatever the number of charges (the import adds them a row at
    a time). ``undecided``: the caller just added a charge, which has no decision yet: the
    prosecution is not decided, whatever its other charges; only its appeals are read."""
    if undecided:
        rows, decided = [], False
    else:
        latest, pending = _status_parts()
        charges = prosecution.charges.annotate(outcome=latest, pending=pending)
        rows = list(charges.values_list("outcome", "pending"))
        outcomes = [outcome for outcome, _pending in rows]
        decided = bool(outcomes) and all(outcome in FINAL_OUTCOMES for outcome in outcomes)
    # With its charges (one query); else its appeals are asked.
    pending = rows[0][1] if rows else prosecution.appeals.filter(outcome=PENDING).exists()
    status = (
        ProsecutionStatus.APPEALED
        if pending
        else ProsecutionStatus.DECIDED
        if decided
        else ProsecutionStatus.ONGOING
    )
    if status != prosecution.status:
        prosecution.status = status
        Prosecution.objects.filter(pk=prosecution.pk).update(status=status)
    return status


@transaction.atomic
def start_prosecution(
    investigation,
    suspect,
    *,
    acting_user,
    office,
    started_on,
    court=None,
    external_ref="",
    warn=None,
):
    """A prosecution office starts a prosecution of a suspect of an investigation it sees.
    ``warn``: see ``actions.check_date`` (a prosecutor seized directly starts before the
    investigation's recorded opening)."""
    if office is None or office.pk not in access.prosecuting_org_ids(acting_user):
        raise ValidationError({"office": _("Choose your prosecution office.")})
    inv = run.seen(acting_user, Investigation).visible_to(acting_user)
    inv = inv.filter(pk=investigation.pk).first()
    if inv is None:
        raise PermissionDenied
    if suspect is None or not inv.suspect_links.filter(suspect=suspect).exists():
        raise ValidationError({"suspect": _("Choose a suspect of this investigation.")})
    if Prosecution.objects.filter(investigation=inv, suspect=suspect).exists():
        raise ValidationError({"suspect": _("This suspect is already prosecuted in this case.")})
    check_date(
        "started_on",
        started_on,
        after=inv.opened_on,
        after_label=_("the investigation"),
        warn=warn,
    )
    if court is not None and (not court.active or court.type.code not in access.COURT_ORG_TYPES):
        raise ValidationError({"court": _("Choose an active court.")})
    external_ref = check_external_ref(Prosecution, "office", office.pk, external_ref)
    prosecution = Prosecution.objects.create(
        suspect=suspect,
        investigation=inv,
        started_on=started_on,
        office=office,
        court=court,
        last_event_on=started_on,
        created_by=acting_user,
        external_ref=external_ref,
    )
    log.write(
        acting_user,
        "start_prosecution",
        prosecution,
        ["suspect", "investigation", "started_on", "office"] + (["court"] if court else []),
        organisation_id=office.pk,
    )
    return prosecution


@transaction.atomic
def add_charge(prosecution, *, acting_user, article, form, count=None, external_ref=""):
    """A charge: a legal article and the form of exploitation it is about. Two counts of the
    same article and form (two victims) are told apart by their number (``count``, 1 first)."""
    locked, org_id = lock_prosecution(
        acting_user, prosecution, access.prosecution_write_q(acting_user)
    )
    if article not in ARTICLE_CODES:
        raise ValidationError({"article": _("Choose the legal article.")})
    check_code("form", form, "exploitation_form", required=True)
    count = 1 if count in (None, "") else count
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_COUNT:
        raise ValidationError(
            {"count": _("Enter a count number from 1 to %(n)s.") % {"n": MAX_COUNT}}
        )
    same = locked.charges.filter(article=article, form=form)
    if same.filter(count=count).exists():
        free = max(same.values_list("count", flat=True)) + 1
        raise ValidationError(
            {
                "article": _(
                    "This prosecution already has a charge of this article and form with count "
                    "number %(n)s. A count for another victim takes its own count number "
                    "(%(free)s is free)."
                )
                % {"n": count, "free": free}
            }
        )
    external_ref = check_external_ref(Charge, "organisation", org_id, external_ref)
    charge = Charge.objects.create(
        prosecution=locked,
        article=article,
        form=form,
        count=count,
        organisation_id=org_id,
        created_by=acting_user,
        external_ref=external_ref,
    )
    refresh_status(locked, undecided=True)
    log.write(
        acting_user,
        "add_charge",
        charge,
        ["article", "form"] + (["count"] if count != 1 else []),
        organisation_id=org_id,
    )
    return charge


@transaction.atomic
def record_appeal(prosecution, *, acting_user, lodged_on, lodged_by, external_ref=""):
    """An appeal against the first-instance decisions of a prosecution."""
    locked, org_id = lock_prosecution(
        acting_user, prosecution, access.prosecution_decide_q(acting_user)
    )
    if lodged_by not in AppealBy.values:
        raise ValidationError({"lodged_by": _("Say who appealed.")})
    first = CourtDecision.objects.filter(charge__prosecution=locked).order_by("decided_on").first()
    if first is None:
        raise ValidationError(_("An appeal follows a court decision; record the decision first."))
    check_date("lodged_on", lodged_on, after=first.decided_on, after_label=_("the decision"))
    external_ref = check_external_ref(Appeal, "organisation", org_id, external_ref)
    appeal = Appeal.objects.create(
        prosecution=locked,
        lodged_on=lodged_on,
        lodged_by=lodged_by,
        organisation_id=org_id,
        recorded_by=acting_user,
        external_ref=external_ref,
    )
    touch(locked, lodged_on)
    refresh_status(locked)
    log.write(
        acting_user, "record_appeal", appeal, ["lodged_on", "lodged_by"], organisation_id=org_id
    )
    return appeal


@transaction.atomic
def decide_appeal(appeal, *, acting_user, outcome, decided_on):
    locked, org_id = lock_prosecution(
        acting_user, appeal.prosecution, access.prosecution_decide_q(acting_user)
    )
    if appeal.outcome != AppealOutcome.PENDING:
        raise ValidationError(_("This appeal was already decided."))
    if outcome not in AppealOutcome.values or outcome == AppealOutcome.PENDING:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    check_date("decided_on", decided_on, after=appeal.lodged_on, after_label=_("the appeal"))
    appeal.outcome = outcome
    appeal.decided_on = decided_on
    appeal.save(update_fields=["outcome", "decided_on"])
    touch(locked, decided_on)
    refresh_status(locked)
    log.write(
        acting_user, "decide_appeal", appeal, ["outcome", "decided_on"], organisation_id=org_id
    )
    return appeal
