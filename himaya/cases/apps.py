from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "himaya.cases"
    label = "cases"
    verbose_name = _("Dossiers")

    def ready(self):
        from himaya.notifications import scans

        from . import notices

        scans.register("ending_grants", notices.scan_ending_grants)
