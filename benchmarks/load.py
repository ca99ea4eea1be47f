"""Benchmark R5 (docs QUALITY.md): real load. 50 users of mixed roles browse Himaya served by
gunicorn with production settings on PostgreSQL, holding the demo plus a bulk caseload, for
10 minutes (--quick: 1 minute); prints requests, errors, p50 and p95 per page and exits non-zero
on any error.

    .venv/bin/pip install -e '.[bench]'          # locust
    .venv/bin/python benchmarks/load.py --quick  # 1 minute
    .venv/bin/python benchmarks/load.py          # 10 minutes

Steps: a fresh database (from --database-url), migrated; the demo (`himaya demo`'s loader, in
demo mode), then the bulk caseload of benchmarks/_bulk beside it (ids past the demo's), its
organisations merged into the demo's organisations of the same type so the demo organisations
hold the caseload; an account of its own (password + confirmed TOTP device) for each simulated
user, in the demo organisation of its role, with a copy of that role's notifications; VACUUM
ANALYZE. Then gunicorn with HIMAYA_ENV=production (secrets generated for the run and passed as
*_FILE, ALLOWED_HOSTS=127.0.0.1, HIMAYA_SSL_REDIRECT=0: plain HTTP on loopback, as behind a
TLS-terminating proxy), and locust headless (benchmarks/locustfile.py, plan in load_plan.py).
The database is dropped afterwards unless --keep. Not collected by pytest (testpaths = himaya).
"""

import argparse
import csv
import json
import math
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from annual_report import create, drop, with_db  # noqa: E402
from load_plan import HOME_ORGS, MIX  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/himaya_bench_load"
ID_OFFSET = 1_000_000  # bulk ids start past the demo's
BIN = Path(sys.executable).parent


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# --- setup (a child process: Django in demo mode) ---------------------------------------------


def phase_setup(args):
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from _bulk import load_caseload
    from django.apps import apps
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import IntegrityError, connection, transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from himaya.accounts.models import Membership, Organisation, User
    from himaya.demo import data, loader
    from himaya.notifications.models import Notification

    t = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    log(f"  migrated in {time.perf_counter() - t:.0f} s")
    t = time.perf_counter()
    run, _created = loader.load()
    log(f"  demo loaded in {time.perf_counter() - t:.0f} s: {run.counts}")
    demo_orgs = {
        key: Organisation.objects.get(name_en=name_en)
        for key, _t, _r, _ar, _fr, name_en in data.ORGANISATIONS
    }
    demo_ids = set(Organisation.objects.values_list("pk", flat=True))
    t = time.perf_counter()
    loaded = load_caseload(args.persons, seed=args.seed, id_offset=ID_OFFSET, log=log)
    log(f"  bulk caseload: {sum(loaded['counts'].values()):,} rows in {loaded['seconds']:.0f} s")

    # The bulk organisations' records go to the demo organisations of the same type, in turn.
    by_type = {}
    for org in demo_orgs.values():
        by_type.setdefault(org.type_id, []).append(org.pk)
    bulk = Organisation.objects.exclude(pk__in=demo_ids).order_by("pk")
    mapping, turn = {}, {}
    for org in bulk:
        targets = by_type.get(org.type_id)
        if targets:
            i = turn.get(org.type_id, 0)
            mapping[org.pk] = targets[i % len(targets)]
            turn[org.type_id] = i + 1
    t = time.perf_counter()
    merged, kept = 0, []
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE bench_org_map (old integer PRIMARY KEY, new integer)")
        cur.executemany("INSERT INTO bench_org_map VALUES (%s, %s)", list(mapping.items()))
        for model in apps.get_models(include_auto_created=True):
            for field in model._meta.concrete_fields:
                if field.related_model is not Organisation or field.unique:
                    continue
                table, col = model._meta.db_table, field.column
                try:
                    with transaction.atomic():
                        cur.execute(
                            f'UPDATE "{table}" t SET "{col}" = m.new FROM bench_org_map m '  # noqa: S608
                            f'WHERE t."{col}" = m.old'
                        )
                        merged += cur.rowcount
                except IntegrityError:
                    kept.append(f"{table}.{col}")  # a uniqueness rule: left with its bulk org
    log(
        f"  {merged:,} references moved to the demo organisations in "
        f"{time.perf_counter() - t:.0f} s (left: {', '.join(kept) or 'none'})"
    )

    # An account per simulated user, in its role's demo organisation, with that role's inbox.
    password = secrets.token_urlsafe(18)
    hashed = make_password(password)
    accounts = {}
    for role, share in MIX.items():
        count = math.ceil(share * args.users / sum(MIX.values())) + 2
        if role == "caseworker":
            count = max(count, args.caseworkers)
        orgs = [demo_orgs[k] for k in HOME_ORGS[role]]
        for i in range(count):
            org = orgs[i % len(orgs)]
            user = User.objects.create(username=f"load.{role}.{i}", password=hashed)
            Membership.objects.create(user=user, organisation=org, role=role)
            device = TOTPDevice.objects.create(user=user, name="load", confirmed=True)
            copies = []
            for n in Notification.objects.filter(
                organisation=org, recipient__is_demo=True, recipient__memberships__role=role
            ).distinct():
                n.pk = None
                n.recipient = user
                copies.append(n)
            Notification.objects.bulk_create(copies)
            accounts.setdefault(role, []).append(
                {"username": user.username, "password": password, "totp_key": device.key}
            )
    Path(args.accounts).write_text(json.dumps(accounts), encoding="utf-8")
    t = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
        cur.execute("SELECT COUNT(*) FROM people_person")
        persons = cur.fetchone()[0]
        cur.execute("SELECT COUNT(*) FROM cases_dossier")
        dossiers = cur.fetchone()[0]
    log(f"  VACUUM ANALYZE in {time.perf_counter() - t:.0f} s")
    print(json.dumps({"persons": persons, "dossiers": dossiers}))


# --- the run (this process) --------------------------------------------------------------------


def secret_files(folder):
    """Secrets generated for this run, as files (read through *_FILE, as in production)."""
    from cryptography.fernet import Fernet

    values = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "HIMAYA_FIELD_KEYS": Fernet.generate_key().decode(),
        "HIMAYA_BLIND_INDEX_KEY": secrets.token_urlsafe(32),
    }
    env = {}
    for name, value in values.items():
        path = folder / name.lower()
        path.write_text(value, encoding="utf-8")
        path.chmod(0o600)
        env[f"{name}_FILE"] = str(path)
    return env


def base_env(url, folder, secret_env):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HIMAYA_", "DJANGO_"))}
    for name in ("SECRET_KEY", "HIMAYA_FIELD_KEYS", "HIMAYA_BLIND_INDEX_KEY", "DATABASE_URL"):
        env.pop(name, None)
    env.update(secret_env)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "himaya.settings",
            "DATABASE_URL": url,
            "HIMAYA_VAR_DIR": str(folder / "var"),
            "DEBUG": "0",
        }
    )
    return env


def production_env(env, port):
    return {
        **env,
        "HIMAYA_ENV": "production",
        "ALLOWED_HOSTS": "127.0.0.1",
        "HIMAYA_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
    }


def wait_healthy(port, proc, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn stopped (exit {proc.returncode})")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2) as r:  # noqa: S310
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer /health/ in time")


def read_stats(prefix):
    rows, total = [], None
    with open(f"{prefix}_stats.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            entry = {
                "page": row["Name"],
                "requests": int(row["Request Count"]),
                "errors": int(row["Failure Count"]),
                "p50": row["50%"],
                "p95": row["95%"],
                "rps": float(row["Requests/s"]),
            }
            if row["Name"] == "Aggregated":
                total = entry
            else:
                rows.append(entry)
    failures = []
    path = Path(f"{prefix}_failures.csv")
    if path.exists():
        with path.open(encoding="utf-8") as fh:
            failures = [(r["Name"], r["Error"], int(r["Occurrences"])) for r in csv.DictReader(fh)]
    return rows, total, failures


def table(rows, total):
    lines = [f"{'page':<28} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8}"]
    lines.append("-" * len(lines[0]))
    for r in sorted(rows, key=lambda r: r["page"]):
        lines.append(
            f"{r['page']:<28} {r['requests']:>9,} {r['errors']:>7} {r['p50']:>8} {r['p95']:>8}"
        )
    lines.append("-" * len(lines[0]))
    lines.append(
        f"{'all pages':<28} {total['requests']:>9,} {total['errors']:>7} "
        f"{total['p50']:>8} {total['p95']:>8}"
    )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1 minute instead of 10")
    parser.add_argument("--minutes", type=float, help="how long locust runs (default 10, 1)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=5, help="users started a second")
    parser.add_argument("--persons", type=int, default=100_000, help="bulk caseload size")
    parser.add_argument("--seed", type=int, default=20231)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=8731)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--accounts", help=argparse.SUPPRESS)
    # pages.py's users are all caseworkers: at least this many caseworker accounts
    parser.add_argument("--caseworkers", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "setup":
        return phase_setup(args)
    minutes = args.minutes or (1 if args.quick else 10)

    name = args.database_url.rsplit("/", 1)[-1]
    url = with_db(args.database_url, name)
    folder = Path(tempfile.mkdtemp(prefix="himaya-load-"))
    server = None
    try:
        env = base_env(url, folder, secret_files(folder))
        log(f"database {name}: created fresh, loading the demo and {args.persons:,} persons")
        create(args.database_url, name)
        accounts = folder / "accounts.json"
        started = time.perf_counter()
        out = subprocess.run(  # noqa: S603
            [
                sys.executable,
                __file__,
                "--phase",
                "setup",
                "--accounts",
                str(accounts),
                "--persons",
                str(args.persons),
                "--seed",
                str(args.seed),
                "--users",
                str(args.users),
            ],
            env={**env, "HIMAYA_ENV": "development", "HIMAYA_DEMO": "1"},
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            check=False,
        )
        if out.returncode:
            raise SystemExit(f"setup failed (exit {out.returncode})")
        sizes = json.loads(out.stdout.strip().splitlines()[-1])
        setup_s = time.perf_counter() - started
        log(
            f"setup: {sizes['persons']:,} persons, {sizes['dossiers']:,} dossiers "
            f"in {setup_s:.0f} s"
        )

        prod = production_env(env, args.port)
        t = time.perf_counter()
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            env=prod,
            cwd=ROOT,
            check=True,
        )
        log(f"collectstatic in {time.perf_counter() - t:.0f} s")
        errlog = folder / "gunicorn.log"
        server = subprocess.Popen(  # noqa: S603
            [
                str(BIN / "gunicorn"),
                "himaya.wsgi",
                "--bind",
                f"127.0.0.1:{args.port}",
                "--workers",
                str(args.workers),
                "--timeout",
                "60",
                "--error-logfile",
                str(errlog),
            ],
            env=prod,
            cwd=ROOT,
            start_new_session=True,
        )
        wait_healthy(args.port, server)
        log(
            f"gunicorn: {args.workers} workers on 127.0.0.1:{args.port}, production settings; "
            f"locust: {args.users} users for {minutes:g} min"
        )
        prefix = folder / "locust"
        locust_log = (folder / "locust.log").open("w")
        subprocess.run(  # noqa: S603
            [
                str(BIN / "locust"),
                "-f",
                str(HERE / "locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                f"{int(minutes * 60)}s",
                "--stop-timeout",
                "30",
                "--host",
                f"http://127.0.0.1:{args.port}",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env={**os.environ, "HIMAYA_LOAD_ACCOUNTS": str(accounts)},
            cwd=ROOT,
            check=False,
            stdout=locust_log,
            stderr=subprocess.STDOUT,
            timeout=minutes * 60 + 300,
        )
        locust_log.close()
        if not Path(f"{prefix}_stats.csv").exists():
            log((folder / "locust.log").read_text(encoding="utf-8")[-3000:])
            raise SystemExit("locust wrote no statistics")
        rows, total, failures = read_stats(prefix)
        print()
        print(
            f"R5: {args.users} users of mixed roles for {minutes:g} min; gunicorn "
            f"{args.workers} sync workers, production settings, PostgreSQL; "
            f"{sizes['persons']:,} persons, {sizes['dossiers']:,} dossiers"
        )
        print(table(rows, total))
        print(f"total errors: {total['errors']}  ({total['rps']:.1f} requests/s)")
        for page, error, n in failures:
            print(f"  {n} x {page}: {error}")
        if errlog.exists() and total["errors"]:
            print("gunicorn's error log (tail):")
            print("\n".join(errlog.read_text(encoding="utf-8").splitlines()[-30:]))
        if args.json:
            Path(args.json).write_text(
                json.dumps(
                    {
                        "sizes": sizes,
                        "minutes": minutes,
                        "users": args.users,
                        "workers": args.workers,
                        "pages": rows,
                        "total": total,
                        "failures": failures,
                    },
                    indent=1,
                ),
                encoding="utf-8",
            )
        return 1 if total["errors"] else 0
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        if not args.keep and args.phase is None:
            drop(args.database_url, name)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
