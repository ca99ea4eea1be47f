from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "himaya.exchange"
    label = "exchange"
    verbose_name = _("Imports and exports")

    def ready(self):
        from himaya.notifications.housekeeping import housekeeping

        from . import (
            extracts,
            policies,  # noqa: F401 (registers the import runs' and extracts' policies)
        )
        from .pending import purge_on_schedule

        # The import files past their time go on himaya notify's schedule, not only when
        # someone uploads (a file waiting unclaimed holds the register's personal data).
        housekeeping.connect(purge_on_schedule, dispatch_uid="exchange.purge_expired")
        # So do the analysts' extracts past their time (HIMAYA_EXPORT_HOURS).
        housekeeping.connect(extracts.purge_on_schedule, dispatch_uid="exchange.purge_extracts")
