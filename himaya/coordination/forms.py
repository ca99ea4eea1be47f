"""Forms of the coordination pages. Each only parses; the actions validate and decide."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from himaya.accounts.models import Organisation
from himaya.core.choices import choose
from himaya.core.models import Code
from himaya.core.trilingual import TrilingualForm, form_fields, ordered_by
from himaya.people.forms import OrgChoiceField, OrgMultipleChoiceField

from . import uploads
from .actions import figure_catalogue
from .models import (
    Measure,
    MeasureStatus,
    RecommendationSource,
    RecommendationStatus,
    TrainingTopic,
)
from .models.plan import SOURCE_MAX, TEXT_MAX, TITLE_MAX

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
    status = forms.ChoiceField(label=_("status"), choices=choose(MeasureStatus.choices))
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


class IndicatorYearForm(TrilingualForm, Bootstrap, forms.Form):
    """The values of one indicator for a year; one form per indicator on the measure's page
    (prefixed by its id). A computed indicator's actual value is the figure: no field for it.
    Where the values come from, in the reader's language first."""

    trios = ("source",)
    required_trios = ()
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    target = forms.DecimalField(label=_("target value"), required=False, min_value=0, max_digits=14)
    actual = forms.DecimalField(label=_("actual"), required=False, min_value=0, max_digits=14)
    source_ar, source_fr, source_en = form_fields("source", SOURCE_MAX).values()

    def __init__(self, *args, indicator, **kwargs):
        kwargs.setdefault("prefix", f"i{indicator.pk}")
        super().__init__(*args, **kwargs)
        self.fields["source_ar"].widget.attrs["dir"] = "rtl"
        if indicator.computed:
            del self.fields["actual"]


class ProgressForm(Bootstrap, forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    status = forms.ChoiceField(label=_("status"), choices=choose(RecommendationStatus.choices))
    evidence = forms.CharField(
        label=_("what was done"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class TrainingForm(Bootstrap, forms.Form):
    topic = forms.ChoiceField(label=_("topic"), choices=choose(TrainingTopic.choices))
    title = forms.CharField(label=_("title"), max_length=TITLE_MAX)
    starts_on = forms.DateField(label=_("first day"), widget=DATE)
    ends_on = forms.DateField(label=_("last day"), widget=DATE)
    place = forms.CharField(label=_("place"), max_length=200, required=False)
    region = forms.ModelChoiceField(label=_("region"), queryset=Code.objects.none(), required=False)
    organiser = OrgChoiceField(Organisation.objects.none(), label=_("organiser"))
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
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

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

    @classmethod
    def initial_of(cls, training):
        """The form's initial values for an existing training, its audience included."""
        initial = {
            name: getattr(training, name)
            for name in (
                "topic",
                "title",
                "starts_on",
                "ends_on",
                "place",
                "region",
                "organiser",
                "funder",
                "materials",
                "participant_names",
                "version",
            )
        }
        for a in training.audience.select_related("agency_type"):
            for key, _l in SEX_FIELDS:
                initial[f"aud_{a.agency_type.code}_{key}"] = getattr(a, key)
        return initial

    def action_kwargs(self):
        data = dict(self.cleaned_data)
        data.pop("version", None)
        audience = []
        for t in self.agency_types:
            counts = [data.pop(f"aud_{t.code}_{k}") or 0 for k, _l in SEX_FIELDS]
            if any(counts):
                audience.append((t, *counts))
        return {**data, "audience": audience}


class MeetingForm(Bootstrap, forms.Form):
    """A meeting, with how many people each organisation sent (one count per organisation;
    organisations left empty did not attend)."""

    held_on = forms.DateField(label=_("date"), widget=DATE)
    title = forms.CharField(label=_("title"), max_length=TITLE_MAX)
    place = forms.CharField(label=_("place"), max_length=200, required=False)
    agenda = forms.CharField(
        label=_("agenda"), max_length=TEXT_MAX, required=False, widget=forms.Textarea({"rows": 3})
    )

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        # An organisation that attended stays on the form of its meeting once inactive.
        attended = Q(pk__in=meeting.attendance.values("organisation")) if meeting else Q()
        self.organisations = list(
            ordered_by(Organisation.objects.filter(Q(active=True) | attended), "name", "pk")
        )
        for org in self.organisations:
            self.fields[f"att_{org.pk}"] = forms.IntegerField(
                label=_("people attending from %(org)s") % {"org": org.name},
                min_value=0,
                max_value=500,
                required=False,
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
            )

    def attendance_rows(self):
        return [(org, self[f"att_{org.pk}"]) for org in self.organisations]

    @classmethod
    def initial_of(cls, meeting):
        """The form's initial values for an existing meeting, its attendance included."""
        initial = {
            name: getattr(meeting, name)
            for name in ("held_on", "title", "place", "agenda", "version")
        }
        for a in meeting.attendance.all():
            initial[f"att_{a.organisation_id}"] = a.people
        return initial

    def action_kwargs(self):
        data = dict(self.cleaned_data)
        data.pop("version", None)
        attendance = []
        for org in self.organisations:
            people = data.pop(f"att_{org.pk}")
            if people:
                attendance.append((org, people))
        return {**data, "attendance": attendance}


class DecisionForm(Bootstrap, forms.Form):
    text = forms.CharField(
        label=_("decision"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


class ActionForm(Bootstrap, forms.Form):
    text = forms.CharField(label=_("follow-up action"), max_length=TEXT_MAX)
    agency = OrgChoiceField(Organisation.objects.filter(active=True), label=_("agency"))
    due_on = forms.DateField(label=_("due on"), widget=DATE)


class CloseActionForm(Bootstrap, forms.Form):
    note = forms.CharField(label=_("how it was done"), max_length=TITLE_MAX, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


# --- Building the plan (the commission) ------------------------------------------------------


class TitlesForm(Bootstrap, forms.Form):
    """A title in Arabic, French and English (the action asks for one at least)."""

    title_ar = forms.CharField(label=_("title (Arabic)"), max_length=TITLE_MAX, required=False)
    title_fr = forms.CharField(label=_("title (French)"), max_length=TITLE_MAX, required=False)
    title_en = forms.CharField(label=_("title (English)"), max_length=TITLE_MAX, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title_ar"].widget.attrs["dir"] = "rtl"

    def action_kwargs(self):
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class PlanForm(TitlesForm):
    start_year = forms.IntegerField(label=_("first year"), min_value=2000, max_value=2100)
    end_year = forms.IntegerField(label=_("last year"), min_value=2000, max_value=2100)


def _organisations():
    return Organisation.objects.filter(active=True)


class MeasureForm(TitlesForm):
    lead_agency = OrgChoiceField(Organisation.objects, label=_("lead agency"))
    partners = OrgMultipleChoiceField(
        Organisation.objects,
        label=_("partner agencies"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    budget_line = forms.CharField(label=_("budget line"), max_length=200, required=False)
    deadline = forms.DateField(label=_("deadline"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_agency"].queryset = _organisations()
        self.fields["partners"].queryset = _organisations()


class IndicatorForm(TrilingualForm, Bootstrap, forms.Form):
    """An indicator's definition and its targets for each year of the plan; its name and the
    source of hand-entered values in the three languages, the reader's first."""

    trios = ("name", "source")
    name_ar, name_fr, name_en = form_fields("name", 300).values()
    figure = forms.ChoiceField(
        label=_("computed from the figure"),
        required=False,
        help_text=_("Leave empty for an indicator entered by hand, and name its source."),
    )
    source_ar, source_fr, source_en = form_fields("source", SOURCE_MAX).values()
    baseline_year = forms.IntegerField(
        label=_("baseline year"), min_value=2000, max_value=2100, required=False
    )
    baseline = forms.DecimalField(
        label=_("baseline"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name_ar"].widget.attrs["dir"] = "rtl"
        self.fields["source_ar"].widget.attrs["dir"] = "rtl"
        catalogue = figure_catalogue()
        self.fields["figure"].choices = [("", _("— entered by hand —"))] + [
            (k, v) for k, v in catalogue.items()
        ]
        self.years = list(plan.years())
        for year in self.years:
            self.fields[f"target_{year}"] = forms.DecimalField(
                label=_("target %(year)s") % {"year": year},
                min_value=0,
                max_digits=14,
                decimal_places=2,
                required=False,
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
            )

    def target_fields(self):
        return [self[f"target_{y}"] for y in self.years]

    def action_kwargs(self):
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["targets"] = {y: data.pop(f"target_{y}") for y in self.years}
        return data


class RecommendationForm(Bootstrap, forms.Form):
    source = forms.ChoiceField(label=_("source"), choices=choose(RecommendationSource.choices))
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    reference = forms.CharField(label=_("reference"), max_length=64, required=False)
    priority = forms.BooleanField(label=_("prioritised"), required=False)
    text_ar = forms.CharField(
        label=_("text (Arabic)"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea({"rows": 3, "dir": "rtl"}),
    )
    text_fr = forms.CharField(
        label=_("text (French)"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea({"rows": 3}),
    )
    text_en = forms.CharField(
        label=_("text (English)"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea({"rows": 3}),
    )
    measures = forms.ModelMultipleChoiceField(
        label=_("measures of the plan"),
        queryset=Measure.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    agencies = OrgMultipleChoiceField(
        Organisation.objects,
        label=_("responsible agencies"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measures"].queryset = Measure.objects.select_related(
            "objective__axis"
        ).order_by(
            "objective__axis__plan", "objective__axis__number", "objective__number", "number"
        )
        self.fields["measures"].label_from_instance = lambda m: f"{m.code} {m.title}"
        self.fields["agencies"].queryset = _organisations()

    def action_kwargs(self):
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data
