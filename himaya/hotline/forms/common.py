"""What the hotline's forms share: widgets, the Bootstrap classes, a text field with its limit,
the forms of exploitation, the organisations a report may be passed to."""

from django import forms as dj

from himaya.accounts.models import Organisation
from himaya.core.models import Code
from himaya.core.trilingual import ordered_by
from himaya.people.forms import (
    SafeMultipleChoiceField,
)

from ..models import (
    SHARE_OUTCOMES,
    Outcome,
)

DATETIME_WIDGET = dj.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

DATE_WIDGET = dj.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def style(form, small=False):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, dj.RadioSelect | dj.CheckboxInput | dj.HiddenInput):
            continue
        if isinstance(widget, dj.Select):
            css = "form-select" + (" form-select-sm" if small else "")
        else:
            css = "form-control" + (" form-control-sm" if small else "")
        widget.attrs.setdefault("class", css)


def text_field(label, limit, rows=3, required=False, **kwargs):
    return dj.CharField(
        label=label,
        max_length=limit,
        required=required,
        widget=dj.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


class FormsField(SafeMultipleChoiceField):
    """Forms of exploitation, labelled with their parent: "forced labour › forced begging"."""

    def label_from_instance(self, obj):
        return " › ".join(c.label for c in reversed(obj.ancestors_and_self()))


def form_codes():
    return Code.objects.of("exploitation_form").select_related("parent__parent")


def share_organisations(outcome):
    types = (
        SHARE_OUTCOMES[outcome]
        if outcome
        else (SHARE_OUTCOMES[Outcome.POLICE] | SHARE_OUTCOMES[Outcome.NGO])
    )
    return ordered_by(Organisation.objects.filter(active=True, type__code__in=types), "name", "pk")
