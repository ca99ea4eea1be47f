"""Every write about screenings, campaigns and questionnaire versions (DESIGN.md convention 1):
atomic, validated, audited. A submitted screening is never changed; a correction is a new
screening that references it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.audit import log
from himaya.cases import actions as case_actions
from himaya.cases.models import Dossier, Stage
from himaya.core import access
from himaya.core.actions import ensure_visible, save_versioned
from himaya.core.punctuation import join_words
from himaya.people import actions as people_actions
from himaya.people.models import Person

from . import engine
from .models import (
    Answer,
    Campaign,
    CampaignStatus,
    Dimension,
    Question,
    Questionnaire,
    QuestionnaireStatus,
    Recommendation,
    Screening,
    ScreeningStatus,
    TargetGroup,
)

ALIAS_MAX = 200
PLACE_MAX = 200
NOTES_MAX = 5000
# How far from this year a campaign may be dated (the page said it first).
CAMPAIGN_YEARS = 50
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
    allowed = {QuestionnaireStatus.PUBLISHED}
    if accept_retired:
        allowed.add(QuestionnaireStatus.RETIRED)
    if questionnaire.status not in allowed:
        raise ValidationError(
            {"questionnaire": _("Choose a published questionnaire.")}, code="not_published"
        )
    alias = (alias or "").strip()
    fields = {k: v for k, v in fields.items() if k in DETAIL_FIELDS}
    fields["place_detail"] = (fields.get("place_detail") or "").strip()
    fields.setdefault("screened_on", timezone.localdate())
    _check_details(organisation, {**fields, "alias": alias})
    if person is not None:
        if not Person.objects.writable_by(acting_user).filter(pk=person.pk).exists():
            raise PermissionDenied
    elif not alias:
        raise ValidationError(
            {"alias": _("Say briefly who is screened (a first name or a description).")}
        )
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


def _check_not_linked(screening):
    if screening.dossier_id is not None:
        raise ValidationError(_("This screening is already linked to a dossier."))


@transaction.atomic
def link_dossier(screening, *, acting_user, dossier):
    """Attach a submitted screening to a dossier the user's organisation owns."""
    locked = _linkable(acting_user, screening)
    _check_not_linked(locked)
    if not Dossier.objects.writable_by(acting_user).filter(pk=dossier.pk).exists():
        raise ValidationError({"dossier": _("Choose a dossier your organisation owns.")})
    if locked.person_id and locked.person_id != dossier.person_id:
        raise ValidationError(
            {"dossier": _("This dossier is about another person than the screening.")}
        )
    Screening.objects.filter(pk=locked.pk).update(
        dossier=dossier, person_id=dossier.person_id, updated_at=timezone.now()
    )
    log.write(acting_user, "link_screening", locked, ["dossier", "person"])
    locked.refresh_from_db()
    return locked


@transaction.atomic
def open_dossier_from_screening(screening, *, acting_user, forms=(), caseworker=None, **person):
    """Open the NRM dossier of a screened person: a person record (unless the screening has
    one), a dossier at the screening stage, moved to "presumed victim" at once when the
    indication is strong. ``person`` holds the new record's fields (names, sex...)."""
    locked = _linkable(acting_user, screening)
    _check_not_linked(locked)
    if locked.recommendation not in (Recommendation.STRONG, Recommendation.POSSIBLE):
        raise ValidationError(_("This screening found no indication: no dossier is opened."))
    the_person = locked.person
    if the_person is None:
        citizenships = person.pop("citizenships", ())
        languages = person.pop("languages", ())
        the_person = people_actions.create_person(
            acting_user=acting_user,
            organisation=locked.organisation,
            citizenships=citizenships,
            languages=languages or ([locked.language] if locked.language_id else []),
            **person,
        )
    dossier = case_actions.open_dossier(
        the_person,
        acting_user=acting_user,
        organisation=locked.organisation,
        forms=forms,
        opened_on=locked.screened_on,
        caseworker=caseworker,
        exploitation_country=None,
        exploitation_region=locked.region,
    )
    if locked.recommendation == Recommendation.STRONG:
        case_actions.change_stage(
            dossier, acting_user=acting_user, stage=Stage.PRESUMED, on=locked.screened_on
        )
    Screening.objects.filter(pk=locked.pk).update(
        dossier=dossier, person=the_person, updated_at=timezone.now()
    )
    log.write(
        acting_user,
        "open_dossier_from_screening",
        locked,
        ["dossier", "person"],
        organisation_id=locked.organisation_id,
    )
    return dossier


# --- campaigns -------------------------------------------------------------------------------

CAMPAIGN_FIELDS = [
    "name_ar",
    "name_fr",
    "name_en",
    "region",
    "place",
    "starts_on",
    "ends_on",
    "target_group",
    "target_other",
    "status",
    "description",
]


def _check_campaign(campaign):
    errors = {}
    if campaign.starts_on and campaign.ends_on and campaign.ends_on < campaign.starts_on:
        errors["ends_on"] = _("The campaign cannot end before it starts.")
    # The page's rule for every client: a campaign dated 0001 to 9999 would be counted in the
    # figures of every year.
    this_year = timezone.localdate().year
    for name in ("starts_on", "ends_on"):
        day = getattr(campaign, name)
        if day and abs(day.year - this_year) > CAMPAIGN_YEARS and name not in errors:
            errors[name] = _("Check the year.")
    if campaign.target_group == TargetGroup.OTHER and not campaign.target_other.strip():
        errors["target_other"] = _("Describe the target group.")
    if campaign.region_id and campaign.region.list != "region":
        errors["region"] = _("Choose a value from the list.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_campaign(*, acting_user, organisation, **fields):
    if organisation.pk not in access.victim_org_ids(acting_user):
        raise PermissionDenied(_("You cannot run campaigns for this organisation."))
    campaign = Campaign(
        organisation=organisation,
        created_by=acting_user,
        **{k: v for k, v in fields.items() if k in CAMPAIGN_FIELDS},
    )
    _check_campaign(campaign)
    campaign.full_clean(exclude=["organisation", "created_by"])
    campaign.save()
    log.write(
        acting_user,
        "create_campaign",
        campaign,
        [f for f in CAMPAIGN_FIELDS if fields.get(f)],
        organisation_id=organisation.pk,
    )
    return campaign


@transaction.atomic
def update_campaign(campaign, *, acting_user, expected_version, **fields):
    if not Campaign.objects.writable_by(acting_user).filter(pk=campaign.pk).exists():
        raise PermissionDenied
    changed = [f for f in CAMPAIGN_FIELDS if f in fields and getattr(campaign, f) != fields[f]]
    for f in changed:
        setattr(campaign, f, fields[f])
    _check_campaign(campaign)
    campaign.full_clean(exclude=["organisation", "created_by"])
    save_versioned(campaign, changed, expected_version)
    log.write(acting_user, "update_campaign", campaign, changed)
    return campaign, changed


# --- questionnaire versions (system administrators) ------------------------------------------

QUESTION_FIELDS = [
    "order",
    "dimension",
    "indicator",
    "indicator_en",
    "strength",
    "element",
    "text_ar",
    "text_fr",
    "text_en",
]
QUESTIONNAIRE_FIELDS = [
    "title_ar",
    "title_fr",
    "title_en",
    "intro_ar",
    "intro_fr",
    "intro_en",
    "source",
]


def _admin(user):
    if not access.manages_questionnaires(user):
        raise PermissionDenied


def _draft(questionnaire):
    if questionnaire.status != QuestionnaireStatus.DRAFT:
        raise ValidationError(
            _("A published or retired version cannot be changed: make a new version.")
        )


@transaction.atomic
def new_version(questionnaire, *, acting_user):
    """A draft copy of a version, numbered after the last one, to edit and then publish."""
    _admin(acting_user)
    if Questionnaire.objects.filter(code=questionnaire.code, status=QuestionnaireStatus.DRAFT):
        raise ValidationError(
            _("A draft version of this questionnaire already exists: edit or discard it first.")
        )
    last = Questionnaire.objects.filter(code=questionnaire.code).aggregate(n=Max("version"))["n"]
    draft = Questionnaire.objects.create(
        code=questionnaire.code,
        version=last + 1,
        status=QuestionnaireStatus.DRAFT,
        target=questionnaire.target,
        based_on=questionnaire,
        created_by=acting_user,
        **{f: getattr(questionnaire, f) for f in QUESTIONNAIRE_FIELDS},
    )
    Question.objects.bulk_create(
        [
            Question(questionnaire=draft, **{f: getattr(q, f) for f in QUESTION_FIELDS})
            for q in questionnaire.questions.all()
        ]
    )
    log.write(acting_user, "new_questionnaire_version", draft, ["version", "based_on"])
    return draft


@transaction.atomic
def update_questionnaire(questionnaire, *, acting_user, **fields):
    _admin(acting_user)
    _draft(questionnaire)
    changed = [
        f for f in QUESTIONNAIRE_FIELDS if f in fields and getattr(questionnaire, f) != fields[f]
    ]
    for f in changed:
        setattr(questionnaire, f, fields[f])
    questionnaire.updated_at = timezone.now()
    questionnaire.full_clean(exclude=["based_on", "created_by", "published_by"])
    questionnaire.save(update_fields=[*changed, "updated_at"])
    log.write(acting_user, "update_questionnaire", questionnaire, changed)
    return questionnaire, changed


@transaction.atomic
def save_question(questionnaire, *, acting_user, question=None, **fields):
    """Add a question to a draft version, or change one of its questions."""
    _admin(acting_user)
    _draft(questionnaire)
    if question is not None and question.questionnaire_id != questionnaire.pk:
        raise PermissionDenied
    target = question or Question(questionnaire=questionnaire)
    changed = [f for f in QUESTION_FIELDS if f in fields and getattr(target, f) != fields[f]]
    for f in changed:
        setattr(target, f, fields[f].strip() if isinstance(fields[f], str) else fields[f])
    clash = Question.objects.filter(
        questionnaire=questionnaire, dimension=target.dimension, indicator=target.indicator
    ).exclude(pk=target.pk)
    if clash.exists():
        raise ValidationError(
            {"indicator": _("This dimension already has a question with this indicator key.")}
        )
    target.full_clean(exclude=["questionnaire"])
    target.save()
    Questionnaire.objects.filter(pk=questionnaire.pk).update(updated_at=timezone.now())
    log.write(
        acting_user, "add_question" if question is None else "update_question", target, changed
    )
    return target


@transaction.atomic
def delete_question(question, *, acting_user):
    _admin(acting_user)
    _draft(question.questionnaire)
    label = ("screening.question", str(question.pk))
    question.delete()
    log.write(acting_user, "delete_question", label, [])


@transaction.atomic
def discard_version(questionnaire, *, acting_user):
    _admin(acting_user)
    _draft(questionnaire)
    label = ("screening.questionnaire", str(questionnaire.pk))
    questionnaire.delete()
    log.write(acting_user, "discard_questionnaire_version", label, [])


@transaction.atomic
def publish(questionnaire, *, acting_user):
    """Publish a draft version; the version published until now is retired (and kept, with
    the screenings that used it)."""
    _admin(acting_user)
    locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    _draft(locked)
    present = set(locked.questions.values_list("dimension", flat=True))
    missing = [str(d.label) for d in Dimension if d.value not in present]
    if missing:
        raise ValidationError(
            _("Every dimension needs at least one question; missing: %(dims)s.")
            % {"dims": join_words(missing)}
        )
    now = timezone.now()
    current = Questionnaire.objects.select_for_update().filter(
        code=locked.code, status=QuestionnaireStatus.PUBLISHED
    )
    for old in current:
        old.status = QuestionnaireStatus.RETIRED
        old.retired_at = now
        old.save(update_fields=["status", "retired_at"])
        log.write(acting_user, "retire_questionnaire", old, ["status", "retired_at"])
    locked.status = QuestionnaireStatus.PUBLISHED
    locked.published_at = now
    locked.published_by = acting_user
    locked.save(update_fields=["status", "published_at", "published_by"])
    log.write(acting_user, "publish_questionnaire", locked, ["status", "published_at"])
    return locked
