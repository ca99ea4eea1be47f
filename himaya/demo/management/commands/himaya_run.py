"""`himaya run` (`make run`): migrate, load the demo once in demo mode, say how to log in, serve,
with a worker for the background tasks (the annual report of a large caseload) beside it."""

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from himaya.accounts.models import Role, User
from himaya.demo import data, loader


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
        worker = self.start_worker()
        try:
            call_command("runserver", f"{host}:{port}", use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=10)

    def start_worker(self):
        """The background tasks' worker (django-tasks' database backend), as a child process."""
        env = dict(
            os.environ,
            DJANGO_SETTINGS_MODULE=os.environ.get("DJANGO_SETTINGS_MODULE", "himaya.settings"),
        )
        self.stdout.write("Background worker started (db_worker).")
        return subprocess.Popen(  # noqa: S603 -- our own interpreter and command
            [sys.executable, "-m", "django", "db_worker", "--interval", "1"], env=env
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
