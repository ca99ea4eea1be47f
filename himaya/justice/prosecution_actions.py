"""Every write about a prosecution: start it, add charges, record court decisions per charge,
sentences, appeals, and victims' participation. Same conventions as ``actions``: plain keyword
arguments, validation inside (ValidationError keyed by field), one transaction, one audit row.

A prosecution's status follows its decisions: "decided" once every charge has a final decision
(convicted, acquitted, dismissed) and no appeal is pending, "under appeal" while one is, else
"ongoing"."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.audit import log
from himaya.core import access

from .actions import check_code, check_date, check_external_ref, touch
from .legal import CODES as ARTICLE_CODES
from .models import (
    FINAL_OUTCOMES,
    Appeal,
    AppealBy,
    AppealOutcome,
    Charge,
    CourtDecision,
    CourtTransfer,
    Instance,
    Investigation,
    Outcome,
    Participation,
    ParticipationRole,
    Prosecution,
    ProsecutionStatus,
    ProtectionMeasure,
    Sentence,
)

COURT_NAME_MAX = 200
MAX_MONTHS = 12 * 60  # life imprisonment is recorded as the maximum (60 years)
MAX_MAD = Decimal("9999999999.99")
MAX_COUNT = 999


def _locked(user, prosecution, q):
    locked = Prosecution.objects.select_for_update().filter(q, pk=prosecution.pk).first()
    if locked is None:
        raise PermissionDenied
    return locked, access.prosecution_org_for(user, locked)


def refresh_status(prosecution):
    """Derive the prosecution's status from its charges' decisions and its appeals."""
    charges = list(prosecution.charges.all())
    decided = bool(charges) and all(
        (d := c.final_decision) is not None and d.outcome in FINAL_OUTCOMES for c in charges
    )
    pending = prosecution.appeals.filter(outcome=AppealOutcome.PENDING).exists()
    status = (
        ProsecutionStatus.APPEALED
        if pending
        else ProsecutionStatus.DECIDED
        if decided
        else ProsecutionStatus.ONGOING
    )
    if status != prosecution.status:
        prosecution.status = status
        Prosecution.objects.filter(pk=prosecution.pk).update(status=status)
    return status


def _amount(field, value):
    if value in (None, ""):
        return None
    try:
        value = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({field: _("Enter an amount in dirhams.")}) from None
    if value < 0 or value > MAX_MAD or value.as_tuple().exponent < -2:
        raise ValidationError({field: _("Enter an amount in dirhams.")})
    return value


@transaction.atomic
def start_prosecution(
    investigation,
    suspect,
    *,
    acting_user,
    office,
    started_on,
    court=None,
    external_ref="",
    warn=None,
):
    """A prosecution office starts a prosecution of a suspect of an investigation it sees.
    ``warn``: see ``actions.check_date`` (a prosecutor seized directly starts before the
    investigation's recorded opening)."""
    if office is None or office.pk not in access.prosecuting_org_ids(acting_user):
        raise ValidationError({"office": _("Choose your prosecution office.")})
    inv = Investigation.objects.visible_to(acting_user).filter(pk=investigation.pk).first()
    if inv is None:
        raise PermissionDenied
    if suspect is None or not inv.suspect_links.filter(suspect=suspect).exists():
        raise ValidationError({"suspect": _("Choose a suspect of this investigation.")})
    if Prosecution.objects.filter(investigation=inv, suspect=suspect).exists():
        raise ValidationError({"suspect": _("This suspect is already prosecuted in this case.")})
    check_date(
        "started_on",
        started_on,
        after=inv.opened_on,
        after_label=_("the investigation"),
        warn=warn,
    )
    if court is not None and (not court.active or court.type.code not in access.COURT_ORG_TYPES):
        raise ValidationError({"court": _("Choose an active court.")})
    external_ref = check_external_ref(Prosecution, "office", office.pk, external_ref)
    prosecution = Prosecution.objects.create(
        suspect=suspect,
        investigation=inv,
        started_on=started_on,
        office=office,
        court=court,
        last_event_on=started_on,
        created_by=acting_user,
        external_ref=external_ref,
    )
    log.write(
        acting_user,
        "start_prosecution",
        prosecution,
        ["suspect", "investigation", "started_on", "office"] + (["court"] if court else []),
        organisation_id=office.pk,
    )
    return prosecution


@transaction.atomic
def set_court(prosecution, *, acting_user, court, on=None):
    """Name the court seized. Changing it from one court to another is a transfer of
    jurisdiction, recorded as such (dated ``on``, today by default)."""
    locked, org_id = _locked(acting_user, prosecution, access.prosecution_write_q(acting_user))
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
    if court is None and not court_name:
        return None
    return _(
        "This prosecution is before “%(seized)s”, and this decision is by “%(court)s”. If the "
        "case was transferred to that court, confirm it: the transfer of jurisdiction is "
        "recorded on the prosecution. Otherwise choose the court seized."
    ) % {"seized": prosecution.court.name, "court": court.name if court else court_name}


@transaction.atomic
def add_charge(prosecution, *, acting_user, article, form, count=None, external_ref=""):
    """A charge: a legal article and the form of exploitation it is about. Two counts of the
    same article and form (two victims) are told apart by their number (``count``, 1 first)."""
    locked, org_id = _locked(acting_user, prosecution, access.prosecution_write_q(acting_user))
    if article not in ARTICLE_CODES:
        raise ValidationError({"article": _("Choose the legal article.")})
    check_code("form", form, "exploitation_form", required=True)
    count = 1 if count in (None, "") else count
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_COUNT:
        raise ValidationError(
            {"count": _("Enter a count number from 1 to %(n)s.") % {"n": MAX_COUNT}}
        )
    if locked.charges.filter(article=article, form=form, count=count).exists():
        raise ValidationError(
            {
                "article": _(
                    "This charge is already recorded. Two counts of the same article and form "
                    "(two victims) each take their own count number."
                )
            }
        )
    external_ref = check_external_ref(Charge, "organisation", org_id, external_ref)
    charge = Charge.objects.create(
        prosecution=locked,
        article=article,
        form=form,
        count=count,
        organisation_id=org_id,
        created_by=acting_user,
        external_ref=external_ref,
    )
    refresh_status(locked)
    log.write(
        acting_user,
        "add_charge",
        charge,
        ["article", "form"] + (["count"] if count != 1 else []),
        organisation_id=org_id,
    )
    return charge


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
    locked, org_id = _locked(
        acting_user, charge.prosecution, access.prosecution_decide_q(acting_user)
    )
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose the decision.")})
    if instance not in Instance.values:
        raise ValidationError({"instance": _("Choose the instance.")})
    check_date(
        "decided_on",
        decided_on,
        after=locked.started_on,
        after_label=_("the start of the prosecution"),
    )
    court_name = (court_name or "").strip()
    if court is not None and (not court.active or court.type.code not in access.COURT_ORG_TYPES):
        raise ValidationError({"court": _("Choose an active court.")})
    if court is None and not court_name:
        court = locked.court
        if court is None:
            raise ValidationError({"court": _("Choose the court, or name it if not listed.")})
    if court is not None and court_name:
        raise ValidationError({"court_name": _("Choose the court or name it, not both.")})
    if len(court_name) > COURT_NAME_MAX:
        raise ValidationError(
            {"court_name": _("This text holds at most %(n)s characters.") % {"n": COURT_NAME_MAX}}
        )
    requalified_as = requalified_as or ""
    if outcome == Outcome.REQUALIFIED:
        if requalified_as not in ARTICLE_CODES:
            raise ValidationError({"requalified_as": _("Choose the new legal article.")})
    elif requalified_as:
        raise ValidationError({"requalified_as": _("Only a requalification names a new article.")})
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
        and not locked.appeals.filter(lodged_on__lte=decided_on).exists()
    ):
        raise ValidationError({"instance": _("Record the appeal before the appeal decision.")})
    question = transfer_question(locked, court=court, court_name=court_name, instance=instance)
    if question and not confirm_transfer:
        if warn is None:
            raise ValidationError({"confirm_transfer": question})
        warn("court", question)
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
        _transfer(
            locked,
            acting_user=acting_user,
            org_id=org_id,
            on=decided_on,
            to_court=court,
            to_court_name=court_name,
            decision=decision,
        )
    touch(locked, decided_on)
    refresh_status(locked)
    log.write(
        acting_user,
        "record_decision",
        decision,
        ["outcome", "decided_on", "instance", "court" if court else "court_name"],
        organisation_id=org_id,
    )
    return decision


@transaction.atomic
def record_sentence(
    decision, *, acting_user, prison_months=0, suspended_months=0, fine_mad=None, external_ref=""
):
    """The sentence of a conviction (one per convicting decision)."""
    locked, org_id = _locked(
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
    fine_mad = _amount("fine_mad", fine_mad)
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


@transaction.atomic
def record_appeal(prosecution, *, acting_user, lodged_on, lodged_by, external_ref=""):
    """An appeal against the first-instance decisions of a prosecution."""
    locked, org_id = _locked(acting_user, prosecution, access.prosecution_decide_q(acting_user))
    if lodged_by not in AppealBy.values:
        raise ValidationError({"lodged_by": _("Say who appealed.")})
    first = CourtDecision.objects.filter(charge__prosecution=locked).order_by("decided_on").first()
    if first is None:
        raise ValidationError(_("An appeal follows a court decision; record the decision first."))
    check_date("lodged_on", lodged_on, after=first.decided_on, after_label=_("the decision"))
    external_ref = check_external_ref(Appeal, "organisation", org_id, external_ref)
    appeal = Appeal.objects.create(
        prosecution=locked,
        lodged_on=lodged_on,
        lodged_by=lodged_by,
        organisation_id=org_id,
        recorded_by=acting_user,
        external_ref=external_ref,
    )
    touch(locked, lodged_on)
    refresh_status(locked)
    log.write(
        acting_user, "record_appeal", appeal, ["lodged_on", "lodged_by"], organisation_id=org_id
    )
    return appeal


@transaction.atomic
def decide_appeal(appeal, *, acting_user, outcome, decided_on):
    locked, org_id = _locked(
        acting_user, appeal.prosecution, access.prosecution_decide_q(acting_user)
    )
    if appeal.outcome != AppealOutcome.PENDING:
        raise ValidationError(_("This appeal was already decided."))
    if outcome not in AppealOutcome.values or outcome == AppealOutcome.PENDING:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    check_date("decided_on", decided_on, after=appeal.lodged_on, after_label=_("the appeal"))
    appeal.outcome = outcome
    appeal.decided_on = decided_on
    appeal.save(update_fields=["outcome", "decided_on"])
    touch(locked, decided_on)
    refresh_status(locked)
    log.write(
        acting_user, "decide_appeal", appeal, ["outcome", "decided_on"], organisation_id=org_id
    )
    return appeal


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
    locked, org_id = _locked(acting_user, prosecution, access.prosecution_write_q(acting_user))
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
    compensation_mad = _amount("compensation_mad", compensation_mad)
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
