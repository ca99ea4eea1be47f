from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EmailChoice, Kind


class InboxFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("show"),
        choices=[("unread", _("unread")), ("all", _("all"))],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    kind = forms.ChoiceField(
        label=_("kind"),
        choices=[("", _("all kinds")), *Kind.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    since = forms.DateField(
        label=_("on or after"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )
    until = forms.DateField(
        label=_("on or before"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end date is before the start date."))
        return data


class PreferenceForm(forms.Form):
    email = forms.ChoiceField(
        label=_("E-mail me about new notifications"),
        choices=EmailChoice.choices,
        widget=forms.RadioSelect,
    )
