"""The configuration site (/sysadmin/): verified superusers only, no victim data registered,
the audit trail read-only (S2, S9, S15)."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from himaya.accounts.models import User
from himaya.audit import log
from himaya.audit.models import AccessEvent, AuditEvent
from himaya.core.models import Code

VICTIM_APPS = {"people", "cases"}


@pytest.fixture
def event(users):
    return log.write(users["alice"], "test_event", users["alice"], ["first_name"])


def test_sysadmin_index_needs_a_verified_superuser(users, login):
    assert login(users["root"]).get("/sysadmin/").status_code == 200
    # A superuser with a password but no second factor.
    half = Client()
    half.force_login(users["root"])
    response = half.get("/sysadmin/")
    assert response.status_code == 302 and "/sysadmin/" not in response["Location"].split("?")[0]
    # Verified, but not a system administrator.
    for name in ("alice", "olivia", "ana", "charlie"):
        response = login(users[name]).get("/sysadmin/")
        assert response.status_code == 302 and "login" in response["Location"], name


def test_non_superusers_reach_no_model_page(users, login):
    # Even a staff account (not a superuser) sees no model.
    carol = users["carol"]
    carol.is_staff = True
    carol.save()
    client = login(carol)
    for url in [
        reverse("admin:core_code_changelist"),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:audit_auditevent_changelist"),
        reverse("admin:accounts_organisation_changelist"),
    ]:
        assert client.get(url).status_code in (302, 403), url
    assert client.get("/sysadmin/").status_code == 302


def test_no_model_with_victim_identities_is_registered():
    registered = {m._meta.label for m in admin.site._registry}
    victim_models = {
        m._meta.label
        for app in VICTIM_APPS
        if apps.is_installed(f"himaya.{app}")
        for m in apps.get_app_config(app).get_models()
    }
    assert victim_models, "the victim apps should have models to check against"
    assert registered.isdisjoint(victim_models)
    assert not {"people.Person", "cases.Dossier"} & registered
    assert {
        "core.Code",
        "accounts.Organisation",
        "accounts.User",
        "audit.AuditEvent",
        "audit.AccessEvent",
    } <= registered


def test_pages_render_for_root(users, orgs, login, event):
    root = login(users["root"])
    code = Code.objects.get(list="org_type", code="ngo")
    for url in [
        reverse("admin:core_code_changelist"),
        reverse("admin:core_code_changelist") + "?list=org_type&q=ngo",
        reverse("admin:core_code_change", args=[code.pk]),
        reverse("admin:accounts_organisation_changelist"),
        reverse("admin:accounts_organisation_change", args=[orgs["ngo_a"].pk]),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_change", args=[users["alice"].pk]),
        reverse("admin:audit_auditevent_changelist") + "?action=test_event",
        reverse("admin:audit_auditevent_changelist") + "?q=alice",
        reverse("admin:audit_auditevent_change", args=[event.pk]),
        reverse("admin:audit_accessevent_changelist"),
    ]:
        assert root.get(url).status_code == 200, url
    # Django's standard: the password is shown as a summary, never the hash itself.
    page = root.get(reverse("admin:accounts_user_change", args=[users["alice"].pk]))
    assert users["alice"].password not in page.content.decode()


def test_audit_events_cannot_be_changed_or_deleted(users, login, event):
    root = login(users["root"])
    change = reverse("admin:audit_auditevent_change", args=[event.pk])
    response = root.post(change, {"action": "forged", "actor_username": "mallory"})
    assert response.status_code == 403
    assert root.get(reverse("admin:audit_auditevent_delete", args=[event.pk])).status_code == 403
    response = root.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert root.get(reverse("admin:audit_auditevent_add")).status_code == 403
    response = root.post(
        reverse("admin:audit_auditevent_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk]},
    )
    event.refresh_from_db()
    assert event.action == "test_event" and event.actor_username == "alice"
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    model_admin = admin.site._registry[AuditEvent]
    request = type("R", (), {"user": users["root"]})()
    for perm in ("has_add_permission", "has_change_permission", "has_delete_permission"):
        assert not getattr(model_admin, perm)(request), perm
        assert not getattr(admin.site._registry[AccessEvent], perm)(request), perm


def test_code_labels_are_editable_but_codes_never_deleted(users, login):
    root = login(users["root"])
    code = Code.objects.get(list="org_type", code="ngo")
    assert root.get(reverse("admin:core_code_delete", args=[code.pk])).status_code == 403
    model_admin = admin.site._registry[Code]
    assert {"label_ar", "label_fr", "label_en", "htcds", "active"} <= set(model_admin.list_editable)
    response = root.post(
        reverse("admin:core_code_change", args=[code.pk]),
        {
            "list": code.list,
            "code": code.code,
            "parent": "",
            "label_ar": code.label_ar,
            "label_fr": "Organisation non gouvernementale (modifiée)",
            "label_en": code.label_en,
            "htcds": code.htcds,
            "tip": code.tip,
            "sort": code.sort,
            "active": "on",
        },
    )
    assert response.status_code == 302
    code.refresh_from_db()
    assert code.label_fr == "Organisation non gouvernementale (modifiée)"
    event = AuditEvent.objects.get(action="admin_change_code", object_id=str(code.pk))
    assert event.actor_username == "root" and event.changed_fields == ["label_fr"]


def test_admin_writes_are_audited_and_bump_the_organisation_version(users, orgs, login):
    root = login(users["root"])
    org = orgs["ngo_b"]
    response = root.post(
        reverse("admin:accounts_organisation_change", args=[org.pk]),
        {
            "name_ar": org.name_ar, "name_fr": "Association B (Rabat)", "name_en": org.name_en,
            "type": org.type_id, "region": org.region_id, "active": "on",
        },
    )  # fmt: skip
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.name_fr == "Association B (Rabat)" and org.version == 2
    event = AuditEvent.objects.get(action="admin_change_organisation", object_id=str(org.pk))
    assert event.actor_username == "root" and event.changed_fields == ["name_fr"]

    # Nobody types another person's password: accounts are added from the organisation
    # pages, which send the owner an activation link.
    assert root.get(reverse("admin:accounts_user_add")).status_code == 403
    response = root.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "yasmine", "password1": "Tamazight-Atlas-2026!",
            "password2": "Tamazight-Atlas-2026!", "usable_password": "true",
            "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
        },
    )  # fmt: skip
    assert response.status_code == 403
    assert not User.objects.filter(username="yasmine").exists()


def test_closing_an_account_in_the_configuration_site_revokes_its_tokens(users, login):
    from himaya.accounts.models import ApiToken

    bob = users["bob"]
    token, _raw = ApiToken.issue(bob, "export")
    root = login(users["root"])
    url = reverse("admin:accounts_user_change", args=[bob.pk])
    page = root.get(url)
    data = {k: v for k, v in page.context["adminform"].form.initial.items() if v is not None}
    data.update(
        {
            "username": bob.username,
            "is_active": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "preferred_language": "en",
        }
    )
    data.pop("password", None)
    data.pop("groups", None)
    data.pop("user_permissions", None)
    data.pop("last_login", None)
    data.pop("is_active", None)
    response = root.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    token.refresh_from_db()
    bob.refresh_from_db()
    assert not bob.is_active and token.revoked_at is not None
