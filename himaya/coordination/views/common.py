"""Helpers of the coordination pages."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from himaya.audit.fetch import get_visible_or_404
from himaya.core.shortcuts import apply_action

from .. import access


def reader(request):
    """Every coordination page needs a membership; without one, the pages do not exist."""
    if not access.reads(request.user):
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
