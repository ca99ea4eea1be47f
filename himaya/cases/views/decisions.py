"""Recording an identification decision (or the review of a negative one) on a dossier."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from himaya.audit import log
from himaya.core import access
from himaya.core.shortcuts import apply_action

from ..actions import record_decision
from ..actions.decisions import refusal
from ..identify_forms import DecisionForm
from ..panels import visible_decisions
from .common import get_dossier


def decision_create(request, pk):
    """The form of a new decision; when the last decision was negative, the new one is a
    review of it."""
    user = request.user
    dossier = get_dossier(request, pk, identity=True)
    org_ids = access.decision_org_ids_for(user, dossier)
    if not org_ids:
        # The user sees the dossier: say why deciding is not theirs, and who decides.
        raise PermissionDenied(refusal(user, dossier))
    history = list(visible_decisions(user, dossier, sees_identity=True))
    latest = history[-1] if history else None
    reviewed = latest if latest is not None and latest.is_negative else None
    form = DecisionForm(
        request.POST or None,
        org_ids=org_ids,
        initial={"reviews": reviewed.pk if reviewed else None},
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        reviews = None
        if data["reviews"]:
            reviews = dossier.decisions.filter(pk=data["reviews"]).select_related("status").first()
            if reviews is None:
                form.add_error(None, _("The decision to review was not found on this dossier."))
        if not form.errors:
            _decision, status = apply_action(
                form,
                record_decision,
                dossier,
                acting_user=user,
                organisation=data["organisation"],
                status=data["status"],
                decided_on=data["decided_on"],
                reasons=data["reasons"],
                reviews=reviews,
            )
            if status == 200:
                messages.success(request, _("The decision was recorded."))
                return redirect("cases:detail", dossier.pk)
    if form.errors and status == 200:
        status = 400
    log.read(user, dossier.person_id, dossier, "identity")
    return render(
        request,
        "cases/decision_form.html",
        {
            "dossier": dossier,
            "person": dossier.person,
            "form": form,
            "history": history,
            "reviewed": reviewed,
        },
        status=status,
    )
