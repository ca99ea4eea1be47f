"""The commission builds and edits the plan: the plan itself, its axes, objectives, measures
and their indicators. Each page parses a form and calls one action."""

from django.urls import reverse
from django.utils.translation import gettext as _

from .. import actions, forms
from ..models import Axis, Indicator, IndicatorYear, Measure, Objective, Plan
from .common import commission, fetch, form_page, posted

TITLES = ("title_ar", "title_fr", "title_en")


def _initial(record, names):
    return {name: getattr(record, name) for name in (*names, "version")}


def _plan_url(plan_id):
    return lambda _r: reverse("coordination:plan", args=[plan_id])


def plan_new(request):
    commission(request)
    form = forms.PlanForm(posted(request))

    def call(form):
        return actions.do_create_plan(acting_user=request.user, **form.action_kwargs())

    return form_page(
        request,
        form,
        call,
        title=_("New action plan"),
        done=_("The plan was created."),
        next_url=lambda plan: reverse("coordination:plan", args=[plan.pk]),
    )


def plan_edit(request, pk):
    plan = fetch(Plan, request, pk)
    commission(request)
    initial = _initial(plan, (*TITLES, "start_year", "end_year"))
    form = forms.PlanForm(posted(request), initial=initial)

    def call(form):
        return actions.do_update_plan(
            plan,
            acting_user=request.user,
            expected_version=form.cleaned_data["version"],
            **form.action_kwargs(),
        )

    return form_page(
        request,
        form,
        call,
        title=_("Edit the plan"),
        done=_("The plan was saved."),
        next_url=_plan_url(plan.pk),
        plan=plan,
    )


def axis_new(request, pk):
    plan = fetch(Plan, request, pk)
    commission(request)
    form = forms.TitlesForm(posted(request))

    def call(form):
        return actions.do_add_axis(plan, acting_user=request.user, **form.action_kwargs())

    return form_page(
        request,
        form,
        call,
        title=_("New axis"),
        done=_("The axis was added."),
        next_url=_plan_url(plan.pk),
        plan=plan,
    )


def axis_edit(request, pk):
    axis = fetch(Axis, request, pk)
    commission(request)
    form = forms.TitlesForm(posted(request), initial=_initial(axis, TITLES))

    def call(form):
        return actions.do_update_axis(
            axis,
            acting_user=request.user,
            expected_version=form.cleaned_data["version"],
            **form.action_kwargs(),
        )

    return form_page(
        request,
        form,
        call,
        title=_("Edit axis %(n)s") % {"n": axis.number},
        done=_("The axis was saved."),
        next_url=_plan_url(axis.plan_id),
        plan=axis.plan,
    )


def objective_new(request, pk):
    axis = fetch(Axis, request, pk)
    commission(request)
    form = forms.TitlesForm(posted(request))

    def call(form):
        return actions.do_add_objective(axis, acting_user=request.user, **form.action_kwargs())

    return form_page(
        request,
        form,
        call,
        title=_("New objective of axis %(n)s") % {"n": axis.number},
        done=_("The objective was added."),
        next_url=_plan_url(axis.plan_id),
        plan=axis.plan,
    )


def objective_edit(request, pk):
    objective = fetch(Objective, request, pk)
    commission(request)
    form = forms.TitlesForm(posted(request), initial=_initial(objective, TITLES))

    def call(form):
        return actions.do_update_objective(
            objective,
            acting_user=request.user,
            expected_version=form.cleaned_data["version"],
            **form.action_kwargs(),
        )

    return form_page(
        request,
        form,
        call,
        title=_("Edit objective %(n)s") % {"n": f"{objective.axis.number}.{objective.number}"},
        done=_("The objective was saved."),
        next_url=_plan_url(objective.axis.plan_id),
        plan=objective.axis.plan,
    )


def measure_new(request, pk):
    objective = fetch(Objective, request, pk)
    commission(request)
    form = forms.MeasureForm(posted(request))

    def call(form):
        return actions.do_add_measure(objective, acting_user=request.user, **form.action_kwargs())

    return form_page(
        request,
        form,
        call,
        title=_("New measure of objective %(n)s")
        % {"n": f"{objective.axis.number}.{objective.number}"},
        done=_("The measure was added."),
        next_url=lambda m: reverse("coordination:measure", args=[m.pk]),
        plan=objective.axis.plan,
    )


def measure_edit(request, pk):
    measure = fetch(Measure, request, pk)
    commission(request)
    initial = _initial(measure, (*TITLES, "lead_agency", "budget_line", "deadline"))
    initial["partners"] = list(measure.partners.all())
    form = forms.MeasureForm(posted(request), initial=initial)

    def call(form):
        return actions.do_update_measure(
            measure,
            acting_user=request.user,
            expected_version=form.cleaned_data["version"],
            **form.action_kwargs(),
        )

    return form_page(
        request,
        form,
        call,
        title=_("Edit measure %(n)s") % {"n": measure.code},
        done=_("The measure was saved."),
        next_url=lambda m: reverse("coordination:measure", args=[m.pk]),
        plan=measure.objective.axis.plan,
    )


def indicator_new(request, pk):
    measure = fetch(Measure, request, pk)
    commission(request)
    plan = measure.objective.axis.plan
    form = forms.IndicatorForm(posted(request), plan=plan)

    def call(form):
        return actions.do_add_indicator(measure, acting_user=request.user, **form.action_kwargs())

    return form_page(
        request,
        form,
        call,
        title=_("New indicator of measure %(n)s") % {"n": measure.code},
        done=_("The indicator was added."),
        next_url=lambda _i: reverse("coordination:measure", args=[measure.pk]),
        plan=plan,
    )


def indicator_edit(request, pk):
    indicator = fetch(Indicator, request, pk)
    commission(request)
    measure = indicator.measure
    plan = measure.objective.axis.plan
    names = (
        *("name_ar", "name_fr", "name_en", "figure"),
        *("source_ar", "source_fr", "source_en", "baseline_year", "baseline"),
    )
    initial = _initial(indicator, names)
    for row in IndicatorYear.objects.filter(indicator=indicator):
        initial[f"target_{row.year}"] = row.target
    form = forms.IndicatorForm(posted(request), plan=plan, initial=initial)

    def call(form):
        return actions.do_update_indicator(
            indicator,
            acting_user=request.user,
            expected_version=form.cleaned_data["version"],
            **form.action_kwargs(),
        )

    return form_page(
        request,
        form,
        call,
        title=_("Edit the indicator of measure %(n)s") % {"n": measure.code},
        done=_("The indicator was saved."),
        next_url=lambda _i: reverse("coordination:measure", args=[measure.pk]),
        plan=plan,
    )
