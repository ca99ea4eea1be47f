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
