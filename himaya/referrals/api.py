"""Providers, facilities, referrals and services through the API, scoped like the pages
(``visible_to`` → 404). A referral's free text (reason, guardian, override reason, rejection
note) is serialised only for a reader who sees its dossier with the identity; the consent rule
(S7) and the access grant (S6) are those of the actions."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from himaya.accounts.api import ActingOrgMixin, ChoiceField, CodeOut, visible_or_404
from himaya.accounts.models import Organisation
from himaya.audit import log
from himaya.cases.models import Dossier
from himaya.core import access
from himaya.core.shortcuts import MAX_ID
from himaya.people.api import MAX_VERSION

from . import actions
from .models import (
    HTCDS_SPL_TYPE,
    Facility,
    Group,
    Provider,
    Referral,
    ReferralStatus,
    RejectionReason,
    Service,
    ServiceRecord,
    SessionKind,
)

# Keys only a reader who sees the dossier with the identity gets.
REFERRAL_TEXT_FIELDS = frozenset({"reason", "guardian", "override_reason", "rejection_note"})


class ServiceSerializer(serializers.Serializer):
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


class BedSerializer(serializers.Serializer):
    group = serializers.CharField()
    beds = serializers.IntegerField()
    occupied = serializers.IntegerField()
    free = serializers.IntegerField()


class FacilitySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    organisation = serializers.IntegerField(source="organisation_id", read_only=True)
    name = serializers.CharField(read_only=True)
    region = CodeOut()
    city = serializers.CharField(read_only=True)
    beds = serializers.SerializerMethodField()
    free_beds = serializers.SerializerMethodField()

    @extend_schema_field(BedSerializer(many=True))
    def get_beds(self, obj):
        return [
            {"group": g.value, "beds": b, "occupied": o, "free": fr} for g, b, o, fr in obj.rows
        ]

    def get_free_beds(self, obj) -> int:
        return sum(r[3] for r in obj.rows)


class ProviderSerializer(serializers.Serializer):
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


class ProviderFilterSerializer(serializers.Serializer):
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
        page = self.paginate_queryset(list(self.get_queryset()))
        for f in page:
            f.rows = f.board()
        return self.get_paginated_response(FacilitySerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        facility = visible_or_404(self.get_queryset(), Facility, pk, request.user)
        facility.rows = facility.board()
        return Response(FacilitySerializer(facility).data)


class ReferralSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    dossier = serializers.IntegerField(source="dossier_id", read_only=True)
    from_org = serializers.IntegerField(source="from_org_id", read_only=True)
    to_org = serializers.IntegerField(source="to_org_id", read_only=True)
    service = ChoiceField(choices=Service.choices, read_only=True)
    facility = serializers.IntegerField(source="facility_id", read_only=True, allow_null=True)
    urgent = serializers.BooleanField(read_only=True)
    # A plain string, not a named enum: hotline reports have a "status" enum of their own.
    status = serializers.CharField(
        read_only=True, help_text=_("in_progress, accepted, rejected, done or revoked")
    )
    is_child = serializers.BooleanField(read_only=True)
    consent = serializers.IntegerField(source="consent_id", read_only=True, allow_null=True)
    consent_override = serializers.BooleanField(read_only=True)
    rejection_reason = ChoiceField(choices=RejectionReason.choices, read_only=True)
    sent_at = serializers.DateTimeField(read_only=True)
    answer_due_at = serializers.DateTimeField(read_only=True)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)
    accepted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    rejected_at = serializers.DateTimeField(read_only=True, allow_null=True)
    done_at = serializers.DateTimeField(read_only=True, allow_null=True)
    revoked_at = serializers.DateTimeField(read_only=True, allow_null=True)
    version = serializers.IntegerField(read_only=True)
    reason = serializers.CharField(read_only=True, required=False)
    guardian = serializers.CharField(read_only=True, required=False)
    override_reason = serializers.CharField(read_only=True, required=False)
    rejection_note = serializers.CharField(read_only=True, required=False)

    def to_representation(self, obj):
        data = super().to_representation(obj)
        if not getattr(obj, "with_text", False):
            for key in REFERRAL_TEXT_FIELDS:
                data.pop(key, None)
        return data


class ReferralCreateSerializer(serializers.Serializer):
    dossier = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    to_org = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    service = ChoiceField(choices=Service.choices)
    facility = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True
    )
    reason = serializers.CharField(max_length=4000)
    urgent = serializers.BooleanField(default=False)
    guardian = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    override = serializers.BooleanField(default=False)
    override_reason = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )

    def validate(self, attrs):
        user = self.context["request"].user
        dossier = Dossier.objects.writable_by(user).filter(pk=attrs["dossier"]).first()
        if dossier is None:
            raise serializers.ValidationError(
                {"dossier": _("Choose a dossier of your organisation.")}
            )
        attrs["dossier"] = dossier
        org = Organisation.objects.filter(pk=attrs["to_org"], active=True).first()
        if org is None:
            raise serializers.ValidationError({"to_org": _("Unknown organisation.")})
        attrs["to_org"] = org
        if attrs.get("facility"):
            facility = Facility.objects.filter(pk=attrs["facility"], organisation=org).first()
            if facility is None:
                raise serializers.ValidationError(
                    {"facility": _("The facility must belong to the provider.")}
                )
            attrs["facility"] = facility
        return attrs


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=MAX_VERSION)


class RejectSerializer(VersionSerializer):
    rejection_reason = ChoiceField(choices=RejectionReason.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReferralViewSet(ActingOrgMixin, viewsets.GenericViewSet):
    """Referrals your organisation sent or received (never another organisation's)."""

    serializer_class = ReferralSerializer
    queryset = Referral.objects.none()
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        return (
            Referral.objects.visible_to(self.request.user)
            .select_related("dossier")
            .defer(*Referral.FREE_TEXT_FIELDS)
        )

    def _object(self, purpose="api"):
        return visible_or_404(
            self.get_queryset(), Referral, self.kwargs["pk"], self.request.user, purpose
        )

    def _out(self, referral):
        user = self.request.user
        fresh = Referral.objects.select_related("dossier").get(pk=referral.pk)
        fresh.with_text = access.sees_identity(user, fresh.dossier)
        if fresh.with_text:
            log.read(user, fresh.dossier.person_id, fresh, "api:referral")
        return ReferralSerializer(fresh).data

    def list(self, request):
        qs = self.get_queryset()
        if request.query_params.get("status") in ReferralStatus.values:
            qs = qs.filter(status=request.query_params["status"])
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(ReferralSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self._out(self._object()))

    @extend_schema(request=ReferralCreateSerializer, responses={201: ReferralSerializer})
    def create(self, request):
        data = ReferralCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        dossier = d.pop("dossier")
        referral = actions.send_referral(dossier, acting_user=request.user, **d)
        return Response(self._out(referral), status=status.HTTP_201_CREATED)

    def _transition(self, request, fn, serializer=VersionSerializer, rename=None):
        referral = self._object("api:answer")
        data = serializer(data=request.data)
        data.is_valid(raise_exception=True)
        kwargs = {(rename or {}).get(k, k): v for k, v in data.validated_data.items()}
        try:
            fn(referral, acting_user=request.user, **kwargs)
        except PermissionDenied:
            raise Http404 from None
        if not Referral.objects.visible_to(request.user).filter(pk=referral.pk).exists():
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(self._out(referral))

    @extend_schema(request=VersionSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._transition(request, actions.accept_referral)

    @extend_schema(request=RejectSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._transition(
            request,
            actions.reject_referral,
            RejectSerializer,
            rename={"rejection_reason": "reason"},
        )

    @extend_schema(request=VersionSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        return self._transition(request, actions.revoke_referral)

    @extend_schema(request=VersionSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        return self._transition(request, actions.complete_referral)


class SessionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    dossier = serializers.IntegerField(min_value=1, max_value=MAX_ID, source="dossier_id")
    organisation = serializers.IntegerField(source="organisation_id", read_only=True)
    kind = ChoiceField(choices=SessionKind.choices)
    on = serializers.DateField()
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    given_by = serializers.IntegerField(source="given_by_id", read_only=True)


class SessionViewSet(ActingOrgMixin, viewsets.GenericViewSet):
    """Services delivered (sessions) your organisation recorded, or on dossiers it owns."""

    serializer_class = SessionSerializer
    queryset = ServiceRecord.objects.none()
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        return ServiceRecord.objects.visible_to(self.request.user)

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset().defer("note"))
        for s in page:
            s.note = ""
        return self.get_paginated_response(SessionSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        record = visible_or_404(self.get_queryset(), ServiceRecord, pk, request.user)
        log.read(request.user, record.dossier.person_id, record, "api:session")
        return Response(SessionSerializer(record).data)

    def create(self, request):
        data = SessionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        dossier = Dossier.objects.visible_to(request.user).filter(pk=d.pop("dossier_id")).first()
        if dossier is None:
            raise Http404
        try:
            record = actions.record_session(dossier, acting_user=request.user, **d)
        except PermissionDenied:
            raise Http404 from None
        return Response(SessionSerializer(record).data, status=status.HTTP_201_CREATED)
