"""The shared writer of the casework of past years: the apps declare what a row is and how it
is written (cases/imports.py, referrals/imports.py: the same ``do_*`` as the pages); this
writer adds what every casework kind needs from the import and nothing about the records:

- the import's own permission check (who imports casework for the organisation:
  exchange/permissions.py, from core.access);
- the organisation's reference of each row, kept in ``ImportedRecord`` (the casework apps keep
  no register reference), found for a whole file at once, so that a re-import finds the record;
- a re-import that differs is refused with what differs (never an overwrite)."""

from django.apps import apps

from himaya.core.registers.compare import refuse

from .. import permissions
from ..models import ImportedRecord


def _has_field(model, name):
    return any(f.name == name for f in model._meta.get_fields())


class Imported:
    """The engine's writer for an app's row writer (``rows``: ``create(ctx, values)``,
    ``changes(ctx, record, values)``, ``related``, ``prefetched``) of the kind ``kind``."""

    def __init__(self, kind, rows):
        self.kind = kind
        self.rows = rows

    def _allowed(self, ctx):
        permissions.check(ctx.user, ctx.organisation, permissions.CASEWORK)

    def prefetch(self, ctx, refs):
        """The records the organisation imported before with these references: their
        ImportedRecord rows in one query per 500, the records in one query per model."""
        by_model, kept = {}, set()
        for i in range(0, len(refs), 500):
            chunk = sorted(refs)[i : i + 500]
            for ref, model, pk in ImportedRecord.objects.filter(
                organisation=ctx.organisation, kind=self.kind, external_ref__in=chunk
            ).values_list("external_ref", "model", "object_id"):
                by_model.setdefault(model, {})[pk] = ref
                kept.add(ref)
        found = {}
        for model, refs_by_pk in by_model.items():
            qs = apps.get_model(model).objects.filter(pk__in=list(refs_by_pk))
            related = [r for r in self.rows.related if _has_field(qs.model, r)]
            prefetched = [r for r in self.rows.prefetched if _has_field(qs.model, r.split("__")[0])]
            for obj in qs.select_related(*related).prefetch_related(*prefetched):
                found[refs_by_pk[obj.pk]] = obj
        ctx.cache[("imported", self.kind)] = kept
        return found

    def lookup(self, ctx, ref):
        found = ctx.found.get(self)
        if found is not None and ref in found.refs:
            return found.records.get(ref)
        record = ImportedRecord.objects.filter(
            organisation=ctx.organisation, kind=self.kind, external_ref=ref
        ).first()
        if record is None:
            return None
        return apps.get_model(record.model).objects.filter(pk=record.object_id).first()

    def find(self, ctx, ref):
        self._allowed(ctx)
        return self.lookup(ctx, ref)

    def remember(self, ctx, ref, obj):
        kept = ctx.cache.get(("imported", self.kind))
        if kept is not None and ref not in kept:  # known to have no row: no lookup first
            ImportedRecord.objects.create(
                organisation=ctx.organisation,
                kind=self.kind,
                external_ref=ref,
                model=obj._meta.label_lower,
                object_id=obj.pk,
            )
            return obj
        ImportedRecord.objects.update_or_create(
            organisation=ctx.organisation,
            kind=self.kind,
            external_ref=ref,
            defaults={"model": obj._meta.label_lower, "object_id": obj.pk},
        )
        return obj

    def create(self, ctx, values):
        return self.remember(ctx, values["ref"], self.rows.create(ctx, values))

    def changes(self, ctx, obj, values):
        return self.rows.changes(ctx, obj, values)

    def update(self, ctx, obj, values, changes):
        refuse(changes)
