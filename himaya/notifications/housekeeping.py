"""What apps above this one keep no longer than its time, on ``himaya notify``'s schedule.

An app that keeps files or rows past a moment (the import files waiting for their commit, say)
connects a receiver to ``housekeeping`` in its AppConfig.ready; ``himaya notify`` sends it on
every run and prints what each receiver says it did. The apps below (exports, sessions, logins)
are called by the command itself."""

from django.dispatch import Signal

# Receivers take ``now`` and return one line saying what they removed ("import files: 2").
housekeeping = Signal()
