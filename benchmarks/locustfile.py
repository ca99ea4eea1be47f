"""The users of the load benchmark (R5, docs QUALITY.md), for locust; run by benchmarks/load.py.

Each simulated user logs in as an account of its own through the real login: the login form,
the password, then the TOTP code computed from the account's key (django-otp's RFC 6238
implementation), so no code is ever replayed. It then browses what its role works with
(benchmarks/load_plan.py): its home, lists, the details of records found on those lists,
searches, the inbox and the bell that every page polls. Only GET after the login: browsing
writes nothing but the audit rows of the identities it reads.

The accounts come from the JSON file named by HIMAYA_LOAD_ACCOUNTS ({role: [{username,
password, totp_key}]}), written by load.py. A response that is not the page asked for (an error
status, or a redirect to the login page) counts as an error.
"""

import json
import os
import random
import re
import sys
from pathlib import Path
from urllib.parse import quote

from django_otp.oath import totp
from locust import HttpUser, between
from requests.cookies import RequestsCookieJar

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_plan import DETAILS, MIX, PAGES, ROLE_PAGES, SEARCHES  # noqa: E402

LOGIN = "/accounts/login/"
VERIFY = "/accounts/login/verify/"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ACCOUNTS = {}


def take_account(role):
    """An account of ``role`` not yet taken (locust runs its users as greenlets of one
    process: no locking needed)."""
    if not ACCOUNTS:
        path = os.environ.get("HIMAYA_LOAD_ACCOUNTS")
        if not path:
            raise RuntimeError("HIMAYA_LOAD_ACCOUNTS names no accounts file: run load.py")
        ACCOUNTS.update(json.loads(Path(path).read_text(encoding="utf-8")))
    pool = ACCOUNTS.get(role) or []
    if not pool:
        raise RuntimeError(f"no account left for the role {role!r}")
    return pool.pop()


class LoopbackJar(RequestsCookieJar):
    """Production cookies are Secure (`__Host-` names); the benchmark speaks plain HTTP to
    gunicorn on 127.0.0.1, as the TLS-terminating proxy in front of it would. The client keeps
    them as if the link were TLS, so the server keeps its production settings."""

    def set_cookie(self, cookie, *args, **kwargs):
        cookie.secure = False
        return super().set_cookie(cookie, *args, **kwargs)


class RoleUser(HttpUser):
    abstract = True
    role = ""
    wait_time = between(1, 5)

    def on_start(self):
        self.client.cookies = LoopbackJar()
        self.account = take_account(self.role)
        self.ids = {kind: [] for kind in DETAILS}
        self.login()

    def _token(self, response):
        match = CSRF.search(response.text or "")
        return match.group(1) if match else ""

    def login(self):
        """The login form, the password, the second factor (each a row of the table)."""
        form = self.client.get(LOGIN, name="login form")
        with self.client.post(
            LOGIN,
            data={
                "csrfmiddlewaretoken": self._token(form),
                "username": self.account["username"],
                "password": self.account["password"],
                "next": "",
            },
            name="login password",
            catch_response=True,
        ) as response:
            if not response.url.endswith(VERIFY):
                response.failure(f"the password step ended on {response.url}")
                return
            token = self._token(response)
        code = f"{totp(bytes.fromhex(self.account['totp_key'])):06d}"
        with self.client.post(
            VERIFY,
            data={"csrfmiddlewaretoken": token, "code": code},
            name="login second factor",
            catch_response=True,
        ) as response:
            if LOGIN in response.url:
                response.failure(f"the second factor was refused ({response.url})")

    def get(self, url, name):
        """GET a page and keep the ids of the records it links to, for the detail pages."""
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif LOGIN in response.url:
                response.failure("sent back to the login page")
            else:
                for kind, (pattern, _path, _source) in DETAILS.items():
                    found = re.findall(pattern, response.text)
                    if found:
                        self.ids[kind] = found[:50]

    def page(self, name):
        self.get(PAGES[name], name)

    def detail(self, name):
        _pattern, path, source = DETAILS[name]
        if not self.ids[name]:
            self.page(source)  # the list that links to such records, first
        if self.ids[name]:
            self.get(path.format(random.choice(self.ids[name])), name)

    def search(self, name):
        path, terms = SEARCHES[name]
        self.get(path.format(q=quote(random.choice(terms))), name)


def role_tasks(role):
    """The locust tasks of a role, {callable: weight}, from the plan."""
    tasks = {}
    for name, weight in ROLE_PAGES[role].items():
        if name in PAGES:
            kind = "page"
        elif name in DETAILS:
            kind = "detail"
        elif name in SEARCHES:
            kind = "search"
        else:
            raise ValueError(f"{role}: {name!r} is no page, detail or search of the plan")

        def run(user, kind=kind, name=name):
            getattr(user, kind)(name)

        run.__name__ = f"{kind}: {name}"
        tasks[run] = weight
    return tasks


def user_class(role):
    name = "".join(part.title() for part in role.split("_")) + "User"
    attrs = {"role": role, "tasks": role_tasks(role), "weight": MIX[role]}
    return type(name, (RoleUser,), {**attrs, "__module__": __name__})


USER_CLASSES = {role: user_class(role) for role in ROLE_PAGES}
# locust collects the User classes it finds among the module's names
globals().update({cls.__name__: cls for cls in USER_CLASSES.values()})
