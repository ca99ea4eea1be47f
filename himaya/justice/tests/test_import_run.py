"""What an import run remembers between its rows (issue 16, actions/run.py): fewer queries a
row, and nothing that outlives its row's success, its run or its user. The pages' actions
are the same functions; only an import's rows find a ``Memo`` active."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from himaya.core import access
from himaya.exchange import services
from himaya.exchange.tests.helpers import workbook
from himaya.justice import actions
from himaya.justice import models as jm
from himaya.justice.actions import run
from himaya.testing.clock import freeze_localdate

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 30)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    return freeze_localdate(monkeypatch, TODAY)


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def register(investigations, court):
    """A prosecution office's register: per investigation two suspects, their arrests and
    prosecutions, two counts of one charge each, a conviction per charge and its sentence
    (19 rows an investigation)."""
    data = {
        "investigations": [["ref", "opened_on", "forms"]],
        "suspects": [["ref", "investigation_ref", "given_name_lat", "family_name_lat", "sex"]],
        "arrests": [["ref", "suspect_ref", "investigation_ref", "date"]],
        "prosecutions": [["ref", "suspect_ref", "investigation_ref", "started_on", "court"]],
        "charges": [["ref", "prosecution_ref", "article", "form", "count"]],
        "decisions": [["ref", "charge_ref", "outcome", "decided_on"]],
        "sentences": [["ref", "decision_ref", "prison_months"]],
    }
    for i in range(investigations):
        inv = f"E-{i}"
        data["investigations"].append([inv, "2024-01-10", "sexual"])
        for s in range(2):
            sus = f"S-{i}-{s}"
            data["suspects"].append([sus, inv, f"Karim{i}", f"Tazi{s}", "male"])
            data["arrests"].append([f"A-{i}-{s}", sus, inv, "2024-01-15"])
            data["prosecutions"].append([f"P-{i}-{s}", sus, inv, "2024-02-01", court.name_fr])
            for c in (1, 2):
                charge = f"C-{i}-{s}-{c}"
                data["charges"].append([charge, f"P-{i}-{s}", "448.1", "sexual", c])
                data["decisions"].append([f"D-{i}-{s}-{c}", charge, "convicted", "2024-06-10"])
                data["sentences"].append([f"T-{i}-{s}-{c}", f"D-{i}-{s}-{c}", 12])
    return data


def _import(user, org, data, *, commit):
    with translation.override("en"):
        return services.import_file(
            workbook(data, readme=False),
            "register.xlsx",
            user=user,
            organisation=org,
            commit=commit,
            confirm_warnings=True,
        )[1]


def _queries(user, org, data, *, commit):
    with CaptureQueriesContext(connection) as queries:
        result = _import(user, org, data, commit=commit)
    return result, len(queries)


@pytest.mark.parametrize("commit", [False, True])
def test_a_register_costs_fewer_queries_a_row(users, orgs, figure, commit):
    """114 rows. Before the run's memo (00fc53d), on SQLite: 926 queries in the dry run, 923
    in the commit (8.1 a row): each row locked its investigation or prosecution again and
    read its register reference. With it: 662 / 659 (SQLite), 652 / 649 (PostgreSQL)."""
    data = register(6, orgs["court"])
    result, count = _queries(users["paula"], orgs["parquet"], data, commit=commit)
    assert result.errors == []
    assert result.total("created") == 114
    assert result.committed is commit
    figure(f"Issue 16: a register of 114 rows, {'commit' if commit else 'dry run'}: {count}")
    assert count <= 114 * 6


def test_the_rows_of_a_run_see_the_memo_and_nothing_else_does(users, orgs, monkeypatch):
    """A memo is made per run (engine.Context) and is active only while a row is written."""
    made, seen = [], []
    init = run.Memo.__init__

    def spy(self, user):
        made.append(self)
        init(self, user)

    original = actions.lock_writable

    def watch(user, investigation):
        seen.append(run.active())
        return original(user, investigation)

    monkeypatch.setattr(run.Memo, "__init__", spy)
    monkeypatch.setattr("himaya.justice.actions.suspects.lock_writable", watch)
    data = register(1, orgs["court"])
    assert _import(users["paula"], orgs["parquet"], data, commit=False).errors == []
    assert _import(users["paula"], orgs["parquet"], data, commit=True).committed
    assert len(made) == 2 and made[0] is not made[1]
    assert seen and all(m is not None for m in seen)
    assert {id(m) for m in seen} == {id(m) for m in made}
    assert run.active() is None
    # A page after the runs: no memo, the action reads and locks again.
    inv = jm.Investigation.objects.get(external_ref="E-0")
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        actions.lock_writable(users["paula"], inv)
    assert any("justice_investigation" in q["sql"] for q in queries)


def _investigation(users, orgs):
    return actions.open_investigation(
        acting_user=users["carol"],
        organisation=orgs["police"],
        opened_on=datetime.date(2024, 1, 10),
        external_ref="E-9",
    )


def test_a_memo_serves_its_own_user_only(users, orgs):
    """What carol's row locked as writable is not writable for cole (a court) in the same
    memo: cole is refused as a page refuses him, with the lock's own query."""
    inv = _investigation(users, orgs)
    memo = run.Memo(users["carol"])
    with transaction.atomic(), memo.row():
        first = actions.lock_writable(users["carol"], inv)
        with CaptureQueriesContext(connection) as queries:
            again = actions.lock_writable(users["carol"], inv)
        assert again == first and len(queries) == 0
        assert run.current(users["carol"]) is memo
        assert run.current(users["cole"]) is None
        with pytest.raises(PermissionDenied):
            actions.lock_writable(users["cole"], inv)


def test_a_refused_row_forgets_what_its_run_remembered(users, orgs):
    """A row rolled back to its savepoint released its locks and undid its writes: the memo
    forgets all it held, locks and references alike."""
    inv = _investigation(users, orgs)
    memo = run.Memo(users["carol"])
    with transaction.atomic():
        with pytest.raises(ValidationError), memo.row():
            actions.lock_writable(users["carol"], inv)
            assert memo.held
            raise ValidationError("refused")
        assert not memo.held and not memo.refs
        with memo.row(), CaptureQueriesContext(connection) as queries:
            actions.lock_writable(users["carol"], inv)
        assert any("justice_investigation" in q["sql"] for q in queries)


def test_a_reference_taken_by_a_row_is_refused_to_the_next(users, orgs):
    """The memo's register references stay those of the database: one given to a row is
    taken for the next row (same message as without the memo), one a refused row had asked
    for is free again."""
    inv = _investigation(users, orgs)
    memo = run.Memo(users["carol"])
    model, field, org = jm.SuspectEvent, "organisation", orgs["police"].pk
    memo.refs_read(model, field, org, {"X-1", "X-2"}, set())
    with transaction.atomic():
        with memo.row():
            actions.check_external_ref(model, field, org, "X-1")
        with pytest.raises(ValidationError) as refused, memo.row():
            actions.check_external_ref(model, field, org, "X-1")
        assert "Another record of this organisation has this reference." in str(refused.value)
        assert memo.refs == {}  # the refused row's memo was forgotten: read again if asked
    assert inv.pk


def test_an_investigation_edited_by_a_row_is_locked_again(users, orgs):
    """update/transfer/close lock the investigation by their own rule: the memo forgets it,
    the next row locks and reads it again."""
    inv = _investigation(users, orgs)
    memo = run.Memo(users["carol"])
    with transaction.atomic():
        with memo.row():
            actions.lock_writable(users["carol"], inv)
            actions.close_investigation(inv, acting_user=users["carol"], on=TODAY)
            assert not memo.held
            locked, _org = actions.lock_writable(users["carol"], inv)
        assert locked.status == jm.InvestigationStatus.CLOSED


def test_an_outsider_importing_on_a_record_they_see_but_may_not_write_is_refused(users, orgs):
    """cole, at the court, sees the investigation of a prosecution before his court, not its
    other writes: his arrest row is refused, in a run after paula's, as it was before."""
    data = register(1, orgs["court"])
    assert _import(users["paula"], orgs["parquet"], data, commit=True).committed
    arrests = {"arrests": [data["arrests"][0], ["A-X", "S-0-0", "E-0", "2024-01-20"]]}
    result = _import(users["cole"], orgs["court"], arrests, commit=False)
    assert [(e.sheet, e.row, e.message) for e in result.errors] == [
        ("arrests", 2, "You may not write this record for your organisation.")
    ]


def test_a_prosecution_whose_court_changes_is_locked_again(users, orgs):
    """Who may record decisions follows the court seized: once a row changes it, the memo
    forgets the prosecution (set_court, a transfer of jurisdiction)."""
    assert _import(users["paula"], orgs["parquet"], register(1, orgs["court"]), commit=True)
    prosecution = jm.Prosecution.objects.get(external_ref="P-0-0")
    memo = run.Memo(users["paula"])
    rule = access.prosecution_decide_q(users["paula"])
    with transaction.atomic(), memo.row():
        actions.lock_prosecution(users["paula"], prosecution, rule)
        assert run.current(users["paula"]).holding(jm.Prosecution, prosecution.pk, rule)
        actions.set_court(prosecution, acting_user=users["paula"], court=orgs["court"])
        assert memo.holding(jm.Prosecution, prosecution.pk, rule) is None


def test_a_memo_holds_the_records_its_latest_rows_locked_only(users):
    """A register's records are not all kept in memory: the least recently used one is let
    go (its next row locks it again)."""
    memo = run.Memo(users["paula"])
    for pk in range(run.HELD + 5):
        memo.hold(jm.Investigation, pk, "rule", object(), 1)
        if pk == run.HELD - 1:
            assert memo.holding(jm.Investigation, 0, "rule")  # used last: kept
    assert len(memo.held) == run.HELD
    assert memo.holding(jm.Investigation, 0, "rule") is not None
    assert memo.holding(jm.Investigation, 1, "rule") is None
    assert memo.holding(jm.Investigation, 5, "rule") is None
    assert memo.holding(jm.Investigation, 6, "rule") is not None
    assert memo.holding(jm.Investigation, run.HELD + 4, "rule") is not None
