"""Organisation and account pages: who may manage whom (S2, S3, S8, M5), audited writes (S15),
optimistic locking (R1), second-factor reset, unlock, and API tokens ending with the account (M2).
Passwords are never chosen here: see test_activation.py (H3)."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from himaya.accounts import actions
from himaya.accounts.models import Membership, Organisation, User
from himaya.audit.models import AuditEvent
from himaya.core.models import Code


def new_member(username="nadia", role="caseworker", **extra):
    data = {
        "mode": "new",
        "new-username": username,
        "new-first_name": "Nadia",
        "new-last_name": "Alaoui",
        "new-email": f"{username}@example.org",
        "new-preferred_language": "fr",
        "new-role": role,
    }
    data.update(extra)
    return data


def org_data(org=None, **changes):
    data = {
        "name_ar": "جمعية ج",
        "name_fr": "Association C",
        "name_en": "NGO C",
        "type": Code.objects.get(list="org_type", code="ngo").pk,
        "region": Code.objects.get(list="region", code="casablanca_settat").pk,
        "active": "on",
    }
    if org is not None:
        data.update(
            name_ar=org.name_ar,
            name_fr=org.name_fr,
            name_en=org.name_en,
            type=org.type_id,
            region=org.region_id or "",
            version=org.version,
        )
    data.update(changes)
    return data


def all_urls(orgs, users):
    a, bob = orgs["ngo_a"], users["bob"]
    m = Membership.objects.get(user=users["alice"])
    return [
        reverse("orgs:list"),
        reverse("orgs:create"),
        reverse("orgs:detail", args=[a.pk]),
        reverse("orgs:edit", args=[a.pk]),
        reverse("orgs:member_add", args=[a.pk]),
        reverse("orgs:member_edit", args=[m.pk]),
        reverse("orgs:member_remove", args=[m.pk]),
        reverse("orgs:user_detail", args=[bob.pk]),
        reverse("orgs:user_edit", args=[bob.pk]),
        reverse("orgs:user_reset_2fa", args=[bob.pk]),
        reverse("orgs:user_unlock", args=[bob.pk]),
        reverse("orgs:user_deactivate", args=[bob.pk]),
        reverse("orgs:user_send_activation", args=[bob.pk]),
        reverse("orgs:user_reset_password", args=[bob.pk]),
    ]


def audit(action, **filters):
    return AuditEvent.objects.filter(action=action, outcome="ok", **filters)


# System administrator


def test_root_creates_an_organisation_and_a_user(users, login):
    root = login(users["root"])
    response = root.post(reverse("orgs:create"), org_data())
    org = Organisation.objects.get(name_fr="Association C")
    assert response.status_code == 302 and response["Location"] == reverse(
        "orgs:detail", args=[org.pk]
    )
    assert org.name_ar == "جمعية ج" and org.active and org.type.code == "ngo"
    event = audit("create_organisation", object_id=str(org.pk)).get()
    assert event.actor_id == users["root"].pk and event.actor_username == "root"
    assert {"name_ar", "name_fr", "name_en", "type", "region", "active"} <= set(
        event.changed_fields
    )

    response = root.post(reverse("orgs:member_add", args=[org.pk]), new_member(role="org_admin"))
    assert response.status_code == 302
    nadia = User.objects.get(username="nadia")
    # No password that root knows: the link to choose one went to nadia's address (H3).
    assert not nadia.has_usable_password() and not nadia.is_superuser and not nadia.is_staff
    assert [m.to for m in mail.outbox] == [["nadia@example.org"]]
    assert list(nadia.memberships.values_list("organisation_id", "role", "active")) == [
        (org.pk, "org_admin", True)
    ]
    created = audit("create_user", object_id=str(nadia.pk)).get()
    assert created.actor_id == users["root"].pk and created.organisation_id == org.pk
    assert "password" not in created.changed_fields and "username" in created.changed_fields
    assert audit("add_membership", actor_id=users["root"].pk).count() == 1


def test_root_sees_every_organisation_and_account_but_no_victim_data(users, orgs, login):
    root = login(users["root"])
    page = root.get(reverse("orgs:list")).content.decode()
    for org in orgs.values():
        assert org.name_en in page and reverse("orgs:detail", args=[org.pk]) in page
    assert "charlie" in page and "bob" in page
    assert root.get(reverse("orgs:user_detail", args=[users["charlie"].pk])).status_code == 200
    # Managing accounts gives no access to victims: no persons or dossiers in the menu.
    response = root.get(reverse("orgs:list"))
    assert not response.context["nav_handles_victims"]
    assert not response.context["nav_sees_dossiers"]


def test_stale_organisation_version_is_a_conflict_not_an_overwrite(users, orgs, login):
    root = login(users["root"])
    org = orgs["ngo_b"]
    stale = org_data(org, name_fr="Premier")
    fresh = root.post(reverse("orgs:edit", args=[org.pk]), org_data(org, name_fr="Deuxième"))
    assert fresh.status_code == 302
    response = root.post(reverse("orgs:edit", args=[org.pk]), stale)
    assert response.status_code == 200
    assert "changed by someone else" in response.content.decode()
    org.refresh_from_db()
    assert org.name_fr == "Deuxième" and org.version == 2
    assert audit("update_organisation", object_id=str(org.pk)).get().changed_fields == ["name_fr"]


def test_organisation_bad_input_is_a_form_error(users, login):
    root = login(users["root"])
    response = root.post(reverse("orgs:create"), org_data(type="999999", name_fr=""))
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"type", "name_fr"}
    assert not Organisation.objects.filter(name_ar="جمعية ج").exists()
    response = root.post(
        reverse("orgs:edit", args=[Organisation.objects.first().pk]), org_data(version="abc")
    )
    assert response.status_code == 200 and "version" in response.context["form"].errors


# Organisation admin


def test_olivia_adds_a_member_to_her_organisation(users, orgs, login):
    olivia = login(users["olivia"])
    assert olivia.get(reverse("orgs:detail", args=[orgs["ngo_a"].pk])).status_code == 200
    response = olivia.post(reverse("orgs:member_add", args=[orgs["ngo_a"].pk]), new_member())
    assert response.status_code == 302
    nadia = User.objects.get(username="nadia")
    assert list(nadia.memberships.values_list("organisation_id", "role")) == [
        (orgs["ngo_a"].pk, "caseworker")
    ]
    event = audit("create_user", object_id=str(nadia.pk)).get()
    assert event.actor_username == "olivia" and event.organisation_id == orgs["ngo_a"].pk
    # And a second role for an account of her organisation.
    response = olivia.post(
        reverse("orgs:member_add", args=[orgs["ngo_a"].pk]),
        {"mode": "existing", "existing-username": "alice", "existing-role": "shelter_manager"},
    )
    assert response.status_code == 302
    assert users["alice"].memberships.filter(role="shelter_manager", active=True).exists()
    assert audit("add_membership", actor_id=users["olivia"].pk).count() == 2


def test_olivia_cannot_add_members_to_another_organisation(users, orgs, login):
    olivia = login(users["olivia"])
    before = (User.objects.count(), Membership.objects.count())
    response = olivia.post(reverse("orgs:member_add", args=[orgs["ngo_b"].pk]), new_member())
    assert response.status_code == 404
    assert (User.objects.count(), Membership.objects.count()) == before
    assert olivia.get(reverse("orgs:detail", args=[orgs["ngo_b"].pk])).status_code == 404
    # Nor give bob (of NGO B) a role in her own organisation: out of her reach.
    response = olivia.post(
        reverse("orgs:member_add", args=[orgs["ngo_a"].pk]),
        {"mode": "existing", "existing-username": "bob", "existing-role": "caseworker"},
    )
    assert response.status_code == 200
    assert "username" in response.context["existing_form"].errors
    assert list(users["bob"].memberships.values_list("organisation_id", flat=True)) == [
        orgs["ngo_b"].pk
    ]


def test_olivia_gets_404_on_accounts_of_other_organisations(users, orgs, login):
    olivia = login(users["olivia"])
    bob, charlie, root = users["bob"], users["charlie"], users["root"]
    bob_role = Membership.objects.get(user=bob)
    for target in (bob, charlie, root):
        for name in (
            "user_detail",
            "user_edit",
            "user_reset_2fa",
            "user_unlock",
            "user_deactivate",
            "user_send_activation",
            "user_reset_password",
        ):
            url = reverse(f"orgs:{name}", args=[target.pk])
            assert olivia.get(url).status_code == 404, url
            assert olivia.post(url, {"first_name": "X"}).status_code == 404, url
    for name in ("member_edit", "member_remove"):
        url = reverse(f"orgs:{name}", args=[bob_role.pk])
        assert olivia.post(url, {"role": "org_admin", "active": "on"}).status_code == 404
    assert olivia.get(reverse("orgs:create")).status_code == 404
    assert (
        olivia.post(
            reverse("orgs:edit", args=[orgs["ngo_a"].pk]), org_data(orgs["ngo_a"])
        ).status_code
        == 404
    )
    bob.refresh_from_db()
    bob_role.refresh_from_db()
    assert bob.is_active and bob.first_name != "X" and bob_role.role == "caseworker"
    assert not audit("update_user").exists() and not audit("update_membership").exists()


def test_an_account_shared_with_another_organisation_is_out_of_reach(users, orgs, login):
    shared = users["alice"]
    Membership.objects.create(user=shared, organisation=orgs["ngo_b"], role="caseworker")
    olivia = login(users["olivia"])
    assert olivia.get(reverse("orgs:user_detail", args=[shared.pk])).status_code == 404
    assert olivia.post(reverse("orgs:user_deactivate", args=[shared.pk])).status_code == 404
    shared.refresh_from_db()
    assert shared.is_active


def test_olivia_changes_and_ends_a_role(users, orgs, login):
    olivia = login(users["olivia"])
    m = Membership.objects.get(user=users["alice"])
    response = olivia.post(
        reverse("orgs:member_edit", args=[m.pk]), {"role": "shelter_manager", "active": "on"}
    )
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.role == "shelter_manager" and m.active
    assert audit("update_membership", object_id=str(m.pk)).get().changed_fields == ["role"]
    assert olivia.post(reverse("orgs:member_remove", args=[m.pk])).status_code == 302
    m.refresh_from_db()
    assert not m.active
    assert audit("update_membership", object_id=str(m.pk)).count() == 2


# S8: no escalation


def test_mass_assignment_through_olivias_forms_changes_nothing(users, orgs, login, figure):
    olivia = login(users["olivia"])
    evil = {
        "is_superuser": "on",
        "is_staff": "on",
        "new-is_superuser": "on",
        "new-is_staff": "on",
        "organisation": orgs["ngo_b"].pk,
        "new-organisation": orgs["ngo_b"].pk,
        "user": users["bob"].pk,
    }
    olivia.post(reverse("orgs:member_add", args=[orgs["ngo_a"].pk]), new_member("mallory", **evil))
    alice = users["alice"]
    m = Membership.objects.get(user=alice)
    olivia.post(
        reverse("orgs:member_edit", args=[m.pk]), {"role": "caseworker", "active": "on", **evil}
    )
    olivia.post(
        reverse("orgs:user_edit", args=[alice.pk]),
        {"first_name": "Alice", "email": "alice@example.org", **evil},
    )
    # Her own roles: no new role, no other organisation.
    own = Membership.objects.get(user=users["olivia"])
    olivia.post(
        reverse("orgs:member_edit", args=[own.pk]), {"role": "caseworker", "active": "on", **evil}
    )
    olivia.post(
        reverse("orgs:member_add", args=[orgs["ngo_a"].pk]),
        {"mode": "existing", "existing-username": "olivia", "existing-role": "caseworker", **evil},
    )
    olivia.post(reverse("orgs:user_edit", args=[users["olivia"].pk]), evil)

    mallory = User.objects.get(username="mallory")
    m.refresh_from_db()
    escalated = [
        u.username
        for u in User.objects.filter(username__in=["mallory", "alice", "olivia"])
        if u.is_superuser or u.is_staff
    ]
    roles = list(
        Membership.objects.filter(user__in=[mallory, alice, users["olivia"]])
        .values_list("user__username", "organisation_id", "role")
        .order_by("pk")
    )
    expected = [
        ("alice", orgs["ngo_a"].pk, "caseworker"),
        ("olivia", orgs["ngo_a"].pk, "org_admin"),
        ("mallory", orgs["ngo_a"].pk, "caseworker"),
    ]
    figure(
        f"S8: mass-assignment through the organisation pages → {len(escalated)} accounts "
        f"escalated, {len(set(roles) ^ set(expected))} roles out of place"
    )
    assert escalated == [] and sorted(roles) == sorted(expected)
    assert not User.objects.filter(is_superuser=True).exclude(username="root").exists()


def test_nobody_changes_their_own_roles(users, orgs, login):
    root = login(users["root"])
    response = root.post(
        reverse("orgs:member_add", args=[orgs["ngo_a"].pk]),
        {"mode": "existing", "existing-username": "root", "existing-role": "caseworker"},
    )
    assert response.status_code == 200
    assert not users["root"].memberships.exists()
    olivia = login(users["olivia"])
    own = Membership.objects.get(user=users["olivia"])
    response = olivia.post(
        reverse("orgs:member_edit", args=[own.pk]), {"role": "caseworker", "active": "on"}
    )
    assert response.status_code == 200
    assert "your own roles" in response.content.decode()
    own.refresh_from_db()
    assert own.role == "org_admin"


# Everyone else


@pytest.mark.parametrize("name", ["alice", "charlie", "ana", "carol", "bob"])
def test_other_users_get_404_everywhere(users, orgs, login, name):
    client = login(users[name])
    before = (
        User.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.filter(outcome="ok").count(),
    )
    for url in all_urls(orgs, users):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"role": "org_admin", "active": "on"}).status_code == 404, url
    assert (
        client.post(reverse("orgs:member_add", args=[orgs["ngo_a"].pk]), new_member()).status_code
        == 404
    )
    assert (
        User.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.filter(outcome="ok").count(),
    ) == before
    assert users["bob"].is_active


def test_anonymous_is_sent_to_login(orgs, client):
    response = client.get(reverse("orgs:list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


# Passwords, second factor, lockout, deactivation


def test_pages_render_for_an_org_admin(users, orgs, login):
    olivia = login(users["olivia"])
    m = Membership.objects.get(user=users["alice"])
    for url in [
        reverse("orgs:list"),
        reverse("orgs:detail", args=[orgs["ngo_a"].pk]),
        reverse("orgs:member_add", args=[orgs["ngo_a"].pk]),
        reverse("orgs:member_edit", args=[m.pk]),
        reverse("orgs:member_remove", args=[m.pk]),
        reverse("orgs:user_detail", args=[users["alice"].pk]),
        reverse("orgs:user_edit", args=[users["alice"].pk]),
        reverse("orgs:user_reset_2fa", args=[users["alice"].pk]),
    ]:
        response = olivia.get(url)
        assert response.status_code == 200, url
    page = olivia.get(reverse("orgs:list")).content.decode()
    assert orgs["ngo_a"].name_en in page and orgs["ngo_b"].name_en not in page
    assert "bob" not in page and "charlie" not in page


def test_role_view_matrix(users, orgs, login, figure):
    """S2: who reaches which page (GET). 200 = allowed, 404 = out of reach."""
    a, b = orgs["ngo_a"], orgs["ngo_b"]
    alice_role = Membership.objects.get(user=users["alice"])
    bob_role = Membership.objects.get(user=users["bob"])
    pages = {
        "list": reverse("orgs:list"),
        "create": reverse("orgs:create"),
        "detail_a": reverse("orgs:detail", args=[a.pk]),
        "detail_b": reverse("orgs:detail", args=[b.pk]),
        "edit_a": reverse("orgs:edit", args=[a.pk]),
        "member_add_a": reverse("orgs:member_add", args=[a.pk]),
        "member_add_b": reverse("orgs:member_add", args=[b.pk]),
        "member_edit_alice": reverse("orgs:member_edit", args=[alice_role.pk]),
        "member_edit_bob": reverse("orgs:member_edit", args=[bob_role.pk]),
        "user_alice": reverse("orgs:user_detail", args=[users["alice"].pk]),
        "user_bob": reverse("orgs:user_detail", args=[users["bob"].pk]),
        "user_charlie": reverse("orgs:user_detail", args=[users["charlie"].pk]),
        "reset_alice": reverse("orgs:user_reset_2fa", args=[users["alice"].pk]),
        "reset_bob": reverse("orgs:user_reset_2fa", args=[users["bob"].pk]),
    }
    olivia_ok = {
        "list",
        "detail_a",
        "member_add_a",
        "member_edit_alice",
        "user_alice",
        "reset_alice",
    }
    expected = {
        "root": dict.fromkeys(pages, 200),
        "olivia": {p: 200 if p in olivia_ok else 404 for p in pages},
        **{n: dict.fromkeys(pages, 404) for n in ("alice", "bob", "carol", "ana", "charlie")},
    }
    mismatches = []
    for name, row in expected.items():
        client = login(users[name])
        for page, status in row.items():
            got = client.get(pages[page]).status_code
            if got != status:
                mismatches.append((name, page, status, got))
    cells = sum(len(r) for r in expected.values())
    figure(f"S2: organisation pages, {cells} role × page cells → {len(mismatches)} mismatches")
    assert mismatches == []


# M5: a membership in one's organisation is not enough; the account must be within reach


def test_olivia_cannot_reactivate_or_elevate_a_shared_account(users, orgs, login):
    alice = users["alice"]
    own = Membership.objects.get(user=alice, organisation=orgs["ngo_a"])
    own.active = False
    own.save(update_fields=["active"])
    Membership.objects.create(user=alice, organisation=orgs["ngo_b"], role="caseworker")
    olivia = login(users["olivia"])
    url = reverse("orgs:member_edit", args=[own.pk])
    for data in ({"role": "org_admin", "active": "on"}, {"role": "caseworker", "active": "on"}):
        response = olivia.post(url, data)
        assert response.status_code == 200
        # The refusal says who manages it (issue 15).
        assert "ask a system administrator" in response.content.decode()
    own.refresh_from_db()
    assert (own.role, own.active) == ("caseworker", False)
    assert not audit("update_membership").exists()


def test_nobody_gives_org_admin_to_a_system_account(users, orgs, login):
    root_role = Membership.objects.create(
        user=users["root"], organisation=orgs["ngo_a"], role="caseworker", active=False
    )
    olivia = login(users["olivia"])
    response = olivia.post(
        reverse("orgs:member_edit", args=[root_role.pk]), {"role": "org_admin", "active": "on"}
    )
    assert response.status_code == 200
    root_role.refresh_from_db()
    assert (root_role.role, root_role.active) == ("caseworker", False)
    # Not even a system administrator, to another superuser, by either action.
    other = User.objects.create(username="root2", is_superuser=True)
    with pytest.raises(PermissionDenied):
        actions.add_membership(
            acting_user=users["root"], organisation=orgs["ngo_a"], user=other, role="org_admin"
        )
    role = Membership.objects.create(user=other, organisation=orgs["ngo_a"], role="caseworker")
    with pytest.raises(PermissionDenied):
        actions.update_membership(role, acting_user=users["root"], role="org_admin", active=True)
    role.refresh_from_db()
    assert role.role == "caseworker"
    # Lesser changes to a system account stay with the system administrator.
    actions.update_membership(role, acting_user=users["root"], role="analyst", active=False)


# M2: API tokens end with the sessions
