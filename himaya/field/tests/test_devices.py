"""Field devices: enrolment with ODK Collect's settings QR code, who sees and revokes what,
the XLSForm download, and a device token walked over every route of the project (S1/S3)."""

import base64
import io
import json
import zlib

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from himaya.accounts.middleware import PUBLIC_URL_NAMES
from himaya.audit.models import AuditEvent
from himaya.field import actions
from himaya.field.models import FieldDevice
from himaya.field.views.devices import collect_settings
from himaya.screening.models import Questionnaire
from himaya.testing.routes import all_routes

from . import helpers as h


@pytest.fixture
def device(users, orgs):
    return actions.enrol_device(
        acting_user=users["alice"],
        user=users["alice"],
        organisation=orgs["ngo_a"],
        name="phone 1",
        days=30,
    )


def test_a_device_token_opens_nothing_outside_openrosa(device, figure):
    """As the phone sends it (Basic) on every route; as the API's token schemes too (Bearer,
    Token) on the API's routes. The public allow-list answers anyone, token or not."""
    dev, token = device
    basic = Client(**h.basic(dev.username, token))
    api_clients = [
        Client(HTTP_AUTHORIZATION=f"Bearer {token}"),
        Client(HTTP_AUTHORIZATION=f"Token {token}"),
    ]
    routes = list(all_routes())
    answered, requests, openrosa_ok = [], 0, 0
    for name, path in routes:
        clients = [basic, *api_clients] if path.startswith("/api/") else [basic]
        for client in clients:
            for method in ("get", "post"):
                status = getattr(client, method)(path).status_code
                requests += 1
                if path.startswith("/openrosa/"):
                    openrosa_ok += status < 300
                elif status < 300 and name not in PUBLIC_URL_NAMES:
                    answered.append((method, name, path, status))
    openrosa_ok += basic.get("/openrosa/formList").status_code == 200
    figure(
        f"field S1/S3: a device token on {len(routes)} routes ({requests} requests, GET and "
        f"POST; Basic, and Bearer/Token on the API): {len(answered)} answers outside /openrosa/ "
        f"and the public allow-list ({openrosa_ok} inside /openrosa/)"
    )
    assert answered == []
    assert openrosa_ok > 0


def _settings_of(page):
    html = page.content.decode()
    assert 'data-testid="settings-qr"' in html
    token = html.split('class="user-select-all text-break" dir="ltr">')[1].split("<")[0]
    return token


def test_a_caseworker_enrols_her_phone_and_revokes_it(users, login, figure):
    alice = login(users["alice"])
    page = alice.post(
        reverse("field:enrol"),
        {
            "name": "Oujda phone",
            "organisation": users["alice"].memberships.first().organisation_id,
            "user": users["alice"].pk,
            "days": 30,
        },
    )
    assert page.status_code == 201, page.content
    token = _settings_of(page)
    device = FieldDevice.objects.get(name="Oujda phone")
    assert device.token_matches(token) and token not in device.token_digest
    # The QR code's payload, as ODK Collect reads it.
    payload = json.loads(zlib.decompress(base64.b64decode(collect_settings(device, token))))
    assert payload["general"]["username"] == device.username
    assert payload["general"]["password"] == token
    assert payload["general"]["server_url"].endswith("/openrosa")
    phone = Client(**h.basic(device.username, token))
    assert phone.get("/openrosa/formList").status_code == 200
    listing = alice.get(reverse("field:devices"))
    assert "Oujda phone" in listing.content.decode()
    assert token not in listing.content.decode()
    assert alice.post(reverse("field:revoke", args=[device.pk])).status_code == 302
    assert phone.get("/openrosa/formList").status_code == 401
    actions_logged = set(
        AuditEvent.objects.filter(
            object_type="field.fielddevice", object_id=str(device.pk)
        ).values_list("action", flat=True)
    )
    assert {
        "enrol_field_device",
        "field_form_list",
        "revoke_field_device",
        "field_device_refused",
    } <= actions_logged
    figure(f"field: device uses audited as {sorted(actions_logged)}")


def test_who_sees_and_revokes_a_device(users, orgs, login, device):
    dev, _token = device
    # The organisation admin of NGO A sees it and may revoke it; NGO B's caseworker and the
    # outsider get a 404, and the device is unchanged.
    assert (
        str(dev.username) in login(users["olivia"]).get(reverse("field:devices")).content.decode()
    )
    for name in ("bob", "charlie"):
        client = login(users[name])
        assert client.post(reverse("field:revoke", args=[dev.pk])).status_code == 404
    dev.refresh_from_db()
    assert dev.revoked_at is None
    assert login(users["charlie"]).get(reverse("field:devices")).status_code == 404
    assert login(users["charlie"]).get(reverse("field:enrol")).status_code == 404


def test_an_organisation_admin_enrols_for_a_caseworker_not_for_an_outsider(users, orgs, login):
    olivia = login(users["olivia"])
    data = {"name": "team phone", "organisation": orgs["ngo_a"].pk, "days": 10}
    assert (
        olivia.post(reverse("field:enrol"), {**data, "user": users["alice"].pk}).status_code == 201
    )
    assert FieldDevice.objects.get(name="team phone").user == users["alice"]
    refused = olivia.post(reverse("field:enrol"), {**data, "name": "x", "user": users["bob"].pk})
    assert refused.status_code == 400
    too_long = olivia.post(
        reverse("field:enrol"), {**data, "name": "y", "user": users["alice"].pk, "days": 9999}
    )
    assert too_long.status_code == 400
    assert not FieldDevice.objects.filter(name__in=["x", "y"]).exists()


def test_the_xlsform_downloads_for_members_only(users, login):
    q = Questionnaire.objects.published().get(code="adult_labour")
    response = login(users["alice"]).get(reverse("field:xlsform", args=[q.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert {"survey", "choices", "settings"} <= set(book.sheetnames)
    assert login(users["charlie"]).get(reverse("field:xlsform", args=[q.pk])).status_code == 404


def test_the_screening_pages_lead_to_the_devices_and_the_xlsform(users, login):
    """The device pages and the XLSForm are reached from the screening section, by those who
    may use them only."""
    q = Questionnaire.objects.published().get(code="adult_labour")
    page = login(users["alice"]).get(reverse("screening:questionnaire_detail", args=[q.pk]))
    html = page.content.decode()
    assert reverse("field:devices") in html
    assert reverse("field:xlsform", args=[q.pk]) in html
    devices = login(users["alice"]).get(reverse("field:devices")).content.decode()
    assert 'data-testid="screening-nav"' in devices
    outsider = login(users["charlie"]).get(reverse("screening:questionnaire_detail", args=[q.pk]))
    assert reverse("field:devices") not in outsider.content.decode()
