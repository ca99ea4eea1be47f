"""Prosecution pages: start a prosecution from an investigation, the prosecution's page, and
the forms on a prosecution (``on_prosecution``): its charges and victims' participation here,
court decisions, sentences and appeals in ``decisions``."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from himaya.cases.models import Dossier
from himaya.core import access
from himaya.core.shortcuts import apply_action

from .. import actions
from ..forms import ChargeForm, ParticipationForm, ProsecutionForm
from ..models import CourtDecision, Outcome, Prosecution, Suspect
from .common import (
    form_page,
    get_investigation,
    get_prosecution,
    log_suspects,
    may_write,
    needs_first,
    require_justice,
    suspect_first,
)


def prosecution_create(request, pk):
    user = request.user
    org_ids = access.prosecuting_org_ids(user)
    if not org_ids:
        raise Http404
    inv = get_investigation(request, pk)
    suspects = (
        Suspect.objects.filter(links__investigation=inv)
        .exclude(prosecutions__investigation=inv)
        .order_by("pk")
    )
    title = _("Start a prosecution in %(ref)s") % {"ref": inv.reference}
    if not suspects.exists():
        if inv.suspect_links.exists():
            return needs_first(
                request,
                title=title,
                message=_("Every suspect of this investigation is already prosecuted."),
                back=reverse("justice:detail", args=[inv.pk]),
                back_label=_("Back to the investigation"),
            )
        return suspect_first(
            request,
            inv,
            title=title,
            message=_(
                "A prosecution is of a suspect of the investigation, and it has none yet: the "
                "investigating organisation adds the suspects first."
            ),
        )
    form = ProsecutionForm(request.POST or None, suspects=suspects, org_ids=org_ids)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        suspect = data.pop("suspect")
        p, status = apply_action(
            form,
            actions.order_confirmed,
            actions.start_prosecution,
            inv,
            suspect,
            acting_user=user,
            **data,
        )
        if status == 200:
            messages.success(request, _("The prosecution was started; add its charges."))
            return redirect("justice:prosecution", p.pk)
    log_suspects(user, suspects, "prosecution form")
    return form_page(
        request,
        form,
        title=title,
        back=reverse("justice:detail", args=[inv.pk]),
        submit=_("Start the prosecution"),
        status=status,
    )


@require_safe
def prosecution_detail(request, pk):
    require_justice(request)
    user = request.user
    p = get_prosecution(request, pk)
    charges = list(p.charges.select_related("form", "form__parent").order_by("pk"))
    decisions = CourtDecision.objects.filter(charge__in=charges).select_related("court", "sentence")
    by_charge = {}
    for d in decisions.order_by("decided_on", "pk"):
        d.the_sentence = getattr(d, "sentence", None) if d.outcome == Outcome.CONVICTED else None
        by_charge.setdefault(d.charge_id, []).append(d)
    for c in charges:
        c.decision_list = by_charge.get(c.pk, [])
    log_suspects(user, [p.suspect], "prosecution")
    dossiers = set(
        Dossier.objects.visible_to(user)
        .values_list("pk", flat=True)
        .filter(pk__in=p.participations.values("dossier_id"))
    )
    participations = list(p.participations.select_related("dossier"))
    for part in participations:
        part.visible = part.dossier_id in dossiers
    return render(
        request,
        "justice/prosecution.html",
        {
            "p": p,
            "charges": charges,
            "appeals": p.appeals.order_by("lodged_on", "pk"),
            "transfers": p.court_transfers.select_related("from_court", "to_court"),
            "participations": participations,
            "can_write": Prosecution.objects.filter(
                access.prosecution_write_q(user), pk=p.pk
            ).exists(),
            "can_decide": Prosecution.objects.filter(
                access.prosecution_decide_q(user), pk=p.pk
            ).exists(),
        },
    )


def on_prosecution(request, pk, *, q, form, action, target, title, submit, done, needs=None):
    """A form on a prosecution: ``target(data, p)`` names the record the action works on;
    ``needs(user, p)``, when given, says what must be recorded before the form makes sense
    (the keywords of ``needs_first``), or None."""
    user = request.user
    p = get_prosecution(request, pk, q(user))
    first = needs(user, p) if needs else None
    if first:
        back = reverse("justice:prosecution", args=[p.pk])
        return needs_first(
            request,
            title=title,
            back=back,
            back_label=_("Back to the prosecution"),
            extra={"prosecution": p},
            **first,
        )
    the_form = form(request, p)
    status = 200
    if request.method == "POST" and the_form.is_valid():
        data = dict(the_form.cleaned_data)
        obj = target(data, p)
        # A charge's field is named "form", like apply_action's first parameter.
        _r, status = apply_action(the_form, lambda: action(obj, acting_user=user, **data))
        if status == 200:
            messages.success(request, done)
            return redirect("justice:prosecution", p.pk)
    return form_page(
        request,
        the_form,
        title=title,
        back=reverse("justice:prosecution", args=[p.pk]),
        submit=submit,
        status=status,
        extra={"prosecution": p},
    )


def the_prosecution(data, p):
    return p


def popped(name):
    return lambda data, p: data.pop(name)


def _may(q, user, p):
    return Prosecution.objects.filter(q(user), pk=p.pk).exists()


def needs_charge(user, p):
    if p.charges.exists():
        return None
    may = _may(access.prosecution_write_q, user, p)
    return {
        "message": _(
            "A court decision is recorded on a charge, and this prosecution has none yet: "
            "add its charges first."
        )
        if may
        else _(
            "A court decision is recorded on a charge, and this prosecution has none yet: the "
            "prosecution office adds its charges first."
        ),
        "link": reverse("justice:charge_add", args=[p.pk]) if may else "",
        "link_label": _("Add a charge"),
    }


def _needs_linked_dossier(user, p):
    if (
        Dossier.objects.visible_to(user)
        .filter(investigation_links__investigation=p.investigation)
        .exists()
    ):
        return None
    may = may_write(user, p.investigation)
    return {
        "message": _(
            "A victim's part is recorded for a victim's dossier linked to the investigation "
            "%(ref)s, and none that you see is linked yet: link the dossier first."
        )
        % {"ref": p.investigation.reference},
        "link": reverse("justice:link_dossier", args=[p.investigation_id]) if may else "",
        "link_label": _("Link a dossier"),
    }


def charge_add(request, pk):
    return on_prosecution(
        request,
        pk,
        q=access.prosecution_write_q,
        form=lambda r, p: ChargeForm(r.POST or None),
        action=actions.add_charge,
        target=the_prosecution,
        title=_("Add a charge"),
        submit=_("Add the charge"),
        done=_("The charge was added."),
    )


def participation_add(request, pk):
    def form(r, p):
        dossiers = Dossier.objects.visible_to(r.user).filter(
            investigation_links__investigation=p.investigation
        )
        return ParticipationForm(r.POST or None, dossiers=dossiers)

    def target(data, p):
        return p

    def action(p, *, acting_user, dossier, **data):
        return actions.record_participation(p, dossier, acting_user=acting_user, **data)

    return on_prosecution(
        request,
        pk,
        q=access.prosecution_write_q,
        form=form,
        action=action,
        target=target,
        needs=_needs_linked_dossier,
        title=_("A victim's part in the prosecution"),
        submit=_("Record"),
        done=_("The victim's participation was recorded."),
    )
