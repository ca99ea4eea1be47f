"""Code lists are data with labels in three languages and HTCDS mappings."""

import io

from django.core.management import call_command

from himaya.core.models import Code, CodeList


def test_every_list_is_loaded_with_three_labels(db):
    for code_list in CodeList.values:
        codes = Code.objects.of(code_list)
        assert codes.exists(), code_list
    assert not Code.objects.filter(label_ar="").exists()
    assert not Code.objects.filter(label_fr="").exists()
    assert Code.objects.get(list="language", code="ary").label_ar == "الدارجة المغربية"
    assert Code.objects.get(list="country", code="CI").label_fr == "Côte d’Ivoire"


def test_forms_of_exploitation_follow_the_domain_hierarchy(db):
    begging = Code.objects.get(list="exploitation_form", code="begging")
    assert begging.parent.code == "labour" and begging.tip == "labour"
    assert begging.htcds == "ForcedBegging"
    assert Code.objects.get(list="exploitation_form", code="sexual").tip == "sex"
    assert Code.objects.of("region").count() == 12


def test_synccodes_is_idempotent_and_restores_shipped_labels(db):
    Code.objects.filter(list="sex", code="female").update(label_fr="changed")
    out = io.StringIO()
    call_command("synccodes", stdout=out)
    assert "0 created, 1 updated" in out.getvalue()
    assert Code.objects.get(list="sex", code="female").label_fr == "féminin"
    call_command("synccodes", stdout=out)
    assert "0 created, 0 updated" in out.getvalue()


def test_the_codes_kept_per_process_are_read_again_after_their_seconds(db, monkeypatch):
    """core.codelabels keeps the codes SECONDS on its clock; the suite stops that clock per test
    (conftest.empty_cache), so a slow test never reads them again. Moved by hand here, the
    clock shows the expiry that other processes rely on."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from himaya.core import codelabels

    now = [1000.0]
    monkeypatch.setattr(codelabels, "clock", lambda: now[0])
    codelabels.forget()
    codelabels.by_id()
    with CaptureQueriesContext(connection) as kept:
        now[0] += codelabels.SECONDS - 1
        codelabels.by_id()
    with CaptureQueriesContext(connection) as expired:
        now[0] += 2
        fresh = codelabels.by_id()
    assert len(kept) == 0
    assert len(expired) == 1
    assert fresh[Code.objects.get(list="sex", code="female").pk].code == "female"


def test_the_suite_stops_the_codes_clock_for_each_test(db):
    """A test that runs longer than SECONDS on a loaded machine reads the codes once all the
    same (the statistics home panel's query count differed so, 19 against 20)."""
    from himaya.core import codelabels

    first = codelabels.clock()
    assert codelabels.clock() == first
