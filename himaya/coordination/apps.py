from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "himaya.coordination"
    label = "coordination"
    verbose_name = _("Coordination")

    def ready(self):
        from himaya.notifications import scans

        from . import policies  # noqa: F401 (registers the coordination records' policies)
        from .actions import work

        scans.register("overdue_followup_actions", work.scan_overdue_actions)
