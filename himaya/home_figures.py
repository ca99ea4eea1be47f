"""The home page's figures: counts over every record a user sees (dossiers by stage, referrals
to answer, waiting and under way), computed once per data revision and access scope instead
of on every visit (issue 17: at 100k persons they were most of the home page's SQL time).

A cached figure is read back only while nothing it counts can have changed:

- the data revision (statistics.revision) advances on every write to the dossiers, referrals,
  shelter stays and the other counted tables, whoever writes them (database triggers);
- the user's scope token changes with what the user may see: their id, their active
  memberships (organisation, role, organisation type) and their organisations' live access
  grants (count, sum of ids, how many with the identity; a grant created, ended, or expired
  by its date changes it), and the newest stage event (stages are read from their events);
- the day, for figures that depend on it.

A figure is kept only under a settled revision (statistics.revision.settled_revision: on
PostgreSQL, while no writer counted into it is still open); otherwise it is computed for the
page and not kept.

The lists beside the figures (the ten rows shown) and the time-dependent counts (overdue
referrals, follow-ups due, transfers proposed) are always read live."""

import hashlib

from django.core.cache import cache
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from himaya.cases.models import AccessGrant, StageEvent
from himaya.core import access
from himaya.core.access.base import _memberships, live_grant_q
from himaya.statistics import revision

# Kept this long at most; the key already changes with every write that matters.
SECONDS = 600


def scope_token(user) -> str:
    """A short digest of what decides the rows the user sees (see the module docstring)."""
    memberships = sorted(_memberships(user))
    orgs = {org for org, _role, _type in memberships}
    grants = (
        AccessGrant.objects.filter(live_grant_q(""), organisation_id__in=orgs).aggregate(
            n=Count("pk"), ids=Sum("pk"), identity=Count("pk", filter=Q(with_identity=True))
        )
        if orgs
        else {}
    )
    newest_event = StageEvent.objects.aggregate(m=Max("pk"))["m"]
    parts = [
        user.pk,
        access.is_national_analyst(user),
        memberships,
        sorted(grants.items()),
        newest_event,
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


class HomeFigures:
    """``figures.get(name, compute)``: ``compute()``'s value for this user, revision, scope and
    day, from the cache when it was computed under the same ones. The revision and the scope
    token are read once per page (two or three small queries)."""

    def __init__(self, user, today=None):
        self.user = user
        self.today = today or timezone.localdate()
        self._prefix = None

    def prefix(self):
        """The figures' key prefix; "" when a writer is open (nothing read or stored)."""
        if self._prefix is None:
            settled = revision.settled_revision()
            self._prefix = (
                ""
                if settled is None
                else f"himaya:home:{self.user.pk}:{settled}:"
                f"{scope_token(self.user)}:{self.today.isoformat()}"
            )
        return self._prefix

    def get(self, name, compute):
        if not self.prefix():
            return compute()
        key = f"{self.prefix()}:{name}"
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, SECONDS)
        return value
