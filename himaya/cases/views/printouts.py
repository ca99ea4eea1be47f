"""Printing a dossier: the PDF summary, and the audit row of a print of the page itself.

Printing is casework: a dossier is printed by those who handle victims and see it (its page's
404 otherwise). Analysts read dossiers de-identified on screen for their figures; they print
none. Every print is an AccessEvent, with the person only when the identity is on paper. The
PDF leaves Himaya as an encrypted archive with a one-time password (himaya.secure_exports)."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from himaya.audit import log
from himaya.core import access
from himaya.secure_exports.actions import do_create_export
from himaya.secure_exports.models import Kind
from himaya.secure_exports.views import show_password

from .. import printing
from .common import get_dossier


def _printable(request, pk, purpose):
    dossier = get_dossier(request, pk)
    if not access.handles_victims(request.user):
        log.denied(request.user, dossier, purpose)
        raise Http404
    return dossier


@require_POST
def dossier_pdf(request, pk):
    """The summary, handed over as an encrypted archive with a one-time password (S18): a PDF
    that may name the person leaves Himaya only so. A POST: it makes the archive."""
    dossier = _printable(request, pk, "print_dossier")
    moment = printing.now()
    context = printing.summary(request.user, dossier, day=timezone.localtime(moment).date())
    try:
        body = printing.to_pdf(request, context, moment)
    except printing.PrintUnavailable as exc:
        messages.error(request, str(exc))
        return redirect("cases:detail", dossier.pk)
    sees = context["sees_identity"]
    log.read(request.user, dossier.person_id if sees else None, dossier, "print_dossier")
    archive, password = do_create_export(
        owner=request.user,
        organisation_id=access.acting_org_for(request.user, dossier),
        kind=Kind.DOSSIER,
        file_name=f"{dossier.reference}.pdf",
        content=body,
        subject=("cases.dossier", dossier.pk),
        reference=dossier.reference,
    )
    return show_password(request, archive, password)


@require_POST
def page_printed(request, pk):
    """Sent by the dossier page (print.js) when the browser prints it: the page was read, and
    audited, when it was shown; this row says it went to paper."""
    dossier = _printable(request, pk, "print_page")
    sees = access.sees_identity(request.user, dossier)
    log.read(request.user, dossier.person_id if sees else None, dossier, "print_page")
    return HttpResponse(status=204)
