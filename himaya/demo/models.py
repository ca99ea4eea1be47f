"""The marker of a loaded demo: the demo loads once, and a second `himaya demo` adds nothing."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DemoRun(models.Model):
    seed = models.IntegerField(_("seed"))
    anchor = models.DateField(_("anchor date"))
    counts = models.JSONField(_("counts"), default=dict)
    loaded_at = models.DateTimeField(_("loaded"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("demo load")
        verbose_name_plural = _("demo loads")

    def __str__(self):
        return f"demo seed {self.seed} ({self.anchor})"
