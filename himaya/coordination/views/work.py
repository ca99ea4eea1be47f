"""Trainings, the commission's meetings with their decisions and follow-up actions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from himaya.accounts.models import Organisation

from .. import actions, forms, policies
from ..models import Decision, FollowUpAction, Meeting, Training
from .common import commission, fetch, form_page, posted, reader, run


def training_list(request):
    reader(request)
    trainings = (
        Training.objects.visible_to(request.user)
        .select_related("organiser", "region")
        .annotate(
            people=Sum("audience__women") + Sum("audience__men") + Sum("audience__unrecorded")
        )
    )
    year = request.GET.get("year", "")
    if year.isascii() and year.isdigit() and len(year) == 4:
        trainings = trainings.filter(starts_on__year=int(year))
    return render(
        request,
        "coordination/trainings.html",
        {
            "trainings": trainings[:500],
            "year": year,
            "can_record": policies.can_record_trainings(request.user),
            "writable": policies.training_org_ids(request.user),
            "tab": "trainings",
        },
    )


def _organisers(user):
    orgs = policies.training_org_ids(user)
    active = Organisation.objects.filter(active=True)
    return active if orgs is None else active.filter(pk__in=orgs)


def training_new(request):
    reader(request)
    if not policies.can_record_trainings(request.user):
        raise PermissionDenied(_("You cannot record trainings."))
    form = forms.TrainingForm(posted(request), organisers=_organisers(request.user))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            training, status = run(
                form, actions.do_record_training, acting_user=request.user, **form.action_kwargs()
            )
            if status == 200:
                messages.success(request, _("The training was recorded."))
                return redirect("coordination:trainings")
    return render(
        request,
        "coordination/training_form.html",
        {"form": form, "tab": "trainings"},
        status=status,
    )


def training_edit(request, pk):
    training = fetch(Training, request, pk)
    if not policies.can_write_training(request.user, training):
        raise PermissionDenied(_("You record the trainings of your own organisation only."))
    form = forms.TrainingForm(
        posted(request),
        organisers=_organisers(request.user),
        initial=forms.TrainingForm.initial_of(training),
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            _t, status = run(
                form,
                actions.do_update_training,
                training,
                acting_user=request.user,
                expected_version=form.cleaned_data["version"],
                **form.action_kwargs(),
            )
            if status == 200:
                messages.success(request, _("The training was saved."))
                return redirect("coordination:trainings")
    return render(
        request,
        "coordination/training_form.html",
        {"form": form, "training": training, "tab": "trainings"},
        status=status,
    )


def meeting_list(request):
    reader(request)
    meetings = Meeting.objects.visible_to(request.user).prefetch_related("attendance")
    return render(
        request,
        "coordination/meetings.html",
        {
            "meetings": meetings[:300],
            "can_record": policies.is_commission(request.user),
            "tab": "meetings",
        },
    )


def meeting_new(request):
    reader(request)
    if not policies.is_commission(request.user):
        raise PermissionDenied(_("Only the national commission may do this."))
    form = forms.MeetingForm(posted(request))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            meeting, status = run(
                form, actions.do_record_meeting, acting_user=request.user, **form.action_kwargs()
            )
            if status == 200:
                messages.success(request, _("The meeting was recorded."))
                return redirect("coordination:meeting", meeting.pk)
    return render(
        request,
        "coordination/meeting_form.html",
        {"form": form, "title": _("Record a meeting"), "tab": "meetings"},
        status=status,
    )


def meeting_edit(request, pk):
    meeting = fetch(Meeting, request, pk)
    commission(request)
    form = forms.MeetingForm(
        posted(request), meeting=meeting, initial=forms.MeetingForm.initial_of(meeting)
    )

    def call(form):
        return actions.do_update_meeting(
            meeting,
            acting_user=request.user,
            expected_version=form.cleaned_data["version"],
            **form.action_kwargs(),
        )

    return form_page(
        request,
        form,
        call,
        title=_("Edit the meeting"),
        done=_("The meeting was saved."),
        next_url=lambda _m: reverse("coordination:meeting", args=[meeting.pk]),
        template="coordination/meeting_form.html",
        meeting=meeting,
        tab="meetings",
    )


def _meeting_context(request, meeting, **given):
    actions_qs = FollowUpAction.objects.select_related("agency")
    return {
        "meeting": meeting,
        "attendance": meeting.attendance.select_related("organisation"),
        "decisions": meeting.decisions.prefetch_related(Prefetch("actions", queryset=actions_qs)),
        "is_commission": policies.is_commission(request.user),
        "focal_orgs": policies.focal_org_ids(request.user),
        "decision_form": given.get("decision_form") or forms.DecisionForm(),
        "action_form": given.get("action_form") or forms.ActionForm(),
        "close_form": given.get("close_form") or forms.CloseActionForm(),
        "closing_pk": given.get("closing_pk"),
        "today": timezone.localdate(),
        "tab": "meetings",
    }


def meeting_page(request, pk):
    meeting = fetch(Meeting, request, pk)
    return render(request, "coordination/meeting.html", _meeting_context(request, meeting))


@require_POST
def decision_add(request, pk):
    meeting = fetch(Meeting, request, pk)
    form = forms.DecisionForm(request.POST)
    status = 400
    if form.is_valid():
        _d, status = run(
            form,
            actions.do_add_decision,
            meeting,
            acting_user=request.user,
            text=form.cleaned_data["text"],
        )
        if status == 200:
            return redirect("coordination:meeting", meeting.pk)
    return render(
        request,
        "coordination/meeting.html",
        _meeting_context(request, meeting, decision_form=form),
        status=status,
    )


@require_POST
def action_add(request, pk):
    decision = fetch(Decision, request, pk)
    form = forms.ActionForm(request.POST)
    status = 400
    if form.is_valid():
        _a, status = run(
            form, actions.do_assign_action, decision, acting_user=request.user, **form.cleaned_data
        )
        if status == 200:
            return redirect("coordination:meeting", decision.meeting_id)
    return render(
        request,
        "coordination/meeting.html",
        _meeting_context(request, decision.meeting, action_form=form),
        status=status,
    )


@require_POST
def action_close(request, pk):
    action = fetch(FollowUpAction, request, pk)
    form = forms.CloseActionForm(request.POST)
    meeting = action.decision.meeting
    if form.is_valid():
        _a, status = run(
            form,
            actions.do_close_action,
            action,
            acting_user=request.user,
            expected_version=form.cleaned_data["version"],
            note=form.cleaned_data["note"],
        )
        if status == 200:
            messages.success(request, _("The action is marked done."))
            return redirect("coordination:meeting", meeting.pk)
    else:
        status = 400
    return render(
        request,
        "coordination/meeting.html",
        _meeting_context(request, meeting, close_form=form, closing_pk=action.pk),
        status=status,
    )
