"""Writing audit rows: writes are logged by the actions inside their transaction (and by the
few framework hooks that write outside one: lockouts, session expiry, the configuration site);
reads of a person's identity and refused attempts by the code that fetches the record."""

import contextvars

from himaya.core.middleware import current_request_id

from .models import AccessEvent, AuditEvent, Outcome

_acting_org = contextvars.ContextVar("acting_org", default=None)


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
    return AuditEvent.objects.create(
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


def read(user, person_id, obj, purpose, *, outcome=Outcome.OK):
    actor_id, username = _actor(user)
    object_type, object_id = _label(obj)
    return AccessEvent.objects.create(
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
    AccessEvent.objects.bulk_create(
        [AccessEvent(person_id=pid, object_id=str(oid), **common) for pid, oid in rows]
    )


def denied(user, obj, purpose="open"):
    """A refused attempt to open a record (it answered 404)."""
    return read(user, None, obj, purpose, outcome=Outcome.DENIED)
