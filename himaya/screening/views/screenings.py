"""Screening pages: start, answer group by group (one dimension per screen, every step saved),
review the rule's result, submit, read, correct, open or link a dossier. Thin views: parse,
fetch through visible_to (404 otherwise), call one action, respond."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from himaya.audit import log
from himaya.audit.fetch import get_visible_or_404
from himaya.cases.models import Dossier
from himaya.core import access, entry
from himaya.core.pagination import CappedPaginator
from himaya.core.shortcuts import add_action_errors, apply_action
from himaya.people.models import Person

from .. import actions, explain
from ..forms import (
    EditDetailsForm,
    LinkDossierForm,
    OpenDossierForm,
    ScreeningFilterForm,
    StartForm,
    SubmitForm,
    step_form_class,
)
from ..models import DIMENSION_HELP, Answer, Campaign, Recommendation, Screening

AUDIT_TYPE = "screening.screening"


def _screener(request):
    if not access.handles_victims(request.user):
        raise Http404


def _get(request, pk, *, draft=False, link=False):
    qs = Screening.objects.select_related(
        "questionnaire", "organisation", "screener", "campaign", "region", "language"
    )
    if draft:
        qs = qs.writable_by(request.user)
    elif link:
        qs = qs.filter(access.screening_link_q(request.user))
    return get_visible_or_404(qs, request.user, pk, audit_type=AUDIT_TYPE)


def _groups(screening):
    """[(dimension, [questions])] in interview order: one screen each."""
    questions = list(screening.questionnaire.questions.all())
    groups = []
    for dim in screening.questionnaire.dimensions():
        groups.append((dim, [q for q in questions if q.dimension == dim.value]))
    return groups


def screening_list(request):
    _screener(request)
    user = request.user
    screenings = Screening.objects.visible_to(user)
    # A probe per campaign, not a pass over every screening the user sees (issue 17).
    campaigns = Campaign.objects.visible_to(user).filter(
        Exists(screenings.filter(campaign=OuterRef("pk")))
    )
    form = ScreeningFilterForm(request.GET or None, campaigns=campaigns)
    data = form.valid_data()
    for name in ("status", "recommendation", "campaign"):
        if data.get(name):
            screenings = screenings.filter(**{name: data[name]})
    if data.get("questionnaire"):
        screenings = screenings.filter(questionnaire__code=data["questionnaire"])
    if data.get("screened_from"):
        screenings = screenings.filter(screened_on__gte=data["screened_from"])
    if data.get("screened_to"):
        screenings = screenings.filter(screened_on__lte=data["screened_to"])
    if data.get("mine"):
        screenings = screenings.filter(screener=user)
    if data.get("without_dossier"):
        screenings = screenings.filter(dossier__isnull=True)
    screenings = screenings.select_related("questionnaire", "organisation", "campaign").defer(
        "answers", "result", "notes", "place_detail"
    )
    page = CappedPaginator(screenings, settings.HIMAYA_LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # Names only of the persons the user may see; nothing is decrypted for the others.
    persons = Person.objects.visible_to(user).in_bulk([s.person_id for s in page if s.person_id])
    for s in page:
        s.person_name = persons[s.person_id].display_name if s.person_id in persons else None
    log.read_many(user, list(persons), AUDIT_TYPE, "list")
    return render(request, "screening/list.html", {"form": form, "page": page})


def screening_create(request):
    _screener(request)
    user = request.user
    person = None
    if request.GET.get("person"):
        person = get_visible_or_404(
            Person.objects.writable_by(user),
            user,
            request.GET.get("person"),
            audit_type="people.person",
        )
    org_ids = access.victim_org_ids(user)
    form = StartForm(
        request.POST or None,
        org_ids=org_ids,
        person=person,
        initial={"screened_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.details()
        try:
            screening = actions.start_screening(
                acting_user=user,
                organisation=form.cleaned_data["organisation"],
                questionnaire=form.cleaned_data["questionnaire"],
                person=person,
                **data,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            return redirect("screening:step", screening.pk, 1)
    if person is not None:
        log.read(user, person.pk, person, "identity")
    return render(
        request,
        "screening/start.html",
        {"form": form, "person": person},
        status=400 if form.errors else 200,
    )


def _posted_answers(request, keys):
    """Every answer the step posted: its own group's radios and the hidden answers of the
    other groups, so that a step carries everything answered so far."""
    return {k: v for k in keys if (v := request.POST.get(k)) in Answer.values}


def screening_step(request, pk, step):
    screening = _get(request, pk, draft=True)
    groups = _groups(screening)
    if not 1 <= step <= len(groups):
        raise Http404
    dimension, questions = groups[step - 1]
    answers = screening.answers or {}
    StepForm = step_form_class(questions)
    status = 200
    if request.method == "POST":
        form = StepForm(request.POST)
        if form.is_valid():
            keys = [q.key for _d, qs in groups for q in qs]
            posted = _posted_answers(request, keys)
            posted.update({k: v for k, v in form.cleaned_data.items() if v})
            try:
                actions.save_answers(screening, acting_user=request.user, answers=posted)
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                go = request.POST.get("go")
                if go == "prev" and step > 1:
                    return redirect("screening:step", screening.pk, step - 1)
                if go == "next" and step < len(groups):
                    return redirect("screening:step", screening.pk, step + 1)
                if go == "stay":
                    messages.success(request, _("Your answers were saved."))
                    return redirect("screening:step", screening.pk, step)
                return redirect("screening:review", screening.pk)
        status = 400
        answers = {**answers, **_posted_answers(request, [q.key for q in questions])}
    else:
        form = StepForm(initial={q.key: answers.get(q.key) for q in questions})
    own = {q.key for q in questions}
    return render(
        request,
        "screening/step.html",
        {
            "screening": screening,
            "form": form,
            "dimension": dimension,
            "dimension_help": DIMENSION_HELP.get(dimension, ""),
            "questions": [(q, form[q.key]) for q in questions],
            "carried": sorted((k, v) for k, v in answers.items() if k not in own),
            "step": step,
            "steps": len(groups),
        },
        status=status,
    )


@require_safe
def screening_review(request, pk):
    screening = _get(request, pk, draft=True)
    return _render_review(request, screening, SubmitForm(initial={"notes": screening.notes}))


def _render_review(request, screening, form, status=200):
    groups = _groups(screening)
    answers = screening.answers or {}
    result = actions.evaluate(screening).to_json()
    questions = {q.key: q for _d, qs in groups for q in qs}
    summary = [
        (
            n,
            dim,
            sum(1 for q in qs if answers.get(q.key) == Answer.YES),
            sum(1 for q in qs if not answers.get(q.key)),
            len(qs),
            result["dimensions"][dim.value]["positive"],
        )
        for n, (dim, qs) in enumerate(groups, 1)
    ]
    return render(
        request,
        "screening/review.html",
        {
            "screening": screening,
            "form": form,
            "result": result,
            "recommendation": Recommendation(result["recommendation"]),
            "reasons": explain.sentences(result, questions),
            "elements": explain.elements(result),
            "summary": summary,
            "steps": len(groups),
        },
        status=status,
    )


@require_POST
def screening_submit(request, pk):
    screening = _get(request, pk, draft=True)
    form = SubmitForm(request.POST)
    if form.is_valid():
        try:
            actions.submit_screening(
                screening, acting_user=request.user, notes=form.cleaned_data["notes"]
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("The screening was submitted."))
            return redirect("screening:detail", screening.pk)
    return _render_review(request, screening, form, status=400)


def screening_details(request, pk):
    screening = _get(request, pk, draft=True)
    form = EditDetailsForm(
        request.POST or None,
        org_ids={screening.organisation_id},
        initial={
            "alias": screening.alias,
            "screened_on": screening.screened_on,
            "region": screening.region_id,
            "place_detail": screening.place_detail,
            "language": screening.language_id,
            "campaign": screening.campaign_id,
            "version": screening.version,
        },
    )
    if screening.person_id:
        del form.fields["alias"]
    status = 200
    if request.method == "POST" and form.is_valid():
        _result, status = apply_action(
            form,
            actions.update_details,
            screening,
            acting_user=request.user,
            expected_version=form.cleaned_data["version"],
            **form.details(),
        )
        if status == 200:
            messages.success(request, _("The changes were saved."))
            return redirect("screening:step", screening.pk, 1)
    if form.errors and status == 200:
        status = 400
    return render(
        request, "screening/details.html", {"form": form, "screening": screening}, status=status
    )


@require_POST
def screening_discard(request, pk):
    screening = _get(request, pk, draft=True)
    actions.discard_screening(screening, acting_user=request.user)
    messages.success(request, _("The draft was deleted."))
    return redirect("screening:list")


@require_POST
def screening_correct(request, pk):
    screening = _get(request, pk, link=True)
    try:
        correction = actions.start_correction(screening, acting_user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("screening:detail", screening.pk)
    return redirect("screening:step", correction.pk, 1)


def _render_detail(request, screening, *, link_form=None, status=200):
    user = request.user
    groups = _groups(screening)
    answers = screening.answers or {}
    result = screening.result or {}
    questions = {q.key: q for _d, qs in groups for q in qs}
    person = None
    if screening.person_id:
        person = Person.objects.visible_to(user).filter(pk=screening.person_id).first()
    dossier = None
    if screening.dossier_id:
        dossier = Dossier.objects.visible_to(user).filter(pk=screening.dossier_id).first()
    log.read(user, screening.person_id, screening, "screening")
    linkable = (
        not screening.is_draft
        and Screening.objects.filter(access.screening_link_q(user), pk=screening.pk).exists()
    )
    correction = Screening.objects.visible_to(user).filter(corrects=screening).first()
    return render(
        request,
        "screening/detail.html",
        {
            "screening": screening,
            "person": person,
            "dossier": dossier,
            "result": result,
            "reasons": explain.sentences(result, questions) if result else [],
            "elements": explain.elements(result) if result else [],
            "groups": [
                (
                    dim,
                    [(q, answers.get(q.key)) for q in qs],
                    result.get("dimensions", {}).get(dim.value),
                )
                for dim, qs in groups
            ],
            "writable": screening.is_draft
            and Screening.objects.writable_by(user).filter(pk=screening.pk).exists(),
            "can_open_dossier": linkable and not screening.dossier_id and screening.has_indication,
            "can_link": linkable and not screening.dossier_id,
            "can_correct": linkable and (correction is None or correction.is_draft),
            "correction": correction,
            "corrects": Screening.objects.visible_to(user).filter(pk=screening.corrects_id).first()
            if screening.corrects_id
            else None,
            "link_form": link_form or LinkDossierForm(),
        },
        status=status,
    )


@require_safe
def screening_detail(request, pk):
    return _render_detail(request, _get(request, pk))


def open_dossier(request, pk):
    screening = _get(request, pk, link=True)
    if screening.dossier_id or not screening.has_indication:
        messages.error(request, _("No dossier can be opened from this screening."))
        return redirect("screening:detail", screening.pk)
    person = (
        Person.objects.writable_by(request.user).filter(pk=screening.person_id).first()
        if screening.person_id
        else None
    )
    form = OpenDossierForm(
        request.POST or None, organisation=screening.organisation, has_person=person is not None
    )
    candidates = None
    if request.method == "POST" and form.is_valid():
        values = form.identity()
        if values is not None:
            candidates = entry.check(request, form, "person", values)
    if request.method == "POST" and form.is_valid() and not candidates:
        try:
            with transaction.atomic():
                dossier = actions.open_dossier_from_screening(
                    screening, acting_user=request.user, **form.action_fields()
                )
                if values is not None:
                    entry.record(
                        request,
                        form,
                        "person",
                        dossier.person,
                        values,
                        organisation=screening.organisation,
                    )
        except ValidationError as exc:
            add_action_errors(form, exc)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("The dossier was opened."))
            return redirect("cases:detail", dossier.pk)
    return render(
        request,
        "screening/open_dossier.html",
        {"form": form, "screening": screening, "person": person, "candidates": candidates},
        status=409 if candidates else 400 if form.errors else 200,
    )


@require_POST
def link_dossier(request, pk):
    screening = _get(request, pk, link=True)
    form = LinkDossierForm(request.POST)
    if form.is_valid():
        dossier = (
            Dossier.objects.writable_by(request.user)
            .filter(reference=form.cleaned_data["reference"].strip().upper())
            .first()
        )
        if dossier is None:
            form.add_error("reference", _("No dossier of your organisation has this reference."))
        else:
            try:
                actions.link_dossier(screening, acting_user=request.user, dossier=dossier)
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, _("The screening was linked to the dossier."))
                return redirect("screening:detail", screening.pk)
    return _render_detail(request, screening, link_form=form, status=400)


@require_POST
def link_to_dossier(request, pk, dossier_pk):
    """One click on the dossier page: link a screening of the dossier's person to it. The
    reader must see the dossier (404 otherwise) and may write it (403), and may link the
    screening (404: not one of their organisation's submitted screenings)."""
    user = request.user
    dossier = get_visible_or_404(
        Dossier.objects.all(), user, dossier_pk, audit_type="cases.dossier"
    )
    if not Dossier.objects.writable_by(user).filter(pk=dossier.pk).exists():
        raise PermissionDenied(_("Only the organisation that owns the dossier links to it."))
    screening = _get(request, pk, link=True)
    try:
        actions.link_dossier(screening, acting_user=user, dossier=dossier)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The screening was linked to the dossier."))
    return redirect("cases:detail", dossier.pk)
