"""The stage form preselects the next stage of the ordinary path, never a step back or a jump
(issue 15): what the browser submits when the user only picks a date."""

import pytest
from django.urls import reverse

from himaya.cases import actions
from himaya.cases.forms import StageForm
from himaya.cases.models import Stage
from himaya.testing import factories as f

pytestmark = pytest.mark.django_db

NEXT = {
    Stage.SCREENING: Stage.PRESUMED,
    Stage.PRESUMED: Stage.IDENTIFIED,
    Stage.IDENTIFIED: Stage.ASSISTED,
    Stage.ASSISTED: Stage.CLOSED,
}


@pytest.mark.parametrize("current", list(Stage))
def test_the_preselected_stage_is_the_next_ordinary_one(current):
    form = StageForm(moves=actions.allowed_moves(current))
    choices = [value for value, _label in form.fields["stage"].choices]
    selected = form["stage"].value()
    if current in NEXT:
        assert selected == NEXT[current].value
        assert not actions.allowed_moves(current)[NEXT[current]]  # needs no reason
        assert "" not in choices
    else:  # an end stage: every move needs a reason, nothing is chosen for the user
        assert selected is None and choices[0] == ""
        html = str(form["stage"])
        assert html.count(" selected") == 1 and 'value="" selected' in html


def test_the_dossier_page_preselects_identified_for_a_presumed_victim(login, users, orgs):
    alice = users["alice"]
    d = f.dossier(alice, orgs["ngo_a"])
    actions.change_stage(d, acting_user=alice, stage=Stage.PRESUMED)
    page = login(alice).get(reverse("cases:detail", args=[d.pk])).content.decode()
    assert '<option value="identified" selected>' in page
    assert '<option value="screening" selected>' not in page
