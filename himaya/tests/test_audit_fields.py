"""An audit row names the fields an action changed (issue 18: accepting a referral recorded
["status"] while three fields changed). An action that saves through ``save_versioned`` logs the
names it returns, never a list typed apart that can drift from what is saved: a scan of every
action finds a log.write with a literal field list in a function that calls save_versioned."""

import ast
from pathlib import Path

import pytest

import himaya
from himaya.core.actions import save_versioned
from himaya.testing import factories as f

ROOT = Path(himaya.__file__).resolve().parent


def _calls(node, name):
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            func = sub.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called == name:
                yield sub


def typed_lists(tree):
    """(line, function) of log.write calls that name, with a literal field list, a record the
    function saved through save_versioned above them."""
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        saves = [(c.lineno, ast.unparse(c.args[0])) for c in _calls(fn, "save_versioned") if c.args]
        for call in _calls(fn, "write"):
            args = call.args
            if len(args) < 4 or not isinstance(args[3], (ast.List, ast.Tuple)):
                continue
            if any(isinstance(e, ast.Starred) for e in args[3].elts):
                continue
            record = ast.unparse(args[2])
            if any(line < call.lineno and saved == record for line, saved in saves):
                yield call.lineno, fn.name


def test_actions_log_the_fields_they_saved():
    found, bad = 0, []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if {"tests", "migrations", "testing"} & set(rel.parts):
            continue
        source = path.read_text(encoding="utf-8")
        if "save_versioned(" not in source:
            continue
        found += source.count("save_versioned(")
        bad += [f"{rel}:{line} {fn}" for line, fn in typed_lists(ast.parse(source))]
    print(f"\nversioned saves: {found}; audit rows with a field list typed apart: {len(bad)}")
    assert found > 20
    assert bad == [], "\n".join(bad)


def test_the_scan_tells_a_typed_list_from_the_saved_one():
    tree = ast.parse(
        "def accept(r, user, v):\n"
        "    save_versioned(r, ['status', 'accepted_at'], v)\n"
        "    log.write(user, 'accept', r, ['status'])\n"
        "def reject(r, user, v):\n"
        "    saved = save_versioned(r, ['status', 'rejected_at'], v)\n"
        "    log.write(user, 'reject', r, saved)\n"
        "def progress(row, user, v, new):\n"
        "    if new:\n"
        "        log.write(user, 'create', row, ['status'])\n"
        "    save_versioned(row, ['status'], v)\n"
        "def provider(p, user, v):\n"
        "    saved = save_versioned(p, ['services'], v)\n"
        "    log.write(user, 'save', p, [*saved, 'regions'])\n"
    )
    assert [fn for _line, fn in typed_lists(tree)] == ["accept"]


@pytest.mark.django_db
def test_save_versioned_returns_what_it_saved(users, orgs):
    dossier = f.dossier(users["alice"], orgs["ngo_a"])
    dossier.recruitment_city = "Tanger"
    saved = save_versioned(dossier, ["recruitment_city"], dossier.version)
    assert saved == ["recruitment_city"]
    dossier.refresh_from_db()
    assert dossier.recruitment_city == "Tanger"
