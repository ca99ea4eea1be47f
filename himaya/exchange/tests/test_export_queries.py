"""The justice registers' export (a secure archive of what the user sees) reads each sheet in a
constant number of queries, whatever the records: a query per suspect once made the export of a
year's register grow with it (the suspects' investigation links)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from himaya.exchange import export
from himaya.justice import models as jm

from .test_roundtrip import _investigation

pytestmark = pytest.mark.django_db


def _queries(user):
    with CaptureQueriesContext(connection) as queries:
        sheets = export.export_rows(user)
    return len(queries), {kind.key: len(rows) for kind, rows in sheets}


def test_the_registers_export_does_not_grow_with_the_records(users, orgs):
    paula = users["paula"]
    _investigation(paula, orgs["parquet"])
    few, counted = _queries(paula)
    for _ in range(3):
        _investigation(paula, orgs["parquet"])
    assert jm.Suspect.objects.count() == 8
    more, counted_more = _queries(paula)
    assert counted_more["suspects"] == 4 * counted["suspects"] == 8
    assert counted_more["arrests"] == 4 * counted["arrests"] > 0
    assert more == few
