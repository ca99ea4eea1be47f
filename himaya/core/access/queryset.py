"""``RestrictedQuerySet``: every access-controlled model's queryset, with one way to ask what a
user may do with its rows (NetBox's ``RestrictedQuerySet``, with our policies).

``Model.objects.restrict(user, action)`` is the rows of the model's policy (policies.py) for
``view``, ``view_identity`` or ``change``; ``visible_to(user)`` (what the views and the API
call), ``with_identity_for(user)`` and ``writable_by(user)`` are its three actions by name.
A model whose queryset has no policy raises ``LookupError`` rather than showing anything."""

from django.db import models

from .policies import policy_for


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user, action="view"):
        return policy_for(self.model).apply(self, user, action)

    def visible_to(self, user):
        return self.restrict(user, "view")

    def with_identity_for(self, user):
        return self.restrict(user, "view_identity")

    def writable_by(self, user):
        return self.restrict(user, "change")
