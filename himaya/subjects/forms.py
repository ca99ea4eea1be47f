from django import forms
from django.utils.translation import gettext_lazy as _

from .actions import REASON_MAX


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the person's data is erased"),
        help_text=_(
            "The request and its date, e.g. 'written request of 3 March'. "
            "Do not write the person's name."
        ),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone."),
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )
