"""The operator's forms about a report: take or edit it, add a note, pass it on, filter the list,
review held tips, choose the figures' period."""

import datetime

from django import forms as dj
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from himaya.accounts.models import Organisation
from himaya.core.models import Code
from himaya.core.shortcuts import MAX_ID, parse_id
from himaya.people.forms import (
    CodeField,
    OrgChoiceField,
    acting_org_field,
)

from .. import actions
from ..models import (
    OPERATOR_CHANNELS,
    CallerType,
    Channel,
    Hold,
    Outcome,
    Status,
    Urgency,
    day_in_range,
)
from .common import (
    DATE_WIDGET,
    DATETIME_WIDGET,
    FormsField,
    form_codes,
    share_organisations,
    style,
    text_field,
)


class ReportForm(dj.Form):
    """A report taken by an operator, most often during the call: what decides the response
    (channel, caller, urgency) first."""

    channel = dj.ChoiceField(
        label=_("channel"),
        choices=[(c.value, c.label) for c in OPERATOR_CHANNELS],
        initial=Channel.CALL,
        widget=dj.RadioSelect,
    )
    caller_type = dj.ChoiceField(
        label=_("caller"),
        choices=CallerType.choices,
        initial=CallerType.ANONYMOUS,
        widget=dj.RadioSelect,
    )
    # No default: the operator says it, a hurried report is never "normal" by omission.
    urgency = dj.ChoiceField(label=_("urgency"), choices=Urgency.choices, widget=dj.RadioSelect)
    narrative = text_field(
        _("what happened"), actions.TEXT_LIMITS["narrative"], rows=6, required=True
    )
    received_at = dj.DateTimeField(
        label=_("received"),
        widget=DATETIME_WIDGET,
        help_text=_("Now, unless the report was taken earlier."),
    )
    language = CodeField(Code.objects.none(), label=_("language of the caller"), required=False)
    region = CodeField(Code.objects.none(), label=_("region"), required=False)
    city = dj.CharField(
        label=_("city or place"), max_length=actions.TEXT_LIMITS["city"], required=False
    )
    forms = FormsField(
        Code.objects.none(),
        label=_("suspected forms of exploitation"),
        required=False,
        widget=dj.SelectMultiple(attrs={"size": 6}),
    )
    possible_victims = text_field(
        _("possible victims"),
        actions.TEXT_LIMITS["possible_victims"],
        rows=2,
        help_text=_("Who may be a victim: names if given, number, ages, where they are."),
    )
    suspects = text_field(
        _("suspects"),
        actions.TEXT_LIMITS["suspects"],
        rows=2,
        help_text=_("Who may be exploiting them: names, descriptions, vehicles, places."),
    )
    reporter_contact = dj.CharField(
        label=_("how to reach the reporter"),
        max_length=actions.TEXT_LIMITS["reporter_contact"],
        required=False,
        help_text=_("Only if the reporter agrees, and when it is safe to call back."),
    )

    def __init__(self, *args, org_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        if org_ids is not None:
            self.fields["organisation"] = acting_org_field(org_ids, label=_("hotline"))
        self.fields["language"].queryset = Code.objects.of("language")
        self.fields["region"].queryset = Code.objects.of("region")
        self.fields["forms"].queryset = form_codes()
        style(self)

    def clean_received_at(self):
        value = self.cleaned_data["received_at"]
        if value > timezone.now() + actions.CLOCK_SKEW:
            raise dj.ValidationError(_("This time is in the future."), code="future")
        return value

    def report_fields(self):
        data = dict(self.cleaned_data)
        data.pop("organisation", None)
        data.pop("version", None)
        for name, field in self.fields.items():
            if field.disabled:  # shown, not changed
                data.pop(name, None)
        data["forms"] = list(data["forms"])
        return data

    @staticmethod
    def initial_for(report):
        initial = {
            f: getattr(report, f)
            for f in (
                "channel",
                "caller_type",
                "urgency",
                "narrative",
                "city",
                "possible_victims",
                "suspects",
                "reporter_contact",
                "version",
            )
        }
        initial["received_at"] = timezone.localtime(report.received_at)
        initial["language"] = report.language_id
        initial["region"] = report.region_id
        initial["forms"] = [c.pk for c in report.forms.all()]
        return initial


class ReportEditForm(ReportForm):
    version = dj.IntegerField(widget=dj.HiddenInput, min_value=1, max_value=MAX_ID)

    def __init__(self, *args, web_tip=False, **kwargs):
        super().__init__(*args, **kwargs)
        if web_tip:
            # A web tip keeps its channel and the time it arrived: shown, not editable.
            self.fields["channel"].choices = [(Channel.WEB_TIP.value, Channel.WEB_TIP.label)]
            self.fields["channel"].disabled = True
            self.fields["received_at"].disabled = True


class NoteForm(dj.Form):
    text = text_field(_("note"), actions.ADDITION_MAX, rows=3, required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="note", **kwargs)
        style(self)


class ShareForm(dj.Form):
    organisation = OrgChoiceField(Organisation.objects.none(), label=_("organisation"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="share", **kwargs)
        self.fields["organisation"].queryset = share_organisations(None)
        style(self)


class ReportFilterForm(dj.Form):
    status = dj.ChoiceField(
        label=_("status"), required=False, choices=[("", "---------"), *Status.choices]
    )
    outcome = dj.ChoiceField(
        label=_("outcome"), required=False, choices=[("", "---------"), *Outcome.choices]
    )
    channel = dj.ChoiceField(
        label=_("channel"), required=False, choices=[("", "---------"), *Channel.choices]
    )
    urgency = dj.ChoiceField(
        label=_("urgency"), required=False, choices=[("", "---------"), *Urgency.choices]
    )
    region = CodeField(Code.objects.none(), label=_("region"), required=False)
    start = dj.DateField(
        label=_("received from"), required=False, widget=DATE_WIDGET, validators=[day_in_range]
    )
    end = dj.DateField(
        label=_("received until"), required=False, widget=DATE_WIDGET, validators=[day_in_range]
    )
    # Empty: the triage queue (and everything triaged); a reason: the tips held for it.
    held = dj.ChoiceField(
        label=_("queue"),
        required=False,
        choices=[("", _("triage queue")), *Hold.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Code.objects.of("region")
        style(self, small=True)

    def valid_data(self):
        """The filters that parsed; bad values are shown as errors and ignored."""
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v}


class HeldReviewForm(dj.Form):
    """Held web tips ticked on the held queue, and what to do with all of them."""

    DISMISS, ACCEPT = "dismiss", "accept"

    reports = dj.TypedMultipleChoiceField(
        label=_("held tips"),
        coerce=int,
        error_messages={"required": _("Tick at least one held tip.")},
    )
    decision = dj.ChoiceField(
        label=_("decision"),
        choices=[(DISMISS, _("Dismiss as spam")), (ACCEPT, _("Accept into the triage queue"))],
        error_messages={"required": _("Choose to dismiss or to accept.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any well-formed id is a choice: tips a colleague reviewed meanwhile, or that the user
        # may not see, are skipped by the action, not reported as a form error.
        self.fields["reports"].valid_value = lambda value: parse_id(value) is not None

    def clean_reports(self):
        return sorted(set(self.cleaned_data["reports"]))


class FiguresForm(dj.Form):
    start = dj.DateField(
        label=_("from"), required=False, widget=DATE_WIDGET, validators=[day_in_range]
    )
    end = dj.DateField(
        label=_("until"), required=False, widget=DATE_WIDGET, validators=[day_in_range]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self, small=True)

    def period(self):
        """(start, end) asked, the current year by default; bad values fall back to it."""
        today = timezone.localdate()
        start, end = datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)
        if self.is_valid():
            start = self.cleaned_data.get("start") or start
            end = self.cleaned_data.get("end") or end
            if end < start:
                self.add_error("end", _("The end comes before the start."))
                start, end = datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)
        return start, end
