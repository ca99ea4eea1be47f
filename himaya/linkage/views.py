"""The linkage desk (national commission's linkage officers) and the questions it asks the
organisations. Thin views: parse, authorise, call one action, respond."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from himaya.audit import log
from himaya.core import access, names
from himaya.core.shortcuts import act_on_form, add_action_errors

from . import actions, scoring, tasks
from .candidates import (
    find,
    keyed,
    known_elsewhere,
    pair_frequencies,
    register_size,
    stored_records,
)
from .models import (
    BatchRun,
    CandidatePair,
    DeskRequest,
    Notice,
    PairStatus,
    Question,
    Subject,
)
from .records import person_record, suspect_record

NOTE_WIDGET = forms.Textarea(attrs={"rows": 3, "class": "form-control"})


class DecisionForm(forms.Form):
    DECISIONS = [
        ("link", gettext_lazy("Same person: link the records")),
        ("different", gettext_lazy("Different persons")),
        ("ask", gettext_lazy("Ask the organisations holding the records")),
        ("unlink", gettext_lazy("Undo the link")),
    ]
    decision = forms.ChoiceField(choices=DECISIONS, widget=forms.HiddenInput)
    note = forms.CharField(
        label=gettext_lazy("Note or question"),
        required=False,
        max_length=actions.NOTE_MAX,
        widget=NOTE_WIDGET,
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("Your answer"), max_length=actions.NOTE_MAX, widget=NOTE_WIDGET
    )


class ContactForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your request to the linkage desk"),
        max_length=actions.NOTE_MAX,
        widget=NOTE_WIDGET,
    )


def _officer(request):
    if not access.is_linkage_officer(request.user):
        raise Http404


def _pair(request, pk):
    _officer(request)
    pair = (
        CandidatePair.objects.for_desk(request.user)
        .select_related(
            "left_person__sex",
            "right_person__sex",
            "left_suspect__sex",
            "right_suspect__sex",
            "left_suspect__citizenship",
            "right_suspect__citizenship",
            "requested_by_org",
            "decided_by",
        )
        .filter(pk=pk)
        .first()
    )
    if pair is None:
        raise Http404
    return pair


@require_safe
def desk(request):
    _officer(request)
    status = request.GET.get("status", "open")
    pairs = CandidatePair.objects.for_desk(request.user).select_related("requested_by_org")
    if status == "open":
        pairs = pairs.filter(status__in=[PairStatus.OPEN, PairStatus.ASKED])
    elif status in PairStatus.values:
        pairs = pairs.filter(status=status)
    else:
        status = "all"
    page = Paginator(pairs, settings.HIMAYA_LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "linkage/desk.html",
        {
            "page": page,
            "status": status,
            "statuses": PairStatus.choices,
            "run": BatchRun.objects.select_related("started_by").first(),
            "requests": DeskRequest.objects.select_related("organisation")[:20],
        },
    )


@require_POST
def batch_start(request):
    _officer(request)
    run, created = tasks.start(request.user, train=request.POST.get("train") == "on")
    if created:
        messages.success(request, _("The batch de-duplication was queued."))
    else:
        messages.info(request, _("A batch de-duplication is already under way."))
    return redirect("linkage:desk")


def _side(pair, record):
    if pair.subject == Subject.PERSON:
        return {
            "obj": record,
            "citizenships": list(record.citizenships.all()),
            "record": keyed(person_record(record)),
        }
    return {
        "obj": record,
        "citizenships": [record.citizenship] if record.citizenship_id else [],
        "record": suspect_record(record),
    }


def _birth(record):
    return (
        getattr(record, "birth_date", None),
        getattr(record, "birth_date_precision", ""),
        getattr(record, "estimated_age", None),
    )


def _differences(left, right, left_citizenships, right_citizenships):
    """The fields the two records do not say alike (highlighted side by side); names are
    compared folded, so Fatima and FATIMA are alike."""

    def folded(text):
        return " ".join(names.name_tokens(text or ""))

    return {
        "name_ar": folded(left.name_ar) != folded(right.name_ar),
        "name_lat": folded(left.name_lat) != folded(right.name_lat),
        "birth": _birth(left) != _birth(right),
        "sex": left.sex_id != right.sex_id,
        "citizenship": {c.pk for c in left_citizenships} != {c.pk for c in right_citizenships},
    }


def _render_pair(request, pair, form=None, status=200):
    left, right = _side(pair, pair.left), _side(pair, pair.right)
    # The stored digests of phones and documents, as the scorer compares them.
    stored = stored_records(pair.subject, [pair.left.pk, pair.right.pk])
    a, b = stored[pair.left.pk], stored[pair.right.pk]
    result = scoring.score(
        a,
        b,
        scoring.for_register(scoring.current_parameters(), register_size(pair.subject)),
        **pair_frequencies(pair.subject, a, b),
    )
    levels = result.levels
    diff = _differences(pair.left, pair.right, left["citizenships"], right["citizenships"])
    # A victim also recorded as a suspect happens (forced criminality): flagged, never hidden.
    other = Subject.SUSPECT if pair.subject == Subject.PERSON else Subject.PERSON
    review = settings.HIMAYA_LINKAGE_REVIEW_PERCENT / 100
    cross_flag = any(find(other, rec, threshold=review) for rec in (a, b))
    purpose = f"linkage desk: pair {pair.pk}"
    if pair.subject == Subject.PERSON:
        for side in (pair.left, pair.right):
            log.read(request.user, side.pk, side, purpose)
    else:
        for side in (pair.left, pair.right):
            log.read(request.user, None, side, purpose)
    return render(
        request,
        "linkage/pair.html",
        {
            "pair": pair,
            "left": left,
            "right": right,
            "diff": diff,
            "score": result,
            "percent": round(result.probability * 100),
            "cross_flag": cross_flag,
            "reasons": scoring.explain(a, b, levels, with_names=True),
            "questions": pair.questions.select_related("organisation", "answered_by"),
            "requests": pair.requests.select_related("organisation"),
            "form": form or DecisionForm(),
        },
        status=status,
    )


@require_safe
def pair_detail(request, pk):
    return _render_pair(request, _pair(request, pk))


ACTIONS = {
    "link": lambda pair, user, note: actions.link_pair(pair, acting_user=user, note=note),
    "different": lambda pair, user, note: actions.mark_different(pair, acting_user=user, note=note),
    "ask": lambda pair, user, note: actions.ask_owners(pair, acting_user=user, text=note),
    "unlink": lambda pair, user, note: actions.unlink_pair(pair, acting_user=user, note=note),
}
DONE = {
    "link": gettext_lazy("The records were linked: they count as one person."),
    "different": gettext_lazy("Recorded: two different persons."),
    "ask": gettext_lazy("The question was sent to the organisations holding the records."),
    "unlink": gettext_lazy("The link was undone."),
}


@require_POST
def pair_decide(request, pk):
    pair = _pair(request, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        decision = form.cleaned_data["decision"]
        try:
            ACTIONS[decision](pair, request.user, form.cleaned_data["note"])
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, DONE[decision])
            return redirect("linkage:pair", pair.pk)
    return _render_pair(request, pair, form, status=400)


def _question_orgs(user):
    return access.victim_org_ids(user) | access.justice_org_ids(user)


@require_safe
def questions(request):
    return _questions_page(request)


def _questions_page(request, *, answered=None, answer_form=None, status=200):
    """Questions of the desk to the user's organisations, and the links it made to their
    records: each shows only the organisation's own record. ``answered``: the question whose
    answer was refused, shown with ``answer_form`` as typed (first when on another page)."""
    orgs = _question_orgs(request.user)
    if not orgs:
        raise Http404
    asked = (
        Question.objects.filter(organisation_id__in=orgs)
        .select_related("organisation", "person", "suspect")
        .order_by("answered_at", "-asked_at")
    )
    notices = list(
        Notice.objects.filter(organisation_id__in=orgs).select_related("person", "suspect")[:20]
    )
    page = Paginator(asked, settings.HIMAYA_LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page)
    if answered is not None and answered not in rows:
        rows.insert(0, answered)
    seen = [q.person_id for q in rows if q.person_id] + [n.person_id for n in notices]
    if seen:
        log.read_many(request.user, sorted(set(filter(None, seen))), "people.person", "linkage")
    Notice.objects.filter(organisation_id__in=orgs, seen_at__isnull=True).update(
        seen_at=timezone.now()
    )
    return render(
        request,
        "linkage/questions.html",
        {
            "page": page,
            "rows": rows,
            "notices": notices,
            "form": AnswerForm(),
            "answered_pk": answered.pk if answered else None,
            "answer_form": answer_form,
        },
        status=status,
    )


@require_POST
def question_answer(request, pk):
    orgs = _question_orgs(request.user)
    question = Question.objects.filter(pk=pk, organisation_id__in=orgs).first()
    if question is None:
        raise Http404
    form = AnswerForm(request.POST)
    if form.is_valid():
        status = act_on_form(
            form,
            actions.answer_question,
            question,
            acting_user=request.user,
            answer=form.cleaned_data["answer"],
        )
        if status == 200:
            messages.success(request, _("Your answer was sent to the linkage desk."))
            return redirect("linkage:questions")
    return _questions_page(request, answered=question, answer_form=form, status=400)


@require_POST
def contact_request(request, pk):
    """From a linked person's page: ask the desk to put the organisation in touch with the one
    holding the other record."""
    from himaya.people.models import Person
    from himaya.people.views import show_person

    person = Person.objects.visible_to(request.user).filter(pk=pk).first()
    known = known_elsewhere(request.user, person) if person else None
    if known is None or known["pair"] is None:
        raise Http404
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            actions.request_contact(
                known["pair"],
                acting_user=request.user,
                organisation_id=access.primary_org_id(request.user),
                text=form.cleaned_data["text"],
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Your request was sent to the linkage desk."))
            return redirect("people:detail", pk)
    return show_person(request, person, contact_form=form, status=400)
