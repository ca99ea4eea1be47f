"""The directory of providers, the bed board, and a provider's and a facility's pages and
forms. Beds free are counted from the stays, for all the facilities listed at once."""

from collections import defaultdict

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.accounts.models import Organisation
from himaya.audit.fetch import get_visible_or_404
from himaya.core import access
from himaya.core.shortcuts import apply_action
from himaya.core.trilingual import LANGS, localized, ordered_by

from .. import actions, forms
from ..models import (
    Facility,
    Provider,
    Referral,
    ReferralStatus,
    Service,
    ShelterStay,
    load_boards,
)
from .common import require_member


def _waiting(facilities):
    """Accepted shelter referrals without admission, per facility (the one named, else the
    organisation's first facility)."""
    first = {}
    for f in facilities:
        first.setdefault(f.organisation_id, f.pk)
    waiting = defaultdict(list)
    referrals = Referral.objects.filter(
        status=ReferralStatus.ACCEPTED,
        service=Service.SHELTER,
        to_org_id__in=first,
        stays__isnull=True,
    ).defer(*Referral.FREE_TEXT_FIELDS)
    for r in referrals.select_related("dossier"):
        waiting[r.facility_id or first[r.to_org_id]].append(r)
    return waiting


def directory(request):
    require_member(request)
    form = forms.DirectoryForm(request.GET or None)
    data = form.valid_data()
    providers = (
        Provider.objects.visible_to(request.user)
        .filter(accepts_referrals=True)
        .select_related("organisation", "organisation__type")
        .prefetch_related("regions", "languages")
        .order_by(localized("organisation__name"), "pk")  # the name its reader sees
    )
    if data.get("region"):
        providers = providers.filter(regions=data["region"])
    if data.get("language"):
        providers = providers.filter(languages=data["language"])
    rows = [
        p
        for p in providers
        if (not data.get("service") or data["service"] in p.services)
        and (not data.get("group") or data["group"] in p.groups)
    ]
    facilities = defaultdict(list)
    listed = ordered_by(
        Facility.objects.visible_to(request.user).filter(
            active=True, organisation__in=[p.organisation_id for p in rows]
        )
    )
    for f in load_boards(listed):
        facilities[f.organisation_id].append(f)
    for p in rows:
        p.facility_list = facilities.get(p.organisation_id, [])
        p.free_beds = sum(f.free for f in p.facility_list)
    mine = Organisation.objects.filter(
        pk__in=access.provider_admin_org_ids(request.user), active=True
    )
    return render(
        request,
        "referrals/directory.html",
        {"form": form, "providers": rows, "my_orgs": mine},
    )


def bed_board(request):
    require_member(request)
    today = timezone.localdate()
    facilities = load_boards(
        Facility.objects.visible_to(request.user)
        .filter(active=True)
        .select_related("region", "organisation")
        .order_by("region__sort", localized("name"), "pk"),
        today,
    )
    waiting = _waiting(facilities)
    mine = access.victim_org_ids(request.user)
    regions = {}
    for f in facilities:
        f.waiting = len(waiting.get(f.pk, []))
        f.mine = f.organisation_id in mine
        region = regions.setdefault(f.region_id, {"region": f.region, "facilities": [], "free": 0})
        region["facilities"].append(f)
        region["free"] += f.free
    return render(
        request, "referrals/beds.html", {"regions": list(regions.values()), "today": today}
    )


def provider_detail(request, org_pk):
    require_member(request)
    # Organisations are not personal data: every member may read a provider's page.
    org = Organisation.objects.filter(active=True, pk=org_pk).first()
    if org is None:
        raise Http404
    provider = Provider.objects.filter(organisation=org).first()
    facilities = load_boards(
        ordered_by(
            Facility.objects.visible_to(request.user)
            .filter(organisation=org)
            .select_related("region")
        )
    )
    return render(
        request,
        "referrals/provider.html",
        {
            "org": org,
            "provider": provider,
            "facilities": facilities,
            "can_manage": org.pk in access.provider_admin_org_ids(request.user),
        },
    )


def provider_edit(request, org_pk):
    if int(org_pk) not in access.provider_admin_org_ids(request.user):
        raise Http404
    org = Organisation.objects.get(pk=org_pk)
    provider = Provider.objects.filter(organisation=org).first()
    initial = {"accepts": True}
    if provider:
        initial = {
            "services": provider.services,
            "groups": provider.groups,
            "regions": provider.regions.all(),
            "languages": provider.languages.all(),
            "contact": provider.contact,
            "accepts": provider.accepts_referrals,
            "version": provider.version,
        }
    form = forms.ProviderForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        _r, status = apply_action(
            form,
            actions.save_provider,
            org,
            acting_user=request.user,
            services=d["services"],
            groups=d["groups"],
            regions=d["regions"],
            languages=d["languages"],
            contact=d["contact"],
            accepts=d["accepts"],
            expected_version=d.get("version"),
        )
        if status == 200:
            messages.success(request, _("The provider profile was saved."))
            return redirect("referrals:provider", org.pk)
    return render(
        request,
        "referrals/form.html",
        {"form": form, "title": _("Services offered by %(org)s") % {"org": org}},
        status=400 if form.errors and status == 200 else status,
    )


def facility_create(request, org_pk):
    if int(org_pk) not in access.provider_admin_org_ids(request.user):
        raise Http404
    org = Organisation.objects.get(pk=org_pk)
    form = forms.FacilityForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        facility, status = apply_action(
            form, actions.create_facility, org, acting_user=request.user, **form.facility_fields()
        )
        if facility:
            messages.success(request, _("The facility was added."))
            return redirect("referrals:facility", facility.pk)
    return render(
        request,
        "referrals/form.html",
        {"form": form, "title": _("New facility of %(org)s") % {"org": org}},
        status=400 if form.errors and status == 200 else status,
    )


def facility_edit(request, pk):
    facility = get_visible_or_404(Facility.objects.all(), request.user, pk)
    if facility.organisation_id not in access.provider_admin_org_ids(request.user):
        raise Http404
    fields = [
        *(f"{trio}_{code}" for trio in ("name", "city") for code in LANGS),
        "region",
        *(f"beds_{g}" for g in ("women", "men", "children", "families")),
    ]
    initial = {f: getattr(facility, f) for f in fields} | {"version": facility.version}
    form = forms.FacilityForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        _r, status = apply_action(
            form,
            actions.update_facility,
            facility,
            acting_user=request.user,
            expected_version=form.cleaned_data.get("version"),
            **form.facility_fields(),
        )
        if status == 200:
            messages.success(request, _("The facility was saved."))
            return redirect("referrals:facility", facility.pk)
    return render(
        request,
        "referrals/form.html",
        {"form": form, "title": facility.name},
        status=400 if form.errors and status == 200 else status,
    )


def facility_detail(request, pk):
    require_member(request)
    facility = get_visible_or_404(
        Facility.objects.select_related("organisation", "region"), request.user, pk
    )
    facility.rows = facility.board()
    mine = facility.organisation_id in access.victim_org_ids(request.user)
    stays = waiting = []
    if mine:
        stays = (
            ShelterStay.objects.visible_to(request.user)
            .filter(facility=facility, discharged_on__isnull=True)
            .select_related("dossier")
        )
        waiting = _waiting([facility]).get(facility.pk, [])
    return render(
        request,
        "referrals/facility.html",
        {
            "facility": facility,
            "mine": mine,
            "stays": stays,
            "waiting": waiting,
            "can_manage": facility.organisation_id in access.provider_admin_org_ids(request.user),
        },
    )
