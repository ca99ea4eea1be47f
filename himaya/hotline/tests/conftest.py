import datetime

import pytest
from django.utils import timezone

from himaya.hotline import actions
from himaya.testing import factories as f


def make_report(user, org, **fields):
    """A report taken by ``user`` for ``org``; ``ago``: how long ago it was received."""
    ago = fields.pop("ago", datetime.timedelta(0))
    forms = [f.code("exploitation_form", c) for c in fields.pop("forms", ())]
    fields.setdefault("channel", "call")
    fields.setdefault("caller_type", "witness")
    fields.setdefault("urgency", "normal")
    fields.setdefault("narrative", "Une femme est enfermée dans un appartement à Salé.")
    fields.setdefault("received_at", timezone.now() - ago)
    return actions.record_report(acting_user=user, organisation=org, forms=forms, **fields)


def make_tip(**fields):
    fields.setdefault("narrative", "Des enfants mendient pour un homme près de la gare.")
    fields.setdefault("urgency", "urgent")
    return actions.submit_tip(**fields)


@pytest.fixture
def report(users, orgs):
    return make_report(
        users["harry"],
        orgs["hotline"],
        region=f.code("region", "rabat_sale_kenitra"),
        city="Salé",
        possible_victims="Amina, 17 ans",
        suspects="Le propriétaire",
        reporter_contact="0661000000",
        forms=("domestic_servitude",),
    )


@pytest.fixture
def tip(db):
    return make_tip()
