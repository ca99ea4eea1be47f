"""What a court does to a prosecution: the court seized and its transfers of jurisdiction, the
decisions per charge, the sentence of a conviction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.audit import log
from himaya.core import access
from himaya.core.bidi import blank

from ..confirmations import asked
from ..legal import CODES as ARTICLE_CODES
from ..models import CourtDecision, CourtTransfer, Instance, Outcome, Sentence
from . import run
from .common import check_amount, check_date, check_external_ref, touch
from .prosecutions import lock_prosecution, refresh_status

COURT_NAME_MAX = 200
MAX_MONTHS = 12 * 60  # life imprisonment is recorded as the maximum (60 years)


@transaction.atomic
def set_court(prosecution, *, acting_user, court, on=None):
    """Name the court seized. Changing it from one court to another is a transfer of
    jurisdiction, recorded as such (dated ``on``, today by default)."""
    locked, org_id = lock_prosecution(
        acting_user, prosecution, access.prosecution_write_q(acting_user)
    )
    if court is None or not court.active or court.type.code not in access.COURT_ORG_TYPES:
        raise ValidationError({"court": _("Choose an active court.")})
    if locked.court_id is not None and locked.court_id != court.pk:
        _transfer(
            locked,
            acting_user=acting_user,
            org_id=org_id,
            to_court=court,
            on=on or timezone.localdate(),
        )
        return locked
    locked.court = court
    locked.save(update_fields=["court"])
    run.forget(locked)  # who may decide follows the court (access.prosecution_decide_q)
    log.write(acting_user, "set_court", locked, ["court"], organisation_id=org_id)
    return locked


def _transfer(locked, *, acting_user, org_id, on, to_court=None, to_court_name="", decision=None):
    """Record that the prosecution left its court seized for another (a court outside Himaya
    when only named): the transfer row, the court seized changed, both audited. Must run inside
    the caller's transaction, on the locked prosecution."""
    transfer = CourtTransfer.objects.create(
        prosecution=locked,
        from_court_id=locked.court_id,
        to_court=to_court,
        to_court_name=to_court_name,
        on=on,
        decision=decision,
        organisation_id=org_id,
        recorded_by=acting_user,
    )
    locked.court = to_court
    locked.save(update_fields=["court"])
    run.forget(locked)  # who may decide follows the court (access.prosecution_decide_q)
    log.write(
        acting_user,
        "transfer_jurisdiction",
        transfer,
        ["from_court", "to_court" if to_court else "to_court_name", "on"],
        organisation_id=org_id,
    )
    log.write(acting_user, "set_court", locked, ["court"], organisation_id=org_id)
    touch(locked, on)
    return transfer


def transfer_question(prosecution, *, court, court_name, instance):
    """The warning a first-instance decision by a court other than the one seized gets, or
    None: it means the case was transferred, which the user confirms (or corrects the court)."""
    if instance != Instance.FIRST or prosecution.court_id is None:
        return None
    if court is not None and court.pk == prosecution.court_id:
        return None
    if court is None and blank(court_name):
        return None
    return _(
        "This prosecution is before “%(seized)s”, and this decision is by “%(court)s”. If the "
        "case was transferred to that court, confirm it: the transfer of jurisdiction is "
        "recorded on the prosecution. Otherwise choose the court seized."
    ) % {"seized": prosecution.court.name, "court": court.name if court else court_name}


@transaction.atomic
def record_decision(
    charge,
    *,
    acting_user,
    outcome,
    decided_on,
    court=None,
    court_name="",
    instance=Instance.FIRST,
    requalified_as="",
    external_ref="",
    confirm_transfer=False,
    warn=None,
):
    """A court's decision on one charge, dated on or after the prosecution started.

    A first-instance decision by a court other than the one seized means the case was
    transferred: refused until ``confirm_transfer`` (the user read the warning; an import's
    ``warn`` lists it for the clerk to confirm, see ``actions.check_date``), then the transfer
    of jurisdiction is recorded with the decision and the decision's court becomes the court
    seized."""
    locked, org_id = lock_prosecution(
        acting_user, charge.prosecution, access.prosecution_decide_q(acting_user)
    )
    _check_outcome(outcome, instance)
    check_date(
        "decided_on",
        decided_on,
        after=locked.started_on,
        after_label=_("the start of the prosecution"),
    )
    court, court_name = _deciding_court(locked, court, court_name)
    requalified_as = _check_requalification(outcome, requalified_as)
    _check_order(locked, charge, decided_on, instance)
    question = _transfer_answered(locked, court, court_name, instance, confirm_transfer, warn)
    external_ref = check_external_ref(CourtDecision, "organisation", org_id, external_ref)
    decision = CourtDecision.objects.create(
        charge=charge,
        outcome=outcome,
        decided_on=decided_on,
        instance=instance,
        court=court,
        court_name=court_name,
        requalified_as=requalified_as,
        organisation_id=org_id,
        recorded_by=acting_user,
        external_ref=external_ref,
    )
    if question:
        _transfer_by(decision, locked, acting_user=acting_user, org_id=org_id)
    _decision_recorded(locked, decision, acting_user=acting_user, org_id=org_id)
    return decision


def _check_outcome(outcome, instance):
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose the decision.")})
    if instance not in Instance.values:
        raise ValidationError({"instance": _("Choose the instance.")})


def _deciding_court(prosecution, court, court_name):
    """The decision's court: one in Himaya, or one named; the court seized when neither is
    given."""
    court_name = (court_name or "").strip()
    if blank(court_name):  # a name of invisible characters names no court
        court_name = ""
    if court is not None and (not court.active or court.type.code not in access.COURT_ORG_TYPES):
        raise ValidationError({"court": _("Choose an active court.")})
    if court is None and blank(court_name):
        court = prosecution.court
        if court is None:
            raise ValidationError({"court": _("Choose the court, or name it if not listed.")})
    if court is not None and court_name:
        raise ValidationError({"court_name": _("Choose the court or name it, not both.")})
    if len(court_name) > COURT_NAME_MAX:
        raise ValidationError(
            {"court_name": _("This text holds at most %(n)s characters.") % {"n": COURT_NAME_MAX}}
        )
    return court, court_name


def _check_requalification(outcome, requalified_as):
    """A requalification names its new legal article; no other decision names one."""
    requalified_as = requalified_as or ""
    if outcome == Outcome.REQUALIFIED:
        if requalified_as not in ARTICLE_CODES:
            raise ValidationError({"requalified_as": _("Choose the new legal article.")})
    elif requalified_as:
        raise ValidationError({"requalified_as": _("Only a requalification names a new article.")})
    return requalified_as


def _check_order(prosecution, charge, decided_on, instance):
    """A decision comes after the charge's earlier ones, and an appeal decision after its
    appeal."""
    previous = charge.decisions.order_by("-decided_on", "-id").first()
    if previous and decided_on < previous.decided_on:
        raise ValidationError(
            {
                "decided_on": _("An earlier decision on this charge is dated %(date)s.")
                % {"date": previous.decided_on.isoformat()}
            }
        )
    if (
        instance == Instance.APPEAL
        and not prosecution.appeals.filter(lodged_on__lte=decided_on).exists()
    ):
        raise ValidationError({"instance": _("Record the appeal before the appeal decision.")})


@transaction.atomic
def record_sentence(
    decision, *, acting_user, prison_months=0, suspended_months=0, fine_mad=None, external_ref=""
):
    """The sentence of a conviction (one per convicting decision)."""
    locked, org_id = lock_prosecution(
        acting_user, decision.charge.prosecution, access.prosecution_decide_q(acting_user)
    )
    if decision.outcome != Outcome.CONVICTED:
        raise ValidationError(_("A sentence is recorded only on a conviction."))
    if Sentence.objects.filter(decision=decision).exists():
        raise ValidationError(_("This conviction already has its sentence."))
    for field, value in (("prison_months", prison_months), ("suspended_months", suspended_months)):
        if not isinstance(value, int) or value < 0 or value > MAX_MONTHS:
            raise ValidationError(
                {field: _("Enter a number of months from 0 to %(n)s.") % {"n": MAX_MONTHS}}
            )
    if suspended_months > prison_months:
        raise ValidationError(
            {"suspended_months": _("The suspended part cannot exceed the prison term.")}
        )
    fine_mad = check_amount("fine_mad", fine_mad)
    if not prison_months and not fine_mad:
        raise ValidationError(_("A sentence has a prison term, a fine, or both."))
    external_ref = check_external_ref(Sentence, "organisation", org_id, external_ref)
    sentence = Sentence.objects.create(
        decision=decision,
        prison_months=prison_months,
        suspended_months=suspended_months,
        fine_mad=fine_mad,
        organisation_id=org_id,
        recorded_by=acting_user,
        external_ref=external_ref,
    )
    log.write(
        acting_user,
        "record_sentence",
        sentence,
        ["prison_months", "suspended_months", "fine_mad"],
        organisation_id=org_id,
    )
    return sentence


TRANSFER_ASKED = "transfer_asked"


def _transfer_answered(prosecution, court, court_name, instance, confirm_transfer, warn):
    """The transfer of jurisdiction a decision means (see ``transfer_question``), or None; a
    question not yet confirmed is refused, or on an import given to ``warn``.

    ``confirm_transfer``: True (an API client: the court as sent), or the ``asked`` of the
    question a page showed with its box (the court seized and the deciding court), so that a
    tick given while the court is changed to yet another one asks again. The question carries
    its ``asked`` (its ``params``) for the page to render with the box."""
    question = transfer_question(prosecution, court=court, court_name=court_name, instance=instance)
    if not question:
        return None
    now = asked(prosecution.court_id, court.pk if court else "", court_name)
    if confirm_transfer is True or (confirm_transfer and confirm_transfer == now):
        return question
    if warn is None:
        raise ValidationError(
            {
                "confirm_transfer": ValidationError(
                    question.replace("%", "%%"),  # formatted with its params when shown
                    code="confirm_transfer",
                    params={TRANSFER_ASKED: now},
                )
            }
        )
    warn("court", question)
    return question


def _transfer_by(decision, prosecution, *, acting_user, org_id):
    """The transfer of jurisdiction a confirmed decision records: to the decision's court."""
    return _transfer(
        prosecution,
        acting_user=acting_user,
        org_id=org_id,
        on=decision.decided_on,
        to_court=decision.court,
        to_court_name=decision.court_name,
        decision=decision,
    )


def _decision_recorded(prosecution, decision, *, acting_user, org_id):
    """What follows a decision: the prosecution's latest event and status, the audit row."""
    touch(prosecution, decision.decided_on)
    refresh_status(prosecution)
    log.write(
        acting_user,
        "record_decision",
        decision,
        ["outcome", "decided_on", "instance", "court" if decision.court_id else "court_name"],
        organisation_id=org_id,
    )
