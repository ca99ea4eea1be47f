"""Pages of the referrals app: thin views (parse, fetch through visible_to → 404, call one
action, redirect)."""

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from himaya.accounts.models import Organisation
from himaya.audit import log
from himaya.audit.fetch import get_visible_or_404
from himaya.cases.models import Dossier
from himaya.core import access
from himaya.core.errors import Conflict
from himaya.core.pagination import first_rows
from himaya.core.shortcuts import add_action_errors, apply_action
from himaya.core.trilingual import LANGS, localized, ordered_by

from . import actions, beds, forms
from .models import (
    OPEN_STATUSES,
    DossierTransfer,
    Facility,
    FollowUp,
    NgoSupport,
    Provider,
    Referral,
    ReferralStatus,
    ReturnAssistance,
    Service,
    ServiceRecord,
    ShelterStay,
    SupportGoal,
    TransferStatus,
)


def _member(request):
    if not access.member_org_ids(request.user):
        raise Http404


def _victims(request):
    if not access.handles_victims(request.user):
        raise Http404


def _run(request, action, *args, ok=None, **kwargs):
    """Run an action from a button (no form): its refusal is a message, never a 500. The record
    was fetched through ``visible_to``, so a refusal may say who may act (issue 15)."""
    try:
        result = action(*args, **kwargs)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("Your role does not allow this."))
        return None
    except Conflict as exc:
        messages.error(request, str(exc))
        return None
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
        return None
    if ok:
        messages.success(request, ok)
    return result


# --- Directory and bed board ----------------------------------------------------------------


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
    _member(request)
    form = forms.DirectoryForm(request.GET or None)
    data = form.valid_data()
    providers = (
        Provider.objects.visible_to(request.user)
        .filter(accepts_referrals=True)
        .select_related("organisation", "organisation__type")
        .prefetch_related("regions", "languages")
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
    for f in ordered_by(
        Facility.objects.visible_to(request.user).filter(
            active=True, organisation__in=[p.organisation_id for p in rows]
        )
    ):
        f.free = f.free_beds()
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
    _member(request)
    today = timezone.localdate()
    facilities = list(
        Facility.objects.visible_to(request.user)
        .filter(active=True)
        .select_related("region", "organisation")
        .order_by("region__sort", localized("name"), "pk")
    )
    waiting = _waiting(facilities)
    mine = access.victim_org_ids(request.user)
    regions = {}
    for f in facilities:
        f.rows = f.board(today)
        f.free = sum(r[3] for r in f.rows)
        f.waiting = len(waiting.get(f.pk, []))
        f.mine = f.organisation_id in mine
        region = regions.setdefault(f.region_id, {"region": f.region, "facilities": [], "free": 0})
        region["facilities"].append(f)
        region["free"] += f.free
    return render(
        request, "referrals/beds.html", {"regions": list(regions.values()), "today": today}
    )


def provider_detail(request, org_pk):
    _member(request)
    # Organisations are not personal data: every member may read a provider's page.
    org = Organisation.objects.filter(active=True, pk=org_pk).first()
    if org is None:
        raise Http404
    provider = Provider.objects.filter(organisation=org).first()
    facilities = list(
        ordered_by(Facility.objects.visible_to(request.user).filter(organisation=org))
    )
    for f in facilities:
        f.rows = f.board()
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
            version=d.get("version"),
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
            version=form.cleaned_data.get("version"),
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
    _member(request)
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


# --- Referrals ------------------------------------------------------------------------------


def _dossier(request, pk, *, write=False):
    qs = Dossier.objects.select_related("owner_org", "person").defer(*Dossier.FREE_TEXT_FIELDS)
    if write:
        qs = qs.writable_by(request.user)
    return get_visible_or_404(qs, request.user, pk, audit_type="cases.dossier")


def refer(request, pk):
    dossier = _dossier(request, pk, write=True)
    providers = Organisation.objects.filter(
        active=True, provider__isnull=False, provider__accepts_referrals=True
    ).exclude(pk=dossier.owner_org_id)
    facilities = ordered_by(
        Facility.objects.filter(active=True, organisation__in=providers).select_related(
            "organisation"
        )
    )
    # Only the facilities with a bed that fits the person; the others are named with why.
    today = timezone.localdate()
    unfit = beds.not_offered(facilities, dossier.person, today)
    facilities = facilities.exclude(pk__in=[f.pk for f, _why in unfit])
    may_override = dossier.owner_org_id in access.override_org_ids(request.user)
    initial = {"service": request.GET.get("service"), "to_org": request.GET.get("to")}
    is_child, consents, missing = actions.consent_status(dossier)
    form = forms.ReferralForm(
        request.POST or None,
        initial=initial,
        providers=providers,
        facilities=facilities,
        may_override=may_override,
        ask_consent=bool(missing),
        is_child=is_child,
    )
    if not is_child:  # the guardian is asked for a child only
        del form.fields["guardian"]
    status = 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            referral = actions.send_referral(
                dossier,
                acting_user=request.user,
                to_org=d["to_org"],
                service=d["service"],
                reason=d["reason"],
                urgent=d["urgent"],
                facility=d.get("facility"),
                guardian=d.get("guardian", ""),
                override=d.get("override", False),
                override_reason=d.get("override_reason", ""),
                consent=form.consent() if missing else None,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
            status = 400
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("Your role does not allow this."))
            status = 403
        else:
            messages.success(request, _("The referral was sent."))
            return redirect("referrals:detail", referral.pk)
    log.read(request.user, dossier.person_id, dossier, "refer")
    return render(
        request,
        "referrals/refer.html",
        {
            "dossier": dossier,
            "form": form,
            "is_child": is_child,
            "consents": consents,
            "missing": [str(p.label) for p in missing],
            "may_override": may_override,
            "facilities_not_offered": unfit,
        },
        status=400 if form.errors and status == 200 else status,
    )


def inbox(request):
    _victims(request)
    orgs = access.victim_org_ids(request.user)
    base = (
        Referral.objects.visible_to(request.user)
        .select_related("dossier", "from_org", "to_org")
        .defer(*Referral.FREE_TEXT_FIELDS)
    )
    received = base.filter(to_org_id__in=orgs)
    owned = Dossier.objects.filter(owner_org_id__in=orgs).values("pk")  # not a join: an index
    sent = base.filter(Q(from_org_id__in=orgs) | Q(dossier_id__in=owned)).exclude(
        to_org_id__in=orgs
    )
    show = request.GET.get("show")
    if show != "all":
        received = received.filter(status__in=OPEN_STATUSES)
        sent = sent.filter(status__in=OPEN_STATUSES)
    transfers = (
        DossierTransfer.objects.visible_to(request.user)
        .filter(status=TransferStatus.PROPOSED)
        .select_related("dossier", "from_org", "to_org")
        .defer("reason")
    )
    return render(
        request,
        "referrals/inbox.html",
        {
            "received": first_rows(received, 200),
            "sent": first_rows(sent, 200),
            "show_all": show == "all",
            "transfers": transfers,
            "orgs": orgs,
        },
    )


def _referral(request, pk):
    return get_visible_or_404(
        Referral.objects.select_related("dossier", "from_org", "to_org", "facility").defer(
            *Referral.FREE_TEXT_FIELDS
        ),
        request.user,
        pk,
    )


def referral_detail(request, pk):
    referral = _referral(request, pk)
    user = request.user
    sees = access.sees_identity(user, referral.dossier)
    if sees:
        referral.refresh_from_db(fields=Referral.FREE_TEXT_FIELDS)
        log.read(user, referral.dossier.person_id, referral, "referral")
    receiver = access.referral_receiver(user, referral)
    sender = bool(access.referral_sender_org_ids(user, referral))
    facilities = ordered_by(Facility.objects.filter(organisation=referral.to_org, active=True))
    admit_form = None
    if (
        receiver
        and referral.status == ReferralStatus.ACCEPTED
        and referral.service == Service.SHELTER
        and not referral.stays.exists()
    ):
        admit_form = forms.AdmitForm(
            initial={"admitted_on": timezone.localdate()},
            facilities=facilities,
            person=referral.dossier.person,
            facility_id=referral.facility_id,
        )
    stays = (
        ShelterStay.objects.visible_to(user).filter(referral=referral).select_related("facility")
    )
    for s in stays:
        s.discharge_form = (
            forms.DischargeForm(
                initial={"version": s.version, "discharged_on": timezone.localdate()}
            )
            if receiver and not s.discharged_on
            else None
        )
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "sees_identity": sees,
            "can_answer": receiver and referral.status == ReferralStatus.IN_PROGRESS,
            "can_complete": (receiver or sender) and referral.status == ReferralStatus.ACCEPTED,
            "can_revoke": sender and referral.status in OPEN_STATUSES,
            "reject_form": forms.RejectForm(initial={"version": referral.version}),
            "admit_form": admit_form,
            "stays": stays,
            "receiver": receiver,
        },
    )


def _version(request):
    try:
        return int(request.POST.get("version"))
    except (TypeError, ValueError):
        return None


@require_POST
def referral_accept(request, pk):
    referral = _referral(request, pk)
    _run(
        request,
        actions.accept_referral,
        referral,
        acting_user=request.user,
        version=_version(request),
        ok=_("The referral was accepted."),
    )
    return redirect("referrals:detail", referral.pk)


@require_POST
def referral_reject(request, pk):
    referral = _referral(request, pk)
    form = forms.RejectForm(request.POST)
    if form.is_valid():
        _run(
            request,
            actions.reject_referral,
            referral,
            acting_user=request.user,
            version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            ok=_("The referral was rejected."),
        )
    else:
        messages.error(request, _("Give the reason for the rejection."))
    return redirect("referrals:detail", referral.pk)


@require_POST
def referral_done(request, pk):
    referral = _referral(request, pk)
    done = _run(
        request,
        actions.complete_referral,
        referral,
        acting_user=request.user,
        version=_version(request),
        ok=_("The referral is done."),
    )
    if done and not Referral.objects.visible_to(request.user).filter(pk=pk).exists():
        return redirect("referrals:inbox")
    return redirect("referrals:detail", referral.pk)


@require_POST
def referral_revoke(request, pk):
    referral = _referral(request, pk)
    _run(
        request,
        actions.revoke_referral,
        referral,
        acting_user=request.user,
        version=_version(request),
        ok=_("The referral was revoked."),
    )
    return redirect("referrals:detail", referral.pk)


@require_POST
def referral_admit(request, pk):
    referral = _referral(request, pk)
    if not access.referral_receiver(request.user, referral):
        raise Http404
    form = forms.AdmitForm(
        request.POST,
        facilities=ordered_by(Facility.objects.filter(organisation=referral.to_org, active=True)),
        person=referral.dossier.person,
    )
    if form.is_valid():
        _run(
            request,
            actions.admit,
            referral,
            acting_user=request.user,
            ok=_("The person was admitted."),
            **form.admit_fields(),
        )
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect("referrals:detail", referral.pk)


@require_POST
def stay_discharge(request, pk):
    stay = get_visible_or_404(ShelterStay.objects.select_related("facility"), request.user, pk)
    form = forms.DischargeForm(request.POST)
    if form.is_valid():
        _run(
            request,
            actions.discharge,
            stay,
            acting_user=request.user,
            version=form.cleaned_data["version"],
            discharged_on=form.cleaned_data["discharged_on"],
            reason=form.cleaned_data["discharge_reason"],
            ok=_("The person was discharged."),
        )
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    if stay.referral_id:
        return redirect("referrals:detail", stay.referral_id)
    return redirect("referrals:facility", stay.facility_id)


# --- Services delivered on a dossier ---------------------------------------------------------


def _identity_dossier(request, pk):
    dossier = _dossier(request, pk)
    if not access.sees_identity(request.user, dossier):
        raise Http404
    return dossier


def dossier_services(request, pk, *, forms_in=None, status=200):
    dossier = _identity_dossier(request, pk)
    user = request.user
    can_record = bool(access.service_org_ids_for(user, dossier))
    forms_in = forms_in or {}
    goals = list(SupportGoal.objects.visible_to(user).filter(dossier=dossier))
    writable = access.service_org_ids_for(user, dossier)
    for g in goals:
        g.status_form = (
            forms.GoalStatusForm(
                initial={"status": g.status, "version": g.version}, prefix=f"g{g.pk}"
            )
            if g.organisation_id in writable
            else None
        )
    followups = FollowUp.objects.visible_to(user).filter(dossier=dossier)
    log.read(user, dossier.person_id, dossier, "services")
    return render(
        request,
        "referrals/services.html",
        {
            "dossier": dossier,
            "can_record": can_record,
            "referrals": Referral.objects.visible_to(user)
            .filter(dossier=dossier)
            .select_related("to_org", "from_org")
            .defer(*Referral.FREE_TEXT_FIELDS),
            "stays": ShelterStay.objects.visible_to(user)
            .filter(dossier=dossier)
            .select_related("facility"),
            "sessions": ServiceRecord.objects.visible_to(user)
            .filter(dossier=dossier)
            .select_related("organisation", "given_by"),
            "returns": ReturnAssistance.objects.visible_to(user)
            .filter(dossier=dossier)
            .select_related("destination", "partner", "organisation"),
            "goals": goals,
            "followups": followups,
            "session_form": forms_in.get("session")
            or forms.SessionForm(initial={"on": timezone.localdate()}),
            "return_form": forms_in.get("return") or forms.ReturnForm(),
            "goal_form": forms_in.get("goal") or forms.GoalForm(),
            "followup_form": forms_in.get("followup") or forms.FollowUpForm(),
            "today": timezone.localdate(),
        },
        status=status,
    )


def _record(request, pk, form_class, key, action, message, **extra):
    dossier = _identity_dossier(request, pk)
    if request.method != "POST":
        return redirect("referrals:services", dossier.pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(dossier, acting_user=request.user, **form.cleaned_data, **extra)
        except PermissionDenied as exc:  # the dossier is visible: say who may
            form.add_error(None, str(exc))
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, message)
            return redirect("referrals:services", dossier.pk)
    return dossier_services(request, dossier.pk, forms_in={key: form}, status=400)


def session_add(request, pk):
    return _record(
        request, pk, forms.SessionForm, "session", actions.record_session, _("Session recorded.")
    )


def return_add(request, pk):
    return _record(
        request, pk, forms.ReturnForm, "return", actions.record_return, _("Return recorded.")
    )


def goal_add(request, pk):
    return _record(request, pk, forms.GoalForm, "goal", actions.add_goal, _("Goal added."))


def followup_add(request, pk):
    return _record(
        request,
        pk,
        forms.FollowUpForm,
        "followup",
        actions.schedule_followup,
        _("Follow-up scheduled."),
    )


@require_POST
def goal_status(request, pk):
    goal = get_visible_or_404(SupportGoal.objects.select_related("dossier"), request.user, pk)
    form = forms.GoalStatusForm(request.POST, prefix=f"g{goal.pk}")
    if form.is_valid():
        _run(
            request,
            actions.set_goal_status,
            goal,
            acting_user=request.user,
            status=form.cleaned_data["status"],
            version=form.cleaned_data["version"],
            ok=_("The goal was updated."),
        )
    return redirect("referrals:services", goal.dossier_id)


@require_POST
def followup_done(request, pk):
    followup = get_visible_or_404(FollowUp.objects.all(), request.user, pk)
    _run(
        request,
        actions.complete_followup,
        followup,
        acting_user=request.user,
        ok=_("The follow-up is done."),
    )
    if request.POST.get("next") == "home":
        return redirect("home")
    return redirect("referrals:services", followup.dossier_id)


# --- Transfers ----------------------------------------------------------------------------


def transfer_propose(request, pk):
    dossier = _dossier(request, pk, write=True)
    form = forms.TransferForm(
        request.POST or None,
        organisations=Organisation.objects.filter(active=True).exclude(pk=dossier.owner_org_id),
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        _r, status = apply_action(
            form,
            actions.propose_transfer,
            dossier,
            acting_user=request.user,
            **form.transfer_fields(),
        )
        if status == 200:
            messages.success(request, _("The transfer was proposed."))
            return redirect("cases:detail", dossier.pk)
    return render(
        request,
        "referrals/transfer.html",
        {"form": form, "dossier": dossier},
        status=400 if form.errors and status == 200 else status,
    )


@require_POST
def transfer_answer(request, pk):
    transfer = get_visible_or_404(DossierTransfer.objects.all(), request.user, pk)
    answer = request.POST.get("answer")
    if answer == "withdraw":
        _run(
            request,
            actions.withdraw_transfer,
            transfer,
            acting_user=request.user,
            ok=_("The transfer was withdrawn."),
        )
    elif answer in ("accept", "decline"):
        _run(
            request,
            actions.answer_transfer,
            transfer,
            acting_user=request.user,
            accept=answer == "accept",
            ok=_("The transfer was answered."),
        )
        if answer == "accept":
            return redirect("cases:detail", transfer.dossier_id)
    return redirect("referrals:inbox")


# --- Support to NGOs --------------------------------------------------------------------------


def support_list(request):
    _member(request)
    records = (
        NgoSupport.objects.visible_to(request.user)
        .select_related("giver", "receiver")
        .order_by("-on")
    )
    givers = actions.giver_choices(request.user, Organisation.objects.all())
    return render(
        request,
        "referrals/support.html",
        {"records": records[:300], "can_record": givers.exists()},
    )


def support_add(request):
    givers = actions.giver_choices(request.user, Organisation.objects.all())
    if not givers.exists():
        raise Http404
    form = forms.SupportForm(
        request.POST or None,
        initial={"on": timezone.localdate()},
        givers=givers,
        receivers=Organisation.objects.filter(active=True),
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        _r, status = apply_action(
            form, actions.record_support, acting_user=request.user, **form.cleaned_data
        )
        if status == 200:
            messages.success(request, _("The support was recorded."))
            return redirect("referrals:support")
    return render(
        request,
        "referrals/form.html",
        {"form": form, "title": _("Record support given to an NGO")},
        status=400 if form.errors and status == 200 else status,
    )
