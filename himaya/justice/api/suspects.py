"""Suspects through the API: their identity (each read audited), the investigations and events
the user sees with them, and the payloads that add, correct and record events on them."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from himaya.accounts.api import CodeField, CodeOut
from himaya.audit import log
from himaya.core import access
from himaya.core.api import StrictModelSerializer, StrictSerializer
from himaya.core.bidi import check_name
from himaya.people.models import BirthDatePrecision

from .. import actions
from ..models import EventKind, Investigation, Suspect, SuspectEvent
from .common import (
    Scoped,
    choice_field,
    confirm_order_field,
    id_field,
    ref_field,
    version_field,
)


class EventSerializer(StrictModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=", ".join(EventKind.values))

    class Meta:
        model = SuspectEvent
        fields = ["id", "investigation", "kind", "on", "place", "organisation", "external_ref"]
        read_only_fields = fields


class SuspectSerializer(StrictModelSerializer):
    sex = CodeOut(allow_null=True)
    citizenship = CodeOut(allow_null=True)
    role_in_process = CodeOut(allow_null=True)
    official_body_type = CodeOut(allow_null=True)
    investigations = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()

    class Meta:
        model = Suspect
        fields = [
            "id",
            "external_ref",
            # What a suspect's record holds, as the actions name it: the API reads them all.
            *actions.SUSPECT_FIELDS,
            "registered_by",
            "investigations",
            "events",
            "version",
        ]
        read_only_fields = fields

    def get_investigations(self, obj) -> list[int]:
        return sorted(
            link.investigation_id
            for link in obj.links.all()
            if link.investigation_id in self.context["investigation_ids"]
        )

    def get_events(self, obj) -> list[dict]:
        events = [
            e for e in obj.events.all() if e.investigation_id in self.context["investigation_ids"]
        ]
        return EventSerializer(events, many=True).data


class SuspectFieldsSerializer(StrictSerializer):
    given_name_ar = serializers.CharField(
        max_length=actions.NAME_MAX, required=False, allow_blank=True, validators=[check_name]
    )
    family_name_ar = serializers.CharField(
        max_length=actions.NAME_MAX, required=False, allow_blank=True, validators=[check_name]
    )
    given_name_lat = serializers.CharField(
        max_length=actions.NAME_MAX, required=False, allow_blank=True, validators=[check_name]
    )
    family_name_lat = serializers.CharField(
        max_length=actions.NAME_MAX, required=False, allow_blank=True, validators=[check_name]
    )
    sex = CodeField("sex", required=False, allow_null=True)
    birth_date = serializers.DateField(required=False, allow_null=True)
    birth_date_precision = choice_field(BirthDatePrecision.choices, required=False)
    citizenship = CodeField("country", required=False, allow_null=True)
    role_in_process = CodeField("role_in_process", required=False, allow_null=True)
    public_official = serializers.BooleanField(required=False)
    official_body_type = CodeField(
        "public_body",
        required=False,
        allow_null=True,
        help_text=_(
            "The kind of body a public official belongs to (code list public_body); when "
            "absent, the kind that official_body names."
        ),
    )
    official_body = serializers.CharField(
        max_length=actions.NAME_MAX, required=False, allow_blank=True
    )
    diplomatic_immunity = serializers.BooleanField(required=False)


class SuspectAddSerializer(SuspectFieldsSerializer):
    suspect = id_field(
        required=False,
        help_text=_("Id of an existing suspect you see; else give the new suspect's identity."),
    )
    added_on = serializers.DateField(required=False, help_text=_("Today when absent."))
    external_ref = ref_field()
    confirm_order = confirm_order_field()
    confirm_new = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "A new suspect whose names match suspects you see answers 409 with their ids; "
            "send the existing one as ``suspect``, or resend with this set to create a new one."
        ),
    )

    def validate(self, attrs):
        if attrs.get("suspect") is not None and any(
            k in attrs for k in SuspectFieldsSerializer._declared_fields
        ):
            raise serializers.ValidationError(
                {"suspect": _("Give an existing suspect or a new suspect's identity, not both.")}
            )
        return attrs


class DuplicateHintSerializer(StrictSerializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    candidates = serializers.ListField(
        child=serializers.IntegerField(), help_text=_("Ids of suspects with matching names.")
    )


class SuspectUpdateSerializer(SuspectFieldsSerializer):
    version = version_field()


class SuspectEventCreateSerializer(StrictSerializer):
    suspect = id_field(help_text=_("Id of a suspect of this investigation."))
    kind = choice_field(EventKind.choices)
    on = serializers.DateField()
    place = serializers.CharField(max_length=actions.PLACE_MAX, required=False, allow_blank=True)
    external_ref = ref_field()
    confirm_order = confirm_order_field()


def suspect_data(request, suspect):
    """A suspect as the API shows it, the read audited (it carries the identity)."""
    ids = set(Investigation.objects.visible_to(request.user).values_list("pk", flat=True))
    log.read(request.user, None, ("justice.suspect", str(suspect.pk)), "api:suspect")
    fresh = Suspect.objects.prefetch_related("events").get(pk=suspect.pk)
    return SuspectSerializer(fresh, context={"investigation_ids": ids}).data


class SuspectViewSet(Scoped):
    """Suspects of the cases your justice organisation sees, with their identity; only the
    investigations and events you see are listed with them."""

    serializer_class = SuspectSerializer
    queryset = Suspect.objects.none()
    model = Suspect

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("sex", "citizenship", "role_in_process", "official_body_type")
            .prefetch_related("events", "links")
        )

    def get_serializer_context(self):
        ctx = super().get_serializer_context()
        ctx["investigation_ids"] = set(
            Investigation.objects.visible_to(self.request.user).values_list("pk", flat=True)
        )
        return ctx

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        shown = [row["id"] for row in response.data.get("results", [])]
        log.read_records(request.user, "justice.suspect", shown, "api:suspect_list")
        return response

    def retrieve(self, request, pk=None):
        response = super().retrieve(request, pk)
        log.read(request.user, None, ("justice.suspect", str(pk)), "api:suspect")
        return response

    @extend_schema(request=SuspectUpdateSerializer, responses=SuspectSerializer)
    def partial_update(self, request, pk=None):
        """Correct a suspect's identity or flags: by a justice organisation that may write one
        of the investigations the suspect is in."""
        user = request.user
        writable = Investigation.objects.filter(access.investigation_write_q(user))
        in_writable = Suspect.objects.filter(links__investigation__in=writable).values("pk")
        suspect = self._object(Q(pk__in=in_writable), "api:suspect_edit")
        v = self._payload(SuspectUpdateSerializer, request)
        actions.update_suspect(suspect, acting_user=user, expected_version=v.pop("version"), **v)
        return Response(suspect_data(request, suspect))
