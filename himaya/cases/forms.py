"""Forms about dossiers. They parse what a user typed; the writes are actions."""

from django import forms as dj
from django.utils.translation import gettext_lazy as _

from himaya.accounts.models import Organisation, User
from himaya.core import access
from himaya.core.models import Code
from himaya.people.forms import (
    DATE_WIDGET,
    MAX_ID,
    CodeField,
    OrgChoiceField,
    SafeChoiceField,
    SafeMultipleChoiceField,
    acting_org_field,
    not_future,
)

from .actions import CODE_SETS, code_list_of
from .models import Stage


def style(form, small=False):
    for field in form.fields.values():
        if isinstance(field.widget, dj.Select):
            css = "form-select" + (" form-select-sm" if small else "")
        else:
            css = "form-control" + (" form-control-sm" if small else "")
        field.widget.attrs.setdefault("class", css)


def form_codes():
    return Code.objects.of("exploitation_form").select_related("parent")


class FormsField(SafeMultipleChoiceField):
    """Forms of exploitation, labelled with their parent: "forced labour › forced begging"."""

    def label_from_instance(self, obj):
        return " › ".join(c.label for c in reversed(obj.ancestors_and_self()))


class CodesField(SafeMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.label


# The dossier's other code sets (cases/actions/dossiers.py CODE_SETS): field → its label.
CODE_SET_LABELS = {
    "sex_exploitation_types": _("types of sexual exploitation"),
    "industries": _("industries of forced labour"),
    "recruitment_methods": _("methods of recruitment"),
    "control_methods": _("methods of control"),
    "vulnerabilities": _("vulnerabilities"),
}


class FormChoiceField(SafeChoiceField):
    def label_from_instance(self, obj):
        return " › ".join(c.label for c in reversed(obj.ancestors_and_self()))


class UserChoiceField(SafeChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


def caseworkers(org_ids):
    return (
        User.objects.filter(access.caseworker_q(org_ids))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class DossierForm(dj.Form):
    forms = FormsField(
        Code.objects.none(),
        label=_("forms of exploitation"),
        required=False,
        widget=dj.SelectMultiple(attrs={"size": 8}),
    )
    form_other_detail = dj.CharField(label=_("other form (detail)"), max_length=200, required=False)
    recruitment_country = CodeField(
        Code.objects.none(), label=_("country of recruitment"), required=False
    )
    recruitment_region = CodeField(
        Code.objects.none(), label=_("region of recruitment"), required=False
    )
    recruitment_city = dj.CharField(label=_("city of recruitment"), max_length=100, required=False)
    exploitation_country = CodeField(
        Code.objects.none(), label=_("country of exploitation"), required=False
    )
    exploitation_region = CodeField(
        Code.objects.none(), label=_("region of exploitation"), required=False
    )
    exploitation_city = dj.CharField(
        label=_("city of exploitation"), max_length=100, required=False
    )
    caseworker = UserChoiceField(User.objects.none(), label=_("caseworker"), required=False)
    opened_on = dj.DateField(label=_("opened on"), widget=DATE_WIDGET, validators=[not_future])

    def __init__(self, *args, org_ids=(), with_organisation=False, **kwargs):
        super().__init__(*args, **kwargs)
        if with_organisation:
            self.fields["organisation"] = acting_org_field(org_ids)
        self.fields["forms"].queryset = form_codes()
        for name, label in CODE_SET_LABELS.items():
            self.fields[name] = CodesField(
                Code.objects.of(code_list_of(name)),
                label=label,
                required=False,
                widget=dj.SelectMultiple(attrs={"size": 5}),
            )
        for name in ("recruitment_country", "exploitation_country"):
            self.fields[name].queryset = Code.objects.of("country")
        for name in ("recruitment_region", "exploitation_region"):
            self.fields[name].queryset = Code.objects.of("region")
        self.fields["caseworker"].queryset = caseworkers(org_ids)
        style(self)

    def dossier_fields(self):
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.pop("organisation", None)
        for name in CODE_SETS:
            data[name] = list(data[name])
        return data

    @staticmethod
    def initial_for(dossier):
        initial = {
            f: getattr(dossier, f)
            for f in ("form_other_detail", "recruitment_city", "exploitation_city", "opened_on")
        }
        for f in (
            "recruitment_country",
            "recruitment_region",
            "exploitation_country",
            "exploitation_region",
            "caseworker",
        ):
            initial[f] = getattr(dossier, f"{f}_id")
        for name in CODE_SETS:
            initial[name] = [c.pk for c in getattr(dossier, name).all()]
        initial["version"] = dossier.version
        return initial


class DossierEditForm(DossierForm):
    version = dj.IntegerField(widget=dj.HiddenInput, min_value=1, max_value=MAX_ID)


class StageForm(dj.Form):
    stage = dj.ChoiceField(label=_("new stage"))
    on = dj.DateField(
        label=_("date"),
        required=False,
        widget=DATE_WIDGET,
        validators=[not_future],
        help_text=_("Today when left empty."),
    )
    reason = dj.CharField(
        label=_("reason"),
        required=False,
        max_length=2000,
        widget=dj.Textarea(attrs={"rows": 2}),
        help_text=_("Required for a move off the ordinary path."),
    )

    def __init__(self, *args, moves=None, **kwargs):
        moves = moves or {}
        # The browser selects the first option unless told otherwise: the form preselects the
        # next stage of the ordinary path (never a step back or a jump, which needs a reason),
        # and offers no preselection at all where no move is ordinary (an end stage).
        ordinary = [stage for stage, needs_reason in moves.items() if not needs_reason]
        if ordinary:
            kwargs.setdefault("initial", {}).setdefault("stage", Stage(ordinary[0]).value)
        super().__init__(*args, prefix="stage", **kwargs)
        choices = [] if ordinary else [("", _("Choose the new stage"))]
        for stage, needs_reason in moves.items():
            label = Stage(stage).label
            if needs_reason:
                label = _("%(stage)s (reason required)") % {"stage": label}
            choices.append((Stage(stage).value, label))
        self.fields["stage"].choices = choices
        style(self)


class NoteForm(dj.Form):
    text = dj.CharField(label=_("note"), max_length=20000, widget=dj.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="note", **kwargs)
        style(self)


class DossierFilterForm(dj.Form):
    q = dj.CharField(label=_("reference or name"), required=False, max_length=200)
    stage = dj.ChoiceField(
        label=_("stage"), required=False, choices=[("", "---------"), *Stage.choices]
    )
    form = FormChoiceField(Code.objects.none(), label=_("form of exploitation"), required=False)
    region = CodeField(Code.objects.none(), label=_("region of exploitation"), required=False)
    owner = OrgChoiceField(
        Organisation.objects.none(), label=_("owning organisation"), required=False
    )
    opened_from = dj.DateField(label=_("opened from"), required=False, widget=DATE_WIDGET)
    opened_to = dj.DateField(label=_("opened until"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form"].queryset = form_codes()
        self.fields["region"].queryset = Code.objects.of("region")
        if organisations is not None:
            self.fields["owner"].queryset = organisations
        style(self, small=True)

    def valid_data(self):
        """The filters that parsed; bad values are shown as errors and ignored."""
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v}
