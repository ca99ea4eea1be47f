"""The errors of an HTCDS upload's dry run, named after the HTCDS sheet, its rows and its fields
rather than after the casework sheets the file became (reader.py). The page's dry run and the
background worker's merge them the same way (services.merge_context): the reader's problems (an
unknown picklist value, a bad date) first, then the engine's on the cells the reader found
nothing wrong with."""

from dataclasses import dataclass, replace

from ..permissions import CASEWORK
from ..rows import RowError
from . import fields

# A run of an HTCDS file: a casework run (seen and committed as one) that says where it came from.
REQUESTED_KIND = f"{CASEWORK}:htcds"


@dataclass
class Context:
    """What the merge needs of the conversion: the HTCDS sheet's name, the field each row's
    date of opening came from, and the reader's errors. Kept beside a file handed to the worker
    (pending.store_context) as JSON."""

    source: str
    opened_from: dict  # row number → HTCDS field
    errors: list  # RowError

    @classmethod
    def of(cls, converted):
        return cls(converted.source, dict(converted.opened_from), list(converted.errors))

    def as_json(self):
        return {
            "source": self.source,
            "opened_from": {str(row): name for row, name in self.opened_from.items()},
            "errors": [error.as_dict() for error in self.errors],
        }

    @classmethod
    def from_json(cls, data):
        return cls(
            data["source"],
            {int(row): name for row, name in data["opened_from"].items()},
            [RowError(**error) for error in data["errors"]],
        )


def _relabel(error, context):
    """An engine error on the casework sheets, named after the HTCDS sheet and field."""
    columns = fields.CASEWORK_COLUMNS.get(error.sheet)
    if columns is None:
        return error
    column = columns.get(error.column, error.column)
    if error.column == "opened_on":
        column = context.opened_from.get(error.row, "cas_IncomingReferralDate")
    return replace(error, sheet=context.source, column=column)


def merge(result, context):
    """The engine's ``result`` of the converted file, its errors replaced by the reader's and
    its own relabelled: one message per cell (the reader's, which says what was wrong with the
    HTCDS value, rather than the engine's "required" for the value it could not carry), in the
    order of the rows. A file the reader found faults in is rejected even if the engine found
    none."""
    errors = list(context.errors)
    seen = {(e.row, e.column) for e in errors}
    for error in result.errors:
        error = _relabel(error, context)
        if (error.row, error.column) not in seen:
            errors.append(error)
    if context.errors:
        # The engine says "the file holds no records" when every row failed here: said already.
        errors = [e for e in errors if e.row or e.sheet != ""]
    errors.sort(key=lambda e: (e.row, e.column))
    result.errors = errors
    return result


def merge_json(result, context):
    """``merge`` with the context kept as JSON beside a file handed to the worker."""
    return merge(result, Context.from_json(context))
