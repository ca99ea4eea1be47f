"""Referrals through the API: the consent rule (S7) and the access grant (S6) are those of the
actions; the free text (reason, guardian, override reason, rejection note) is serialised only for
a reader who sees the dossier with the identity."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from himaya.accounts.api import ActingOrgMixin, ChoiceField, visible_or_404
from himaya.accounts.models import Organisation
from himaya.audit import log
from himaya.cases.models import Dossier
from himaya.core import access
from himaya.core.api import StrictSerializer
from himaya.core.shortcuts import MAX_ID

from .. import actions
from ..models import Facility, Referral, ReferralStatus, RejectionReason, Service
from .common import VersionSerializer, represent_without

REFERRAL_TEXT_FIELDS = frozenset({"reason", "guardian", "override_reason", "rejection_note"})


class ReferralSerializer(StrictSerializer):
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
    # "" until the referral is rejected: declared, so the schema's enum admits it.
    rejection_reason = ChoiceField(
        choices=RejectionReason.choices, read_only=True, allow_blank=True
    )
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

    optional_fields = REFERRAL_TEXT_FIELDS

    def to_representation(self, obj):
        if getattr(obj, "with_text", False):
            return super().to_representation(obj)
        return represent_without(self, obj, REFERRAL_TEXT_FIELDS)


class ReferralCreateSerializer(StrictSerializer):
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
        # The API's "version" is the actions' expected_version (the version the client read).
        rename = {"version": "expected_version", **(rename or {})}
        kwargs = {rename.get(k, k): v for k, v in data.validated_data.items()}
        try:
            fn(referral, acting_user=request.user, **kwargs)
        except PermissionDenied as exc:  # the record is visible: say who may (issue 15)
            raise exceptions.PermissionDenied(str(exc)) from None
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
