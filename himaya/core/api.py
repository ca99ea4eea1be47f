"""API helpers shared by the apps."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import Conflict
from .pagination import CappedPaginator


def exception_handler(exc, context):
    if isinstance(exc, Conflict):
        return Response({"detail": str(exc), "code": "conflict"}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    return drf_exception_handler(exc, context)


# --- the published schema, kept (S20) ------------------------------------------------------


def _shown(name):
    """A client's key, fit to be echoed: lone surrogates escaped, length bounded."""
    text = str(name).encode("utf-8", "backslashreplace").decode("utf-8")
    return text[:64] + ("…" if len(text) > 64 else "")


class StrictFieldsMixin:
    """Refuses a JSON body's keys that the serializer does not take (unknown or read-only), each
    named in the 400: a misspelt field must not be silently dropped while the client believes it
    saved. Query strings (QueryDict) are left alone: they also carry ``page``."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping) and not isinstance(data, QueryDict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = [key for key in data if key not in writable]
            if unknown:
                raise exceptions.ValidationError(
                    {
                        _shown(key): [_("Unknown field: this request does not take it.")]
                        for key in unknown
                    }
                )
        return super().to_internal_value(data)


class StrictSerializer(StrictFieldsMixin, serializers.Serializer):
    """The base of the API's serializers (see StrictFieldsMixin). ``optional_fields`` names
    the fields a representation may leave out (text hidden from some readers): the schema then
    does not list them as required."""

    optional_fields = frozenset()


class StrictModelSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    optional_fields = frozenset()


class PageNumberPagination(pagination.PageNumberPagination):
    """DRF's page numbers, where a page that is not a whole number from 1 (``?page=``,
    ``?page=x``, ``?page=0``) is a 400 that says so, and a page past the end stays a 404."""

    last_page_strings = ()
    # Counting every row a user may see costs as much as reading them (issue 17): ``count`` is
    # exact up to the cap, and past it the cap with ``count_capped`` true; ``next`` stays.
    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        paginator = self.page.paginator
        response.data["count"] = paginator.shown_count
        response.data["count_capped"] = paginator.capped
        return response

    def get_paginated_response_schema(self, schema):
        out = super().get_paginated_response_schema(schema)
        out["properties"]["count_capped"] = {
            "type": "boolean",
            "description": "true when the list holds more rows than count (a lower bound)",
        }
        return out

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        if not (raw.isascii() and raw.isdigit() and 0 < len(raw) <= 9 and int(raw) >= 1):
            raise exceptions.ValidationError(
                {self.page_query_param: [_("Give a page number: a whole number from 1.")]}
            )
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": 999_999_999}
                parameter["allowEmptyValue"] = False
        return parameters
