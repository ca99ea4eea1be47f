"""Persons through the API. Only members who handle victims see identities; everyone else gets
404 on every persons endpoint. Every person returned is an audited read."""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
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
from himaya.audit import log
from himaya.core import access
from himaya.core.shortcuts import MAX_ID

from . import actions
from .models import BirthDatePrecision, IdentityDocument, Person
from .validators import NAME_MAX, arabic_script, latin_script, phone_number

MAX_VERSION = 2**31 - 1


def name_field(validator):
    return serializers.CharField(
        max_length=NAME_MAX, required=False, allow_blank=True, validators=[validator]
    )


class ContactsSerializer(serializers.Serializer):
    phones = serializers.ListField(
        child=serializers.CharField(max_length=32, validators=[phone_number]),
        max_length=10,
        required=False,
    )
    emails = serializers.ListField(
        child=serializers.EmailField(max_length=254), max_length=10, required=False
    )
    address = serializers.CharField(max_length=500, required=False, allow_blank=True)


@extend_schema_field(ContactsSerializer)
class ContactsField(serializers.Field):
    """Validated on the way in; stored as an encrypted JSON object."""

    def to_internal_value(self, data):
        inner = ContactsSerializer(data=data)
        inner.is_valid(raise_exception=True)
        return dict(inner.validated_data)

    def to_representation(self, value):
        return value


class DocumentSerializer(serializers.ModelSerializer):
    type = CodeOut()
    issuing_country = CodeOut(allow_null=True)

    class Meta:
        model = IdentityDocument
        fields = ["id", "type", "number", "issuing_country", "expires_on", "held_by_person"]
        read_only_fields = fields


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    given_name_ar = name_field(arabic_script)
    family_name_ar = name_field(arabic_script)
    given_name_lat = name_field(latin_script)
    family_name_lat = name_field(latin_script)
    sex = CodeField("sex", required=False, allow_null=True)
    birth_date = serializers.DateField(required=False, allow_null=True)
    birth_date_precision = ChoiceField(choices=BirthDatePrecision.choices, required=False)
    estimated_age = serializers.IntegerField(
        min_value=0, max_value=130, required=False, allow_null=True
    )
    estimated_on = serializers.DateField(required=False, allow_null=True)
    citizenships = code_list_field("country", required=False)
    languages = code_list_field("language", required=False)
    contacts = ContactsField(required=False, allow_null=True)
    documents = DocumentSerializer(many=True, read_only=True)
    registered_by = serializers.IntegerField(source="registered_by_id", read_only=True)
    organisation = ActingOrganisationField()
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)
    version = serializers.IntegerField(
        min_value=1,
        max_value=MAX_VERSION,
        required=False,
        help_text=_("The version you read; required on updates (a stale one answers 409)."),
    )

    def validate(self, attrs):
        today = timezone.localdate()
        for name in ("birth_date", "estimated_on"):
            if attrs.get(name) and attrs[name] > today:
                raise serializers.ValidationError({name: _("This date is in the future.")})
        if self.instance is None:
            attrs = resolve_acting_organisation(attrs, self.context["request"].user)
        return require_version(self, attrs)

    def create(self, validated_data):
        validated_data.pop("version", None)
        organisation = validated_data.pop("organisation")
        return actions.create_person(
            acting_user=self.context["request"].user, organisation=organisation, **validated_data
        )

    def update(self, instance, validated_data):
        version = validated_data.pop("version")
        validated_data.pop("organisation", None)
        person, _changed = actions.update_person(
            instance,
            acting_user=self.context["request"].user,
            expected_version=version,
            **validated_data,
        )
        return person


class PersonFilterSerializer(serializers.Serializer):
    sex = CodeField("sex", required=False)
    citizenship = CodeField("country", required=False)
    registered_by = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)


class PersonSearchSerializer(PersonFilterSerializer):
    q = serializers.CharField(
        max_length=200, required=False, help_text=_("Names to look for, in Arabic or Latin script.")
    )


class PersonViewSet(ActingOrgMixin, viewsets.GenericViewSet):
    """Persons (identities) registered by your organisations or in dossiers you see."""

    serializer_class = PersonSerializer
    queryset = Person.objects.none()  # for the schema; requests use get_queryset
    lookup_value_regex = r"[0-9]{1,18}"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not access.victim_org_ids(request.user):
            # Analysts and administrators never see identities; asking for one is recorded.
            pk = self.kwargs.get("pk")
            if pk and str(pk).isdigit() and Person.objects.filter(pk=int(pk)).exists():
                log.denied(request.user, ("people.person", str(pk)), "api:person")
            raise NotFound

    def get_queryset(self):
        return (
            Person.objects.visible_to(self.request.user)
            .select_related("sex")
            .prefetch_related(
                "citizenships",
                "languages",
                Prefetch(
                    "documents", IdentityDocument.objects.select_related("type", "issuing_country")
                ),
            )
        )

    def get_object(self):
        return visible_or_404(
            self.get_queryset(), Person, self.kwargs["pk"], self.request.user, "api:person"
        )

    def _filtered_page(self, request, data, serializer_class):
        filters = serializer_class(data=data)
        filters.is_valid(raise_exception=True)
        f = filters.validated_data
        qs = self.get_queryset()
        if f.get("q"):
            qs = qs.search(f["q"])
        if f.get("sex"):
            qs = qs.filter(sex=f["sex"])
        if f.get("citizenship"):
            qs = qs.filter(pk__in=Person.objects.filter(citizenships=f["citizenship"]).values("pk"))
        if f.get("registered_by"):
            qs = qs.filter(registered_by_id=f["registered_by"])
        page = self.paginate_queryset(qs)
        log.read_many(request.user, [p.pk for p in page], "people.person", "api:person_list")
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(parameters=[PersonFilterSerializer])
    def list(self, request):
        if "q" in request.query_params:
            # Names never travel in URLs (S16): they would end up in access logs.
            raise serializers.ValidationError(
                {"q": [_("Send the names to look for in the body of POST /api/persons/search/.")]}
            )
        return self._filtered_page(request, request.query_params, PersonFilterSerializer)

    @extend_schema(
        request=PersonSearchSerializer,
        description=_(
            "Persons whose names match every word of q, in Arabic or Latin script, with the "
            "list's filters. Names go in the body, never in a URL, so they stay out of access "
            "logs."
        ),
    )
    @action(detail=False, methods=["post"])
    def search(self, request):
        return self._filtered_page(request, request.data, PersonSearchSerializer)

    def retrieve(self, request, pk=None):
        person = self.get_object()
        log.read(request.user, person.pk, person, "api:person")
        return Response(self.get_serializer(person).data)

    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        person = serializer.save()
        fresh = self.get_queryset().get(pk=person.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        # Seeing a person through a partner's grant is not changing them.
        person = visible_or_404(
            self.get_queryset().writable_by(request.user),
            Person,
            pk,
            request.user,
            "api:person_edit",
        )
        serializer = self.get_serializer(person, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        fresh = self.get_queryset().get(pk=person.pk)
        return Response(self.get_serializer(fresh).data)
