"""Proposing a dossier's transfer to another organisation, and answering or withdrawing it."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from himaya.accounts.models import Organisation
from himaya.audit.fetch import get_visible_or_404
from himaya.core.shortcuts import apply_action, run_action

from .. import actions, forms
from ..models import DossierTransfer
from .common import get_dossier


def transfer_propose(request, pk):
    dossier = get_dossier(request, pk, write=True)
    form = forms.TransferForm(
        request.POST or None,
        organisations=Organisation.objects.filter(active=True).exclude(pk=dossier.owner_org_id),
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        _r, status = apply_action(
            form,
            actions.propose_transfer,
            dossier,
            acting_user=request.user,
            **form.transfer_fields(),
        )
        if status == 200:
            messages.success(request, _("The transfer was proposed."))
            return redirect("cases:detail", dossier.pk)
    return render(
        request,
        "referrals/transfer.html",
        {"form": form, "dossier": dossier},
        status=400 if form.errors and status == 200 else status,
    )


@require_POST
def transfer_answer(request, pk):
    transfer = get_visible_or_404(DossierTransfer.objects.all(), request.user, pk)
    answer = request.POST.get("answer")
    if answer == "withdraw":
        run_action(
            request,
            actions.withdraw_transfer,
            transfer,
            acting_user=request.user,
            ok=_("The transfer was withdrawn."),
        )
    elif answer in ("accept", "decline"):
        run_action(
            request,
            actions.answer_transfer,
            transfer,
            acting_user=request.user,
            accept=answer == "accept",
            ok=_("The transfer was answered."),
        )
        if answer == "accept":
            return redirect("cases:detail", transfer.dossier_id)
    return redirect("referrals:inbox")
