"""The records behind a figure (drill-down): one record per person or case the figure counts
(the first), so the list is exactly as long as the figure. The reader is shown only those the
access module lets them open (``visible_to``), and told how many others there are, so a
drill-down never shows more than the reader's own pages would (S4)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from himaya.cases.models import Dossier
from himaya.justice import figures as justice_figures
from himaya.justice.models import Investigation, Prosecution, SuspectEvent, suspect_key
from himaya.people.models import person_key
from himaya.referrals import figures as referrals_figures
from himaya.referrals.models import Referral

from . import figures

SHOWN = 200

# The figures that open on their records, by row key of the report; each lists one record
# per person or case counted (the first one), so a figure and its list are the same number.
FIGURES = {
    "victims": _("Victims identified"),
    "referred": _("Victims identified in the year and referred to a service"),
    "assisted": _("Victims identified in the year who received a service"),
    "persons_referred": _("Persons referred in the year, whenever identified"),
    "investigations": _("Investigations opened"),
    "arrested": _("Suspects arrested"),
    "prosecuted": _("Defendants prosecuted"),
    "convicted": _("Defendants convicted"),
}


def _first_per(rows):
    """The record id of the first row of each counted unit, from (unit, id) rows in order."""
    first = {}
    for unit, pk in rows:
        first.setdefault(unit, pk)
    return list(first.values())


def _victim_dossiers(year, persons=None):
    """For each victim identified in the year (or each of ``persons``), the dossier of their
    first positive identification decision (``figures.identified_victims``)."""
    return Dossier.objects.filter(
        pk__in=[
            v.dossier
            for v in figures.identified_victims(year)
            if persons is None or v.person in persons
        ]
    )


def _source(figure, year):
    """(queryset of the counted records, one per unit counted; how to show one)."""
    if figure == "victims":
        return _victim_dossiers(year), _dossier_row
    if figure == "referred":
        return figures.referrals_of_identified(year), _referral_row
    if figure == "assisted":
        return _victim_dossiers(year, set(figures.services_of_identified(year))), _dossier_row
    if figure == "persons_referred":
        sent = (
            referrals_figures.sent_in(year)
            .annotate(who=person_key("dossier__"))
            .order_by("sent_at", "pk")
            .values_list("who", "pk")
        )
        return Referral.objects.filter(pk__in=_first_per(sent)), _referral_row
    if figure == "investigations":
        return justice_figures.drill_down("investigations", year), _investigation_row
    if figure == "arrested":
        arrests = (
            justice_figures.drill_down("arrested", year)
            .annotate(who=suspect_key())
            .order_by("on", "pk")
            .values_list("who", "pk")
        )
        return SuspectEvent.objects.filter(pk__in=_first_per(arrests)), _event_row
    if figure == "prosecuted":
        # counted: defendants with a charge on a prosecution started in the year
        started = (
            justice_figures.drill_down("prosecuted", year)
            .filter(charges__isnull=False)
            .annotate(who=suspect_key())
            .order_by("started_on", "pk")
            .values_list("who", "pk")
        )
        return Prosecution.objects.filter(pk__in=_first_per(started)), _prosecution_row
    convicted = (
        justice_figures.drill_down("convicted", year)
        .annotate(who=suspect_key("charge__prosecution__"))
        .order_by("decided_on", "pk")
        .values_list("who", "charge__prosecution_id")
    )
    return Prosecution.objects.filter(pk__in=_first_per(convicted)), _prosecution_row


def _dossier_row(d):
    return {"label": d.reference, "url": reverse("cases:detail", args=[d.pk]), "on": d.opened_on}


def _referral_row(r):
    return {
        "label": f"{r.dossier.reference} → {r.to_org}",
        "url": reverse("referrals:detail", args=[r.pk]),
        "on": r.sent_at.date(),
    }


def _investigation_row(i):
    return {"label": str(i), "url": reverse("justice:detail", args=[i.pk]), "on": i.opened_on}


def _event_row(e):
    return {
        "label": str(e.investigation),
        "url": reverse("justice:detail", args=[e.investigation_id]),
        "on": e.on,
    }


def _prosecution_row(p):
    return {"label": str(p), "url": reverse("justice:prosecution", args=[p.pk]), "on": p.started_on}


MODELS = {
    "victims": Dossier,
    "referred": Referral,
    "assisted": Dossier,
    "persons_referred": Referral,
    "investigations": Investigation,
    "arrested": SuspectEvent,
    "prosecuted": Prosecution,
    "convicted": Prosecution,
}


def records(figure, year, user):
    """{"total": records behind the figure, "visible": how many the user may open, "rows":
    the first SHOWN of those, "hidden": the others}."""
    counted, show = _source(figure, year)
    model = MODELS[figure]
    ids = counted.values("pk")
    visible = model.objects.visible_to(user).filter(pk__in=ids).distinct()
    total = model.objects.filter(pk__in=ids).count()
    shown = visible.order_by("pk")
    if MODELS[figure] is Referral:
        shown = shown.select_related("dossier", "to_org")
    elif figure == "arrested":
        shown = shown.select_related("investigation")
    rows = [show(r) for r in shown[:SHOWN]]
    count = visible.count()
    return {"total": total, "visible": count, "rows": rows, "hidden": total - count}
