from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "himaya.exchange"
    label = "exchange"
    verbose_name = _("Imports and exports")

    def ready(self):
        from . import policies  # noqa: F401 (registers the import runs' policy)
