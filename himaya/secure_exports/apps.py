from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecureExportsConfig(AppConfig):
    name = "himaya.secure_exports"
    label = "secure_exports"
    verbose_name = _("Encrypted exports")
