"""Transfers of a dossier's ownership: proposed by its owner, answered by the receiver."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.audit import log
from himaya.cases import actions as case_actions
from himaya.cases.models import Dossier
from himaya.core import access
from himaya.core.bidi import blank
from himaya.notifications.models import Kind

from .. import notices
from ..models import DossierTransfer, TransferStatus
from .common import denied, org_then


@transaction.atomic
def propose_transfer(dossier, *, acting_user, to_org, reason):
    if not Dossier.objects.writable_by(acting_user).filter(pk=dossier.pk).exists():
        raise denied(
            _("Transferring a dossier"),
            access.VICTIM_ROLES,
            user=acting_user,
            then=_("Only the organisation that holds the dossier, %(org)s, transfers it.")
            % {"org": dossier.owner_org},
        )
    if to_org.pk == dossier.owner_org_id or not to_org.active:
        raise ValidationError({"to_org": _("Transfer to another, active organisation.")})
    if blank(reason):
        raise ValidationError({"reason": _("Say why the dossier is transferred.")})
    if DossierTransfer.objects.filter(dossier=dossier, status=TransferStatus.PROPOSED).exists():
        raise ValidationError(_("A transfer of this dossier is already proposed."))
    transfer = DossierTransfer.objects.create(
        dossier=dossier,
        from_org=dossier.owner_org,
        to_org=to_org,
        reason=reason.strip(),
        proposed_by=acting_user,
    )
    log.write(acting_user, "propose_transfer", transfer, ["to_org", "reason"])
    notices.transfer(transfer, Kind.TRANSFER_PROPOSED, acting_user)
    return transfer


@transaction.atomic
def answer_transfer(transfer, *, acting_user, accept):
    transfer = DossierTransfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.to_org_id not in access.victim_org_ids(acting_user):
        raise denied(
            _("Answering a transfer"),
            access.VICTIM_ROLES,
            user=acting_user,
            then=org_then(transfer.to_org),
        )
    if transfer.status != TransferStatus.PROPOSED:
        raise ValidationError(_("This transfer was already answered."))
    transfer.status = TransferStatus.ACCEPTED if accept else TransferStatus.DECLINED
    transfer.answered_by = acting_user
    transfer.answered_at = timezone.now()
    transfer.save(update_fields=["status", "answered_by", "answered_at"])
    if accept:
        dossier = Dossier.objects.select_for_update().get(pk=transfer.dossier_id)
        dossier.owner_org_id = transfer.to_org_id
        dossier.caseworker = None
        dossier.version += 1
        dossier.save(update_fields=["owner_org", "caseworker", "version"])
        # The new owner needs no grant; grants it held end.
        for grant in dossier.grants.filter(
            access.live_grant_q(""), organisation_id=transfer.to_org_id
        ):
            case_actions.end_grant(grant, acting_user=acting_user)
        log.write(acting_user, "transfer_dossier", dossier, ["owner_org", "caseworker"])
    log.write(acting_user, "answer_transfer", transfer, ["status"])
    notices.transfer(transfer, Kind.TRANSFER_ANSWERED, acting_user)
    return transfer


@transaction.atomic
def withdraw_transfer(transfer, *, acting_user):
    if transfer.from_org_id not in access.victim_org_ids(acting_user):
        raise denied(
            _("Withdrawing a transfer"),
            access.VICTIM_ROLES,
            user=acting_user,
            then=org_then(transfer.from_org),
        )
    if transfer.status != TransferStatus.PROPOSED:
        raise ValidationError(_("This transfer was already answered."))
    transfer.status = TransferStatus.WITHDRAWN
    transfer.answered_at = timezone.now()
    transfer.save(update_fields=["status", "answered_at"])
    log.write(acting_user, "withdraw_transfer", transfer, ["status"])
    return transfer
