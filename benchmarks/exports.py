"""The analyst's exports over the whole country: how long the de-identified HTCDS export and the
CTDC-style extract take over every dossier, and in how much memory, on a caseload loaded by
``annual_report.py`` (``--load-only`` or ``--keep``: ``himaya_bench_<size>`` kept).

Each part runs in its own child process (fresh memory, so its peak resident memory, VmHWM, is
its own), as the background worker runs it (``exchange.extracts.build``, the code the page and
the worker share), for the commission's analyst of the bulk caseload, who sees every dossier;
beside it, a primary-key fetch of a dossier through the ORM (the baseline of the same run):

    .venv/bin/python benchmarks/annual_report.py --sizes 100000 --load-only
    .venv/bin/python benchmarks/exports.py --database-url \\
        postgres://postgres@127.0.0.1:5432/himaya_bench_100k

Measured on 2026-12-07 (2 cores, PostgreSQL 15, quiet machine), 100k persons (100,000
dossiers): before the chunked read (28c0981's parent, a worktree), 10,000 dossiers of the
de-identified export took 18.8 s and 436 MB, the CTDC extract of all 100,000 31.7 s and 1,501 MB;
after, the de-identified export of all 100,000 (XLSX) 139 s and 219 MB, 10,000 of them 12.7 s and
175 MB, the CTDC extract 31.4 s and 206 MB. The de-identified export is about 1.3 ms a dossier,
mostly Django's prefetching of its nine related sets: beyond HIMAYA_EXPORT_INLINE_DOSSIERS it is
built by the background worker.

This script at 100k (the same database, the same day, while the test suite ran beside it on the
two cores, so the times are about twice a quiet machine's; the memory is not):

       extract  dossiers   records  MB out       s  peak MB  pk ms
    htcds_xlsx   100,000   100,000     8.8   260.9      188   0.92
     htcds_csv   100,000   100,000    22.1   210.2      266   2.39
          ctdc   100,000    87,060     2.7    82.4      380   5.77
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/himaya_bench_100k"
KINDS = ("htcds_xlsx", "htcds_csv", "ctdc")


def _peak_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return 0


def measure(kind, limit):
    """In the child: build one extract, print its figures as JSON."""
    import django

    django.setup()
    from himaya.accounts.models import Membership
    from himaya.cases.models import Dossier
    from himaya.exchange import extracts

    analyst = Membership.objects.filter(role="analyst").select_related("user").first()
    dossiers = extracts.scope(analyst.user, kind, analyst.organisation_id)
    if limit:
        last = dossiers.order_by("pk").values_list("pk", flat=True)[limit - 1]
        dossiers = dossiers.filter(pk__lte=last)
    one = Dossier.objects.order_by("pk").values_list("pk", flat=True).first()
    started = time.perf_counter()
    Dossier.objects.get(pk=one)
    baseline_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    content, records = extracts.build(kind, dossiers)
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "kind": kind,
                "dossiers": dossiers.count(),
                "records": records,
                "bytes": len(content),
                "seconds": round(seconds, 1),
                "peak_mb": _peak_mb(),
                "pk_fetch_ms": round(baseline_ms, 2),
            }
        )
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--kinds", default=",".join(KINDS), help="of " + ", ".join(KINDS))
    parser.add_argument("--limit", type=int, default=0, help="only the first N dossiers")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return measure(args.child, args.limit)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "himaya.settings",
        "DATABASE_URL": args.database_url,
        "DEBUG": "0",
    }
    results = []
    heads = ("extract", "dossiers", "records", "MB out", "s", "peak MB", "pk ms")
    print(" ".join(f"{h:>{w}}" for h, w in zip(heads, (11, 9, 9, 7, 7, 8, 6), strict=True)))
    for kind in args.kinds.split(","):
        out = subprocess.run(  # noqa: S603 (this script, with its own arguments)
            [sys.executable, __file__, "--child", kind, "--limit", str(args.limit)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        row = json.loads(out.stdout.strip().splitlines()[-1])
        results.append(row)
        print(
            f"{row['kind']:>11} {row['dossiers']:>9,} {row['records']:>9,} "
            f"{row['bytes'] / 1e6:>7.1f} {row['seconds']:>7.1f} {row['peak_mb']:>8} "
            f"{row['pk_fetch_ms']:>6}"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
