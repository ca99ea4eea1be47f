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


def test_a_select_reads_its_codes_once_and_again_when_a_code_changes(db):
    """The codes a select offers are kept with the code lists: a second render reads nothing,
    each language keeps its own order, and a code deactivated in this process leaves the next
    render at once (the other processes within codelabels.SECONDS)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from himaya.core import codelabels
    from himaya.people.forms import CodeMultipleField

    def offered():  # a form's field, as each request builds it
        field = CodeMultipleField(Code.objects.of("country"), required=False)
        return [str(value) for value, _label in field.choices]

    with translation.override("fr"):
        first = offered()
        with CaptureQueriesContext(connection) as again:
            assert offered() == first
    assert len(again) == 0
    assert first == [
        str(c.pk) for c in codelabels.code_models.in_reading_order(Code.objects.of("country"), "fr")
    ]
    with translation.override("ar"):
        arabic = offered()
    assert sorted(arabic) == sorted(first) and arabic != first  # another reading order
    gone = Code.objects.get(list="country", code="FR")
    gone.active = False
    gone.save()
    with translation.override("fr"):
        assert str(gone.pk) not in offered()
        assert len(offered()) == len(first) - 1


def test_a_select_of_codes_filtered_through_another_table_is_read_each_time(db):
    """Only a query of the code table alone is kept: one that reads another table (here the
    codes some person holds) may change with that table, so it is read again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from himaya.people.forms import CodeMultipleField
    from himaya.people.models import Person

    through = Person.citizenships.through.objects.values("code_id")

    def offered():
        held = Code.objects.of("country").filter(pk__in=through)
        return [value for value, _label in CodeMultipleField(held, required=False).choices]

    offered()
    with CaptureQueriesContext(connection) as again:
        offered()
    assert len(again) == 1
