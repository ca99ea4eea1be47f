"""The annual report through the API: /api/annual-reports/<year>/ (the live figures) and
?version=N (a frozen version), as the JSON the report pages and exports are built from. For
the analysts of the national commission (core.access, "Statistics"); anyone else gets 404."""

from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from himaya.accounts.api_auth import IsMember
from himaya.core import access

from . import actions
from .models import FrozenReport
from .report import build_report


class AnnualReportView(APIView):
    permission_classes = [IsMember]

    @extend_schema(
        parameters=[
            OpenApiParameter("version", OpenApiTypes.INT, description="a frozen version"),
        ],
        responses={200: OpenApiTypes.OBJECT},
        description="Every table of the annual report of a year with the year before, the "
        "facts of the statement, the chart series and the UNODC breakdowns.",
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
            return Response({**frozen.report, "frozen_version": frozen.version})
        return Response(build_report(year))
