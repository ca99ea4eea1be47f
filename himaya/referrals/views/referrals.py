"""Referring a dossier, the referrals inbox, a referral's page and its answers (accept,
reject, done, revoke)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from himaya.accounts.models import Organisation
from himaya.audit import log
from himaya.cases.models import Dossier
from himaya.core import access
from himaya.core.pagination import first_rows
from himaya.core.shortcuts import act_on_form, apply_action, run_action
from himaya.core.trilingual import ordered_by

from .. import actions, beds, forms
from ..models import (
    OPEN_STATUSES,
    DossierTransfer,
    Facility,
    Referral,
    ReferralStatus,
    Service,
    ShelterStay,
    TransferStatus,
)
from .common import get_dossier, get_referral, posted_version, require_victims


def _referral_form(request, dossier, *, is_child, missing, may_override):
    """The referral form: providers other than the dossier's owner, and only the facilities
    with a bed that fits the person (the others returned, each with why, to be named)."""
    providers = Organisation.objects.filter(
        active=True, provider__isnull=False, provider__accepts_referrals=True
    ).exclude(pk=dossier.owner_org_id)
    facilities = ordered_by(
        Facility.objects.filter(active=True, organisation__in=providers).select_related(
            "organisation"
        )
    )
    unfit = beds.not_offered(facilities, dossier.person, timezone.localdate())
    form = forms.ReferralForm(
        request.POST or None,
        initial={"service": request.GET.get("service"), "to_org": request.GET.get("to")},
        providers=providers,
        facilities=facilities.exclude(pk__in=[f.pk for f, _why in unfit]),
        may_override=may_override,
        ask_consent=bool(missing),
        is_child=is_child,
    )
    if not is_child:  # the guardian is asked for a child only
        del form.fields["guardian"]
    return form, unfit


def _send(request, dossier, form, *, missing):
    """Send the referral the form describes: ``(referral, 200)``, or None with the refusal on
    the form and its status (400, 403)."""
    d = form.cleaned_data
    try:
        return apply_action(
            form,
            actions.send_referral,
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
    except PermissionDenied as exc:
        form.add_error(None, str(exc) or _("Your role does not allow this."))
        return None, 403


def refer(request, pk):
    dossier = get_dossier(request, pk, write=True)
    may_override = dossier.owner_org_id in access.override_org_ids(request.user)
    is_child, consents, missing = actions.consent_status(dossier)
    form, unfit = _referral_form(
        request, dossier, is_child=is_child, missing=missing, may_override=may_override
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        referral, status = _send(request, dossier, form, missing=missing)
        if referral:
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
    require_victims(request)
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


def referral_detail(request, pk):
    return show_referral(request, get_referral(request, pk))


def show_referral(request, referral, *, posted=None, status=200):
    """The referral's page. ``posted``: a form sent from it and refused ("reject", "admit", or
    a stay's pk for its discharge), shown again as typed, its errors beside its fields."""
    posted = posted or {}
    user = request.user
    sees = access.sees_identity(user, referral.dossier)
    if sees:
        referral.refresh_from_db(fields=Referral.FREE_TEXT_FIELDS)
        log.read(user, referral.dossier.person_id, referral, "referral")
    receiver = access.referral_receiver(user, referral)
    sender = bool(access.referral_sender_org_ids(user, referral))
    stays = (
        ShelterStay.objects.visible_to(user).filter(referral=referral).select_related("facility")
    )
    for s in stays:
        s.discharge_form = posted.get(s.pk) or (
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
            "reject_form": posted.get("reject")
            or forms.RejectForm(initial={"version": referral.version}),
            "admit_form": posted.get("admit") or _admit_form(referral, receiver),
            "stays": stays,
            "receiver": receiver,
        },
        status=status,
    )


def _admit_form(referral, receiver):
    """The admission form, for the receiver of an accepted shelter referral not yet admitted."""
    if not (
        receiver
        and referral.status == ReferralStatus.ACCEPTED
        and referral.service == Service.SHELTER
        and not referral.stays.exists()
    ):
        return None
    return forms.AdmitForm(
        initial={"admitted_on": timezone.localdate()},
        facilities=ordered_by(Facility.objects.filter(organisation=referral.to_org, active=True)),
        person=referral.dossier.person,
        facility_id=referral.facility_id,
    )


@require_POST
def referral_accept(request, pk):
    referral = get_referral(request, pk)
    run_action(
        request,
        actions.accept_referral,
        referral,
        acting_user=request.user,
        expected_version=posted_version(request),
        ok=_("The referral was accepted."),
    )
    return redirect("referrals:detail", referral.pk)


@require_POST
def referral_reject(request, pk):
    referral = get_referral(request, pk)
    form = forms.RejectForm(request.POST)
    status = 400
    if form.is_valid():
        status = act_on_form(
            form,
            actions.reject_referral,
            referral,
            acting_user=request.user,
            expected_version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        )
        if status == 200:
            messages.success(request, _("The referral was rejected."))
            return redirect("referrals:detail", referral.pk)
    return show_referral(request, referral, posted={"reject": form}, status=status)


@require_POST
def referral_done(request, pk):
    referral = get_referral(request, pk)
    done = run_action(
        request,
        actions.complete_referral,
        referral,
        acting_user=request.user,
        expected_version=posted_version(request),
        ok=_("The referral is done."),
    )
    if done and not Referral.objects.visible_to(request.user).filter(pk=pk).exists():
        return redirect("referrals:inbox")
    return redirect("referrals:detail", referral.pk)


@require_POST
def referral_revoke(request, pk):
    referral = get_referral(request, pk)
    run_action(
        request,
        actions.revoke_referral,
        referral,
        acting_user=request.user,
        expected_version=posted_version(request),
        ok=_("The referral was revoked."),
    )
    return redirect("referrals:detail", referral.pk)
