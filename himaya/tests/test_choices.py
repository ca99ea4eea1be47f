"""A required select without an empty first option sends its first value when the user never
looked at it (issue 15: the stage form preselected a step back; a rejection reason, a discharge
reason, a service and a consent's giver were preselected the same way). Every form field that
is a required select must start on core.choices.choose()'s empty line or say what it preselects
(``initial=``), in the field or in the form's __init__."""

import ast
from pathlib import Path

import pytest
from django import forms

import himaya
from himaya.core.choices import CHOOSE, choose

ROOT = Path(himaya.__file__).resolve().parent
# Fields whose choices and preselection are set in the form's __init__, or that no select shows.
NOT_A_PLAIN_SELECT = {
    ("cases/forms.py", "stage"): "the next ordinary stage, or an empty first line",
    ("justice/forms.py", "article"): "the charge's articles, set from the record",
    ("referrals/forms.py", "bed"): "the referral's own facility, or an empty first line",
    ("hotline/forms/reports.py", "decision"): "sent by one of two buttons, never shown as a list",
}


def _form_fields():
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if (
            {"tests", "migrations", "testing"} & set(rel.parts)
            or rel.name.endswith("api.py")
            or "api" in rel.parts[:-1]
        ):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Assign) or not isinstance(node.value, ast.Call):
                continue
            call = node.value
            func = call.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            owner = ast.unparse(func.value) if isinstance(func, ast.Attribute) else ""
            if name not in ("ChoiceField", "TypedChoiceField") or "serializers" in owner:
                continue
            target = node.targets[0]
            field = target.id if isinstance(target, ast.Name) else ast.unparse(target)
            yield str(rel), field, call


def _unguarded(call):
    kw = {k.arg: k.value for k in call.keywords}
    if isinstance(kw.get("required"), ast.Constant) and kw["required"].value is False:
        return False
    if "initial" in kw:
        return False
    widget = ast.unparse(kw["widget"]) if "widget" in kw else ""
    if "RadioSelect" in widget or "HiddenInput" in widget:
        return False  # radios start with nothing chosen
    choices = ast.unparse(kw["choices"]) if "choices" in kw else ""
    return not (choices.startswith("choose(") or choices.startswith(("[('', ", '[("", ')))


def test_every_required_select_starts_empty_or_says_what_it_preselects():
    seen, bad = 0, []
    for rel, field, call in _form_fields():
        seen += 1
        if (rel, field) in NOT_A_PLAIN_SELECT:
            continue
        if _unguarded(call):
            bad.append(f"{rel}:{call.lineno} {field}")
    print(f"\nchoice fields in forms: {seen}, required selects preselecting by default: {len(bad)}")
    assert seen > 30
    assert bad == []


@pytest.mark.parametrize(
    "source, unguarded",
    [
        ("reason = forms.ChoiceField(choices=RejectionReason.choices)", True),
        ("reason = forms.ChoiceField(choices=choose(RejectionReason.choices))", False),
        ("channel = dj.ChoiceField(choices=C.choices, initial=C.CALL)", False),
        ("urgency = dj.ChoiceField(choices=U.choices, widget=dj.RadioSelect)", False),
        ("kind = forms.ChoiceField(choices=K.choices, required=False)", False),
    ],
)
def test_the_scan_tells_a_preselecting_select(source, unguarded):
    call = ast.parse(source).body[0].value
    assert _unguarded(call) is unguarded


def test_an_untouched_select_is_refused_not_taken_as_its_first_value():
    class Form(forms.Form):
        reason = forms.ChoiceField(choices=choose([("full", "full"), ("other", "other")]))

    html = str(Form()["reason"])
    assert html.index('value=""') < html.index('value="full"')
    assert str(CHOOSE) in html
    form = Form({"reason": ""})
    assert not form.is_valid() and "reason" in form.errors
    assert Form({"reason": "full"}).is_valid()
