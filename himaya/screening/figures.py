"""Screening figures: counts only, never an identity (DOMAIN.md §6, §7: internal figures for
the commission are not suppressed, and carry no personal data).

Common rules, for every function here:
- A screening counts once it is **submitted**, on its **screening date** (``screened_on``) in
  the reference year. Drafts never count.
- A screening replaced by a submitted correction does not count; its correction does (the
  correction keeps the original's date unless the screener changed it). So a corrected
  interview is one screening, with its corrected result.
- ``org_ids`` limits the counts to screenings (or campaigns) of those organisations; ``None``
  counts every organisation (national-commission analysts, see core.access).
- Each figure comes with the year before beside it where it is a single number.
"""

from collections import Counter

from django.db.models import Count, Q

from himaya.people.models import person_key

from .models import Campaign, QuestionnaireCode, Recommendation, Screening

# Distinct people: records linked as the same person count once.
PERSON = person_key()

RECOMMENDATIONS = [r.value for r in Recommendation]


def counted(year=None, org_ids=None):
    """The screenings the figures count (see the module's rules)."""
    qs = Screening.objects.current()
    if year is not None:
        qs = qs.filter(screened_on__year=year)
    if org_ids is not None:
        qs = qs.filter(organisation_id__in=org_ids)
    return qs


def people_screened(qs):
    """Persons screened: distinct persons (records linked as the same person count once), plus
    each screening of someone without a record (nothing tells two such screenings are the
    same person)."""
    agg = qs.aggregate(
        recorded=Count(PERSON, distinct=True, filter=Q(person__isnull=False)),
        unrecorded=Count("pk", filter=Q(person__isnull=True)),
    )
    return agg["recorded"] + agg["unrecorded"]


def by_recommendation(year, org_ids=None):
    """Screenings of the year by recommendation (strong / possible / none), and in total."""
    rows = dict(
        counted(year, org_ids).values_list("recommendation").annotate(n=Count("pk")).order_by()
    )
    out = {r: rows.get(r, 0) for r in RECOMMENDATIONS}
    out["total"] = sum(out.values())
    return out


def by_questionnaire(year, org_ids=None):
    """Screenings of the year per questionnaire (adults labour / adults sexual / children),
    each split by recommendation. Every version of a questionnaire counts under its code."""
    rows = (
        counted(year, org_ids)
        .values_list("questionnaire__code", "recommendation")
        .annotate(n=Count("pk"))
        .order_by()
    )
    out = {code: dict.fromkeys(RECOMMENDATIONS, 0) for code in QuestionnaireCode.values}
    for code, rec, n in rows:
        out.setdefault(code, dict.fromkeys(RECOMMENDATIONS, 0))[rec] = n
    for counts in out.values():
        counts["total"] = sum(counts[r] for r in RECOMMENDATIONS)
    return out


def by_organisation_type(year, org_ids=None):
    """Screenings of the year by the type of the organisation that screened (police,
    gendarmerie, labour inspectorate, NGO...), each split by recommendation. Types with no
    screening are left out."""
    rows = (
        counted(year, org_ids)
        .values_list("organisation__type__code", "recommendation")
        .annotate(n=Count("pk"))
        .order_by()
    )
    out = {}
    for org_type, rec, n in rows:
        out.setdefault(org_type, dict.fromkeys(RECOMMENDATIONS, 0))[rec] = n
    for counts in out.values():
        counts["total"] = sum(counts[r] for r in RECOMMENDATIONS)
    return dict(sorted(out.items(), key=lambda item: -item[1]["total"]))


def dossiers_opened(year, org_ids=None):
    """Distinct dossiers linked to a counted screening of the year (opened from it, or an
    existing dossier the screening was attached to)."""
    return counted(year, org_ids).filter(dossier__isnull=False).values("dossier").distinct().count()


def campaign_counts(campaigns):
    """For each campaign (id → counts): people screened (see ``people_screened``), screenings,
    strong and possible indications, and distinct dossiers linked to its screenings. Counted
    over every counted screening of the campaign, whatever its year."""
    ids = [c.pk for c in campaigns]
    qs = counted().filter(campaign_id__in=ids)
    out = {
        pk: {"people": 0, "screenings": 0, "strong": 0, "possible": 0, "dossiers": 0} for pk in ids
    }
    rows = qs.values("campaign_id").annotate(
        screenings=Count("pk"),
        strong=Count("pk", filter=Q(recommendation=Recommendation.STRONG)),
        possible=Count("pk", filter=Q(recommendation=Recommendation.POSSIBLE)),
        dossiers=Count("dossier", distinct=True),
        recorded=Count(PERSON, distinct=True, filter=Q(person__isnull=False)),
        unrecorded=Count("pk", filter=Q(person__isnull=True)),
    )
    for row in rows.order_by():
        pk = row.pop("campaign_id")
        row["people"] = row.pop("recorded") + row.pop("unrecorded")
        out[pk] = row
    return out


def campaigns(year, org_ids=None):
    """Campaigns running during the year (starting on or before 31 December, ending on or
    after 1 January), each with ``campaign_counts``; a campaign over two years appears in
    both, with its whole counts."""
    qs = Campaign.objects.filter(starts_on__year__lte=year, ends_on__year__gte=year)
    if org_ids is not None:
        qs = qs.filter(organisation_id__in=org_ids)
    qs = list(qs.select_related("organisation", "region").order_by("starts_on", "id"))
    counts = campaign_counts(qs)
    return [(c, counts[c.pk]) for c in qs]


def year_figures(year, org_ids=None):
    """Every screening figure of a year, with the year before beside the single numbers."""
    this, before = counted(year, org_ids), counted(year - 1, org_ids)
    return {
        "year": year,
        "people": people_screened(this),
        "people_before": people_screened(before),
        "by_recommendation": by_recommendation(year, org_ids),
        "by_recommendation_before": by_recommendation(year - 1, org_ids),
        "by_questionnaire": by_questionnaire(year, org_ids),
        "by_organisation_type": by_organisation_type(year, org_ids),
        "dossiers": dossiers_opened(year, org_ids),
        "dossiers_before": dossiers_opened(year - 1, org_ids),
        "campaigns": campaigns(year, org_ids),
        "campaign_share": _campaign_share(this),
    }


def _campaign_share(qs):
    """How many counted screenings were made in a campaign (proactive) or outside one."""
    c = Counter("campaign" if cid else "other" for cid in qs.values_list("campaign_id", flat=True))
    return {"campaign": c["campaign"], "other": c["other"]}
