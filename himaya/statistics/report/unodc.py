"""The UNODC breakdowns: suspects and victims counted in cells of sex, age group,
citizenship and (for victims) top-level form."""

from collections import Counter


def _unodc_cells(people, with_forms, forms_of=None):
    """Cells of (sex, age group, citizenship, form) with their counts; ``forms_of(person)``
    gives the forms a person counts under (default: ``person.forms``; the victims' top-level
    forms for the victims' table: the UNODC tables know no sub-form)."""
    cells = Counter()
    for p in people:
        key = (p.sex, p.age_group, p.citizenship)
        if not with_forms:
            cells[(*key, "")] += 1
            continue
        forms = forms_of(p) if forms_of is not None else p.forms
        for form in sorted(forms) if forms else [""]:
            cells[(*key, form)] += 1
    return [
        {"sex": s, "age": a, "citizenship": c, "form": f, "count": n}
        for (s, a, c, f), n in sorted(cells.items())
    ]


def _top_forms_of(victim):
    """The top-level forms of a victim (set by ``report.victims._top_forms``)."""
    return victim.top_forms
