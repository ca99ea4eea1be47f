"""Who may use the HTCDS page (core.access): the casework importers import and export their
organisation's cases; the analysts export de-identified records and the CTDC extract. The page,
its forms and the links to it ask here, so a link is shown exactly to those it does not 404."""

from himaya.core import access


def org_ids(user):
    """``(organisations whose cases the user imports and exports, analyst organisations)``."""
    return access.casework_import_org_ids(user), access.analyst_org_ids(user)


def may_use(user) -> bool:
    case_orgs, analyst_orgs = org_ids(user)
    return bool(case_orgs or analyst_orgs)
