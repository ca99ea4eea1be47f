"""The register of the casework of past years: persons with their dossiers, identification
decisions, referrals and the services delivered (shelter stays, sessions, returns), so that a
deployment starts with the previous year to compare against (docs/import.md, "Casework of past
years"). The engine (engine.py) is the justice registers' one: dry run, all or nothing,
idempotent re-runs (QUALITY R2).

Each app declares its kinds beside its actions (cases/imports.py: dossiers and decisions;
referrals/imports.py: referrals and services), and writes a row through the same ``do_*`` as its
pages. This register puts them in the order they are written (parents first) and gives each the
shared writer (writers/casework.py): the import's permission check (whoever opens dossiers in
the pages, into an organisation where they do: core.access, "Exchange: casework of past years";
a refusal says why, permissions.py), and the organisation's own reference of each row, kept in
``ImportedRecord``: a re-import finds the record again by it. Identical → "unchanged";
different → refused with a row error saying what differs (the import never overwrites casework
silently: correct the record in Himaya, or the file)."""

import dataclasses

from himaya.cases import imports as cases_imports
from himaya.referrals import imports as referrals_imports

from .writers.casework import Imported


def _registered(kind):
    return dataclasses.replace(kind, writer=Imported(kind.key, kind.writer))


KINDS = [_registered(kind) for kind in (*cases_imports.KINDS, *referrals_imports.KINDS)]


def kind_by_key(key):
    return next((k for k in KINDS if k.key == key), None)
