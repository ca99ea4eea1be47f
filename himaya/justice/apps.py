from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JusticeConfig(AppConfig):
    name = "himaya.justice"
    label = "justice"
    verbose_name = _("Justice")

    def ready(self):
        from himaya.notifications import scans

        from . import notices

        scans.register("stalled_proceedings", notices.scan_stalled)
