"""Helpers of the coordination pages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from himaya.audit.fetch import get_visible_or_404
from himaya.core.shortcuts import apply_action

from .. import policies


def reader(request):
    """Every coordination page needs a membership; without one, the pages do not exist."""
    if not policies.reads(request.user):
        raise Http404


def fetch(model, request, pk):
    reader(request)
    return get_visible_or_404(model.objects, request.user, pk)


def run(form, action, *args, **kwargs):
    """``apply_action`` with a refusal shown as a 403 (the reader sees the record, so the
    page exists; writing it is not theirs)."""
    try:
        return apply_action(form, action, *args, **kwargs)
    except PermissionDenied:
        raise PermissionDenied(_("You cannot change this record.")) from None


def back(record_url, status):
    return redirect(record_url) if status == 200 else None


def posted(request):
    """The form data of a POST (even an empty one: it is still a submission), else None."""
    return request.POST if request.method == "POST" else None


def commission(request):
    """Pages that build the plan: the commission's. A member of another agency sees the plan
    (so the page exists) but is refused (403); an outsider gets a 404."""
    reader(request)
    if not policies.is_commission(request.user):
        raise PermissionDenied(_("Only the national commission may do this."))


def form_page(request, form, call, *, title, done, next_url, template=None, **context):
    """A form page that calls one action: ``call(form)`` runs it on a valid form; success
    redirects to ``next_url(result)``, refusals show on the form (400, 409)."""
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            result, status = run(form, call, form)
            if status == 200:
                messages.success(request, done)
                return redirect(next_url(result))
    return render(
        request,
        template or "coordination/form.html",
        {"form": form, "title": title, "tab": context.pop("tab", "plan"), **context},
        status=status,
    )
