"""What the justice pages share: the justice-only gate, fetching an investigation or a
prosecution the user sees (404 otherwise, audited), the form page, and the page that says what
must be recorded first when a form would offer an empty list."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from himaya.audit.fetch import get_visible_or_404
from himaya.core import access

from ..identities import log_suspects  # noqa: F401  (the pages' audited reads)
from ..models import Investigation, Prosecution


def require_justice(request):
    if not access.handles_justice(request.user):
        raise Http404


def get_investigation(request, pk, q=None):
    qs = Investigation.objects.select_related("investigating_org", "prosecution_office", "region")
    if q is not None:
        qs = qs.filter(q)
    return get_visible_or_404(qs, request.user, pk, audit_type="justice.investigation")


def get_prosecution(request, pk, q=None):
    qs = Prosecution.objects.select_related(
        "office", "court", "suspect", "suspect__official_body_type", "investigation"
    )
    if q is not None:
        qs = qs.filter(q)
    return get_visible_or_404(qs, request.user, pk, audit_type="justice.prosecution")


def form_page(request, form, *, title, back, submit, status=200, extra=None):
    ctx = {"form": form, "title": title, "back": back, "submit": submit, **(extra or {})}
    if request.method == "POST" and status == 200:
        status = 400
    return render(request, "justice/form.html", ctx, status=status)


def needs_first(request, *, title, message, back, back_label, link="", link_label="", extra=None):
    """A form that would offer an empty required list (no suspect yet, no charge, no
    conviction): instead, what must be recorded first and, when the user may, a link to it."""
    ctx = {
        "title": title,
        "message": message,
        "back": back,
        "back_label": back_label,
        "link": link,
        "link_label": link_label,
        **(extra or {}),
    }
    return render(
        request, "justice/needs.html", ctx, status=400 if request.method == "POST" else 200
    )


def may_write(user, inv):
    return Investigation.objects.filter(access.investigation_write_q(user), pk=inv.pk).exists()


def suspect_first(request, inv, *, title, message):
    """The page of a form about a suspect, on an investigation that has none yet."""
    may = may_write(request.user, inv)
    return needs_first(
        request,
        title=title,
        message=message,
        back=reverse("justice:detail", args=[inv.pk]),
        back_label=_("Back to the investigation"),
        link=reverse("justice:suspect_add", args=[inv.pk]) if may else "",
        link_label=_("Add a suspect"),
    )
