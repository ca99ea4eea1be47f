"""The XLSForm of every shipped questionnaire, converted by pyxform and checked by its own
validation and by ODK Validate (JavaRosa, shipped with pyxform; Java is installed by
scripts/test-deps)."""

import io
import shutil
import time

import pytest
from defusedxml import ElementTree
from openpyxl import load_workbook

from himaya.field import crypto, xlsform
from himaya.screening.models import Questionnaire

XF = "{http://www.w3.org/2002/xforms}"
H = "{http://www.w3.org/1999/xhtml}"


@pytest.mark.django_db
def test_every_shipped_questionnaire_converts_and_validates(figure):
    versions = list(Questionnaire.objects.published())
    assert {q.code for q in versions} == {"adult_labour", "adult_sexual", "child"}
    java = shutil.which("java") is not None
    started = time.monotonic()
    for q in versions:
        xml, warnings = xlsform.convert(xlsform.xlsform(q), validate=java)
        assert warnings == [] or all("instance_name" not in w for w in warnings)
        root = ElementTree.fromstring(xml)
        submission = root.find(f"{H}head/{XF}model/{XF}submission")
        assert submission.get("base64RsaPublicKey") == crypto.public_key_base64()
        assert submission.get("action").endswith("/openrosa/submission")
    figure(
        f"field: {len(versions)} shipped questionnaires converted by pyxform and validated by "
        f"{'ODK Validate (Java) and ' if java else ''}pyxform's checks in "
        f"{time.monotonic() - started:.1f} s"
    )


@pytest.mark.django_db
def test_the_xlsform_asks_what_the_web_form_asks_in_three_languages():
    q = Questionnaire.objects.published().get(code="child")
    book = load_workbook(io.BytesIO(xlsform.xlsform(q)))
    survey = list(book["survey"].values)
    header, rows = survey[0], [dict(zip(survey[0], r, strict=True)) for r in survey[1:]]
    for lang in ("Arabic (ar)", "French (fr)", "English (en)"):
        assert f"label::{lang}" in header
    asked = {r["name"]: r for r in rows if (r["type"] or "") == "select_one answer"}
    assert set(asked) == {x.key for x in q.questions.all()}
    for x in q.questions.all():
        assert asked[x.key]["label::Arabic (ar)"] == x.text_ar
        assert asked[x.key]["label::French (fr)"] == x.text_fr
    by_name = {r["name"]: r for r in rows}
    assert by_name["alias"]["required"] == "yes"
    assert by_name["screened_on"]["constraint"] == ". <= today()"
    assert by_name["campaign"]["type"] == f"select_one_from_file {xlsform.CAMPAIGNS_FILE}"
    assert by_name["confirm"]["constraint"] == "${answered} > 0"
    settings = dict(zip(*book["settings"].values, strict=True))
    assert settings["public_key"] == crypto.public_key_base64()
    assert settings["form_id"] == "himaya_child"
    assert settings["version"].startswith(f"{q.version}.")
