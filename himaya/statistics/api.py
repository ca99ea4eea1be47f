"""The annual report through the API: /api/annual-reports/<year>/ (the live figures) and
?version=N (a frozen version), as the JSON the report pages and exports are built from. For
the analysts of the national commission (core.access, "Statistics"); anyone else gets 404."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from himaya.accounts.api_auth import IsMember
from himaya.audit import log
from himaya.core import access

from . import actions, builds, labels
from .models import FrozenReport
from .report import LANGUAGES


def _language(request):
    """The language the labels are given in: ?lang=, else the request's language."""
    lang = (request.query_params.get("lang") or translation.get_language() or "ar")[:2]
    return lang if lang in LANGUAGES else "ar"


class AnnualReportView(APIView):
    permission_classes = [IsMember]

    @extend_schema(
        parameters=[
            OpenApiParameter("version", OpenApiTypes.INT, description="a frozen version"),
            OpenApiParameter(
                "lang", OpenApiTypes.STR, enum=list(LANGUAGES), description="labels' language"
            ),
        ],
        responses={200: OpenApiTypes.OBJECT, 202: OpenApiTypes.OBJECT},
        description="Every table of the annual report of a year with the year before, the "
        "facts of the statement, the chart series and the UNODC breakdowns. A large caseload "
        "is computed in the background: the answer is then 202 with the progress; ask again.",
    )
    def get(self, request, year):
        if not access.reads_national_report(request.user):
            raise Http404
        try:
            actions.check_year(year)
        except ValidationError:
            raise Http404 from None
        raw = request.query_params.get("version")
        if raw:
            try:
                frozen = FrozenReport.objects.visible_to(request.user).get(
                    year=year, version=int(raw)
                )
            except (ValueError, FrozenReport.DoesNotExist):
                raise Http404 from None
            log.write(request.user, "api_report", ("statistics.report", f"{year}:{frozen.version}"))
            report = labels.localise(frozen.report, _language(request))
            return Response({**report, "frozen_version": frozen.version})
        report, build = builds.live_report(year, request.user)
        if report is None:  # a large caseload: computed in the background, ask again later
            return Response(
                {"status": build.status, "progress": build.progress},
                status=202 if build.status != "failed" else 503,
                headers={"Retry-After": "5"},
            )
        log.write(request.user, "api_report", ("statistics.report", f"{year}:live"))
        return Response(labels.localise(report, _language(request)))
