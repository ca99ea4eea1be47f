"""The pages of an encrypted export: the one that shows its password (sent once, in answer to
the request that made the export, so the password is in no URL, session or database), the
download (a POST: a link checker or a browser's prefetch cannot use up the one download), and
the owner's list of recent exports."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from himaya.audit import log
from himaya.core import access

from .actions import ExportUnavailable, do_download_export
from .models import Refusal, SecureExport

REFUSALS = {
    Refusal.DOWNLOADED: _(
        "This archive was already downloaded: it can be downloaded only once. "
        "Export the records again to get a new archive."
    ),
    Refusal.EXPIRED: _(
        "This archive has expired and was erased. Export the records again to get a new archive."
    ),
}


def show_password(request, export, password):
    """The answer to a request that created an export: its password, once, and the button that
    downloads it. Called by the views that export (the dossier PDF, the registers...)."""
    return render(
        request, "secure_exports/ready.html", {"export": export, "password": password}, status=201
    )


def _own_export(request, token):
    export = SecureExport.objects.visible_to(request.user).defer("archive").filter(token=token)
    found = export.first()
    if found is None:
        other = SecureExport.objects.filter(token=token).only("pk").first()
        if other is not None:  # someone else's: refused as if missing, and recorded
            log.denied(request.user, other, "export_download")
        raise Http404
    return found


@require_POST
def download(request, token):
    export = _own_export(request, token)
    try:
        export, data = do_download_export(export, acting_user=request.user)
    except ExportUnavailable as exc:
        messages.error(request, str(REFUSALS[exc.refusal]))
        return redirect("secure_exports:list")
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{export.archive_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def export_list(request):
    if not access.member_org_ids(request.user):
        raise Http404
    now = timezone.now()
    exports = SecureExport.objects.visible_to(request.user).defer("archive")[:50]
    rows = [(export, export.refusal(now)) for export in exports]
    return render(request, "secure_exports/list.html", {"rows": rows})
