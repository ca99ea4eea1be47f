"""The service catalogue, the providers (the directory) and their facilities with beds per
group, occupied and free today (counted from the stays, for a whole page at once)."""

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from himaya.accounts.api import ActingOrgMixin, ChoiceField, CodeOut, visible_or_404
from himaya.core import access
from himaya.core.api import StrictSerializer

from ..models import HTCDS_SPL_TYPE, Facility, Group, Provider, Service, load_boards


class ServiceSerializer(StrictSerializer):
    code = serializers.CharField()
    label = serializers.CharField()
    htcds = serializers.CharField()


class ServiceViewSet(viewsets.ViewSet):
    """The service catalogue, with its HTCDS spl_Type."""

    @extend_schema(responses=ServiceSerializer(many=True))
    def list(self, request):
        if not access.member_org_ids(request.user):
            raise Http404
        rows = [
            {"code": s.value, "label": str(s.label), "htcds": HTCDS_SPL_TYPE[s]} for s in Service
        ]
        return Response(ServiceSerializer(rows, many=True).data)


class BedSerializer(StrictSerializer):
    group = serializers.CharField()
    beds = serializers.IntegerField()
    occupied = serializers.IntegerField()
    free = serializers.IntegerField()


class FacilitySerializer(StrictSerializer):
    id = serializers.IntegerField(read_only=True)
    organisation = serializers.IntegerField(source="organisation_id", read_only=True)
    # The name and city in the language the request asked for (Accept-Language), else the
    # nearest one given; each language's own beside them.
    name = serializers.CharField(read_only=True)
    name_ar = serializers.CharField(read_only=True)
    name_fr = serializers.CharField(read_only=True)
    name_en = serializers.CharField(read_only=True)
    region = CodeOut()
    city = serializers.CharField(read_only=True)
    city_ar = serializers.CharField(read_only=True)
    city_fr = serializers.CharField(read_only=True)
    city_en = serializers.CharField(read_only=True)
    beds = serializers.SerializerMethodField()
    free_beds = serializers.SerializerMethodField()

    @extend_schema_field(BedSerializer(many=True))
    def get_beds(self, obj):
        return [
            {"group": g.value, "beds": b, "occupied": o, "free": fr} for g, b, o, fr in obj.rows
        ]

    def get_free_beds(self, obj) -> int:
        return sum(r[3] for r in obj.rows)


class ProviderSerializer(StrictSerializer):
    id = serializers.IntegerField(read_only=True)
    organisation = serializers.IntegerField(source="organisation_id", read_only=True)
    name = serializers.CharField(source="organisation.name", read_only=True)
    type = CodeOut(source="organisation.type")
    services = serializers.ListField(child=serializers.CharField(), read_only=True)
    groups = serializers.ListField(child=serializers.CharField(), read_only=True)
    regions = CodeOut(many=True)
    languages = CodeOut(many=True)
    contact = serializers.CharField(read_only=True)
    accepts_referrals = serializers.BooleanField(read_only=True)


class ProviderFilterSerializer(StrictSerializer):
    service = ChoiceField(choices=Service.choices, required=False)
    group = ChoiceField(choices=Group.choices, required=False)
    region = serializers.CharField(required=False, max_length=64)
    language = serializers.CharField(required=False, max_length=64)


class ProviderViewSet(ActingOrgMixin, viewsets.GenericViewSet):
    """Service providers (the directory): every member reads them."""

    serializer_class = ProviderSerializer
    queryset = Provider.objects.none()
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        return (
            Provider.objects.visible_to(self.request.user)
            .select_related("organisation", "organisation__type")
            .prefetch_related("regions", "languages")
        )

    @extend_schema(parameters=[ProviderFilterSerializer])
    def list(self, request):
        filters = ProviderFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        f = filters.validated_data
        qs = self.get_queryset()
        if f.get("region"):
            qs = qs.filter(regions__list="region", regions__code=f["region"])
        if f.get("language"):
            qs = qs.filter(languages__list="language", languages__code=f["language"])
        rows = [
            p
            for p in qs
            if (not f.get("service") or f["service"] in p.services)
            and (not f.get("group") or f["group"] in p.groups)
        ]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(ProviderSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        provider = visible_or_404(self.get_queryset(), Provider, pk, request.user)
        return Response(ProviderSerializer(provider).data)


class FacilityViewSet(ActingOrgMixin, viewsets.GenericViewSet):
    """Facilities (shelters) with beds per group, occupied and free today (from the stays)."""

    serializer_class = FacilitySerializer
    queryset = Facility.objects.none()
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        return (
            Facility.objects.visible_to(self.request.user)
            .filter(active=True)
            .select_related("region")
        )

    def list(self, request):
        page = load_boards(self.paginate_queryset(list(self.get_queryset())))
        return self.get_paginated_response(FacilitySerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        facility = visible_or_404(self.get_queryset(), Facility, pk, request.user)
        facility.rows = facility.board()
        return Response(FacilitySerializer(facility).data)
