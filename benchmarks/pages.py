"""Benchmark P1 (docs QUALITY.md, issue 17): the pages people wait for, against a bare view of the
same server in the same run. Himaya is served by gunicorn with production settings on
PostgreSQL holding the demo plus the bulk caseload (benchmarks/_bulk.py, merged into the demo
organisations as in load.py); N users (default 4), each logged in through the real login
(password, then TOTP) as a caseworker of a large NGO, request in a closed loop, without
pause, the bare view and the pages: home, dossier list, person list, a name search's results
page and a dossier page. Prints requests, p50 and p95 per page, and p95 / bare view's p95.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/pages.py                     # 100k persons, 4 users, 60 s
    .venv/bin/python benchmarks/pages.py --persons 10000 --users 16
    .venv/bin/python benchmarks/pages.py --keep-state /tmp/p  # keep the database and secrets
    .venv/bin/python benchmarks/pages.py --reuse /tmp/p       # measure again, no reload

The bare view (pages_urls.py, served with pages_settings.py: Himaya's settings and URLs plus
that one view) goes through the same middleware (session, login, second factor, CSP) and
returns a few bytes. A response that is not the page asked for (status, or the login page)
is an error and the run exits non-zero. Not collected by pytest (testpaths = himaya)."""

import argparse
import contextlib
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from annual_report import create, drop, with_db  # noqa: E402
from load import BIN, base_env, production_env, secret_files, wait_healthy  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/himaya_bench_pages"
LOGIN, VERIFY = "/accounts/login/", "/accounts/login/verify/"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
DOSSIER = re.compile(r'href="/dossiers/(\d+)/"')
NAMES = ["Fatima", "Amina", "Youssef", "Diallo", "Bennani", "فاطمة"]
PAGES = ["bare view", "home", "dossier list", "person list", "name search", "dossier page"]


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# --- state: database, secrets, accounts -------------------------------------------------------


def odk_key(folder):
    """The production settings require the ODK form key (field app): one for the run."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    path = folder / "odk_private_keys"
    if not path.exists():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        path.chmod(0o600)
    return {"HIMAYA_ODK_PRIVATE_KEYS_FILE": str(path)}


def prepare(args, folder):
    """The database (fresh, or the one of --reuse), its secrets and the accounts file."""
    state = folder / "state.json"
    if args.reuse:
        saved = json.loads(state.read_text(encoding="utf-8"))
        url, secrets = saved["url"], saved["secrets"]
        env = base_env(url, folder, secrets)
        log(f"database {url.rsplit('/', 1)[-1]}: reused ({saved['sizes']})")
        return env, saved["sizes"]
    name = args.database_url.rsplit("/", 1)[-1]
    url = with_db(args.database_url, name)
    secrets = secret_files(folder)
    env = base_env(url, folder, secrets)
    log(f"database {name}: created fresh, loading the demo and {args.persons:,} persons")
    create(args.database_url, name)
    out = subprocess.run(  # noqa: S603
        [
            sys.executable,
            str(HERE / "load.py"),
            "--phase",
            "setup",
            "--accounts",
            str(folder / "accounts.json"),
            "--persons",
            str(args.persons),
            "--users",
            str(max(args.users, 4)),
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
    state.write_text(json.dumps({"url": url, "secrets": secrets, "sizes": sizes}), "utf-8")
    return env, sizes


# --- the client ---------------------------------------------------------------------------------


def session():
    """A requests session that keeps the production (Secure, __Host-) cookies on plain HTTP to
    127.0.0.1, as the TLS-terminating proxy in front of gunicorn would."""
    import requests
    from requests.cookies import RequestsCookieJar

    class LoopbackJar(RequestsCookieJar):
        def set_cookie(self, cookie, *a, **kw):
            cookie.secure = False
            return super().set_cookie(cookie, *a, **kw)

    s = requests.Session()
    s.cookies = LoopbackJar()
    s.headers["Accept-Encoding"] = "gzip"
    return s


def token(response):
    match = CSRF.search(response.text)
    return match.group(1) if match else ""


class User(threading.Thread):
    def __init__(self, base, account, seconds, seed):
        super().__init__(daemon=True)
        self.base, self.account, self.seconds = base, account, seconds
        self.rng = random.Random(seed)
        self.times = {page: [] for page in PAGES}
        self.errors = []

    def login(self):
        from django_otp.oath import totp

        s = self.s
        form = s.get(self.base + LOGIN)
        step = s.post(
            self.base + LOGIN,
            data={
                "csrfmiddlewaretoken": token(form),
                "username": self.account["username"],
                "password": self.account["password"],
                "next": "",
            },
        )
        code = f"{totp(bytes.fromhex(self.account['totp_key'])):06d}"
        done = s.post(self.base + VERIFY, data={"csrfmiddlewaretoken": token(step), "code": code})
        if LOGIN in done.url:
            raise SystemExit(f"{self.account['username']}: the login failed ({done.url})")

    def urls(self):
        """Each page's address; the search's results page is the redirect of a POSTed search
        (names never travel in URLs)."""
        listing = self.s.get(self.base + "/dossiers/")
        ids = DOSSIER.findall(listing.text) or ["0"]
        people = self.s.get(self.base + "/people/")
        searches = []
        for name in NAMES:
            r = self.s.post(
                self.base + "/people/", data={"csrfmiddlewaretoken": token(people), "q": name}
            )
            searches.append(r.url)
        return {
            "bare view": lambda: "/bench/bare/",
            "home": lambda: "/",
            "dossier list": lambda: "/dossiers/",
            "person list": lambda: "/people/",
            "name search": lambda: self.rng.choice(searches)[len(self.base) :],
            "dossier page": lambda: f"/dossiers/{self.rng.choice(ids)}/",
        }

    def get(self, page, path, record=True):
        started = time.perf_counter()
        r = self.s.get(self.base + path, allow_redirects=False)
        ms = (time.perf_counter() - started) * 1000
        if r.status_code != 200:
            self.errors.append(f"{page} {path}: HTTP {r.status_code}")
        elif record:
            self.times[page].append(ms)

    def run(self):
        try:
            self.s = session()
            self.login()
            urls = self.urls()
            for page in PAGES:  # warm: every page once, not timed
                self.get(page, urls[page](), record=False)
            self.start_line.wait()  # every user logged in and warm: the clock starts
            end = time.monotonic() + self.seconds
            while time.monotonic() < end:
                order = PAGES[:]
                self.rng.shuffle(order)
                for page in order:
                    self.get(page, urls[page]())
        except threading.BrokenBarrierError:
            pass
        except Exception as exc:  # reported under the table; the run fails
            self.errors.append(f"{type(exc).__name__}: {exc}")
            self.start_line.abort()


def loadavg():
    try:
        return " ".join(Path("/proc/loadavg").read_text(encoding="ascii").split()[:3])
    except OSError:
        return "unknown"


def p95(values):
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else float("nan")


def table(users, sizes, args):
    times = {page: [t for u in users for t in u.times[page]] for page in PAGES}
    bare = p95(times["bare view"])
    lines = [
        f"P1: {args.users} users (caseworkers), closed loop, {args.seconds:g} s; gunicorn "
        f"{args.workers} sync workers, production settings, PostgreSQL; "
        f"{sizes['persons']:,} persons, {sizes['dossiers']:,} dossiers",
        f"{'page':<16} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8} {'p95 / bare':>11}",
    ]
    lines.append("-" * len(lines[1]))
    for page in PAGES:
        t = times[page]
        if not t:
            lines.append(f"{page:<16} {0:>9}")
            continue
        lines.append(
            f"{page:<16} {len(t):>9,} {statistics.median(t):>8.0f} {p95(t):>8.0f} "
            f"{p95(t) / bare:>10.1f}×"
        )
    return "\n".join(lines)


def serve(env, folder, port, workers):
    """Migrate, collect the static files (hashed, Brotli and gzip, as WhiteNoise serves them in
    production), VACUUM ANALYZE, then gunicorn with the production settings; returns it once
    it answers /health/."""
    prod = {
        **production_env(env, port),
        **odk_key(folder),
        "DJANGO_SETTINGS_MODULE": "pages_settings",
        "PYTHONPATH": os.pathsep.join([str(HERE), str(ROOT)]),
    }
    manage = [sys.executable, "manage.py"]
    t = time.perf_counter()
    subprocess.run([*manage, "migrate", "-v", "0"], env=prod, cwd=ROOT, check=True)  # noqa: S603
    subprocess.run(  # noqa: S603
        [*manage, "collectstatic", "--noinput", "-v", "0"], env=prod, cwd=ROOT, check=True
    )
    import psycopg

    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    log(f"migrate, collectstatic, VACUUM ANALYZE in {time.perf_counter() - t:.0f} s")
    server = subprocess.Popen(  # noqa: S603
        [
            str(BIN / "gunicorn"),
            "himaya.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "60",
            "--error-logfile",
            str(folder / "gunicorn.log"),
        ],
        env=prod,
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        wait_healthy(port, server)
    except BaseException:
        stop(server)
        raise
    return server


def stop(server):
    """gunicorn and its workers (its own process group), if still running."""
    if server is not None and server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=100_000, help="bulk caseload size")
    parser.add_argument("--users", type=int, default=4, help="concurrent users")
    parser.add_argument("--seconds", type=float, default=60, help="measured time")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=8741)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--keep-state", help="keep the database, secrets and accounts here")
    parser.add_argument("--reuse", help="a folder written by --keep-state: no reload")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    folder = Path(args.reuse or args.keep_state or tempfile.mkdtemp(prefix="himaya-pages-"))
    folder.mkdir(parents=True, exist_ok=True)
    keep = bool(args.reuse or args.keep_state)
    server = None
    env = None
    try:
        env, sizes = prepare(args, folder)
        accounts = json.loads((folder / "accounts.json").read_text(encoding="utf-8"))
        pool = accounts["caseworker"]
        if len(pool) < args.users:
            raise SystemExit(f"{len(pool)} caseworker accounts for {args.users} users")
        server = serve(env, folder, args.port, args.workers)
        base = f"http://127.0.0.1:{args.port}"
        load_at_start = loadavg()
        start_line = threading.Barrier(args.users + 1)
        users = [User(base, pool[i], args.seconds, seed=i) for i in range(args.users)]
        for u in users:
            u.start_line = start_line
            u.start()
        with contextlib.suppress(threading.BrokenBarrierError):
            start_line.wait(timeout=600)
        for u in users:
            u.join(args.seconds + 600)
        errors = [e for u in users for e in u.errors]
        print()
        print(table(users, sizes, args))
        print(f"load average (1/5/15 min): {load_at_start} at the start, {loadavg()} at the end")
        print(f"errors: {len(errors)}  (the machine may be shared: ratios are what to read)")
        for e in errors[:20]:
            print("  " + e)
        if args.json:
            Path(args.json).write_text(
                json.dumps(
                    {
                        "sizes": sizes,
                        "times": {p: [t for u in users for t in u.times[p]] for p in PAGES},
                    }
                ),
                encoding="utf-8",
            )
        return 1 if errors else 0
    finally:
        stop(server)
        if not keep:
            if env is not None:
                drop(args.database_url, args.database_url.rsplit("/", 1)[-1])
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
