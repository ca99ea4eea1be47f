"""Providers, facilities, referrals and services through the API, scoped like the pages
(``visible_to`` → 404). A referral's free text (reason, guardian, override reason, rejection
note) is serialised only for a reader who sees its dossier with the identity; the consent rule
(S7) and the access grant (S6) are those of the actions."""

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
from himaya.people.api import MAX_VERSION

from . import actions
from .models import (
    BED_GROUPS,
    HTCDS_SPL_TYPE,
    DischargeReason,
    Facility,
    FollowUp,
    GoalStatus,
    Group,
    Provider,
    Referral,
    ReferralStatus,
    RejectionReason,
    ReturnAssistance,
    Service,
    ServiceRecord,
    SessionKind,
    ShelterStay,
    SupportGoal,
)

# Keys only a reader who sees the dossier with the identity gets.
REFERRAL_TEXT_FIELDS = frozenset({"reason", "guardian", "override_reason", "rejection_note"})


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
        page = self.paginate_queryset(list(self.get_queryset()))
        for f in page:
            f.rows = f.board()
        return self.get_paginated_response(FacilitySerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        facility = visible_or_404(self.get_queryset(), Facility, pk, request.user)
        facility.rows = facility.board()
        return Response(FacilitySerializer(facility).data)


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
        # The text is neither shown nor read (lists defer it: reading it would be a query per
        # row and a decryption for nothing).
        return {
            field.field_name: (
                None
                if (value := field.get_attribute(obj)) is None
                else field.to_representation(value)
            )
            for field in self._readable_fields
            if field.field_name not in REFERRAL_TEXT_FIELDS
        }


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


class VersionSerializer(StrictSerializer):
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


# --- Stays, returns, plan goals and follow-ups ---------------------------------------------
# The same actions as the pages; each record is scoped by its ``visible_to`` (→ 404) and its
# free text is serialised only for a reader who sees the dossier with the identity.


class TextGatedSerializer(StrictSerializer):
    text_fields = frozenset()

    @property
    def optional_fields(self):  # absent for a reader who does not see the identity
        return self.text_fields

    def to_representation(self, obj):
        data = super().to_representation(obj)
        if not getattr(obj, "with_text", False):
            for key in self.text_fields:
                data.pop(key, None)
        return data


class DossierRecordViewSet(ActingOrgMixin, viewsets.GenericViewSet):
    """List and read a service record; create it on a dossier through one action."""

    model = None
    audit_purpose = "api"
    create_serializer = None
    create_action = None
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user).select_related("dossier")

    def _object(self, purpose="api"):
        return visible_or_404(
            self.get_queryset(), self.model, self.kwargs["pk"], self.request.user, purpose
        )

    def _out(self, record):
        user = self.request.user
        fresh = self.model.objects.select_related("dossier").get(pk=record.pk)
        fresh.with_text = bool(self.serializer_class.text_fields) and access.sees_identity(
            user, fresh.dossier
        )
        if fresh.with_text:
            log.read(user, fresh.dossier.person_id, fresh, self.audit_purpose)
        return self.serializer_class(fresh).data

    def list(self, request):
        text = self.serializer_class.text_fields
        page = self.paginate_queryset(self.get_queryset().defer(*text))
        return self.get_paginated_response(self.serializer_class(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self._out(self._object()))

    def create(self, request):
        data = self.create_serializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        d = {k: v for k, v in data.validated_data.items() if v is not None}
        dossier = Dossier.objects.visible_to(request.user).filter(pk=d.pop("dossier")).first()
        if dossier is None:
            raise Http404
        try:
            record = self.create_action(dossier, acting_user=request.user, **d)
        except PermissionDenied as exc:  # the record is visible: say who may (issue 15)
            raise exceptions.PermissionDenied(str(exc)) from None
        return Response(self._out(record), status=status.HTTP_201_CREATED)

    def _run(self, fn, **kwargs):
        record = self._object("api:update")
        try:
            fn(record, acting_user=self.request.user, **kwargs)
        except PermissionDenied as exc:  # the record is visible: say who may (issue 15)
            raise exceptions.PermissionDenied(str(exc)) from None
        return Response(self._out(record))


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
            version=d["version"],
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
        return self._run(actions.set_goal_status, **data.validated_data)


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
