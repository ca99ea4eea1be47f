"""Writing audit rows: writes are logged by the actions inside their transaction (and by the
few framework hooks that write outside one: lockouts, session expiry, the configuration site);
reads of a person's identity and refused attempts by the code that fetches the record."""

import contextlib
import contextvars

from himaya.core.middleware import current_request_id

from .models import AccessEvent, AuditEvent, Outcome

_acting_org = contextvars.ContextVar("acting_org", default=None)
_buffer = contextvars.ContextVar("audit_buffer", default=None)


class Buffer:
    """Audit rows built as they happen (their time, actor, request and content are the ones
    an immediate write would give) and inserted together by ``flush``: an import writes a
    chunk of rows' audit in one statement a table instead of one a row. Whoever opens the
    buffer (``buffered``) flushes it in the same transaction, and ``discard``s what the rows
    rolled back had logged (``mark`` before each)."""

    def __init__(self):
        self.writes = []
        self.reads = []

    def mark(self):
        return len(self.writes), len(self.reads)

    def discard(self, mark):
        del self.writes[mark[0] :]
        del self.reads[mark[1] :]

    def pending(self):
        return len(self.writes) + len(self.reads)

    def flush(self):
        writes, self.writes = self.writes, []
        reads, self.reads = self.reads, []
        AuditEvent.objects.bulk_create(writes, batch_size=500)
        AccessEvent.objects.bulk_create(reads, batch_size=500)


@contextlib.contextmanager
def buffered():
    """Hold this context's audit rows in a Buffer (yielded), flushed when it ends without an
    error (after an error the transaction they belonged to is rolled back anyway)."""
    buffer = Buffer()
    token = _buffer.set(buffer)
    try:
        yield buffer
    finally:
        _buffer.reset(token)
    buffer.flush()


def set_acting_org(org_id):
    """Name the organisation of this request's audit rows; returns a token for reset."""
    return _acting_org.set(org_id)


def acting_org():
    return _acting_org.get()


def reset_acting_org(token):
    _acting_org.reset(token)


def _actor(user):
    if user is None or not getattr(user, "is_authenticated", False):
        return None, ""
    return user.pk, user.get_username()


def _label(obj):
    if isinstance(obj, tuple):
        return obj
    return obj._meta.label_lower, str(obj.pk) if obj.pk is not None else ""


def write(user, action, obj, changed_fields=(), *, organisation_id=None, outcome=Outcome.OK):
    actor_id, username = _actor(user)
    object_type, object_id = _label(obj)
    event = AuditEvent(
        actor_id=actor_id,
        actor_username=username,
        organisation_id=organisation_id or _acting_org.get(),
        request_id=current_request_id(),
        action=action,
        object_type=object_type,
        object_id=object_id,
        changed_fields=sorted(set(changed_fields)),
        outcome=outcome,
    )
    return _save(event, "writes")


def read(user, person_id, obj, purpose, *, outcome=Outcome.OK):
    actor_id, username = _actor(user)
    object_type, object_id = _label(obj)
    event = AccessEvent(
        actor_id=actor_id,
        actor_username=username,
        organisation_id=_acting_org.get(),
        request_id=current_request_id(),
        person_id=person_id,
        object_type=object_type,
        object_id=object_id,
        purpose=purpose,
        outcome=outcome,
    )
    return _save(event, "reads")


def _save(event, kind):
    """Insert ``event`` now, or hold it in this context's Buffer."""
    buffer = _buffer.get()
    if buffer is not None:
        getattr(buffer, kind).append(event)
    else:
        event.save(force_insert=True)
    return event


def read_many(user, person_ids, object_type, purpose):
    """One row per person shown on a list page, in one insert."""
    _read_rows(user, object_type, purpose, [(pid, pid) for pid in person_ids])


def read_records(user, object_type, object_ids, purpose):
    """One row per record shown on a list page that is no person's record (a suspect), in one
    insert: what ``read(user, None, (object_type, id), purpose)`` writes for each."""
    _read_rows(user, object_type, purpose, [(None, oid) for oid in object_ids])


def read_listed(user, purpose, shown):
    """One row per record shown on a list page, ``shown`` being (person id or None, record)
    pairs, in one insert a record type: what ``read(user, person_id, record, purpose)`` writes
    for each."""
    by_type = {}
    for person_id, record in shown:
        object_type, object_id = _label(record)
        by_type.setdefault(object_type, []).append((person_id, object_id))
    for object_type, rows in by_type.items():
        _read_rows(user, object_type, purpose, rows)


def _read_rows(user, object_type, purpose, rows):
    actor_id, username = _actor(user)
    common = dict(
        actor_id=actor_id,
        actor_username=username,
        organisation_id=_acting_org.get(),
        request_id=current_request_id(),
        object_type=object_type,
        purpose=purpose,
    )
    events = [AccessEvent(person_id=pid, object_id=str(oid), **common) for pid, oid in rows]
    buffer = _buffer.get()
    if buffer is not None:
        buffer.reads.extend(events)
    else:
        AccessEvent.objects.bulk_create(events)


def denied(user, obj, purpose="open"):
    """A refused attempt to open a record (it answered 404)."""
    return read(user, None, obj, purpose, outcome=Outcome.DENIED)
