"""The published OpenAPI schema says what the views really answer (S20): fields a reader may not
get are optional, every error status an operation can return is declared (derived here once,
not written on each view), and request bodies admit no undeclared field.

Apart from core.api: DRF loads the pagination class named in the settings while it defines its
generic views, and drf-spectacular's AutoSchema imports those views."""

from drf_spectacular import openapi
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """An error: what went wrong, in the user's language."""

    detail = serializers.CharField(read_only=True)
    code = serializers.CharField(read_only=True)

    optional_fields = frozenset({"code"})


# 400: field name → messages (or "detail" for a body that is not JSON).
VALIDATION_ERROR = {
    "type": "object",
    "description": "The fields refused, each with its messages.",
    "additionalProperties": True,
}
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, saying what the views really answer: fields a reader may not
    get are optional, and every error status an operation can return is declared, derived here
    once rather than written on each view."""

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        optional = getattr(serializer, "optional_fields", ())
        if direction == "response" and optional and schema.get("required"):
            schema["required"] = [n for n in schema["required"] if n not in optional]
            if not schema["required"]:
                del schema["required"]
        return schema

    def _error_statuses(self):
        parameters = self._get_parameters()
        has_query = any(p.get("in") == "query" for p in parameters)
        has_path = any(p.get("in") == "path" for p in parameters)
        statuses = {}
        if self.view.get_authenticators():
            statuses["401"] = ErrorSerializer  # no, malformed, expired or revoked token
        if self.view.get_permissions():
            statuses["403"] = ErrorSerializer  # no membership, no second factor, no CSRF token
        if has_query or self.method in UNSAFE:
            statuses["400"] = VALIDATION_ERROR
        # Hidden looks like missing (DESIGN.md 3): a record on the path, a page past the end,
        # or a record named in the body that the user may not see.
        if has_path or has_query or self.method in UNSAFE:
            statuses["404"] = ErrorSerializer
        if self.method in UNSAFE:
            statuses["409"] = ErrorSerializer  # a stale version or a state that moved on (R1)
            if self.method != "DELETE":
                statuses["415"] = ErrorSerializer  # a body that is not JSON
        return statuses

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, body in self._error_statuses().items():
            if code not in responses:
                responses[code] = self._get_response_for_code(body, code, direction=direction)
        return responses


def declare_inputs(result, generator, request, public):
    """drf-spectacular post-processing hook. Request bodies take no field but those declared
    (core.api.StrictFieldsMixin refuses the others). An optional filter sent empty
    (``?stage=``) means "not given", as DRF reads a query string, so the schema admits it;
    ``page`` is the exception (core.api.PageNumberPagination refuses it empty)."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") and component.get("type") == "object":
            component.setdefault("additionalProperties", False)
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", ()):
                if parameter.get("in") == "query" and not parameter.get("required"):
                    parameter.setdefault("allowEmptyValue", True)
    return result
