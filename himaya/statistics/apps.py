from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "himaya.statistics"
    label = "statistics"
    verbose_name = _("Statistics")

    def ready(self):
        from himaya.core import hooks

        from . import figures, report

        # The action plan's indicators are computed from the figures (coordination sits below
        # statistics, so it asks through the hooks).
        hooks.provide("figure_catalogue", figures.indicator_catalogue)
        hooks.provide("figure_values", report.indicator_values)
