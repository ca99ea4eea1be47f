"""Regression tests of the security and robustness review of screening (issue 3): each pins a
defect the review proved, fixed in the app."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from himaya.screening import actions, figures
from himaya.screening.models import Campaign
from himaya.testing import factories as f

from .test_actions import campaign

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def campaign_payload(**overrides):
    payload = {
        "name_fr": "Port de Tanger",
        "region": "tanger_tetouan_al_hoceima",
        "starts_on": TODAY().isoformat(),
        "ends_on": TODAY().isoformat(),
        "target_group": "irregular_migrants",
    }
    payload.update(overrides)
    return payload


@pytest.mark.parametrize(
    "dates, field",
    [
        ({"starts_on": "0001-01-01", "ends_on": "9999-12-31"}, "starts_on"),
        ({"ends_on": "9999-12-31"}, "ends_on"),
    ],
)
def test_the_api_refuses_campaign_years_the_page_refuses(users, login, dates, field):
    """The page said "Check the year." for a campaign starting more than 50 years away; the
    API stored a campaign of 0001 to 9999, counted in the screening figures of every year.
    The rule now lives in the action, for both."""
    response = login(users["carol"]).post(
        "/api/campaigns/", campaign_payload(**dates), content_type="application/json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Campaign.objects.exists()
    assert figures.campaigns(1990) == []


def test_the_action_refuses_them_on_update_too(users, orgs):
    c = campaign(users["carol"], orgs["police"])
    with pytest.raises(ValidationError) as caught:
        actions.update_campaign(
            c,
            acting_user=users["carol"],
            expected_version=c.version,
            ends_on=datetime.date(9999, 12, 31),
        )
    assert "ends_on" in caught.value.message_dict
    c.refresh_from_db()
    assert c.ends_on == TODAY() + datetime.timedelta(days=10)


def test_the_page_says_it_for_the_end_too(users, orgs, login):
    client = login(users["carol"])
    response = client.post(
        reverse("screening:campaign_create"),
        {
            **campaign_payload(ends_on="9999-12-31"),
            "region": f.code("region", "tanger_tetouan_al_hoceima").pk,
            "status": "active",
            "organisation": orgs["police"].pk,
        },
    )
    assert response.status_code == 400
    assert "ends_on" in response.context["form"].errors
    assert not Campaign.objects.exists()
