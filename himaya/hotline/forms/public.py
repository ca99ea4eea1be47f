"""The public forms: a web tip, and what its reporter adds later with the receipt code."""

from django import forms as dj
from django.utils.translation import gettext_lazy as _

from himaya.core.models import Code
from himaya.people.forms import (
    CodeField,
)

from .. import actions
from ..models import (
    CallerType,
    Urgency,
)
from .common import (
    style,
    text_field,
)


class HoneypotMixin(dj.Form):
    """A field people never see (moved off screen by a CSS class, out of the tab order) and
    simple bots fill in. Filled, the submission is answered as if accepted and dropped."""

    website = dj.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=dj.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    @property
    def is_spam(self):
        return bool(self.cleaned_data.get("website"))


DANGER_CHOICES = [
    ("yes", _("Yes, someone is in danger right now")),
    ("unsure", _("I do not know")),
    ("no", _("No")),
]

DANGER_URGENCY = {"yes": Urgency.IMMEDIATE, "unsure": Urgency.URGENT, "no": Urgency.NORMAL}


class TipForm(HoneypotMixin):
    narrative = text_field(
        _("What happened?"),
        actions.TEXT_LIMITS["narrative"],
        rows=6,
        required=True,
        help_text=_("What you saw or heard, when, and anything that may help to find the place."),
    )
    danger = dj.ChoiceField(
        label=_("Is someone in danger right now?"),
        choices=DANGER_CHOICES,
        widget=dj.RadioSelect,
    )
    region = CodeField(Code.objects.none(), label=_("Region"), required=False)
    city = dj.CharField(
        label=_("City, neighbourhood or place"),
        max_length=actions.TEXT_LIMITS["city"],
        required=False,
    )
    possible_victims = text_field(
        _("Who is at risk?"),
        actions.TEXT_LIMITS["possible_victims"],
        rows=3,
        help_text=_("How many people, their age if you know it (are there children?), where."),
    )
    caller_type = dj.ChoiceField(
        label=_("You are"),
        choices=[
            (CallerType.ANONYMOUS.value, _("I prefer not to say")),
            (CallerType.VICTIM.value, _("the person at risk")),
            (CallerType.RELATIVE.value, _("a relative or friend")),
            (CallerType.WITNESS.value, _("a witness")),
            (CallerType.PROFESSIONAL.value, _("a professional (doctor, teacher, social worker…)")),
        ],
        initial=CallerType.ANONYMOUS,
        required=False,
    )
    reporter_contact = dj.CharField(
        label=_("How can we reach you? (optional)"),
        max_length=actions.TEXT_LIMITS["reporter_contact"],
        required=False,
        help_text=_(
            "A phone number or an e-mail address, only if you want us to contact you and it is "
            "safe for you. Leave it empty to stay anonymous."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Code.objects.of("region")
        self.order_fields(
            [
                "narrative",
                "danger",
                "region",
                "city",
                "possible_victims",
                "caller_type",
                "reporter_contact",
                "website",
            ]
        )
        style(self)

    def tip_fields(self):
        data = self.cleaned_data
        return {
            "narrative": data["narrative"],
            "urgency": DANGER_URGENCY[data["danger"]],
            "region": data.get("region"),
            "city": data["city"],
            "possible_victims": data["possible_victims"],
            "caller_type": data.get("caller_type") or CallerType.ANONYMOUS,
            "reporter_contact": data["reporter_contact"],
        }


class FollowUpForm(HoneypotMixin):
    code = dj.CharField(
        label=_("Your receipt code"),
        max_length=40,
        help_text=_("The code shown when you sent your report, e.g. ABCD-EFGH-JKLM-NPQR."),
        widget=dj.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "dir": "ltr"}),
    )
    # Optional: the code alone shows where the report stands.
    text = text_field(
        _("What would you like to add?"),
        actions.ADDITION_MAX,
        rows=5,
        help_text=_("Leave it empty to see only where your report stands."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["code", "text", "website"])
        style(self)

    def clean_code(self):
        code = actions.normalise_receipt(self.cleaned_data["code"])
        if code is None:
            raise dj.ValidationError(
                _("A receipt code has 16 letters and digits, e.g. ABCD-EFGH-JKLM-NPQR."),
                code="format",
            )
        return code
