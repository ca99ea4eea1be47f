"""Issue 16, "Registers as clerks keep them": how fast a justice register imports, and in how
much memory. A prosecution office's register of ``--rows`` rows (investigations, suspects,
arrests, prosecutions, charges with counts, court decisions, appeals, sentences; seed fixed;
about 5% of the arrests in flagrante before the investigation's recorded opening, the warnings
a clerk confirms) is imported through ``services.import_file`` (the command's path: the engine,
the justice actions, the audit rows, the run recorded) into a fresh, migrated database:

- read: the workbook read into rows alone (``reading.read``), the baseline every run pays;
- dry run: every row checked through the actions, all rolled back;
- commit: the same, written (warnings confirmed);
- re-run: the same file committed again: every row found "unchanged", nothing written.

Each phase runs in the same child process, one after the other; its wall time, rows per second
and peak resident memory (VmHWM, reset before the phase, so "peak" is that phase's own, file
and rows included) are printed as a table.

    .venv/bin/python benchmarks/registers.py --rows 2000 --profile     # where the time goes
    .venv/bin/python benchmarks/registers.py                           # 20,000 rows, PostgreSQL
    .venv/bin/python benchmarks/registers.py --rows 2000 --sqlite      # the same on SQLite

The database (``--database-url``, default ``himaya_bench_registers`` on the local server) is
created, migrated, and dropped afterwards unless ``--keep``.

Measured (issue 16) on the shared 2-core machine, busy with other work, so the seconds are
noisy; queries per row and memory are not.

2026-12-07, early morning, PostgreSQL, before (00fc53d) and after (58527c6: an import run's
memo, ``justice/actions/run.py``: a record locked and found writable by a rule is not locked
and checked again by the next rows of the run; the file's register references read with the
writers' prefetch instead of a query a row; the query of what the user sees built once a
run; a prosecution's status after a new charge reads its appeals only), the same rules and
actions as the pages. Two runs each, alternated (before, after, before, after), each in its
own worktree, load average 1.6 to 2.7:

    2,002 rows         before             after
    dry run            112 / 128          266 / 219 rows/s, 7.6 → 5.5 queries/row
    commit             95 / 137           244 / 191 rows/s, 7.6 → 5.5 queries/row
    peak               142-143 MB         144-145 MB

    20,001 rows        before (load 2.1-2.9)     after (25f4ea3, load 3.2-4.6), one run each
    dry run            113.2 s, 177 rows/s       79.3 s, 252 rows/s; 7.6 → 5.5 queries/row
    commit             142.5 s, 140 rows/s       80.4 s, 249 rows/s; 7.6 → 5.5 queries/row
    peak               177 MB                    183 MB (the memo's locked records: at most
                                                 5,000, ``run.HELD``; with 1,000, 182 MB but
                                                 5.8 queries/row, re-locked a sheet later)
    re-run             10.9 s, 1,840 rows/s      12.2 s, 1,644 rows/s (0.3 queries/row both;
                                                 it writes nothing: the load)

Profiled after (dry run, 2,002 rows; cProfile doubles the times): 11,100 queries, ~4 s of
15.5 s waiting on the database. What remains of a row is its action's own work, one row at a
time: the savepoint of each action (two of the 5.5 queries), its checks (a suspect of the
investigation, a prosecution already, a count number taken, an earlier decision, a
sentence already) and writes (the record, its latest event, its status); and compiling the
access rule of a record read by primary key (``Visible``'s probes, ~2.5 ms a query, core's):
the investigation seen by ``start_prosecution`` and ``ensure_visible`` after opening one. An
investigation 8 ms, a prosecution 10, a decision 8, a charge and a suspect 6, an arrest 5,
a sentence 3 (profiled). The target, 1,000 rows/s, stays out of reach row by row.

2026-12-06, evening, PostgreSQL, before (3670c08) and after (d395128: the rows' audit rows held
and inserted 500 rows at a time, ``audit.log.Buffer``; the linkage's keys, name counts and
entry-candidate searches of those rows written and answered together,
``linkage.entry_batch``, each search answered as at its row), two runs each, alternated, load
average 1.8 to 2.6:

    2,002 rows         before             after
    read               19,339 / 19,889    20,709 / 10,366 rows/s
    dry run            105 / 92           155 / 166 rows/s, 11.3 → 8.0 queries/row
    commit             112 / 102          160 / 149 rows/s, 11.3 → 8.0 queries/row
    re-run             1,894 / 1,937      1,872 / 1,911 rows/s, 0.4 queries/row both
    peak               165 MB             146 MB (dry run and commit)

    20,001 rows        before (load 2.1-3.7)      after (load 2.6-3.1), one run each
    read               0.9 s, 21,246 rows/s      0.9 s, 22,735 rows/s
    dry run            226.3 s, 88 rows/s        128.7 s, 155 rows/s; 11.5 → 8.0 queries/row
    commit             192.9 s, 104 rows/s       140.1 s, 143 rows/s; 11.5 → 8.0 queries/row
    peak               204-205 MB                181 MB (dry run and commit)
    re-run             9.6 s, 2,084 rows/s       13.0 s, 1,542 rows/s (0.3 queries/row both,
                       peak 302 MB               257 MB; the re-run writes nothing, holds
                                                 nothing: the load, as at 2,002 rows it is even)

An imported suspect cost 31 ms of linkage (21 queries: the ranked look-up, the register counted
twice, the stored records, the name counts, the candidates' visibility and their description,
two writes a name count) and now ~1 ms of a flush; the suspects' rows went from 45 to 7 ms
(``--profile``). The target, 1,000 rows/s, stays far: what remains, ~6.5 ms a row, is the justice
actions themselves, one row at a time (profiled dry run at 2,002 rows: an investigation
17 ms, open_investigation's access check after saving ``ensure_visible`` half of it; a
prosecution 15 ms, a decision 14 ms, a charge 10 ms with the prosecution's status refreshed
from its charges, a query each; an arrest 6 ms; ``lock_writable`` / ``lock_prosecution``
through the access rules, 2 to 2.4 ms a call; ``check_external_ref``, a query a row, 1 ms).
Only the justice actions checking and writing a kind's rows in bulk would reach the target.

Earlier (2026-12-06, afternoon, before and after the reader ``sheets`` and the engine's
savepoints, ebfc3c9 → 2c26f59), 2,002 rows, two runs each, alternated, load 4.0 to 5.2:
read 3,712 / 4,418 → 12,972 / 12,719 rows/s; dry run 81 / 67 → 91 / 89 rows/s; commit 44 / 58
→ 107 / 77 rows/s; 11.8 → 11.3 queries/row; re-run 500 / 1,060 → 1,973 / 1,445 rows/s. At
20,001 rows (load 2.3 to 8): dry run 585 s → 974 s (the load), commit 950 s → 332 s, 12.1 →
11.5 queries/row, re-run 89.6 s → 10.2 s, peak 375 → 288 MB.
"""

import argparse
import contextlib
import cProfile
import io
import json
import os
import pstats
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/himaya_bench_registers"


# --- the register ------------------------------------------------------------------------------

FORMS = ["sexual", "labour", "begging", "domestic_servitude", "criminality"]
ARTICLES = ["448.1", "448.2", "448.3", "448.4", "448.5"]
GIVEN = ["Karim", "Youssef", "Mohamed", "Said", "Rachid", "Fatima", "Nadia", "Omar", "Hassan"]
FAMILY = ["Benali", "El Idrissi", "Tazi", "Alaoui", "Bennani", "Kane", "Diallo", "Okafor"]
GIVEN_AR = ["كريم", "يوسف", "محمد", "سعيد", "رشيد", "فاطمة", "نادية", "عمر", "حسن"]
COUNTRIES = ["MA", "MA", "MA", "SN", "NG", "CI", "DZ"]


def register(rows, seed, year, court_name):
    """``{sheet: [header, *rows]}`` of about ``rows`` rows, in the proportions of a prosecution
    office's year: per investigation 1.5 suspects, an arrest each, most prosecuted, 1.3 charges
    each (two counts of one article for two victims now and then), decisions for most charges,
    sentences for the convictions, a few appeals."""
    import datetime

    rng = random.Random(seed)
    sheets = {
        "investigations": [["ref", "opened_on", "region", "forms", "status"]],
        "suspects": [
            [
                "ref",
                "investigation_ref",
                "given_name_ar",
                "given_name_lat",
                "family_name_lat",
                "sex",
                "birth_date",
                "citizenship",
                "public_official",
            ]
        ],
        "arrests": [["ref", "suspect_ref", "investigation_ref", "event", "date", "place"]],
        "prosecutions": [["ref", "suspect_ref", "investigation_ref", "started_on", "court"]],
        "charges": [["ref", "prosecution_ref", "article", "form", "count"]],
        "decisions": [["ref", "charge_ref", "outcome", "decided_on"]],
        "appeals": [["ref", "prosecution_ref", "lodged_on", "lodged_by"]],
        "sentences": [["ref", "decision_ref", "prison_months", "suspended_months", "fine_mad"]],
    }
    total = 0
    i = 0
    start = datetime.date(year, 1, 1)

    def day(base, lo, hi):
        return base + datetime.timedelta(days=rng.randint(lo, hi))

    while total < rows:
        i += 1
        inv = f"E-{year}-{i:05d}"
        opened = day(start, 0, 200)
        forms = rng.sample(FORMS, rng.choice([1, 1, 2]))
        sheets["investigations"].append(
            [inv, opened.isoformat(), "tanger_tetouan_al_hoceima", "; ".join(forms), "open"]
        )
        total += 1
        for s in range(rng.choice([1, 1, 2, 2, 2])):
            sus = f"S-{i:05d}-{s}"
            g = rng.randrange(len(GIVEN))
            sheets["suspects"].append(
                [
                    sus,
                    inv,
                    GIVEN_AR[g],
                    GIVEN[g],
                    rng.choice(FAMILY),
                    "female" if g in (5, 6) else "male",
                    datetime.date(rng.randint(1960, 2000), rng.randint(1, 12), 1).isoformat(),
                    rng.choice(COUNTRIES),
                    "no",
                ]
            )
            # An arrest in flagrante comes before the investigation's recorded opening (5%).
            flagrante = rng.random() < 0.05
            arrested = day(opened, -3, -1) if flagrante else day(opened, 0, 20)
            sheets["arrests"].append(
                [f"A-{i:05d}-{s}", sus, inv, "arrest", arrested.isoformat(), "Tanger"]
            )
            total += 2
            if rng.random() < 0.2:
                continue
            pros = f"P-{i:05d}-{s}"
            started = day(max(opened, arrested), 5, 40)
            sheets["prosecutions"].append([pros, sus, inv, started.isoformat(), court_name])
            total += 1
            decided_any = None
            charges = [(rng.choice(ARTICLES), forms[0], 1)]
            if rng.random() < 0.3:  # two victims: a second count of the same charge
                charges.append((charges[0][0], charges[0][1], 2))
            for c, (article, form, count) in enumerate(charges):
                ref = f"C-{i:05d}-{s}-{c}"
                sheets["charges"].append([ref, pros, article, form, count])
                total += 1
                if rng.random() < 0.3:
                    continue
                decided = day(started, 60, 200)
                outcome = rng.choice(["convicted", "convicted", "convicted", "acquitted"])
                dec = f"D-{i:05d}-{s}-{c}"
                sheets["decisions"].append([dec, ref, outcome, decided.isoformat()])
                decided_any = decided
                total += 1
                if outcome == "convicted":
                    months = rng.choice([12, 24, 60, 120])
                    sheets["sentences"].append(
                        [f"T-{i:05d}-{s}-{c}", dec, months, rng.choice([0, 0, 6]), "20000"]
                    )
                    total += 1
            if decided_any and rng.random() < 0.08:
                sheets["appeals"].append(
                    [
                        f"AP-{i:05d}-{s}",
                        pros,
                        day(decided_any, 1, 10).isoformat(),
                        rng.choice(["prosecution", "defence"]),
                    ]
                )
                total += 1
    return sheets, total


def workbook(sheets):
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- measuring (in the child process) ----------------------------------------------------------


def reset_peak():
    """Linux: reset VmHWM to the current resident size (so the next peak is the phase's)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def peak_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def rss_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def phase_measure(args):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "himaya.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import translation

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    t = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    log(f"  migrated in {time.perf_counter() - t:.1f} s ({connection.vendor})")

    from himaya.exchange import reading, services
    from himaya.testing import factories as f

    orgs = f.standard_organisations()
    users = f.standard_users(orgs)
    user, office = users["paula"], orgs["parquet"]
    sheets, total = register(args.rows, args.seed, args.year, orgs["court"].name_fr)
    data = workbook(sheets)
    log(f"  register: {total:,} rows, {len(data) / 1e6:.1f} MB")
    results = {"rows": total, "bytes": len(data), "vendor": connection.vendor, "phases": []}

    queries = [0]

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    # Kept open for the whole measure (a context manager left to the garbage collector would
    # remove the wrapper at once).
    counting = connection.execute_wrapper(count)
    counting.__enter__()

    def phase(name, func):
        reset_peak()
        before = rss_mb()
        queries[0] = 0
        profiler = cProfile.Profile() if args.profile and name in args.profile_phases else None
        t = time.perf_counter()
        if profiler:
            profiler.enable()
        out = func()
        if profiler:
            profiler.disable()
        seconds = time.perf_counter() - t
        row = {
            "phase": name,
            "seconds": seconds,
            "rows_per_s": total / seconds if seconds else 0,
            "queries_per_row": queries[0] / total,
            "peak_mb": peak_mb(),
            "grew_mb": peak_mb() - before,
        }
        results["phases"].append(row)
        log(
            f"  {name}: {seconds:.1f} s, {row['rows_per_s']:,.0f} rows/s, "
            f"{row['queries_per_row']:.1f} queries/row, peak {row['peak_mb']:.0f} MB"
        )
        if profiler and args.profile_dump:
            profiler.dump_stats(f"{args.profile_dump}.{name.replace(' ', '_')}")
        if profiler:
            stream = io.StringIO()
            stats = pstats.Stats(profiler, stream=stream)
            stats.sort_stats("cumulative").print_stats(args.profile_lines)
            stats.sort_stats("tottime").print_stats(args.profile_lines)
            log(stream.getvalue())
        return out

    def run(commit):
        with translation.override("en"):
            return services.import_file(
                data,
                "register.xlsx",
                user=user,
                organisation=office,
                commit=commit,
                confirm_warnings=True,
            )[1]

    phase("read", lambda: reading.read(data, "register.xlsx"))
    dry = phase("dry run", lambda: run(False))
    if dry.errors:
        for e in dry.errors[:20]:
            log(f"    {e.sheet}:{e.row}:{e.column}: {e.message}")
        raise SystemExit(f"the dry run found {len(dry.errors)} errors")
    results["warnings"] = len(dry.warnings)
    done = phase("commit", lambda: run(True))
    if not done.committed:
        raise SystemExit(f"the commit failed: {done.errors[:5]}")
    results["created"] = done.total("created")
    again = phase("re-run", lambda: run(True))
    if not again.committed or again.total("created") or again.total("updated"):
        raise SystemExit(f"the re-run was not idempotent: {again.counts}")
    results["unchanged"] = again.total("unchanged")
    counting.__exit__(None, None, None)
    results["load"] = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(json.dumps(results))


# --- the run (parent) ------------------------------------------------------------------------


def with_db(url, name):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin(url, sql):
    import psycopg

    with psycopg.connect(with_db(url, "postgres"), autocommit=True) as conn:
        conn.execute(sql)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000, help="rows of the register")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--year", type=int, default=2024, help="the register's year")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file instead")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--profile", action="store_true", help="cProfile the dry run and commit")
    parser.add_argument("--profile-lines", type=int, default=35)
    parser.add_argument(
        "--profile-dump", help="also write each profiled phase's pstats to PATH.<phase>"
    )
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--phase", choices=["measure"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.profile_phases = {"dry run", "commit"}
    if args.rows < 10:
        raise SystemExit("--rows must be at least 10")
    if args.phase == "measure":
        return phase_measure(args)

    tmp = None
    if args.sqlite:
        tmp = tempfile.mkdtemp(prefix="himaya-bench-")
        url = f"sqlite:///{tmp}/registers.sqlite3"
    else:
        url = args.database_url
        name = urlsplit(url).path.lstrip("/")
        admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin(url, f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "himaya.settings",
        "DEBUG": "0",
    }
    cmd = [sys.executable, str(Path(__file__).resolve()), "--phase", "measure"]
    cmd += ["--rows", str(args.rows), "--seed", str(args.seed), "--year", str(args.year)]
    cmd += ["--profile", "--profile-lines", str(args.profile_lines)] if args.profile else []
    cmd += ["--profile-dump", args.profile_dump] if args.profile_dump else []
    try:
        out = subprocess.run(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)  # noqa: S603
        if out.returncode:
            raise SystemExit(f"the measure failed (exit {out.returncode})")
        results = json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        if tmp is None and not args.keep:
            admin(url, f'DROP DATABASE IF EXISTS "{urlsplit(url).path.lstrip("/")}" WITH (FORCE)')
    print(
        f"\nA justice register of {results['rows']:,} rows ({results['bytes'] / 1e6:.1f} MB, "
        f"{results['warnings']:,} dates to confirm) on {results['vendor']}: created "
        f"{results['created']:,}, re-run unchanged {results['unchanged']:,}\n"
    )
    print(
        f"{'phase':<10} {'seconds':>9} {'rows/s':>9} {'queries/row':>12} {'peak MB':>9} "
        f"{'grew MB':>9}"
    )
    for p in results["phases"]:
        print(
            f"{p['phase']:<10} {p['seconds']:>9.1f} {p['rows_per_s']:>9,.0f} "
            f"{p['queries_per_row']:>12.1f} {p['peak_mb']:>9.0f} {p['grew_mb']:>9.0f}"
        )
    print(f"\nload average while measured: {results['load']}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
