"""Support public bodies give to NGOs (financial or in kind)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from himaya.audit import log
from himaya.core import access
from himaya.core.bidi import blank

from ..models import NgoSupport, SupportKind
from .common import denied, not_future


def giver_choices(user, organisations):
    """Of ``organisations`` (a queryset), those the user may record support for."""
    own, national = access.support_giver_org_ids(user)
    if national:
        return organisations.filter(type__code__in=access.SUPPORT_GIVER_ORG_TYPES, active=True)
    return organisations.filter(pk__in=own)


@transaction.atomic
def record_support(
    *, acting_user, giver, receiver, on, kind, purpose, amount_mad=None, description=""
):
    from himaya.accounts.models import Organisation

    if not giver_choices(acting_user, Organisation.objects.all()).filter(pk=giver.pk).exists():
        raise denied(
            _("Recording support given to an NGO"),
            access.SUPPORT_RECORDER_ROLES,
            user=acting_user,
            org_types=access.SUPPORT_GIVER_ORG_TYPES,
            then=_(
                "Each public body records its own support; the national commission's may "
                "record any public body's."
            ),
        )
    if receiver.pk == giver.pk:
        raise ValidationError({"receiver": _("The receiver must be another organisation.")})
    not_future("on", on)
    if kind == SupportKind.FINANCIAL and (amount_mad is None or amount_mad <= 0):
        raise ValidationError({"amount_mad": _("Give the amount in dirhams.")})
    if kind == SupportKind.IN_KIND and blank(description):
        raise ValidationError({"description": _("Describe what was given.")})
    if blank(purpose):
        raise ValidationError({"purpose": _("Say what the support is for.")})
    record = NgoSupport.objects.create(
        giver=giver,
        receiver=receiver,
        on=on,
        kind=kind,
        amount_mad=amount_mad if kind == SupportKind.FINANCIAL else None,
        description=description.strip(),
        purpose=purpose.strip(),
        recorded_by=acting_user,
    )
    log.write(acting_user, "record_support", record, ["giver", "receiver", "kind", "amount_mad"])
    return record
