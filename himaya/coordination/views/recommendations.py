"""The recommendations tracker, one recommendation with its yearly progress and evidence, and
the "progress against the recommendations" export."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from himaya.audit import log

from .. import actions, exports, forms, policies
from ..models import Recommendation, RecommendationSource, RecommendationStatus
from .common import commission, fetch, form_page, posted, reader, run

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _year(request):
    value = request.GET.get("year", "")
    if value.isascii() and value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    return timezone.localdate().year - 1


def recommendation_list(request):
    reader(request)
    year = _year(request)
    recs = Recommendation.objects.visible_to(request.user).prefetch_related(
        "agencies", "measures", "progress"
    )
    source = request.GET.get("source", "")
    if source in RecommendationSource.values:
        recs = recs.filter(source=source)
    status_of = {}
    for rec in recs:
        for p in rec.progress.all():
            if p.year == year:
                status_of[rec.pk] = p
        rec.year_progress = status_of.get(rec.pk)
    return render(
        request,
        "coordination/recommendations.html",
        {
            "recommendations": recs,
            "year": year,
            "years": range(timezone.localdate().year, 2015, -1),
            "sources": RecommendationSource.choices,
            "source": source,
            "languages": exports.LANGUAGES,
            "can_add": policies.is_commission(request.user),
            "tab": "recommendations",
        },
    )


def _context(request, rec, **given):
    year = timezone.localdate().year
    current = rec.progress.filter(year=year).first()
    initial = {"year": year, "version": current.version if current else None}
    if current:
        initial.update(status=current.status, evidence=current.evidence)
    return {
        "rec": rec,
        "progress": rec.progress.select_related("organisation").order_by("-year"),
        "evidence": rec.evidence.defer("content").select_related("organisation"),
        "can_record": bool(policies.recommendation_org_ids(request.user, rec)),
        "can_edit": policies.is_commission(request.user),
        "progress_form": given.get("progress_form") or forms.ProgressForm(initial=initial),
        "evidence_form": given.get("evidence_form") or forms.EvidenceForm(),
        "tab": "recommendations",
    }


def recommendation_page(request, pk):
    rec = fetch(Recommendation, request, pk)
    return render(request, "coordination/recommendation.html", _context(request, rec))


@require_POST
def recommendation_progress(request, pk):
    rec = fetch(Recommendation, request, pk)
    form = forms.ProgressForm(request.POST)
    status = 400
    if form.is_valid():
        d = form.cleaned_data
        _r, status = run(
            form,
            actions.do_record_progress,
            rec,
            acting_user=request.user,
            year=d["year"],
            status=d["status"],
            evidence=d["evidence"],
            expected_version=d["version"],
        )
        if status == 200:
            messages.success(request, _("The progress was saved."))
            return redirect("coordination:recommendation", rec.pk)
    return render(
        request,
        "coordination/recommendation.html",
        _context(request, rec, progress_form=form),
        status=status,
    )


@require_POST
def recommendation_evidence(request, pk):
    rec = fetch(Recommendation, request, pk)
    form = forms.EvidenceForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        _r, status = run(
            form,
            actions.do_attach_evidence,
            acting_user=request.user,
            recommendation=rec,
            name=form.cleaned_data["file"].name,
            data=form.data_bytes,
            description=form.cleaned_data["description"],
        )
        if status == 200:
            messages.success(request, _("The file was added."))
            return redirect("coordination:recommendation", rec.pk)
    return render(
        request,
        "coordination/recommendation.html",
        _context(request, rec, evidence_form=form),
        status=status,
    )


def progress_export(request, year, lang, fmt):
    reader(request)
    if fmt not in FORMATS or lang not in exports.LANGUAGES or not 2000 <= year <= 2100:
        raise Http404
    if fmt == "xlsx":
        body = exports.to_xlsx(year, lang)
    else:
        try:
            body = exports.to_pdf(year, lang)
        except exports.ExportUnavailable:
            messages.error(
                request, _("The PDF cannot be made on this server; use the Excel export.")
            )
            return redirect("coordination:recommendations")
    log.write(
        request.user, f"export_recommendations_{fmt}", ("coordination.progress", f"{year}:{lang}")
    )
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="himaya-recommendations-{year}-{lang}.{fmt}"'
    )
    return response


def recommendation_new(request):
    commission(request)
    form = forms.RecommendationForm(posted(request))

    def call(form):
        return actions.do_add_recommendation(acting_user=request.user, **form.action_kwargs())

    return form_page(
        request,
        form,
        call,
        title=_("New recommendation"),
        done=_("The recommendation was recorded."),
        next_url=lambda rec: reverse("coordination:recommendation", args=[rec.pk]),
        tab="recommendations",
    )


def recommendation_edit(request, pk):
    rec = fetch(Recommendation, request, pk)
    commission(request)
    names = ("source", "year", "reference", "priority", "text_ar", "text_fr", "text_en")
    initial = {name: getattr(rec, name) for name in (*names, "version")}
    initial.update(measures=list(rec.measures.all()), agencies=list(rec.agencies.all()))
    form = forms.RecommendationForm(posted(request), initial=initial)

    def call(form):
        return actions.do_update_recommendation(
            rec,
            acting_user=request.user,
            expected_version=form.cleaned_data["version"],
            **form.action_kwargs(),
        )

    return form_page(
        request,
        form,
        call,
        title=_("Edit the recommendation"),
        done=_("The recommendation was saved."),
        next_url=lambda r: reverse("coordination:recommendation", args=[r.pk]),
        tab="recommendations",
    )


STATUS_CHOICES = RecommendationStatus.choices
