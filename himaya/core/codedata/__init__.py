"""The content of the code lists, loaded by a data migration and by `himaya synccodes`.

Countries (ISO 3166-1) and languages (ISO 639) take their names from CLDR through Babel, so the
three languages come from one maintained source. The other lists are the domain's own
(DOMAIN.md §2, §3) and HTCDS 2.0's picklists (shared/standards/htcds), one module per family:
exploitation.py (what was done), actors.py (who acts), persons.py (a person and their dossier),
world.py (lists kept by others). This module puts them together and writes them.
"""

from babel import Locale

from .actors import (
    DECISION_ORGS,
    ORG_TYPES,
    PUBLIC_BODIES,
    PUBLIC_BODY_WORDS,
    REGIONS,
    public_body_for,
)
from .exploitation import (
    CONTROL_METHODS,
    EXPLOITATION_FORMS,
    RECRUITMENT_METHODS,
    SEX_EXPLOITATION,
    VULNERABILITIES,
)
from .persons import CASE_STATUSES, DOCUMENT_TYPES, ROLES_IN_PROCESS, SEXES, TRAFFICKING_STATUSES
from .world import ISIC_SECTIONS, LANGUAGE_CODES, LANGUAGE_NAMES_AR, NOT_COUNTRIES

__all__ = [
    "CASE_STATUSES",
    "CONTROL_METHODS",
    "DECISION_ORGS",
    "DOCUMENT_TYPES",
    "EXPLOITATION_FORMS",
    "ISIC_SECTIONS",
    "LANGUAGE_CODES",
    "LANGUAGE_NAMES_AR",
    "NOT_COUNTRIES",
    "ORG_TYPES",
    "PUBLIC_BODIES",
    "PUBLIC_BODY_WORDS",
    "RECRUITMENT_METHODS",
    "REGIONS",
    "ROLES_IN_PROCESS",
    "SEXES",
    "SEX_EXPLOITATION",
    "TRAFFICKING_STATUSES",
    "VULNERABILITIES",
    "all_rows",
    "public_body_for",
    "sync",
]


def _row(code_list, code, ar, fr, en, htcds="", tip="", parent=None, sort=0):
    return {
        "list": code_list,
        "code": code,
        "label_ar": ar,
        "label_fr": fr,
        "label_en": en,
        "htcds": htcds,
        "tip": tip,
        "parent": parent,
        "sort": sort,
    }


def all_rows():
    """Every code as a dict; parents are given by code within the same list."""
    rows = []
    for i, (code, parent, ar, fr, en, htcds, tip) in enumerate(EXPLOITATION_FORMS):
        rows.append(_row("exploitation_form", code, ar, fr, en, htcds, tip, parent, i))
    simple = [
        ("sex_exploitation", SEX_EXPLOITATION),
        ("org_type", ORG_TYPES),
        ("sex", SEXES),
        ("document_type", DOCUMENT_TYPES),
        ("trafficking_status", TRAFFICKING_STATUSES),
        ("decision_org", DECISION_ORGS),
        ("recruitment_method", RECRUITMENT_METHODS),
        ("control_method", CONTROL_METHODS),
        ("vulnerability", VULNERABILITIES),
        ("role_in_process", ROLES_IN_PROCESS),
        ("case_status", CASE_STATUSES),
        ("public_body", PUBLIC_BODIES),
    ]
    for code_list, items in simple:
        for i, (code, ar, fr, en, htcds) in enumerate(items):
            rows.append(_row(code_list, code, ar, fr, en, htcds, sort=i))
    for i, (code, ar, fr, en) in enumerate(REGIONS):
        rows.append(_row("region", code, ar, fr, en, sort=i))
    for i, (code, ar, fr, en) in enumerate(ISIC_SECTIONS):
        rows.append(_row("industry", code, ar, fr, en, htcds=en.capitalize(), sort=i))
    ar, fr, en = Locale("ar"), Locale("fr"), Locale("en")
    for code in sorted(en.territories):
        if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES:
            rows.append(
                _row(
                    "country",
                    code,
                    ar.territories.get(code, en.territories[code]),
                    fr.territories.get(code, en.territories[code]),
                    en.territories[code],
                    htcds=code,
                )
            )
    for i, code in enumerate(LANGUAGE_CODES):
        name_en = en.languages.get(code, code)
        rows.append(
            _row(
                "language",
                code,
                LANGUAGE_NAMES_AR.get(code) or ar.languages.get(code, name_en),
                fr.languages.get(code, name_en),
                name_en,
                htcds=code,
                sort=i,
            )
        )
    return rows


def sync(code_model):
    """Create or update every code (idempotent). Works with historical models too."""
    created = updated = 0
    by_key = {(c.list, c.code): c for c in code_model.objects.all()}
    pending_parents = []
    for row in all_rows():
        parent = row.pop("parent")
        key = (row["list"], row["code"])
        obj = by_key.get(key)
        if obj is None:
            obj = code_model.objects.create(**row)
            by_key[key] = obj
            created += 1
        else:
            changed = [f for f, v in row.items() if getattr(obj, f) != v]
            if changed:
                for f in changed:
                    setattr(obj, f, row[f])
                obj.save(update_fields=changed)
                updated += 1
        if parent:
            pending_parents.append((obj, by_key[(row["list"], parent)]))
    for obj, parent in pending_parents:
        if obj.parent_id != parent.id:
            obj.parent = parent
            obj.save(update_fields=["parent"])
    return created, updated
