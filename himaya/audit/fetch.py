"""Fetching a record as a user may see it, the refused attempts audited."""

from django.http import Http404

from himaya.core.shortcuts import MAX_ID

from . import log


def get_visible_or_404(queryset, user, pk, *, audit_type=None, purpose="open"):
    """The record ``pk`` of ``queryset`` as ``user`` may see it, else 404.

    Visibility is applied here (``visible_to``), so a caller cannot forget it; the caller may
    narrow the queryset further (``with_identity_for``, ``filter(person=...)``). When the record
    exists but is hidden, the refused attempt is audited; the answer is the same 404 as for a
    missing record, so nobody learns that it exists."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < pk <= MAX_ID:
        raise Http404
    obj = queryset.visible_to(user).filter(pk=pk).first()
    if obj is not None:
        return obj
    model = queryset.model
    if model._default_manager.filter(pk=pk).exists():
        log.denied(user, (audit_type or model._meta.label_lower, str(pk)), purpose)
    raise Http404
