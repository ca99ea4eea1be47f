"""The records behind a figure (drill-down). The records are those the figure counts; the reader
is shown only those the access module lets them open (``visible_to``), and told how many
others there are, so a drill-down never shows more than the reader's own pages would (S4)."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from himaya.cases.models import POSITIVE_STATUSES, Dossier, IdentificationDecision
from himaya.justice import figures as justice_figures
from himaya.justice.models import Investigation, Prosecution, SuspectEvent
from himaya.people.models import person_key
from himaya.referrals.models import Referral

from . import figures

SHOWN = 200

FIGURES = {
    "victims": _("Victims identified"),
    "referred": _("Victims identified in the year and referred to a service"),
    "investigations": _("Investigations opened"),
    "arrested": _("Suspects arrested"),
    "prosecuted": _("Defendants prosecuted"),
    "convicted": _("Defendants convicted"),
}


def _victim_dossiers(year):
    """Dossiers with a positive decision in the year of a person identified in the year."""
    decided = (
        IdentificationDecision.objects.filter(
            status__code__in=POSITIVE_STATUSES,
            decided_on__range=(datetime.date(year, 1, 1), datetime.date(year, 12, 31)),
        )
        .annotate(who=person_key("dossier__"))
        .filter(who__in=figures.first_decisions(year).values("who"))
    )
    return Dossier.objects.filter(pk__in=decided.values("dossier_id"))


def _source(figure, year):
    """(queryset of the counted records, how to show one)."""
    if figure == "victims":
        return _victim_dossiers(year), _dossier_row
    if figure == "referred":
        return figures.referrals_of_identified(year), _referral_row
    if figure == "investigations":
        return justice_figures.drill_down("investigations", year), _investigation_row
    if figure == "arrested":
        return justice_figures.drill_down("arrested", year), _event_row
    if figure == "prosecuted":
        return justice_figures.drill_down("prosecuted", year), _prosecution_row
    ids = justice_figures.drill_down("convicted", year).values("charge__prosecution_id")
    return Prosecution.objects.filter(pk__in=ids), _prosecution_row


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
    if figure == "referred":
        shown = shown.select_related("dossier", "to_org")
    elif figure == "arrested":
        shown = shown.select_related("investigation")
    rows = [show(r) for r in shown[:SHOWN]]
    count = visible.count()
    return {"total": total, "visible": count, "rows": rows, "hidden": total - count}
