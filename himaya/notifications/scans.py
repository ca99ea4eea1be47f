"""What `himaya notify` looks for on a schedule: the apps above register their scans (a
referral unanswered past its limit, a grant ending soon, a proceeding newly stalled) in their
AppConfig.ready, so that this app imports none of them (DESIGN.md: dependencies point down).
Each scan notifies with a key, so a notice is given once however often it runs."""

from django.db import transaction

_scans = {}


def register(name, function):
    _scans[name] = function


def run_all():
    """Run every scan, each in its own transaction; returns {name: records found}."""
    found = {}
    for name, function in sorted(_scans.items()):
        with transaction.atomic():
            found[name] = function()
    return found
