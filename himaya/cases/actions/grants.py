"""Access grants: another organisation sees a dossier (with or without the identity) while the
action that shared it (a referral, a transfer, a justice link, an alert) needs it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from himaya.audit import log
from himaya.core.bidi import blank
from himaya.notifications.actions import notify
from himaya.notifications.models import Kind

from ..models import AccessGrant
from .common import require_writable


@transaction.atomic
def grant_access(
    dossier, *, acting_user, organisation, reason, with_identity=True, until=None, source=""
):
    """Let another organisation see a dossier. Called by the actions that share a dossier
    (referrals, transfers, justice links), which end the grant when they end."""
    require_writable(acting_user, dossier)
    return create_grant(
        dossier,
        acting_user=acting_user,
        organisation=organisation,
        reason=reason,
        with_identity=with_identity,
        until=until,
        source=source,
    )


def create_grant(
    dossier,
    *,
    acting_user,
    organisation,
    reason,
    with_identity=True,
    until=None,
    source="",
    announce=True,
):
    """The grant itself, for actions that share a dossier under a rule of their own (a
    non-punishment alert shares it with the prosecution whoever records the offence, see
    core.access). Must run inside the caller's transaction. The organisation is told, unless
    the caller's own notice (a referral, an alert) already says it (``announce=False``)."""
    if blank(reason):
        raise ValidationError({"reason": _("Say why this organisation needs the dossier.")})
    if organisation.pk == dossier.owner_org_id or not organisation.active:
        raise ValidationError(
            {"organisation": _("Share the dossier with another, active organisation.")}
        )
    grant = AccessGrant.objects.create(
        dossier=dossier,
        organisation=organisation,
        with_identity=with_identity,
        reason=reason.strip(),
        until=until,
        source=source,
        granted_by=acting_user,
    )
    log.write(acting_user, "grant_access", grant, ["organisation", "with_identity", "until"])
    if announce:
        notify(
            Kind.GRANT_GIVEN,
            target=dossier,
            reference=dossier.reference,
            detail=gettext_lazy("with the identity")
            if with_identity
            else gettext_lazy("without the identity"),
            url=reverse("cases:detail", args=[dossier.pk]),
            organisations=[organisation.pk],
            actor=acting_user,
        )
    return grant


@transaction.atomic
def revoke_access(grant, *, acting_user):
    require_writable(acting_user, grant.dossier)
    return end_grant(grant, acting_user=acting_user)


def end_grant(grant, *, acting_user):
    """End a grant, for the action that created it under its own rule (``create_grant``)."""
    if grant.revoked_at is None:
        grant.revoked_at = timezone.now()
        grant.save(update_fields=["revoked_at"])
        log.write(acting_user, "revoke_access", grant, ["revoked_at"])
    return grant
