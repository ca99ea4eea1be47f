"""A fixed "today" for tests: no test may depend on the day it runs."""

from django.utils import timezone


def freeze_localdate(monkeypatch, day):
    """Make ``timezone.localdate()`` answer ``day`` for the test (a datetime given to it is
    still converted as usual); returns ``day``."""
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return day if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return day
