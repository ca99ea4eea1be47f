"""Factories for tests and benchmarks (factory-boy)."""

import datetime

import factory
from django.utils import timezone

from himaya.accounts.models import Membership, Organisation, User
from himaya.cases import actions as case_actions
from himaya.core.models import Code
from himaya.people import actions as people_actions
from himaya.referrals import actions as referral_actions

PASSWORD = "correct horse battery staple"


def code(code_list, value):
    return Code.objects.get(list=code_list, code=value)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name_ar = factory.Sequence(lambda n: f"جمعية {n}")
    name_fr = factory.Sequence(lambda n: f"Association {n}")
    name_en = factory.Sequence(lambda n: f"Association {n}")
    type = factory.LazyFunction(lambda: code("org_type", "ngo"))
    region = factory.LazyFunction(lambda: code("region", "casablanca_settat"))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    preferred_language = "en"
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def member(user, organisation, role):
    Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    return user


def standard_organisations():
    return {
        "ngo_a": OrganisationFactory(name_fr="Association A", name_ar="جمعية أ", name_en="NGO A"),
        "ngo_b": OrganisationFactory(
            name_fr="Association B",
            name_ar="جمعية ب",
            name_en="NGO B",
            region=code("region", "rabat_sale_kenitra"),
        ),
        "police": OrganisationFactory(
            name_fr="Police de Tanger",
            name_ar="أمن طنجة",
            name_en="Tangier police",
            type=code("org_type", "police"),
            region=code("region", "tanger_tetouan_al_hoceima"),
        ),
        "hotline": OrganisationFactory(
            name_fr="Ligne d'écoute",
            name_ar="الخط الساخن",
            name_en="Hotline",
            type=code("org_type", "hotline"),
            region=code("region", "rabat_sale_kenitra"),
        ),
        # The prosecution of the police's region (non-punishment alerts go to it).
        "parquet": OrganisationFactory(
            name_fr="Parquet de Tanger",
            name_ar="النيابة العامة بطنجة",
            name_en="Tangier prosecution",
            type=code("org_type", "prosecution"),
            region=code("region", "tanger_tetouan_al_hoceima"),
        ),
        "shelter": OrganisationFactory(
            name_fr="Centre d'hébergement Dar Amane",
            name_ar="مركز إيواء دار الأمان",
            name_en="Dar Amane shelter",
            type=code("org_type", "shelter"),
        ),
        "io": OrganisationFactory(
            name_fr="Organisation internationale",
            name_ar="منظمة دولية",
            name_en="International organisation",
            type=code("org_type", "international_organisation"),
            region=code("region", "rabat_sale_kenitra"),
        ),
        "court": OrganisationFactory(
            name_fr="Tribunal de première instance de Tanger",
            name_ar="المحكمة الابتدائية بطنجة",
            name_en="Tangier court of first instance",
            type=code("org_type", "court"),
            region=code("region", "tanger_tetouan_al_hoceima"),
        ),
        "commission": OrganisationFactory(
            name_fr="Commission nationale",
            name_ar="اللجنة الوطنية",
            name_en="National commission",
            type=code("org_type", "national_commission"),
            region=code("region", "rabat_sale_kenitra"),
        ),
    }


# The standard users' names: fixed (a test must not depend on what Faker drew: "Case" was once
# carol's last name, and a page's "Case" heading read as her name) and found nowhere else.
STANDARD_NAMES = {
    "alice": ("Alice", "Amzough"),
    "bob": ("Bob", "Tiznitou"),
    "carol": ("Carol", "Oukaimdenn"),
    "ana": ("Ana", "Ifranezz"),
    "olivia": ("Olivia", "Azilalen"),
    "harry": ("Harry", "Sefrouin"),
    "paula": ("Paula", "Tafraoutz"),
    "sam": ("Sam", "Imlilou"),
    "ivy": ("Ivy", "Zagoran"),
    "cole": ("Cole", "Errachidz"),
    "root": ("Root", "Tinghirt"),
    "charlie": ("Charlie", "Boujdourn"),
}


def standard_user(username, **fields):
    first, last = STANDARD_NAMES[username]
    return UserFactory(username=username, first_name=first, last_name=last, **fields)


def standard_users(orgs):
    u = standard_user
    users = {
        "alice": member(u("alice"), orgs["ngo_a"], "caseworker"),
        "bob": member(u("bob"), orgs["ngo_b"], "caseworker"),
        "carol": member(u("carol"), orgs["police"], "investigator"),
        "ana": member(u("ana"), orgs["commission"], "analyst"),
        "olivia": member(u("olivia"), orgs["ngo_a"], "org_admin"),
        "harry": member(u("harry"), orgs["hotline"], "hotline_operator"),
        "paula": member(u("paula"), orgs["parquet"], "prosecutor"),
        "sam": member(u("sam"), orgs["shelter"], "shelter_manager"),
        "ivy": member(u("ivy"), orgs["io"], "caseworker"),
        "cole": member(u("cole"), orgs["court"], "prosecutor"),
        "root": u("root", is_superuser=True, is_staff=True),
        "charlie": u("charlie"),
    }
    return users


def person(user, organisation, **fields):
    fields.setdefault("given_name_lat", "Fatima")
    fields.setdefault("family_name_lat", "Zahra")
    fields.setdefault("sex", code("sex", "female"))
    fields.setdefault("birth_date", datetime.date(1995, 3, 1))
    fields.setdefault("birth_date_precision", "exact")
    citizenships = fields.pop("citizenships", [code("country", "MA")])
    return people_actions.create_person(
        acting_user=user, organisation=organisation, citizenships=citizenships, **fields
    )


def dossier(user, organisation, the_person=None, forms=("sexual",), **fields):
    the_person = the_person or person(user, organisation)
    return case_actions.open_dossier(
        the_person,
        acting_user=user,
        organisation=organisation,
        forms=[code("exploitation_form", c) for c in forms],
        opened_on=fields.pop("opened_on", timezone.localdate()),
        **fields,
    )


def referral(dossier, user, to_org, *, service="psychosocial", sent_at=None, **fields):
    """A referral sent through send_referral by the dossier's owner, the person's consent given
    with it unless the caller refers a child or overrides. ``sent_at`` backdates it afterwards:
    the action stamps the moment it runs, and counting rules read the day it was sent."""
    if not fields.get("guardian") and not fields.get("override"):
        given_on = timezone.localdate(sent_at) if sent_at else timezone.localdate()
        fields.setdefault("consent", {"given_by": "person", "given_on": given_on})
    made = referral_actions.send_referral(
        dossier,
        acting_user=user,
        to_org=to_org,
        service=service,
        reason=fields.pop("reason", "r"),
        **fields,
    )
    if sent_at is not None:
        type(made).objects.filter(pk=made.pk).update(sent_at=sent_at)
        made.refresh_from_db()
    return made


def provider(organisation, user, services, groups=(), **fields):
    """An organisation's provider profile, saved through save_provider by a user who manages
    it (a caseworker, shelter manager or organisation admin of that organisation)."""
    return referral_actions.save_provider(
        organisation,
        acting_user=user,
        services=list(services),
        groups=list(groups),
        regions=fields.pop("regions", []),
        languages=fields.pop("languages", []),
        contact=fields.pop("contact", ""),
        accepts=fields.pop("accepts", True),
        expected_version=None,
    )
