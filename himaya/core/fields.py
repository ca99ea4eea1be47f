"""Model fields encrypted at rest (S17)."""

import json

from django.db import models

from . import crypto


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token. Not searchable in SQL, by design."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(value)

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_lookup(self, lookup_name):
        # Equality on ciphertext is meaningless (every encryption differs): only null checks
        # and comparisons with the empty string (stored as is) are useful. Other lookups are
        # refused so nobody writes a filter that silently never matches.
        if lookup_name not in {"isnull", "exact", "in"}:
            return None
        return super().get_lookup(lookup_name)


class EncryptedJSONField(EncryptedTextField):
    """A JSON value (dict or list) stored encrypted."""

    def get_prep_value(self, value):
        if value is None or value == "":
            return None
        return crypto.encrypt(json.dumps(value, ensure_ascii=False, sort_keys=True))

    def from_db_value(self, value, expression, connection):
        text = super().from_db_value(value, expression, connection)
        if text is None or text == "":
            return None
        return json.loads(text)

    def to_python(self, value):
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value

    def value_to_string(self, obj):
        return json.dumps(self.value_from_object(obj), ensure_ascii=False)


def encrypted_names(model):
    """The names of ``model``'s encrypted fields (a de-identified read defers them all)."""
    return [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
