from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubjectsConfig(AppConfig):
    name = "himaya.subjects"
    label = "subjects"
    verbose_name = _("Data subject rights")

    def ready(self):
        from himaya.notifications.housekeeping import housekeeping

        from .actions import fail_lost_on_schedule

        # An erasure whose worker was killed mid-way would refuse every later erasure of the
        # person ("already under way"): himaya notify ends it as not erased.
        housekeeping.connect(fail_lost_on_schedule, dispatch_uid="subjects.fail_lost_erasures")
