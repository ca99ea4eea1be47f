"""The duplicate check of every form that enters a person or a suspect (DOMAIN.md §8).

Before a record is saved, the existing records that may be the same person are shown (the
linkage app provides them through ``core.hooks``). The user may still save: the form then
carries a confirmation token bound to what was checked, so changing a name or the birth date
after the check shows the candidates again. Whether the candidates held by other organisations
go to the linkage desk is the user's choice, with a reason.
"""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from . import crypto, hooks


class EntryCheckForm(forms.Form):
    """Fields every entry form adds for the duplicate check."""

    entry_confirmed = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    send_to_desk = forms.BooleanField(
        label=_("Send the possible match to the linkage desk of the national commission"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    desk_reason = forms.CharField(
        label=_("Why it may be the same person (for the linkage desk)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("send_to_desk") and not (data.get("desk_reason") or "").strip():
            self.add_error("desk_reason", _("Say why the linkage desk should look at this."))
        return data


def _token(user, subject, values):
    payload = json.dumps([user.pk, subject, values], sort_keys=True, default=str)
    return crypto.blind_digest("entry-check:" + payload)


def check(request, form, subject, values, *, exclude=()):
    """Candidates to show before saving, or None when the user may save now: none found, or
    the user already saw the candidates of these very values and chose to save."""
    token = _token(request.user, subject, values)
    if form.cleaned_data.get("entry_confirmed") == token:
        return None
    candidates = hooks.call(f"{subject}_candidates", request.user, values, exclude=exclude)
    if not candidates:
        return None
    data = form.data.copy()
    data[form.add_prefix("entry_confirmed")] = token
    form.data = data
    return candidates


def was_confirmed(form):
    return bool(form.cleaned_data.get("entry_confirmed"))


def record(request, form, subject, obj, values, *, organisation):
    """After saving a record the user confirmed despite candidates: remember the choice and
    send the hidden candidates to the desk when asked."""
    if not was_confirmed(form):
        return 0
    return hooks.call(
        "record_entry",
        request.user,
        subject,
        obj,
        values,
        organisation=organisation,
        send_hidden=form.cleaned_data.get("send_to_desk", False),
        reason=(form.cleaned_data.get("desk_reason") or "").strip(),
        default=0,
    )
