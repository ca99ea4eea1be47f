from django import forms
from django.utils.translation import gettext_lazy as _

from himaya.accounts.models import Organisation

from ..forms import UploadForm


class HtcdsUploadForm(UploadForm):
    """The import page's upload, for an HTCDS workbook, with the date to record as the
    opening of cases whose row gives none."""

    opened_on = forms.DateField(
        label=_("Opened on, for cases without an incoming referral date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["kind"]
        del self.fields["register"]
        self.fields["file"].label = _("HTCDS workbook (XLSX, from IOM's template) or CSV")
        self.fields["file"].help_text = _("At most 5 MB.")


FORMATS = (("xlsx", "XLSX"), ("csv", "CSV"))


class HtcdsExportForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS, initial=FORMATS[0][0])
    organisation = forms.ModelChoiceField(
        label=_("Cases of"), queryset=Organisation.objects.none(), required=False
    )

    def __init__(self, *args, org_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        # One of the user's organisations is always chosen (the first of them unless she
        # picks another): an empty choice only led to a refusal.
        field = self.fields["organisation"]
        field.queryset = Organisation.objects.filter(pk__in=org_ids)
        field.empty_label = None
