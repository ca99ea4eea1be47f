"""What the referrals API shares: free text gated by the identity, versions, and the viewset
of a record on a dossier (read through ``visible_to``, created through one action)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.response import Response

from himaya.accounts.api import ActingOrgMixin, visible_or_404
from himaya.audit import log
from himaya.cases.models import Dossier
from himaya.core import access
from himaya.core.api import StrictSerializer
from himaya.people.api import MAX_VERSION


def represent_without(serializer, obj, hidden):
    """``serializer``'s representation of ``obj`` without the ``hidden`` fields, which are
    neither shown nor read (lists defer the text: reading it would be a query per row and a
    decryption for nothing)."""
    return {
        field.field_name: (
            None if (value := field.get_attribute(obj)) is None else field.to_representation(value)
        )
        for field in serializer._readable_fields
        if field.field_name not in hidden
    }


class VersionSerializer(StrictSerializer):
    version = serializers.IntegerField(min_value=1, max_value=MAX_VERSION)


class TextGatedSerializer(StrictSerializer):
    """A record whose free text (``text_fields``) is serialised only for a reader who sees the
    dossier with the identity (``with_text`` set on the record)."""

    text_fields = frozenset()

    @property
    def optional_fields(self):  # absent for a reader who does not see the identity
        return self.text_fields

    def to_representation(self, obj):
        if getattr(obj, "with_text", False):
            return super().to_representation(obj)
        return represent_without(self, obj, self.text_fields)


class DossierRecordViewSet(ActingOrgMixin, viewsets.GenericViewSet):
    """List and read a service record; create it on a dossier through one action."""

    model = None
    audit_purpose = "api"
    create_serializer = None
    create_action = None
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user).select_related("dossier")

    def _object(self, purpose="api"):
        return visible_or_404(
            self.get_queryset(), self.model, self.kwargs["pk"], self.request.user, purpose
        )

    def _out(self, record):
        user = self.request.user
        fresh = self.model.objects.select_related("dossier").get(pk=record.pk)
        fresh.with_text = bool(self.serializer_class.text_fields) and access.sees_identity(
            user, fresh.dossier
        )
        if fresh.with_text:
            log.read(user, fresh.dossier.person_id, fresh, self.audit_purpose)
        return self.serializer_class(fresh).data

    def list(self, request):
        text = self.serializer_class.text_fields
        page = self.paginate_queryset(self.get_queryset().defer(*text))
        return self.get_paginated_response(self.serializer_class(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self._out(self._object()))

    def create(self, request):
        data = self.create_serializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        d = {k: v for k, v in data.validated_data.items() if v is not None}
        dossier = Dossier.objects.visible_to(request.user).filter(pk=d.pop("dossier")).first()
        if dossier is None:
            raise Http404
        try:
            record = self.create_action(dossier, acting_user=request.user, **d)
        except PermissionDenied as exc:  # the record is visible: say who may (issue 15)
            raise exceptions.PermissionDenied(str(exc)) from None
        return Response(self._out(record), status=status.HTTP_201_CREATED)

    def _run(self, fn, **kwargs):
        record = self._object("api:update")
        try:
            fn(record, acting_user=self.request.user, **kwargs)
        except PermissionDenied as exc:  # the record is visible: say who may (issue 15)
            raise exceptions.PermissionDenied(str(exc)) from None
        return Response(self._out(record))
