from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    name = "himaya.linkage"
    label = "linkage"
    verbose_name = _("Linkage")

    def ready(self):
        from himaya.core import hooks

        from . import candidates, entry_batch, records

        hooks.provide("index_person", records.index_person)
        hooks.provide("index_suspect", records.index_suspect)
        hooks.provide("person_candidates", candidates.entry_candidates_for_person)
        hooks.provide("suspect_candidates", candidates.entry_candidates_for_suspect)
        hooks.provide("record_entry", candidates.record_entry)
        hooks.provide("known_elsewhere", candidates.known_elsewhere)
        hooks.provide("entry_session", entry_batch.session)
