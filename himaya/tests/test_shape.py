"""The shape of the code a newcomer reads (issue 18 item 7, docs/layout.md): an app's writes,
pages and API each live in one module or one package (``actions/``, ``views/``, ``api/``),
never in siblings named by a prefix (``decision_actions.py``, ``public_views.py``,
``identify_api.py``); and no function is longer than 60 lines, counted from its ``def`` to the
last line of its body, outside migrations and tests; and no module (the tests' and the
benchmarks' included) is longer than 600 lines, outside migrations."""

import ast
from pathlib import Path

import himaya

ROOT = Path(himaya.__file__).resolve().parent
LIMIT = 60
FILE_LIMIT = 600
BENCHMARKS = ROOT.parent / "benchmarks"
PREFIXED = ("_actions.py", "_views.py", "_api.py")


def _sources():
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if {"tests", "migrations"} & set(rel.parts):
            continue
        yield rel, path


def long_functions(source):
    """(name, lines) of each function or method over LIMIT lines in ``source``."""
    return [
        (node.name, node.end_lineno - node.lineno + 1)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.end_lineno - node.lineno + 1 > LIMIT
    ]


def _too_long():
    return {
        (rel.as_posix(), name): lines
        for rel, path in _sources()
        for name, lines in long_functions(path.read_text(encoding="utf-8"))
    }


def test_no_module_is_named_by_a_prefix():
    prefixed = [rel.as_posix() for rel, _path in _sources() if rel.name.endswith(PREFIXED)]
    print(f"\nmodules named *_actions.py, *_views.py or *_api.py: {len(prefixed)}")
    assert prefixed == [], (
        "make the app's actions/, views/ or api/ a package and put the module there: "
        + ", ".join(prefixed)
    )


def test_no_function_is_longer_than_60_lines():
    found = _too_long()
    print(f"\nfunctions over {LIMIT} lines: {len(found)}")
    assert found == {}, "split into named steps: " + ", ".join(
        f"{path} {name} ({n} lines)" for (path, name), n in sorted(found.items())
    )


def test_no_module_is_longer_than_600_lines():
    """Tests included: only the generated migrations may be longer."""
    modules = [
        path
        for path in [*ROOT.rglob("*.py"), *BENCHMARKS.rglob("*.py")]
        if "migrations" not in path.relative_to(ROOT.parent).parts
    ]
    assert len(modules) > 600
    found = {
        path.relative_to(ROOT.parent).as_posix(): n
        for path in modules
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > FILE_LIMIT
    }
    print(f"\nmodules over {FILE_LIMIT} lines: {len(found)}")
    assert found == {}, "split along a real seam: " + ", ".join(
        f"{path} ({n} lines)" for path, n in sorted(found.items())
    )


def test_the_count_runs_from_the_def_to_the_last_line_of_the_body():
    body = "".join(f"    x = {i}\n" for i in range(LIMIT - 1))
    assert long_functions(f"def f():\n{body}") == []  # 60 lines: the limit itself
    assert long_functions(f"@decorated\ndef f():\n{body}    return x\n") == [("f", LIMIT + 1)]
    method = "".join(f"        x = {i}\n" for i in range(LIMIT))
    assert long_functions(f"class C:\n    def m(self):\n{method}") == [("m", LIMIT + 1)]
