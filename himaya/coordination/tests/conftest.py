"""Coordination fixtures: a ministry with its focal point (fatima), a focal point of the police
(pierre), the commission's analyst (ana, from the shared users), a small plan."""

import datetime

import pytest

from himaya.coordination import actions
from himaya.testing import factories as f

TODAY = datetime.date(2025, 6, 15)


@pytest.fixture
def ministry(orgs):
    return f.OrganisationFactory(
        name_fr="Ministère de la Justice",
        name_ar="وزارة العدل",
        name_en="Ministry of Justice",
        type=f.code("org_type", "central_government"),
    )


@pytest.fixture
def fatima(ministry):
    return f.member(f.UserFactory(username="fatima"), ministry, "focal_point")


@pytest.fixture
def pierre(orgs):
    return f.member(f.UserFactory(username="pierre"), orgs["police"], "focal_point")


@pytest.fixture
def plan(users, orgs, ministry):
    ana = users["ana"]
    plan = actions.do_create_plan(
        acting_user=ana, start_year=2023, end_year=2030, title_fr="Plan national 2023-2030"
    )
    axis = actions.do_add_axis(plan, acting_user=ana, title_fr="Protection", title_ar="الحماية")
    objective = actions.do_add_objective(axis, acting_user=ana, title_fr="Identifier les victimes")
    measure = actions.do_add_measure(
        objective,
        acting_user=ana,
        title_fr="Former les magistrats",
        title_ar="تكوين القضاة",
        title_en="Train judges",
        lead_agency=ministry,
        partners=[orgs["parquet"], orgs["police"]],
        budget_line="BG-12",
        deadline=datetime.date(2025, 12, 31),
        on=datetime.date(2023, 2, 1),
    )
    return {"plan": plan, "axis": axis, "objective": objective, "measure": measure}
