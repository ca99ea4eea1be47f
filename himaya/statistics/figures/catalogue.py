"""The figures an indicator of the action plan is computed from (coordination), and the years
a report has something to say about."""

from django.utils.translation import gettext_lazy as _

from himaya.cases.models import IdentificationDecision
from himaya.hotline.models import Report
from himaya.justice import figures as justice_figures
from himaya.justice.models import Prosecution
from himaya.referrals import figures as referrals_figures
from himaya.referrals.models import Referral, ReturnAssistance, ServiceRecord, ShelterStay

from .pillars import trainings
from .protection import identified_assisted, identified_referred
from .victims import victims_identified_total

# Each is a number for a year, counted by the rule of the figure it names, with the
# drill-down (statistics.drill) that lists its records where there is one.


def _justice_total(fn):
    return lambda year: fn(year, None)["total"]


INDICATOR_FIGURES = {
    "victims_identified": (_("Victims identified"), victims_identified_total, "victims"),
    "victims_referred": (_("Identified victims referred"), identified_referred, "referred"),
    "victims_assisted": (_("Identified victims assisted"), identified_assisted, None),
    "investigations": (
        _("Investigations opened"),
        lambda year: justice_figures.investigations_in_year(year, None),
        "investigations",
    ),
    "arrested": (
        _("Suspects arrested"),
        lambda year: justice_figures.arrested_in_year(year, None),
        "arrested",
    ),
    "prosecuted": (
        _("Defendants prosecuted"),
        _justice_total(justice_figures.prosecuted_in_year),
        "prosecuted",
    ),
    "convicted": (
        _("Defendants convicted"),
        _justice_total(justice_figures.convicted_in_year),
        "convicted",
    ),
    "shelter_beds": (
        _("Shelter beds at year end"),
        lambda year: referrals_figures.shelter_beds(year)["total"],
        None,
    ),
    "training_sessions": (
        _("Training sessions held"),
        lambda year: trainings(year)["sessions"],
        None,
    ),
    "people_trained": (
        _("Participants in trainings"),
        lambda year: trainings(year)["participants"],
        None,
    ),
}


def indicator_catalogue() -> dict:
    """{key: label} of the figures an indicator may be computed from."""
    return {key: label for key, (label, _fn, _drill) in INDICATOR_FIGURES.items()}


def years_with_data() -> list[int]:
    """The years some record of the annual report is dated in (an identification decision, an
    investigation, an arrest, a prosecution, a referral, a service, a hotline report, a
    training), newest first: the years a report has something to say about."""
    from himaya.coordination.models import Training
    from himaya.justice.models import Investigation, SuspectEvent

    years = set()
    for qs, name in (
        (IdentificationDecision.objects.all(), "decided_on"),
        (Investigation.objects.all(), "opened_on"),
        (SuspectEvent.objects.all(), "on"),
        (Prosecution.objects.all(), "started_on"),
        (ServiceRecord.objects.all(), "on"),
        (ShelterStay.objects.all(), "admitted_on"),
        (ReturnAssistance.objects.all(), "travel_on"),
        (Training.objects.all(), "starts_on"),
    ):
        years |= {d.year for d in qs.order_by().dates(name, "year")}
    for qs, name in ((Referral.objects.all(), "sent_at"), (Report.objects.all(), "received_at")):
        years |= {d.year for d in qs.order_by().datetimes(name, "year")}
    return sorted(years, reverse=True)
