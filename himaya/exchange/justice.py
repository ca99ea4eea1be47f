"""The justice registers: the justice app's import kinds (justice/imports/), in the order they
are written (parents first), as exchange's engine runs them (engine.py: dry run, all or
nothing, idempotent re-runs)."""

from himaya.justice.imports import KINDS, kind_by_key  # noqa: F401
