"""Issue 15, item 23: the three flows a user waits on at every entry, timed at 10k and 100k
persons on PostgreSQL beside a bare view in the same run: a screening's submission, a person's
creation (with the duplicate check of the entry: candidates shown, then confirmed) and a name
search (the POSTed words, then the results page they redirect to).

    .venv/bin/python benchmarks/flows.py                        # 10k and 100k persons
    .venv/bin/python benchmarks/flows.py --sizes 10000 --rounds 20
    .venv/bin/python benchmarks/flows.py --sizes 100000 --keep --profile   # where the time goes
    .venv/bin/python benchmarks/flows.py --sizes 100000 --reuse            # measure again

For each size, a fresh database ``<name>_<size>`` (server and base name from
``--database-url``) is migrated (code lists, questionnaires) and loaded by COPY in a child
process: ten NGOs, a caseworker in each (password, confirmed TOTP device), ``size`` person
records of the seeded name generator (benchmarks/linkage_data.py: Arabic and Latin names with
their spelling variants, birth dates exact / year / missing, citizenships) registered in turn
by the ten NGOs, with their real ciphertext (each distinct name encrypted once), their blind
index (``PersonNameKey``) and their linkage keys (``BlockingKey``, the name frequencies)
computed by the product's own functions, and half as many submitted screenings; then VACUUM
ANALYZE.

The measure runs in another child process, in Django's test client (the whole middleware
stack, DEBUG off, the connection kept as production's CONN_MAX_AGE keeps it), logged in as
the first NGO's caseworker (a tenth of the register is theirs to see). After a warm-up, each
round requests, in a shuffled order: the bare view (benchmarks/pages_urls.py: the same
middleware, a few bytes), a person create whose names are new (POST → 302), one of a person
already recorded (POST → 409, the candidates shown), its confirmed save (POST with the
check's token → 302), the person page the create redirects to, a name search (POST → 302 →
results page) and a screening's submission (POST → 302; the drafts are made beforehand) with
the screening page it redirects to. Printed per flow: p50, p95, p50 / the bare view's p50 and
the queries of one request (the same at every size, or something grows with the data).
Not collected by pytest (testpaths = himaya)."""

import argparse
import datetime
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from annual_report import create, drop, with_db  # noqa: E402

TOKEN = re.compile(r'name="entry_confirmed" value="([^"]+)"')
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/himaya_bench_flows"
ORGS = 10
PROBES = 400
WORDS = ["Fatima", "Mohamed", "Youssef", "Amina", "Diallo", "Bennani", "فاطمة", "محمد"]
FLOWS = [
    "bare view",
    "person create, new",
    "person create, candidates",
    "person create, confirmed",
    "person page",
    "name search",
    "screening submit",
    "screening page",
]


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pages_settings")
    import django

    django.setup()


# --- the register (a child process) -----------------------------------------------------------


def _fields(record):
    """A generated record as a person's fields: the first word given, the rest family."""

    def split(words):
        return (words[0], " ".join(words[1:])) if words else ("", "")

    given_ar, family_ar = split(record.ar)
    given_lat, family_lat = split(record.lat)
    if record.birth_precision == 0 and record.birth_date:
        birth, precision = record.birth_date, "exact"
    elif record.birth_year is not None:
        birth, precision = datetime.date(record.birth_year, 1, 1), "year"
    else:
        birth, precision = None, "unknown"
    return {
        "given_name_ar": given_ar,
        "family_name_ar": family_ar,
        "given_name_lat": given_lat,
        "family_name_lat": family_lat,
        "sex": record.sex,
        "birth_date": birth,
        "birth_date_precision": precision,
        "citizenships": sorted(record.citizenships),
    }


def phase_load(size, seed):
    setup_django()
    import linkage_data
    from _bulk import Table, reset_sequences
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from himaya.accounts.models import Membership, Organisation, User
    from himaya.core import crypto, names
    from himaya.core.models import Code
    from himaya.linkage.features import make_record
    from himaya.linkage.models import BlockingKey
    from himaya.linkage.records import key_rows, recount_frequencies
    from himaya.people.models import Person, PersonNameKey
    from himaya.screening.models import Questionnaire, Screening

    started = time.monotonic()
    ngo = Code.objects.get(list="org_type", code="ngo")
    region = Code.objects.filter(list="region").first()
    password = make_password("bench-flows-password-2026")
    orgs, users = [], []
    for i in range(ORGS):
        org = Organisation.objects.create(
            name_ar=f"جمعية {i}",
            name_fr=f"Association {i}",
            name_en=f"NGO {i}",
            type=ngo,
            region=region,
        )
        user = User.objects.create(username=f"bench.flows.{i}", password=password)
        Membership.objects.create(user=user, organisation=org, role="caseworker")
        TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        orgs.append(org)
        users.append(user)
    sexes = {c.code: c.pk for c in Code.objects.filter(list="sex")}
    countries = {c.code: c.pk for c in Code.objects.filter(list="country")}
    questionnaire = Questionnaire.objects.filter(status="published").order_by("pk").first()
    rng = random.Random(seed)
    encrypted = {}

    def enc(text):
        if not text:
            return ""
        if text not in encrypted:
            encrypted[text] = crypto.encrypt(text)
        return encrypted[text]

    T = {
        "person": Table(
            Person,
            [
                "id",
                "given_name_ar",
                "family_name_ar",
                "given_name_lat",
                "family_name_lat",
                "sex_id",
                "birth_date",
                "birth_date_precision",
                "registered_by_id",
                "created_at",
                "updated_at",
            ],
        ),
        "citizenship": Table(Person.citizenships.through, ["person_id", "code_id"]),
        "name_key": Table(PersonNameKey, ["person_id", "digest"]),
        "block_key": Table(BlockingKey, ["person_id", "kind", "digest"]),
        "screening": Table(
            Screening,
            [
                "id",
                "reference",
                "questionnaire_id",
                "organisation_id",
                "screener_id",
                "screened_on",
                "person_id",
                "status",
                "submitted_at",
                "recommendation",
                "created_at",
                "updated_at",
            ],
        ),
    }
    now = timezone.now()
    probes, pid, scid = [], 0, 0
    cursor = connection.cursor().cursor
    records = linkage_data.iter_records(int(size / 1.8) + PROBES, seed=seed)
    for _rid, record, _person, _flags, _p in records:
        fields = _fields(record)
        if not (fields["given_name_ar"] or fields["given_name_lat"]):
            continue
        if len(probes) < PROBES and rng.random() < 0.02:
            probes.append({**fields, "birth_date": str(fields["birth_date"] or "")})
            continue
        if pid >= size:
            if len(probes) >= PROBES:
                break
            continue
        pid += 1
        k = pid % ORGS
        created = now - datetime.timedelta(minutes=size - pid)
        T["person"].add(
            pid,
            enc(fields["given_name_ar"]),
            enc(fields["family_name_ar"]),
            enc(fields["given_name_lat"]),
            enc(fields["family_name_lat"]),
            sexes.get(fields["sex"]),
            fields["birth_date"],
            fields["birth_date_precision"],
            orgs[k].pk,
            created,
            created,
        )
        for c in fields["citizenships"]:
            if c in countries:
                T["citizenship"].add(pid, countries[c])
        name_ar = " ".join(p for p in (fields["given_name_ar"], fields["family_name_ar"]) if p)
        name_lat = " ".join(p for p in (fields["given_name_lat"], fields["family_name_lat"]) if p)
        for key in names.index_keys(
            name_ar,
            name_lat,
            fields["given_name_ar"],
            fields["family_name_ar"],
            fields["given_name_lat"],
            fields["family_name_lat"],
        ):
            T["name_key"].add(pid, crypto.blind_digest(key))
        stored = make_record(
            given_ar=fields["given_name_ar"],
            family_ar=fields["family_name_ar"],
            given_lat=fields["given_name_lat"],
            family_lat=fields["family_name_lat"],
            sex=fields["sex"],
            birth_date=fields["birth_date"],
            precision=fields["birth_date_precision"],
            citizenships=fields["citizenships"],
        )
        for row in key_rows(stored):
            T["block_key"].add(pid, row.kind, row.digest)
        if pid % 2 == 0 and questionnaire is not None:
            scid += 1
            T["screening"].add(
                scid,
                f"SB-{scid:08d}",
                questionnaire.pk,
                orgs[k].pk,
                users[k].pk,
                created.date(),
                pid,
                "submitted",
                created,
                "possible",
                created,
                created,
            )
        if pid % 20_000 == 0:
            for t in T.values():
                t.flush(cursor)
    for t in T.values():
        t.flush(cursor)
    reset_sequences(cursor, ["people_person", "screening_screening"])
    recount_frequencies()
    cursor.execute("VACUUM ANALYZE")
    return {
        "persons": pid,
        "rows": {name: t.total for name, t in T.items()},
        "load_s": round(time.monotonic() - started, 1),
        "probes": probes,
    }


# --- the measure (a child process) ------------------------------------------------------------


def phase_measure(probes, rounds, profile):
    setup_django()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from himaya.conftest import verified_client
    from himaya.screening import actions as screening_actions
    from himaya.screening.models import Questionnaire

    user = get_user_model().objects.get(username="bench.flows.0")
    org = user.memberships.get().organisation
    client = verified_client(user)
    questionnaire = Questionnaire.objects.filter(status="published").order_by("pk").first()
    keys = [q.key for q in questionnaire.questions.all()]
    # Seeded by the register's size: a reused database gets names it has not seen yet.
    from himaya.people.models import Person

    rng = random.Random(Person.objects.count())
    probes = list(probes)
    rng.shuffle(probes)

    def draft():
        s = screening_actions.start_screening(
            acting_user=user,
            organisation=org,
            questionnaire=questionnaire,
            screened_on=timezone.localdate(),
            alias="bench",
        )
        answers = {k: rng.choice(["yes", "no", "yes"]) for k in keys}
        screening_actions.save_answers(s, acting_user=user, answers=answers)
        return s

    def person_data(fields, fresh):
        data = {k: v for k, v in fields.items() if k.endswith(("_ar", "_lat"))}
        if fresh:  # names nobody has: no candidate
            for k in ("given_name_lat", "family_name_lat"):
                data[k] = "".join(rng.choice("bdfgklmnprstvz") for _ in range(10)).title()
            data["given_name_ar"] = data["family_name_ar"] = ""
        data["organisation"] = org.pk
        data["birth_date_precision"] = "unknown"
        if not fresh and fields["birth_date"]:  # the birth as the probe's record gives it
            data["birth_date_precision"] = fields["birth_date_precision"]
            if fields["birth_date_precision"] == "exact":
                data["birth_date"] = fields["birth_date"]
            else:
                data["birth_year"] = fields["birth_date"][:4]
        return data

    times = {flow: [] for flow in FLOWS}
    queries = {flow: set() for flow in FLOWS}
    statuses = {flow: {} for flow in FLOWS}

    def timed(flow, fn, record=True):
        with CaptureQueriesContext(connection) as q:
            started = time.perf_counter()
            response = fn()
            ms = (time.perf_counter() - started) * 1000
        if record:
            times[flow].append(ms)
            sql = [x["sql"] for x in q.captured_queries]
            queries[flow].add(sum('"django_session"' not in s for s in sql))
            statuses[flow][response.status_code] = statuses[flow].get(response.status_code, 0) + 1
        return response

    def one_round(record=True):
        order = ["bare", "new", "candidates", "search", "submit"]
        rng.shuffle(order)
        for step in order:
            if step == "bare":
                timed("bare view", lambda: client.get("/bench/bare/"), record)
            elif step == "new":
                data = person_data(rng.choice(probes), fresh=True)
                r = timed(
                    "person create, new", lambda d=data: client.post("/people/new/", d), record
                )
                if r.status_code == 302:
                    timed("person page", lambda u=r["Location"]: client.get(u), record)
            elif step == "candidates":
                data = person_data(probes.pop(), fresh=False)
                r = timed(
                    "person create, candidates",
                    lambda d=data: client.post("/people/new/", d),
                    record,
                )
                if r.status_code == 409:
                    data["entry_confirmed"] = TOKEN.search(r.content.decode()).group(1)
                    timed(
                        "person create, confirmed",
                        lambda d=data: client.post("/people/new/", d),
                        record,
                    )
            elif step == "search":

                def search():
                    r = client.post("/people/", {"q": rng.choice(WORDS)})
                    return client.get(r["Location"])

                timed("name search", search, record)
            elif step == "submit":
                s = draft()
                r = timed(
                    "screening submit",
                    lambda pk=s.pk: client.post(f"/screening/{pk}/submit/", {"notes": "vu"}),
                    record,
                )
                if r.status_code == 302:
                    timed("screening page", lambda u=r["Location"]: client.get(u), record)

    for _ in range(3):  # warm-up: connection, templates, translations, code paths
        one_round(record=False)
    for _ in range(rounds):
        one_round()
    prof = None
    if profile:
        import cProfile
        import io
        import pstats

        p = cProfile.Profile()
        p.enable()
        for _ in range(5):
            one_round(record=False)
        p.disable()
        out = io.StringIO()
        stats = pstats.Stats(p, stream=out).sort_stats("cumulative")
        stats.print_stats(r"himaya/(?!.*templat)", 40)
        prof = out.getvalue()
    return {
        "times": times,
        "queries": {f: sorted(q) for f, q in queries.items()},
        "statuses": statuses,
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "profile": prof,
    }


# --- the run ------------------------------------------------------------------------------------


def child(phase, url, payload):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("HIMAYA_", "DJANGO_"))},
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "pages_settings",
        "PYTHONPATH": os.pathsep.join([str(HERE), str(ROOT)]),
        "DEBUG": "0",
        "LOG_LEVEL": "ERROR",
        # The secrets (field and blind-index keys) the database was loaded with: var/ unless
        # HIMAYA_VAR_DIR says otherwise.
        "HIMAYA_VAR_DIR": os.environ.get("HIMAYA_VAR_DIR") or str(ROOT / "var"),
    }
    out = subprocess.run(  # noqa: S603
        [sys.executable, str(Path(__file__).resolve()), "--phase", phase],
        env=env,
        cwd=ROOT,
        input=json.dumps(payload),
        text=True,
        capture_output=True,
        check=False,
    )
    if out.returncode:
        sys.stderr.write(out.stderr[-4000:])
        raise SystemExit(f"{phase} failed")
    return json.loads(out.stdout.strip().splitlines()[-1])


def pct(values, q):
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100)[q - 1]


def table(results):
    lines = [
        f"{'persons':>8} {'flow':<26} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'p50/bare':>9} "
        f"{'queries':>8}"
    ]
    lines.append("-" * len(lines[0]))
    for size, res in results:
        bare = statistics.median(res["times"]["bare view"])
        for flow in FLOWS:
            t = res["times"][flow]
            if not t:
                lines.append(f"{size:>8,} {flow:<26} {0:>4}")
                continue
            q = "/".join(str(n) for n in res["queries"][flow])
            lines.append(
                f"{size:>8,} {flow:<26} {len(t):>4} {statistics.median(t):>8.1f} "
                f"{pct(t, 95):>8.1f} {statistics.median(t) / bare:>8.1f}× {q:>8}"
            )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="persons per size")
    parser.add_argument("--rounds", type=int, default=40, help="timed rounds per size")
    parser.add_argument("--seed", type=int, default=20251)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure a kept database again")
    parser.add_argument("--profile", action="store_true", help="cProfile of 5 more rounds")
    parser.add_argument("--json", help="also write every time to this file")
    parser.add_argument("--phase", choices=["load", "measure"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        payload = json.loads(sys.stdin.read())
        if args.phase == "load":
            out = phase_load(payload["size"], payload["seed"])
        else:
            out = phase_measure(payload["probes"], payload["rounds"], payload["profile"])
        print(json.dumps(out, default=str))
        return 0
    base = args.database_url.rsplit("/", 1)[-1]
    results = []
    for size in [int(s) for s in args.sizes.split(",")]:
        name = f"{base}_{size // 1000}k"
        url = with_db(args.database_url, name)
        probes_file = ROOT / "var" / f"{name}.probes.json"
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "himaya.settings"}
        migrate = [sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"]
        if args.reuse and probes_file.exists():
            subprocess.run(migrate, env=env, check=True)  # noqa: S603 -- the code's schema
            log(f"{name}: reused")
            loaded = json.loads(probes_file.read_text(encoding="utf-8"))
        else:
            create(args.database_url, name)
            t = time.perf_counter()
            subprocess.run(migrate, env=env, check=True)  # noqa: S603
            log(f"{name}: migrated in {time.perf_counter() - t:.0f} s")
            loaded = child("load", url, {"size": size, "seed": args.seed})
            log(f"{name}: {loaded['persons']:,} persons, {loaded['rows']} in {loaded['load_s']} s")
            if args.keep:
                probes_file.parent.mkdir(exist_ok=True)
                probes_file.write_text(json.dumps(loaded), encoding="utf-8")
        load_avg = os.getloadavg()[0]
        res = child(
            "measure",
            url,
            {"probes": loaded["probes"], "rounds": args.rounds, "profile": args.profile},
        )
        res["load_before"] = load_avg
        res["load_after"] = os.getloadavg()[0]
        log(f"{name}: measured (load average {load_avg:.1f} → {res['load_after']:.1f})")
        if res.get("profile"):
            print(f"--- profile, {size:,} persons ---\n{res['profile']}")
        results.append((loaded["persons"], res))
        if not args.keep:
            drop(args.database_url, name)
    print()
    loads = ", ".join(f"{r['load_before']:.1f}→{r['load_after']:.1f}" for _s, r in results)
    print(
        f"Flows, in-process (Django test client, DEBUG off), PostgreSQL; {args.rounds} rounds; "
        f"load average {loads}"
    )
    print(table(results))
    for size, res in results:
        odd = {f: s for f, s in res["statuses"].items() if set(map(int, s)) - {200, 302, 409}}
        if odd:
            print(f"{size:,}: unexpected statuses {odd}")
    if args.json:
        Path(args.json).write_text(
            json.dumps([{"persons": s, **r} for s, r in results], default=str), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
