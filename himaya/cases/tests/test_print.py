"""The printable dossier: the PDF summary shows each reader what the dossier page shows them
(names only at the identity level, no reasons for a referral-only reader), in their language,
with who printed it and when; every print is audited; the page links the PDF and a print
stylesheet. The moment of printing is fixed, so nothing depends on the clock."""

import datetime
import io
import re
from zoneinfo import ZoneInfo

import pytest
import pyzipper
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from himaya.audit.models import AccessEvent
from himaya.cases import actions, printing
from himaya.cases.actions import record_decision, record_offence
from himaya.people import actions as people_actions
from himaya.referrals import actions as referral_actions
from himaya.secure_exports.models import SecureExport
from himaya.testing import factories as f

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 11, 3)
MOMENT = datetime.datetime(2025, 12, 3, 14, 5, tzinfo=ZoneInfo("Africa/Casablanca"))
NAMES = ("Mohammed", "Alaoui", "محمد", "العلوي")
# Free text only the identity level reads (the referral's reason is not on the dossier page).
SECRETS = ("Qorvathville", "Passport kept by the employer", "Arrested at the port")


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    monkeypatch.setattr(printing, "now", lambda: MOMENT)


@pytest.fixture
def dossier(users, orgs):
    """Alice's dossier, as the demo has them: a decision by the police, an offence charged, a
    shelter referral accepted and the person admitted; NGO B reads it without the identity."""
    _name_the_staff(users)
    d = _open_the_dossier(users["alice"], orgs)
    _police_records(d, users, orgs)
    _shelter_stay(d, users, orgs)
    actions.grant_access(
        d,
        acting_user=users["alice"],
        organisation=orgs["ngo_b"],
        reason="follow-up",
        with_identity=False,
    )
    return d


def _name_the_staff(users):
    """Names of their own, so that no generated name can meet another in a PDF."""
    for name, first, last in [
        ("alice", "Amina", "Berrada"),
        ("bob", "Youssef", "Tazi"),
        ("carol", "Karim", "Lahlou"),
        ("sam", "Latifa", "Chraibi"),
    ]:
        users[name].first_name, users[name].last_name = first, last
        users[name].save()


def _open_the_dossier(alice, orgs):
    """Mohammed Alaoui, registered by NGO A, and his dossier opened on DAY (begging)."""
    person = f.person(
        alice,
        orgs["ngo_a"],
        given_name_lat="Mohammed",
        family_name_lat="Alaoui",
        given_name_ar="محمد",
        family_name_ar="العلوي",
        sex=f.code("sex", "male"),
    )
    return f.dossier(
        alice,
        orgs["ngo_a"],
        the_person=person,
        forms=("begging",),
        opened_on=DAY,
        recruitment_city="Qorvathville",
        recruitment_region=f.code("region", "oriental"),
        exploitation_region=f.code("region", "tanger_tetouan_al_hoceima"),
        caseworker=alice,
    )


def _police_records(d, users, orgs):
    """Access for the police, their decision (possible victim) and an offence charged."""
    alice = users["alice"]
    actions.grant_access(d, acting_user=alice, organisation=orgs["police"], reason="inquiry")
    record_decision(
        d,
        acting_user=users["carol"],
        organisation=orgs["police"],
        status=f.code("trafficking_status", "possible"),
        decided_on=DAY + datetime.timedelta(days=4),
        reasons="Passport kept by the employer",
    )
    record_offence(
        d,
        acting_user=alice,
        organisation=orgs["ngo_a"],
        offence_type="begging",
        charged_on=DAY + datetime.timedelta(days=5),
        detail="Arrested at the port",
        authority=orgs["police"],
    )


def _shelter_stay(d, users, orgs):
    """His consents, a shelter referral accepted by sam and his admission to a men's bed."""
    alice, sam = users["alice"], users["sam"]
    for purpose in ("services", "sharing"):
        people_actions.record_consent(
            d.person,
            acting_user=alice,
            organisation=orgs["ngo_a"],
            purpose=purpose,
            given_on=DAY,
            given_by="person",
        )
    f.provider(orgs["shelter"], sam, ["shelter"], ["men"])
    facility = referral_actions.create_facility(
        orgs["shelter"],
        acting_user=sam,
        name_fr="Dar Amane",
        region=f.code("region", "casablanca_settat"),
        beds_men=2,
    )
    referral = referral_actions.send_referral(
        d, acting_user=alice, to_org=orgs["shelter"], service="shelter", reason="Safe house"
    )
    referral_actions.accept_referral(referral, acting_user=sam, expected_version=referral.version)
    referral.refresh_from_db()
    referral_actions.admit(
        referral,
        acting_user=sam,
        facility=facility,
        bed_group="men",
        admitted_on=DAY + datetime.timedelta(days=6),
    )


def pdf_text(response):
    """The PDF's text, page by page (pypdfium2, as the statistics exports are read)."""
    pdfium = pytest.importorskip("pypdfium2")
    assert response.pdf.startswith(b"%PDF-")
    doc = pdfium.PdfDocument(response.pdf)
    return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]


def squash(text):
    # Bidi isolates and line breaks out, so that a phrase reads in one piece.
    return re.sub(r"[\s\u2068\u2069]+", "", text)


PASSWORD = re.compile(r'data-testid="export-password">([^<]+)<')
ARCHIVE = re.compile(r'action="(/exports/[0-9a-f-]+/download/)"')


def download(client, dossier):
    """Print as a reader does: ask for the PDF (an encrypted archive, S18: the answer is the
    page with its one-time password), download the archive once and open it with the password.
    Returns the page's response, the archive's as ``archive`` and the PDF as ``pdf``."""
    response = client.post(reverse("cases:pdf", args=[dossier.pk]))
    if response.status_code == 201:
        page = response.content.decode()
        response.archive = client.post(ARCHIVE.search(page).group(1))
        assert response.archive["Content-Type"] == "application/zip"
        with pyzipper.AESZipFile(io.BytesIO(response.archive.content)) as archive:
            archive.setpassword(PASSWORD.search(page).group(1).encode())
            assert archive.namelist() == [f"{dossier.reference}.pdf"]
            response.pdf = archive.read(f"{dossier.reference}.pdf")
    return response


def test_the_owner_prints_the_identity_stages_decisions_and_referrals(users, login, dossier):
    response = download(login(users["alice"]), dossier)
    assert response.status_code == 201
    disposition = response.archive["Content-Disposition"]
    assert disposition == f'attachment; filename="{dossier.reference}.zip"'
    assert (
        "no-store" in response["Cache-Control"] and "no-store" in response.archive["Cache-Control"]
    )
    text = "\n".join(pdf_text(response))
    for word in NAMES[:2] + SECRETS + (dossier.reference, "Dar Amane"):
        assert word in text, word
    for label in ("presumed victim", "possible victim", "begging", "Referrals and services"):
        assert label.lower() in text.lower(), label
    assert "Amina Berrada" in text and "Karim Lahlou" in text  # caseworker, who decided
    assert "Record a decision" not in text and "Refer to a service" not in text  # no buttons


def test_a_reader_without_the_identity_prints_no_name(users, login, dossier):
    response = download(login(users["bob"]), dossier)
    assert response.status_code == 201
    text = "\n".join(pdf_text(response))
    assert dossier.reference in text and "presumed victim" in text
    assert "The identity is not shown to you." in text
    for secret in NAMES + SECRETS + ("Berrada", "Lahlou"):  # nor who recorded the stages
        assert secret not in text, secret
    assert "Referrals and services" not in text  # the page hides the panel from this reader
    row = AccessEvent.objects.get(actor_id=users["bob"].pk, purpose="print_dossier")
    assert row.person_id is None and row.outcome == "ok"


def test_a_referral_only_reader_prints_no_reasons_nor_offences(users, login, dossier):
    response = download(login(users["sam"]), dossier)
    assert response.status_code == 201
    text = "\n".join(pdf_text(response))
    assert "Mohammed" in text and "Dar Amane" in text and "possible victim" in text
    assert "Passport kept" not in text  # decisions without their reasons
    assert "Non-punishment" not in text and "Arrested at the port" not in text  # no justice data
    assert "Safe house" not in text


@pytest.mark.parametrize("name", ["charlie", "ivy", "olivia", "root"])
def test_outsiders_get_404_and_the_attempt_is_audited(users, login, dossier, name):
    client = login(users[name])
    assert download(client, dossier).status_code == 404
    assert client.post(reverse("cases:printed", args=[dossier.pk])).status_code == 404
    rows = AccessEvent.objects.filter(actor_id=users[name].pk)
    assert {r.outcome for r in rows} == {"denied"} and rows.count() == 2


def test_an_analyst_reads_the_page_but_prints_nothing(users, login, dossier):
    client = login(users["ana"])
    page = client.get(reverse("cases:detail", args=[dossier.pk]))
    assert client.get(reverse("cases:pdf", args=[dossier.pk])).status_code == 405
    assert page.status_code == 200
    assert reverse("cases:pdf", args=[dossier.pk]) not in page.content.decode()
    assert download(client, dossier).status_code == 404
    assert AccessEvent.objects.get(actor_id=users["ana"].pk).outcome == "denied"


def test_each_download_writes_one_access_row_without_personal_data(users, login, dossier):
    client = login(users["alice"])
    before = AccessEvent.objects.count()
    for _i in range(2):
        assert download(client, dossier).status_code == 201
    rows = list(AccessEvent.objects.order_by("id")[before:])
    assert [r.purpose for r in rows] == ["print_dossier", "print_dossier"]
    for row in rows:
        assert row.actor_id == users["alice"].pk and row.person_id == dossier.person_id
        assert (row.object_type, row.object_id) == ("cases.dossier", str(dossier.pk))
        dump = " ".join(str(v) for v in row.__dict__.values())
        assert not any(word in dump for word in NAMES + SECRETS)


def test_the_footer_says_who_printed_it_when_and_the_page(users, orgs, login, dossier):
    alice = users["alice"]
    pages = pdf_text(download(login(alice), dossier))
    expected = "Printed by Amina Berrada (NGO A) on 3 December 2025 14:05"
    for n, text in enumerate(pages, start=1):
        assert squash(expected) in squash(text), text[-300:]
        assert "CONFIDENTIAL" in text
        assert squash(f"Page {n} of {len(pages)}") in squash(text)
    # A partner prints for its own organisation.
    sam = pdf_text(download(login(users["sam"]), dossier))
    assert squash(f"({orgs['shelter'].name_en})") in squash(sam[0])


def test_the_arabic_pdf_reads_right_to_left(users, login, dossier):
    pdfium = pytest.importorskip("pypdfium2")
    alice = users["alice"]
    alice.preferred_language = "ar"
    alice.save()
    response = download(login(alice), dossier)
    assert response.status_code == 201
    text = "\n".join(pdf_text(response))
    with override("ar"):
        stage = _("presumed victim")
        printed = _("Printed by %(name)s (%(organisation)s) on %(date)s") % {
            "name": "",
            "organisation": "",
            "date": "",
        }
    assert stage != "presumed victim" and stage in text
    assert "محمد" in text and "العلوي" in text
    assert "دجنبر" in text  # Moroccan month names (CLDR ar_MA), in the footer's date
    # The footer sentence, in whatever language the catalogue holds today.
    assert all(word in text for word in printed.replace("()", "").split())
    # The title sits on the right-hand side of the first page.
    image = pdfium.PdfDocument(response.pdf)[0].render(scale=1).to_pil().convert("L")
    band = image.crop((0, 70, image.width, 110)).tobytes()
    dark = [i % image.width for i, v in enumerate(band) if v < 128]
    assert dark and image.width - max(dark) < min(dark)


def test_french_dates_follow_the_app(users, login, dossier):
    alice = users["alice"]
    alice.preferred_language = "fr"
    alice.save()
    text = "\n".join(pdf_text(download(login(alice), dossier)))
    assert "3 nov. 2025" in text  # the dossier page's mdate: opened on
    assert "3 décembre 2025 14:05" in text  # printed on


def test_the_dossier_page_links_the_pdf_and_the_print_stylesheet(users, login, dossier):
    html = login(users["alice"]).get(reverse("cases:detail", args=[dossier.pk])).content.decode()
    assert f'<form method="post" action="{reverse("cases:pdf", args=[dossier.pk])}">' in html
    assert re.search(r'<link rel="stylesheet" href="[^"]*himaya/print\.css" media="print">', html)
    assert re.search(r"<button [^>]*hidden data-print>", html)  # shown by print.js
    assert "Confidential" in html and "Printed by" in html  # on paper only (d-print-block)


def test_printing_the_page_is_audited(users, login, dossier):
    client = login(users["bob"])
    url = reverse("cases:printed", args=[dossier.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 204
    row = AccessEvent.objects.get(actor_id=users["bob"].pk, purpose="print_page")
    assert row.person_id is None  # bob sees the dossier without the identity
    login(users["alice"]).post(url)
    assert AccessEvent.objects.get(actor_id=users["alice"].pk, purpose="print_page").person_id == (
        dossier.person_id
    )


def test_without_weasyprint_the_page_says_so(users, login, dossier, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_weasyprint(name, *args, **kwargs):
        if name == "weasyprint":
            raise ImportError("no weasyprint here")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    response = download(login(users["alice"]), dossier)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[dossier.pk])
    assert not AccessEvent.objects.filter(purpose="print_dossier").exists()
    assert not SecureExport.objects.exists()
