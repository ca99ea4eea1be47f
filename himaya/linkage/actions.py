"""The linkage desk's decisions: link, different persons, ask the organisations, unlink; and
sending a pair to the desk. Each is atomic and audited; only the national commission's linkage
officers decide (core.access.is_linkage_officer)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.audit import log
from himaya.core import access
from himaya.core.actions import link_records, unlink_record
from himaya.core.bidi import blank
from himaya.notifications.actions import notify
from himaya.notifications.models import Kind

from .models import CandidatePair, DeskRequest, Notice, PairStatus, Question, Subject
from .records import current_versions

NOTE_MAX = 2000


def _officer(user):
    if not access.is_linkage_officer(user):
        raise PermissionDenied(_("Only the linkage officers of the national commission decide."))
    return min(access.linkage_org_ids(user))


def _locked(pair, *, statuses):
    locked = CandidatePair.objects.select_for_update().get(pk=pair.pk)
    if locked.status not in statuses:
        raise ValidationError(_("This pair was decided meanwhile; reload the page."))
    return locked


def _note(note, *, required=False):
    note = (note or "").strip()
    if required and blank(note):
        raise ValidationError({"note": _("Say why.")})
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": _("Keep it under %(n)d characters.") % {"n": NOTE_MAX}})
    return note


def _owners(pair):
    """Each record of the pair with the organisations holding it: its registering
    organisation, and for a victim the owners of its dossiers."""
    out = []
    for record in (pair.left, pair.right):
        orgs = {record.registered_by_id}
        if pair.subject == Subject.PERSON:
            orgs |= set(record.dossiers.values_list("owner_org_id", flat=True))
        out.append((record, orgs))
    return out


def _notify(pair, kind):
    field = "person" if pair.subject == Subject.PERSON else "suspect"
    Notice.objects.bulk_create(
        [
            Notice(organisation_id=org, pair=pair, kind=kind, **{field: record})
            for record, orgs in _owners(pair)
            for org in sorted(orgs)
        ]
    )


def _decide(pair, user, status, note):
    pair.status = status
    pair.decided_by = user
    pair.decided_at = timezone.now()
    pair.decision_note = note
    pair.left_version, pair.right_version = current_versions(
        pair.subject, pair.left.pk, pair.right.pk
    )
    pair.version += 1
    pair.updated_at = pair.decided_at
    fields = [
        "status",
        "decided_by",
        "decided_at",
        "decision_note",
        "left_version",
        "right_version",
        "version",
        "updated_at",
    ]
    pair.save(update_fields=fields)
    return fields


@transaction.atomic
def link_pair(pair, *, acting_user, note=""):
    """The two records are one person: the newer record is linked to the older, figures count
    them once from now on, and the organisations holding either record are told."""
    org = _officer(acting_user)
    note = _note(note)
    pair = _locked(pair, statuses=(PairStatus.OPEN, PairStatus.ASKED))
    left, right = pair.left, pair.right
    if left.same_as_id and left.same_as_id == (right.same_as_id or right.pk):
        raise ValidationError(_("These records are already linked."))
    link_records(right, left)
    log.write(acting_user, "link_same_person", right, ["same_as"], organisation_id=org)
    changed = _decide(pair, acting_user, PairStatus.LINKED, note)
    log.write(acting_user, "linkage_link", pair, changed, organisation_id=org)
    _notify(pair, Notice.Kind.LINKED)
    return pair


@transaction.atomic
def unlink_pair(pair, *, acting_user, note):
    """Undo a link made on the desk, with a reason: the newer record counts on its own again."""
    org = _officer(acting_user)
    note = _note(note, required=True)
    pair = _locked(pair, statuses=(PairStatus.LINKED,))
    right = pair.right
    if right.same_as_id is None:
        raise ValidationError(_("These records are not linked."))
    unlink_record(right)
    log.write(acting_user, "unlink_same_person", right, ["same_as"], organisation_id=org)
    changed = _decide(pair, acting_user, PairStatus.UNLINKED, note)
    log.write(acting_user, "linkage_unlink", pair, changed, organisation_id=org)
    _notify(pair, Notice.Kind.UNLINKED)
    return pair


@transaction.atomic
def mark_different(pair, *, acting_user, note=""):
    """Two persons: remembered, and not proposed again unless one of the records changes."""
    org = _officer(acting_user)
    note = _note(note)
    pair = _locked(pair, statuses=(PairStatus.OPEN, PairStatus.ASKED))
    changed = _decide(pair, acting_user, PairStatus.DIFFERENT, note)
    log.write(acting_user, "linkage_different", pair, changed, organisation_id=org)
    return pair


@transaction.atomic
def ask_owners(pair, *, acting_user, text):
    """A question to the organisations holding each record, about their own record only."""
    org = _officer(acting_user)
    text = _note(text, required=True)
    pair = _locked(pair, statuses=(PairStatus.OPEN, PairStatus.ASKED, PairStatus.LINKED))
    field = "person" if pair.subject == Subject.PERSON else "suspect"
    questions = [
        Question(pair=pair, organisation_id=owner, asked_by=acting_user, text=text, **{field: rec})
        for rec, orgs in _owners(pair)
        for owner in [rec.registered_by_id]
    ]
    Question.objects.bulk_create(questions)
    changed = ["questions"]
    if pair.status == PairStatus.OPEN:
        CandidatePair.objects.filter(pk=pair.pk).update(status=PairStatus.ASKED)
        pair.status = PairStatus.ASKED
        changed.append("status")
    log.write(acting_user, "linkage_ask", pair, changed, organisation_id=org)
    notify(
        Kind.LINKAGE_QUESTION,
        reference=f"#{pair.pk}",
        url=reverse("linkage:questions"),
        organisations=[q.organisation_id for q in questions],
        actor=acting_user,
    )
    return questions


@transaction.atomic
def request_contact(pair, *, acting_user, organisation_id, text):
    """An organisation holding one record of a linked person asks the desk to put it in touch
    with the organisation holding the other (for a referral or an access grant)."""
    if organisation_id not in access.victim_org_ids(acting_user):
        raise PermissionDenied
    text = _note(text, required=True)
    request = DeskRequest.objects.create(
        pair=pair, organisation_id=organisation_id, text=text, requested_by=acting_user
    )
    log.write(acting_user, "linkage_request", request, ["text"], organisation_id=organisation_id)
    return request


@transaction.atomic
def answer_question(question, *, acting_user, answer):
    """An organisation answers the desk's question about its own record."""
    if question.organisation_id not in access.victim_org_ids(acting_user) and (
        question.organisation_id not in access.justice_org_ids(acting_user)
    ):
        raise PermissionDenied
    answer = _note(answer, required=True)
    locked = Question.objects.select_for_update().get(pk=question.pk)
    if locked.answered_at is not None:
        raise ValidationError(_("This question was already answered."))
    locked.answer = answer
    locked.answered_by = acting_user
    locked.answered_at = timezone.now()
    locked.save(update_fields=["answer", "answered_by", "answered_at"])
    log.write(
        acting_user,
        "linkage_answer",
        locked,
        ["answer", "answered_by", "answered_at"],
        organisation_id=locked.organisation_id,
    )
    notify(
        Kind.LINKAGE_ANSWER,
        target=locked.pair,
        reference=f"#{locked.pair_id}",
        url=reverse("linkage:pair", args=[locked.pair_id]),
        users=[locked.asked_by_id],
        actor=acting_user,
    )
    return locked
