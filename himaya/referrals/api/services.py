"""Services delivered through the API: sessions, shelter stays (admit, discharge), returns,
plan goals and follow-ups. The same actions as the pages; each record is scoped by its
``visible_to`` (→ 404) and its free text is serialised only for a reader who sees the dossier
with the identity."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from himaya.accounts.api import (
    ActingOrganisationField,
    ActingOrgMixin,
    ChoiceField,
    CodeField,
    CodeOut,
    visible_or_404,
)
from himaya.accounts.models import Organisation
from himaya.audit import log
from himaya.cases.models import Dossier
from himaya.core import access
from himaya.core.api import StrictSerializer
from himaya.core.shortcuts import MAX_ID

from .. import actions
from ..models import (
    BED_GROUPS,
    DischargeReason,
    Facility,
    FollowUp,
    GoalStatus,
    Referral,
    ReturnAssistance,
    ServiceRecord,
    SessionKind,
    ShelterStay,
    SupportGoal,
)
from .common import DossierRecordViewSet, TextGatedSerializer, VersionSerializer


class SessionSerializer(StrictSerializer):
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
        except PermissionDenied as exc:  # the record is visible: say who may (issue 15)
            raise exceptions.PermissionDenied(str(exc)) from None
        return Response(SessionSerializer(record).data, status=status.HTTP_201_CREATED)


class StaySerializer(StrictSerializer):
    id = serializers.IntegerField(read_only=True)
    facility = serializers.IntegerField(source="facility_id", read_only=True)
    dossier = serializers.IntegerField(source="dossier_id", read_only=True)
    referral = serializers.IntegerField(source="referral_id", read_only=True, allow_null=True)
    bed_group = ChoiceField(choices=[(g.value, g.label) for g in BED_GROUPS], read_only=True)
    admitted_on = serializers.DateField(read_only=True)
    discharged_on = serializers.DateField(read_only=True, allow_null=True)
    discharge_reason = ChoiceField(
        choices=DischargeReason.choices, read_only=True, allow_blank=True
    )
    version = serializers.IntegerField(read_only=True)

    text_fields = frozenset()


class AdmitSerializer(StrictSerializer):
    referral = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    facility = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    bed_group = ChoiceField(choices=[(g.value, g.label) for g in BED_GROUPS])
    admitted_on = serializers.DateField()


class DischargeSerializer(VersionSerializer):
    discharged_on = serializers.DateField()
    discharge_reason = ChoiceField(choices=DischargeReason.choices)


class StayViewSet(DossierRecordViewSet):
    """Shelter stays: of your organisation's facilities, or on dossiers it owns. A stay is
    opened (admit) on an accepted shelter referral to your organisation."""

    model = ShelterStay
    serializer_class = StaySerializer
    queryset = ShelterStay.objects.none()

    @extend_schema(request=AdmitSerializer, responses={201: StaySerializer})
    def create(self, request):
        data = AdmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        referral = (
            Referral.objects.visible_to(request.user)
            .select_related("dossier")
            .defer(*Referral.FREE_TEXT_FIELDS)
            .filter(pk=d.pop("referral"))
            .first()
        )
        if referral is None or not access.referral_receiver(request.user, referral):
            raise Http404
        facility = Facility.objects.filter(
            pk=d["facility"], organisation_id=referral.to_org_id, active=True
        ).first()
        if facility is None:
            raise serializers.ValidationError(
                {"facility": _("The facility must belong to the provider.")}
            )
        d["facility"] = facility
        try:
            stay = actions.admit(referral, acting_user=request.user, **d)
        except PermissionDenied as exc:  # the record is visible: say who may (issue 15)
            raise exceptions.PermissionDenied(str(exc)) from None
        return Response(self._out(stay), status=status.HTTP_201_CREATED)

    @extend_schema(request=DischargeSerializer, responses=StaySerializer)
    @action(detail=True, methods=["post"])
    def discharge(self, request, pk=None):
        data = DischargeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        return self._run(
            actions.discharge,
            expected_version=d["version"],
            discharged_on=d["discharged_on"],
            reason=d["discharge_reason"],
        )


class ReturnSerializer(TextGatedSerializer):
    id = serializers.IntegerField(read_only=True)
    dossier = serializers.IntegerField(source="dossier_id", read_only=True)
    organisation = serializers.IntegerField(source="organisation_id", read_only=True)
    destination = CodeOut()
    partner = serializers.IntegerField(source="partner_id", read_only=True, allow_null=True)
    partner_other = serializers.CharField(read_only=True)
    travel_on = serializers.DateField(read_only=True)
    given_by = serializers.IntegerField(source="given_by_id", read_only=True)
    reintegration_followup = serializers.CharField(read_only=True, required=False)

    text_fields = frozenset({"reintegration_followup"})


class ReturnCreateSerializer(StrictSerializer):
    dossier = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    organisation = ActingOrganisationField()
    destination = CodeField("country")
    partner = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True
    )
    partner_other = serializers.CharField(max_length=200, required=False, allow_blank=True)
    travel_on = serializers.DateField()
    followup = serializers.CharField(max_length=4000, required=False, allow_blank=True)

    def validate_partner(self, value):
        if value is None:
            return None
        org = Organisation.objects.filter(pk=value, active=True).first()
        if org is None:
            raise serializers.ValidationError(_("Unknown organisation."))
        return org


class ReturnViewSet(DossierRecordViewSet):
    """Return and repatriation assistance your organisation recorded, or on dossiers it owns."""

    model = ReturnAssistance
    serializer_class = ReturnSerializer
    queryset = ReturnAssistance.objects.none()
    audit_purpose = "api:return"
    create_serializer = ReturnCreateSerializer
    create_action = staticmethod(actions.record_return)

    def get_queryset(self):
        return super().get_queryset().select_related("destination")

    @extend_schema(request=ReturnCreateSerializer, responses={201: ReturnSerializer})
    def create(self, request):
        return super().create(request)


# Not an enum in the schema: hotline reports have a "status" enum of their own.
@extend_schema_field({"type": "string", "pattern": "^(" + "|".join(GoalStatus.values) + ")$"})
class GoalStatusField(ChoiceField):
    pass


class GoalSerializer(TextGatedSerializer):
    id = serializers.IntegerField(read_only=True)
    dossier = serializers.IntegerField(source="dossier_id", read_only=True)
    organisation = serializers.IntegerField(source="organisation_id", read_only=True)
    status = GoalStatusField(choices=GoalStatus.choices, read_only=True)
    target_on = serializers.DateField(read_only=True, allow_null=True)
    created_by = serializers.IntegerField(source="created_by_id", read_only=True)
    version = serializers.IntegerField(read_only=True)
    goal = serializers.CharField(read_only=True, required=False)

    text_fields = frozenset({"goal"})


class GoalCreateSerializer(StrictSerializer):
    dossier = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    organisation = ActingOrganisationField()
    goal = serializers.CharField(max_length=2000)
    target_on = serializers.DateField(required=False, allow_null=True)


class GoalStatusSerializer(VersionSerializer):
    status = GoalStatusField(choices=GoalStatus.choices)


class GoalViewSet(DossierRecordViewSet):
    """Support-plan goals your organisation wrote, or on dossiers it owns."""

    model = SupportGoal
    serializer_class = GoalSerializer
    queryset = SupportGoal.objects.none()
    audit_purpose = "api:goal"
    create_serializer = GoalCreateSerializer
    create_action = staticmethod(actions.add_goal)

    @extend_schema(request=GoalCreateSerializer, responses={201: GoalSerializer})
    def create(self, request):
        return super().create(request)

    @extend_schema(request=GoalStatusSerializer, responses=GoalSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        data = GoalStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        return self._run(actions.set_goal_status, status=d["status"], expected_version=d["version"])


class FollowUpSerializer(TextGatedSerializer):
    id = serializers.IntegerField(read_only=True)
    dossier = serializers.IntegerField(source="dossier_id", read_only=True)
    organisation = serializers.IntegerField(source="organisation_id", read_only=True)
    due_on = serializers.DateField(read_only=True)
    done_on = serializers.DateField(read_only=True, allow_null=True)
    created_by = serializers.IntegerField(source="created_by_id", read_only=True)
    purpose = serializers.CharField(read_only=True, required=False)

    text_fields = frozenset({"purpose"})


class FollowUpCreateSerializer(StrictSerializer):
    dossier = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    organisation = ActingOrganisationField()
    due_on = serializers.DateField()
    purpose = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class FollowUpDoneSerializer(StrictSerializer):
    done_on = serializers.DateField(required=False, allow_null=True)


class FollowUpViewSet(DossierRecordViewSet):
    """Follow-ups your organisation scheduled, or on dossiers it owns."""

    model = FollowUp
    serializer_class = FollowUpSerializer
    queryset = FollowUp.objects.none()
    audit_purpose = "api:followup"
    create_serializer = FollowUpCreateSerializer
    create_action = staticmethod(actions.schedule_followup)

    @extend_schema(request=FollowUpCreateSerializer, responses={201: FollowUpSerializer})
    def create(self, request):
        return super().create(request)

    @extend_schema(request=FollowUpDoneSerializer, responses=FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        data = FollowUpDoneSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._run(actions.complete_followup, done_on=data.validated_data.get("done_on"))
