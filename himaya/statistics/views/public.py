"""The public statistics page (/statistics/): no login, no JavaScript, no per-user data. The
tables come from ``public.published`` (protected, cached per year and language); ``?year=``
picks a published year (anything else shows the latest, with a notice), ``?format=csv``
downloads the same published tables."""

import csv

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import public


def _year(request, years):
    """(year shown, the asked year when it is not published, else None)."""
    asked = request.GET.get("year", "").strip()
    if not asked:
        return years[0], None
    try:
        year = int(asked)
    except ValueError:
        return years[0], asked[:10]
    if year in years:
        return year, None
    return years[0], str(year)[:10]


@require_GET
def statistics(request):
    years = public.published_years()
    if not years:
        return render(
            request,
            "statistics/public.html",
            {"years": [], "current_year": public.last_published_year() + 1},
        )
    year, refused = _year(request, years)
    tables = public.published(year)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="himaya-statistics-{year}.csv"'
        response.write("\ufeff")  # so spreadsheets read the Arabic labels as UTF-8
        csv.writer(response).writerows(public.csv_rows(tables))
        return response
    current = public.last_published_year() + 1
    return render(
        request,
        "statistics/public.html",
        {
            "year": year,
            "years": years,
            "refused": refused,
            "refused_current": refused is not None and refused == str(current),
            "current_year": current,
            "tables": tables,
            "k": tables["k"],
        },
    )
