"""A reason, a note or a detail an action requires is refused when it shows nothing: empty,
spaces, or only invisible characters (core.bidi.blank). An outside probe sent a send-back
whose reason was a right-to-left and a left-to-right mark: ``str.strip`` kept it, the
investigators got a send-back with nothing to read."""

import ast
import datetime
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

import himaya
from himaya.core import bidi
from himaya.justice import actions as ja
from himaya.testing import factories as f

ROOT = Path(himaya.__file__).resolve().parent


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


INVISIBLE = ["", "   ", "\u200f\u200e", "\u200b", "\u2067\u2069", "\u3164", "\u00a0\t\n", "\ufeff"]


@pytest.mark.parametrize("text", INVISIBLE)
def test_blank_is_what_shows_nothing(text):
    assert bidi.blank(text)


@pytest.mark.parametrize("text", ["x", " \u200fلا\u200f ", "ـ", "1", ".", "\u064b"])
def test_blank_is_not_what_shows_something(text):
    assert not bidi.blank(text)


def _actions_modules():
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if "tests" in rel.parts or "migrations" in rel.parts:
            continue
        if "actions" in rel.parts or rel.name == "actions.py":
            yield rel, path.read_text(encoding="utf-8")


# Stripped values that are codes or references, not text a person reads: an indicator's figure
# key (checked against the catalogue), an external reference (checked for its characters).
IDENTIFIERS = {
    ("coordination/actions/structure.py", "figure"),
    ("justice/actions/common.py", "value"),
}


def _stripped_names(function):
    """Names a function assigns from a ``.strip()`` (``note = (note or "").strip()``)."""
    names = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and re.search(r"\.strip\(\)$", ast.unparse(node.value)):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def test_no_action_requires_text_with_strip_alone():
    """The class: a required text checked with ``not value.strip()``, or with ``not value``
    once ``value`` was stripped, lets invisible text in. Every action checks it with
    bidi.blank."""
    found = []
    for rel, source in _actions_modules():
        for function in ast.walk(ast.parse(source)):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            stripped = _stripped_names(function)
            for node in ast.walk(function):
                if not (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not)):
                    continue
                operand = ast.unparse(node.operand)
                if (rel.as_posix(), operand) in IDENTIFIERS:
                    continue
                if re.search(r"\.strip\(\)$", operand) or operand in stripped:
                    found.append(f"{rel}:{node.lineno}: not {operand}")
    assert found == []


@pytest.mark.django_db
@pytest.mark.parametrize("reason", INVISIBLE[2:5])
def test_a_send_back_without_a_visible_reason_is_refused(users, orgs, reason):
    carol = users["carol"]
    inv = ja.open_investigation(
        acting_user=carol, organisation=orgs["police"], opened_on=days_ago(30)
    )
    ja.transfer_investigation(inv, acting_user=carol, office=orgs["parquet"], on=days_ago(20))
    with pytest.raises(ValidationError) as exc:
        ja.return_investigation(inv, acting_user=users["paula"], reason=reason, on=days_ago(10))
    assert "reason" in exc.value.error_dict


@pytest.mark.django_db
def test_a_note_of_invisible_characters_is_refused_on_the_page(users, orgs, login):
    dossier = f.dossier(users["alice"], orgs["ngo_a"])
    response = login(users["alice"]).post(
        reverse("cases:note_add", args=[dossier.pk]), {"text": "\u200f\u200b"}
    )
    assert response.status_code == 400
    assert not dossier.notes.exists()
