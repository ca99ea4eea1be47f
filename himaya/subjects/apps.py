from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubjectsConfig(AppConfig):
    name = "himaya.subjects"
    label = "subjects"
    verbose_name = _("Data subject rights")
