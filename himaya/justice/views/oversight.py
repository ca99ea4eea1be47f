"""Pages across proceedings: the stalled list, the commission's oversight of proceedings
involving officials (no identities), and the justice figures."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from himaya.core import access

from ..oversight import oversight_rows, stalled_for
from .common import require_justice


@require_safe
def stalled_list(request):
    require_justice(request)
    return render(
        request,
        "justice/stalled.html",
        {"rows": stalled_for(request.user), "stalled_months": settings.HIMAYA_STALLED_MONTHS},
    )


@require_safe
def oversight(request):
    if not access.sees_justice_oversight(request.user):
        raise Http404
    return render(request, "justice/oversight.html", {"rows": oversight_rows()})


@require_safe
def figures_page(request):
    from ..figures import BAND_LABELS, all_figures

    orgs = access.justice_figure_org_ids(request.user)
    if orgs is not None and not orgs:
        raise Http404
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    if not 2000 <= year <= timezone.localdate().year:
        year = timezone.localdate().year
    fig = all_figures(year, orgs)
    for band in fig["sentences"]["bands"]:
        band["label"] = BAND_LABELS[band["band"]]
    return render(
        request,
        "justice/figures.html",
        {
            "year": year,
            "fig": fig,
            "previous": year - 1,
            "oversight": access.sees_justice_oversight(request.user),
        },
    )
