from django import forms
from django.utils.translation import gettext_lazy as _

from himaya.accounts.models import Organisation

from . import reading


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Register (XLSX workbook or CSV file)"),
        help_text=_(
            "At most 5 MB. A workbook has one sheet per kind of records; a CSV file holds one kind."
        ),
    )
    kind = forms.ChoiceField(label=_("What the file holds"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("Import for"), queryset=Organisation.objects.none(), empty_label=None
    )
    # Justice registers or casework of past years (services.REGISTERS): chosen by the page.
    register = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, org_ids=(), kinds=(), register="justice", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["register"].initial = register
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=org_ids)
        self.single_org = (
            self.fields["organisation"].queryset.first() if len(org_ids) == 1 else None
        )
        if self.single_org is not None:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = self.single_org.pk
            self.fields["organisation"].required = False
        self.fields["kind"].choices = [("", _("named by the sheets or the file name"))] + [
            (k.key, k.label) for k in kinds
        ]
        self.fields["file"].widget.attrs["accept"] = (
            ".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )

    def clean_organisation(self):
        return self.cleaned_data.get("organisation") or self.single_org

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > reading.MAX_BYTES:
            raise forms.ValidationError(_("The file is too large (limit: 5 MB)."))
        data = upload.read(reading.MAX_BYTES + 1)
        try:
            reading.sniff(data)
        except reading.FileRefused as exc:
            raise forms.ValidationError(str(exc)) from None
        self.data_bytes = data
        return upload
