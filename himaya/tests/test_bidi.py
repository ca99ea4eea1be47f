"""Issue 14, item 5: text-direction overrides (U+202A–U+202E, U+2066–U+2069) are refused in
names, the same way on the pages, the API and the import, and neutralised wherever free text is
shown (core/bidi.py, core/templating.py)."""

import datetime
import re
from pathlib import Path

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.template import engines
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from himaya.accounts.models import ApiToken, Organisation
from himaya.cases import actions as case_actions
from himaya.core import bidi
from himaya.exchange import services
from himaya.exchange.tests.helpers import workbook as register_workbook
from himaya.hotline import actions as hotline_actions
from himaya.justice import actions as ja
from himaya.justice.models import Investigation, Suspect
from himaya.people.models import Person
from himaya.testing import factories as f

pytestmark = pytest.mark.django_db

CONTROLS = list(bidi.BIDI_CONTROLS)  # LRE RLE PDF LRO RLO LRI RLI FSI PDI
assert len(CONTROLS) == 9
RESULTS = {"refused": 0, "neutralised": 0, "raw": 0, "paths": set()}


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


def spoofed(text):
    """``text`` with every override and isolate character in it, one after each word."""
    words = text.split(" ")
    return " ".join(w + CONTROLS[i % len(CONTROLS)] for i, w in enumerate(words * 2))[:-1]


def shown(text):
    return " ".join(text.split(" ") * 2)


def raw_controls(content):
    return sum(content.count(c) for c in CONTROLS)


def refused(path, ok):
    assert ok, path
    RESULTS["refused"] += 1
    RESULTS["paths"].add(path)


# --- The rule ----------------------------------------------------------------------------


@pytest.mark.parametrize("ch", CONTROLS + ["\u200e", "\u200f", "\u061c", "\u200b", "\ufeff"])
def test_a_name_refuses_overrides_isolates_marks_and_invisible_characters(ch):
    with pytest.raises(ValidationError) as exc:
        bidi.check_name(f"Ami{ch}na")
    message = exc.value.messages[0]
    assert f"U+{ord(ch):04X}" in message and "position 4" in message
    assert "Ami" not in message  # the value is not repeated (it may travel in an error)


@pytest.mark.parametrize(
    "name", ["Amina", "فاطمة الزهراء", "Aït Ben-Haddou", "ملک\u200cزاده", "क्\u200dष"]
)
def test_names_in_any_script_with_joiners_are_accepted(name):
    bidi.check_name(name)
    assert bidi.hidden_characters(name) == []


def test_neutralise_keeps_the_text_and_marks_and_drops_the_controls():
    text = "Rendez-vous \u202egare\u202c \u200fالرباط\u2067 13h\u2069"
    assert bidi.neutralise(text) == "Rendez-vous gare \u200fالرباط 13h"
    assert bidi.neutralise("plain") == "plain"
    assert bidi.count_display_controls(text) == 4


def test_the_bidi_filter_escapes_isolates_and_neutralises():
    template = engines["django"].from_string("<p>{{ x|bidi|linebreaksbr }}</p>{{ y|bidi }}")
    html = template.render({"x": "<b>a</b>\u202eb\nc", "y": ""})
    assert html == '<p><bdi dir="auto">&lt;b&gt;a&lt;/b&gt;b<br>c</bdi></p>'


def test_every_rendered_template_is_neutralised_pdf_and_mail_alike():
    """render_to_string is what the dossier PDF and the e-mails are made from; an error
    message may quote what was typed."""
    text = spoofed("note of the day")
    assert engines["django"].from_string("{{ t }}").render({"t": text}) == shown("note of the day")
    form = forms.Form(data={})
    form.is_valid()
    form.add_error(None, text)
    html = render_to_string("form_errors.html", {"form": form})
    assert shown("note of the day") in html and raw_controls(html) == 0


# --- Names: pages, API, import -----------------------------------------------------------


def person_data(**overrides):
    data = {
        "given_name_ar": "",
        "family_name_ar": "",
        "given_name_lat": "Amina",
        "family_name_lat": "Benali",
        "birth_date_precision": "unknown",
        "organisation": Organisation.objects.get(name_en="NGO A").pk,
    }
    data.update(overrides)
    return data


def test_person_page_refuses_each_override_in_each_name(users, login):
    client = login(users["alice"])
    for i, ch in enumerate(CONTROLS):
        field = ("given_name_lat", "family_name_lat", "given_name_ar", "family_name_ar")[i % 4]
        value = f"Ami{ch}na" if field.endswith("lat") else f"أمي{ch}نة"
        response = client.post(reverse("people:create"), person_data(**{field: value}))
        errors = response.context["form"].errors if response.status_code == 400 else {}
        refused("person page", field in errors and "invisible" in errors[field][0])
    assert Person.objects.count() == 0


def test_persons_api_refuses_each_override(users):
    _token, raw = ApiToken.issue(users["alice"], "test")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    for ch in CONTROLS:
        response = client.post(
            "/api/persons/",
            {"given_name_lat": "Amina", "family_name_lat": f"Ben{ch}ali"},
            content_type="application/json",
        )
        body = response.json()
        refused(
            "persons API",
            response.status_code == 400 and "invisible" in body["family_name_lat"][0],
        )
    assert Person.objects.count() == 0


def workbook(sheets):
    return register_workbook(sheets, readme=False)


def test_casework_import_refuses_a_row_per_override_and_writes_nothing(users, orgs):
    rows = [["ref", "opened_on", "given_name_lat", "family_name_lat", "given_name_ar"]]
    opened = days_ago(30).isoformat()
    rows += [[f"D-{i}", opened, "Amina", f"Ben{ch}ali", ""] for i, ch in enumerate(CONTROLS)]
    rows.append(["D-ok", opened, "Grace", "Okafor", ""])
    _run, result = services.import_file(
        workbook({"dossiers": rows}),
        "c.xlsx",
        user=users["alice"],
        organisation=orgs["ngo_a"],
        commit=True,
        register="casework",
    )
    assert not result.committed
    by_row = {e.row: e for e in result.errors}
    for number in range(2, 2 + len(CONTROLS)):
        error = by_row.get(number)
        refused(
            "casework import",
            error is not None
            and error.column == "family_name_lat"
            and "invisible" in error.message,
        )
    assert len(result.errors) == len(CONTROLS)
    assert Person.objects.count() == 0


@pytest.fixture
def investigation(users, orgs):
    return ja.open_investigation(
        acting_user=users["carol"],
        organisation=orgs["police"],
        opened_on=days_ago(20),
        forms=[f.code("exploitation_form", "labour")],
    )


def test_suspect_page_refuses_each_override(users, login, investigation):
    client = login(users["carol"])
    for ch in CONTROLS:
        data = {
            "given_name_lat": f"Has{ch}san",
            "family_name_lat": "Tazi",
            "birth_date_precision": "unknown",
            "added_on": days_ago(9).isoformat(),
        }
        response = client.post(reverse("justice:suspect_add", args=[investigation.pk]), data)
        errors = response.context["form"].errors if response.status_code == 400 else {}
        refused("suspect page", "invisible" in str(errors.get("given_name_lat")))
    assert Suspect.objects.count() == 0


def test_suspects_api_refuses_each_override_and_so_does_the_action(users, login, investigation):
    client = login(users["carol"])
    url = f"/api/investigations/{investigation.pk}/suspects/"
    for ch in CONTROLS:
        response = client.post(
            url,
            {"given_name_ar": f"سعي{ch}د", "family_name_lat": "Tazi"},
            content_type="application/json",
        )
        refused(
            "suspects API",
            response.status_code == 400 and "invisible" in response.json()["given_name_ar"][0],
        )
    # The action itself, under every entry: an edit cannot bring one in either.
    suspect = ja.add_suspect(investigation, acting_user=users["carol"], given_name_lat="Hassan")
    with pytest.raises(ValidationError) as exc:
        ja.update_suspect(
            suspect,
            acting_user=users["carol"],
            expected_version=suspect.version,
            given_name_lat="Has\u202esan",
        )
    assert "given_name_lat" in exc.value.message_dict
    assert Suspect.objects.get().given_name_lat == "Hassan"


def test_justice_import_refuses_a_suspect_row_per_override(users, orgs):
    sheets = {
        "investigations": [
            ["ref", "opened_on", "forms"],
            ["E-1", days_ago(40).isoformat(), "labour"],
        ],
        "suspects": [["ref", "investigation_ref", "given_name_lat", "family_name_lat"]]
        + [[f"S-{i}", "E-1", "Karim", f"Ta{ch}zi"] for i, ch in enumerate(CONTROLS)],
    }
    _run, result = services.import_file(
        workbook(sheets),
        "j.xlsx",
        user=users["carol"],
        organisation=orgs["police"],
        commit=True,
    )
    assert not result.committed
    suspect_errors = {e.row: e for e in result.errors if e.sheet == "suspects"}
    for number in range(2, 2 + len(CONTROLS)):
        error = suspect_errors.get(number)
        refused(
            "justice import",
            error is not None
            and error.column == "family_name_lat"
            and "invisible" in error.message,
        )
    assert not Investigation.objects.exists() and not Suspect.objects.exists()


# --- Free text: shown neutralised --------------------------------------------------------


def check_page(label, response, *texts):
    content = response.content.decode()
    assert response.status_code == 200, label
    RESULTS["raw"] += raw_controls(content)
    for text in texts:
        assert shown(text) in content, (label, text)
        RESULTS["neutralised"] += 1


def test_tip_narrative_report_note_and_triage_texts_render_neutralised(users, orgs, login):
    report = hotline_actions.record_report(
        acting_user=users["harry"],
        organisation=orgs["hotline"],
        channel="call",
        caller_type="witness",
        urgency="normal",
        received_at=timezone.now(),
        narrative=spoofed("Une femme est enfermée à Salé"),
        possible_victims=spoofed("Amina 17 ans"),
        suspects=spoofed("Le propriétaire"),
        city=spoofed("Salé Tabriquet"),
    )
    hotline_actions.add_note(
        report, acting_user=users["harry"], text=spoofed("Rappeler demain matin")
    )
    tip, _code = hotline_actions.submit_tip(
        narrative=spoofed("Des enfants mendient près de la gare"), urgency="urgent"
    )
    client = login(users["harry"])
    check_page(
        "report",
        client.get(reverse("hotline:detail", args=[report.pk])),
        "Une femme est enfermée à Salé",
        "Amina 17 ans",
        "Le propriétaire",
        "Salé Tabriquet",
        "Rappeler demain matin",
    )
    check_page(
        "web tip",
        client.get(reverse("hotline:detail", args=[tip.pk])),
        "Des enfants mendient près de la gare",
    )


def test_dossier_note_person_address_and_edit_form_render_neutralised(users, orgs, login):
    person = f.person(
        users["alice"],
        orgs["ngo_a"],
        contacts={"address": spoofed("12 rue des Orangers Fès")},
    )
    dossier = f.dossier(users["alice"], orgs["ngo_a"], person)
    case_actions.add_note(dossier, acting_user=users["alice"], text=spoofed("Vue au foyer hier"))
    client = login(users["alice"])
    page = client.get(reverse("cases:detail", args=[dossier.pk]))
    check_page("dossier", page, "Vue au foyer hier")
    # The note is isolated in its own direction (the ``bidi`` filter).
    assert f'<bdi dir="auto">{shown("Vue au foyer hier")}</bdi>' in page.content.decode()
    check_page(
        "person",
        client.get(reverse("people:detail", args=[person.pk])),
        "12 rue des Orangers Fès",
    )
    # The edit form shows the address without the controls too: saving it keeps the text.
    check_page(
        "person edit",
        client.get(reverse("people:edit", args=[person.pk])),
        "12 rue des Orangers Fès",
    )


def test_zz_figure(figure):
    figure(
        f"bidi controls: {RESULTS['refused']} refused in names "
        f"({len(RESULTS['paths'])} entry paths), {RESULTS['neutralised']} neutralised on "
        f"display, {RESULTS['raw']} shown raw"
    )
    assert RESULTS["raw"] == 0


# What a page shows of a text field that is not typed by a user: the next step's sentence (built
# by Himaya), the linkage's reasons (its own words), a form's field.
NOT_TYPED = {"step.text", "c.reasons", "freeze_form.note"}


def _text_fields():
    from django.apps import apps
    from django.db import models

    fields = {
        field.name
        for model in apps.get_models()
        if model.__module__.startswith("himaya.")
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField)
    }
    return fields - {"number"}  # a document's number: an identifier, not text


def test_every_page_shows_typed_text_isolated():
    """Found by an outside probe: a send-back's reason in French, on the Arabic page, showed
    with its closing punctuation at the start. docs/text-direction.md: free text is shown with
    the ``bidi`` filter (or inside an element with dir="auto"). Every template that shows a
    text field of a model does so (the PDFs aside: their renderer sets the direction)."""
    root = Path(__file__).resolve().parents[1]
    shown = re.compile(
        r"\{\{\s*([a-z_][\w.]*\.(?:" + "|".join(sorted(_text_fields())) + r"))"
        r"((?:\s*\|[\w:\"' ]+)*)\s*\}\}"
    )
    raw = []
    for path in sorted(root.rglob("*.html")):
        if path.name.endswith("_pdf.html"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in shown.finditer(line):
                isolated = "bidi" in match.group(2) or 'dir="auto"' in line[: match.start()]
                if not isolated and match.group(1) not in NOT_TYPED:
                    raw.append(f"{path.relative_to(root)}:{number}: {match.group(0)}")
    assert raw == []
