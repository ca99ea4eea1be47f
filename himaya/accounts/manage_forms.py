"""Forms of the organisation and account pages. Plain forms with explicit fields: nothing else
that a request carries (is_superuser, is_staff, organisation, ...) reaches an action (S8)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from himaya.core.models import Code
from himaya.core.widgets import LanguageSelect

from .models import Role, User
from .roles import role_choices

LANGUAGES = [("", "—")] + User._meta.get_field("preferred_language").choices


class BootstrapMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input me-2")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif not isinstance(widget, forms.HiddenInput):
                widget.attrs.setdefault("class", "form-control")


class OrganisationForm(BootstrapMixin, forms.Form):
    name_ar = forms.CharField(
        label=_("name (Arabic)"),
        max_length=200,
        widget=forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
    )
    name_fr = forms.CharField(label=_("name (French)"), max_length=200)
    name_en = forms.CharField(label=_("name (English)"), max_length=200, required=False)
    type = forms.ModelChoiceField(label=_("type"), queryset=Code.objects.none())
    region = forms.ModelChoiceField(label=_("region"), queryset=Code.objects.none(), required=False)
    active = forms.BooleanField(label=_("active"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = Code.objects.of("org_type")
        self.fields["region"].queryset = Code.objects.of("region")

    @classmethod
    def initial_for(cls, org):
        return {
            "name_ar": org.name_ar,
            "name_fr": org.name_fr,
            "name_en": org.name_en,
            "type": org.type_id,
            "region": org.region_id,
            "active": org.active,
            "version": org.version,
        }


class OrganisationEditForm(OrganisationForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class RoleField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(label=_("role"), choices=Role.choices, **kwargs)


class RolesOfOrganisation:
    """Offer only the roles that fit the organisation's type (core.access.ROLE_ORG_TYPES); the
    actions refuse the others whatever is posted."""

    def __init__(self, *args, organisation, keep=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["role"]
        choices = role_choices(organisation.type.code)
        if keep and keep not in dict(choices):  # a role given earlier: it can still be ended
            choices.append((keep, Role(keep).label if keep in Role.values else keep))
        field.choices = choices
        field.help_text = _(
            "Only the roles held in an organisation of type “%(type)s” are offered."
        ) % {"type": organisation.type.label}


class NewMemberForm(RolesOfOrganisation, BootstrapMixin, forms.Form):
    """A new account with a first role in this organisation. No password here: the person
    chooses it through the activation link sent to their e-mail address (H3)."""

    username = forms.CharField(
        label=_("username"), max_length=150, validators=[User.username_validator]
    )
    first_name = forms.CharField(label=_("first name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("last name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("email address"),
        help_text=_("The person's own address: the link to choose a password is sent there."),
    )
    preferred_language = forms.ChoiceField(
        label=_("language"), choices=LANGUAGES, required=False, widget=LanguageSelect
    )
    role = RoleField()

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken."))
        return username


class ExistingMemberForm(RolesOfOrganisation, BootstrapMixin, forms.Form):
    """A role for an account that already exists (found by its username)."""

    username = forms.CharField(label=_("username"), max_length=150)
    role = RoleField()

    def __init__(self, *args, users, **kwargs):
        self.users = users
        super().__init__(*args, **kwargs)

    def clean_username(self):
        # One message whether the account is missing or out of reach: no probing of usernames.
        user = self.users.filter(username=self.cleaned_data["username"]).first()
        if user is None:
            raise forms.ValidationError(_("No account with this username that you can manage."))
        return user


class MembershipForm(RolesOfOrganisation, BootstrapMixin, forms.Form):
    role = RoleField()
    active = forms.BooleanField(label=_("active"), required=False)


class UserForm(BootstrapMixin, forms.Form):
    first_name = forms.CharField(label=_("first name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("email address"), required=False)
    preferred_language = forms.ChoiceField(
        label=_("language"), choices=LANGUAGES, required=False, widget=LanguageSelect
    )

    @classmethod
    def initial_for(cls, user):
        return {f: getattr(user, f) for f in cls.base_fields}


class UserSearchForm(BootstrapMixin, forms.Form):
    """The account list's search: words matched against the username, the name, the e-mail
    address, the organisations' names and the roles' names; an organisation and a role to narrow
    it. Bad values are shown as errors and ignored, never a 500."""

    q = forms.CharField(label=_("Search accounts"), max_length=100, required=False)
    organisation = forms.TypedChoiceField(
        label=_("organisation"), coerce=int, required=False, empty_value=None
    )
    role = forms.ChoiceField(label=_("role"), required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = _(
            "Name, username, e-mail, organisation or role"
        )
        self.fields["q"].widget.input_type = "search"
        self.fields["organisation"].choices = [("", "—")] + [(o.pk, o.name) for o in organisations]
        self.fields["role"].choices = [("", "—"), *Role.choices]

    def valid_data(self):
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
