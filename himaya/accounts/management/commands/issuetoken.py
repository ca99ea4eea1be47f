"""Issue an API token for a user; the raw token is printed once and never stored."""

from django.core.management.base import BaseCommand, CommandError

from himaya.accounts.actions import TOKEN_DEFAULT_DAYS, TOKEN_MAX_DAYS, issue_api_token
from himaya.accounts.models import User


class Command(BaseCommand):
    help = "Issue an API token acting as USERNAME; prints the token once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("name", help="what the token is for")
        parser.add_argument(
            "--days",
            type=int,
            default=TOKEN_DEFAULT_DAYS,
            help=f"days until the token expires (default {TOKEN_DEFAULT_DAYS}, at most "
            f"{TOKEN_MAX_DAYS})",
        )

    def handle(self, *args, username, name, days, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}.")
        if not 1 <= days <= TOKEN_MAX_DAYS:
            raise CommandError(f"--days must be between 1 and {TOKEN_MAX_DAYS}.")
        if not name.strip() or len(name) > 100:
            raise CommandError("The name must be 1 to 100 characters.")
        token, raw = issue_api_token(user, name.strip(), days=days)
        self.stdout.write(raw)
        expiry = token.expires_at.isoformat() if token.expires_at else "never"
        self.stderr.write(
            f"Token {token.prefix}… for {username}, expires {expiry}. It is shown only now."
        )
