"""The demo's justice part (himaya.demo.justice) in the run's demo deployment (the loader runs
it after the persons): records through the actions, visible to the demo police and prosecutor,
with stalled proceedings, officials and one suspect with immunity."""

import pytest

from himaya.accounts.models import User
from himaya.core import access
from himaya.demo.models import DemoRun
from himaya.justice.home import home_context
from himaya.justice.models import Investigation, Prosecution, Suspect
from himaya.justice.oversight import oversight_rows

pytestmark = pytest.mark.django_db


def test_demo_justice(demo_database, figure):
    # The loader runs the justice part after the persons and their dossiers.
    run = DemoRun.objects.get()
    users = {u.username: u for u in User.objects.all()}
    counts = run.counts
    assert counts["investigations"] == Investigation.objects.count() == 60
    assert counts["prosecutions"] == Prosecution.objects.count() > 15
    assert counts["court decisions"] > 5
    assert Suspect.objects.filter(diplomatic_immunity=True).count() == 1
    assert Suspect.objects.filter(public_official=True).exists()
    assert Investigation.objects.filter(dossier_links__isnull=False).exists()
    police, prosecutor = users["police"], users["prosecutor"]
    assert Investigation.objects.visible_to(police).count() > 15
    assert Prosecution.objects.visible_to(prosecutor).count() > 5
    for name in ("caseworker", "shelter", "analyst", "hotline"):
        access.forget(users[name])
        assert not Suspect.objects.visible_to(users[name]).exists()
    stalled = counts["stalled_investigations"] + counts["stalled_prosecutions"]
    assert stalled >= 3
    assert home_context(prosecutor)["justice_stalled_count"] >= 1
    assert len(oversight_rows()) >= 2
    figure(f"demo justice: {counts}")
