"""The demo's decisions and non-punishment alerts (himaya.demo.identify), in the run's demo
deployment: coherent with the stage history, which they leave as planned, and with open alerts
for the demo prosecutor and the demo caseworker."""

import pytest
from django.db.models import Count

from himaya.accounts.models import Organisation, User
from himaya.cases.home import home_context
from himaya.cases.models import IdentificationDecision, NonPunishmentAlert, Stage
from himaya.demo import data, loader
from himaya.demo.models import DemoRun
from himaya.demo.plan import SEED, build_plan, plan_rows

pytestmark = pytest.mark.django_db

STAGE_OF = {"possible": Stage.PRESUMED, "actual": Stage.IDENTIFIED, "not_victim": Stage.NOT_VICTIM}


def test_demo_decisions_and_alerts(demo_database, figure):
    # The loader runs the identify part after the persons and their dossiers.
    run = DemoRun.objects.get()
    by_name = {o.name_fr: o for o in Organisation.objects.all()}
    orgs = {key: by_name[name_fr] for key, _t, _r, _ar, name_fr, _en in data.ORGANISATIONS}
    users = {u.username: u for u in User.objects.filter(is_demo=True)}
    counts = run.counts

    # The stage history is still exactly the plan's.
    assert loader.database_rows() == plan_rows(build_plan(SEED, run.anchor))
    # Every decision matches a stage the dossier went through, on that day.
    decisions = IdentificationDecision.objects.select_related("status", "dossier")
    assert counts["decisions"] == decisions.count() > 20
    for d in decisions.filter(reviews__isnull=True):
        assert d.dossier.events.filter(stage=STAGE_OF[d.status.code], on=d.decided_on).exists()
    reviews = decisions.filter(reviews__isnull=False)
    assert reviews.count() == counts["reviews"] >= 1
    assert all(r.reviews.is_negative and r.decided_on >= r.reviews.decided_on for r in reviews)

    alerts = NonPunishmentAlert.objects.select_related("dossier")
    assert alerts.count() == counts["offences"] >= 10
    outcomes = dict(alerts.values_list("outcome").annotate(n=Count("pk")).order_by())
    assert {"non_punishment", "charges_dropped"} <= set(outcomes)
    recipients = set(alerts.values_list("recipients__name_fr", flat=True))
    assert recipients <= {orgs["parquet_tanger"].name_fr, orgs["parquet_casa"].name_fr}
    prosecutor = home_context(users["prosecutor"])["nonpunishment_alerts"]
    caseworker = home_context(users["caseworker"])["nonpunishment_alerts"]
    assert len(prosecutor) >= 2
    assert any(a.dossier.caseworker == users["caseworker"] for a in caseworker)
    figure(
        f"demo identify: {counts['decisions']} decisions "
        f"({counts['reviews']} reviews), {counts['offences']} offences, "
        f"{counts['resolved']} alerts resolved {outcomes}, {len(prosecutor)} open for the "
        "demo prosecutor"
    )
