"""Services delivered on a dossier: shelter admission and discharge, sessions, returns, the
support plan's goals and follow-ups."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from himaya.audit import log
from himaya.audit.fetch import get_visible_or_404
from himaya.core import access
from himaya.core.shortcuts import act_on_form, add_action_errors, report_form_errors, run_action
from himaya.core.trilingual import ordered_by

from .. import actions, forms
from ..models import (
    Facility,
    FollowUp,
    Referral,
    ReturnAssistance,
    ServiceRecord,
    ShelterStay,
    SupportGoal,
)
from .common import get_dossier, get_referral
from .referrals import show_referral


@require_POST
def referral_admit(request, pk):
    referral = get_referral(request, pk)
    if not access.referral_receiver(request.user, referral):
        raise Http404
    form = forms.AdmitForm(
        request.POST,
        facilities=ordered_by(Facility.objects.filter(organisation=referral.to_org, active=True)),
        person=referral.dossier.person,
    )
    status = 400
    if form.is_valid():
        status = act_on_form(
            form, actions.admit, referral, acting_user=request.user, **form.admit_fields()
        )
        if status == 200:
            messages.success(request, _("The person was admitted."))
            return redirect("referrals:detail", referral.pk)
    return show_referral(request, referral, posted={"admit": form}, status=status)


@require_POST
def stay_discharge(request, pk):
    stay = get_visible_or_404(ShelterStay.objects.select_related("facility"), request.user, pk)
    form = forms.DischargeForm(request.POST)
    status = 400
    if form.is_valid():
        status = act_on_form(
            form,
            actions.discharge,
            stay,
            acting_user=request.user,
            expected_version=form.cleaned_data["version"],
            discharged_on=form.cleaned_data["discharged_on"],
            reason=form.cleaned_data["discharge_reason"],
        )
        if status == 200:
            messages.success(request, _("The person was discharged."))
    if status != 200 and stay.referral_id:
        referral = get_referral(request, stay.referral_id)
        return show_referral(request, referral, posted={stay.pk: form}, status=status)
    if status != 200:  # a stay without a referral has no page with this form (import, API)
        report_form_errors(request, form)
    if stay.referral_id:
        return redirect("referrals:detail", stay.referral_id)
    return redirect("referrals:facility", stay.facility_id)


def _identity_dossier(request, pk):
    dossier = get_dossier(request, pk)
    if not access.sees_identity(request.user, dossier):
        raise Http404
    return dossier


def dossier_services(request, pk, *, forms_in=None, status=200):
    dossier = _identity_dossier(request, pk)
    user = request.user
    can_record = bool(access.service_org_ids_for(user, dossier))
    forms_in = forms_in or {}
    goals = list(SupportGoal.objects.visible_to(user).filter(dossier=dossier))
    writable = access.service_org_ids_for(user, dossier)
    for g in goals:
        g.status_form = (
            forms.GoalStatusForm(
                initial={"status": g.status, "version": g.version}, prefix=f"g{g.pk}"
            )
            if g.organisation_id in writable
            else None
        )
    followups = FollowUp.objects.visible_to(user).filter(dossier=dossier)
    log.read(user, dossier.person_id, dossier, "services")
    return render(
        request,
        "referrals/services.html",
        {
            "dossier": dossier,
            "can_record": can_record,
            "referrals": Referral.objects.visible_to(user)
            .filter(dossier=dossier)
            .select_related("to_org", "from_org")
            .defer(*Referral.FREE_TEXT_FIELDS),
            "stays": ShelterStay.objects.visible_to(user)
            .filter(dossier=dossier)
            .select_related("facility"),
            "sessions": ServiceRecord.objects.visible_to(user)
            .filter(dossier=dossier)
            .select_related("organisation", "given_by"),
            "returns": ReturnAssistance.objects.visible_to(user)
            .filter(dossier=dossier)
            .select_related("destination", "partner", "organisation"),
            "goals": goals,
            "followups": followups,
            "session_form": forms_in.get("session")
            or forms.SessionForm(initial={"on": timezone.localdate()}),
            "return_form": forms_in.get("return") or forms.ReturnForm(),
            "goal_form": forms_in.get("goal") or forms.GoalForm(),
            "followup_form": forms_in.get("followup") or forms.FollowUpForm(),
            "today": timezone.localdate(),
        },
        status=status,
    )


def _record(request, pk, form_class, key, action, message, **extra):
    dossier = _identity_dossier(request, pk)
    if request.method != "POST":
        return redirect("referrals:services", dossier.pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(dossier, acting_user=request.user, **form.cleaned_data, **extra)
        except PermissionDenied as exc:  # the dossier is visible: say who may
            form.add_error(None, str(exc))
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, message)
            return redirect("referrals:services", dossier.pk)
    return dossier_services(request, dossier.pk, forms_in={key: form}, status=400)


def session_add(request, pk):
    return _record(
        request, pk, forms.SessionForm, "session", actions.record_session, _("Session recorded.")
    )


def return_add(request, pk):
    return _record(
        request, pk, forms.ReturnForm, "return", actions.record_return, _("Return recorded.")
    )


def goal_add(request, pk):
    return _record(request, pk, forms.GoalForm, "goal", actions.add_goal, _("Goal added."))


def followup_add(request, pk):
    return _record(
        request,
        pk,
        forms.FollowUpForm,
        "followup",
        actions.schedule_followup,
        _("Follow-up scheduled."),
    )


@require_POST
def goal_status(request, pk):
    goal = get_visible_or_404(SupportGoal.objects.select_related("dossier"), request.user, pk)
    form = forms.GoalStatusForm(request.POST, prefix=f"g{goal.pk}")
    if form.is_valid():
        run_action(
            request,
            actions.set_goal_status,
            goal,
            acting_user=request.user,
            status=form.cleaned_data["status"],
            expected_version=form.cleaned_data["version"],
            ok=_("The goal was updated."),
        )
    else:  # a choice, nothing typed: the refusal said, no longer silent
        report_form_errors(request, form)
    return redirect("referrals:services", goal.dossier_id)


@require_POST
def followup_done(request, pk):
    followup = get_visible_or_404(FollowUp.objects.all(), request.user, pk)
    run_action(
        request,
        actions.complete_followup,
        followup,
        acting_user=request.user,
        ok=_("The follow-up is done."),
    )
    if request.POST.get("next") == "home":
        return redirect("home")
    return redirect("referrals:services", followup.dossier_id)
