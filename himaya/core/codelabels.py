"""The code lists, read once per process instead of once per page (issue 17: the dossier page
read a code list or a record's codes in nine queries).

Every code (a few hundred rows, all lists) is loaded in one query and kept for ``SECONDS`` in
the process; a code saved or deleted through the ORM in this process (the admin, ``himaya
synccodes``) empties it at once, and the other processes (gunicorn's workers) read the lists
again within ``SECONDS``. Codes change by a deployment's decision, rarely; what is read here is
for display (labels, a record's chosen codes), never to decide what may be chosen or saved,
which still asks the database (``Code.objects.of``).

- ``codes_of(code_list, codes)``: the active, not excluded codes of a list among ``codes``, in
  the list's order (as ``Code.objects.of(list).filter(code__in=codes)``).
- ``prefetch_codes(instance, *fields)``: a record's many-to-many code fields in one query; then
  ``instance.<field>.all()`` reads no more.
- ``in_reading_order(queryset)``: the codes a select offers (``Code.objects.of("country")``), in
  the reader's order, kept with the lists: a select of 250 countries read, built and sorted its
  codes on every page that shows it (about 5 ms of the 10 ms its render takes). Only a query of
  the code table alone is kept (by its SQL and the language); what the select accepts is still
  checked against the database when the form is posted (``ModelChoiceField``)."""

import re
import threading
import time

from django.core.exceptions import EmptyResultSet
from django.db.models import IntegerField, Value
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

from . import models as code_models
from .models import Code, excluded_codes

SECONDS = 60

_lock = threading.Lock()
# by_id: every code; choices: (SQL, parameters, language) → the codes a select offers, in order,
# emptied with by_id
_loaded = {"at": None, "by_id": {}, "choices": {}}
_TABLES = re.compile(r'(?:FROM|JOIN)\s+"?(\w+)"?', re.IGNORECASE)
# The clock the SECONDS are counted on; the tests stop it, so that how long a test runs on a
# loaded machine never decides whether the codes are read again (a query more).
clock = time.monotonic


def forget(**_kwargs):
    """Read the codes again at the next use (a code changed, or a test starts)."""
    with _lock:
        _loaded["at"] = None


post_save.connect(forget, sender=Code, dispatch_uid="himaya.codelabels.save")
post_delete.connect(forget, sender=Code, dispatch_uid="himaya.codelabels.delete")


def by_id(*, fresh=False) -> dict:
    """{id: Code} of every code, parents linked (loaded at most every SECONDS, or now when
    ``fresh``)."""
    now = clock()
    with _lock:
        if not fresh and _loaded["at"] is not None and now - _loaded["at"] < SECONDS:
            return _loaded["by_id"]
    codes = {c.pk: c for c in Code.objects.all()}
    for c in codes.values():
        if c.parent_id is not None:
            c.parent = codes[c.parent_id]
    with _lock:
        _loaded.update(at=now, by_id=codes, choices={})
    return codes


def in_reading_order(queryset) -> list:
    """``core.models.in_reading_order(queryset)``, kept until the codes are read again when the
    query reads the code table alone (a select's ``Code.objects.of(list)``, filtered or not);
    any other query is read and sorted each time."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return []
    if set(_TABLES.findall(sql)) != {Code._meta.db_table}:
        return code_models.in_reading_order(queryset.all())
    by_id()  # reads the codes again after SECONDS, which empties the kept choices
    key = (sql, tuple(params), (get_language() or "ar")[:2])
    with _lock:
        kept = _loaded["choices"].get(key)
    if kept is None:
        kept = code_models.in_reading_order(queryset.all())  # read now, not a result kept
        with _lock:
            _loaded["choices"][key] = kept
    return kept


def codes_of(code_list, codes) -> list:
    """The active codes of ``code_list`` among ``codes`` that the deployment offers, in the
    list's order (``Code.Meta.ordering``)."""
    excluded = excluded_codes(code_list)
    found = [
        c
        for c in by_id().values()
        if c.list == code_list and c.active and c.code in codes and c.code not in excluded
    ]
    return sorted(found, key=lambda c: (c.sort, c.code))


def prefetch_codes(instance, *fields):
    """Fill ``instance``'s prefetch cache for these many-to-many fields to Code from one query
    over their link tables (the codes themselves come from ``by_id``), in Code's order."""
    model = type(instance)
    parts = []
    for i, name in enumerate(fields):
        field = model._meta.get_field(name)
        through = field.remote_field.through
        parts.append(
            through.objects.filter(**{field.m2m_field_name(): instance.pk})
            .annotate(field=Value(i, output_field=IntegerField()))
            .values_list("field", field.m2m_reverse_name())
        )
    if not parts:
        return
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    rows = list(rows)
    codes = by_id()
    if any(code_id not in codes for _i, code_id in rows):  # added since the last read
        codes = by_id(fresh=True)
    chosen = {name: [] for name in fields}
    for i, code_id in rows:
        chosen[fields[i]].append(codes[code_id])
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, found in chosen.items():
        found.sort(key=lambda c: (c.list, c.sort, c.code))
        qs = getattr(instance, name).all()
        qs._result_cache = found
        qs._prefetch_done = True
        cache[name] = qs
