"""Issue 15: only the roles that fit an organisation's type are offered and given (pages, API,
configuration site), with a clear refusal; the account list has a search for administrators
(name, username, e-mail, organisation, role) whose cost does not grow with the list."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from himaya.accounts import actions
from himaya.accounts.models import Membership, Role, User
from himaya.core import access
from himaya.core.models import Code
from himaya.testing import factories as f
from himaya.testing.queries import page_queries

pytestmark = pytest.mark.django_db


def test_the_table_covers_every_role_and_every_organisation_type_has_roles():
    assert set(access.ROLE_ORG_TYPES) == set(Role.values)
    for org_type in Code.objects.of("org_type").values_list("code", flat=True):
        roles = access.roles_for_org_type(org_type)
        assert "org_admin" in roles and roles, org_type
    assert access.roles_for_org_type("ngo").count("prosecutor") == 0
    assert "investigator" not in access.roles_for_org_type("ngo")
    assert "prosecutor" in access.roles_for_org_type("court")


def test_demo_and_test_accounts_hold_roles_that_fit():
    """The demo's accounts and the test fixtures' all fit the table: it describes the
    mechanism as it is used, not a new rule that its own data breaks."""
    from himaya.demo import data

    types = {key: org_type for key, org_type, *_rest in data.ORGANISATIONS}
    for _u, _first, _last, org, role in data.DEMO_USERS + data.STAFF_USERS:
        if org:
            assert access.role_fits(role, types[org]), (org, role)


def test_fixture_memberships_fit(users):
    for m in Membership.objects.select_related("organisation__type"):
        assert access.role_fits(m.role, m.organisation.type.code), (m.user, m.role)


def test_ngo_admin_is_offered_and_given_only_fitting_roles(users, orgs, login):
    olivia = login(users["olivia"])
    url = reverse("orgs:member_add", args=[orgs["ngo_a"].pk])
    page = olivia.get(url).content.decode()
    assert 'value="caseworker"' in page and 'value="shelter_manager"' in page
    for role in ("prosecutor", "investigator", "hotline_operator", "linkage_officer"):
        assert f'value="{role}"' not in page, role
    # Posted anyway: refused, nothing created, what she typed is still there.
    data = {
        "mode": "new",
        "new-username": "nadia",
        "new-first_name": "Nadia",
        "new-last_name": "Alaoui",
        "new-email": "nadia@example.org",
        "new-role": "prosecutor",
    }
    response = olivia.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Select a valid choice" in body and 'value="nadia@example.org"' in body
    assert not User.objects.filter(username="nadia").exists()
    alice_role = Membership.objects.get(user=users["alice"])
    response = olivia.post(
        reverse("orgs:member_edit", args=[alice_role.pk]), {"role": "investigator", "active": "on"}
    )
    assert "Select a valid choice" in response.content.decode()
    alice_role.refresh_from_db()
    assert alice_role.role == "caseworker"


def test_actions_refuse_a_role_that_does_not_fit_with_where_it_fits(users, orgs):
    with pytest.raises(ValidationError) as refused:
        actions.add_membership(
            acting_user=users["olivia"],
            organisation=orgs["ngo_a"],
            user=users["alice"],
            role="prosecutor",
        )
    message = " ".join(refused.value.message_dict["role"])
    assert "prosecution" in message and "court" in message and "caseworker" in message
    assert not Membership.objects.filter(user=users["alice"], role="prosecutor").exists()
    m = Membership.objects.get(user=users["alice"])
    with pytest.raises(ValidationError):
        actions.update_membership(m, acting_user=users["root"], role="investigator", active=True)
    # A role given earlier that does not fit can still be ended.
    Membership.objects.filter(pk=m.pk).update(role="investigator")
    m.refresh_from_db()
    actions.deactivate_membership(m, acting_user=users["olivia"])
    m.refresh_from_db()
    assert not m.active


def test_configuration_site_refuses_a_role_that_does_not_fit(users, orgs):
    bad = Membership(user=users["alice"], organisation=orgs["ngo_a"], role="prosecutor")
    with pytest.raises(ValidationError) as refused:
        bad.full_clean()
    assert "role" in refused.value.message_dict
    Membership(user=users["alice"], organisation=orgs["parquet"], role="prosecutor").full_clean()


# --- The account search ------------------------------------------------------------------------


def _rows(client, **params):
    page = client.get(reverse("orgs:list"), params).content.decode()
    return {u.username for u in User.objects.all() if f">{u.username}</a>" in page}


def test_root_searches_accounts_by_every_field(users, orgs, login):
    User.objects.filter(pk=users["bob"].pk).update(
        first_name="Brahim", last_name="Ouazzani", email="b.ouazzani@ngo-b.example"
    )
    root = login(users["root"])
    assert _rows(root, q="ouazz") == {"bob"}  # last name
    assert _rows(root, q="Brahim Ouazzani") == {"bob"}  # full name, word by word
    assert _rows(root, q="ngo-b.example") == {"bob"}  # e-mail
    assert _rows(root, q="olivia") == {"olivia"}  # username
    assert _rows(root, q=orgs["police"].name_fr) == {"carol"}  # organisation
    assert _rows(root, q="prosecutor") == {"paula", "cole"}  # role, by its name
    assert _rows(root, role="prosecutor", organisation=orgs["court"].pk) == {"cole"}
    assert _rows(root, organisation=orgs["ngo_a"].pk) == {"alice", "olivia"}
    page = root.get(reverse("orgs:list"), {"q": "nobody-like-this"}).content.decode()
    assert "No account matches this search." in page


def test_org_admin_searches_her_own_accounts_only(users, orgs, login):
    olivia = login(users["olivia"])
    assert _rows(olivia) == {"alice", "olivia"}
    assert _rows(olivia, q="bob") == set()
    assert _rows(olivia, organisation=orgs["ngo_b"].pk) == {"alice", "olivia"}  # not hers: ignored
    page = olivia.get(reverse("orgs:list"), {"organisation": orgs["ngo_b"].pk}).content.decode()
    assert "Select a valid choice" in page
    assert _rows(olivia, role="caseworker") == {"alice"}


@pytest.mark.parametrize("params", [{"organisation": "x"}, {"role": "nope"}, {"q": "a" * 500}])
def test_bad_search_input_is_a_message_not_a_500(users, login, params):
    response = login(users["root"]).get(reverse("orgs:list"), params)
    assert response.status_code == 200
    body = response.content.decode()
    assert "invalid-feedback" in body


def test_account_list_queries_do_not_grow_with_the_list(users, orgs, login, figure):
    root = login(users["root"])
    url = reverse("orgs:list") + "?q=staff"

    def add(n, start):
        for i in range(start, start + n):
            u = f.UserFactory(username=f"staff{i}", email=f"staff{i}@example.org")
            f.member(u, orgs["ngo_a" if i % 2 else "police"], "analyst")
            f.member(u, orgs["commission"], "focal_point")

    add(3, 0)
    few = page_queries(root, url)
    add(30, 3)
    many = page_queries(root, url)
    assert few == many, (few, many)
    figure(f"account search: {few} queries for 3 accounts, {many} for 33")
