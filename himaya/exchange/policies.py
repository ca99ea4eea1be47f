"""Who sees the import runs and who uses the HTCDS page, on top of the shared rules of
``himaya.core.access`` ("Exchange"): the import runs' policy, registered from
``ExchangeConfig.ready``, and the HTCDS page's check (its forms and the links to it ask here, so
a link is shown exactly to those it does not 404)."""

from django.db.models import Q

from himaya.core import access


@access.register("exchange.ImportRun")
class ImportRunPolicy(access.Policy):
    """A justice register's run is seen by the justice members of the organisation it was made
    for, a casework run (requested_kind "casework…", services.py) by its casework importers."""

    def view(self, qs, user):
        casework = Q(requested_kind__startswith="casework")
        return qs.filter(
            (Q(organisation_id__in=access.exchange_org_ids(user)) & ~casework)
            | (Q(organisation_id__in=access.casework_import_org_ids(user)) & casework)
        )


@access.register("exchange.Extract")
class ExtractPolicy(access.Policy):
    """An extract is seen by the user who asked for it, while entitled to it: a de-identified
    one while an analyst of the organisation it was made for, one with identities while a
    casework importer of the organisation whose cases it holds (as the HTCDS page asks)."""

    def view(self, qs, user):
        case_orgs, analyst_orgs = htcds_org_ids(user)
        identified = Q(kind__in=qs.model.IDENTIFIED)
        return qs.filter(
            Q(owner_id=user.pk)
            & (
                (identified & Q(organisation_id__in=case_orgs))
                | (~identified & Q(organisation_id__in=analyst_orgs))
            )
        )


# --- The HTCDS page ----------------------------------------------------------------------------
# The casework importers import and export their organisation's cases; the analysts export
# de-identified records and the CTDC extract.


def htcds_org_ids(user):
    """``(organisations whose cases the user imports and exports, analyst organisations)``."""
    return access.casework_import_org_ids(user), access.analyst_org_ids(user)


def may_use_htcds(user) -> bool:
    case_orgs, analyst_orgs = htcds_org_ids(user)
    return bool(case_orgs or analyst_orgs)
