"""Benchmark P2 (docs QUALITY.md): the full annual report over 10k, 100k and 1M persons with
5 events each, on PostgreSQL. Target: <= 5 s at 1M persons, growing linearly or better.

For each size: a fresh database ``<name>_<size>`` (from --database-url), migrated, then loaded
by COPY with a fixed seed (benchmarks/_bulk), VACUUM ANALYZE; then, in a fresh process,
``himaya.statistics.report.build_report(year)`` runs twice (cold, then warm) and the wall
time, the number of queries (CaptureQueriesContext) and the peak memory (maxrss) are printed.

    .venv/bin/python benchmarks/annual_report.py --sizes 10000,100000
    .venv/bin/python benchmarks/annual_report.py --sizes 1000000 --keep      # keep the database
    .venv/bin/python benchmarks/annual_report.py --sizes 1000000 --reuse --profile  # time again

Not collected by pytest (testpaths = himaya)."""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/himaya_bench"
TARGET_SECONDS = 5.0


def label(size):
    if size % 1_000_000 == 0:
        return f"{size // 1_000_000}m"
    if size % 1000 == 0:
        return f"{size // 1000}k"
    return str(size)


def with_db(url, name):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def db_name(url):
    return urlsplit(url).path.lstrip("/") or "himaya_bench"


def admin(url, *statements):
    """Run statements on the server's maintenance database (autocommit)."""
    import psycopg

    with psycopg.connect(with_db(url, "postgres"), autocommit=True) as conn:
        rows = []
        for sql, params in statements:
            cur = conn.execute(sql, params)
            rows.append(cur.fetchall() if cur.description else None)
        return rows


def exists(url, name):
    return bool(admin(url, ("SELECT 1 FROM pg_database WHERE datname = %s", (name,)))[0])


def drop(url, name):
    admin(url, (f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', None))


def create(url, name):
    drop(url, name)
    admin(url, (f'CREATE DATABASE "{name}"', None))


def persons_in(url):
    import psycopg

    try:
        with psycopg.connect(url) as conn:
            return conn.execute("SELECT COUNT(*) FROM people_person").fetchone()[0]
    except psycopg.Error:
        return None


def child(phase, url, args, extra=()):
    """Run a phase in a fresh process with DATABASE_URL set; its last stdout line is JSON."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "himaya.settings",
        "DEBUG": "0",
    }
    if args.pgoptions and phase == "measure":
        env["PGOPTIONS"] = args.pgoptions  # libpq: session settings for the report's connection
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--phase",
        phase,
        "--year",
        str(args.year),
    ]
    cmd += ["--seed", str(args.seed), *extra]
    out = subprocess.run(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=False)  # noqa: S603
    if out.returncode:
        raise SystemExit(f"{phase} phase failed (exit {out.returncode}) for {url}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def maxrss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup_django():
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import django

    django.setup()


# --- phases (in child processes) ------------------------------------------------------------------


def phase_load(args):
    setup_django()
    from _bulk import load_caseload, table_counts
    from django.core.management import call_command
    from django.db import connection

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    t = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_s = time.perf_counter() - t
    log(f"  migrated in {migrate_s:.1f} s")
    loaded = load_caseload(
        args.size, seed=args.seed, year=args.year, fk_checks=args.fk_checks, log=log
    )
    t = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    vacuum_s = time.perf_counter() - t
    counts = table_counts(loaded["counts"])
    if counts != loaded["counts"]:
        raise SystemExit(f"row counts differ from what was loaded: {counts} {loaded['counts']}")
    with connection.cursor() as cur:
        cur.execute("SELECT pg_database_size(current_database())")
        size = cur.fetchone()[0]
    print(
        json.dumps(
            {
                "migrate_s": migrate_s,
                "load_s": loaded["seconds"],
                "copy_s": loaded["copy_seconds"],
                "vacuum_s": vacuum_s,
                "counts": counts,
                "db_mb": size / 2**20,
            }
        )
    )


def phase_measure(args):
    setup_django()
    # A kept database (--reuse) may predate migrations added since: apply them first.
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from himaya.statistics.report import build_report

    call_command("migrate", verbosity=0, interactive=False)
    connection.ensure_connection()
    base_mb = maxrss_mb()
    load_before = os.getloadavg()[0]  # the machine is shared: every timing carries its load
    runs = []
    report = None
    for i in range(args.runs):
        with CaptureQueriesContext(connection) as ctx:
            t, cpu = time.perf_counter(), time.process_time()
            report = build_report(args.year)
            seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
        json.dumps(report)  # the contract: JSON-serialisable
        slowest = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:8]
        runs.append(
            {
                "run": "cold" if i == 0 else "warm",
                "seconds": seconds,
                # this process's CPU (the Python side), less sensitive to a shared machine
                "python_cpu_seconds": cpu,
                "queries": len(ctx.captured_queries),
                "sql_seconds": sum(float(q["time"]) for q in ctx.captured_queries),
                "slowest": [{"time": float(q["time"]), "sql": q["sql"][:300]} for q in slowest],
            }
        )
        print(
            f"  {runs[-1]['run']}: {seconds:.2f} s (SQL {runs[-1]['sql_seconds']:.2f} s, "
            f"Python CPU {cpu:.2f} s), {len(ctx.captured_queries)} queries",
            file=sys.stderr,
        )
    facts = report.get("facts", {}) if isinstance(report, dict) else {}
    sample = {
        k: facts[k]
        for k in ("investigations", "arrested", "prosecuted", "convicted", "victims", "bed_nights")
        if k in facts
    }
    result = {
        "runs": runs,
        "base_mb": base_mb,
        "peak_mb": maxrss_mb(),
        "facts": sample,
        "load": (load_before, os.getloadavg()[0]),
    }
    if args.tracemalloc:
        import tracemalloc

        tracemalloc.start()
        build_report(args.year)
        result["python_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    if args.profile:
        result["profile"] = profile(args)
    print(json.dumps(result, default=str))


def profile(args):
    """cProfile one more (warm) run: the report's own functions by cumulative time."""
    import cProfile
    import io
    import pstats

    from himaya.statistics.report import build_report

    prof = cProfile.Profile()
    prof.enable()
    build_report(args.year)
    prof.disable()
    stream = io.StringIO()
    stats = pstats.Stats(prof, stream=stream).sort_stats("cumulative")
    stats.print_stats(r"himaya/(?!.*migrations)", args.profile_lines)
    # The parts build_report calls directly, each with its cumulative time.
    parts = []
    for func, (_cc, _nc, _tt, cum, callers) in stats.stats.items():
        if any(c[2] == "build_report" for c in callers) and "himaya" in func[0]:
            parts.append((cum, f"{Path(func[0]).parent.name}/{Path(func[0]).name}:{func[2]}"))
    print("build_report's direct callees (cumulative s, under cProfile):", file=stream)
    for cum, name in sorted(parts, reverse=True):
        print(f"  {cum:8.2f}  {name}", file=stream)
    print(stream.getvalue(), file=sys.stderr)
    path = ROOT / "var" / f"annual_report_{label(args.size) if args.size else 'run'}.prof"
    path.parent.mkdir(exist_ok=True)
    stats.dump_stats(path)
    return str(path)


# --- the run --------------------------------------------------------------------------------------


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="persons, comma-separated")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL),
        help="server and base name; each size gets <name>_<size>",
    )
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="use a kept database of the right size instead of loading again",
    )
    parser.add_argument("--year", type=int, default=2025, help="report year (data: year-5..year)")
    parser.add_argument("--seed", type=int, default=20231)
    parser.add_argument("--runs", type=int, default=2, help="report runs per size (cold, warm…)")
    parser.add_argument("--profile", action="store_true", help="cProfile one more run")
    parser.add_argument("--profile-lines", type=int, default=40)
    parser.add_argument("--tracemalloc", action="store_true", help="Python peak allocation run")
    parser.add_argument(
        "--fk-checks",
        action="store_true",
        help="keep foreign-key checks on while loading (slower; proves the data)",
    )
    parser.add_argument("--load-only", action="store_true", help="load (and keep), no report")
    parser.add_argument(
        "--pgoptions",
        default="",
        help='PostgreSQL session settings for the report runs, e.g. "-c work_mem=64MB -c jit=off"',
    )
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--phase", choices=["load", "measure"], help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.phase == "load":
        return phase_load(args)
    if args.phase == "measure":
        return phase_measure(args)

    try:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        raise SystemExit(
            f"--sizes must be integers separated by commas, not {args.sizes!r}"
        ) from None
    if not sizes or min(sizes) < 1:
        raise SystemExit("--sizes must be positive")
    base = db_name(args.database_url)
    results = []
    for size in sizes:
        name = f"{base}_{label(size)}"
        url = with_db(args.database_url, name)
        print(f"{label(size)} persons -> database {name}", file=sys.stderr, flush=True)
        row = {"size": size, "database": name}
        if args.reuse and exists(args.database_url, name) and persons_in(url) == size:
            print("  reusing the loaded database", file=sys.stderr)
            row["load"] = None
        else:
            create(args.database_url, name)
            extra = ["--size", str(size)] + (["--fk-checks"] if args.fk_checks else [])
            row["load"] = child("load", url, args, extra)
            load = row["load"]
            print(
                f"  loaded in {load['load_s']:.1f} s (COPY {load['copy_s']:.1f} s), "
                f"migrate {load['migrate_s']:.1f} s, VACUUM ANALYZE {load['vacuum_s']:.1f} s, "
                f"{sum(load['counts'].values()):,} rows, {load['db_mb']:.0f} MB",
                file=sys.stderr,
            )
        if not args.load_only:
            extra = ["--size", str(size), "--runs", str(args.runs)]
            extra += (
                ["--profile", "--profile-lines", str(args.profile_lines)] if args.profile else []
            )
            extra += ["--tracemalloc"] if args.tracemalloc else []
            row["report"] = child("measure", url, args, extra)
        if not (args.keep or args.load_only):
            drop(args.database_url, name)
        results.append(row)
    print_table(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    return 0


def print_table(results):
    print()
    cols = ("persons", "rows", "load s", "cold s", "warm s", "queries", "peak MB", "loadavg")
    widths = (10, 11, 8, 8, 8, 8, 8, 10)
    head = " ".join(f"{c:>{w}}" for c, w in zip(cols, widths, strict=True))
    print(head)
    print("-" * len(head))
    for row in results:
        load, rep = row.get("load"), row.get("report")
        rows = f"{sum(load['counts'].values()):,}" if load else "(reused)"
        load_s = f"{load['load_s'] + load['vacuum_s']:.1f}" if load else "-"
        if rep:
            runs = rep["runs"]
            cold = f"{runs[0]['seconds']:.2f}"
            warm = f"{runs[-1]['seconds']:.2f}" if len(runs) > 1 else "-"
            queries = "/".join(str(r["queries"]) for r in runs)
            peak = f"{rep['peak_mb']:.0f}"
            load = "{:.1f}-{:.1f}".format(*rep["load"]) if "load" in rep else "-"
        else:
            cold = warm = queries = peak = load = "-"
        print(
            f"{row['size']:>10,} {rows:>11} {load_s:>8} {cold:>8} {warm:>8} {queries:>8} {peak:>8}"
            f" {load:>10}"
        )
    big = [r for r in results if r.get("report") and r["size"] >= 1_000_000]
    if big:
        best = min(run["seconds"] for run in big[-1]["report"]["runs"])
        verdict = "meets" if best <= TARGET_SECONDS else "MISSES"
        print(
            f"\nP2: {best:.2f} s at {big[-1]['size']:,} persons: "
            f"{verdict} the {TARGET_SECONDS:.0f} s target"
        )
    timed = [r for r in results if r.get("report")]
    for a, b in zip(timed, timed[1:], strict=False):
        ta = min(x["seconds"] for x in a["report"]["runs"])
        tb = min(x["seconds"] for x in b["report"]["runs"])
        print(
            f"growth {label(a['size'])} -> {label(b['size'])}: "
            f"x{tb / ta:.1f} time for x{b['size'] / a['size']:.0f} persons"
        )


if __name__ == "__main__":
    sys.exit(main())
