"""Screenings through the API: the questionnaires (read), screenings (list, read, start with
answers, add answers to a draft, submit) and campaigns (list, read with their counts, create).

Visibility is core.access's: a screening's answers and result are returned only to those who
see the screening; analysts get 404 on screenings and read campaigns' counts only."""

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from himaya.accounts.api import (
    ActingOrganisationField,
    ActingOrgMixin,
    ChoiceField,
    CodeField,
    CodeOut,
    resolve_acting_organisation,
    visible_or_404,
)
from himaya.audit import log
from himaya.core import trilingual
from himaya.core.api import StrictModelSerializer, StrictSerializer
from himaya.core.shortcuts import MAX_ID
from himaya.people.models import Person

from . import actions, figures
from .actions import ALIAS_MAX, NOTES_MAX, PLACE_MAX
from .models import (
    Answer,
    Campaign,
    CampaignStatus,
    Dimension,
    Element,
    Question,
    Questionnaire,
    QuestionnaireCode,
    QuestionnaireStatus,
    Recommendation,
    Screening,
    ScreeningStatus,
    Strength,
    Target,
    TargetGroup,
)

MAX_ANSWERS = 500


def choice(choices, **kwargs):
    """A choice field described in the schema by a pattern rather than an enum: drf-spectacular
    names every enum after its field, and "status" or "code" choice sets of several apps would
    collide (a deployment check warning)."""
    values = [re.escape(str(c[0])) for c in choices]
    field_class = extend_schema_field(
        {
            "type": "string",
            "pattern": f"^({'|'.join(values)})$",
            "description": ", ".join(str(c[0]) or "''" for c in choices),
        }
    )(type("InlineChoiceField", (ChoiceField,), {}))
    return field_class(choices=choices, **kwargs)


# --- questionnaires --------------------------------------------------------------------------


class QuestionSerializer(StrictModelSerializer):
    key = serializers.CharField(read_only=True, help_text=_("The answer key of the question."))
    dimension = choice(Dimension.choices, read_only=True)
    strength = choice(Strength.choices, read_only=True)
    element = choice(Element.choices, read_only=True)

    class Meta:
        model = Question
        fields = [
            "key",
            "order",
            "dimension",
            "indicator",
            "indicator_en",
            "strength",
            "element",
            "text_ar",
            "text_fr",
            "text_en",
        ]
        read_only_fields = fields


class QuestionnaireSerializer(StrictModelSerializer):
    code = choice(QuestionnaireCode.choices, read_only=True)
    status = choice(QuestionnaireStatus.choices, read_only=True)
    target = choice(Target.choices, read_only=True)

    class Meta:
        model = Questionnaire
        fields = [
            "id",
            "code",
            "version",
            "status",
            "target",
            "title_ar",
            "title_fr",
            "title_en",
            "published_at",
            "retired_at",
        ]
        read_only_fields = fields


class QuestionnaireDetailSerializer(QuestionnaireSerializer):
    questions = QuestionSerializer(many=True, read_only=True)

    class Meta(QuestionnaireSerializer.Meta):
        fields = [
            *QuestionnaireSerializer.Meta.fields,
            "intro_ar",
            "intro_fr",
            "intro_en",
            "source",
            "questions",
        ]
        read_only_fields = fields


class QuestionnaireFilterSerializer(StrictSerializer):
    code = choice(QuestionnaireCode.choices, required=False)
    status = choice(
        [c for c in QuestionnaireStatus.choices if c[0] != QuestionnaireStatus.DRAFT],
        required=False,
    )


class QuestionnaireViewSet(ActingOrgMixin, viewsets.ReadOnlyModelViewSet):
    """Published and retired questionnaire versions (drafts are for system administrators,
    on the pages). Configuration, not personal data: every member reads them."""

    serializer_class = QuestionnaireSerializer
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        return Questionnaire.objects.exclude(status=QuestionnaireStatus.DRAFT).order_by(
            "code", "-version"
        )

    def get_serializer_class(self):
        return (
            QuestionnaireDetailSerializer if self.action == "retrieve" else QuestionnaireSerializer
        )

    @extend_schema(parameters=[QuestionnaireFilterSerializer])
    def list(self, request):
        filters = QuestionnaireFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        qs = self.get_queryset()
        for name, value in filters.validated_data.items():
            qs = qs.filter(**{name: value})
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(QuestionnaireSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        try:
            pk = int(pk)
        except (TypeError, ValueError):
            pk = 0
        obj = self.get_queryset().prefetch_related("questions").filter(pk=pk).first()
        if obj is None or not 0 < pk <= MAX_ID:
            return Response({"detail": _("Not found.")}, status=status.HTTP_404_NOT_FOUND)
        return Response(QuestionnaireDetailSerializer(obj).data)


# --- screenings ------------------------------------------------------------------------------


class ScreeningSummarySerializer(StrictSerializer):
    id = serializers.IntegerField(read_only=True)
    reference = serializers.CharField(read_only=True)
    questionnaire = serializers.IntegerField(source="questionnaire_id", read_only=True)
    questionnaire_code = serializers.CharField(source="questionnaire.code", read_only=True)
    questionnaire_version = serializers.IntegerField(source="questionnaire.version", read_only=True)
    organisation = serializers.IntegerField(source="organisation_id", read_only=True)
    screener = serializers.IntegerField(source="screener_id", read_only=True)
    screened_on = serializers.DateField(read_only=True)
    region = CodeOut(allow_null=True)
    language = CodeOut(allow_null=True)
    campaign = serializers.IntegerField(source="campaign_id", read_only=True, allow_null=True)
    person = serializers.IntegerField(source="person_id", read_only=True, allow_null=True)
    dossier = serializers.IntegerField(source="dossier_id", read_only=True, allow_null=True)
    status = choice(ScreeningStatus.choices, read_only=True)
    submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    recommendation = choice(
        [("", "-"), *Recommendation.choices],
        read_only=True,
        help_text=_("Empty for a draft."),
    )
    corrects = serializers.IntegerField(source="corrects_id", read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)
    version = serializers.IntegerField(read_only=True)


class ScreeningSerializer(ScreeningSummarySerializer):
    alias = serializers.CharField(read_only=True)
    place_detail = serializers.CharField(read_only=True)
    notes = serializers.CharField(read_only=True)
    answers = serializers.DictField(
        child=serializers.CharField(), read_only=True, allow_null=True, source="answers_or_empty"
    )
    result = serializers.JSONField(read_only=True, allow_null=True)
    engine_version = serializers.CharField(read_only=True)


class AnswersField(serializers.DictField):
    """{question key: "yes" | "no" | "unknown"}."""

    def __init__(self, **kwargs):
        super().__init__(child=choice(Answer.choices), **kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if len(value) > MAX_ANSWERS:
            raise serializers.ValidationError(_("Too many answers."))
        return value


class ScreeningCreateSerializer(StrictSerializer):
    questionnaire = choice(
        QuestionnaireCode.choices,
        help_text=_("The questionnaire's code; its published version is used."),
    )
    organisation = ActingOrganisationField()
    screened_on = serializers.DateField(required=False)
    region = CodeField("region", required=False, allow_null=True)
    place_detail = serializers.CharField(max_length=PLACE_MAX, required=False, allow_blank=True)
    language = CodeField("language", required=False, allow_null=True)
    campaign = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    person = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    alias = serializers.CharField(max_length=ALIAS_MAX, required=False, allow_blank=True)
    answers = AnswersField(required=False)
    submit = serializers.BooleanField(
        default=False, help_text=_("Submit at once (the result is fixed and returned).")
    )
    notes = serializers.CharField(max_length=NOTES_MAX, required=False, allow_blank=True)

    def validate_questionnaire(self, value):
        questionnaire = Questionnaire.objects.published().filter(code=value).first()
        if questionnaire is None:
            raise serializers.ValidationError(_("No version of this questionnaire is published."))
        return questionnaire

    def validate_campaign(self, value):
        user = self.context["request"].user
        campaign = Campaign.objects.writable_by(user).filter(pk=value).first()
        if campaign is None:
            raise serializers.ValidationError(_("Unknown campaign."))
        return campaign

    def validate_person(self, value):
        user = self.context["request"].user
        person = Person.objects.writable_by(user).filter(pk=value).first()
        if person is None:
            if Person.objects.filter(pk=value).exists():
                log.denied(user, ("people.person", str(value)), "api:screening_create")
            raise serializers.ValidationError(_("Unknown person."))
        return person

    def validate(self, attrs):
        return resolve_acting_organisation(attrs, self.context["request"].user)


class AnswersSerializer(StrictSerializer):
    answers = AnswersField()


class SubmitSerializer(StrictSerializer):
    notes = serializers.CharField(max_length=NOTES_MAX, required=False, allow_blank=True)


class ScreeningFilterSerializer(StrictSerializer):
    status = choice(ScreeningStatus.choices, required=False)
    recommendation = choice(Recommendation.choices, required=False)
    questionnaire = choice(QuestionnaireCode.choices, required=False)
    campaign = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    screened_after = serializers.DateField(required=False, help_text=_("On or after this date."))
    screened_before = serializers.DateField(required=False, help_text=_("On or before this date."))


class ScreeningViewSet(ActingOrgMixin, viewsets.GenericViewSet):
    """Screenings you see: your organisation's, and those linked to dossiers you see with the
    identity. Answers and results only in the detail."""

    serializer_class = ScreeningSerializer
    queryset = Screening.objects.none()  # for the schema; requests use get_queryset
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        return Screening.objects.visible_to(self.request.user).select_related(
            "questionnaire", "region", "language"
        )

    def _detail(self, screening, purpose="api:screening", code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=screening.pk)
        fresh.answers_or_empty = fresh.answers or {}
        log.read(self.request.user, fresh.person_id, fresh, purpose)
        return Response(ScreeningSerializer(fresh).data, status=code)

    def _draft(self, purpose):
        return visible_or_404(
            self.get_queryset().writable_by(self.request.user),
            Screening,
            self.kwargs["pk"],
            self.request.user,
            purpose,
        )

    @extend_schema(parameters=[ScreeningFilterSerializer], responses=ScreeningSummarySerializer)
    def list(self, request):
        filters = ScreeningFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        f = filters.validated_data
        qs = self.get_queryset().defer(*Screening.PRIVATE_FIELDS)
        for name in ("status", "recommendation"):
            if f.get(name):
                qs = qs.filter(**{name: f[name]})
        if f.get("questionnaire"):
            qs = qs.filter(questionnaire__code=f["questionnaire"])
        if f.get("campaign"):
            qs = qs.filter(campaign_id=f["campaign"])
        if f.get("screened_after"):
            qs = qs.filter(screened_on__gte=f["screened_after"])
        if f.get("screened_before"):
            qs = qs.filter(screened_on__lte=f["screened_before"])
        page = self.paginate_queryset(qs)
        log.read_many(
            request.user, [s.person_id for s in page if s.person_id], "screening.screening", "api"
        )
        return self.get_paginated_response(ScreeningSummarySerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        screening = visible_or_404(
            self.get_queryset(), Screening, pk, request.user, "api:screening"
        )
        return self._detail(screening)

    @extend_schema(request=ScreeningCreateSerializer, responses={201: ScreeningSerializer})
    def create(self, request):
        data = ScreeningCreateSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        submit = fields.pop("submit")
        notes = fields.pop("notes", None)
        with transaction.atomic():  # started and submitted together, or not at all
            screening = actions.start_screening(acting_user=request.user, **fields)
            if submit:
                screening = actions.submit_screening(
                    screening, acting_user=request.user, notes=notes
                )
        return self._detail(screening, code=status.HTTP_201_CREATED)

    @extend_schema(request=AnswersSerializer, responses=ScreeningSerializer)
    def partial_update(self, request, pk=None):
        """Add or change answers of a draft; the answers sent are merged into those saved."""
        screening = self._draft("api:screening_answers")
        data = AnswersSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.save_answers(
            screening, acting_user=request.user, answers=data.validated_data["answers"]
        )
        return self._detail(screening)

    @extend_schema(request=SubmitSerializer, responses=ScreeningSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Apply the rule and fix the result; the screening cannot be changed afterwards."""
        screening = self._draft("api:screening_submit")
        data = SubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.submit_screening(
            screening, acting_user=request.user, notes=data.validated_data.get("notes")
        )
        return self._detail(screening)


# --- campaigns -------------------------------------------------------------------------------


class CampaignCountsSerializer(StrictSerializer):
    people = serializers.IntegerField()
    screenings = serializers.IntegerField()
    strong = serializers.IntegerField()
    possible = serializers.IntegerField()
    dossiers = serializers.IntegerField()


class CampaignSerializer(StrictModelSerializer):
    region = CodeOut()
    target_group = choice(TargetGroup.choices, read_only=True)
    status = choice(CampaignStatus.choices, read_only=True)
    counts = CampaignCountsSerializer(read_only=True, source="_counts")
    # In the language the request asked for (Accept-Language), else the nearest one given.
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "name_ar",
            "name_fr",
            "name_en",
            "organisation",
            "region",
            "place",
            "starts_on",
            "ends_on",
            "target_group",
            "target_other",
            "status",
            "description",
            "counts",
            "version",
        ]
        read_only_fields = fields


class CampaignCreateSerializer(StrictSerializer):
    organisation = ActingOrganisationField()
    name_ar = serializers.CharField(max_length=200, required=False, allow_blank=True)
    name_fr = serializers.CharField(max_length=200, required=False, allow_blank=True)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    region = CodeField("region")
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    target_group = choice(TargetGroup.choices)
    target_other = serializers.CharField(max_length=200, required=False, allow_blank=True)
    status = choice(CampaignStatus.choices, required=False)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)

    def validate(self, attrs):
        try:
            trilingual.require_one(attrs)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        return resolve_acting_organisation(attrs, self.context["request"].user)


class CampaignViewSet(
    ActingOrgMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Screening campaigns with their counts (never identities): members see their
    organisations' campaigns, national-commission analysts every campaign."""

    serializer_class = CampaignSerializer
    queryset = Campaign.objects.none()
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        return Campaign.objects.visible_to(self.request.user).select_related("region")

    def _with_counts(self, campaigns):
        counts = figures.campaign_counts(campaigns)
        for c in campaigns:
            c._counts = counts[c.pk]
        return campaigns

    def list(self, request):
        page = self._with_counts(list(self.paginate_queryset(self.get_queryset())))
        return self.get_paginated_response(CampaignSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        campaign = visible_or_404(self.get_queryset(), Campaign, pk, request.user, "api:campaign")
        return Response(CampaignSerializer(self._with_counts([campaign])[0]).data)

    @extend_schema(request=CampaignCreateSerializer, responses={201: CampaignSerializer})
    def create(self, request):
        data = CampaignCreateSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        campaign = actions.create_campaign(
            acting_user=request.user, organisation=fields.pop("organisation"), **fields
        )
        campaign = self.get_queryset().get(pk=campaign.pk)
        return Response(
            CampaignSerializer(self._with_counts([campaign])[0]).data,
            status=status.HTTP_201_CREATED,
        )
