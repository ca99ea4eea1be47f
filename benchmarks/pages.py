"""Benchmark P1 (docs QUALITY.md, issue 17): the pages people wait for, against a bare view of the
same server in the same run. Himaya is served by gunicorn with production settings on
PostgreSQL holding the demo plus the bulk caseload (benchmarks/_bulk, merged into the demo
organisations as in load.py); N users (default 4), each logged in through the real login
(password, then TOTP) as a caseworker of a large NGO, request in a closed loop, without
pause, the bare view and the pages: home, dossier list, person list, a name search's results
page, a dossier page, a referral (its form, then the form sent: a referral written, with the
consent when the form asks for it) and a screening's submit (started and answered untimed).
Prints requests, p50 and p95 per page, and p95 / bare
view's p95.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/pages.py                     # 100k persons, 4 users, 60 s
    .venv/bin/python benchmarks/pages.py --persons 10000 --users 16
    .venv/bin/python benchmarks/pages.py --keep-state /tmp/p  # keep the database and secrets
    .venv/bin/python benchmarks/pages.py --reuse /tmp/p       # measure again, no reload
    .venv/bin/python benchmarks/pages.py --reuse /tmp/p --cache-url redis://127.0.0.1:6379/3
                                                              # the workers share one cache

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
from collections import Counter
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
# A referral, as a caseworker sends one: its form (GET), then the form sent (POST, answered by a
# redirect to the referral); each pass of the loop sends one, to a dossier of the list.
REFER = ["referral form", "referral sent"]
# A screening, as a field worker records one: started, its first step answered, submitted;
# the submit (POST, answered by a redirect to the screening) is timed.
SCREEN = ["screening submit"]
TIMED = PAGES + REFER + SCREEN
RADIO = re.compile(r'type="radio" name="([^"]+)" value="(yes|no)"')
HIDDEN_ORG = re.compile(r'name="organisation" value="(\d+)"')
QUESTIONNAIRE = re.compile(r'name="questionnaire" value="(\d+)"')
STEP = re.compile(r"/screening/(\d+)/step/1/$")
SELECT = r'<select name="{}"[^>]*>(.*?)</select>'
OPTION = re.compile(r'<option value="([^"]+)"')
# Services that need no facility or guardian chosen: the referral goes through on its own.
SERVICES = ("medical", "psychosocial", "legal_aid", "interpretation", "livelihood", "education")
LIST_PAGES = 20  # the dossiers referred: every other page of the caseworker's dossier list


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
            "--caseworkers",
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
        self.times = {page: [] for page in TIMED}
        self.errors = []
        self.refused = []  # referrals a rule refused (status 400): counted, not timed

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
        ids = []
        for number in range(1, 2 * LIST_PAGES, 2):
            listing = self.s.get(self.base + f"/dossiers/?page={number}")
            ids += DOSSIER.findall(listing.text)
        ids = sorted(set(ids)) or ["0"]
        self.dossiers = ids
        log(f"{self.account['username']}: {len(ids)} dossiers to refer from")
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

    def refer(self, record=True):
        """Open a dossier's referral form, then send it: a service that needs nothing more, a
        provider offered for it, the consent recorded with it when the form asks for one."""
        path = f"/services/dossiers/{self.rng.choice(self.dossiers)}/refer/"
        started = time.perf_counter()
        form = self.s.get(self.base + path, allow_redirects=False)
        ms = (time.perf_counter() - started) * 1000
        if form.status_code == 404 and len(self.dossiers) > 1:
            # shared with the NGO, not its own (the list shows both): it refers only its own
            self.dossiers.remove(path.split("/")[3])
            return
        if form.status_code != 200:
            self.errors.append(f"referral form {path}: HTTP {form.status_code}")
            return
        if record:
            self.times["referral form"].append(ms)
        providers = re.search(SELECT.format("to_org"), form.text, re.S)
        offered = OPTION.findall(providers.group(1)) if providers else []
        if not offered:
            self.errors.append(f"referral form {path}: no provider offered")
            return
        data = {
            "csrfmiddlewaretoken": token(form),
            "service": self.rng.choice(SERVICES),
            "to_org": self.rng.choice(offered),
            "reason": "Orientation pour un accompagnement.",
        }
        if 'name="consent_now"' in form.text:
            # as the form proposes it: the person, or a guardian for a child
            given_by = re.search(SELECT.format("consent_given_by"), form.text, re.S)
            chosen = re.search(r'<option value="([^"]+)"[^>]*selected', given_by.group(1))
            data.update(
                consent_now="on",
                consent_given_by=chosen.group(1) if chosen else "person",
                consent_given_on=time.strftime("%Y-%m-%d"),
            )
            if data["consent_given_by"] == "guardian":
                data["guardian"] = "Khadija, sa mère"
        started = time.perf_counter()
        sent = self.s.post(self.base + path, data=data, allow_redirects=False)
        ms = (time.perf_counter() - started) * 1000
        if sent.status_code == 302 and "/services/referrals/" in sent.headers.get("Location", ""):
            if record:
                self.times["referral sent"].append(ms)
        elif sent.status_code == 400:
            errors = re.findall(
                r'class="(?:invalid-feedback[^"]*|alert alert-danger)"[^>]*>\s*(?:<div>)?([^<]+)',
                sent.text,
            )
            fields = re.findall(r'id="id_(\w+)_error"', sent.text)
            reason = errors[0].strip() if errors else path
            self.refused.append(f"{reason} ({', '.join(fields)})" if fields else reason)
        else:
            self.errors.append(f"referral sent {path}: HTTP {sent.status_code}")

    def screen(self, record=True):
        """Start a screening, answer its first step (yes or no to each question), and submit
        it from the review: the submit is timed."""
        start = self.s.get(self.base + "/screening/new/")
        questionnaires = QUESTIONNAIRE.findall(start.text)
        org = HIDDEN_ORG.search(start.text)
        if not org:
            chosen = re.search(SELECT.format("organisation"), start.text, re.S)
            org = OPTION.search(chosen.group(1)) if chosen else None
        if start.status_code != 200 or not questionnaires or not org:
            self.errors.append(f"screening start: HTTP {start.status_code}, no form to fill")
            return
        begun = self.s.post(
            self.base + "/screening/new/",
            data={
                "csrfmiddlewaretoken": token(start),
                "questionnaire": questionnaires[0],
                "organisation": org.group(1),
                "alias": "Aminata",
                "screened_on": time.strftime("%Y-%m-%d"),
            },
            allow_redirects=False,
        )
        step = STEP.search(begun.headers.get("Location", ""))
        if begun.status_code != 302 or not step:
            self.errors.append(f"screening start: HTTP {begun.status_code}")
            return
        pk = step.group(1)
        page = self.s.get(self.base + f"/screening/{pk}/step/1/")
        answers = {name: self.rng.choice(("yes", "no")) for name, _v in RADIO.findall(page.text)}
        answered = self.s.post(
            self.base + f"/screening/{pk}/step/1/",
            data={"csrfmiddlewaretoken": token(page), "go": "review", **answers},
            allow_redirects=False,
        )
        if answered.status_code != 302 or not answers:
            self.errors.append(f"screening step: HTTP {answered.status_code}")
            return
        started = time.perf_counter()
        done = self.s.post(
            self.base + f"/screening/{pk}/submit/",
            data={"csrfmiddlewaretoken": token(page), "notes": ""},
            allow_redirects=False,
        )
        ms = (time.perf_counter() - started) * 1000
        if done.status_code != 302 or not done.headers.get("Location", "").endswith(f"/{pk}/"):
            self.errors.append(f"screening submit {pk}: HTTP {done.status_code}")
        elif record:
            self.times["screening submit"].append(ms)

    def run(self):
        try:
            self.s = session()
            self.login()
            urls = self.urls()
            for page in PAGES:  # warm: every page once, not timed
                self.get(page, urls[page](), record=False)
            self.refer(record=False)
            self.screen(record=False)
            self.start_line.wait()  # every user logged in and warm: the clock starts
            end = time.monotonic() + self.seconds
            while time.monotonic() < end:
                order = [*PAGES, "refer", "screen"]
                self.rng.shuffle(order)
                for page in order:
                    if page == "refer":
                        self.refer()
                    elif page == "screen":
                        self.screen()
                    else:
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
    times = {page: [t for u in users for t in u.times[page]] for page in TIMED}
    bare = p95(times["bare view"])
    lines = [
        f"P1: {args.users} users (caseworkers), closed loop, {args.seconds:g} s; gunicorn "
        f"{args.workers} sync workers, production settings, PostgreSQL, "
        f"{'a shared Redis cache' if args.cache_url else 'a cache per worker'}; "
        f"{sizes['persons']:,} persons, {sizes['dossiers']:,} dossiers",
        f"{'page':<16} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8} {'p95 / bare':>11}",
    ]
    lines.append("-" * len(lines[1]))
    for page in TIMED:
        t = times[page]
        if not t:
            lines.append(f"{page:<16} {0:>9}")
            continue
        lines.append(
            f"{page:<16} {len(t):>9,} {statistics.median(t):>8.0f} {p95(t):>8.0f} "
            f"{p95(t) / bare:>10.1f}×"
        )
    return "\n".join(lines)


def serve(env, folder, port, workers, cache_url=""):
    """Migrate, collect the static files (hashed, Brotli and gzip, as WhiteNoise serves them in
    production), VACUUM ANALYZE, then gunicorn with the production settings; returns it once
    it answers /health/."""
    prod = {
        **production_env(env, port),
        **odk_key(folder),
        "DJANGO_SETTINGS_MODULE": "pages_settings",
        "PYTHONPATH": os.pathsep.join([str(HERE), str(ROOT)]),
    }
    if cache_url:  # the workers share one cache (README: HIMAYA_CACHE_URL)
        prod["HIMAYA_CACHE_URL"] = cache_url
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
    parser.add_argument(
        "--cache-url",
        default="",
        help="HIMAYA_CACHE_URL of the server (redis://…); none: each worker its own",
    )
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
        server = serve(env, folder, args.port, args.workers, args.cache_url)
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
        refused = sum(len(u.refused) for u in users)
        print(f"referrals refused by a rule (400, not timed): {refused}")
        reasons = Counter(r for u in users for r in u.refused)
        for reason, n in reasons.most_common(3):
            print(f"  {n} × {reason}")
        print(f"errors: {len(errors)}  (the machine may be shared: ratios are what to read)")
        for e in errors[:20]:
            print("  " + e)
        if args.json:
            Path(args.json).write_text(
                json.dumps(
                    {
                        "sizes": sizes,
                        "times": {p: [t for u in users for t in u.times[p]] for p in TIMED},
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
