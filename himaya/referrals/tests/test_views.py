"""Pages: directory, bed board, provider and facility management, inbox, support to NGOs,
dossier panel; outsiders get 404 and change nothing."""

import pytest
from django.urls import reverse
from django.utils import timezone

from himaya.referrals.models import Facility, NgoSupport, Provider
from himaya.testing import factories as f

from .conftest import refer

pytestmark = pytest.mark.django_db


def test_directory_filters_and_free_beds(orgs, users, shelter_setup, login):
    c = login(users["alice"])
    page = c.get(reverse("referrals:directory"), {"service": "shelter"}).content.decode()
    assert "Dar Amane shelter" in page and "NGO B" not in page
    assert 'data-testid="free-beds"' in page
    page = c.get(reverse("referrals:directory"), {"service": "legal_aid"}).content.decode()
    assert "NGO B" in page and "Dar Amane shelter" not in page
    assert c.get(reverse("referrals:directory"), {"region": "999999999999"}).status_code == 200
    assert login(users["charlie"]).get(reverse("referrals:directory")).status_code == 404


def test_bed_board(orgs, users, shelter_setup, login):
    page = login(users["bob"]).get(reverse("referrals:beds")).content.decode()
    assert "Casablanca-Settat" in page and "Dar Amane" in page
    assert login(users["charlie"]).get(reverse("referrals:beds")).status_code == 404


def test_provider_and_facility_management(orgs, users, login):
    sam = login(users["sam"])
    org = orgs["shelter"]
    resp = sam.post(
        reverse("referrals:provider_edit", args=[org.pk]),
        {
            "services": ["shelter", "psychosocial"],
            "groups": ["women"],
            "contact": "05 22",
            "accepts": "on",
            "regions": [f.code("region", "casablanca_settat").pk],
        },
    )
    assert resp.status_code == 302
    provider = Provider.objects.get(organisation=org)
    assert provider.services == ["shelter", "psychosocial"] and provider.contact == "05 22"
    resp = sam.post(
        reverse("referrals:facility_new", args=[org.pk]),
        {
            "name_fr": "Dar",
            "region": f.code("region", "casablanca_settat").pk,
            "beds_women": 3,
            "beds_men": 0,
            "beds_children": 0,
            "beds_families": 0,
        },
    )
    assert resp.status_code == 302
    facility = Facility.objects.get()
    # no beds at all: a form error
    resp = sam.post(
        reverse("referrals:facility_edit", args=[facility.pk]),
        {
            "name_fr": "Dar",
            "region": f.code("region", "casablanca_settat").pk,
            "beds_women": 0,
            "beds_men": 0,
            "beds_children": 0,
            "beds_families": 0,
            "version": facility.version,
        },
    )
    assert resp.status_code == 400
    # other organisations cannot manage it
    for name in ("alice", "charlie"):
        c = login(users[name])
        assert c.get(reverse("referrals:provider_edit", args=[org.pk])).status_code == 404
        assert (
            c.post(
                reverse("referrals:facility_edit", args=[facility.pk]), {"name_fr": "x"}
            ).status_code
            == 404
        )
    facility.refresh_from_db()
    assert facility.beds_women == 3 and facility.name == "Dar"


def test_inbox_and_dossier_panel(orgs, users, shelter_setup, consented_dossier, login):
    r = refer(users, orgs, consented_dossier)
    page = login(users["sam"]).get(reverse("referrals:inbox")).content.decode()
    assert consented_dossier.reference in page
    page = login(users["bob"]).get(reverse("referrals:inbox")).content.decode()
    assert consented_dossier.reference not in page
    page = (
        login(users["alice"])
        .get(reverse("cases:detail", args=[consented_dossier.pk]))
        .content.decode()
    )
    assert (
        'data-testid="referrals-panel"' in page and reverse("referrals:detail", args=[r.pk]) in page
    )
    assert login(users["charlie"]).get(reverse("referrals:inbox")).status_code == 404


def test_support_recorded_by_public_bodies_only(orgs, users, login):
    data = {
        "giver": orgs["commission"].pk,
        "receiver": orgs["ngo_a"].pk,
        "on": str(timezone.localdate()),
        "kind": "financial",
        "amount_mad": "10000",
        "purpose": "Shelter running costs",
    }
    assert login(users["alice"]).post(reverse("referrals:support_add"), data).status_code == 404
    ana = login(users["ana"])
    assert ana.post(reverse("referrals:support_add"), data | {"amount_mad": ""}).status_code == 400
    assert ana.post(reverse("referrals:support_add"), data).status_code == 302
    assert NgoSupport.objects.count() == 1
    assert (
        "Shelter running costs"
        in login(users["alice"]).get(reverse("referrals:support")).content.decode()
    )
    assert (
        "Shelter running costs"
        not in login(users["bob"]).get(reverse("referrals:support")).content.decode()
    )


def test_provider_page(orgs, users, shelter_setup, login):
    page = login(users["alice"]).get(reverse("referrals:provider", args=[orgs["shelter"].pk]))
    assert page.status_code == 200 and b"Dar Amane" in page.content
    assert b'data-testid="edit-provider"' not in page.content
    page = login(users["sam"]).get(reverse("referrals:provider", args=[orgs["shelter"].pk]))
    assert b'data-testid="edit-provider"' in page.content
    assert (
        login(users["charlie"])
        .get(reverse("referrals:provider", args=[orgs["shelter"].pk]))
        .status_code
        == 404
    )
    assert (
        login(users["alice"]).get(reverse("referrals:provider", args=[999999])).status_code == 404
    )


def test_transfer_pages(orgs, users, consented_dossier, login):
    from himaya.referrals.models import DossierTransfer

    d = consented_dossier
    url = reverse("referrals:transfer", args=[d.pk])
    assert login(users["bob"]).get(url).status_code == 404
    alice = login(users["alice"])
    ok = {"to_org": orgs["ngo_b"].pk, "reason": "Moved", "confirm": "on"}
    assert alice.post(url, ok | {"reason": ""}).status_code == 400
    assert alice.post(url, ok).status_code == 302
    t = DossierTransfer.objects.get()
    bob = login(users["bob"])
    assert "transfer" in bob.get(reverse("referrals:inbox")).content.decode()
    assert (
        login(users["carol"])
        .post(reverse("referrals:transfer_answer", args=[t.pk]), {"answer": "accept"})
        .status_code
        == 404
    )
    bob.post(reverse("referrals:transfer_answer", args=[t.pk]), {"answer": "decline"})
    t.refresh_from_db()
    d.refresh_from_db()
    assert t.status == "declined" and d.owner_org == orgs["ngo_a"]


def test_the_transfer_says_what_is_lost_and_asks_for_confirmation(
    orgs, users, consented_dossier, login
):
    """A transfer is not a referral (issue 15): the dossier page calls it a transfer, the page
    says that the organisation loses the dossier, asks to confirm, keeps what was typed and can be
    left by a cancel link."""
    from himaya.referrals.models import DossierTransfer

    d = consented_dossier
    url = reverse("referrals:transfer", args=[d.pk])
    alice = login(users["alice"])
    dossier_page = alice.get(reverse("cases:detail", args=[d.pk])).content.decode()
    assert f'href="{url}" data-testid="transfer">Transfer the dossier</a>' in dossier_page
    page = alice.get(url).content.decode()
    assert 'data-testid="transfer-warning"' in page
    assert "no longer sees the dossier" in page
    assert f'href="{reverse("cases:detail", args=[d.pk])}" data-testid="transfer-cancel"' in page
    response = alice.post(url, {"to_org": orgs["ngo_b"].pk, "reason": "The person moved to Fes"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tick the box to confirm the transfer." in html
    assert "The person moved to Fes" in html
    assert not DossierTransfer.objects.exists()
