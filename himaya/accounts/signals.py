"""Audit rows for authentication events that happen outside our views (django-axes, Django's
authenticate())."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from himaya.audit import log

# Wrong second-factor codes are sent as failed logins too (for axes) with this sender; the view
# (views/signin.py) audits them.
SECOND_FACTOR_SENDER = "himaya.accounts.views"


@receiver(user_locked_out)
def audit_lockout(sender, request, username, ip_address, **kwargs):
    user = get_user_model().objects.filter(username=username).first()
    obj = user if user else ("accounts.user", "")
    log.write(None, "account_locked", obj, outcome="denied")


@receiver(user_login_failed)
def audit_login_failed(sender, credentials=None, request=None, **kwargs):
    """A wrong password (or a refused login). The row names the account when one matches, and
    otherwise nothing: a typed name that matches no account is often someone's password."""
    if sender == SECOND_FACTOR_SENDER:
        return
    User = get_user_model()
    username = (credentials or {}).get(User.USERNAME_FIELD)
    user = None
    if isinstance(username, str) and 0 < len(username) <= 150:
        user = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()
    log.write(
        None, "login_failed", ("accounts.user", str(user.pk) if user else ""), outcome="denied"
    )
