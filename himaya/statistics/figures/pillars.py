"""The other figures, from the apps' query modules: each app keeps the queries of its own
records; these are the rules the report prints."""

from himaya.cases import figures as cases_figures
from himaya.coordination import figures as coordination_figures
from himaya.hotline import figures as hotline_figures
from himaya.hotline.models import Report
from himaya.justice import figures as justice_figures
from himaya.referrals import figures as referrals_figures
from himaya.screening import figures as screening_figures

from .common import _dossiers, _orgs


def justice(year, scope=None) -> dict:
    """Investigations opened; distinct suspects arrested; distinct defendants prosecuted and
    convicted by form (sub-forms as "including" lines); sentences by band; acquittals;
    proceedings involving officials; stalled proceedings — each with the previous year
    (``himaya.justice.figures``)."""
    return justice_figures.all_figures(year, _orgs(scope))


def law_enforcement(year, scope=None) -> dict:
    """The four headline counts of the justice figures, for the year alone: investigations
    opened, distinct suspects arrested, distinct defendants prosecuted and convicted (the
    totals of ``justice``; the public page shows these)."""
    orgs = _orgs(scope)
    return {
        "investigations": justice_figures.investigations_in_year(year, orgs),
        "arrested": justice_figures.arrested_in_year(year, orgs),
        "prosecuted": justice_figures.prosecuted_in_year(year, orgs)["total"],
        "convicted": justice_figures.convicted_in_year(year, orgs)["total"],
    }


def non_punishment(year, scope=None) -> dict:
    """Victims with an offence recorded against them in the year, by type; alerts raised,
    resolved (by outcome) and open at year end (``himaya.cases.figures``)."""
    return cases_figures.nonpunishment_figures(year, _dossiers(scope))


def support_to_ngos(year, scope=None) -> dict:
    """Support given to NGOs in the year: financial (MAD, number of grants), in kind, and the
    number of organisations receiving it (``himaya.referrals.figures``)."""
    return referrals_figures.support_to_ngos(year)


def hotline(year, scope=None) -> dict:
    """Hotline reports received in the year, by channel and outcome, and the time to triage
    (``himaya.hotline.figures``)."""
    start, end = hotline_figures.year_period(year)
    return hotline_figures.summary(Report.objects.all(), start, end)


def screening(year, scope=None) -> dict:
    """People screened in the year, by recommendation, and the dossiers opened from screenings;
    how many screenings were proactive (in a campaign) (``himaya.screening.figures``)."""
    return screening_figures.year_figures(year)


def trainings(year, scope=None) -> dict:
    """Trainings (DOMAIN.md §6): training sessions whose first day is dated in the year, by
    topic; their participants counted per type of agency (the organisation type they came
    from) and by sex (women, men, not recorded). A person trained in two sessions of the year
    counts in each: names are optional, so participations are counted, not distinct people
    (``himaya.coordination.figures``)."""
    return coordination_figures.trainings(year)
