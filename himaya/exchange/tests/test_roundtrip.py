"""The issue's "import round-trips a workbook": records entered through the justice actions are
exported to the template workbook, the justice tables are emptied, the workbook is imported,
and exporting again gives the same workbook (same rows, same references)."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from himaya.exchange import export, services
from himaya.justice import actions
from himaya.justice import models as jm
from himaya.testing import factories as f

from .helpers import justice_counts

pytestmark = pytest.mark.django_db


def _records(users, orgs):
    """The issue's flow, as a prosecution office that investigates: two suspects (one a public
    official), arrests, charges under two forms, a conviction with a sentence and an
    acquittal, an appeal."""
    inv, one, two = _investigation(users["paula"], orgs["parquet"])
    _prosecutions(inv, one, two, users["paula"], orgs)


def _investigation(paula, parquet):
    """The investigation under two forms, its two suspects, their arrests and one release."""
    day = datetime.date(2024, 1, 10)
    inv = actions.open_investigation(
        acting_user=paula,
        organisation=parquet,
        opened_on=day,
        forms=[f.code("exploitation_form", "sexual"), f.code("exploitation_form", "labour")],
    )
    one = actions.add_suspect(
        inv,
        acting_user=paula,
        added_on=day,
        given_name_ar="سعيد",
        family_name_lat="Said",
        sex=f.code("sex", "male"),
        citizenship=f.code("country", "MA"),
        role_in_process=f.code("role_in_process", "recruiter"),
    )
    two = actions.add_suspect(
        inv,
        acting_user=paula,
        added_on=day,
        given_name_lat="Nadia",
        family_name_lat="B.",
        public_official=True,
        official_body="Caïdat",
        birth_date=datetime.date(1980, 1, 1),
        birth_date_precision="year",
    )
    for suspect, on in ((one, day + datetime.timedelta(days=1)), (two, day)):
        actions.record_suspect_event(inv, suspect, acting_user=paula, kind="arrest", on=on)
    actions.record_suspect_event(
        inv, two, acting_user=paula, kind="release", on=day + datetime.timedelta(days=3)
    )
    return inv, one, two


def _prosecutions(inv, one, two, paula, orgs):
    """Each suspect prosecuted on one charge: the first convicted, sentenced and appealing,
    the second acquitted."""
    decided = datetime.date(2024, 9, 2)
    for suspect, form, article, outcome in (
        (one, "sexual", "448.1", "convicted"),
        (two, "labour", "448.2", "acquitted"),
    ):
        p = actions.start_prosecution(
            inv,
            suspect,
            acting_user=paula,
            office=orgs["parquet"],
            started_on=datetime.date(2024, 3, 1),
            court=orgs["court"],
        )
        charge = actions.add_charge(
            p, acting_user=paula, article=article, form=f.code("exploitation_form", form)
        )
        decision = actions.record_decision(
            charge, acting_user=paula, outcome=outcome, decided_on=decided
        )
        if outcome == "convicted":
            actions.record_sentence(
                decision, acting_user=paula, prison_months=84, suspended_months=12, fine_mad=50000
            )
            actions.record_appeal(
                p,
                acting_user=paula,
                lodged_on=decided + datetime.timedelta(days=5),
                lodged_by="defence",
            )


def _empty_justice_tables():
    for model in (
        jm.Sentence,
        jm.CourtDecision,
        jm.Charge,
        jm.Appeal,
        jm.Participation,
        jm.Prosecution,
        jm.SuspectEvent,
        jm.InvestigationSuspect,
        jm.Suspect,
        jm.DossierLink,
        jm.Investigation,
    ):
        model.objects.all().delete()


def test_workbook_round_trip(users, orgs, figure):
    _records(users, orgs)
    paula = users["paula"]
    before_counts = justice_counts()
    first = export.normalised(export.export_rows(paula))
    data = export.export_workbook(paula)
    # The export is the template: the same sheets and headers as the blank workbook.
    blank = load_workbook(io.BytesIO(export.blank_workbook()), read_only=True)
    full = load_workbook(io.BytesIO(data), read_only=True)
    assert blank.sheetnames == full.sheetnames
    for name in blank.sheetnames[1:]:
        assert next(blank[name].iter_rows(values_only=True)) == next(
            full[name].iter_rows(values_only=True)
        )

    _empty_justice_tables()
    assert justice_counts()["justice.Investigation"] == 0
    run, result = services.import_file(
        data, "export.xlsx", user=paula, organisation=orgs["parquet"], commit=True
    )
    assert result.committed, result.errors
    second = export.normalised(export.export_rows(paula))
    assert second == first
    after = justice_counts()
    after.pop("exchange.ImportRun")
    before_counts.pop("exchange.ImportRun")
    assert after == before_counts
    s = jm.Suspect.objects.get(public_official=True)
    assert (s.given_name_lat, s.official_body, s.birth_date_precision) == (
        "Nadia",
        "Caïdat",
        "year",
    )
    assert jm.Sentence.objects.get().fine_mad == 50000
    assert jm.Prosecution.objects.filter(status="appealed").count() == 1
    # A second import of the same export changes nothing.
    run, result = services.import_file(
        data, "export.xlsx", user=paula, organisation=orgs["parquet"], commit=True
    )
    assert result.committed and result.total("created") == 0 and result.total("updated") == 0
    rows = sum(len(r) for r in first.values())
    figure(f"R2/issue 5: workbook round trip of {rows} rows → identical export, 0 duplicates")
