"""Court decisions through the API: the charges with their decisions, a decision recorded on a
charge, the sentence of a conviction."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from himaya.accounts.api import CodeOut
from himaya.core import access
from himaya.core.api import StrictModelSerializer, StrictSerializer

from .. import actions
from ..models import Charge, CourtDecision, Instance, Outcome
from .common import ARTICLE_CHOICES, Scoped, choice_field, id_field, organisation_or_none, ref_field


class CourtDecisionSerializer(StrictModelSerializer):
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


class ChargeSerializer(StrictModelSerializer):
    article = serializers.CharField(read_only=True, help_text="A legal article code.")
    form = CodeOut()
    decisions = CourtDecisionSerializer(many=True, read_only=True)

    class Meta:
        model = Charge
        fields = ["id", "prosecution", "article", "form", "count", "external_ref", "decisions"]
        read_only_fields = fields


class CourtDecisionCreateSerializer(StrictSerializer):
    outcome = choice_field(Outcome.choices)
    decided_on = serializers.DateField()
    instance = choice_field(Instance.choices, required=False, default=Instance.FIRST)
    court = id_field(
        required=False,
        allow_null=True,
        help_text=_(
            "Id of the court; the prosecution's court when neither it nor a name is given."
        ),
    )
    court_name = serializers.CharField(
        max_length=actions.COURT_NAME_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The court's name, when it is not in Himaya."),
    )
    requalified_as = choice_field(
        ARTICLE_CHOICES,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The new legal article of a requalification."),
    )
    confirm_transfer = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "True when a first-instance decision by a court other than the one seized is "
            "confirmed: the transfer of jurisdiction is recorded. Without it, such a decision "
            "is refused with the question."
        ),
    )
    external_ref = ref_field()


class SentenceCreateSerializer(StrictSerializer):
    prison_months = serializers.IntegerField(
        min_value=0, max_value=actions.MAX_MONTHS, required=False, default=0
    )
    suspended_months = serializers.IntegerField(
        min_value=0, max_value=actions.MAX_MONTHS, required=False, default=0
    )
    fine_mad = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=0,
        max_value=actions.MAX_MAD,
        required=False,
        allow_null=True,
    )
    external_ref = ref_field()


class ChargeViewSet(Scoped):
    """Charges of the prosecutions you see, with their decisions."""

    serializer_class = ChargeSerializer
    queryset = Charge.objects.none()
    model = Charge

    def get_queryset(self):
        return super().get_queryset().select_related("form").prefetch_related("decisions__sentence")

    @extend_schema(request=CourtDecisionCreateSerializer, responses={201: CourtDecisionSerializer})
    @action(detail=True, methods=["post"], url_path="decisions")
    def record_decision(self, request, pk=None):
        """Record a court's decision on this charge (the office or the court seized)."""
        user = request.user
        charge = self._object(
            access.prosecution_decide_q(user, "prosecution__"), "api:charge_decision"
        )
        v = self._payload(CourtDecisionCreateSerializer, request)
        court = v.pop("court", None)
        if court is not None:
            court = organisation_or_none(court)
            if court is None:
                raise serializers.ValidationError({"court": _("Choose an active court.")})
        decision = actions.record_decision(charge, acting_user=user, court=court, **v)
        return Response(CourtDecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


class DecisionViewSet(Scoped):
    """Court decisions on the charges you see, with the sentence of a conviction."""

    serializer_class = CourtDecisionSerializer
    queryset = CourtDecision.objects.none()
    model = CourtDecision

    def get_queryset(self):
        return super().get_queryset().select_related("sentence")

    @extend_schema(request=SentenceCreateSerializer, responses={201: CourtDecisionSerializer})
    @action(detail=True, methods=["post"])
    def sentence(self, request, pk=None):
        """Record the sentence of a conviction (the office or the court seized)."""
        user = request.user
        decision = self._object(
            access.prosecution_decide_q(user, "charge__prosecution__"), "api:decision_sentence"
        )
        v = self._payload(SentenceCreateSerializer, request)
        actions.record_sentence(decision, acting_user=user, **v)
        fresh = self.get_queryset().get(pk=decision.pk)
        return Response(CourtDecisionSerializer(fresh).data, status=status.HTTP_201_CREATED)
