"""The coordination app's queries behind the trainings figures; the rule the annual report
prints is ``himaya.statistics.figures.trainings`` (DOMAIN.md §6)."""

from collections import defaultdict

from django.db.models import Count, Sum

from .models import Training, TrainingAudience

SEX_FIELDS = ("women", "men", "unrecorded")


def trainings(year) -> dict:
    """Sessions whose first day is in the year, and their participants: per type of agency,
    by sex (women, men, not recorded). A person trained in two sessions counts in each (names
    are optional, so participations are counted, not distinct people)."""
    sessions = Training.objects.filter(starts_on__year=year)
    by_type = defaultdict(lambda: dict.fromkeys(SEX_FIELDS, 0))
    rows = (
        TrainingAudience.objects.filter(training__in=sessions.values("pk"))
        .values("agency_type__code")
        .annotate(**{f: Sum(f) for f in SEX_FIELDS})
        .order_by()
    )
    for row in rows:
        for f in SEX_FIELDS:
            by_type[row["agency_type__code"]][f] += row[f] or 0
    totals = {f: sum(t[f] for t in by_type.values()) for f in SEX_FIELDS}
    topics = dict(sessions.values_list("topic").annotate(n=Count("pk")).order_by())
    return {
        "sessions": sessions.count(),
        "participants": sum(totals.values()),
        "by_sex": totals,
        "by_agency_type": {k: {**v, "total": sum(v.values())} for k, v in by_type.items()},
        "by_topic": topics,
    }
