"""Project-level pages: the home page of each role (it reads from several apps)."""

from django.db.models import Count, Q
from django.shortcuts import render

from himaya.accounts.models import Organisation
from himaya.cases import home as cases_home
from himaya.cases.models import END_STAGES, Dossier, Stage
from himaya.coordination import home as coordination_home
from himaya.core import access
from himaya.core.pagination import first_rows
from himaya.exchange import home as exchange_home
from himaya.home_figures import HomeFigures
from himaya.hotline import home as hotline_home
from himaya.justice import home as justice_home
from himaya.linkage import home as linkage_home
from himaya.referrals import home as referrals_home
from himaya.screening import home as screening_home
from himaya.statistics import home as statistics_home


def stage_counts(user) -> dict:
    """{stage: visible dossiers at that stage} (a count over every visible dossier)."""
    dossiers = Dossier.objects.visible_to(user)
    return dict(dossiers.values_list("stage").annotate(n=Count("pk")).order_by())


def home(request):
    user = request.user
    figures = HomeFigures(user)
    ctx = {"roles": sorted({m.get_role_display() for m in user.memberships.filter(active=True)})}
    if access.handles_victims(user) or access.analyst_org_ids(user):
        by_stage = figures.get("stages", lambda: stage_counts(user))
        ctx["stage_counts"] = [(s, by_stage.get(s.value, 0)) for s in Stage]
        ctx["dossier_total"] = sum(by_stage.values())
    if access.handles_victims(user):
        # Ten rows each, read path by path of what the user sees (an index walk per path that
        # stops at ten), not by sorting every visible dossier (issue 17).
        ctx["my_dossiers"] = first_rows(
            Dossier.objects.visible_to(user)
            .filter(caseworker=user)
            .exclude(stage__in=END_STAGES)
            .select_related("owner_org"),
            10,
        )
        ctx["recent_dossiers"] = first_rows(
            Dossier.objects.visible_to(user)
            .select_related("owner_org")
            .order_by("-updated_at", "-id"),
            10,
        )
    managed = access.manageable_org_ids(user)
    if managed:
        ctx["managed_organisations"] = Organisation.objects.filter(pk__in=managed).annotate(
            members=Count("memberships", filter=Q(memberships__active=True))
        )
    ctx.update(hotline_home.home_context(user))
    ctx.update(referrals_home.home_context(user, figure=figures.get))
    ctx.update(cases_home.home_context(user, figure=figures.get))
    ctx.update(justice_home.home_context(user))
    ctx.update(exchange_home.home_context(user))
    ctx.update(screening_home.home_context(user))
    ctx.update(statistics_home.home_context(user))
    ctx.update(linkage_home.home_context(user))
    ctx.update(coordination_home.home_context(user))
    ctx["is_system_admin"] = access.is_system_admin(user)
    return render(request, "home.html", ctx)
