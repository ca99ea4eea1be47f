"""Justice records through the API: investigations, suspects, prosecutions, charges and court
decisions, each scoped by core.access ("Justice"): only members of the justice organisations of
a case get anything; NGOs, shelters and analysts get empty lists and 404s (S4, S5). Opening an
investigation and starting a prosecution are writes through the same actions as the pages."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from himaya.accounts.api import (
    ActingOrgMixin,
    CodeField,
    CodeOut,
    code_list_field,
    visible_or_404,
)
from himaya.accounts.models import Organisation
from himaya.audit import log
from himaya.core import access
from himaya.core.shortcuts import MAX_ID

from . import actions
from . import prosecution_actions as pa
from .models import (
    Charge,
    CourtDecision,
    Investigation,
    InvestigationStatus,
    Prosecution,
    ProsecutionStatus,
    Suspect,
    SuspectEvent,
)


class InvestigationSerializer(serializers.ModelSerializer):
    region = CodeOut(allow_null=True)
    forms = CodeOut(many=True)
    # Plain strings: a choice set named "status" in several apps collides in the schema.
    status = serializers.CharField(read_only=True, help_text=", ".join(InvestigationStatus.values))

    class Meta:
        model = Investigation
        fields = [
            "id",
            "reference",
            "external_ref",
            "opened_on",
            "investigating_org",
            "prosecution_office",
            "region",
            "forms",
            "status",
            "status_on",
            "last_event_on",
            "version",
        ]
        read_only_fields = fields


class InvestigationCreateSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    opened_on = serializers.DateField()
    region = CodeField("region", required=False, allow_null=True)
    forms = code_list_field("exploitation_form", required=False)
    external_ref = serializers.CharField(max_length=64, required=False, allow_blank=True)

    def validate_organisation(self, value):
        if value not in access.investigating_org_ids(self.context["request"].user):
            raise serializers.ValidationError("Choose an organisation you investigate for.")
        return Organisation.objects.get(pk=value)


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = SuspectEvent
        fields = ["id", "investigation", "kind", "on", "place", "organisation", "external_ref"]
        read_only_fields = fields


class SuspectSerializer(serializers.ModelSerializer):
    sex = CodeOut(allow_null=True)
    citizenship = CodeOut(allow_null=True)
    role_in_process = CodeOut(allow_null=True)
    investigations = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()

    class Meta:
        model = Suspect
        fields = [
            "id",
            "external_ref",
            "given_name_ar",
            "family_name_ar",
            "given_name_lat",
            "family_name_lat",
            "sex",
            "birth_date",
            "birth_date_precision",
            "citizenship",
            "role_in_process",
            "public_official",
            "official_body",
            "diplomatic_immunity",
            "registered_by",
            "investigations",
            "events",
            "version",
        ]
        read_only_fields = fields

    def get_investigations(self, obj) -> list[int]:
        return sorted(
            i
            for i in obj.links.values_list("investigation_id", flat=True)
            if i in self.context["investigation_ids"]
        )

    def get_events(self, obj) -> list[dict]:
        events = [
            e for e in obj.events.all() if e.investigation_id in self.context["investigation_ids"]
        ]
        return EventSerializer(events, many=True).data


class CourtDecisionSerializer(serializers.ModelSerializer):
    requalified_as = serializers.CharField(read_only=True, help_text="A legal article code.")
    prison_months = serializers.SerializerMethodField()
    suspended_months = serializers.SerializerMethodField()
    fine_mad = serializers.SerializerMethodField()

    class Meta:
        model = CourtDecision
        fields = [
            "id",
            "charge",
            "outcome",
            "decided_on",
            "instance",
            "court",
            "court_name",
            "requalified_as",
            "external_ref",
            "prison_months",
            "suspended_months",
            "fine_mad",
        ]
        read_only_fields = fields

    def _sentence(self, obj):
        return getattr(obj, "sentence", None)

    def get_prison_months(self, obj) -> int | None:
        s = self._sentence(obj)
        return s.prison_months if s else None

    def get_suspended_months(self, obj) -> int | None:
        s = self._sentence(obj)
        return s.suspended_months if s else None

    def get_fine_mad(self, obj) -> str | None:
        s = self._sentence(obj)
        return str(s.fine_mad) if s and s.fine_mad is not None else None


class ChargeSerializer(serializers.ModelSerializer):
    article = serializers.CharField(read_only=True, help_text="A legal article code.")
    form = CodeOut()
    decisions = CourtDecisionSerializer(many=True, read_only=True)

    class Meta:
        model = Charge
        fields = ["id", "prosecution", "article", "form", "external_ref", "decisions"]
        read_only_fields = fields


class ProsecutionSerializer(serializers.ModelSerializer):
    charges = ChargeSerializer(many=True, read_only=True)
    status = serializers.CharField(read_only=True, help_text=", ".join(ProsecutionStatus.values))

    class Meta:
        model = Prosecution
        fields = [
            "id",
            "external_ref",
            "suspect",
            "investigation",
            "started_on",
            "office",
            "court",
            "status",
            "last_event_on",
            "charges",
            "version",
        ]
        read_only_fields = fields


class ProsecutionCreateSerializer(serializers.Serializer):
    investigation = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    suspect = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    office = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    started_on = serializers.DateField()
    court = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    external_ref = serializers.CharField(max_length=64, required=False, allow_blank=True)


class _Scoped(ActingOrgMixin, viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = r"[0-9]{1,18}"
    model = None

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user).order_by("pk")

    def retrieve(self, request, pk=None):
        obj = visible_or_404(self.get_queryset(), self.model, pk, request.user, "api:justice")
        return Response(self.get_serializer(obj).data)


class InvestigationViewSet(_Scoped):
    """Investigations your justice organisation investigates, prosecutes or judges."""

    serializer_class = InvestigationSerializer
    queryset = Investigation.objects.none()
    model = Investigation

    def get_queryset(self):
        return super().get_queryset().select_related("region").prefetch_related("forms")

    @extend_schema(request=InvestigationCreateSerializer, responses={201: InvestigationSerializer})
    def create(self, request):
        data = InvestigationCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        inv = actions.open_investigation(acting_user=request.user, **data.validated_data)
        return Response(InvestigationSerializer(inv).data, status=status.HTTP_201_CREATED)


class SuspectViewSet(_Scoped):
    """Suspects of the cases your justice organisation sees, with their identity; only the
    investigations and events you see are listed with them."""

    serializer_class = SuspectSerializer
    queryset = Suspect.objects.none()
    model = Suspect

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("sex", "citizenship", "role_in_process")
            .prefetch_related("events")
        )

    def get_serializer_context(self):
        ctx = super().get_serializer_context()
        ctx["investigation_ids"] = set(
            Investigation.objects.visible_to(self.request.user).values_list("pk", flat=True)
        )
        return ctx

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        for row in response.data.get("results", []):
            log.read(request.user, None, ("justice.suspect", str(row["id"])), "api:suspect_list")
        return response

    def retrieve(self, request, pk=None):
        response = super().retrieve(request, pk)
        log.read(request.user, None, ("justice.suspect", str(pk)), "api:suspect")
        return response


class ProsecutionViewSet(_Scoped):
    """Prosecutions of the cases your justice organisation sees, with charges, decisions and
    sentences."""

    serializer_class = ProsecutionSerializer
    queryset = Prosecution.objects.none()
    model = Prosecution

    def get_queryset(self):
        return (
            super().get_queryset().prefetch_related("charges__form", "charges__decisions__sentence")
        )

    @extend_schema(request=ProsecutionCreateSerializer, responses={201: ProsecutionSerializer})
    def create(self, request):
        data = ProsecutionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        user = request.user
        inv = visible_or_404(
            Investigation.objects.all(), Investigation, v["investigation"], user, "api:prosecute"
        )
        suspect = Suspect.objects.visible_to(user).filter(pk=v["suspect"]).first()
        office = Organisation.objects.filter(pk=v["office"]).first()
        court = Organisation.objects.filter(pk=v.get("court") or 0).first()
        p = pa.start_prosecution(
            inv,
            suspect,
            acting_user=user,
            office=office,
            started_on=v["started_on"],
            court=court,
            external_ref=v.get("external_ref", ""),
        )
        return Response(ProsecutionSerializer(p).data, status=status.HTTP_201_CREATED)


class ChargeViewSet(_Scoped):
    """Charges of the prosecutions you see, with their decisions."""

    serializer_class = ChargeSerializer
    queryset = Charge.objects.none()
    model = Charge

    def get_queryset(self):
        return super().get_queryset().select_related("form").prefetch_related("decisions__sentence")


class DecisionViewSet(_Scoped):
    """Court decisions on the charges you see, with the sentence of a conviction."""

    serializer_class = CourtDecisionSerializer
    queryset = CourtDecision.objects.none()
    model = CourtDecision

    def get_queryset(self):
        return super().get_queryset().select_related("sentence")
