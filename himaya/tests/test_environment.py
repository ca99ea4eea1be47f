"""Reading settings from the environment (himaya/environment.py): integers within their stated
bounds, booleans spelled one of a few ways, secrets from files; every bad value refused with the
variable's name and what it must be."""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from himaya.environment import env, env_bool, env_int

SETTINGS = Path(__file__).resolve().parents[1] / "settings.py"


def test_an_integer_within_its_bounds_is_read(monkeypatch):
    monkeypatch.setenv("HIMAYA_X", "7")
    assert env_int("HIMAYA_X", 3, low=1, high=10) == 7
    monkeypatch.setenv("HIMAYA_X", "")
    assert env_int("HIMAYA_X", 3, low=1, high=10) == 3
    monkeypatch.delenv("HIMAYA_X")
    assert env_int("HIMAYA_X", 3, low=1, high=None) == 3


@pytest.mark.parametrize(
    "value, low, high, message",
    [
        ("0", 1, 30, "HIMAYA_X must be between 1 and 30, not 0"),
        ("31", 1, 30, "HIMAYA_X must be between 1 and 30, not 31"),
        ("-1", 0, None, "HIMAYA_X must be at least 0, not -1"),
        ("101", None, 100, "HIMAYA_X must be at most 100, not 101"),
        ("ten", 1, 30, "HIMAYA_X must be an integer, not 'ten'"),
        ("1.5", 1, 30, "HIMAYA_X must be an integer, not '1.5'"),
    ],
)
def test_an_integer_out_of_bounds_or_not_an_integer_is_refused(
    monkeypatch, value, low, high, message
):
    monkeypatch.setenv("HIMAYA_X", value)
    with pytest.raises(ImproperlyConfigured) as refused:
        env_int("HIMAYA_X", 3, low=low, high=high)
    assert str(refused.value) == message


def test_a_default_out_of_bounds_is_refused_too():
    with pytest.raises(ImproperlyConfigured, match="must be at least 1, not 0"):
        env_int("HIMAYA_UNSET_FOR_THIS_TEST", 0, low=1, high=None)


def test_no_integer_setting_is_read_without_its_bounds():
    """Every env_int call of settings.py names both bounds (one may be None, said so)."""
    calls = [
        node
        for node in ast.walk(ast.parse(SETTINGS.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "env_int"
    ]
    assert len(calls) >= 25
    for call in calls:
        assert {k.arg for k in call.keywords} == {"low", "high"}, ast.unparse(call)
    assert "int(env(" not in SETTINGS.read_text(encoding="utf-8")


def test_a_boolean_is_one_of_a_few_spellings(monkeypatch):
    for value, meant in [("1", True), ("Yes", True), (" on ", True), ("0", False), ("off", False)]:
        monkeypatch.setenv("HIMAYA_B", value)
        assert env_bool("HIMAYA_B") is meant
    monkeypatch.setenv("HIMAYA_B", "maybe")
    with pytest.raises(ImproperlyConfigured, match="HIMAYA_B must be a boolean"):
        env_bool("HIMAYA_B")


def test_a_secret_is_read_from_the_file_its_name_FILE_names(monkeypatch, tmp_path):
    secret = tmp_path / "key"
    secret.write_text("s3cret\n", encoding="utf-8")
    monkeypatch.setenv("HIMAYA_K", "from the environment")
    monkeypatch.setenv("HIMAYA_K_FILE", str(secret))
    assert env("HIMAYA_K") == "s3cret"
    monkeypatch.setenv("HIMAYA_K_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="HIMAYA_K_FILE=.* cannot be read"):
        env("HIMAYA_K")
