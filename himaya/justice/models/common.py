"""What the justice records share: the ``external_ref`` an import finds a record again by
(unique per organisation and kind), and the proceedings' "stalled" rule (an open investigation
or an undecided prosecution keeps the date of its latest event in ``last_event_on``)."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from himaya.core import access

EXTERNAL_REF_MAX = 64


def _external_ref():
    return models.CharField(
        _("external reference"),
        max_length=EXTERNAL_REF_MAX,
        blank=True,
        help_text=_("The record's number in the register it was imported from."),
    )


def _ref_unique(org_field, name):
    return models.UniqueConstraint(
        fields=[org_field, "external_ref"], condition=~Q(external_ref=""), name=name
    )


def stalled_cutoff(today=None):
    """The date before which a proceeding's latest event makes it stalled: HIMAYA_STALLED_MONTHS
    calendar months before ``today`` (the last day of a shorter month when needed)."""
    today = today or timezone.localdate()
    index = today.year * 12 + today.month - 1 - settings.HIMAYA_STALLED_MONTHS
    year, month = divmod(index, 12)
    for day in (today.day, 30, 29, 28):
        try:
            return datetime.date(year, month + 1, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


class ProceedingQuerySet(access.RestrictedQuerySet):
    """Shared by investigations and prosecutions: the stalled ones, with their age."""

    finished_q = Q()

    def unfinished(self):
        return self.exclude(self.finished_q)

    def stalled(self, today=None):
        """Unfinished proceedings with no event since HIMAYA_STALLED_MONTHS months; each
        carries ``idle_days`` (since its latest event) and ``open_days`` (since it began)."""
        today = today or timezone.localdate()
        rows = list(self.unfinished().filter(last_event_on__lt=stalled_cutoff(today)))
        for row in rows:
            row.idle_days = (today - row.last_event_on).days
            row.open_days = (today - row.began_on).days
        return rows
