"""Questionnaire pages: every member reads the versions; system administrators make a new
version (a draft copy), edit its questions, publish it (the previous one is retired and kept)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from himaya.core import access
from himaya.core.shortcuts import MAX_ID, add_action_errors

from .. import actions
from ..forms import QuestionForm, QuestionnaireForm
from ..models import Question, Questionnaire, QuestionnaireStatus


def _reader(request):
    if not access.reads_questionnaires(request.user):
        raise Http404


def _admin(request):
    if not access.manages_questionnaires(request.user):
        raise Http404


def _questionnaire(pk):
    if not 0 < pk <= MAX_ID:
        raise Http404
    return get_object_or_404(Questionnaire, pk=pk)


def _draft(request, pk):
    _admin(request)
    questionnaire = _questionnaire(pk)
    if questionnaire.status != QuestionnaireStatus.DRAFT:
        raise Http404
    return questionnaire


@require_safe
def questionnaire_list(request):
    _reader(request)
    versions = Questionnaire.objects.annotate(n_questions=Count("questions")).order_by(
        "code", "-version"
    )
    if not access.manages_questionnaires(request.user):
        versions = versions.exclude(status=QuestionnaireStatus.DRAFT)
    return render(
        request,
        "screening/questionnaire_list.html",
        {"versions": versions, "admin": access.manages_questionnaires(request.user)},
    )


@require_safe
def questionnaire_detail(request, pk):
    _reader(request)
    questionnaire = _questionnaire(pk)
    if questionnaire.status == QuestionnaireStatus.DRAFT and not access.manages_questionnaires(
        request.user
    ):
        raise Http404
    questions = list(questionnaire.questions.all())
    groups = [
        (dim, [q for q in questions if q.dimension == dim.value])
        for dim in questionnaire.dimensions()
    ]
    return render(
        request,
        "screening/questionnaire_detail.html",
        {
            "questionnaire": questionnaire,
            "groups": groups,
            "admin": access.manages_questionnaires(request.user),
            "is_draft": questionnaire.status == QuestionnaireStatus.DRAFT,
            "draft_exists": Questionnaire.objects.filter(
                code=questionnaire.code, status=QuestionnaireStatus.DRAFT
            )
            .exclude(pk=questionnaire.pk)
            .first(),
        },
    )


def _act(request, action, questionnaire, success, **kwargs):
    try:
        result = action(questionnaire, acting_user=request.user, **kwargs)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return None
    messages.success(request, success)
    return result


@require_POST
def questionnaire_new_version(request, pk):
    _admin(request)
    source = _questionnaire(pk)
    draft = _act(request, actions.new_version, source, _("A draft version was made."))
    return redirect("screening:questionnaire_detail", draft.pk if draft else source.pk)


@require_POST
def questionnaire_publish(request, pk):
    questionnaire = _draft(request, pk)
    _act(request, actions.publish, questionnaire, _("The version was published."))
    return redirect("screening:questionnaire_detail", questionnaire.pk)


@require_POST
def questionnaire_discard(request, pk):
    questionnaire = _draft(request, pk)
    based_on = questionnaire.based_on_id
    _act(request, actions.discard_version, questionnaire, _("The draft version was deleted."))
    if based_on:
        return redirect("screening:questionnaire_detail", based_on)
    return redirect("screening:questionnaire_list")


def questionnaire_edit(request, pk):
    questionnaire = _draft(request, pk)
    initial = {f: getattr(questionnaire, f) for f in actions.QUESTIONNAIRE_FIELDS}
    form = QuestionnaireForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_questionnaire(
                questionnaire, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("screening:questionnaire_detail", questionnaire.pk)
    return render(
        request,
        "screening/questionnaire_form.html",
        {"form": form, "questionnaire": questionnaire},
        status=400 if form.errors else 200,
    )


def question_edit(request, pk, question_pk=None):
    questionnaire = _draft(request, pk)
    question = None
    if question_pk is not None:
        if not 0 < question_pk <= MAX_ID:
            raise Http404
        question = get_object_or_404(Question, pk=question_pk, questionnaire=questionnaire)
        initial = QuestionForm.initial_for(question)
    else:
        last = questionnaire.questions.order_by("-order").first()
        initial = {"order": (last.order + 10) if last else 10, "element": "means"}
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_question(
                questionnaire, acting_user=request.user, question=question, **form.cleaned_data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("The question was saved."))
            return redirect("screening:questionnaire_detail", questionnaire.pk)
    return render(
        request,
        "screening/question_form.html",
        {"form": form, "questionnaire": questionnaire, "question": question},
        status=400 if form.errors else 200,
    )


@require_POST
def question_delete(request, pk, question_pk):
    questionnaire = _draft(request, pk)
    if not 0 < question_pk <= MAX_ID:
        raise Http404
    question = get_object_or_404(Question, pk=question_pk, questionnaire=questionnaire)
    actions.delete_question(question, acting_user=request.user)
    messages.success(request, _("The question was deleted."))
    return redirect("screening:questionnaire_detail", questionnaire.pk)
