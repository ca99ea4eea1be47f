"""`himaya totp USERNAME`: the current 2FA code of a demo account (demo mode only)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from himaya.accounts import twofactor
from himaya.accounts.models import User


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo account (demo mode only)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--recovery",
            action="store_true",
            help="list the account's unused recovery codes instead",
        )

    def handle(self, *args, username, recovery, **options):
        if not settings.DEMO_MODE:
            raise CommandError("TOTP codes are shown in demo mode only (HIMAYA_DEMO=1).")
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account named {username!r}.")
        if not user.is_demo:
            raise CommandError(f"{username!r} is not a demo account.")
        if recovery:
            codes = [t.token for d in user.staticdevice_set.all() for t in d.token_set.all()]
            if not codes:
                raise CommandError(f"{username!r} has no recovery codes left.")
            self.stdout.write("\n".join(codes))
            return
        if not user.totpdevice_set.filter(confirmed=True).exists():
            raise CommandError(f"{username!r} has no confirmed authenticator device.")
        self.stdout.write(twofactor.current_code(user))
