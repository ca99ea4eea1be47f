"""The analysts' forms of the statistics pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

NOTE_MAX = 2000


class FreezeForm(forms.Form):
    """Freezing a year's report as its next official version: a note on what the version is for,
    and the data version the analyst read (to warn when records changed in between)."""

    note = forms.CharField(
        label=_("Note (what this version is for, what changed)"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea({"rows": 2, "class": "form-control mb-2"}),
    )
    data_version = forms.CharField(required=False, widget=forms.HiddenInput)
