"""Dossiers through the API. Each dossier is serialised for the reader: with the person's
identity for members who see it, de-identified (no person, caseworker or free-text keys at all)
for the others, e.g. analysts (S5). Notes and stage changes need the identity level."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework.response import Response

from himaya.accounts.api import (
    ActingOrganisationField,
    ActingOrgMixin,
    ChoiceField,
    CodeField,
    CodeOut,
    code_list_field,
    require_version,
    resolve_acting_organisation,
    visible_or_404,
)
from himaya.accounts.models import User
from himaya.audit import log
from himaya.core import access
from himaya.core.api import StrictModelSerializer, StrictSerializer
from himaya.core.shortcuts import MAX_ID
from himaya.people.api import MAX_VERSION
from himaya.people.models import BirthDatePrecision, Person

from .. import actions
from ..models import Dossier, DossierNote, Stage, StageEvent
from .identify import DossierIdentifyMixin


def slug(**kwargs):
    return CodeOut(**kwargs)


class PersonSummarySerializer(StrictSerializer):
    id = serializers.IntegerField(read_only=True)
    given_name_ar = serializers.CharField(read_only=True)
    family_name_ar = serializers.CharField(read_only=True)
    given_name_lat = serializers.CharField(read_only=True)
    family_name_lat = serializers.CharField(read_only=True)
    sex = slug(allow_null=True)
    birth_date = serializers.DateField(read_only=True, allow_null=True)
    birth_date_precision = ChoiceField(choices=BirthDatePrecision.choices, read_only=True)
    citizenships = slug(many=True)


class DossierSerializer(StrictSerializer):
    """What a reader gets. The identity fields are declared optional (not read-only) so the
    schema says they may be absent; this serializer is never used for input."""

    id = serializers.IntegerField(read_only=True)
    reference = serializers.CharField(read_only=True)
    owner_org = serializers.IntegerField(source="owner_org_id", read_only=True)
    stage = ChoiceField(choices=Stage.choices, read_only=True, allow_null=True)
    stage_on = serializers.DateField(read_only=True, allow_null=True)
    forms = slug(many=True)
    recruitment_country = slug(allow_null=True)
    recruitment_region = slug(allow_null=True)
    exploitation_country = slug(allow_null=True)
    exploitation_region = slug(allow_null=True)
    opened_on = serializers.DateField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    person = PersonSummarySerializer(required=False)
    caseworker = serializers.IntegerField(source="caseworker_id", required=False, allow_null=True)
    form_other_detail = serializers.CharField(required=False)
    recruitment_city = serializers.CharField(required=False)
    exploitation_city = serializers.CharField(required=False)

    def to_representation(self, instance):
        if instance.pk in self.context.get("identity_ids", ()):
            return super().to_representation(instance)
        # De-identified: the identity fields (the dossier's policy, core.access.policies) are
        # never read, not merely dropped afterwards.
        hidden = access.policy_for(Dossier).identity_fields
        ret = {}
        for field in self._readable_fields:
            if field.field_name in hidden:
                continue
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            check = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            ret[field.field_name] = None if check is None else field.to_representation(attribute)
        return ret


class CaseworkerField(serializers.IntegerField):
    """A user id, looked up only among active members of the writer's organisations."""

    def to_internal_value(self, data):
        pk = super().to_internal_value(data)
        orgs = access.victim_org_ids(self.context["request"].user)
        user = (
            None
            if not 0 < pk <= MAX_ID
            else User.objects.filter(access.caseworker_q(orgs), pk=pk).first()
        )
        if user is None:
            raise serializers.ValidationError(
                _("Choose an active member of the organisation as caseworker.")
            )
        return user


class DossierUpdateSerializer(StrictSerializer):
    caseworker = CaseworkerField(required=False, allow_null=True)
    forms = code_list_field("exploitation_form", required=False)
    form_other_detail = serializers.CharField(max_length=200, required=False, allow_blank=True)
    recruitment_country = CodeField("country", required=False, allow_null=True)
    recruitment_region = CodeField("region", required=False, allow_null=True)
    recruitment_city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    exploitation_country = CodeField("country", required=False, allow_null=True)
    exploitation_region = CodeField("region", required=False, allow_null=True)
    exploitation_city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    opened_on = serializers.DateField(required=False)
    version = serializers.IntegerField(
        min_value=1,
        max_value=MAX_VERSION,
        required=True,
        help_text=_("The version you read (a stale one answers 409)."),
    )

    def validate(self, attrs):
        return require_version(self, attrs)


class DossierCreateSerializer(DossierUpdateSerializer):
    person = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    organisation = ActingOrganisationField()
    version = None

    def validate_person(self, value):
        user = self.context["request"].user
        # A dossier is opened only for a person one's organisation registered or follows.
        person = Person.objects.writable_by(user).filter(pk=value).first()
        if person is None:
            if Person.objects.filter(pk=value).exists():
                log.denied(user, ("people.person", str(value)), "api:dossier_create")
            raise serializers.ValidationError(_("Unknown person."))
        return person

    def validate(self, attrs):
        return resolve_acting_organisation(attrs, self.context["request"].user)


class StageChangeSerializer(StrictSerializer):
    stage = ChoiceField(choices=Stage.choices)
    on = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class StageEventSerializer(StrictModelSerializer):
    class Meta:
        model = StageEvent
        fields = ["id", "stage", "on", "reason", "organisation", "recorded_at"]
        read_only_fields = fields


class NoteSerializer(StrictModelSerializer):
    text = serializers.CharField(max_length=20000)
    author = serializers.CharField(source="author.display_name", read_only=True)

    class Meta:
        model = DossierNote
        fields = ["id", "text", "author", "organisation", "created_at"]
        read_only_fields = ["id", "author", "organisation", "created_at"]


class DossierFilterSerializer(StrictSerializer):
    stage = ChoiceField(choices=Stage.choices, required=False)
    form = CodeField(
        "exploitation_form",
        required=False,
        help_text=_("A form of exploitation; includes its sub-forms."),
    )
    owner_org = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    opened_after = serializers.DateField(required=False, help_text=_("On or after this date."))
    opened_before = serializers.DateField(required=False, help_text=_("On or before this date."))


class DossierViewSet(DossierIdentifyMixin, ActingOrgMixin, viewsets.GenericViewSet):
    """NRM dossiers you see; de-identified (no person, caseworker or free text) when you do not
    see the person's identity. Their identification decisions and offences are sub-resources
    (identify.DossierIdentifyMixin)."""

    serializer_class = DossierSerializer
    queryset = Dossier.objects.none()  # for the schema; requests use get_queryset
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self, full=False):
        """Visible dossiers. Unless ``full``, without the person's identity and the dossier's
        free text: those are read only for the dossiers the user sees with the identity
        (``_represent``), so that nothing is decrypted for the others."""
        user = self.request.user
        qs = (
            Dossier.objects.visible_to(user)
            .select_related(
                "recruitment_country",
                "recruitment_region",
                "exploitation_country",
                "exploitation_region",
            )
            .prefetch_related("forms")
        )
        if access.handles_victims(user):
            qs = qs.select_related("person__sex").prefetch_related("person__citizenships")
            if not full:
                qs = qs.defer(*(f"person__{f}" for f in Person.IDENTITY_FIELDS))
        return qs if full else qs.defer(*Dossier.FREE_TEXT_FIELDS)

    def _identity_ids(self, dossiers):
        return access.identity_ids_among(self.request.user, dossiers)

    def _represent(self, dossiers, purpose):
        identity_ids = self._identity_ids(dossiers)
        log.read_many(
            self.request.user,
            [d.person_id for d in dossiers if d.pk in identity_ids],
            "cases.dossier",
            purpose,
        )
        if identity_ids:
            full = {d.pk: d for d in self.get_queryset(full=True).filter(pk__in=identity_ids)}
            dossiers = [full.get(d.pk, d) for d in dossiers]
        context = {**self.get_serializer_context(), "identity_ids": identity_ids}
        return [DossierSerializer(d, context=context).data for d in dossiers]

    def _identity_object(self, purpose):
        """A dossier the user sees with its identity, for its notes."""
        user = self.request.user
        return visible_or_404(
            self.get_queryset().with_identity_for(user), Dossier, self.kwargs["pk"], user, purpose
        )

    def _writable_object(self, purpose):
        """A dossier the user may change: owned by one of their organisations."""
        user = self.request.user
        return visible_or_404(
            self.get_queryset().writable_by(user), Dossier, self.kwargs["pk"], user, purpose
        )

    @extend_schema(parameters=[DossierFilterSerializer])
    def list(self, request):
        filters = DossierFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        f = filters.validated_data
        qs = self.get_queryset().filtered(
            stage=f.get("stage"),
            form=f.get("form"),
            owner=f.get("owner_org"),
            opened_from=f.get("opened_after"),
            opened_to=f.get("opened_before"),
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(self._represent(page, "api:dossier_list"))

    def retrieve(self, request, pk=None):
        dossier = visible_or_404(self.get_queryset(), Dossier, pk, request.user, "api:dossier")
        return Response(self._represent([dossier], "api:dossier")[0])

    @extend_schema(request=DossierCreateSerializer, responses={201: DossierSerializer})
    def create(self, request):
        data = DossierCreateSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        dossier = actions.open_dossier(
            fields.pop("person"),
            acting_user=request.user,
            organisation=fields.pop("organisation"),
            forms=fields.pop("forms", ()),
            **fields,
        )
        fresh = self.get_queryset().get(pk=dossier.pk)
        return Response(self._represent([fresh], "api:dossier")[0], status=status.HTTP_201_CREATED)

    @extend_schema(request=DossierUpdateSerializer, responses=DossierSerializer)
    def partial_update(self, request, pk=None):
        dossier = self._writable_object("api:dossier_edit")
        data = DossierUpdateSerializer(
            dossier, data=request.data, partial=True, context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        actions.update_dossier(
            dossier, acting_user=request.user, expected_version=fields.pop("version"), **fields
        )
        fresh = self.get_queryset().get(pk=dossier.pk)
        return Response(self._represent([fresh], "api:dossier")[0])

    @extend_schema(request=StageChangeSerializer, responses={201: StageEventSerializer})
    @action(detail=True, methods=["post"])
    def stage(self, request, pk=None):
        dossier = self._writable_object("api:dossier_stage")
        data = StageChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        event = actions.change_stage(dossier, acting_user=request.user, **data.validated_data)
        return Response(StageEventSerializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=NoteSerializer(many=True))
    @extend_schema(methods=["POST"], request=NoteSerializer, responses={201: NoteSerializer})
    @action(detail=True, methods=["get", "post"], serializer_class=NoteSerializer)
    def notes(self, request, pk=None):
        dossier = self._identity_object("api:dossier_notes")
        if request.method == "POST":
            data = NoteSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            note = actions.add_note(
                dossier, acting_user=request.user, text=data.validated_data["text"]
            )
            return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)
        notes = (
            DossierNote.objects.visible_to(request.user)
            .filter(dossier=dossier)
            .select_related("author")
        )
        page = self.paginate_queryset(notes)
        log.read(request.user, dossier.person_id, dossier, "api:dossier_notes")
        return self.get_paginated_response(NoteSerializer(page, many=True).data)
