"""Import pages: upload and dry run, the report with its errors, the commit, the history, the
templates and the documentation of the columns. Only the justice members of the organisations
that keep registers reach them (core.access, "Exchange"); anyone else gets 404."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from himaya.audit import log
from himaya.core import access
from himaya.secure_exports.actions import do_create_export
from himaya.secure_exports.models import Kind
from himaya.secure_exports.views import show_password

from .. import background, export, pending, reading, services
from ..forms import UploadForm
from ..models import ImportRun


def _org_ids(request):
    """Organisations the user imports anything for: justice registers or casework."""
    orgs = access.exchange_org_ids(request.user) | access.casework_import_org_ids(request.user)
    if not orgs:
        raise Http404
    return orgs


def _register(request):
    """The register a page is about: the justice registers, or the casework of past years when
    asked (``register=casework`` in the query or the form), and the organisations the user may
    import it for; 404 when there are none."""
    asked = request.POST.get("register") or request.GET.get("register")
    register = services.CASEWORK if asked == services.CASEWORK else services.JUSTICE
    if not asked and not access.exchange_org_ids(request.user):
        register = services.CASEWORK  # the only register this user imports
    orgs = services.register_org_ids(request.user, register)
    if not orgs:
        raise Http404
    return register, orgs


def _get_run(request, pk, *, own=False):
    _org_ids(request)
    runs = ImportRun.objects.visible_to(request.user).select_related("organisation", "user")
    if own:  # only who uploaded a file commits or discards it
        runs = runs.filter(user=request.user)
    return get_object_or_404(runs, pk=pk)


def import_start(request):
    register, orgs = _register(request)
    KINDS, _kind_by_key = services.register_kinds(register)  # noqa: N806
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        org_ids=orgs,
        kinds=KINDS,
        register=register,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                run = background.receive_upload(
                    form.data_bytes,
                    form.cleaned_data["file"].name,
                    user=request.user,
                    organisation=form.cleaned_data["organisation"],
                    kind=form.cleaned_data["kind"] or None,
                    register=register,
                )
            except reading.FileRefused as exc:
                form.add_error("file", str(exc))
            else:
                return redirect("exchange:run", run.pk)
        status = 400
    recent = ImportRun.objects.visible_to(request.user).select_related("user")
    casework = recent.filter(requested_kind__startswith=services.CASEWORK)
    recent = (casework if register == services.CASEWORK else recent.exclude(pk__in=casework))[:5]
    return render(
        request,
        "exchange/import.html",
        {
            "form": form,
            "recent": recent,
            "kinds": KINDS,
            "register": register,
            "both_registers": bool(access.exchange_org_ids(request.user))
            and bool(access.casework_import_org_ids(request.user)),
        },
        status=status,
    )


@require_safe
def run_detail(request, pk):
    run = _get_run(request, pk)
    earlier = (
        services.previous_imports(run.organisation, run.digest)
        .exclude(pk=run.pk)
        .select_related("user")
        .first()
    )
    register, _kind = services.decode_requested(run.requested_kind)
    labels = {k.key: k.label for k in services.register_kinds(register)[0]}
    counts = [(labels.get(key, key), c) for key, c in (run.counts or {}).items()]
    if run.status in pending.IN_BACKGROUND:
        return _progress_page(request, run)
    pending_commit = bool(run.token) and run.status == ImportRun.Status.CHECKED
    return render(
        request,
        "exchange/run.html",
        {
            "run": run,
            "errors": run.errors or [],
            "warnings": run.warnings or [],
            "duplicates": services.possible_duplicates(run, request.user),
            "counts": counts,
            "earlier": earlier,
            "can_commit": pending_commit and run.user_id == request.user.pk,
            "register": register,
        },
    )


def _progress_page(request, run):
    """A run in the background worker's hands: its progress, the page refreshing itself."""
    done = min(pending.rows_done(run), run.rows)
    return render(
        request,
        "exchange/run_progress.html",
        {
            "run": run,
            "done": done,
            "percent": done * 100 // run.rows if run.rows else 0,
            "bar": done * 10 // run.rows * 10 if run.rows else 0,  # a class per 10 %
            "stale": pending.is_stale(run),
            "can_discard": run.user_id == request.user.pk,
        },
    )


@require_POST
def run_commit(request, pk):
    run = _get_run(request, pk, own=True)
    if run.status != ImportRun.Status.CHECKED or not run.token:
        messages.error(request, _("This file cannot be imported any more: upload it again."))
        return redirect("exchange:run", run.pk)
    confirmed = bool(request.POST.get("confirm_warnings"))
    try:
        if run.rows > services.inline_rows():
            background.queue_commit(run, user=request.user, confirm_warnings=confirmed)
            messages.info(
                request,
                _(
                    "The records are being imported in the background. This page shows the "
                    "progress, and you will be told when the import ends."
                ),
            )
            return redirect("exchange:run", run.pk)
        result = services.commit_run(run, user=request.user, confirm_warnings=confirmed)
    except (FileNotFoundError, services.NotConfirmed) as exc:
        messages.error(request, str(exc))
        return redirect("exchange:run", run.pk)
    if result.committed:
        messages.success(request, _("The file was imported."))
    else:
        messages.error(
            request, _("The file was not imported: nothing was written. See the errors.")
        )
    return redirect("exchange:run", run.pk)


@require_POST
def run_discard(request, pk):
    run = _get_run(request, pk, own=True)
    # A checked file, or one the background worker has not moved on for a while (none took it
    # up, or the one that did stopped): nothing was written, the file is dropped.
    if run.status == ImportRun.Status.CHECKED or pending.is_stale(run):
        pending.end_run(run, ImportRun.Status.EXPIRED, "discard_import", only_from=[run.status])
    return redirect("exchange:import")


@require_safe
def history(request):
    register, _orgs = _register(request)
    runs = ImportRun.objects.visible_to(request.user).select_related("user", "organisation")
    casework = runs.filter(requested_kind__startswith=services.CASEWORK)
    runs = casework if register == services.CASEWORK else runs.exclude(pk__in=casework)
    page = Paginator(runs, 25).get_page(request.GET.get("page"))
    return render(request, "exchange/history.html", {"page": page, "register": register})


@require_safe
def documentation(request):
    register, _orgs = _register(request)
    KINDS, _kind_by_key = services.register_kinds(register)  # noqa: N806
    cache = {}
    kinds = [
        {
            "kind": k,
            "columns": [(c, c.accepted_values(cache)) for c in k.columns],
        }
        for k in KINDS
    ]
    return render(request, "exchange/documentation.html", {"kinds": kinds, "register": register})


def _download(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def template_workbook(request):
    register, _orgs = _register(request)
    return _download(
        export.blank_workbook(services.register_kinds(register)[0]),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "himaya-casework.xlsx" if register == services.CASEWORK else "himaya-registers.xlsx",
    )


@require_safe
def template_csv(request, kind):
    register, _orgs = _register(request)
    found = services.register_kinds(register)[1](kind)
    if found is None:
        raise Http404
    return _download(export.blank_csv(found), "text/csv; charset=utf-8", f"{found.key}.csv")


@require_POST
def export_registers(request):
    """The justice records the user sees, as a register workbook (the import's format). A
    POST, audited, and handed over as an encrypted archive with a one-time password (S18): it
    holds suspects' identities."""
    orgs = access.exchange_org_ids(request.user)
    if not orgs:
        raise Http404
    sheets = export.export_rows(request.user)
    counts = {kind.key: len(rows) for kind, rows in sheets}
    log.write(
        request.user,
        "export_registers",
        ("exchange.export", ""),
        [key for key, n in counts.items() if n],
        organisation_id=min(orgs),
    )
    archive, password = do_create_export(
        owner=request.user,
        organisation_id=min(orgs),
        kind=Kind.REGISTERS,
        file_name="himaya-export.xlsx",
        content=export.workbook_of(sheets),
        subject=("exchange.export", ""),
    )
    return show_password(request, archive, password)
