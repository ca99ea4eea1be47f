"""What one import run may remember between its rows (issue 16), so that the actions a page
calls stay the only rules while an import does not pay for reading the same thing again at
every row of its one transaction:

- a record locked (``SELECT … FOR UPDATE``) and found writable by a rule (``hold``): the lock
  is held till the transaction ends, nobody else can change the record meanwhile, and the
  actions that change what the rule reads of it through another lock forget it (``forget``);
- the query of the records the user sees (``visible``): built from the user's memberships,
  the same for every row; it is run again each time, only its building is kept;
- the register references an organisation's records of a kind have, among the file's
  (``refs_read``, with the writer's prefetch, or read once when first asked): a row's check
  reads them there, and the reference it takes is taken for the next rows.

A ``Memo`` belongs to one run (engine.Context.memo, made by the justice writers) and one user
(the same object: his memberships are cached on it). The actions find it only while a row of
that run is written (``row``, a context variable) and only for that user (``current``); a
page, or another run, finds none. A row that fails is rolled back to its savepoint, which
releases the locks it took and undoes what it wrote: the memo then forgets everything."""

import contextlib
import contextvars

from django.core.exceptions import PermissionDenied

_active = contextvars.ContextVar("justice_import_memo", default=None)

CHUNK = 500
# Records held at most, so that a file's records are never all kept in memory at once
# (engine._Held): the least recently used is let go. A register names a record again a sheet
# later (an investigation's suspects, then their arrests): at 1,000, a 20,001-row file
# (2,100 investigations, 2,700 prosecutions, ~6 MB held) was re-locked 0.3 queries a row.
HELD = 5000


class Memo:
    def __init__(self, user):
        self.user = user
        self.held = {}  # (model, pk) → (the locked record, {rule: organisation})
        self.rules = {}
        self.querysets = {}  # model → model.objects.visible_to(user), unevaluated
        # (model, org field, org id) → (the references known, those of them taken)
        self.refs = {}
        self.wanted = {}  # model → the file's references of that model

    def clear(self):
        self.held.clear()
        self.rules.clear()
        self.refs.clear()

    @contextlib.contextmanager
    def row(self):
        """Active while one row is written; a row that fails leaves nothing remembered."""
        token = _active.set(self)
        try:
            yield self
        except BaseException:
            self.clear()
            raise
        finally:
            _active.reset(token)

    # --- locks ---------------------------------------------------------------------------

    def hold(self, model, pk, rule, locked, org_id):
        """``locked`` was just locked and read, writable by ``rule`` for ``org_id``. One
        instance a record: the rows change it through this one (``touch``, a status), so
        another rule's lock replaces it by what it read."""
        rule = self.rules.setdefault(rule, rule)  # one of each, whatever the records
        rules = self.held.pop((model, pk), (None, {}))[1]
        rules[rule] = org_id
        self.held[model, pk] = (locked, rules)
        if len(self.held) > HELD:  # the least recently used: locked again if named again
            del self.held[next(iter(self.held))]

    def holding(self, model, pk, rule):
        """(the locked record, the organisation) when it was held by ``rule``, else None."""
        locked, rules = self.held.get((model, pk), (None, {}))
        if rule not in rules:
            return None
        self.held[model, pk] = self.held.pop((model, pk))  # the most recently used
        return locked, rules[rule]

    def forget(self, model, pk):
        """The record changed through another lock, or what its rules read changed."""
        self.held.pop((model, pk), None)

    # --- what the user sees ----------------------------------------------------------------

    def visible(self, model):
        if model not in self.querysets:
            self.querysets[model] = model.objects.visible_to(self.user)
        return self.querysets[model]

    # --- register references ---------------------------------------------------------------

    def refs_read(self, model, org_field, org_id, wanted, taken):
        """The references ``taken`` among ``wanted`` by the organisation's records of
        ``model``, as just read (the writer's prefetch)."""
        self.wanted[model] = self.wanted.get(model, frozenset()) | frozenset(wanted)
        known, held = self.refs.get((model, org_field, org_id), (frozenset(), set()))
        self.refs[model, org_field, org_id] = (known | frozenset(wanted), held | set(taken))

    def ref_taken(self, model, org_field, org_id, value):
        """Whether ``value`` is taken: True or False when known, None when the caller must
        ask the database (a reference outside the file's)."""
        entry = self.refs.get((model, org_field, org_id))
        if entry is None or value not in entry[0]:
            wanted = self.wanted.get(model)
            if not wanted or value not in wanted:
                return None
            self._read(model, org_field, org_id, wanted)
            entry = self.refs[model, org_field, org_id]
        return value in entry[1]

    def _read(self, model, org_field, org_id, wanted):
        taken = set()
        refs = sorted(wanted)
        for i in range(0, len(refs), CHUNK):
            taken.update(
                model.objects.filter(
                    **{org_field: org_id, "external_ref__in": refs[i : i + CHUNK]}
                ).values_list("external_ref", flat=True)
            )
        self.refs_read(model, org_field, org_id, wanted, taken)

    def ref_given(self, model, org_field, org_id, value):
        """A row takes ``value`` (its record is being created): taken for the next rows."""
        entry = self.refs.get((model, org_field, org_id))
        if entry is not None:
            entry[1].add(value)


def active():
    """The memo of the import row being written, if any."""
    return _active.get()


def current(user):
    """The active memo when it was made for ``user`` (the same object), else None."""
    memo = _active.get()
    return memo if memo is not None and memo.user is user else None


def lock_once(user, model, pk, rule, org_for):
    """The record ``pk`` of ``model`` locked if ``user`` may write it by ``rule`` (else
    PermissionDenied), and the organisation ``org_for(user, record)`` they act for on it. In
    an import's row, once a run and rule: the lock holds till the run's end (``Memo.hold``)."""
    memo = current(user)
    held = memo.holding(model, pk, rule) if memo is not None else None
    if held is not None:
        return held
    locked = model.objects.select_for_update().filter(rule, pk=pk).first()
    if locked is None:
        raise PermissionDenied
    held = locked, org_for(user, locked)
    if memo is not None:
        memo.hold(model, locked.pk, rule, *held)
    return held


def forget(record):
    """``record`` changed through another lock, or what its rules read changed: an import's
    next rows lock and check it again."""
    memo = _active.get()
    if memo is not None:
        memo.forget(type(record), record.pk)


class _Seen:
    """What ``visible_to`` answers for the run's user: the memo's query, built once."""

    def __init__(self, memo, model):
        self.memo, self.model = memo, model

    def visible_to(self, user):
        if user is not self.memo.user:  # another user's: built for them
            return self.model.objects.visible_to(user)
        return self.memo.visible(self.model)


def seen(user, model):
    """What to ask ``visible_to(user)`` of for ``model``'s records: during an import's row,
    the run's query of what the user sees (the same rule, built once: ``Memo.visible``);
    else the model's manager, which builds it."""
    memo = current(user)
    return model.objects if memo is None else _Seen(memo, model)
