"""Persons through the API. Only members who handle victims see identities; everyone else gets
404 on every persons endpoint. Every person returned is an audited read."""

from django.db import transaction
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
from himaya.core import access, hooks
from himaya.core.api import StrictModelSerializer, StrictSerializer
from himaya.core.shortcuts import MAX_ID, parse_id

from . import actions
from .forms import identity_values
from .models import BirthDatePrecision, IdentityDocument, Person
from .validators import NAME_MAX, arabic_script, latin_script, phone_number

MAX_VERSION = 2**31 - 1


def name_field(validator):
    return serializers.CharField(
        max_length=NAME_MAX, required=False, allow_blank=True, validators=[validator]
    )


class ContactsSerializer(StrictSerializer):
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


class DocumentSerializer(StrictModelSerializer):
    type = CodeOut()
    issuing_country = CodeOut(allow_null=True)

    class Meta:
        model = IdentityDocument
        fields = ["id", "type", "number", "issuing_country", "expires_on", "held_by_person"]
        read_only_fields = fields


class PersonSerializer(StrictSerializer):
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
    confirm_new = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text=_(
            "Record the person although possible matches were answered (409 "
            "possible_duplicate): a namesake is not the same person."
        ),
    )
    send_to_desk = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text=_("With confirm_new: send the matches held elsewhere to the linkage desk."),
    )
    desk_reason = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=1000
    )

    def validate(self, attrs):
        if attrs.get("send_to_desk") and not (attrs.get("desk_reason") or "").strip():
            raise serializers.ValidationError(
                {"desk_reason": _("Say why the linkage desk should look at this.")}
            )
        today = timezone.localdate()
        for name in ("birth_date", "estimated_on"):
            if attrs.get(name) and attrs[name] > today:
                raise serializers.ValidationError({name: _("This date is in the future.")})
        if self.instance is None:
            attrs = resolve_acting_organisation(attrs, self.context["request"].user)
        return require_version(self, attrs)

    def create(self, validated_data):
        validated_data.pop("version", None)
        for name in ("confirm_new", "send_to_desk", "desk_reason"):
            validated_data.pop(name, None)
        organisation = validated_data.pop("organisation")
        return actions.create_person(
            acting_user=self.context["request"].user, organisation=organisation, **validated_data
        )

    def update(self, instance, validated_data):
        version = validated_data.pop("version")
        for name in ("confirm_new", "send_to_desk", "desk_reason"):
            validated_data.pop(name, None)
        validated_data.pop("organisation", None)
        person, _changed = actions.update_person(
            instance,
            acting_user=self.context["request"].user,
            expected_version=version,
            **validated_data,
        )
        return person


class PersonFilterSerializer(StrictSerializer):
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
            if parse_id(pk) and Person.objects.filter(pk=parse_id(pk)).exists():
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
        responses=PersonSerializer(many=True),  # a page of persons, as the list answers
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
        v = serializer.validated_data
        values = identity_values(v)
        found = hooks.call("person_candidates", request.user, values)
        if found and not v.get("confirm_new"):
            return Response(
                {
                    "detail": _(
                        "This person may already be recorded: open a record you see, or send "
                        "again with confirm_new."
                    ),
                    "code": "possible_duplicate",
                    "candidates": [c.pk for c in found.visible],
                    # a record held elsewhere: its existence only, never a reference
                    "hidden_match": found.hidden_match,
                },
                status=status.HTTP_409_CONFLICT,
            )
        with transaction.atomic():
            person = serializer.save()
            if found:
                hooks.call(
                    "record_entry",
                    request.user,
                    "person",
                    person,
                    values,
                    organisation=person.registered_by,
                    send_hidden=v.get("send_to_desk", False),
                    reason=(v.get("desk_reason") or "").strip(),
                )
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
