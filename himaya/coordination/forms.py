"""Forms of the coordination pages. Each only parses; the actions validate and decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from himaya.accounts.models import Organisation
from himaya.core.models import Code

from . import uploads
from .models import MeasureStatus, RecommendationStatus, TrainingTopic
from .models.plan import TEXT_MAX, TITLE_MAX

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SEX_FIELDS = (("women", _("women")), ("men", _("men")), ("unrecorded", _("sex not recorded")))


class Bootstrap:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                css = "form-check-input"
            widget.attrs.setdefault("class", css)


class StatusForm(Bootstrap, forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=MeasureStatus.choices)
    on = forms.DateField(label=_("since"), widget=DATE, required=False)
    note = forms.CharField(label=_("note"), max_length=TITLE_MAX, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class NoteForm(Bootstrap, forms.Form):
    text = forms.CharField(
        label=_("progress note"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class EvidenceForm(Bootstrap, forms.Form):
    file = forms.FileField(
        label=_("evidence file"),
        help_text=_("PDF, image (PNG, JPEG), Word or Excel file, or CSV; at most 5 MB."),
    )
    description = forms.CharField(label=_("description"), max_length=300, required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > uploads.MAX_BYTES:
            raise forms.ValidationError(_("The file is too large (limit: 5 MB)."))
        data = upload.read(uploads.MAX_BYTES + 1)
        try:
            uploads.sniff(data)
        except uploads.FileRefused as exc:
            raise forms.ValidationError(str(exc)) from None
        self.data_bytes = data
        return upload


class IndicatorYearForm(Bootstrap, forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    target = forms.DecimalField(label=_("target"), required=False, min_value=0, max_digits=14)
    actual = forms.DecimalField(label=_("actual"), required=False, min_value=0, max_digits=14)
    source = forms.CharField(label=_("source"), max_length=300, required=False)


class ProgressForm(Bootstrap, forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    status = forms.ChoiceField(label=_("status"), choices=RecommendationStatus.choices)
    evidence = forms.CharField(
        label=_("what was done"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class TrainingForm(Bootstrap, forms.Form):
    topic = forms.ChoiceField(label=_("topic"), choices=TrainingTopic.choices)
    title = forms.CharField(label=_("title"), max_length=TITLE_MAX)
    starts_on = forms.DateField(label=_("first day"), widget=DATE)
    ends_on = forms.DateField(label=_("last day"), widget=DATE)
    place = forms.CharField(label=_("place"), max_length=200, required=False)
    region = forms.ModelChoiceField(label=_("region"), queryset=Code.objects.none(), required=False)
    organiser = forms.ModelChoiceField(label=_("organiser"), queryset=Organisation.objects.none())
    funder = forms.CharField(label=_("funder"), max_length=200, required=False)
    materials = forms.CharField(
        label=_("materials"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea({"rows": 2}),
    )
    participant_names = forms.CharField(
        label=_("participants' names (optional)"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea({"rows": 2}),
    )

    def __init__(self, *args, organisers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Code.objects.of("region")
        self.fields["organiser"].queryset = organisers
        self.agency_types = list(Code.objects.of("org_type"))
        for t in self.agency_types:
            for key, label in SEX_FIELDS:
                self.fields[f"aud_{t.code}_{key}"] = forms.IntegerField(
                    label=f"{t.label} · {label}",
                    min_value=0,
                    max_value=100000,
                    required=False,
                    widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
                )

    def audience_rows(self):
        """[(agency type, field names)] for the page's table."""
        return [(t, [self[f"aud_{t.code}_{k}"] for k, _l in SEX_FIELDS]) for t in self.agency_types]

    def action_kwargs(self):
        data = dict(self.cleaned_data)
        audience = []
        for t in self.agency_types:
            counts = [data.pop(f"aud_{t.code}_{k}") or 0 for k, _l in SEX_FIELDS]
            if any(counts):
                audience.append((t, *counts))
        return {**data, "audience": audience}


class MeetingForm(Bootstrap, forms.Form):
    held_on = forms.DateField(label=_("date"), widget=DATE)
    title = forms.CharField(label=_("title"), max_length=TITLE_MAX)
    place = forms.CharField(label=_("place"), max_length=200, required=False)
    agenda = forms.CharField(
        label=_("agenda"), max_length=TEXT_MAX, required=False, widget=forms.Textarea({"rows": 3})
    )
    attendees = forms.ModelMultipleChoiceField(
        label=_("organisations attending"),
        queryset=Organisation.objects.filter(active=True),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )


class DecisionForm(Bootstrap, forms.Form):
    text = forms.CharField(
        label=_("decision"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


class ActionForm(Bootstrap, forms.Form):
    text = forms.CharField(label=_("follow-up action"), max_length=TEXT_MAX)
    agency = forms.ModelChoiceField(
        label=_("agency"), queryset=Organisation.objects.filter(active=True)
    )
    due_on = forms.DateField(label=_("due on"), widget=DATE)


class CloseActionForm(Bootstrap, forms.Form):
    note = forms.CharField(label=_("how it was done"), max_length=TITLE_MAX, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)
