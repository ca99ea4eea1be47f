"""The coordination records through the API: the plan with its axes and objectives, measures,
indicators (with their yearly targets and actual values, computed ones from the figures),
recommendations with their yearly progress, trainings and the commission's meetings.

Every member reads them all; an account with no membership gets nothing (access.py). Writes
are what focal points and the commission do on the pages, through the same actions and the
same rules: a measure's status and progress notes, an indicator's values for a year, a
recommendation's progress, a training. A refusal is a 403 (the record is readable, writing it
is not the caller's), bad input a 400 keyed by field, a stale ``version`` a 409."""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from himaya.accounts.api import ActingOrgMixin, CodeField, CodeOut, visible_or_404
from himaya.accounts.models import Organisation
from himaya.core.api import StrictModelSerializer, StrictSerializer
from himaya.core.shortcuts import MAX_ID
from himaya.core.trilingual import LANGS
from himaya.people.api import MAX_VERSION
from himaya.screening.api import choice

from . import actions
from .actions.common import YEAR_MAX, YEAR_MIN
from .actions.work import AUDIENCE_ROWS
from .indicators import indicator_rows
from .models import (
    Axis,
    FollowUpAction,
    Indicator,
    Measure,
    MeasureStatus,
    Meeting,
    Objective,
    Plan,
    Recommendation,
    RecommendationStatus,
    Training,
    TrainingTopic,
)
from .models.plan import SOURCE_MAX, TEXT_MAX, TITLE_MAX

TITLES = ["title_ar", "title_fr", "title_en"]
MAX_VALUE = 10**12 - 1


def _year(**kwargs):
    return serializers.IntegerField(min_value=YEAR_MIN, max_value=YEAR_MAX, **kwargs)


def _version(**kwargs):
    kwargs.setdefault("help_text", _("The version you read (a stale one answers 409)."))
    return serializers.IntegerField(min_value=1, max_value=MAX_VERSION, **kwargs)


def _value(**kwargs):
    return serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        max_value=MAX_VALUE,
        required=False,
        allow_null=True,
        **kwargs,
    )


# --- Reading ----------------------------------------------------------------------------------


class ObjectiveSerializer(StrictModelSerializer):
    class Meta:
        model = Objective
        fields = ["id", "number", *TITLES, "version"]
        read_only_fields = fields


class AxisSerializer(StrictModelSerializer):
    objectives = ObjectiveSerializer(many=True, read_only=True)

    class Meta:
        model = Axis
        fields = ["id", "number", *TITLES, "objectives", "version"]
        read_only_fields = fields


class PlanSerializer(StrictModelSerializer):
    axes = AxisSerializer(many=True, read_only=True)

    class Meta:
        model = Plan
        fields = ["id", *TITLES, "start_year", "end_year", "axes", "version"]
        read_only_fields = fields


class StatusChangeSerializer(StrictSerializer):
    status = serializers.CharField(read_only=True, help_text=", ".join(MeasureStatus.values))
    on = serializers.DateField(read_only=True)
    note = serializers.CharField(read_only=True)
    organisation = serializers.IntegerField(
        read_only=True, allow_null=True, source="organisation_id"
    )


class MeasureNoteSerializer(StrictSerializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.CharField(read_only=True, help_text="progress, comment")
    on = serializers.DateField(read_only=True)
    text = serializers.CharField(read_only=True)
    organisation = serializers.IntegerField(read_only=True, source="organisation_id")


class MeasureSerializer(StrictModelSerializer):
    code = serializers.CharField(read_only=True, help_text=_("axis.objective.measure"))
    plan = serializers.IntegerField(read_only=True, source="objective.axis.plan_id")
    status = serializers.CharField(read_only=True, help_text=", ".join(MeasureStatus.values))
    partners = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    indicators = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    history = StatusChangeSerializer(many=True, read_only=True)
    notes = MeasureNoteSerializer(many=True, read_only=True)

    class Meta:
        model = Measure
        fields = [
            "id",
            "code",
            "plan",
            "objective",
            *TITLES,
            "lead_agency",
            "partners",
            "budget_line",
            "deadline",
            "status",
            "status_on",
            "indicators",
            "history",
            "notes",
            "version",
        ]
        read_only_fields = fields


class IndicatorYearOut(StrictSerializer):
    year = serializers.IntegerField(read_only=True)
    target = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, allow_null=True
    )
    actual = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text=_("Entered by hand, or the figure for a computed indicator."),
    )
    frozen = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text=_("The frozen annual report's version the figure comes from."),
    )
    source = serializers.CharField(
        read_only=True, help_text=_("Where the value comes from, in the reader's language.")
    )
    source_ar = serializers.CharField(read_only=True)
    source_fr = serializers.CharField(read_only=True)
    source_en = serializers.CharField(read_only=True)


class IndicatorSerializer(StrictModelSerializer):
    computed = serializers.BooleanField(read_only=True)
    source = serializers.CharField(
        read_only=True,
        help_text=_("Where hand-entered values come from, in the reader's language."),
    )
    years = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = [
            "id",
            "measure",
            "name_ar",
            "name_fr",
            "name_en",
            "figure",
            "computed",
            "source",
            "source_ar",
            "source_fr",
            "source_en",
            "baseline_year",
            "baseline",
            "years",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(IndicatorYearOut(many=True))
    def get_years(self, obj) -> list[dict]:
        cells = self._cells(obj)
        rows = [
            {
                **{k: c[k] for k in ("year", "target", "actual", "frozen", "source")},
                **{f"source_{lang}": c["sources"].get(f"source_{lang}", "") for lang in LANGS},
            }
            for c in cells
        ]
        return IndicatorYearOut(rows, many=True).data

    def _cells(self, obj):
        """The indicator's cells; on a list, every indicator of the page's at once."""
        cache = self.context.setdefault("indicator_cells", {})
        if obj.pk not in cache:
            many = isinstance(self.parent, serializers.ListSerializer)
            batch = list(self.parent.instance) if many else [obj]
            for row in indicator_rows(batch, _shown_years):
                cache[row["indicator"].pk] = row["years"]
        return cache[obj.pk]


def _shown_years(indicator):
    """The years of the indicator's plan up to this one (its first year for a plan to come)."""
    plan = indicator.measure.objective.axis.plan
    this_year = timezone.localdate().year
    return [y for y in plan.years() if y <= this_year] or [plan.start_year]


class ProgressOut(StrictSerializer):
    year = serializers.IntegerField(read_only=True)
    status = serializers.CharField(read_only=True, help_text=", ".join(RecommendationStatus.values))
    evidence = serializers.CharField(read_only=True)
    organisation = serializers.IntegerField(read_only=True, source="organisation_id")
    version = serializers.IntegerField(read_only=True)


class RecommendationSerializer(StrictModelSerializer):
    source = serializers.CharField(read_only=True)
    measures = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    agencies = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    progress = ProgressOut(many=True, read_only=True)

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "source",
            "year",
            "reference",
            "priority",
            "text_ar",
            "text_fr",
            "text_en",
            "measures",
            "agencies",
            "progress",
            "version",
        ]
        read_only_fields = fields


class AudienceSerializer(StrictSerializer):
    agency_type = CodeField("org_type", help_text=_("A code of the list org_type."))
    women = serializers.IntegerField(min_value=0, max_value=100000, default=0)
    men = serializers.IntegerField(min_value=0, max_value=100000, default=0)
    unrecorded = serializers.IntegerField(min_value=0, max_value=100000, default=0)


class AudienceOut(StrictSerializer):
    agency_type = CodeOut()
    women = serializers.IntegerField(read_only=True)
    men = serializers.IntegerField(read_only=True)
    unrecorded = serializers.IntegerField(read_only=True)


class TrainingSerializer(StrictModelSerializer):
    topic = serializers.CharField(read_only=True, help_text=", ".join(TrainingTopic.values))
    region = CodeOut(allow_null=True)
    audience = AudienceOut(many=True, read_only=True)
    participants = serializers.IntegerField(read_only=True)

    class Meta:
        model = Training
        # Participants' names are never given out: a training is counted, not listed.
        fields = [
            "id",
            "topic",
            "title",
            "starts_on",
            "ends_on",
            "place",
            "region",
            "organiser",
            "funder",
            "materials",
            "audience",
            "participants",
            "version",
        ]
        read_only_fields = fields


class FollowUpOut(StrictModelSerializer):
    class Meta:
        model = FollowUpAction
        fields = ["id", "text", "agency", "due_on", "done_on", "done_note", "version"]
        read_only_fields = fields


class DecisionOut(StrictSerializer):
    number = serializers.IntegerField(read_only=True)
    text = serializers.CharField(read_only=True)
    actions = FollowUpOut(many=True, read_only=True)


class AttendanceOut(StrictSerializer):
    organisation = serializers.IntegerField(read_only=True, source="organisation_id")
    people = serializers.IntegerField(read_only=True)


class MeetingSerializer(StrictModelSerializer):
    attendance = AttendanceOut(many=True, read_only=True)
    decisions = DecisionOut(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "held_on", "title", "place", "agenda", "attendance", "decisions"]
        read_only_fields = fields


# --- Writing ----------------------------------------------------------------------------------


class MeasureStatusIn(StrictSerializer):
    status = choice(MeasureStatus.choices)
    note = serializers.CharField(max_length=TITLE_MAX, required=False, allow_blank=True)
    on = serializers.DateField(required=False, help_text=_("Today when absent."))
    version = _version()


class NoteIn(StrictSerializer):
    text = serializers.CharField(max_length=TEXT_MAX)


class IndicatorValuesIn(StrictSerializer):
    year = _year()
    target = _value()
    actual = _value(help_text=_("Only for an indicator entered by hand."))
    source_ar = serializers.CharField(max_length=SOURCE_MAX, required=False, allow_blank=True)
    source_fr = serializers.CharField(max_length=SOURCE_MAX, required=False, allow_blank=True)
    source_en = serializers.CharField(max_length=SOURCE_MAX, required=False, allow_blank=True)


class ProgressIn(StrictSerializer):
    year = _year()
    status = choice(RecommendationStatus.choices)
    evidence = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    version = _version(
        required=False,
        help_text=_("The version of the year's progress you read, when it was recorded before."),
    )


class TrainingIn(StrictSerializer):
    topic = choice(TrainingTopic.choices)
    title = serializers.CharField(max_length=TITLE_MAX)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    region = CodeField("region", required=False, allow_null=True)
    organiser = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text=_("Id of the organising organisation.")
    )
    funder = serializers.CharField(max_length=200, required=False, allow_blank=True)
    materials = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)
    participant_names = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, help_text=_("Optional.")
    )
    audience = AudienceSerializer(many=True, max_length=AUDIENCE_ROWS, allow_empty=False)

    def validate_organiser(self, value):
        org = Organisation.objects.filter(pk=value, active=True).first()
        if org is None:
            raise serializers.ValidationError(_("Choose an active organisation."))
        return org


# --- Viewsets ---------------------------------------------------------------------------------


class _Coordination(ActingOrgMixin, viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = r"[0-9]{1,18}"
    model = None

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user).order_by("pk")

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self._object()).data)

    def _object(self, purpose="api:coordination"):
        return visible_or_404(
            self.get_queryset(), self.model, self.kwargs["pk"], self.request.user, purpose
        )

    @staticmethod
    def _payload(serializer_class, request):
        data = serializer_class(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)


class PlanViewSet(_Coordination):
    """Action plans with their axes and objectives."""

    serializer_class = PlanSerializer
    queryset = Plan.objects.none()
    model = Plan

    def get_queryset(self):
        return super().get_queryset().prefetch_related("axes__objectives")


class MeasureViewSet(_Coordination):
    """Measures of the plans, with their status history and notes. Their lead agency's focal
    points and the commission change the status; they write progress notes, the commission
    comments."""

    serializer_class = MeasureSerializer
    queryset = Measure.objects.none()
    model = Measure

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("objective__axis")
            .prefetch_related("partners", "indicators", "history", "notes")
        )

    def _fresh(self, measure):
        return Response(self.get_serializer(self.get_queryset().get(pk=measure.pk)).data)

    @extend_schema(request=MeasureStatusIn, responses=MeasureSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        """Move the measure to another status (kept in its history)."""
        measure = self._object()
        v = self._payload(MeasureStatusIn, request)
        actions.do_set_measure_status(
            measure,
            acting_user=request.user,
            expected_version=v["version"],
            status=v["status"],
            note=v.get("note", ""),
            on=v.get("on"),
        )
        return self._fresh(measure)

    @extend_schema(request=NoteIn, responses={201: MeasureSerializer})
    @action(detail=True, methods=["post"])
    def notes(self, request, pk=None):
        """A progress note (the lead agency's focal points) or a comment (the commission)."""
        measure = self._object()
        v = self._payload(NoteIn, request)
        actions.do_add_progress_note(measure, acting_user=request.user, text=v["text"])
        response = self._fresh(measure)
        response.status_code = status.HTTP_201_CREATED
        return response


class IndicatorViewSet(_Coordination):
    """Indicators of the measures, with their targets and actual values per year up to this
    one: entered by hand, or the statistics' figure (the frozen report's for a frozen year)."""

    serializer_class = IndicatorSerializer
    queryset = Indicator.objects.none()
    model = Indicator

    def get_queryset(self):
        return super().get_queryset().select_related("measure__objective__axis__plan")

    @extend_schema(request=IndicatorValuesIn, responses=IndicatorSerializer)
    @action(detail=True, methods=["post"])
    def values(self, request, pk=None):
        """Set a year's target, and its actual value for an indicator entered by hand (the
        measure's lead agency's focal points and the commission)."""
        indicator = self._object()
        v = self._payload(IndicatorValuesIn, request)
        actions.do_set_indicator_year(indicator, acting_user=request.user, **v)
        return Response(self.get_serializer(self.get_queryset().get(pk=indicator.pk)).data)


class RecommendationViewSet(_Coordination):
    """International recommendations, their links to the plan and their progress per year."""

    serializer_class = RecommendationSerializer
    queryset = Recommendation.objects.none()
    model = Recommendation

    def get_queryset(self):
        return super().get_queryset().prefetch_related("measures", "agencies", "progress")

    @extend_schema(request=ProgressIn, responses=RecommendationSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        """Record the recommendation's status in a year and what was done (the commission and
        the responsible agencies' focal points)."""
        rec = self._object()
        v = self._payload(ProgressIn, request)
        actions.do_record_progress(
            rec,
            acting_user=request.user,
            year=v["year"],
            status=v["status"],
            evidence=v.get("evidence", ""),
            expected_version=v.get("version"),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=rec.pk)).data)


class TrainingViewSet(_Coordination):
    """Training sessions with their participants by type of agency and sex (never names). A
    focal point records its organisation's trainings; the commission any."""

    serializer_class = TrainingSerializer
    queryset = Training.objects.none()
    model = Training

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("region")
            .prefetch_related("audience__agency_type")
        )

    @extend_schema(request=TrainingIn, responses={201: TrainingSerializer})
    def create(self, request):
        v = self._payload(TrainingIn, request)
        audience = [
            (a["agency_type"], a["women"], a["men"], a["unrecorded"]) for a in v.pop("audience")
        ]
        training = actions.do_record_training(acting_user=request.user, audience=audience, **v)
        data = self.get_serializer(self.get_queryset().get(pk=training.pk)).data
        return Response(data, status=status.HTTP_201_CREATED)


class MeetingViewSet(_Coordination):
    """The commission's meetings: attendance by organisation, decisions and follow-up
    actions."""

    serializer_class = MeetingSerializer
    queryset = Meeting.objects.none()
    model = Meeting

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                "attendance", Prefetch("decisions__actions", queryset=FollowUpAction.objects.all())
            )
        )
