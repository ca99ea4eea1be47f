"""The UNODC breakdowns: suspects and victims counted in cells of sex, age group,
citizenship and (for victims) top-level form."""

from collections import Counter
from typing import NamedTuple


def _unodc_cells(people, with_forms):
    cells = Counter()
    for p in people:
        forms = sorted(p.forms) if with_forms and p.forms else [""]
        for form in forms:
            cells[(p.sex, p.age_group, p.citizenship, form)] += 1
    return [
        {"sex": s, "age": a, "citizenship": c, "form": f, "count": n}
        for (s, a, c, f), n in sorted(cells.items())
    ]


class _TopForms(NamedTuple):
    sex: str
    age_group: str
    citizenship: str
    forms: set


def _as_top(victim):
    """A victim with only the top-level forms (the UNODC tables know no sub-form)."""
    return _TopForms(victim.sex, victim.age_group, victim.citizenship, victim.top_forms)
