"""Handing an erasure to the background worker: in a large database an erasure reads every
encrypted text once to find the person's mentions (mentions.py), minutes at a million persons,
longer than the web server lets a request last. The request is recorded "being erased" and its
task queued in one transaction; the worker erases (actions.erase_queued)."""

from django.db import transaction

from himaya.audit import log

from . import actions, tasks


@transaction.atomic
def queue_erasure(person, *, acting_user, reason):
    """The same checks as ``actions.erase_person``, then the request recorded "being erased"
    and its erasure queued. Returns the SubjectRequest."""
    person, org_id, reason = actions.checked_erasure(person, acting_user, reason)
    request = actions.new_erasure_request(person, acting_user, org_id, reason)
    log.write(acting_user, "queue_erasure", request, ["outcome"], organisation_id=org_id)
    tasks.erase_task.enqueue(request.pk)
    return request


def erase(person, *, acting_user, reason):
    """The erasure page's: here and now in a database of up to HIMAYA_ERASURE_INLINE_PERSONS
    persons (``actions.erase_person``), else queued (``queue_erasure``, the request "being
    erased"). Returns the SubjectRequest."""
    if actions.erasure_in_background():
        return queue_erasure(person, acting_user=acting_user, reason=reason)
    return actions.erase_person(person, acting_user=acting_user, reason=reason)
