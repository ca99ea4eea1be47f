"""A questionnaire version as an XLSForm, and the XForm that pyxform (the ODK project's
converter) makes of it.

The form asks what the web interview asks, in Arabic, French and English (ODK's language
columns): who, when and where (date, campaign, region, place, language of the interview), one
screen per dimension with the questions answered yes / no / unknown (none required, as on the
web), the observations, and a last step that, like the web form's submit, needs at least one
question answered yes or no. The date cannot be in the future, and the campaigns offered are
those of the device's organisation running on the interview's date (a media file the phone
downloads with the form: campaigns change more often than questionnaires).

Encryption is always on: the settings sheet carries the server's RSA public key, so ODK Collect
encrypts a form as soon as it is finalised.
"""

import hashlib
import io
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from pyxform import xls2xform

from himaya.core.models import Code
from himaya.screening.actions import ALIAS_MAX, NOTES_MAX, PLACE_MAX
from himaya.screening.models import DIMENSION_HELP, Answer, Dimension

from . import crypto

FORM_PREFIX = "himaya_"
CAMPAIGNS_FILE = "himaya_campaigns.csv"
# ODK's language columns: a name with the IETF code in brackets (Collect sets the direction).
LANGUAGES = (("ar", "Arabic (ar)"), ("fr", "French (fr)"), ("en", "English (en)"))
DEFAULT_LANGUAGE = "Arabic (ar)"
DETAILS_GROUP = "details"
REVIEW_GROUP = "review"


class FormError(Exception):
    """pyxform refused the XLSForm built from a questionnaire."""


def form_id(questionnaire):
    return f"{FORM_PREFIX}{questionnaire.code}"


def question_name(question):
    """The question's element: its answer key ("dimension.indicator"), unique in the form and
    an XML name (the dimension comes first, so a slug starting with a digit is fine)."""
    return question.key


def submission_url():
    return settings.HIMAYA_BASE_URL.rstrip("/") + "/openrosa/submission"


def _each(column, texts):
    """{"label::Arabic (ar)": ..., ...} from {"ar": ..., ...} or a translatable message."""
    row = {}
    for code, name in LANGUAGES:
        if isinstance(texts, dict):
            value = texts.get(code, "")
        else:
            with translation.override(code):
                value = str(texts)
        row[f"{column}::{name}"] = value
    return row


def _localised(obj, field):
    return {code: getattr(obj, f"{field}_{code}", "") or "" for code, _n in LANGUAGES}


def _too_long(message, n):
    texts = {}
    for code, _name in LANGUAGES:
        with translation.override(code):
            texts[code] = str(message) % {"n": n}
    return texts


def survey_rows(questionnaire):
    """The survey sheet: the introduction, who, when and where, one screen per dimension, and
    the last step that needs at least one question answered yes or no."""
    questions = list(questionnaire.questions.all())
    rows = [{"type": "note", "name": "intro", **_each("label", _localised(questionnaire, "intro"))}]
    rows += _details_rows()
    dimension_rows, answered = _dimension_rows(questions)
    rows += dimension_rows
    rows += _review_rows(answered)
    return rows


def _details_rows():
    """Who, when and where, on one screen: the date and campaign, the place, the interview."""
    return [
        {
            "type": "begin_group",
            "name": DETAILS_GROUP,
            "appearance": "field-list",
            **_each("label", _("Who, when and where")),
        },
        *_when_rows(),
        *_where_rows(),
        *_interview_rows(),
        {"type": "end_group", "name": ""},
    ]


def _when_rows():
    """The date (not in the future) and the campaign running that day."""
    return [
        {
            "type": "date",
            "name": "screened_on",
            "required": "yes",
            "default": "today()",
            "constraint": ". <= today()",
            **_each("label", _("screened on")),
            **_each("constraint_message", _("A screening cannot be dated in the future.")),
        },
        {
            "type": f"select_one_from_file {CAMPAIGNS_FILE}",
            "name": "campaign",
            "appearance": "minimal",
            "choice_filter": (
                "date(starts_on) <= ${screened_on} and date(ends_on) >= ${screened_on}"
            ),
            **_each("label", _("campaign")),
        },
    ]


def _where_rows():
    """The region and the place of the interview."""
    return [
        {
            "type": "select_one region",
            "name": "region",
            "appearance": "minimal",
            **_each("label", _("region")),
        },
        {
            "type": "text",
            "name": "place_detail",
            "constraint": f"string-length(.) <= {PLACE_MAX}",
            **_each("label", _("place")),
            **_each("hint", _("Town, neighbourhood or site of the interview.")),
            **_each(
                "constraint_message",
                _too_long(_("Keep the place under %(n)s characters."), PLACE_MAX),
            ),
        },
    ]


def _interview_rows():
    """The language of the interview and who is screened (no record is created)."""
    return [
        {
            "type": "select_one language",
            "name": "language",
            "appearance": "minimal",
            **_each("label", _("language of the interview")),
        },
        {
            "type": "text",
            "name": "alias",
            "required": "yes",
            "constraint": f"string-length(.) <= {ALIAS_MAX}",
            **_each("label", _("who is screened")),
            **_each("hint", _("A first name or a short description; no record is created.")),
            **_each(
                "required_message",
                _("Say briefly who is screened (a first name or a description)."),
            ),
            **_each(
                "constraint_message",
                _too_long(_("Keep the description under %(n)s characters."), ALIAS_MAX),
            ),
        },
    ]


def _dimension_rows(questions):
    """One screen per dimension that has questions, each answered yes / no / unknown; and the
    terms that count a question answered yes or no."""
    rows, answered = [], []
    for dimension in Dimension:
        asked = [q for q in questions if q.dimension == dimension.value]
        if not asked:
            continue
        rows.append(
            {
                "type": "begin_group",
                "name": dimension.value,
                "appearance": "field-list",
                **_each("label", dimension.label),
                **_each("hint", DIMENSION_HELP.get(dimension, "")),
            }
        )
        for q in asked:
            name = question_name(q)
            rows.append(
                {"type": "select_one answer", "name": name, **_each("label", _localised(q, "text"))}
            )
            answered.append(f"if(${{{name}}} = 'yes' or ${{{name}}} = 'no', 1, 0)")
        rows.append({"type": "end_group", "name": ""})
    return rows, answered


def _review_rows(answered):
    """The observations and the confirmation, refused until a question is answered yes or no."""
    return [
        {"type": "calculate", "name": "answered", "calculation": " + ".join(answered) or "0"},
        {
            "type": "begin_group",
            "name": REVIEW_GROUP,
            "appearance": "field-list",
            **_each("label", _("Submit the screening")),
        },
        {
            "type": "text",
            "name": "notes",
            "appearance": "multiline",
            "constraint": f"string-length(.) <= {NOTES_MAX}",
            **_each("label", _("observations")),
            **_each(
                "hint",
                _("What you saw or what the person said that the questions do not cover."),
            ),
            **_each(
                "constraint_message",
                _too_long(_("Keep the observations under %(n)s characters."), NOTES_MAX),
            ),
        },
        {
            "type": "acknowledge",
            "name": "confirm",
            "required": "yes",
            "constraint": "${answered} > 0",
            **_each("label", _("Submit the screening")),
            **_each(
                "required_message",
                _("Answer at least one question with yes or no before submitting."),
            ),
            **_each(
                "constraint_message",
                _("Answer at least one question with yes or no before submitting."),
            ),
        },
        {"type": "end_group", "name": ""},
    ]


def choice_rows():
    rows = [
        {"list_name": "answer", "name": value, **_each("label", label)}
        for value, label in Answer.choices
    ]
    for code_list in ("region", "language"):
        rows += [
            {"list_name": code_list, "name": c.code, **_each("label", _localised(c, "label"))}
            for c in Code.objects.of(code_list).order_by("sort", "code")
        ]
    return rows


def settings_row(questionnaire):
    return {
        "form_title": questionnaire.title_fr or questionnaire.title_en,
        "form_id": form_id(questionnaire),
        "default_language": DEFAULT_LANGUAGE,
        "public_key": crypto.public_key_base64(),
        "submission_url": submission_url(),
        "instance_name": "concat('SCR ', ${screened_on})",
        "style": "pages",
    }


@dataclass(frozen=True)
class FieldForm:
    questionnaire_id: int
    form_id: str
    version: str
    title: str
    xform: str

    @property
    def md5(self):
        return "md5:" + hashlib.md5(self.xform.encode("utf-8")).hexdigest()  # noqa: S324


def _sheets(questionnaire):
    survey = survey_rows(questionnaire)
    choices = choice_rows()
    setting = settings_row(questionnaire)
    # The version names the questionnaire version first (the submission is matched on it), then
    # what else went into the form (key, code lists, base address): any change is a new form.
    digest = hashlib.sha256(
        json.dumps([survey, choices, setting], sort_keys=True).encode()
    ).hexdigest()
    setting["version"] = f"{questionnaire.version}.{digest[:10]}"
    return {"survey": survey, "choices": choices, "settings": [setting]}, digest


def workbook_bytes(sheets):
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        columns = []
        for row in rows:
            columns += [c for c in row if c not in columns]
        sheet.append(columns)
        for row in rows:
            sheet.append([row.get(c, "") for c in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsform(questionnaire):
    """The XLSForm (xlsx bytes), as pyxform converts it and as KoboToolbox users upload it."""
    sheets, _digest = _sheets(questionnaire)
    return workbook_bytes(sheets)


def convert(xlsx, *, validate=False):
    """pyxform's conversion and its own checks; ``validate`` runs ODK Validate as well (Java)."""
    warnings = []
    try:
        result = xls2xform.convert(
            xlsform=io.BytesIO(xlsx), warnings=warnings, validate=validate, file_type=".xlsx"
        )
    except Exception as exc:  # pyxform raises its own errors and ODK Validate's
        raise FormError(str(exc)) from exc
    return result.xform, warnings


def field_form(questionnaire):
    """The XForm of a questionnaire version, converted once per content."""
    sheets, digest = _sheets(questionnaire)
    key = f"himaya-field-xform:{questionnaire.pk}:{digest}"
    xform = cache.get(key)
    if xform is None:
        xform, _warnings = convert(workbook_bytes(sheets))
        cache.set(key, xform, 24 * 3600)
    return FieldForm(
        questionnaire_id=questionnaire.pk,
        form_id=form_id(questionnaire),
        version=sheets["settings"][0]["version"],
        title=sheets["settings"][0]["form_title"],
        xform=xform,
    )
