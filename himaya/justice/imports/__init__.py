"""The justice app's import kinds, declared beside its actions (DESIGN.md convention 1): the
registers of investigations, suspects, arrests, prosecutions, charges, court decisions, appeals
and sentences (``kinds``), each row written through the same justice action as a page
(``writers``, ``prosecution``). exchange/justice.py lists them as the justice register and
exchange's engine runs it."""

from .kinds import KINDS, kind_by_key  # noqa: F401
