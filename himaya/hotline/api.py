"""Hotline reports through the API: the queue (summaries, no free text), a report in full
(an audited read), taking a report, correcting it before triage (optimistic locking), triage
(one outcome per request), notes and passing on. Scoped by ``visible_to`` like the pages: a
report of another hotline answers 404. Public web tips arrive through /report/ only."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from himaya.accounts.api import (
    ActingOrgMixin,
    ChoiceField,
    CodeField,
    CodeOut,
    code_list_field,
    require_version,
    visible_or_404,
)
from himaya.accounts.models import Organisation
from himaya.audit import log
from himaya.cases.models import Dossier
from himaya.core import access
from himaya.core.api import StrictSerializer
from himaya.core.shortcuts import MAX_ID
from himaya.people.api import MAX_VERSION
from himaya.people.validators import NAME_MAX, arabic_script, latin_script

from . import actions
from .models import (
    OPERATOR_CHANNELS,
    CallerType,
    Channel,
    Hold,
    Outcome,
    Report,
    ReportAddition,
    Status,
    Urgency,
    day_in_range,
)


class ReportSummarySerializer(StrictSerializer):
    """A report in the queue: what it is about, never what was said."""

    id = serializers.IntegerField(read_only=True)
    reference = serializers.CharField(read_only=True)
    channel = ChoiceField(choices=Channel.choices, read_only=True)
    received_at = serializers.DateTimeField(read_only=True)
    received_by = serializers.IntegerField(source="received_by_id", read_only=True, allow_null=True)
    caller_type = ChoiceField(choices=CallerType.choices, read_only=True)
    language = CodeOut(allow_null=True)
    region = CodeOut(allow_null=True)
    forms = CodeOut(many=True)
    urgency = ChoiceField(choices=Urgency.choices, read_only=True)
    status = ChoiceField(choices=Status.choices, read_only=True)
    # A web tip held out of the triage queue for a review in bulk (over the address limit).
    hold = ChoiceField(choices=Hold.choices, read_only=True, allow_blank=True)
    outcome = ChoiceField(choices=Outcome.choices, read_only=True, allow_blank=True)
    triaged_at = serializers.DateTimeField(read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField()
    dossier = serializers.IntegerField(source="dossier_id", read_only=True, allow_null=True)
    version = serializers.IntegerField(read_only=True)

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue()


class ShareOutSerializer(StrictSerializer):
    organisation = serializers.IntegerField(source="organisation_id", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class AdditionSerializer(StrictSerializer):
    id = serializers.IntegerField(read_only=True)
    text = serializers.CharField(max_length=actions.ADDITION_MAX)
    received_at = serializers.DateTimeField(read_only=True)
    from_reporter = serializers.BooleanField(read_only=True)
    organisation = serializers.IntegerField(
        source="organisation_id", read_only=True, allow_null=True
    )


class ReportSerializer(ReportSummarySerializer):
    """A report in full. An organisation it was passed to gets the same report, with only its
    own share and only what the reporter added (not the hotline's notes)."""

    city = serializers.CharField(read_only=True)
    possible_victims = serializers.CharField(read_only=True)
    suspects = serializers.CharField(read_only=True)
    narrative = serializers.CharField(read_only=True)
    reporter_contact = serializers.CharField(read_only=True)
    triage_note = serializers.CharField(read_only=True)
    triage_org = serializers.IntegerField(source="triage_org_id", read_only=True, allow_null=True)
    shares = ShareOutSerializer(many=True, read_only=True, source="shares_shown")
    additions = AdditionSerializer(many=True, read_only=True, source="additions_shown")


class HotlineOrganisationField(serializers.IntegerField):
    """The hotline a report is taken for: one where the user is an operator. Optional when
    there is only one."""

    def __init__(self, **kwargs):
        kwargs.setdefault("write_only", True)
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text", _("Id of the hotline you answer for; optional when there is only one.")
        )
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        pk = super().to_internal_value(data)
        if pk not in access.hotline_org_ids(self.context["request"].user):
            raise serializers.ValidationError(_("You cannot take reports for this organisation."))
        return Organisation.objects.get(pk=pk)


def text(field, **kwargs):
    return serializers.CharField(
        max_length=actions.TEXT_LIMITS[field], required=False, allow_blank=True, **kwargs
    )


class ReportUpdateSerializer(StrictSerializer):
    channel = ChoiceField(choices=Channel.choices, required=False)
    received_at = serializers.DateTimeField(required=False)
    caller_type = ChoiceField(choices=CallerType.choices, required=False)
    urgency = ChoiceField(choices=Urgency.choices, required=False)
    narrative = serializers.CharField(max_length=actions.TEXT_LIMITS["narrative"], required=False)
    language = CodeField("language", required=False, allow_null=True)
    region = CodeField("region", required=False, allow_null=True)
    city = text("city")
    forms = code_list_field("exploitation_form", required=False)
    possible_victims = text("possible_victims")
    suspects = text("suspects")
    reporter_contact = text("reporter_contact")
    version = serializers.IntegerField(
        min_value=1,
        max_value=MAX_VERSION,
        required=True,
        help_text=_("The version you read (a stale one answers 409)."),
    )

    def validate_channel(self, value):
        if value not in OPERATOR_CHANNELS:
            raise serializers.ValidationError(_("Web tips arrive only through the public form."))
        return value

    def validate(self, attrs):
        return require_version(self, attrs)


class ReportCreateSerializer(ReportUpdateSerializer):
    channel = ChoiceField(choices=Channel.choices)
    urgency = ChoiceField(choices=Urgency.choices)
    narrative = serializers.CharField(max_length=actions.TEXT_LIMITS["narrative"])
    organisation = HotlineOrganisationField()
    version = None

    def validate(self, attrs):
        if attrs.get("organisation") is None:
            orgs = access.hotline_org_ids(self.context["request"].user)
            if len(orgs) != 1:
                raise serializers.ValidationError(
                    {"organisation": _("Say which hotline you answer for.")}
                )
            attrs["organisation"] = Organisation.objects.get(pk=next(iter(orgs)))
        return attrs


class PersonInSerializer(StrictSerializer):
    given_name_ar = serializers.CharField(
        max_length=NAME_MAX, required=False, allow_blank=True, validators=[arabic_script]
    )
    family_name_ar = serializers.CharField(
        max_length=NAME_MAX, required=False, allow_blank=True, validators=[arabic_script]
    )
    given_name_lat = serializers.CharField(
        max_length=NAME_MAX, required=False, allow_blank=True, validators=[latin_script]
    )
    family_name_lat = serializers.CharField(
        max_length=NAME_MAX, required=False, allow_blank=True, validators=[latin_script]
    )
    sex = CodeField("sex", required=False, allow_null=True)
    estimated_age = serializers.IntegerField(
        min_value=0, max_value=120, required=False, allow_null=True
    )


class TriageSerializer(StrictSerializer):
    outcome = ChoiceField(choices=Outcome.choices)
    version = serializers.IntegerField(
        min_value=1, max_value=MAX_VERSION, help_text=_("The version you read.")
    )
    note = serializers.CharField(
        max_length=actions.NOTE_MAX, required=False, allow_blank=True, default=""
    )
    organisation = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        help_text=_("For police and ngo: the organisation the report is passed to."),
    )
    person = PersonInSerializer(
        required=False, help_text=_("For open_dossier: the person the dossier is about.")
    )
    forms = code_list_field(
        "exploitation_form",
        required=False,
        help_text=_("For open_dossier: the dossier's forms (the report's when absent)."),
    )
    dossier = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        help_text=_("For open_dossier: link an existing dossier of yours instead."),
    )

    def validate(self, attrs):
        outcome = attrs["outcome"]
        user = self.context["request"].user
        if outcome in (Outcome.POLICE, Outcome.NGO):
            org = Organisation.objects.filter(pk=attrs.get("organisation") or 0).first()
            if org is None:
                raise serializers.ValidationError(
                    {"organisation": _("Say which organisation the report is passed to.")}
                )
            attrs["organisation"] = org
        if outcome == Outcome.OPEN_DOSSIER:
            if attrs.get("dossier"):
                dossier = Dossier.objects.writable_by(user).filter(pk=attrs["dossier"]).first()
                if dossier is None:
                    raise serializers.ValidationError(
                        {"dossier": _("Choose a dossier of your organisation.")}
                    )
                attrs["dossier"] = dossier
            elif not attrs.get("person"):
                raise serializers.ValidationError(
                    {"person": _("Give the person's name, or an existing dossier.")}
                )
        return attrs

    def action_kwargs(self):
        data = dict(self.validated_data)
        outcome = data.pop("outcome")
        kwargs = {"expected_version": data.pop("version"), "note": data.pop("note", "")}
        if outcome in (Outcome.POLICE, Outcome.NGO):
            kwargs["organisation"] = data["organisation"]
        if outcome == Outcome.OPEN_DOSSIER:
            kwargs["dossier"] = data.get("dossier")
            kwargs["person"] = None if data.get("dossier") else dict(data["person"])
            kwargs["forms"] = data.get("forms")
        return outcome, kwargs


class ShareInSerializer(StrictSerializer):
    organisation = serializers.IntegerField(min_value=1, max_value=MAX_ID)

    def validate_organisation(self, value):
        org = Organisation.objects.filter(pk=value).first()
        if org is None:
            raise serializers.ValidationError(_("Unknown organisation."))
        return org


class ReportFilterSerializer(StrictSerializer):
    status = ChoiceField(choices=Status.choices, required=False)
    outcome = ChoiceField(choices=Outcome.choices, required=False)
    channel = ChoiceField(choices=Channel.choices, required=False)
    urgency = ChoiceField(choices=Urgency.choices, required=False)
    region = CodeField("region", required=False)
    received_after = serializers.DateField(
        required=False, validators=[day_in_range], help_text=_("On or after this date.")
    )
    received_before = serializers.DateField(
        required=False, validators=[day_in_range], help_text=_("On or before this date.")
    )
    overdue = serializers.BooleanField(
        required=False, help_text=_("Only the reports waiting longer than their urgency allows.")
    )
    held = ChoiceField(
        choices=Hold.choices,
        required=False,
        help_text=_(
            "Only the web tips held for a review in bulk, for this reason (hotline operators). "
            "Without it, held tips are left out, as in the triage queue."
        ),
    )


class ReportViewSet(ActingOrgMixin, viewsets.GenericViewSet):
    """Hotline reports you see: your hotline's and the web tips (operators), or those passed to
    your organisation."""

    serializer_class = ReportSerializer
    queryset = Report.objects.none()  # for the schema; requests use get_queryset
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        return (
            Report.objects.visible_to(self.request.user)
            .select_related("language", "region")
            .prefetch_related("forms")
        )

    def _object(self, purpose, write=False):
        qs = self.get_queryset()
        if write:
            qs = qs.writable_by(self.request.user)
        return visible_or_404(qs, Report, self.kwargs["pk"], self.request.user, purpose)

    def _full(self, report, purpose):
        user = self.request.user
        fresh = self.get_queryset().get(pk=report.pk)
        writable = Report.objects.writable_by(user).filter(pk=fresh.pk).exists()
        additions = ReportAddition.objects.filter(report=fresh)
        shares = fresh.shares.all()
        if not writable:
            additions = additions.filter(by__isnull=True)
            shares = shares.filter(organisation_id__in=access.victim_org_ids(user))
        fresh.additions_shown = list(additions)
        fresh.shares_shown = list(shares)
        person_id = fresh.dossier.person_id if fresh.dossier_id else None
        log.read(user, person_id, fresh, purpose)
        return ReportSerializer(fresh, context=self.get_serializer_context()).data

    @extend_schema(
        parameters=[ReportFilterSerializer], responses=ReportSummarySerializer(many=True)
    )
    def list(self, request):
        filters = ReportFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        f = filters.validated_data
        qs = self.get_queryset()
        # As the triage queue's page: the held tips apart, for the hotline to review in bulk.
        held = f.get("held") if access.handles_reports(request.user) else None
        qs = qs.held().filter(hold=held) if held else qs.in_queue()
        qs = qs.filtered(
            status=f.get("status"),
            outcome=f.get("outcome"),
            channel=f.get("channel"),
            urgency=f.get("urgency"),
            region=f.get("region"),
            start=f.get("received_after"),
            end=f.get("received_before"),
        ).defer(*Report.FREE_TEXT_FIELDS)
        if f.get("overdue"):
            qs = qs.overdue()
        page = self.paginate_queryset(qs.queue_order())
        return self.get_paginated_response(ReportSummarySerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self._full(self._object("api:report"), "api:report"))

    @extend_schema(request=ReportCreateSerializer, responses={201: ReportSerializer})
    def create(self, request):
        if not access.hotline_org_ids(request.user):
            raise PermissionDenied
        data = ReportCreateSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields.setdefault("received_at", timezone.now())
        report = actions.record_report(
            acting_user=request.user,
            organisation=fields.pop("organisation"),
            forms=fields.pop("forms", ()),
            **fields,
        )
        return Response(self._full(report, "api:report"), status=status.HTTP_201_CREATED)

    @extend_schema(request=ReportUpdateSerializer, responses=ReportSerializer)
    def partial_update(self, request, pk=None):
        report = self._object("api:report_edit", write=True)
        data = ReportUpdateSerializer(
            report, data=request.data, partial=True, context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        actions.update_report(
            report, acting_user=request.user, expected_version=fields.pop("version"), **fields
        )
        return Response(self._full(report, "api:report"))

    @extend_schema(request=TriageSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def triage(self, request, pk=None):
        """Triage the report with one outcome: open_dossier (``person`` or ``dossier``),
        police or ngo (``organisation``), information, not_trafficking (``note`` required),
        spam. A triaged report answers 400; a stale ``version`` 409."""
        report = self._object("api:report_triage", write=True)
        data = TriageSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        outcome, kwargs = data.action_kwargs()
        actions.triage(report, outcome=outcome, acting_user=request.user, **kwargs)
        return Response(self._full(report, "api:report"))

    @extend_schema(request=AdditionSerializer, responses={201: AdditionSerializer})
    @action(detail=True, methods=["post"], serializer_class=AdditionSerializer)
    def notes(self, request, pk=None):
        """Add a note of the hotline to the report (before or after triage)."""
        report = self._object("api:report_note", write=True)
        data = AdditionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        note = actions.add_note(report, acting_user=request.user, text=data.validated_data["text"])
        return Response(AdditionSerializer(note).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ShareInSerializer, responses={201: ShareOutSerializer})
    @action(detail=True, methods=["post"], serializer_class=ShareInSerializer)
    def share(self, request, pk=None):
        """Pass a report already passed to the police or an NGO to one more organisation."""
        report = self._object("api:report_share", write=True)
        data = ShareInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        share = actions.share_report(
            report, acting_user=request.user, organisation=data.validated_data["organisation"]
        )
        return Response(ShareOutSerializer(share).data, status=status.HTTP_201_CREATED)
