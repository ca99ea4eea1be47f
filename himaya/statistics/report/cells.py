"""The cells of the report: labels stored as references to their words (statistics.labels),
rows of a value with the year before beside it, tables, and the rows of forms of exploitation
with their sub-forms as "including" lines."""

from himaya.core.models import Code

from .. import labels


def tri(text) -> dict:
    """A translatable text, stored as its msgid (statistics.labels): translated when read."""
    return labels.text(text)


def tri_format(template, **values) -> dict:
    """A translatable template and its values (references or numbers), filled when read."""
    return labels.text(template, **values)


def code_labels(code_list) -> dict:
    return {
        c: labels.code(code_list, c)
        for c in Code.objects.filter(list=code_list).values_list("code", flat=True)
    }


def row(key, label, value, previous, level=0):
    return {"key": key, "label": label, "level": level, "value": value, "previous": previous}


def table(key, title, rule, rows):
    return {"key": key, "title": tri(title), "rule": tri(rule), "rows": rows}


def _form_rows(prefix, forms_now, forms_before, labels):
    """Form rows from Counters of codes (each form with its parents counted): top-level forms
    in code-list order, each followed by its sub-forms as "including" lines."""
    rows = []
    tree = list(Code.objects.filter(list="exploitation_form").order_by("sort", "code"))
    for top in (c for c in tree if c.parent_id is None):
        if not (forms_now.get(top.code) or forms_before.get(top.code)):
            continue
        rows.append(
            row(
                f"{prefix}:{top.code}",
                labels[top.code],
                forms_now.get(top.code, 0),
                forms_before.get(top.code, 0),
            )
        )
        for sub in (c for c in tree if c.parent_id == top.pk):
            if forms_now.get(sub.code) or forms_before.get(sub.code):
                rows.append(
                    row(
                        f"{prefix}:{top.code}:{sub.code}",
                        labels[sub.code],
                        forms_now.get(sub.code, 0),
                        forms_before.get(sub.code, 0),
                        level=1,
                    )
                )
    return rows
