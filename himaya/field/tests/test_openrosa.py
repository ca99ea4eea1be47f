"""OpenRosa end to end with a device credential: form list, download, an encrypted submission
filled and encrypted as ODK Collect does it, landing as a screening scored as the web form
scores it; resends, edits, retired versions, and every kind of bad input."""

import base64
import datetime

import pytest
from defusedxml import ElementTree as SafeET
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from himaya.audit.models import AuditEvent
from himaya.field import actions, xlsform
from himaya.field.models import FieldSubmission
from himaya.screening import actions as screening_actions
from himaya.screening.models import Questionnaire, Screening
from himaya.screening.tests.helpers import STRONG_LABOUR, submitted

from . import helpers as h

FORMS_NS = "{http://openrosa.org/xforms/xformsList}"


@pytest.fixture
def device(users, orgs):
    device, token = actions.enrol_device(
        acting_user=users["alice"],
        user=users["alice"],
        organisation=orgs["ngo_a"],
        name="Oujda team, phone 2",
        days=30,
    )
    return device, token


@pytest.fixture
def phone(device):
    dev, token = device
    return Client(**h.basic(dev.username, token))


def form_list(phone):
    response = phone.get("/openrosa/formList")
    assert response.status_code == 200, response.content
    assert response["X-OpenRosa-Version"] == "1.0"
    root = SafeET.fromstring(response.content)
    return {x.findtext(f"{FORMS_NS}formID"): x for x in root.findall(f"{FORMS_NS}xform")}


def download(phone, form_id="himaya_adult_labour"):
    forms = form_list(phone)
    url = forms[form_id].findtext(f"{FORMS_NS}downloadUrl")
    response = phone.get(url)
    assert response.status_code == 200
    return response.content.decode()


def post(phone, files):
    return phone.post("/openrosa/submission", files)


@pytest.fixture
def published(users, orgs):
    """A new version of the shipped labour questionnaire published, and a campaign of NGO A."""
    root = users["root"]
    old = Questionnaire.objects.published().get(code="adult_labour")
    draft = screening_actions.new_version(old, acting_user=root)
    form = screening_actions.publish(draft, acting_user=root)
    return {"form": form, "campaign": h.campaign(users["alice"], orgs["ngo_a"])}


@pytest.fixture
def sent(published, phone):
    """Alice's phone downloads the form, fills it for the campaign and sends it encrypted."""
    files, instance_id, _plain = h.collect(
        download(phone),
        STRONG_LABOUR,
        campaign=published["campaign"].pk,
        region="oriental",
        place_detail="Forêt de Gourougou",
    )
    response = post(phone, files)
    submission = FieldSubmission.objects.filter(instance_id=instance_id).first()
    return {
        **published,
        "files": files,
        "response": response,
        "screening": submission and submission.screening,
    }


@pytest.fixture
def resent(sent, phone):
    """... and sends the same bytes again."""
    count = Screening.objects.count()
    return {**sent, "again": post(phone, _same(sent["files"])), "count": count}


def test_the_form_list_offers_the_published_version(published, phone):
    forms = form_list(phone)
    assert set(forms) == {"himaya_adult_labour", "himaya_adult_sexual", "himaya_child"}
    assert (
        forms["himaya_adult_labour"]
        .findtext(f"{FORMS_NS}version")
        .startswith(f"{published['form'].version}.")
    )


def test_the_manifest_and_its_media_file_list_the_campaigns(published, phone):
    forms = form_list(phone)
    manifest = phone.get(forms["himaya_adult_labour"].findtext(f"{FORMS_NS}manifestUrl"))
    assert manifest.status_code == 200 and xlsform.CAMPAIGNS_FILE in manifest.content.decode()
    media = phone.get(f"/openrosa/forms/himaya_adult_labour/media/{xlsform.CAMPAIGNS_FILE}")
    assert f"{published['campaign'].pk},Port de Tanger" in media.content.decode()


def test_the_submission_endpoint_answers_a_head_request(phone):
    assert phone.head("/openrosa/submission").status_code == 204


def test_a_submission_lands_as_a_screening_of_the_device_user(sent, users, orgs):
    response, screening = sent["response"], sent["screening"]
    assert response.status_code == 201, response.content
    assert b"submit_success" in response.content
    assert screening.campaign == sent["campaign"]
    assert screening.questionnaire == sent["form"]
    assert screening.organisation == orgs["ngo_a"]
    assert screening.screener == users["alice"]
    assert screening.place_detail == "Forêt de Gourougou"


def test_a_field_screening_is_scored_as_the_web_form_scores_it(sent, users, orgs):
    web = submitted(users["alice"], orgs["ngo_a"], answers=STRONG_LABOUR)
    assert sent["screening"].recommendation == web.recommendation == "strong"
    assert sent["screening"].result == web.result


@pytest.mark.parametrize(("lang", "word"), [("ar", "الحملة"), ("fr", "campagne")])
def test_a_field_screening_shows_in_the_web_pages(sent, users, login, lang, word):
    users["alice"].preferred_language = lang
    users["alice"].save(update_fields=["preferred_language"])
    page = login(users["alice"]).get(reverse("screening:detail", args=[sent["screening"].pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert f'lang="{lang}"' in text and word in text.lower() and "Port de Tanger" in text


def test_a_resend_creates_nothing(resent):
    assert resent["again"].status_code == 202
    assert Screening.objects.count() == resent["count"]


def test_a_revoked_device_is_refused_and_its_replay_audited(resent, users, phone, figure):
    dev, _token = device_of(phone)
    actions.revoke_device(dev, acting_user=users["alice"])
    refused = post(phone, _same(resent["files"]))
    assert refused.status_code == 401
    assert phone.get("/openrosa/formList").status_code == 401
    assert Screening.objects.count() == resent["count"]
    assert AuditEvent.objects.filter(action="field_device_refused", outcome="denied").exists()
    new = Screening.objects.count() - resent["count"]
    figure(
        "field: publish, form list, download, encrypted submission -> screening "
        f"{resent['screening'].reference} ({resent['screening'].recommendation}, as the web form), "
        f"resend {resent['again'].status_code} ({new} new), revoked {refused.status_code}"
    )


def _same(files):
    """The same bytes as a first post, as a phone resends them."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    out = {}
    for name, upload in files.items():
        upload.seek(0)
        out[name] = SimpleUploadedFile(upload.name, upload.read(), upload.content_type)
    return out


def device_of(phone):
    from himaya.field.models import FieldDevice

    header = phone.defaults["HTTP_AUTHORIZATION"].split()[1]
    username = base64.b64decode(header).decode().split(":")[0]
    return FieldDevice.objects.get(username=username), None


def test_a_retired_version_still_lands_and_an_edit_is_a_new_version(users, orgs, phone):
    xform = download(phone)
    root = users["root"]
    old = Questionnaire.objects.published().get(code="adult_labour")
    screening_actions.publish(
        screening_actions.new_version(old, acting_user=root), acting_user=root
    )
    old.refresh_from_db()
    assert old.status == "retired"
    files, instance_id, _plain = h.collect(xform, {"exploitation.low_salary": "yes"})
    assert post(phone, files).status_code == 201
    first = FieldSubmission.objects.get(instance_id=instance_id)
    assert first.screening.questionnaire == old
    edited, edited_id, _plain = h.collect(xform, STRONG_LABOUR, deprecated_id=instance_id)
    assert post(phone, edited).status_code == 201
    second = FieldSubmission.objects.get(instance_id=edited_id)
    assert second.replaces == first
    assert second.screening.corrects == first.screening
    assert list(
        Screening.objects.current().filter(pk__in=[first.screening_id, second.screening_id])
    ) == [second.screening]
    assert AuditEvent.objects.filter(action="edit_field_submission").count() == 1


def _nothing_recorded(before):
    assert Screening.objects.count() == before
    assert FieldSubmission.objects.count() == 0


@pytest.mark.parametrize(
    "case",
    ["unknown_form", "unknown_version", "tampered", "wrong_key", "entities", "not_encrypted"],
)
def test_bad_submissions_get_a_clear_openrosa_error(case, users, orgs, phone, settings):
    xform = download(phone)
    before = Screening.objects.count()
    plain, instance_id, form_id, version = h.fill(xform, STRONG_LABOUR)
    expected = 400
    if case == "unknown_form":
        form_id, expected = "himaya_nothing", 404
    if case == "unknown_version":
        version, expected = "99.abc", 404
    manifest, enc = h.encrypt(xform, plain, instance_id, form_id, version)
    if case == "tampered":
        enc = enc[:20] + bytes([enc[20] ^ 1]) + enc[21:]
    if case == "wrong_key":
        from cryptography.hazmat.primitives.asymmetric import rsa
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        der = other.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
        xform = xform.replace(xlsform.crypto.public_key_base64(), base64.b64encode(der).decode())
        manifest, enc = h.encrypt(xform, plain, instance_id, form_id, version)
    if case == "entities":
        manifest = (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]><data>&lol2;</data>'
        )
    if case == "not_encrypted":
        manifest = plain
    response = post(phone, h.files(manifest, enc))
    assert response.status_code == expected, response.content
    text = response.content.decode()
    assert "<OpenRosaResponse" in text and "<message" in text
    assert "Traceback" not in text
    _nothing_recorded(before)


def test_a_50_mb_attachment_is_refused_before_it_is_read(phone):
    before = Screening.objects.count()
    xform = download(phone)
    files, *_ = h.collect(xform, STRONG_LABOUR)
    from django.core.files.uploadedfile import SimpleUploadedFile

    files["photo.jpg.enc"] = SimpleUploadedFile("photo.jpg.enc", b"\0" * (50 * 1024 * 1024))
    response = post(phone, files)
    assert response.status_code == 413
    assert b"too large" in response.content
    _nothing_recorded(before)


def test_a_submission_that_breaks_the_screening_rules_is_refused(users, orgs, phone):
    xform = download(phone)
    before = Screening.objects.count()
    future = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    for answers, details in (
        ({"exploitation.low_salary": "unknown"}, {}),  # no yes or no answer
        (STRONG_LABOUR, {"screened_on": future}),
        (STRONG_LABOUR, {"region": "atlantis"}),
        ({"exploitation.low_salary": "maybe"}, {}),
    ):
        files, *_ = h.collect(xform, answers, **details)
        response = post(phone, files)
        assert response.status_code == 400, response.content
    other = h.campaign(users["bob"], orgs["ngo_b"])
    files, *_ = h.collect(xform, STRONG_LABOUR, campaign=other.pk)
    assert post(phone, files).status_code == 400
    _nothing_recorded(before)


def test_requests_without_a_live_credential_are_challenged(users, orgs, device):
    dev, token = device
    anonymous = Client()
    wrong = Client(**h.basic(dev.username, token + "x"))
    expired_device, expired_token = actions.enrol_device(
        acting_user=users["alice"],
        user=users["alice"],
        organisation=orgs["ngo_a"],
        name="old phone",
        days=1,
        now=timezone.now() - datetime.timedelta(days=3),
    )
    expired = Client(**h.basic(expired_device.username, expired_token))
    for client in (anonymous, wrong, expired):
        for path in ("/openrosa/formList", "/openrosa/forms/himaya_child"):
            response = client.get(path)
            assert response.status_code == 401
            assert response["WWW-Authenticate"].startswith("Basic")
        assert client.post("/openrosa/submission").status_code == 401
