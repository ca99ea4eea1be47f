from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "dir": "ltr"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "dir": "ltr"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        min_length=6,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "dir": "ltr",
            }
        ),
        help_text=_("The 6 digits shown by your authenticator app, or one of your recovery codes."),
    )

    def clean_code(self):
        return self.cleaned_data["code"].replace(" ", "").strip()


class EnrolForm(forms.Form):
    code = forms.RegexField(
        label=_("Code from the app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the 6 digits shown by the app.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "dir": "ltr",
            }
        ),
    )


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        choices=[("ar", "العربية"), ("fr", "Français"), ("en", "English")], initial="ar"
    )
    next = forms.CharField(required=False)


class ActivationForm(SetPasswordForm):
    """The person chooses their password (Django's validators), from an activation link."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("New password")
        # Django builds this help once, at import, in whatever language was active then (English
        # on the activation page): build it again in the reader's language.
        self.fields["new_password1"].help_text = password_validators_help_text_html()
        self.fields["new_password2"].label = _("New password, again")
        for field in self.fields.values():
            field.widget.attrs.update(
                {"class": "form-control", "autocomplete": "new-password", "dir": "ltr"}
            )
