"""The 403 page shows a refusal's reason (core.views.forbidden): every ``PermissionDenied`` our
code raises with a message must therefore carry a translated sentence for the user, never an
English developer's note. A scan of the source finds any refusal whose message is a literal or
an f-string instead of a gettext call or a name bound to one."""

import ast
from pathlib import Path

import himaya

ROOT = Path(himaya.__file__).resolve().parent
TRANSLATORS = {"_", "_t", "gettext", "gettext_lazy", "ngettext", "pgettext", "format_lazy"}


def _sources():
    for path in sorted(ROOT.rglob("*.py")):
        parts = set(path.relative_to(ROOT).parts)
        if "tests" in parts or "migrations" in parts or "testing" in parts:
            continue
        yield path


def _is_permission_denied(call):
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name == "PermissionDenied"


def _untranslated(node):
    """A message that is plain text: a literal, an f-string, or a concatenation or % of one."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _untranslated(node.left)
    return False


def refusals_in(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _is_permission_denied(node) and node.args:
            yield node


def test_every_refusal_message_is_translated():
    found, bad = 0, []
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in refusals_in(tree):
            found += 1
            if _untranslated(call.args[0]):
                bad.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    print(f"\nrefusals with a message: {found}, untranslated: {len(bad)}")
    assert found > 10, "the scan should see the refusals that explain themselves"
    assert bad == []


def test_the_scan_catches_a_plain_refusal():
    tree = ast.parse(
        "raise PermissionDenied('the record would not be visible')\n"
        "raise PermissionDenied(f'no {x}')\n"
        "raise exceptions.PermissionDenied(_('Ask the holder.'))\n"
    )
    flags = [_untranslated(c.args[0]) for c in refusals_in(tree)]
    assert flags == [True, True, False]
