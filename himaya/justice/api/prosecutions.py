"""Prosecutions through the API: start one, set its court, add charges, record appeals and
their outcome and victims' participation; read with charges, decisions and sentences."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from himaya.accounts.api import CodeField, visible_or_404
from himaya.accounts.models import Organisation
from himaya.cases.models import Dossier
from himaya.core import access
from himaya.core.api import StrictModelSerializer, StrictSerializer
from himaya.core.shortcuts import MAX_ID

from .. import actions
from ..models import (
    Appeal,
    AppealBy,
    AppealOutcome,
    Investigation,
    Participation,
    ParticipationRole,
    Prosecution,
    ProsecutionStatus,
    ProtectionMeasure,
    Suspect,
)
from .common import (
    ARTICLE_CHOICES,
    Scoped,
    choice_field,
    confirm_order_field,
    id_field,
    organisation_or_none,
    ref_field,
)
from .decisions import ChargeSerializer

DECIDED_APPEAL = [c for c in AppealOutcome.choices if c[0] != AppealOutcome.PENDING]


class AppealSerializer(StrictModelSerializer):
    # Plain strings, like ``status``: these field names carry other choice sets elsewhere.
    lodged_by = serializers.CharField(read_only=True, help_text=", ".join(AppealBy.values))
    outcome = serializers.CharField(read_only=True, help_text=", ".join(AppealOutcome.values))

    class Meta:
        model = Appeal
        fields = [
            "id",
            "prosecution",
            "lodged_on",
            "lodged_by",
            "outcome",
            "decided_on",
            "organisation",
            "external_ref",
        ]
        read_only_fields = fields


class ParticipationSerializer(StrictModelSerializer):
    role = serializers.CharField(read_only=True, help_text=", ".join(ParticipationRole.values))
    compensation_mad = serializers.DecimalField(
        max_digits=12, decimal_places=2, read_only=True, allow_null=True
    )
    protection_asked = serializers.ListField(child=serializers.CharField(), read_only=True)
    protection_granted = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Participation
        fields = [
            "id",
            "prosecution",
            "dossier",
            "role",
            "protection_asked",
            "protection_granted",
            "compensation_mad",
            "organisation",
            "external_ref",
        ]
        read_only_fields = fields


class ProsecutionSerializer(StrictModelSerializer):
    charges = ChargeSerializer(many=True, read_only=True)
    appeals = AppealSerializer(many=True, read_only=True)
    participations = ParticipationSerializer(many=True, read_only=True)
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
            "appeals",
            "participations",
            "version",
        ]
        read_only_fields = fields


class ProsecutionCreateSerializer(StrictSerializer):
    investigation = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    suspect = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    office = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    started_on = serializers.DateField()
    court = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    external_ref = serializers.CharField(max_length=64, required=False, allow_blank=True)
    confirm_order = confirm_order_field()


class ProsecutionCourtSerializer(StrictSerializer):
    court = id_field(help_text=_("Id of the court seized."))


class ChargeCreateSerializer(StrictSerializer):
    article = choice_field(ARTICLE_CHOICES, help_text=_("A legal article code."))
    form = CodeField("exploitation_form")
    count = serializers.IntegerField(
        min_value=1,
        max_value=actions.MAX_COUNT,
        required=False,
        default=1,
        help_text=_(
            "The count number: two counts of the same article and form (two victims) are two "
            "charges, numbered 1, 2…"
        ),
    )
    external_ref = ref_field()


class AppealCreateSerializer(StrictSerializer):
    lodged_on = serializers.DateField()
    lodged_by = choice_field(AppealBy.choices)
    external_ref = ref_field()


class AppealDecideSerializer(StrictSerializer):
    outcome = choice_field(DECIDED_APPEAL)
    decided_on = serializers.DateField()


class ParticipationCreateSerializer(StrictSerializer):
    dossier = id_field(help_text=_("Id of a dossier linked to the prosecution's investigation."))
    role = choice_field(ParticipationRole.choices)
    protection_asked = serializers.ListField(
        child=choice_field(ProtectionMeasure.choices), required=False, default=list
    )
    protection_granted = serializers.ListField(
        child=choice_field(ProtectionMeasure.choices), required=False, default=list
    )
    compensation_mad = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=0,
        max_value=actions.MAX_MAD,
        required=False,
        allow_null=True,
    )
    external_ref = ref_field()


class ProsecutionViewSet(Scoped):
    """Prosecutions of the cases your justice organisation sees, with charges, decisions and
    sentences."""

    serializer_class = ProsecutionSerializer
    queryset = Prosecution.objects.none()
    model = Prosecution

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                "charges__form", "charges__decisions__sentence", "appeals", "participations"
            )
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
        p = actions.order_confirmed(
            actions.start_prosecution,
            inv,
            suspect,
            acting_user=user,
            office=office,
            started_on=v["started_on"],
            court=court,
            external_ref=v.get("external_ref", ""),
            confirm_order=v["confirm_order"],
        )
        return Response(ProsecutionSerializer(p).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProsecutionCourtSerializer, responses=ProsecutionSerializer)
    @action(detail=True, methods=["post"])
    def court(self, request, pk=None):
        """Set the court seized (the prosecution office)."""
        user = request.user
        p = self._object(access.prosecution_write_q(user), "api:prosecution_court")
        v = self._payload(ProsecutionCourtSerializer, request)
        actions.set_court(p, acting_user=user, court=organisation_or_none(v["court"]))
        return Response(ProsecutionSerializer(self.get_queryset().get(pk=p.pk)).data)

    @extend_schema(request=ChargeCreateSerializer, responses={201: ChargeSerializer})
    @action(detail=True, methods=["post"], url_path="charges")
    def add_charge(self, request, pk=None):
        """Add a charge: a legal article and the form of exploitation (the prosecution
        office); two counts of the same article and form (two victims) take their own
        ``count``."""
        user = request.user
        p = self._object(access.prosecution_write_q(user), "api:prosecution_charge")
        v = self._payload(ChargeCreateSerializer, request)
        charge = actions.add_charge(p, acting_user=user, **v)
        return Response(ChargeSerializer(charge).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AppealCreateSerializer, responses={201: AppealSerializer})
    @action(detail=True, methods=["post"], url_path="appeals")
    def add_appeal(self, request, pk=None):
        """Record an appeal against the decisions (the office or the court seized)."""
        user = request.user
        p = self._object(access.prosecution_decide_q(user), "api:prosecution_appeal")
        v = self._payload(AppealCreateSerializer, request)
        appeal = actions.record_appeal(p, acting_user=user, **v)
        return Response(AppealSerializer(appeal).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "appeal_pk",
                OpenApiTypes.INT,
                OpenApiParameter.PATH,
                description=_("Id of a pending appeal of the prosecution."),
            )
        ],
        request=AppealDecideSerializer,
        responses=AppealSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"appeals/(?P<appeal_pk>[0-9]{1,18})/decide",
    )
    def decide_appeal(self, request, pk=None, appeal_pk=None):
        """Record the outcome of a pending appeal (the office or the court seized)."""
        user = request.user
        p = self._object(access.prosecution_decide_q(user), "api:prosecution_appeal_decide")
        appeal = Appeal.objects.filter(
            prosecution=p, pk=appeal_pk, outcome=AppealOutcome.PENDING
        ).first()
        if appeal is None:
            raise Http404
        v = self._payload(AppealDecideSerializer, request)
        appeal = actions.decide_appeal(appeal, acting_user=user, **v)
        return Response(AppealSerializer(appeal).data)

    @extend_schema(
        request=ParticipationCreateSerializer,
        responses={200: ParticipationSerializer, 201: ParticipationSerializer},
    )
    @action(detail=True, methods=["post"], url_path="participations")
    def record_participation(self, request, pk=None):
        """A victim's part in the prosecution: role, protection measures asked and granted,
        compensation ordered. Recording it again for the same dossier replaces it (200)."""
        user = request.user
        p = self._object(access.prosecution_write_q(user), "api:prosecution_participation")
        v = self._payload(ParticipationCreateSerializer, request)
        dossier = (
            Dossier.objects.visible_to(user)
            .filter(investigation_links__investigation=p.investigation_id, pk=v.pop("dossier"))
            .first()
        )
        existed = dossier is not None and p.participations.filter(dossier=dossier).exists()
        part = actions.record_participation(p, dossier, acting_user=user, **v)
        return Response(
            ParticipationSerializer(part).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )
