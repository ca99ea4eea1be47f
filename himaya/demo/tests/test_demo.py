"""The demo deployment: complete, loaded once, deterministic, refused outside demo mode."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from himaya.accounts.models import Membership, Organisation, Role, User
from himaya.cases.models import Dossier, Stage
from himaya.core.codedata import ORG_TYPES
from himaya.core.models import Code
from himaya.demo import data, loader
from himaya.demo.models import DemoRun
from himaya.demo.plan import SEED, build_plan, digest_rows, plan_rows
from himaya.people.models import IdentityDocument, Person

pytestmark = pytest.mark.django_db


def counts():
    return {
        m.__name__: m.objects.count()
        for m in (Organisation, User, Membership, Person, Dossier, IdentityDocument, DemoRun)
    }


class Rollback(Exception):
    pass


def test_two_loads_give_the_same_records(settings):
    settings.DEMO_MODE = True
    snapshots = []
    for _ in range(2):
        with pytest.raises(Rollback), transaction.atomic():
            loader.load(persons=30)
            snapshots.append((loader.database_rows(), counts()))
            raise Rollback
    assert not DemoRun.objects.exists()
    assert snapshots[0] == snapshots[1]
    assert len(snapshots[0][0]) >= 30


def test_demo_is_refused_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="demo mode"):
        call_command("demo", stdout=io.StringIO())
    assert not Organisation.objects.exists()
    assert not DemoRun.objects.exists()


def test_demo_refuses_existing_accounts(settings):
    settings.DEMO_MODE = True
    User.objects.create_user("police", password="x" * 20)
    with pytest.raises(CommandError, match="police"):
        call_command("demo", stdout=io.StringIO())
    assert not Organisation.objects.exists()


# The tests below share one load (kept until the end of the module): those above need an empty
# database, so they come first.
@pytest.fixture(scope="module")
def loaded(demo_database):
    """The demo command's run of this test run (himaya/conftest.py's ``demo_database``: it
    loaded the run's demo template), under this module's tests."""
    return demo_database


def test_demo_loads_a_whole_deployment_once(loaded, figure):
    figure(f"demo load (manage.py demo on a migrated database): {loaded['elapsed']:.1f} s")
    assert "Demo loaded" in loaded["output"]
    assert loader.DEMO_PASSWORD in loaded["output"]


def test_every_organisation_type_and_role_in_several_regions(loaded):
    types = set(Organisation.objects.values_list("type__code", flat=True))
    assert types == {t[0] for t in ORG_TYPES}
    assert Organisation.objects.values("region").distinct().count() >= 8
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)


def test_demo_users_sign_in_with_the_password_and_two_factors(loaded):
    for username, *_rest in data.DEMO_USERS:
        user = User.objects.get(username=username)
        assert user.is_demo and user.check_password(loader.DEMO_PASSWORD)
        assert user.totpdevice_set.filter(confirmed=True).count() == 1
        assert user.staticdevice_set.get().token_set.count() == loader.RECOVERY_CODES
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and not admin.memberships.exists()


def test_dossiers_at_every_stage_and_of_every_form_over_three_years(loaded):
    assert 250 <= Person.objects.count() <= 400
    stages = set(Dossier.objects.values_list("stage", flat=True))
    assert stages == set(Stage.values)
    forms = set(Dossier.objects.values_list("forms__code", flat=True))
    assert forms == set(Code.objects.of("exploitation_form").values_list("code", flat=True))
    assert Dossier.objects.values("opened_on__year").distinct().count() == 3
    assert any(d.forms.count() == 2 for d in Dossier.objects.all()[:100])
    assert IdentityDocument.objects.filter(held_by_person=False).exists()


def test_moroccan_and_foreign_persons_children_and_approximate_birth_dates(loaded):
    persons = list(Person.objects.prefetch_related("citizenships"))
    citizenships = {c.code for p in persons for c in p.citizenships.all()}
    assert {"MA", "NG", "CI", "GN", "CM", "SN", "PH", "ML", "CD"} <= citizenships
    assert {p.birth_date_precision for p in persons} >= {"exact", "year", "estimated"}
    assert any(p.is_child_on(p.dossiers.first().opened_on) for p in persons[:80])


def test_arabic_names_are_found_by_a_latin_search_whatever_the_spelling(loaded):
    found = list(Person.objects.search("Mohamed"))
    assert {p.given_name_ar for p in found} >= {"محمد"}
    assert {p.given_name_lat for p in found} - {"Mohamed"}
    latin_of = {ar: lat[0] for ar, lat in data.MA_MALE + data.MA_FEMALE}
    persons = Person.objects.all()
    arabic_only = [p for p in persons if not p.name_lat and p.given_name_ar in latin_of]
    assert arabic_only
    for p in arabic_only[:10]:
        assert Person.objects.search(latin_of[p.given_name_ar]).filter(pk=p.pk).exists()


def test_a_second_run_adds_nothing(loaded, settings):
    settings.DEMO_MODE = True
    before = counts()
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert "nothing added" in out.getvalue()
    assert counts() == before


def test_the_database_is_exactly_the_plan_of_the_seed(loaded):
    run = DemoRun.objects.get()
    assert run.seed == SEED
    expected = plan_rows(build_plan(SEED, run.anchor))
    assert loader.database_rows() == expected
    assert digest_rows(plan_rows(build_plan(SEED, run.anchor))) == digest_rows(expected)
    assert digest_rows(plan_rows(build_plan(SEED + 1, run.anchor))) != digest_rows(expected)
