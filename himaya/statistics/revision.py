"""The data revision: one number the database advances on every write to a table the figures
count (triggers of migration statistics 0002), whoever writes it. Caches of figures, reports and
rendered exports are kept per revision. Its own module, below the figures and the report that
both read it.

A figure may be kept under a revision only while that revision is settled (``settled_revision``):

- On PostgreSQL the revision is a sequence, advanced when a writer's statement runs, not when
  it commits: a count taken while that writer is still open would be kept under the new
  revision without the writer's rows. ``nextval`` holds a RowExclusiveLock on the sequence
  until the writer's transaction ends, so the revision is read first, then the locks: if no
  transaction (this one included) holds one, every write counted into the revision read was
  committed before the figures are counted, and they may be kept. Otherwise they are computed
  and not kept (a report build is then labelled with no version: report.build_report). An
  import holds its transaction open for its whole run, so this is not a rare case.
- SQLite's revision is a row updated inside the writer's transaction, so it never runs ahead of
  the data; but a rolled-back transaction takes its revisions back, and the next writer gets
  the same numbers again. Whatever is kept in the process per revision (``PerRevision``) is
  therefore registered here, and ``forget()`` empties it all: each test starts with it empty
  (its rows are rolled back after it; the next test's revisions repeat its numbers)."""

import hashlib
import weakref

from django.db import connection


def data_revision() -> int:
    """The data revision: advanced by the database on every write to a table the figures count
    (triggers of migration statistics 0002), whoever writes it."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT last_value, is_called FROM himaya_data_revision")
            value, called = cursor.fetchone()
            return int(value) if called else 0
        cursor.execute("SELECT value FROM himaya_data_revision WHERE id = 1")
        row = cursor.fetchone()
        return int(row[0]) if row else 0


def settled_revision(*, others_only=False):
    """The data revision if every write it counts is committed, else None (see above). With
    ``others_only``, this transaction's own writes do not count: what is stored in this very
    transaction (a report build) is rolled back with them."""
    revision = data_revision()
    if connection.vendor != "postgresql":
        return revision
    with connection.cursor() as cursor:  # after the revision: see the module docstring
        cursor.execute(
            "SELECT EXISTS (SELECT FROM pg_locks WHERE locktype = 'relation'"
            " AND mode = 'RowExclusiveLock' AND relation = 'himaya_data_revision'::regclass"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            " AND (NOT %s OR pid IS DISTINCT FROM pg_backend_pid()))",
            [others_only],
        )
        (open_writer,) = cursor.fetchone()
    return None if open_writer else revision


def version_of(revision) -> str:
    """The data version of a revision: a short digest. Two reports with the same data version
    were computed from the same records."""
    return hashlib.sha256(f"himaya:{revision}".encode()).hexdigest()[:16]


def data_version() -> str:
    """The data version of the figures now (see ``version_of``)."""
    return version_of(data_revision())


def settled_version(*, others_only=False):
    """The data version of the settled revision, or None while a writer is open."""
    revision = settled_revision(others_only=others_only)
    return None if revision is None else version_of(revision)


def report_version() -> str:
    """The data version a report counted now is labelled with: the settled one, or "" while
    another writer is open (this transaction's own writes are rolled back with what it
    stores)."""
    return settled_version(others_only=True) or ""


def data_state() -> tuple[str, int]:
    """(the data version a report would be counted at: the settled one, or "" while another
    writer is open, as report.build_report labels it; the number of persons recorded): which
    build a page reads, and whether it may be computed while the page waits
    (statistics.builds)."""
    from himaya.people.models import Person

    return report_version(), Person.objects.count()


_MEMOS = weakref.WeakSet()
# PerRevision.get's revision not read by its caller.
UNREAD = object()


class PerRevision:
    """Values kept in this process per key and settled data revision: ``memo.get(key,
    compute)`` is ``compute()``, read again only when a write has advanced the revision, and
    never kept while the revision is not settled. At most ``size`` values are kept."""

    def __init__(self, size):
        self.size = size
        self.values = {}
        _MEMOS.add(self)

    def get(self, key, compute, *, revision=UNREAD):
        """``revision``: the settled revision (``settled_revision()``, None included) when the
        caller has read it already, for many values; else read here."""
        revision = settled_revision() if revision is UNREAD else revision
        if revision is None:
            return compute()
        key = (key, revision)
        try:
            return self.values[key]
        except KeyError:
            pass
        value = compute()
        if len(self.values) >= self.size:  # another thread may clear it meanwhile: harmless
            self.values.clear()
        self.values[key] = value
        return value

    def clear(self):
        self.values.clear()


def forget():
    """Empty every value kept per revision in this process (see the module docstring)."""
    for memo in _MEMOS:
        memo.clear()
