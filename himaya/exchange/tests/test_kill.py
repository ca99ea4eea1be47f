"""R2 for real: a commit killed with SIGKILL mid-import leaves 0 partial rows; the re-run
completes; a third run creates 0 duplicates. The import runs as `manage.py import-justice` in
a child process on a database of its own (a file the test can inspect after the kill)."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from himaya.testing import databases

from .helpers import workbook

ROOT = Path(__file__).resolve().parents[3]

SEED = """
from himaya.testing import factories as f
orgs = f.standard_organisations()
users = f.standard_users(orgs)
print("IDS", orgs["parquet"].pk)
"""

COUNT = """
import json
from himaya.exchange.tests.helpers import justice_counts
print("COUNTS", json.dumps(justice_counts()))
"""


def _env(tmp):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HIMAYA_", "DJANGO_"))}
    env.update(
        # The test profile: as development, but passwords hashed at Argon2's least cost
        # (seeding the accounts and each login otherwise cost ~0.2 s of CPU apiece).
        HIMAYA_ENV="test",
        HIMAYA_VAR_DIR=str(tmp),
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        DEBUG="0",
        PYTHONUNBUFFERED="1",
    )
    return env


def _manage(env, *args):
    out = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return out


def _counts(env):
    out = _manage(env, "shell", "-c", COUNT)
    assert out.returncode == 0, out.stderr
    line = next(x for x in out.stdout.splitlines() if x.startswith("COUNTS "))
    return json.loads(line[len("COUNTS ") :])


def test_kill_9_mid_import_leaves_no_partial_rows(tmp_path, migrated, figure):
    env = _env(tmp_path)
    # A copy of the run's migrated template (himaya/conftest.py), not a migration of its own.
    databases.copy_sqlite(migrated("sqlite"), str(tmp_path / "db.sqlite3"))
    seeded = _manage(env, "shell", "-c", SEED)
    assert seeded.returncode == 0, seeded.stderr
    org = next(x for x in seeded.stdout.splitlines() if x.startswith("IDS ")).split()[1]
    register = tmp_path / "register.xlsx"
    register.write_bytes(workbook())
    empty = _counts(env)
    assert set(empty.values()) == {0}

    command = [sys.executable, str(ROOT / "manage.py"), "import-justice", str(register)]
    command += ["--org", org, "--user", "paula", "--commit", "-v2"]
    slow = dict(env, HIMAYA_IMPORT_ROW_DELAY="0.5")
    proc = subprocess.Popen(command, env=slow, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    written = 0
    deadline = time.monotonic() + 60
    while written < 6 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        written += line.startswith("row ")
    assert written == 6, "the import did not get going"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    after_kill = _counts(env)
    assert after_kill == empty, after_kill

    done = _manage(
        env, "import-justice", str(register), "--org", org, "--user", "paula", "--commit"
    )
    assert done.returncode == 0, done.stderr
    full = _counts(env)
    assert full["justice.Investigation"] == 2 and full["justice.Sentence"] == 1
    again = _manage(
        env, "import-justice", str(register), "--org", org, "--user", "paula", "--commit"
    )
    assert again.returncode == 0, again.stderr
    assert "created 0, updated 0, unchanged 13" in again.stdout
    rerun = _counts(env)
    rerun.pop("exchange.ImportRun")
    full.pop("exchange.ImportRun")
    assert rerun == full
    figure(
        f"R2: kill -9 after {written} of 13 rows written → {sum(after_kill.values())} partial "
        f"rows; re-run → {sum(full.values())} justice rows; third run → 0 duplicates"
    )
