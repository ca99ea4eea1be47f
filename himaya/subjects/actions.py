"""The data subject's requests (Law 09-08), as actions (DESIGN.md convention 1): a copy of what
the requester's organisation holds about a person, and the person's erasure under the legal
holds that apply. Each records a SubjectRequest routed to the national commission for the
organisations the requester cannot see, and writes its audit rows in the same transaction."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from himaya.accounts.models import Organisation
from himaya.audit import log
from himaya.cases.models import Dossier
from himaya.core import access, crypto, names
from himaya.core.bidi import blank
from himaya.hotline.models import Report
from himaya.justice.models import DossierLink, Participation
from himaya.notifications.actions import job_done, notify
from himaya.notifications.models import Kind as NoticeKind
from himaya.people.models import Person
from himaya.screening.models import Screening

from . import erasure, export, holds
from .models import SubjectRequest

REASON_MAX = 2000


def answering_org_id(user, person):
    """The organisation that answers: the one that registered the person when the user is
    one of its victim-handling members, else theirs that owns one of the person's dossiers."""
    orgs = access.victim_org_ids(user)
    if person.registered_by_id in orgs:
        return person.registered_by_id
    owned = (
        Dossier.objects.filter(person=person, owner_org_id__in=orgs)
        .order_by("owner_org_id")
        .values_list("owner_org_id", flat=True)
    )
    return owned.first() or access.primary_org_id(user)


def other_holders(person, user):
    """Organisations holding a record of this person (or of a record linked to it as the same
    person) that the user's organisations cannot see."""
    root = person.same_as_id or person.pk
    group = Person.objects.filter(Q(pk=root) | Q(same_as_id=root))
    mine = access.member_org_ids(user)
    seen = Dossier.objects.visible_to(user).values("pk")
    orgs = set(
        group.exclude(pk__in=Person.objects.visible_to(user).values("pk")).values_list(
            "registered_by_id", flat=True
        )
    )
    dossiers = Dossier.objects.filter(person__in=group)
    orgs |= set(dossiers.exclude(pk__in=seen).values_list("owner_org_id", flat=True))
    orgs |= set(
        Screening.objects.filter(Q(person__in=group) | Q(dossier__in=dossiers))
        .exclude(pk__in=Screening.objects.visible_to(user).values("pk"))
        .values_list("organisation_id", flat=True)
    )
    orgs |= set(
        Report.objects.filter(dossier__in=dossiers)
        .exclude(pk__in=Report.objects.visible_to(user).values("pk"))
        .exclude(received_by=None)
        .values_list("received_by_id", flat=True)
    )
    for model in (DossierLink, Participation):
        orgs |= set(
            model.objects.filter(dossier__in=dossiers).values_list("organisation_id", flat=True)
        )
    return Organisation.objects.filter(pk__in=orgs - mine)


def may_export(user, person) -> bool:
    return Person.objects.writable_by(user).filter(pk=person.pk).exists()


def erasure_refusal(user, person, *, queued=None):
    """Why ``user`` may not erase ``person`` (a translated sentence), or None. An erasure of the
    person already queued refuses another; the worker's own (``queued``) is not counted."""
    under_way = SubjectRequest.objects.filter(
        person=person, kind=SubjectRequest.Kind.ERASURE, outcome=SubjectRequest.Outcome.ERASING
    )
    if queued is not None:
        under_way = under_way.exclude(pk=queued.pk)
    if under_way.exists():
        return _("An erasure of this person is already under way.")
    if not may_export(user, person):
        return _("You cannot change this person's record.")
    if person.registered_by_id not in access.subject_eraser_org_ids(user):
        return _(
            "Only an organisation admin of the organisation that registered the person, who "
            "also works with victims there, may erase them."
        )
    elsewhere = Dossier.objects.filter(person=person).exclude(
        owner_org_id__in=access.victim_org_ids(user)
    )
    if elsewhere.exists():
        return _(
            "Another organisation owns a dossier of this person: ask it, through the national "
            "commission, to answer the request."
        )
    return None


def _without_names(text, person):
    """The reason as typed, less any word of the person's own names."""
    own = {crypto.blind_digest(k) for k in person.name_index_keys() if k[:2] == "x:"}

    def word(match):
        keys = {crypto.blind_digest(k) for k in names.exact_keys(match.group(0))}
        return export.REDACTED if keys & own else match.group(0)

    return export.WORD.sub(word, text)


def _request(person, user, kind, outcome, org_id, **fields):
    request = SubjectRequest.objects.create(
        kind=kind,
        outcome=outcome,
        person=person,
        person_number=person.pk,
        organisation_id=org_id,
        requested_by=user,
        **fields,
    )
    request.holders.set(other_holders(person, user))
    # Every request is routed to the national commission, which passes it on (even with no
    # other holder, so that the requester learns nothing): its linkage officers are told.
    notify(
        NoticeKind.SUBJECT_REQUEST,
        target=request,
        reference=request.reference,
        detail=SubjectRequest.Kind(kind).label,
        url=reverse("subjects:detail", args=[request.pk]),
        organisations=Organisation.objects.filter(
            active=True, type__code__in=access.NATIONAL_ORG_TYPES
        ).values_list("pk", flat=True),
        actor=user,
    )
    return request


@transaction.atomic
def subject_access_export(person, *, acting_user):
    """(SubjectRequest, JSON bytes) of everything ``acting_user``'s organisation may see about
    ``person``: the caller hands it over as an encrypted export."""
    if not may_export(acting_user, person):
        raise PermissionDenied(_("You cannot change this person's record."))
    org_id = answering_org_id(acting_user, person)
    request = _request(
        person,
        acting_user,
        SubjectRequest.Kind.ACCESS,
        SubjectRequest.Outcome.EXPORTED,
        org_id,
    )
    data, counts = export.build_document(person, acting_user, reference=request.reference)
    request.counts = counts
    request.save(update_fields=["counts"])
    log.write(acting_user, "subject_access_export", request, ["counts"], organisation_id=org_id)
    log.read(acting_user, person.pk, person, "subject access export")
    return request, data


def checked_erasure(person, acting_user, reason):
    """``(person locked, answering organisation, reason)`` of an erasure ``acting_user`` may
    ask for; raises ValidationError (the reason) or PermissionDenied. In a transaction."""
    reason = (reason or "").strip()
    if blank(reason):
        raise ValidationError({"reason": _("Say why the person's data is erased.")})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": _("Keep the reason under %(max)s characters.") % {"max": REASON_MAX}}
        )
    person = Person.objects.select_for_update().get(pk=person.pk)
    refusal = erasure_refusal(acting_user, person)
    if refusal:
        raise PermissionDenied(refusal)
    return person, answering_org_id(acting_user, person), reason


def _erase(person, acting_user, org_id, request):
    """Erase ``person`` for ``request`` (its outcome and holds set here): the whole of it, or
    only the identity under a legal hold. Returns the request."""
    found = holds.legal_holds(person)
    request.outcome = SubjectRequest.Outcome.ANONYMISED if found else SubjectRequest.Outcome.REMOVED
    request.holds = found
    log.write(
        acting_user,
        "anonymise_person" if found else "erase_person",
        person,
        ["identity", "documents", "free_text"] + ([] if found else ["records"]),
        organisation_id=org_id,
    )
    request.counts = erasure.erase(person, hold=bool(found))
    request.save(update_fields=["outcome", "holds", "counts"])
    log.write(acting_user, "subject_erasure", request, ["counts", "holds"], organisation_id=org_id)
    return request


@transaction.atomic
def erase_person(person, *, acting_user, reason):
    """Erase ``person``: remove them, or only their identity when a legal hold applies.
    Returns the SubjectRequest that says which, and what was removed."""
    person, org_id, reason = checked_erasure(person, acting_user, reason)
    request = new_erasure_request(person, acting_user, org_id, reason)
    return _erase(person, acting_user, org_id, request)


def new_erasure_request(person, acting_user, org_id, reason):
    """The erasure's SubjectRequest, "being erased" until ``_erase`` says how it ended."""
    return _request(
        person,
        acting_user,
        SubjectRequest.Kind.ERASURE,
        SubjectRequest.Outcome.ERASING,
        org_id,
        reason=_without_names(reason, person),
    )


def erasure_in_background() -> bool:
    """Whether an erasure is done by the background worker: it reads every encrypted text of
    the database once (mentions.py), minutes at a million persons."""
    limit = settings.HIMAYA_ERASURE_INLINE_PERSONS
    return Person.objects.all()[: limit + 1].count() > limit


def _still_erasing(request_id):
    """The request, locked, if it is still being erased (else None)."""
    return (
        SubjectRequest.objects.select_for_update()
        .select_related("requested_by")
        .filter(pk=request_id, outcome=SubjectRequest.Outcome.ERASING)
        .first()
    )


def erase_queued(request_id):
    """The worker's erasure of a request queued by ``background.queue_erasure``, as its
    requester: checked again (the person may have changed hands meanwhile), then done in one
    transaction; or the request marked failed, nothing erased, when it is refused then or the
    erasure itself fails (its transaction rolled back). The requester is told either way."""
    try:
        with transaction.atomic():
            request = _still_erasing(request_id)
            if request is None:  # done already (a task run twice)
                return None
            user = request.requested_by
            person = Person.objects.select_for_update().filter(pk=request.person_id).first()
            refused = person is None or erasure_refusal(user, person, queued=request)
            if not refused:
                _erase(person, user, request.organisation_id, request)
                _told(request, ok=True)
                return request
    except Exception:
        fail_erasure(request_id)
        raise
    fail_erasure(request_id)
    return SubjectRequest.objects.get(pk=request_id)


def fail_erasure(request_id):
    """End a request still "being erased" as not erased (refused when its turn came, failed,
    or left by a worker killed mid-way: nothing was erased, its transaction never committed),
    with its audit row; the requester is told. Returns whether it was ended."""
    with transaction.atomic():
        request = _still_erasing(request_id)
        if request is None:
            return False
        request.outcome = SubjectRequest.Outcome.FAILED
        request.save(update_fields=["outcome"])
        log.write(
            request.requested_by,
            "fail_erasure",
            request,
            ["outcome"],
            organisation_id=request.organisation_id,
        )
        _told(request, ok=False)
    return True


def _told(request, *, ok):
    job_done(
        request.requested_by,
        what=gettext_lazy("The erasure"),
        reference=request.reference,
        url=reverse("subjects:detail", args=[request.pk]),
        ok=ok,
        target=request,
    )


# A request still "being erased" this long after it was recorded: its worker was killed.
LOST_AFTER = datetime.timedelta(hours=24)


def fail_lost_erasures(now=None):
    """``himaya notify``'s housekeeping: end the erasures no worker finished (fail_erasure),
    so that the person can be asked for again. Returns how many were ended."""
    now = now or timezone.now()
    lost = SubjectRequest.objects.filter(
        outcome=SubjectRequest.Outcome.ERASING, created_at__lt=now - LOST_AFTER
    ).values_list("pk", flat=True)
    return sum(fail_erasure(pk) for pk in list(lost))


def fail_lost_on_schedule(sender, now, **kwargs):
    """The housekeeping signal's receiver (notifications.housekeeping)."""
    return f"erasures no worker finished, ended: {fail_lost_erasures(now)}"


@transaction.atomic
def mark_passed_on(request, *, acting_user):
    """The commission passed the request on to the other holders."""
    if not access.is_linkage_officer(acting_user):
        raise PermissionDenied
    if request.forward == SubjectRequest.Forward.PASSED:
        raise ValidationError(_("This request was already passed on."))
    request.forward = SubjectRequest.Forward.PASSED
    request.forwarded_at = timezone.now()
    request.save(update_fields=["forward", "forwarded_at"])
    log.write(acting_user, "pass_on_subject_request", request, ["forward", "forwarded_at"])
    return request
