"""A row of a register compared with the record it was imported as before: the differences
said in words, and the refusal of a re-import that would change a record (the import never
overwrites what Himaya holds: correct the record, or the file)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def differs(label, old, new):
    return _("%(field)s: recorded “%(old)s”, the file says “%(new)s”.") % {
        "field": label,
        "old": "" if old in (None, "") else old,
        "new": "" if new in (None, "") else new,
    }


def refuse(differences):
    raise ValidationError(
        _(
            "This record was imported before with other values, and the import does not change "
            "it (correct it in Himaya, or correct the file): %(what)s"
        )
        % {"what": " ".join(differences)}
    )


def _shown(value):
    if isinstance(value, list | set | tuple):
        return ", ".join(sorted(str(v) for v in value))
    return value


def compare(pairs):
    """Differences as messages: (label, recorded, in the file); ``None`` in the file means the
    sheet has no such column (the recorded value stands)."""
    return [
        differs(label, _shown(old), _shown(new))
        for label, old, new in pairs
        if new is not None and old != new
    ]
