"""HTCDS in and out (docs/htcds.md): the upload of an HTCDS workbook, checked through the
import pages' services and then shown, committed and discarded on the import run's own page;
the export of a caseworker's cases (an encrypted archive: it holds identities) or of an
analyst's de-identified case records; the CTDC-style k-anonymised extract. Who may do what
comes from core.access (exchange/policies.py): the casework importers import and export their
organisation's cases, the analysts export de-identified records; anyone else gets 404."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from himaya.audit.fetch import get_visible_or_404
from himaya.core.punctuation import join_words
from himaya.secure_exports.views import show_password

from .. import background, extracts, policies, reading
from ..htcds import ctdc, fields, importing
from ..htcds.forms import HtcdsExportForm, HtcdsUploadForm
from ..models import Extract


def _roles(request):
    case_orgs, analyst_orgs = policies.htcds_org_ids(request.user)
    if not case_orgs and not analyst_orgs:
        raise Http404
    return case_orgs, analyst_orgs


def _not_carried_message(converted):
    parts = [
        f"{name} ({count}): {fields.why_not_carried(name)}"
        for name, count in sorted(converted.not_carried.items())
        if name != fields.REFERRAL_WITHOUT_SERVICE
    ]
    if converted.not_carried.get(fields.REFERRAL_WITHOUT_SERVICE):
        parts.append(
            ngettext(
                "%(n)s outgoing referral without him_ReferralService: not recorded.",
                "%(n)s outgoing referrals without him_ReferralService: not recorded.",
                converted.not_carried[fields.REFERRAL_WITHOUT_SERVICE],
            )
            % {"n": converted.not_carried[fields.REFERRAL_WITHOUT_SERVICE]}
        )
    if converted.ignored:
        parts.append(_("Columns left aside: %(names)s.") % {"names": join_words(converted.ignored)})
    return " · ".join(parts)


def htcds_page(request):
    case_orgs, analyst_orgs = _roles(request)
    form = HtcdsUploadForm(request.POST or None, request.FILES or None, org_ids=case_orgs)
    status = 200
    if request.method == "POST":
        if not case_orgs:
            raise Http404
        if form.is_valid():
            try:
                run, converted = importing.check(
                    form.data_bytes,
                    form.cleaned_data["file"].name,
                    user=request.user,
                    organisation=form.cleaned_data["organisation"],
                    opened_on=form.cleaned_data["opened_on"],
                )
            except reading.FileRefused as exc:
                form.add_error("file", str(exc))
            else:
                summary = _not_carried_message(converted)
                if summary:
                    messages.info(request, _("Read but not recorded: %(s)s") % {"s": summary})
                return redirect("exchange:run", run.pk)
        status = 400
    context = {
        "form": form if case_orgs else None,
        "export_form": HtcdsExportForm(org_ids=case_orgs) if case_orgs else None,
        "analyst": bool(analyst_orgs),
        "extracts": Extract.objects.visible_to(request.user).defer("content")[:20],
        "k": ctdc.K,
    }
    return render(request, "exchange/htcds.html", context, status=status)


def _download(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def htcds_export(request):
    """``scope=cases``: the organisation's cases with identities, as an encrypted archive;
    ``scope=deidentified``: the analyst's de-identified case records, downloaded. Either is
    prepared by the background worker when too many dossiers to build while the page waits."""
    case_orgs, analyst_orgs = _roles(request)
    scope = request.POST.get("scope")
    form = HtcdsExportForm(request.POST, org_ids=case_orgs)
    org = form.cleaned_data.get("organisation") if form.is_valid() else None
    if not form.is_valid() or (scope == "cases" and case_orgs and org is None):
        messages.error(request, _("Choose a format and an organisation."))
        return redirect("exchange:htcds")
    fmt = form.cleaned_data["format"]
    if scope == "cases" and case_orgs:
        return _extract(request, extracts.case_records_kind(fmt, identified=True), org.pk)
    if scope == "deidentified" and analyst_orgs:
        kind = extracts.case_records_kind(fmt, identified=False)
        return _extract(request, kind, min(analyst_orgs))
    raise Http404


def _extract(request, kind, organisation_id):
    """An export built now, or queued for the background worker when its dossiers are too many
    to build while the page waits (the page then lists it). Built now, a de-identified one is
    downloaded, one with identities handed over as an encrypted archive."""
    dossiers = extracts.scope(request.user, kind, organisation_id)
    if extracts.in_background(dossiers):
        background.queue_extract(request.user, kind, organisation_id)
        messages.info(
            request,
            _(
                "The extract is being prepared: it covers too many dossiers to build while the "
                "page waits. You will be told when it is ready to download here."
            ),
        )
        return redirect("exchange:htcds")
    content, _records = extracts.build(kind, dossiers)
    extracts.audit(request.user, kind, organisation_id)
    if kind in Extract.IDENTIFIED:
        return show_password(
            request, *extracts.archive(request.user, kind, organisation_id, content)
        )
    return _download(content, extracts.CONTENT_TYPES[kind], Extract(kind=kind).file_name)


@require_POST
def ctdc_extract(request):
    _case_orgs, analyst_orgs = _roles(request)
    if not analyst_orgs:
        raise Http404
    return _extract(request, Extract.Kind.CTDC, min(analyst_orgs))


def _gone(request, extract):
    if extract.status == Extract.Status.ARCHIVED:
        messages.error(
            request,
            _(
                "This export was already handed over as an encrypted archive, with its password "
                "shown once: ask for the export again if the password was lost."
            ),
        )
    else:
        messages.error(request, _("This extract has expired and was erased: ask for it again."))
    return redirect("exchange:htcds")


@require_safe
def extract_download(request, pk):
    """A ready de-identified extract, for the analyst who asked for it; anyone else's is a 404,
    recorded. One with identities is never downloaded as it is (``extract_archive``)."""
    extract = get_visible_or_404(Extract.objects, request.user, pk)
    if extract.identified:
        raise Http404
    data = extracts.download(extract, request.user)
    if data is None:
        return _gone(request, extract)
    return _download(data, extracts.CONTENT_TYPES[extract.kind], extract.file_name)


@require_POST
def extract_archive(request, pk):
    """A ready export of the organisation's cases, for the caseworker who asked for it, handed
    over as an encrypted archive with its one-time password (then erased here); anyone else's
    is a 404, recorded."""
    extract = get_visible_or_404(Extract.objects.defer("content"), request.user, pk)
    if not extract.identified:
        raise Http404
    handed = extracts.hand_over(extract, request.user)
    if handed is None:
        extract.refresh_from_db(fields=["status"])
        return _gone(request, extract)
    return show_password(request, *handed)
