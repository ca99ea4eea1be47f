"""R2 for the casework of past years: a commit killed with SIGKILL mid-import leaves 0 partial
rows; the re-run completes; a third run creates 0 duplicates. Like test_kill.py (justice), the
import runs as `manage.py import-justice --register casework` in a child process on a database
of its own."""

import json
import os
import signal
import subprocess
import sys
import time

from himaya.testing import databases

from .casework_data import casework, workbook
from .test_kill import ROOT, _env, _manage

SEED = """
from himaya.referrals.models import Facility
from himaya.testing import factories as f
orgs = f.standard_organisations()
users = f.standard_users(orgs)
Facility.objects.create(
    organisation=orgs["ngo_a"], name_fr="Maison Amal",
    region=f.code("region", "casablanca_settat"), beds_women=4,
)
print("IDS", orgs["ngo_a"].pk)
"""

COUNT = """
import json
from himaya.exchange.tests.casework_data import counts
print("COUNTS", json.dumps(counts()))
"""


def _counts(env):
    out = _manage(env, "shell", "-c", COUNT)
    assert out.returncode == 0, out.stderr
    line = next(x for x in out.stdout.splitlines() if x.startswith("COUNTS "))
    return json.loads(line[len("COUNTS ") :])


def test_kill_9_mid_casework_import_leaves_no_partial_rows(tmp_path, migrated, figure):
    env = _env(tmp_path)
    # A copy of the run's migrated template (himaya/conftest.py), not a migration of its own.
    databases.copy_sqlite(migrated("sqlite"), str(tmp_path / "db.sqlite3"))
    seeded = _manage(env, "shell", "-c", SEED)
    assert seeded.returncode == 0, seeded.stderr
    org = next(x for x in seeded.stdout.splitlines() if x.startswith("IDS ")).split()[1]
    path = tmp_path / "casework.xlsx"
    path.write_bytes(workbook(casework()))
    empty = _counts(env)
    assert set(empty.values()) == {0}, empty

    args = ["import-justice", str(path), "--org", org, "--user", "alice"]
    args += ["--register", "casework", "--commit"]
    slow = dict(env, HIMAYA_IMPORT_ROW_DELAY="0.5")
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), *args, "-v2"],
        env=slow,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
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

    done = _manage(env, *args)
    assert done.returncode == 0, done.stderr
    full = _counts(env)
    assert full["cases.Dossier"] == 3 and full["referrals.Referral"] == 3
    again = _manage(env, *args)
    assert again.returncode == 0, again.stderr
    assert "created 0, updated 0, unchanged 12" in again.stdout
    assert _counts(env) == full
    figure(
        f"R2 casework: kill -9 after {written} of 12 rows written → "
        f"{sum(after_kill.values())} partial rows; re-run → {full['cases.Dossier']} dossiers, "
        f"{full['referrals.Referral']} referrals; third run → 0 duplicates"
    )
