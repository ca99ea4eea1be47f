"""The analyst's de-identified export and the CTDC extract cover the whole country: they read the
dossiers a chunk at a time in a constant number of queries per chunk (one query per dossier made
a 100k-dossier export take minutes), hold one chunk in memory, and neither read nor decrypt the
identity and free text they do not write."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from himaya.cases.models import Dossier
from himaya.core import crypto
from himaya.exchange.htcds import ctdc, export

from .test_htcds_export import caseload, imported
from .test_htcds_helpers import filled
from .test_htcds_import import ngo_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def _more(users, orgs, times):
    """``times`` more pairs of cases, recorded by another NGO under other names."""
    rows = []
    for i in range(times):
        for row in ngo_rows():
            row = {**row}
            for key in ("First Name", "prs_FirstName"):
                if key in row:
                    row[key] = f"{row[key].strip()}{'abcdefgh'[i]}"
            rows.append(row)
    imported(users["bob"], orgs["ngo_b"], filled(rows), name="more.xlsx")


def _queries(build):
    with CaptureQueriesContext(connection) as queries:
        build()
    return len(queries)


EXPORTS = {
    "identified": lambda: export.rows(Dossier.objects.all(), identified=True),
    "de-identified": lambda: export.rows(Dossier.objects.all(), identified=False),
    "CTDC": lambda: ctdc.build(Dossier.objects.all()),
}


@pytest.mark.parametrize("name", list(EXPORTS))
def test_queries_do_not_grow_with_the_dossiers(users, orgs, name):
    caseload(users, orgs)
    few = _queries(EXPORTS[name])
    _more(users, orgs, 3)
    assert Dossier.objects.count() == 8
    assert _queries(EXPORTS[name]) == few


@pytest.mark.parametrize("name", list(EXPORTS))
def test_chunks_give_what_one_read_gives(users, orgs, monkeypatch, name):
    caseload(users, orgs)
    _more(users, orgs, 2)
    whole = EXPORTS[name]()
    monkeypatch.setattr(export, "CHUNK", 2)
    in_chunks = _queries(EXPORTS[name])
    assert EXPORTS[name]() == whole
    monkeypatch.setattr(export, "CHUNK", 1000)
    assert in_chunks > _queries(EXPORTS[name])  # it did read three chunks


def test_what_is_not_written_is_not_decrypted(users, orgs, monkeypatch):
    caseload(users, orgs)
    decrypted = []
    real = crypto.decrypt

    def counted(token):
        decrypted.append(token)
        return real(token)

    monkeypatch.setattr(crypto, "decrypt", counted)
    EXPORTS["de-identified"]()
    EXPORTS["CTDC"]()
    assert decrypted == []
    EXPORTS["identified"]()
    assert decrypted  # the caseworker's own export carries the names
