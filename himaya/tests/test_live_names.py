"""The browser tests share their worker's server (tests/live/conftest.py), in whichever order
pytest-xdist hands their files out. A person one file records can therefore be a duplicate
candidate of a person another file types, and that file's form then stops at "this person may
already be registered" (or "a possible match is recorded by another organisation"): CI once
failed on PostgreSQL that way, for "فاطمة الزهراء" imported by the HTCDS flow and typed by the
caseworker flow. So no family name is recorded or typed by two files of tests/live/; within one
file, a flow meets its own namesakes on purpose (the linkage flow)."""

import re
from collections import defaultdict
from pathlib import Path

LIVE = Path(__file__).resolve().parent / "live"

# A person's or suspect's family name as a test types it into a form (the person form, the
# hotline's dossier form, a screening's dossier), as the seed code of a test records it
# (create_person, add_suspect…), or as an HTCDS workbook of a test holds it.
TYPED = re.compile(
    r"""fill\(\s*["']#id_(?:[\w]+-)?family_name_(?:ar|lat)["']\s*,\s*(\{[^}]*\}|"[^"]*"|'[^']*')"""
)
RECORDED = re.compile(r"""family_name_(?:ar|lat)\s*=\s*(?:f?"([^"]*)"|f?'([^']*)')""")
WORKBOOK = re.compile(r"""["'](?:Second Name|prs_SecondName|Family Name)["']\s*:\s*"([^"]*)\"""")
QUOTED = re.compile(r""""([^"]*)"|'([^']*)'""")
LANGUAGE_KEYS = {"ar", "fr", "en"}


def family_names(source):
    """The family names a test file types or records, folded."""
    found = set()
    for match in TYPED.finditer(source):
        value = match.group(1)
        for quoted in QUOTED.finditer(value):
            text = quoted.group(1) if quoted.group(1) is not None else quoted.group(2)
            if text not in LANGUAGE_KEYS:
                found.add(text)
    for match in RECORDED.finditer(source):
        found.add(match.group(1) if match.group(1) is not None else match.group(2))
    found.update(match.group(1) for match in WORKBOOK.finditer(source))
    # A generated name ("S{i}", "Writer{i}") is no one's: only words of letters count.
    return {name.strip().casefold() for name in found if name.strip() and "{" not in name}


def test_the_patterns_find_every_way_a_test_gives_a_name():
    source = """
    page.fill("#id_family_name_lat", "Okafor")
    page.fill("#id_dossier-family_name_ar", "العلمي")
    page.fill("#id_family_name_ar", {"ar": "هند", "fr": "روكيا"}[lang])
    people.create_person(acting_user=u, given_name_lat="Nadia", family_name_lat='Tazi')
    ja.add_suspect(inv, given_name_lat="S", family_name_lat=f"S{{i}}")
    rows = [{"Second Name": "Diallo"}, {"prs_SecondName": "البقالي"}]
    """
    assert family_names(source) == {"okafor", "العلمي", "هند", "روكيا", "tazi", "diallo", "البقالي"}


def test_no_two_browser_test_files_give_the_same_family_name():
    files = defaultdict(set)
    for path in sorted(LIVE.glob("*.py")):
        for name in family_names(path.read_text(encoding="utf-8")):
            files[name].add(path.name)
    assert files, "no family name found: the patterns no longer match the tests"
    shared = {name: sorted(where) for name, where in files.items() if len(where) > 1}
    assert shared == {}, f"family names given by two browser test files: {shared}"
