from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldConfig(AppConfig):
    name = "himaya.field"
    label = "field"
    verbose_name = _("Field devices")

    def ready(self):
        from . import policies  # noqa: F401 (registers the devices' policy)
