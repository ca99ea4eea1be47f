"""Support given to NGOs: the list and the form of the public bodies that record it."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.accounts.models import Organisation
from himaya.core.shortcuts import apply_action

from .. import actions, forms
from ..models import NgoSupport
from .common import require_member


def support_list(request):
    require_member(request)
    records = (
        NgoSupport.objects.visible_to(request.user)
        .select_related("giver", "receiver")
        .order_by("-on")
    )
    givers = actions.giver_choices(request.user, Organisation.objects.all())
    return render(
        request,
        "referrals/support.html",
        {"records": records[:300], "can_record": givers.exists()},
    )


def support_add(request):
    givers = actions.giver_choices(request.user, Organisation.objects.all())
    if not givers.exists():
        raise Http404
    form = forms.SupportForm(
        request.POST or None,
        initial={"on": timezone.localdate()},
        givers=givers,
        receivers=Organisation.objects.filter(active=True),
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        _r, status = apply_action(
            form, actions.record_support, acting_user=request.user, **form.cleaned_data
        )
        if status == 200:
            messages.success(request, _("The support was recorded."))
            return redirect("referrals:support")
    return render(
        request,
        "referrals/form.html",
        {"form": form, "title": _("Record support given to an NGO")},
        status=400 if form.errors and status == 200 else status,
    )
