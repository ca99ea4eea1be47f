"""`himaya run` (`make run`): migrate, load the demo once in demo mode, say how to log in, serve,
with a worker for the background tasks (the annual report of a large caseload) beside it.

The worker runs without django-tasks' autoreloader (`--no-reload`; its default follows DEBUG):
the reloader stats every module, template and locale file each second, about 5 % of a core on
an idle machine. The worker stops with the server, whether the server ends by Ctrl+C, by an
error or by a SIGTERM (which would otherwise end this process without running its `finally`)."""

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from himaya.accounts.models import Role, User
from himaya.demo import data, loader

# django-tasks-db's worker, polling every second, without the autoreloader.
WORKER_COMMAND = [sys.executable, "-m", "django", "db_worker", "--interval", "1", "--no-reload"]
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


def serve_with_worker(serve, worker_command):
    """Start `worker_command` as a child, call `serve()`, and stop the child when `serve` ends:
    normally, by an exception, or by SIGTERM/SIGHUP to this process (turned into SystemExit so
    the `finally` runs; the handlers are restored afterwards)."""
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE=os.environ.get("DJANGO_SETTINGS_MODULE", "himaya.settings"),
    )
    worker = subprocess.Popen(worker_command, env=env)  # noqa: S603 -- our own interpreter

    def stop(signum, _frame):
        raise SystemExit(128 + signum)

    previous = {signum: signal.signal(signum, stop) for signum in STOP_SIGNALS}
    try:
        serve()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        stop_worker(worker)


def stop_worker(worker, timeout=10):
    """SIGTERM (the worker finishes or abandons its task and exits), then SIGKILL if it is still
    there after `timeout` seconds; reaped either way, so no zombie is left."""
    if worker.poll() is not None:
        return
    worker.terminate()
    try:
        worker.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


class Command(BaseCommand):
    help = "Migrate, load the demo once (demo mode), print the demo logins and serve."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST") or "127.0.0.1")
        parser.add_argument("--port", default=os.environ.get("PORT") or "8000")

    def handle(self, *args, host, port, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database ready.")
        if settings.DEMO_MODE:
            try:
                call_command("demo", stdout=self.stdout)
            except CommandError as exc:
                # A database with its own accounts still serves; it just has no demo.
                self.stderr.write(f"Demo not loaded: {exc}")
            if loader.already_loaded():
                self.print_logins(host, port)
        else:
            self.stdout.write(
                "Demo mode is off. Create a system administrator with: .venv/bin/himaya createadmin"
            )
            self.stdout.write(f"Himaya: http://{host}:{port}/")
        self.stdout.write("Background worker started (db_worker).")
        serve_with_worker(
            lambda: call_command("runserver", f"{host}:{port}", use_reloader=False),
            WORKER_COMMAND,
        )

    def print_logins(self, host, port):
        with translation.override("en"):
            roles = {value: str(label) for value, label in Role.choices}
        orgs = {o[0]: o[5] for o in data.ORGANISATIONS}
        present = set(User.objects.filter(is_demo=True).values_list("username", flat=True))
        line = "=" * 78
        self.stdout.write(line)
        self.stdout.write(f"Himaya demo: open http://{host}:{port}/")
        self.stdout.write(f"Password of every demo account: {loader.DEMO_PASSWORD}")
        self.stdout.write("")
        for username, _first, _last, org, role in data.DEMO_USERS:
            if username not in present:
                continue
            what = f"{roles[role]} · {orgs[org]}" if role else "system administrator"
            self.stdout.write(f"  {username:<12} {what}")
        self.stdout.write("")
        self.stdout.write("Get the current 2FA code with: .venv/bin/himaya totp USERNAME")
        self.stdout.write(line)
