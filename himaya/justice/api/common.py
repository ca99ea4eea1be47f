"""What the justice API shares: the write payloads' field makers, and the read-only viewset
every justice resource builds on (scoped by core.access, "Justice"; a record the user may not
write is a 404, the refusal audited)."""

import re

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from himaya.accounts.api import ActingOrgMixin, ChoiceField, visible_or_404
from himaya.accounts.models import Organisation
from himaya.core.shortcuts import MAX_ID
from himaya.people.api import MAX_VERSION

from ..legal import CODES as ARTICLE_CODES
from ..models import EXTERNAL_REF_MAX

ARTICLE_CHOICES = [(c, c) for c in ARTICLE_CODES]


def choice_field(choices, **kwargs):
    """A choice field given to the schema as a string whose values its description lists (and
    a pattern checks), like the read serializers' ``status``: the field names (outcome, kind,
    role...) are used by other apps for other choice sets, and named enums would collide."""
    values = [str(c[0]) for c in choices] + ([""] if kwargs.get("allow_blank") else [])
    pattern = "^(?:" + "|".join(re.escape(v) for v in values) + ")$"
    listed = ", ".join(v for v in values if v)
    text = kwargs.pop("help_text", "")
    kwargs["help_text"] = format_lazy("{} ({})", text, listed) if text else listed
    field_class = extend_schema_field({"type": "string", "pattern": pattern})(
        type("InlineChoiceField", (ChoiceField,), {})
    )
    return field_class(choices=choices, **kwargs)


def id_field(**kwargs):
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def ref_field():
    return serializers.CharField(
        max_length=EXTERNAL_REF_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The record's number in the register it comes from (unique per organisation)."),
    )


def confirm_order_field():
    """The confirmation of an order of dates that registers record (``actions.order_confirmed``):
    the import's warning, asked of an API client as a page asks its user."""
    return serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "True to record, as sent, an order of dates that registers do record (an arrest in "
            "flagrante, a suspect named in a complaint, a prosecution seized directly: before "
            "the investigation's recorded opening). Without it, such an order is refused (400): "
            "the warning beside the date, the question under confirm_order."
        ),
    )


def version_field():
    return serializers.IntegerField(
        min_value=1,
        max_value=MAX_VERSION,
        help_text=_("The version you read (a stale one answers 409)."),
    )


class Scoped(ActingOrgMixin, viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = r"[0-9]{1,18}"
    model = None

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user).order_by("pk")

    def retrieve(self, request, pk=None):
        obj = visible_or_404(self.get_queryset(), self.model, pk, request.user, "api:justice")
        return Response(self.get_serializer(obj).data)

    def _object(self, q, purpose):
        """A record the user sees and, through ``q``, may write; 404 (audited) otherwise."""
        return visible_or_404(
            self.get_queryset().filter(q), self.model, self.kwargs["pk"], self.request.user, purpose
        )

    @staticmethod
    def _payload(serializer_class, request, **kwargs):
        data = serializer_class(data=request.data, context={"request": request}, **kwargs)
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)


def organisation_or_none(pk):
    return Organisation.objects.filter(pk=pk).first() if pk else None
