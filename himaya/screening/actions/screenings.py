"""A screening from its draft to its submission: open it, answer, correct the details, submit
(the rule applied once and fixed), discard a draft, start a correction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.audit import log
from himaya.core import access
from himaya.core.actions import ensure_visible, save_versioned
from himaya.core.bidi import blank
from himaya.people.models import Person

from .. import engine
from ..models import (
    Answer,
    CampaignStatus,
    Questionnaire,
    QuestionnaireStatus,
    Screening,
    ScreeningStatus,
)

ALIAS_MAX = 200
PLACE_MAX = 200
NOTES_MAX = 5000
DETAIL_FIELDS = ["screened_on", "region", "place_detail", "language", "campaign", "alias"]


# --- the rule, for one screening ---------------------------------------------------------------


def indicators_of(questionnaire):
    return [
        engine.Indicator(key=q.key, dimension=q.dimension, strength=q.strength, element=q.element)
        for q in questionnaire.questions.all()
    ]


def evaluate(screening):
    """The engine's result for a screening's current answers (a draft's preview)."""
    return engine.evaluate(
        indicators_of(screening.questionnaire),
        screening.answers or {},
        screening.questionnaire.target,
    )


# --- screenings ------------------------------------------------------------------------------


def _check_org(user, organisation):
    if organisation.pk not in access.victim_org_ids(user):
        raise PermissionDenied(_("You cannot screen for this organisation."))


def _check_details(organisation, fields):
    errors = {}
    day = fields.get("screened_on")
    if day and day > timezone.localdate():
        errors["screened_on"] = _("A screening cannot be dated in the future.")
    campaign = fields.get("campaign")
    if campaign is not None:
        if campaign.organisation_id != organisation.pk:
            errors["campaign"] = _("Choose a campaign of the screening organisation.")
        elif campaign.status == CampaignStatus.CLOSED:
            errors["campaign"] = _("This campaign is closed.")
        elif day and not campaign.covers(day):
            errors["campaign"] = _("The screening date is outside the campaign's dates.")
    if len(fields.get("alias", "")) > ALIAS_MAX:
        errors["alias"] = _("Keep the description under %(n)s characters.") % {"n": ALIAS_MAX}
    if len(fields.get("place_detail", "")) > PLACE_MAX:
        errors["place_detail"] = _("Keep the place under %(n)s characters.") % {"n": PLACE_MAX}
    for name, code_list in (("region", "region"), ("language", "language")):
        code = fields.get(name)
        if code is not None and code.list != code_list:
            errors[name] = _("Choose a value from the list.")
    if errors:
        raise ValidationError(errors)


def _writable_draft(user, screening):
    """The draft, locked for this transaction, if the user may change it."""
    locked = (
        Screening.objects.select_for_update()
        .filter(access.screening_write_q(user))
        .filter(pk=screening.pk)
        .first()
    )
    if locked is None:
        if Screening.objects.filter(pk=screening.pk, status=ScreeningStatus.SUBMITTED).exists():
            raise ValidationError(
                _("This screening was submitted: it cannot be changed. Start a correction.")
            )
        raise PermissionDenied
    return locked


def _linkable(user, screening):
    locked = (
        Screening.objects.select_for_update()
        .filter(access.screening_link_q(user))
        .filter(pk=screening.pk)
        .first()
    )
    if locked is None:
        if Screening.objects.filter(pk=screening.pk, status=ScreeningStatus.DRAFT).exists():
            raise ValidationError(_("Submit the screening first."))
        raise PermissionDenied
    return locked


def _check_questionnaire(questionnaire, accept_retired):
    allowed = {QuestionnaireStatus.PUBLISHED}
    if accept_retired:
        allowed.add(QuestionnaireStatus.RETIRED)
    if questionnaire.status not in allowed:
        raise ValidationError(
            {"questionnaire": _("Choose a published questionnaire.")}, code="not_published"
        )


def _check_who(user, person, alias):
    """A screening is of a person record the user may write, or of a short description."""
    if person is not None:
        if not Person.objects.writable_by(user).filter(pk=person.pk).exists():
            raise PermissionDenied
    elif blank(alias):
        raise ValidationError(
            {"alias": _("Say briefly who is screened (a first name or a description).")}
        )


@transaction.atomic
def start_screening(
    *,
    acting_user,
    organisation,
    questionnaire,
    person=None,
    alias="",
    corrects=None,
    dossier=None,
    answers=None,
    accept_retired=False,
    **fields,
):
    """Open a draft on a published questionnaire, for a recorded person or a short
    description of who is screened. ``accept_retired``: a screening filled offline on a field
    device (himaya.field) lands on the version it was filled on, even if it was retired since."""
    _check_org(acting_user, organisation)
    _check_questionnaire(questionnaire, accept_retired)
    alias = (alias or "").strip()
    fields = {k: v for k, v in fields.items() if k in DETAIL_FIELDS}
    fields["place_detail"] = (fields.get("place_detail") or "").strip()
    fields.setdefault("screened_on", timezone.localdate())
    _check_details(organisation, {**fields, "alias": alias})
    _check_who(acting_user, person, alias)
    screening = Screening(
        questionnaire=questionnaire,
        organisation=organisation,
        screener=acting_user,
        person=person,
        alias=alias,
        corrects=corrects,
        dossier=dossier,
        answers=_clean_answers(questionnaire, answers or {}),
        reference=f"tmp-{timezone.now().timestamp()}",
        **fields,
    )
    screening.save()
    screening.reference = f"SCR-{screening.screened_on.year}-{screening.pk:06d}"
    screening.save(update_fields=["reference"])
    log.write(
        acting_user,
        "start_screening",
        screening,
        ["questionnaire", "organisation", "screened_on"]
        + [f for f in DETAIL_FIELDS if fields.get(f)]
        + (["person"] if person else [])
        + (["alias"] if alias else [])
        + (["corrects"] if corrects else [])
        + (["answers"] if answers else []),
        organisation_id=organisation.pk,
    )
    ensure_visible(Screening.objects, screening, acting_user)
    return screening


def _clean_answers(questionnaire, answers):
    keys = {q.key for q in questionnaire.questions.all()}
    unknown = sorted(k for k in answers if k not in keys)
    if unknown:
        raise ValidationError(
            {
                "answers": _("These questions are not in the questionnaire: %(keys)s.")
                % {"keys": ", ".join(unknown[:5])}
            }
        )
    bad = sorted(k for k, v in answers.items() if v not in Answer.values)
    if bad:
        raise ValidationError(
            {"answers": _("Answer yes, no or unknown (%(keys)s).") % {"keys": ", ".join(bad[:5])}}
        )
    return dict(answers)


@transaction.atomic
def save_answers(screening, *, acting_user, answers):
    """Merge answers into a draft. Every step of the interview posts what it has, so the last
    post wins for a question and nothing answered before is dropped."""
    locked = _writable_draft(acting_user, screening)
    cleaned = _clean_answers(locked.questionnaire, answers)
    merged = {**(locked.answers or {}), **cleaned}
    changed = merged != (locked.answers or {})
    if changed:
        Screening.objects.filter(pk=locked.pk).update(
            answers=merged, updated_at=timezone.now(), version=F("version") + 1
        )
        log.write(acting_user, "save_answers", locked, ["answers"])
    locked.refresh_from_db()
    return locked


@transaction.atomic
def update_details(screening, *, acting_user, expected_version, **fields):
    locked = _writable_draft(acting_user, screening)
    fields = {k: v for k, v in fields.items() if k in DETAIL_FIELDS}
    for name in ("alias", "place_detail"):
        if name in fields:
            fields[name] = (fields[name] or "").strip()
    merged = {f: getattr(locked, f) for f in DETAIL_FIELDS} | fields
    _check_details(locked.organisation, merged)
    if locked.person_id is None and not merged["alias"]:
        raise ValidationError(
            {"alias": _("Say briefly who is screened (a first name or a description).")}
        )
    changed = [f for f in fields if getattr(locked, f) != fields[f]]
    for f in changed:
        setattr(locked, f, fields[f])
    save_versioned(locked, changed, expected_version)
    log.write(acting_user, "update_screening", locked, changed)
    return locked, changed


@transaction.atomic
def submit_screening(screening, *, acting_user, notes=None):
    """Apply the rule and fix the result. After this the screening is never changed."""
    locked = _writable_draft(acting_user, screening)
    answers = locked.answers or {}
    if not any(v in (Answer.YES, Answer.NO) for v in answers.values()):
        raise ValidationError(_("Answer at least one question with yes or no before submitting."))
    if notes is not None:
        notes = notes.strip()
        if len(notes) > NOTES_MAX:
            raise ValidationError(
                {"notes": _("Keep the observations under %(n)s characters.") % {"n": NOTES_MAX}}
            )
        locked.notes = notes
    result = evaluate(locked)
    locked.status = ScreeningStatus.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.recommendation = result.recommendation
    locked.result = result.to_json()
    locked.engine_version = result.engine_version
    locked.updated_at = locked.submitted_at
    locked.version += 1
    locked.save(
        update_fields=[
            "status",
            "submitted_at",
            "recommendation",
            "result",
            "engine_version",
            "notes",
            "updated_at",
            "version",
        ]
    )
    log.write(
        acting_user,
        "submit_screening",
        locked,
        ["status", "recommendation", "result"] + (["notes"] if notes else []),
        organisation_id=locked.organisation_id,
    )
    return locked


@transaction.atomic
def discard_screening(screening, *, acting_user):
    """Delete a draft that will not be finished: unsent answers are not kept for nothing."""
    locked = _writable_draft(acting_user, screening)
    label = ("screening.screening", str(locked.pk))
    locked.delete()
    log.write(acting_user, "discard_screening", label, ["answers"])


@transaction.atomic
def start_correction(screening, *, acting_user):
    """A new draft that corrects a submitted screening, on the questionnaire now published,
    with the answers carried over where the question still exists. One correction per
    screening: a second call returns the draft under way."""
    original = _linkable(acting_user, screening)
    existing = Screening.objects.filter(corrects=original).first()
    if existing is not None:
        if existing.status == ScreeningStatus.DRAFT:
            return existing
        raise ValidationError(
            _("This screening was already corrected by %(ref)s: correct that one instead.")
            % {"ref": existing.reference}
        )
    questionnaire = Questionnaire.objects.published().filter(code=original.questionnaire.code)
    questionnaire = questionnaire.first()
    if questionnaire is None:
        raise ValidationError(_("No version of this questionnaire is published."))
    keys = {q.key for q in questionnaire.questions.all()}
    return start_screening(
        acting_user=acting_user,
        organisation=original.organisation,
        questionnaire=questionnaire,
        person=original.person
        if original.person_id
        and Person.objects.writable_by(acting_user).filter(pk=original.person_id).exists()
        else None,
        alias=original.alias or (_("person of %(ref)s") % {"ref": original.reference}),
        corrects=original,
        dossier=original.dossier,
        answers={k: v for k, v in (original.answers or {}).items() if k in keys},
        screened_on=original.screened_on,
        region=original.region,
        place_detail=original.place_detail,
        language=original.language,
        campaign=original.campaign
        if original.campaign and original.campaign.status != CampaignStatus.CLOSED
        else None,
    )
