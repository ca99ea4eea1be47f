"""The dossier page reads its codes (forms with their parents, the HTCDS code sets, the
person's citizenships, the decision statuses of the next step) without a query per field: one
query per record for the chosen codes, the codes themselves kept per process
(core.codelabels). Its queries do not grow with the codes chosen."""

import pytest
from django.urls import reverse

from himaya.cases import actions as case_actions
from himaya.core.models import Code
from himaya.testing import factories as f
from himaya.testing.queries import PageQueries

pytestmark = pytest.mark.django_db

CODE_SETS = {
    "industries": "industry",
    "recruitment_methods": "recruitment_method",
    "control_methods": "control_method",
    "sex_exploitation_types": "sex_exploitation",
    "vulnerabilities": "vulnerability",
}


def first(code_list, n, **filters):
    return list(Code.objects.of(code_list).filter(**filters).order_by("sort", "code")[:n])


def dossier_with(users, orgs, n):
    """A dossier of alice's NGO with n codes in every set, n sub-forms and n citizenships."""
    alice = users["alice"]
    person = f.person(alice, orgs["ngo_a"], citizenships=first("country", n))
    return case_actions.open_dossier(
        person,
        acting_user=alice,
        organisation=orgs["ngo_a"],
        forms=first("exploitation_form", n, parent__isnull=False),
        **{name: first(code_list, n) for name, code_list in CODE_SETS.items()},
    )


def visit(client, dossier):
    url = reverse("cases:detail", args=[dossier.pk])
    with PageQueries() as queries:
        response = client.get(url)
    assert response.status_code == 200
    return queries.sql, response.content.decode()


def test_the_codes_cost_no_query_per_field_nor_per_code(users, orgs, login):
    client = login(users["alice"])
    one, three = dossier_with(users, orgs, 1), dossier_with(users, orgs, 3)
    visit(client, one)  # the process reads the codes once
    sql_one, _page = visit(client, one)
    sql_three, page = visit(client, three)
    assert len(sql_three) == len(sql_one)
    assert not any('FROM "core_code"' in q for q in sql_three)
    # Every chosen code is on the page, forms under their parent.
    for name in ("forms", *CODE_SETS):
        for code in getattr(three, name).all():
            assert code.label in page, (name, code.code)
    for code in first("exploitation_form", 3, parent__isnull=False):
        assert f"{code.parent.label} › {code.label}" in page
    for code in first("country", 3):
        assert code.label in page


def test_a_code_renamed_shows_at_once(users, orgs, login):
    client = login(users["alice"])
    dossier = dossier_with(users, orgs, 1)
    [industry] = dossier.industries.all()
    visit(client, dossier)
    industry.label_en = "Renamed industry"
    industry.save(update_fields=["label_en"])
    assert "Renamed industry" in visit(client, dossier)[1]


def test_the_identity_only_code_sets_are_not_read_without_the_identity(users, orgs, login):
    """A partner that sees the dossier without the identity gets neither the sexual
    exploitation types nor the vulnerabilities (S5), and no query reads their links."""
    dossier = dossier_with(users, orgs, 1)
    case_actions.grant_access(
        dossier,
        acting_user=users["alice"],
        organisation=orgs["ngo_b"],
        reason="Shared without the identity.",
        with_identity=False,
    )
    sql, page = visit(login(users["bob"]), dossier)
    assert not any("sex_exploitation_types" in q or "vulnerabilities" in q for q in sql)
    assert 'data-testid="vulnerabilities"' not in page
    assert 'data-testid="industries"' in page
