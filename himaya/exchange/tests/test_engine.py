"""R2: the import engine is all-or-nothing and idempotent."""

import pytest
from django.db import transaction

from himaya.audit.models import AuditEvent
from himaya.exchange import reading, services
from himaya.justice import models as jm

from .helpers import csv_bytes, justice_counts, sheets, workbook

pytestmark = pytest.mark.django_db


def _import(users, orgs, data, commit, name="register.xlsx", user="paula", org="parquet", **kw):
    return services.run_import(
        data, name, user=users[user], organisation=orgs[org], commit=commit, **kw
    )[1]


def test_dry_run_checks_everything_and_writes_nothing(users, orgs):
    before = justice_counts()
    audit_before = AuditEvent.objects.count()
    result = _import(users, orgs, workbook(), commit=False)
    assert result.errors == []
    assert result.counts["investigations"]["created"] == 2
    assert result.counts["sentences"]["created"] == 1
    assert justice_counts() == before
    assert AuditEvent.objects.count() == audit_before


def test_commit_writes_every_record_through_the_actions(users, orgs):
    result = _import(users, orgs, workbook(), commit=True)
    assert result.committed, result.errors
    inv = jm.Investigation.objects.get(external_ref="E-2024-01")
    assert inv.investigating_org == orgs["parquet"]
    assert {f.code for f in inv.forms.all()} == {"sexual", "labour"}
    s2 = jm.Suspect.objects.get(external_ref="S2")
    assert s2.public_official and s2.official_body == "Commune de Tanger"
    assert s2.citizenship.code == "MA"
    assert set(s2.investigations.values_list("external_ref", flat=True)) == {
        "E-2024-01",
        "E-2024-02",
    }
    assert jm.Suspect.objects.get(external_ref="S1").given_name_ar == "كريم"
    charge = jm.Charge.objects.get(external_ref="C2")
    assert charge.article == "448.2" and charge.form.code == "labour"
    assert jm.CourtDecision.objects.get(external_ref="D2").outcome == "acquitted"
    assert jm.CourtDecision.objects.get(external_ref="D1").court == orgs["court"]
    sentence = jm.Sentence.objects.get(external_ref="T1")
    assert (sentence.prison_months, sentence.suspended_months, str(sentence.fine_mad)) == (
        60,
        12,
        "20000.00",
    )
    # Audited through the justice actions, for the importing organisation.
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"open_investigation", "create_suspect", "record_arrest", "start_prosecution"} <= actions
    assert {"add_charge", "record_decision", "record_sentence"} <= actions


def test_rerun_creates_no_duplicates_and_reports_unchanged(users, orgs, figure):
    data = workbook()
    assert _import(users, orgs, data, commit=True).committed
    after_first = justice_counts()
    audit = AuditEvent.objects.count()
    again = _import(users, orgs, data, commit=True)
    assert again.committed, again.errors
    assert again.total("created") == 0 and again.total("updated") == 0
    assert again.total("unchanged") == 13
    assert justice_counts() == after_first
    assert AuditEvent.objects.count() == audit  # nothing written, nothing audited
    figure("R2: re-run of a 13-record workbook → 0 duplicates, 0 updates, 13 unchanged")


def test_bad_row_rejects_the_file_and_writes_nothing(users, orgs, figure):
    data = sheets()
    data["suspects"][2][4] = "martian"  # an unknown sex
    data["verdicts"][1][3] = "31/02/2024"  # not a date
    data["charges"].append(["C3", "P9", "448.1", "sexual"])  # a prosecution nobody has
    before = justice_counts()
    result = _import(users, orgs, workbook(data), commit=True)
    assert not result.committed
    found = {(e.sheet, e.row, e.column) for e in result.errors}
    assert ("suspects", 3, "sex") in found
    assert ("verdicts", 2, "decided_on") in found
    assert ("charges", 4, "prosecution_ref") in found
    assert justice_counts() == before
    figure(
        f"R2: bad rows → file rejected with {len(result.errors)} row-level errors, 0 rows written"
    )


def test_an_action_refusal_late_in_the_file_rolls_back_everything(users, orgs):
    data = sheets()
    # A sentence on an acquittal: the justice action refuses it, after every other row passed.
    data["sentences"].append(["T2", "D2", "12", "0", ""])
    before = justice_counts()
    result = _import(users, orgs, workbook(data), commit=True)
    assert not result.committed
    assert [(e.sheet, e.row) for e in result.errors] == [("sentences", 3)]
    assert "conviction" in result.errors[0].message
    assert justice_counts() == before


def test_exception_mid_import_leaves_no_partial_rows(users, orgs):
    before = justice_counts()
    seen = []

    def crash(row):
        seen.append(row)
        if len(seen) == 6:
            raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        _import(users, orgs, workbook(), commit=True, on_row=crash)
    assert justice_counts() == before


def test_changed_rows_update_through_actions_or_are_refused(users, orgs):
    assert _import(users, orgs, workbook(), commit=True).committed
    data = sheets()
    data["enquêtes"][2][2] = "Rabat-Salé-Kénitra"  # a region: updated through the action
    data["suspects"][1][3] = "Karime"  # a name: updated through the action
    result = _import(users, orgs, workbook(data), commit=True)
    assert result.committed, result.errors
    assert result.counts["investigations"] == {"created": 0, "updated": 1, "unchanged": 1}
    assert result.counts["suspects"]["updated"] == 1
    assert (
        jm.Investigation.objects.get(external_ref="E-2024-02").region.code == "rabat_sale_kenitra"
    )
    assert jm.Suspect.objects.get(external_ref="S1").family_name_lat == "Karime"
    # A recorded fact (an arrest's date) is not overwritten: the file is refused.
    data["arrestations"][1][4] = "20/01/2024"
    before = justice_counts()
    result = _import(users, orgs, workbook(data), commit=True)
    assert not result.committed
    assert result.errors[0].sheet == "arrestations" and "2024-01-15" in result.errors[0].message
    assert justice_counts() == before


def test_csv_files_one_kind_each_semicolons_and_bom(users, orgs):
    inv = csv_bytes(
        [["ref", "opened_on", "forms"], ["E1", "01/03/2024", "sexual"]], sep=";", bom=True
    )
    result = _import(users, orgs, inv, commit=True, name="enquetes-2024.csv")
    assert result.committed, result.errors
    sus = csv_bytes(
        [
            ["ref", "investigation_ref", "family_name_lat", "public_official"],
            ["S1", "E1", "Doe", "0"],
        ],
        bom=False,
    )
    result = _import(users, orgs, sus, commit=True, name="export.csv", kind="suspects")
    assert result.committed, result.errors
    assert jm.Suspect.objects.get(external_ref="S1").investigations.get().external_ref == "E1"


def test_unknown_headers_sheets_and_duplicate_refs(users, orgs):
    data = {
        "enquêtes": [["ref", "opened_on", "colour"], ["E1", "2024-01-01", "red"]],
        "misc": [["a"], ["b"]],
    }
    result = _import(users, orgs, workbook(data), commit=False)
    messages = {(e.sheet, e.column) for e in result.errors}
    assert ("enquêtes", "colour") in messages and ("misc", "") in messages
    data = {"enquêtes": [["ref", "opened_on"], ["E1", "2024-01-01"], ["E1", "2024-01-02"]]}
    result = _import(users, orgs, workbook(data), commit=False)
    assert [(e.row, e.column) for e in result.errors] == [(3, "ref")]


def test_messages_in_the_users_language(users, orgs, settings):
    from django.utils import translation

    data = {"enquêtes": [["ref", "opened_on"], ["E1", "hier"]]}
    with translation.override("fr"):
        fr = _import(users, orgs, workbook(data), commit=False)
    with translation.override("en"):
        en = _import(users, orgs, workbook(data), commit=False)
    assert fr.errors[0].column == en.errors[0].column == "opened_on"
    assert "hier" in en.errors[0].message


def test_outsiders_write_nothing(users, orgs):
    # An NGO caseworker cannot open investigations: every row is refused, nothing written.
    before = justice_counts()
    result = _import(users, orgs, workbook(), commit=True, user="alice", org="ngo_a")
    assert not result.committed and result.errors
    assert justice_counts() == before


@pytest.mark.parametrize(
    "data",
    [
        b"<html><body><script>alert(1)</script></body></html>",
        b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>",
        b"ref,opened_on\nE1,2024-01-01\n" + b"PK\x03\x04" + b"\x00" * 20,
        b"\x89PNG\r\n\x1a\n\x00\x00",
        "ref;date\nE1;2024\n".encode("utf-16"),
        b"PK\x03\x04not really a zip",
        b"a" * (reading.MAX_BYTES + 1),
    ],
)
def test_files_that_are_not_registers_are_refused(data):
    with pytest.raises(reading.FileRefused):
        reading.sniff(data)


def test_a_zip_that_is_not_a_workbook_is_refused():
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("index.html", "<html></html>")
    with pytest.raises(reading.FileRefused):
        reading.sniff(out.getvalue())


def test_commit_is_one_transaction(users, orgs):
    """The engine runs inside the caller's transaction too (the command, the view)."""
    with transaction.atomic():
        result = _import(users, orgs, workbook(), commit=True)
    assert result.committed


def test_every_column_is_documented():
    from pathlib import Path

    from himaya.exchange.justice import KINDS

    doc = (Path(__file__).resolve().parents[3] / "docs" / "import.md").read_text()
    for kind in KINDS:
        assert f"### `{kind.key}`" in doc
        for column in kind.columns:
            assert f"| `{column.key}` |" in doc, column.key


def test_every_casework_column_is_documented():
    """The casework register's columns are documented too (several to a row)."""
    from pathlib import Path

    from himaya.exchange.casework import KINDS

    doc = (Path(__file__).resolve().parents[3] / "docs" / "import.md").read_text()
    casework = doc[doc.index("### `dossiers`") :]
    for kind in KINDS:
        assert f"### `{kind.key}`" in casework
        for column in kind.columns:
            assert f"`{column.key}`" in casework, (kind.key, column.key)


def test_columns_left_out_keep_the_recorded_values(users, orgs):
    assert _import(users, orgs, workbook(), commit=True).committed
    data = {
        "enquêtes": [["ref", "opened_on"], ["E-2024-01", "2024-01-12"]],
        "suspects": [["ref", "investigation_ref", "family_name_lat"], ["S1", "E-2024-01", "Karim"]],
        "arrestations": [
            ["ref", "suspect_ref", "investigation_ref", "date"],
            ["A1", "S1", "E-2024-01", "2024-01-15"],
        ],
    }
    result = _import(users, orgs, workbook(data), commit=True)
    assert result.committed, result.errors
    assert result.total("unchanged") == 3 and result.total("updated") == 0
    inv = jm.Investigation.objects.get(external_ref="E-2024-01")
    assert inv.forms.count() == 2
    assert jm.Suspect.objects.get(external_ref="S1").given_name_ar == "كريم"


def test_the_kind_of_an_officials_body_is_read_as_code_or_label_in_any_language(users, orgs):
    """The kind of body (code list public_body) is taken as its code or its label in Arabic,
    French or English; left empty, the kind the body's name says; unknown, an error on its row
    and column, nothing written; exported as its code, and re-imported unchanged."""
    header = ["ref", "investigation_ref", "family_name_lat", "agent public", "type d'organisme"]
    header.append("organisme")
    data = {
        "enquêtes": [["ref", "opened_on"], ["E-9", "2024-01-12"]],
        "suspects": [
            header,
            ["K1", "E-9", "Un", "oui", "إدارة الجمارك", "ميناء طنجة المتوسط"],
            ["K2", "E-9", "Deux", "oui", "Gendarmerie royale", ""],
            ["K3", "E-9", "Trois", "oui", "local_authority", "Caïdat"],
            ["K4", "E-9", "Quatre", "oui", "", "Douane de Nador"],
        ],
    }
    result = _import(users, orgs, workbook(data), commit=True)
    assert result.committed, result.errors
    kinds = {
        s.external_ref: (s.official_body_type.code, s.official_body)
        for s in jm.Suspect.objects.filter(external_ref__startswith="K")
    }
    assert kinds == {
        "K1": ("customs", "ميناء طنجة المتوسط"),
        "K2": ("gendarmerie", ""),
        "K3": ("local_authority", "Caïdat"),
        "K4": ("customs", "Douane de Nador"),
    }
    again = _import(users, orgs, workbook(data), commit=True)
    assert again.committed and again.total("updated") == 0, again.errors
    bad = {**data, "suspects": [header, ["K5", "E-9", "Cinq", "oui", "ministère", ""]]}
    before = jm.Suspect.objects.count()
    result = _import(users, orgs, workbook(bad), commit=True)
    assert not result.committed
    assert [(e.sheet, e.column) for e in result.errors] == [("suspects", "official_body_type")]
    assert jm.Suspect.objects.count() == before


def test_text_that_looks_like_a_formula_is_exported_as_text(users, orgs):
    import io

    from openpyxl import load_workbook

    from himaya.exchange import export

    assert _import(users, orgs, workbook(), commit=True).committed
    formula = '=HYPERLINK("http://example.org","x")'
    jm.Suspect.objects.filter(external_ref="S1").update(family_name_lat=formula)
    wb = load_workbook(io.BytesIO(export.export_workbook(users["paula"])))
    column = next(c for c in wb["suspects"].iter_cols() if c[0].value == "family_name_lat")
    cell = next(c for c in column if c.value == formula)
    assert cell.data_type == "s"


def test_police_register_then_prosecution_register(users, orgs):
    """The police import their investigation (transferred to the prosecution office) and its
    suspects; the office then imports its prosecutions naming the police's references."""
    police = {
        "enquêtes": [
            ["ref", "opened_on", "forms", "status", "status_on", "prosecution_office"],
            ["PJ-7", "2024-01-05", "sexual", "transferred", "2024-02-01", "Parquet de Tanger"],
        ],
        "suspects": [["ref", "investigation_ref", "family_name_lat"], ["X1", "PJ-7", "Doe"]],
        "arrests": [
            ["ref", "suspect_ref", "investigation_ref", "date"],
            ["AR-1", "X1", "PJ-7", "2024-01-06"],
        ],
    }
    result = _import(users, orgs, workbook(police), commit=True, user="carol", org="police")
    assert result.committed, result.errors
    inv = jm.Investigation.objects.get(external_ref="PJ-7")
    assert inv.status == "transferred" and inv.prosecution_office == orgs["parquet"]
    parquet = {
        "prosecutions": [
            ["ref", "suspect_ref", "investigation_ref", "started_on"],
            ["2024/55", "X1", "PJ-7", "2024-02-10"],
        ],
        "charges": [
            ["ref", "prosecution_ref", "article", "form"],
            ["CH-1", "2024/55", "448.1", "sexual"],
        ],
    }
    result = _import(users, orgs, workbook(parquet), commit=True)
    assert result.committed, result.errors
    p = jm.Prosecution.objects.get(external_ref="2024/55")
    assert p.investigation == inv and p.office == orgs["parquet"]
    # The police cannot start prosecutions: refused row by row, nothing written.
    parquet["prosecutions"][1][0] = "2024/56"
    result = _import(users, orgs, workbook(parquet), commit=True, user="carol", org="police")
    assert not result.committed
    assert result.errors[0].sheet == "prosecutions"


def test_an_unexpected_fault_is_a_row_error_not_a_crash(users, orgs, monkeypatch):
    from himaya.exchange.justice import kind_by_key

    def broken(ctx, values):
        raise TypeError("a bug")

    monkeypatch.setattr(kind_by_key("charges").writer, "create", broken)
    before = justice_counts()
    result = _import(users, orgs, workbook(), commit=True)
    assert not result.committed
    assert {(e.sheet, e.row) for e in result.errors} >= {("charges", 2), ("charges", 3)}
    assert justice_counts() == before
