"""A cell is read whole or the file is refused, never cut: the reader cut every cell to 2,000
characters without a word, so a decision's reasons of 3,000 characters (the field holds 5,000)
were stored cut, and one of 6,000 was stored cut instead of being refused on its row."""

import pytest
from django.utils import translation

from himaya.cases.models import IdentificationDecision
from himaya.exchange import reading, services

from .casework_data import casework, check
from .helpers import csv_bytes

pytestmark = pytest.mark.django_db


def _decisions(reasons):
    data = casework()
    data = {"dossiers": data["dossiers"][:2], "décisions": data["décisions"][:2]}
    data["décisions"][1][5] = reasons
    return data


def test_a_long_cell_within_its_field_limit_is_imported_whole(users, orgs):
    reasons = "Entretien détaillé. " * 150  # 3,000 characters
    run, result = check(users["alice"], orgs["ngo_a"], _decisions(reasons))
    assert result.ok, result.errors
    assert services.commit_run(run, user=users["alice"]).committed
    stored = IdentificationDecision.objects.get()
    assert stored.reasons == reasons.strip() and len(stored.reasons) == 2999


def test_a_cell_over_its_field_limit_is_a_row_error_not_cut(users, orgs):
    with translation.override("en"):
        _run, result = check(users["alice"], orgs["ngo_a"], _decisions("x" * 6000))
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("décisions", 2, "reasons")]
    assert "5000" in result.errors[0].message
    assert IdentificationDecision.objects.count() == 0


def test_a_cell_longer_than_a_spreadsheet_cell_can_be_refuses_the_file():
    data = csv_bytes([["ref", "reasons"], ["D-1", "y" * (reading.MAX_CELL + 1)]])
    with translation.override("en"), pytest.raises(reading.FileRefused) as refused:
        reading.read(data, "long.csv")
    assert str(refused.value) == "Row 2 has a cell longer than 32767 characters."
    whole = csv_bytes([["ref", "reasons"], ["D-1", "y" * reading.MAX_CELL]])
    _fmt, (sheet,) = reading.read(whole, "long.csv")
    assert len(sheet.rows[0][1][1]) == reading.MAX_CELL
