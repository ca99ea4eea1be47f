"""Writes about the international recommendations: the commission records them and links them
to the plan; the commission and the responsible agencies' focal points record their yearly
progress."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from himaya.audit import log
from himaya.core.actions import save_versioned

from .. import policies
from ..models import Recommendation, RecommendationProgress, RecommendationSource
from ..models import RecommendationStatus as Status
from ..models.plan import TEXT_MAX
from . import common as c


def _fields(source, year, reference, priority, texts):
    return {
        "source": c.choice("source", source, RecommendationSource),
        "year": c.year("year", year),
        "reference": c.text("reference", reference, 64),
        "priority": bool(priority),
        **c.titles(texts, TEXT_MAX, field="text"),
    }


@transaction.atomic
def do_add_recommendation(
    *,
    acting_user,
    source,
    year,
    reference="",
    priority=False,
    measures=(),
    agencies=(),
    on=None,
    **texts,
):
    org = c.commission_org(acting_user)
    fields = _fields(source, year, reference, priority, texts)
    agencies = c.organisations("agencies", agencies)
    rec = Recommendation.objects.create(**fields)
    rec.measures.set(list(measures or ()))
    rec.agencies.set(agencies)
    log.write(
        acting_user,
        "add_recommendation",
        rec,
        [*fields, "measures", "agencies"],
        organisation_id=org,
    )
    return rec


@transaction.atomic
def do_update_recommendation(
    recommendation,
    *,
    acting_user,
    expected_version,
    source,
    year,
    reference="",
    priority=False,
    measures=(),
    agencies=(),
    on=None,
    **texts,
):
    org = c.commission_org(acting_user)
    fields = _fields(source, year, reference, priority, texts)
    agencies = c.organisations("agencies", agencies)
    locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    changes = c.changed(locked, fields)
    save_versioned(locked, changes, expected_version)
    for name, values in (("measures", list(measures or ())), ("agencies", agencies)):
        if set(getattr(locked, name).all()) != set(values):
            getattr(locked, name).set(values)
            changes.append(name)
    if changes:
        log.write(acting_user, "update_recommendation", locked, changes, organisation_id=org)
    return locked


@transaction.atomic
def do_record_progress(
    recommendation, *, acting_user, year, status, evidence="", expected_version=None, on=None
):
    """The status of a recommendation in ``year`` and what was done. A year recorded before is
    changed only against the version its writer read."""
    orgs = policies.recommendation_org_ids(acting_user, recommendation)
    if not orgs:
        raise PermissionDenied(_("You cannot record progress on this recommendation."))
    c.year("year", year)
    if year < recommendation.year:
        raise ValidationError({"year": _("This year is before the recommendation.")})
    c.choice("status", status, Status)
    evidence = c.text("evidence", evidence, TEXT_MAX)
    org = min(orgs)
    row = (
        RecommendationProgress.objects.select_for_update()
        .filter(recommendation=recommendation, year=year)
        .first()
    )
    if row is None:
        row = RecommendationProgress.objects.create(
            recommendation=recommendation,
            year=year,
            status=status,
            evidence=evidence,
            organisation_id=org,
            recorded_by=acting_user,
        )
        log.write(
            acting_user,
            "record_recommendation_progress",
            row,
            ["recommendation", "year", "status", "evidence"],
            organisation_id=org,
        )
        return row
    changes = c.changed(row, {"status": status, "evidence": evidence})
    if changes:
        row.organisation_id, row.recorded_by = org, acting_user
        save_versioned(row, [*changes, "organisation", "recorded_by"], expected_version)
        log.write(acting_user, "record_recommendation_progress", row, changes, organisation_id=org)
    return row
