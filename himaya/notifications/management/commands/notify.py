"""`himaya notify`: the notices found by looking (referrals unanswered past their limit,
grants ending soon, proceedings newly stalled), then the daily digests and the mails to try
again; and, on the same schedule, what is kept no longer than its time: expired encrypted
exports, expired sessions (they hold the searches typed), logins past the days an address is
known. Run it every few minutes from cron or a systemd timer; each notice is given once."""

from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand
from django.utils import timezone

from himaya.accounts.throttle import forget_old_logins
from himaya.notifications import mail, scans
from himaya.notifications.housekeeping import housekeeping
from himaya.secure_exports.actions import do_purge_exports


class Command(BaseCommand):
    help = "Give the notices due on a schedule, send the daily digests, retry failed mails."

    def handle(self, *args, **options):
        for name, n in scans.run_all().items():
            self.stdout.write(f"{name}: {n} found")
        digests, retried = mail.sweep()
        self.stdout.write(f"digests sent: {digests}; mails sent again: {retried}")
        # On the same schedule: encrypted exports past their expiry are erased (S18).
        self.stdout.write(f"exports erased: {do_purge_exports()}")
        expired, _by_model = Session.objects.filter(expire_date__lt=timezone.now()).delete()
        self.stdout.write(f"expired sessions deleted: {expired}")
        self.stdout.write(f"old logins forgotten: {forget_old_logins()}")
        for _receiver, said in housekeeping.send(sender=self.__class__, now=timezone.now()):
            self.stdout.write(said)
