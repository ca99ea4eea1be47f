"""The plan tree, a measure with its history, notes, evidence and indicators, and the
indicators of the whole plan year by year."""

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from himaya.core import access as core_access

from .. import actions, forms, policies
from ..indicators import indicator_rows
from ..models import Evidence, Indicator, Measure, Objective, Plan
from .common import fetch, reader, run


def plan_index(request):
    reader(request)
    plan = Plan.objects.visible_to(request.user).first()
    if plan is None:
        return render(
            request,
            "coordination/plan.html",
            {"plan": None, "tab": "plan", "is_commission": policies.is_commission(request.user)},
        )
    return redirect("coordination:plan", plan.pk)


def plan_page(request, pk):
    plan = fetch(Plan, request, pk)
    measures = Measure.objects.select_related("lead_agency").prefetch_related("partners")
    axes = plan.axes.prefetch_related(
        Prefetch(
            "objectives",
            queryset=Objective.objects.prefetch_related(Prefetch("measures", queryset=measures)),
        )
    )
    status = request.GET.get("status", "")
    return render(
        request,
        "coordination/plan.html",
        {
            "plan": plan,
            "axes": axes,
            "today": timezone.localdate(),
            "status": status,
            "is_commission": policies.is_commission(request.user),
            "tab": "plan",
        },
    )


def _measure_context(request, measure, **forms_given):
    user = request.user
    years = list(measure.objective.axis.plan.years())
    shown = [y for y in years if y <= timezone.localdate().year] or years[:1]
    rows = indicator_rows(measure.indicators.all(), shown)
    return {
        "measure": measure,
        "history": measure.history.select_related("organisation", "changed_by"),
        "notes": measure.notes.select_related("organisation", "written_by"),
        "evidence": measure.evidence.defer("content").select_related("organisation"),
        "indicators": rows,
        "recommendations": measure.recommendations.all(),
        "can_write": policies.can_write_measure(user, measure),
        "can_comment": policies.is_commission(user),
        "drills": core_access.reads_national_report(user),
        "status_form": forms_given.get("status_form")
        or forms.StatusForm(initial={"status": measure.status, "version": measure.version}),
        "note_form": forms_given.get("note_form") or forms.NoteForm(),
        "evidence_form": forms_given.get("evidence_form") or forms.EvidenceForm(),
        "year_forms": _year_forms(rows, forms_given.get("year_form")),
        "today": timezone.localdate(),
        "tab": "plan",
    }


def _year_forms(rows, given):
    """[(indicator row, its values form)]: the form posted and refused for its indicator, one
    holding this year's stored values for the others."""
    year = timezone.localdate().year
    out = []
    for row in rows:
        indicator = row["indicator"]
        if given is not None and given.prefix == f"i{indicator.pk}":
            out.append((row, given))
        else:
            initial = {"year": year}
            cell = next((c for c in row["years"] if c["year"] == year), None)
            if cell:  # what is stored for the year, so saving the form keeps it
                initial.update(target=cell["target"], **cell["sources"])
                if not indicator.computed:
                    initial["actual"] = cell["actual"]
            out.append((row, forms.IndicatorYearForm(indicator=indicator, initial=initial)))
    return out


def measure_page(request, pk):
    measure = fetch(Measure, request, pk)
    return render(request, "coordination/measure.html", _measure_context(request, measure))


def _measure_post(request, pk, form_class, name, call, done, **form_kwargs):
    measure = fetch(Measure, request, pk)
    form = (
        form_class(request.POST, request.FILES, **form_kwargs)
        if name == "evidence_form"
        else form_class(request.POST, **form_kwargs)
    )
    status = 400
    if form.is_valid():
        _r, status = run(form, call, measure, form)
        if status == 200:
            messages.success(request, done)
            return redirect("coordination:measure", measure.pk)
    measure.refresh_from_db()
    return render(
        request,
        "coordination/measure.html",
        _measure_context(request, measure, **{name: form}),
        status=status,
    )


@require_POST
def measure_status(request, pk):
    def call(measure, form):
        d = form.cleaned_data
        return actions.do_set_measure_status(
            measure,
            acting_user=request.user,
            expected_version=d["version"],
            status=d["status"],
            note=d["note"],
            on=d["on"],
        )

    return _measure_post(
        request, pk, forms.StatusForm, "status_form", call, _("The status was changed.")
    )


@require_POST
def measure_note(request, pk):
    def call(measure, form):
        return actions.do_add_progress_note(
            measure, acting_user=request.user, text=form.cleaned_data["text"]
        )

    return _measure_post(request, pk, forms.NoteForm, "note_form", call, _("The note was saved."))


@require_POST
def measure_evidence(request, pk):
    def call(measure, form):
        return actions.do_attach_evidence(
            acting_user=request.user,
            measure=measure,
            name=form.cleaned_data["file"].name,
            data=form.data_bytes,
            description=form.cleaned_data["description"],
        )

    return _measure_post(
        request, pk, forms.EvidenceForm, "evidence_form", call, _("The file was added.")
    )


@require_POST
def indicator_year(request, pk):
    indicator = fetch(Indicator, request, pk)

    def call(measure, form):
        d = form.cleaned_data
        return actions.do_set_indicator_year(
            indicator,
            acting_user=request.user,
            year=d["year"],
            target=d["target"],
            actual=d.get("actual"),
            source_ar=d["source_ar"],
            source_fr=d["source_fr"],
            source_en=d["source_en"],
        )

    return _measure_post(
        request,
        indicator.measure_id,
        forms.IndicatorYearForm,
        "year_form",
        call,
        _("The indicator's values were saved."),
        indicator=indicator,
    )


def evidence_file(request, pk):
    """The file, as a download only (S19: never inline, never sniffed)."""
    evidence = fetch(Evidence, request, pk)
    response = HttpResponse(bytes(evidence.content), content_type="application/octet-stream")
    response["Content-Disposition"] = (
        f'attachment; filename="evidence-{evidence.pk}.{evidence.name.rsplit(".", 1)[-1]}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def indicators_page(request, pk):
    plan = fetch(Plan, request, pk)
    years = list(plan.years())
    indicators = (
        Indicator.objects.filter(measure__objective__axis__plan=plan)
        .select_related("measure__objective__axis")
        .order_by(
            "measure__objective__axis__number",
            "measure__objective__number",
            "measure__number",
            "id",
        )
    )
    shown = [y for y in years if y <= timezone.localdate().year] or years[:1]
    return render(
        request,
        "coordination/indicators.html",
        {
            "plan": plan,
            "years": shown,
            "rows": indicator_rows(indicators, shown),
            "drills": core_access.reads_national_report(request.user),
            "tab": "indicators",
        },
    )
