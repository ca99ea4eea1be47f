"""The load benchmark (benchmarks/load.py, R5) does not rot: its plan covers each role with
pages that exist, and its locust file imports and gives each role the plan's tasks. The
benchmark itself is never run by the suite."""

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import Resolver404, resolve, reverse

from himaya.accounts.models import Role
from himaya.demo import data

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import load_plan  # noqa: E402

ROLES = {"caseworker", "shelter_manager", "investigator", "prosecutor", "hotline_operator"}
ROLES |= {"analyst"}


def test_plan_covers_each_role_with_pages_that_exist(figure):
    assert set(load_plan.ROLE_PAGES) == ROLES
    assert set(load_plan.MIX) == ROLES and sum(load_plan.MIX.values()) == 50
    assert set(load_plan.HOME_ORGS) == ROLES
    assert set(Role.values) >= ROLES
    demo_orgs = {row[0] for row in data.ORGANISATIONS}
    assert {k for keys in load_plan.HOME_ORGS.values() for k in keys} <= demo_orgs
    paths = dict(load_plan.PAGES)
    paths.update({name: path.format(7) for name, (_p, path, _s) in load_plan.DETAILS.items()})
    paths.update({name: path.format(q="x") for name, (path, _t) in load_plan.SEARCHES.items()})
    unknown = []
    for name, path in paths.items():
        try:
            resolve(path.split("?")[0])
        except Resolver404:
            unknown.append((name, path))
    assert unknown == []
    for role, tasks in load_plan.ROLE_PAGES.items():
        assert {"home", "inbox"} <= set(tasks), role
        assert set(tasks) <= set(paths), role
        assert all(isinstance(w, int) and w > 0 for w in tasks.values()), role
    # each detail's link pattern matches the link a list page renders, and its source is a list
    routes = {
        "dossier page": "cases:detail",
        "person page": "people:detail",
        "hotline report page": "hotline:detail",
        "investigation page": "justice:detail",
        "referral page": "referrals:detail",
    }
    assert set(routes) == set(load_plan.DETAILS)
    for name, (pattern, path, source) in load_plan.DETAILS.items():
        url = reverse(routes[name], args=[7])
        assert re.findall(pattern, f'<a href="{url}">') == ["7"], name
        assert path.format(7) == url and source in load_plan.PAGES, name
    figure(f"R5 plan: {len(ROLES)} roles, {len(paths)} pages, details and searches, all routed")


@pytest.mark.skipif(
    importlib.util.find_spec("locust") is None,
    reason="locust is in the bench extra: pip install -e '.[bench]'",
)
def test_locustfile_imports_and_gives_each_role_its_tasks():
    # In a child process: importing locust patches the standard library (gevent).
    script = """
import locustfile  # first: locust patches the standard library before requests loads
import json, requests
from collections import Counter
from requests.cookies import RequestsCookieJar, get_cookie_header, merge_cookies
jar = locustfile.LoopbackJar()
jar.set("__Host-himaya_session", "s", domain="127.0.0.1", path="/", secure=True)
request = requests.Request("GET", "http://127.0.0.1:9/").prepare()
print(json.dumps({
    "classes": {
        role: {"weight": cls.weight, "abstract": cls.abstract, "host": cls.host,
               "tasks": Counter(t.__name__.split(": ", 1)[1] for t in cls.tasks)}
        for role, cls in locustfile.USER_CLASSES.items()
    },
    "cookie": get_cookie_header(merge_cookies(RequestsCookieJar(), jar), request),
}))
"""
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=BENCHMARKS,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    found = json.loads(out.stdout.strip().splitlines()[-1])
    assert set(found["classes"]) == ROLES
    for role, cls in found["classes"].items():
        # locust repeats a task as often as its weight
        assert cls["tasks"] == load_plan.ROLE_PAGES[role], role
        assert cls["weight"] == load_plan.MIX[role] and cls["abstract"] is False
    # production's Secure cookies go back over the benchmark's loopback HTTP
    assert found["cookie"] == "__Host-himaya_session=s"
