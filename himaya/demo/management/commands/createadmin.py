"""`himaya createadmin`: create a system administrator (superuser, no organisation).

The password comes from the prompt, or from HIMAYA_ADMIN_PASSWORD for scripted installs, and must
pass the password validators. Two-factor enrolment happens at the first login.
"""

import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from himaya.accounts.models import User


class Command(BaseCommand):
    help = "Create a system administrator (no organisation membership)."

    def add_arguments(self, parser):
        parser.add_argument("--username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="do not prompt (needs --username and HIMAYA_ADMIN_PASSWORD)",
        )

    def _ask(self, label, default=""):
        value = input(f"{label}{f' [{default}]' if default else ''}: ").strip()
        return value or default

    def handle(self, *args, username, email, interactive, **options):
        if not username:
            if not interactive:
                raise CommandError("--username is required with --noinput.")
            username = self._ask("Username")
        if not username:
            raise CommandError("A username is required.")
        if User.objects.filter(username=username).exists():
            raise CommandError(f"An account named {username!r} already exists.")
        if not email and interactive:
            email = self._ask("Email address (optional)")
        candidate = User(username=username, email=email)
        password = os.environ.get("HIMAYA_ADMIN_PASSWORD")
        if password:
            self._validate(password, candidate)
        elif not interactive:
            raise CommandError("Set HIMAYA_ADMIN_PASSWORD, or run without --noinput.")
        else:
            while True:
                password = getpass.getpass("Password (12 characters or more): ")
                if password != getpass.getpass("Password (again): "):
                    self.stderr.write("The passwords differ; try again.")
                    continue
                try:
                    self._validate(password, candidate)
                    break
                except CommandError as exc:
                    self.stderr.write(str(exc))
        user = User.objects.create_superuser(username=username, email=email, password=password)
        self.stdout.write(self.style.SUCCESS(f"System administrator {user.username!r} created."))
        self.stdout.write(
            "Two-factor authentication is mandatory: an authenticator app is enrolled at the "
            "first login."
        )

    def _validate(self, password, user):
        try:
            validate_password(password, user=user)
        except ValidationError as exc:
            raise CommandError("Password refused: " + " ".join(exc.messages)) from exc
