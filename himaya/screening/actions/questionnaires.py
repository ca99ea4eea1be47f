"""Questionnaire versions (system administrators): a new draft version, its questions, and
publishing it (the version published until then is retired)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.audit import log
from himaya.core import access
from himaya.core.punctuation import join_words

from ..models import (
    Dimension,
    Question,
    Questionnaire,
    QuestionnaireStatus,
)

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
