"""The `himaya` commands: totp, createadmin, run, rotatekeys, reindex."""

import io
import re

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection
from django_otp.plugins.otp_totp.models import TOTPDevice

from himaya.accounts.models import User
from himaya.cases import actions as case_actions
from himaya.cases.models import DossierNote, StageEvent
from himaya.core import crypto
from himaya.demo import loader
from himaya.demo.management.commands import himaya_run
from himaya.demo.management.commands.rotatekeys import encrypted_fields
from himaya.demo.models import DemoRun
from himaya.people import actions as people_actions
from himaya.people.models import IdentityDocument, Person
from himaya.testing.factories import code

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_users(settings):
    settings.DEMO_MODE = True
    orgs = loader.create_organisations(loader.Codes())
    return loader.create_users(orgs)


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


def test_totp_prints_a_code_that_django_otp_accepts(demo_users):
    code_now = run("totp", "police")
    assert len(code_now) == 6 and code_now.isdigit()
    device = TOTPDevice.objects.get(user=demo_users["police"])
    assert device.key == loader.totp_key("police")
    assert device.verify_token(code_now)


def test_demo_user_logs_in_with_password_and_code(demo_users, client):
    response = client.post(
        "/accounts/login/", {"username": "caseworker", "password": loader.DEMO_PASSWORD}
    )
    assert response.status_code == 302 and response.url.endswith("/login/verify/")
    response = client.post("/accounts/login/verify/", {"code": run("totp", "caseworker")})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_recovery_codes_are_listed(demo_users):
    assert run("totp", "--recovery", "shelter").split() == loader.recovery_codes("shelter")


def test_totp_errors(demo_users, settings):
    with pytest.raises(CommandError, match="No account"):
        run("totp", "nobody")
    User.objects.create_user("real", password="x" * 20)
    with pytest.raises(CommandError, match="not a demo account"):
        run("totp", "real")
    with pytest.raises(CommandError, match="no confirmed"):
        run("totp", "staff.police_casa")
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="demo mode only"):
        run("totp", "police")


def test_createadmin_from_environment(monkeypatch):
    monkeypatch.setenv("HIMAYA_ADMIN_PASSWORD", "quiet-harbour-lantern-42")
    out = run("createadmin", "--username", "root2", "--email", "r@example.org", "--noinput")
    assert "first login" in out
    user = User.objects.get(username="root2")
    assert user.is_superuser and user.is_staff and not user.memberships.exists()
    assert user.check_password("quiet-harbour-lantern-42")
    with pytest.raises(CommandError, match="already exists"):
        run("createadmin", "--username", "root2", "--noinput")


def test_createadmin_refuses_weak_passwords(monkeypatch):
    monkeypatch.setenv("HIMAYA_ADMIN_PASSWORD", "password1234")
    with pytest.raises(CommandError, match="Password refused"):
        run("createadmin", "--username", "root3", "--noinput")
    assert not User.objects.filter(username="root3").exists()


def test_run_prints_the_logins_then_serves(demo_users, monkeypatch):
    DemoRun.objects.create(seed=1, anchor="2026-01-01")  # the demo counts as loaded
    served = []
    real = himaya_run.call_command

    def fake(name, *args, **kwargs):
        if name == "runserver":
            served.append(args)
            return None
        return real(name, *args, **kwargs)

    monkeypatch.setattr(himaya_run, "call_command", fake)
    out = run("himaya_run", "--host", "127.0.0.1", "--port", "8123")
    assert "http://127.0.0.1:8123/" in out
    assert loader.DEMO_PASSWORD in out
    assert "himaya totp USERNAME" in out
    for username in (
        "hotline",
        "police",
        "prosecutor",
        "caseworker",
        "caseworker2",
        "shelter",
        "analyst",
        "orgadmin",
        "admin",
    ):
        assert f"  {username} " in out
    assert served == [("127.0.0.1:8123",)]


def test_static_files_are_served_without_collectstatic(client):
    response = client.get("/static/himaya/himaya.css")
    assert response.status_code == 200


def _sample(users):
    alice = users["alice"]
    org = alice.memberships.get().organisation
    person = people_actions.create_person(
        acting_user=alice,
        organisation=org,
        given_name_ar="فاطمة الزهراء",
        family_name_ar="العمراني",
        given_name_lat="Fatimazahra",
        family_name_lat="El Amrani",
        contacts={"phones": ["+212 600-000000"]},
    )
    people_actions.add_document(
        person, acting_user=alice, type=code("document_type", "cnie"), number="AB123456"
    )
    dossier = case_actions.open_dossier(person, acting_user=alice, organisation=org)
    case_actions.change_stage(
        dossier,
        acting_user=alice,
        stage="identified",
        reason="Identified directly by the prosecutor.",
    )
    case_actions.add_note(dossier, acting_user=alice, text="Premier entretien.")
    return person


def _raw_values():
    values = []
    with connection.cursor() as cursor:
        for model, f in encrypted_fields():
            cursor.execute(f"SELECT {f.column} FROM {model._meta.db_table}")  # noqa: S608
            values += [v for (v,) in cursor.fetchall() if v]
    return values


def test_rotatekeys_reencrypts_every_value_with_the_newest_key(users, settings):
    person = _sample(users)
    old_keys = list(settings.FIELD_ENCRYPTION_KEYS)
    before = _raw_values()
    assert len(before) >= 8
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, *old_keys]
    out = run("rotatekeys")
    assert f"{len(before)} values re-encrypted" in out
    after = _raw_values()
    assert len(after) == len(before) and not set(after) & set(before)
    # Every value now opens with the new key alone, and the old key is no longer needed.
    only_new = Fernet(new_key.encode())
    for value in after:
        only_new.decrypt(value[len(crypto.PREFIX) :].encode())
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    fresh = Person.objects.get(pk=person.pk)
    assert (fresh.given_name_ar, fresh.family_name_lat) == ("فاطمة الزهراء", "El Amrani")
    assert fresh.contacts == {"phones": ["+212 600-000000"]}
    assert IdentityDocument.objects.get(person=fresh).number == "AB123456"
    assert DossierNote.objects.get().text == "Premier entretien."
    assert StageEvent.objects.exclude(reason="").get().reason.startswith("Identified")


def test_rotatekeys_stops_on_a_value_no_key_opens(users, settings):
    _sample(users)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(CommandError, match="cannot decrypt"):
        run("rotatekeys")


def test_reindex_rebuilds_the_blind_index(users, settings):
    person = _sample(users)
    settings.BLIND_INDEX_KEY = "another-index-key"
    assert not Person.objects.search("Fatima Zahra").exists()
    assert run("reindex") == "Reindexed 1 persons and 0 suspects."
    assert list(Person.objects.search("Fatima Zahra")) == [person]
    assert list(Person.objects.search("فاطمة")) == [person]


def test_the_readme_lists_every_demo_account():
    """The README's table of demo accounts is the list `himaya run` prints (an outside probe
    found `focal` missing from it)."""
    from pathlib import Path

    from django.conf import settings

    from himaya.demo.data.organisations import DEMO_USERS

    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    table = readme.split("| username | role | organisation |")[1].split("\n\n")[0]
    listed = set(re.findall(r"^\| `([\w.]+)` \|", table, flags=re.MULTILINE))
    assert listed == {username for username, *_rest in DEMO_USERS}
