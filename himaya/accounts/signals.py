"""Audit rows for authentication events that happen outside our views (django-axes)."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.dispatch import receiver

from himaya.audit import log


@receiver(user_locked_out)
def audit_lockout(sender, request, username, ip_address, **kwargs):
    user = get_user_model().objects.filter(username=username).first()
    obj = user if user else ("accounts.user", "")
    log.write(None, "account_locked", obj, outcome="denied")
