from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "himaya.statistics"
    label = "statistics"
    verbose_name = _("Statistics")

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .builds import forget_state
        from .report import COUNTED_MODELS

        def changed(sender, **kwargs):
            forget_state()

        # A record counted by the report written in this process: the next page reads the data
        # version again instead of waiting for the cached one to expire.
        for label in COUNTED_MODELS:
            model = apps.get_model(label)
            post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"stats-save-{label}")
            post_delete.connect(
                changed, sender=model, weak=False, dispatch_uid=f"stats-delete-{label}"
            )
        for through in (
            apps.get_model("cases.Dossier").forms.through,
            apps.get_model("people.Person").citizenships.through,
        ):
            m2m_changed.connect(
                changed, sender=through, weak=False, dispatch_uid=f"stats-m2m-{through}"
            )
