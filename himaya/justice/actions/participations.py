"""A victim's part in a prosecution: role, protection measures asked and granted, compensation
ordered."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from himaya.audit import log
from himaya.core import access

from ..models import Participation, ParticipationRole, ProtectionMeasure
from .common import check_amount, check_external_ref
from .prosecutions import lock_prosecution


def _measures(field, values):
    values = list(dict.fromkeys(values or ()))
    if any(v not in ProtectionMeasure.values for v in values):
        raise ValidationError({field: _("Choose measures from the list.")})
    return values


@transaction.atomic
def record_participation(
    prosecution,
    dossier,
    *,
    acting_user,
    role,
    protection_asked=(),
    protection_granted=(),
    compensation_mad=None,
    external_ref="",
):
    """A victim's part in a prosecution: the dossier must be linked to its investigation.
    Protection granted is among the measures asked; compensation is what the court ordered."""
    locked, org_id = lock_prosecution(
        acting_user, prosecution, access.prosecution_write_q(acting_user)
    )
    if dossier is None or not locked.investigation.dossier_links.filter(dossier=dossier).exists():
        raise ValidationError({"dossier": _("Choose a dossier linked to the investigation.")})
    if role not in ParticipationRole.values:
        raise ValidationError({"role": _("Choose the victim's role.")})
    asked = _measures("protection_asked", protection_asked)
    granted = _measures("protection_granted", protection_granted)
    if set(granted) - set(asked):
        raise ValidationError(
            {"protection_granted": _("A measure granted must be among those asked.")}
        )
    compensation_mad = check_amount("compensation_mad", compensation_mad)
    existing = Participation.objects.select_for_update().filter(prosecution=locked, dossier=dossier)
    participation = existing.first()
    if participation is None:
        external_ref = check_external_ref(Participation, "organisation", org_id, external_ref)
        participation = Participation(
            prosecution=locked,
            dossier=dossier,
            organisation_id=org_id,
            recorded_by=acting_user,
            external_ref=external_ref,
        )
    participation.role = role
    participation.protection_asked = asked
    participation.protection_granted = granted
    participation.compensation_mad = compensation_mad
    participation.save()
    log.write(
        acting_user,
        "record_participation",
        participation,
        ["role", "protection_asked", "protection_granted", "compensation_mad"],
        organisation_id=org_id,
    )
    return participation
