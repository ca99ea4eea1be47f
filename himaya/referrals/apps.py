from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "himaya.referrals"
    label = "referrals"
    verbose_name = _("Referrals and services")

    def ready(self):
        from himaya.notifications import scans

        from . import notices

        scans.register("overdue_referrals", notices.scan_overdue)
