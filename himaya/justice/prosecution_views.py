"""Prosecution pages: start a prosecution from an investigation, the prosecution's page, its
charges, decisions per charge, sentence, appeals and victims' participation; the stalled list
and the commission's list of proceedings involving officials (no identities)."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from himaya.audit.fetch import get_visible_or_404
from himaya.cases.models import Dossier
from himaya.core import access
from himaya.core.collation import sort_key
from himaya.core.shortcuts import apply_action, parse_id

from . import prosecution_actions as pa
from .forms import (
    AppealDecisionForm,
    AppealForm,
    ChargeForm,
    DecisionForm,
    ParticipationForm,
    ProsecutionForm,
    SentenceForm,
)
from .models import (
    Appeal,
    AppealOutcome,
    CourtDecision,
    Investigation,
    Outcome,
    Prosecution,
    Suspect,
)
from .views import (
    _may_write,
    form_page,
    get_investigation,
    log_suspects,
    needs_first,
    require_justice,
    suspect_first,
)


def get_prosecution(request, pk, q=None):
    qs = Prosecution.objects.select_related(
        "office", "court", "suspect", "suspect__official_body_type", "investigation"
    )
    if q is not None:
        qs = qs.filter(q)
    return get_visible_or_404(qs, request.user, pk, audit_type="justice.prosecution")


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
        p, status = apply_action(form, pa.start_prosecution, inv, suspect, acting_user=user, **data)
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
    for c in charges:
        c.decision_list = list(c.decisions.select_related("court").order_by("decided_on", "pk"))
        for d in c.decision_list:
            d.the_sentence = (
                getattr(d, "sentence", None) if d.outcome == Outcome.CONVICTED else None
            )
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


def _on_prosecution(request, pk, *, q, form, action, target, title, submit, done, needs=None):
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


def _itself(data, p):
    return p


def _pop(name):
    return lambda data, p: data.pop(name)


def _may(q, user, p):
    return Prosecution.objects.filter(q(user), pk=p.pk).exists()


def _needs_charge(user, p):
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


def _needs_decision(message):
    def needs(user, p):
        if CourtDecision.objects.filter(charge__prosecution=p).exists():
            return None
        first = _needs_charge(user, p)
        return first or {
            "message": message,
            "link": reverse("justice:decision_add", args=[p.pk]),
            "link_label": _("Record a court decision"),
        }

    return needs


def _needs_conviction(user, p):
    decisions = CourtDecision.objects.filter(charge__prosecution=p, outcome=Outcome.CONVICTED)
    if decisions.filter(sentence__isnull=True).exists():
        return None
    if decisions.exists():
        return {"message": _("Every conviction of this prosecution already has its sentence.")}
    return _needs_charge(user, p) or {
        "message": _(
            "A sentence follows a conviction, and no charge of this prosecution has one yet: "
            "record the court's decision first."
        ),
        "link": reverse("justice:decision_add", args=[p.pk]),
        "link_label": _("Record a court decision"),
    }


def _needs_linked_dossier(user, p):
    if (
        Dossier.objects.visible_to(user)
        .filter(investigation_links__investigation=p.investigation)
        .exists()
    ):
        return None
    may = _may_write(user, p.investigation)
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
    return _on_prosecution(
        request,
        pk,
        q=access.prosecution_write_q,
        form=lambda r, p: ChargeForm(r.POST or None),
        action=pa.add_charge,
        target=_itself,
        title=_("Add a charge"),
        submit=_("Add the charge"),
        done=_("The charge was added."),
    )


def decision_add(request, pk):
    return _on_prosecution(
        request,
        pk,
        q=access.prosecution_decide_q,
        form=lambda r, p: DecisionForm(
            r.POST or None,
            charges=p.charges.select_related("form").order_by("pk"),
            initial={"charge": parse_id(r.GET.get("charge"))}
            if parse_id(r.GET.get("charge"))
            else {},
        ),
        action=pa.record_decision,
        target=_pop("charge"),
        needs=_needs_charge,
        title=_("Record a court decision"),
        submit=_("Record the decision"),
        done=_("The decision was recorded."),
    )


def sentence_add(request, pk):
    def form(r, p):
        decisions = CourtDecision.objects.filter(
            charge__prosecution=p, outcome=Outcome.CONVICTED, sentence__isnull=True
        ).select_related("charge__form")
        return SentenceForm(r.POST or None, decisions=decisions)

    return _on_prosecution(
        request,
        pk,
        q=access.prosecution_decide_q,
        form=form,
        action=pa.record_sentence,
        target=_pop("decision"),
        needs=_needs_conviction,
        title=_("Record the sentence"),
        submit=_("Record the sentence"),
        done=_("The sentence was recorded."),
    )


def appeal_add(request, pk):
    return _on_prosecution(
        request,
        pk,
        q=access.prosecution_decide_q,
        form=lambda r, p: AppealForm(r.POST or None),
        action=pa.record_appeal,
        target=_itself,
        needs=_needs_decision(
            _("An appeal is against a court decision, and none is recorded yet: record it first.")
        ),
        title=_("Record an appeal"),
        submit=_("Record the appeal"),
        done=_("The appeal was recorded."),
    )


def appeal_decide(request, pk, appeal_pk):
    def target(data, p):
        appeal = Appeal.objects.filter(
            prosecution=p, pk=appeal_pk, outcome=AppealOutcome.PENDING
        ).first()
        if appeal is None:
            raise Http404
        return appeal

    return _on_prosecution(
        request,
        pk,
        q=access.prosecution_decide_q,
        form=lambda r, p: AppealDecisionForm(
            r.POST or None, initial={"decided_on": timezone.localdate()}
        ),
        action=pa.decide_appeal,
        target=target,
        title=_("Record the appeal's outcome"),
        submit=_("Record"),
        done=_("The appeal's outcome was recorded."),
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
        return pa.record_participation(p, dossier, acting_user=acting_user, **data)

    return _on_prosecution(
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


# --- Alerts -----------------------------------------------------------------------------------


def stalled_for(user, today=None):
    """The stalled proceedings the user sees: investigations and prosecutions, with ages."""
    inv = Investigation.objects.visible_to(user).select_related("investigating_org")
    pros = Prosecution.objects.visible_to(user).select_related("office", "investigation")
    rows = inv.stalled(today) + pros.stalled(today)
    return sorted(rows, key=lambda r: -r.idle_days)


@require_safe
def stalled_list(request):
    require_justice(request)
    return render(
        request,
        "justice/stalled.html",
        {"rows": stalled_for(request.user), "stalled_months": settings.HIMAYA_STALLED_MONTHS},
    )


def oversight_rows(today=None):
    """Investigations and prosecutions involving a public official or a person with immunity:
    status, the body an official belongs to, flags, and how long open. No name, no identity."""
    today = today or timezone.localdate()
    flagged = Suspect.objects.filter(public_official=True) | Suspect.objects.filter(
        diplomatic_immunity=True
    )
    flags = {
        s.pk: s
        for s in flagged.select_related("official_body_type").only(
            "pk", "public_official", "diplomatic_immunity", "official_body", "official_body_type"
        )
    }
    rows = []
    invs = (
        Investigation.objects.filter(suspect_links__suspect_id__in=flags)
        .distinct()
        .select_related("investigating_org", "region")
        .prefetch_related("suspect_links")
    )
    for inv in invs:
        ids = [link.suspect_id for link in inv.suspect_links.all() if link.suspect_id in flags]
        end = inv.status_on if inv.status_on and inv.status != "open" else today
        rows.append(
            {
                "kind": _("investigation"),
                "reference": inv.reference,
                "organisation": inv.investigating_org.name,
                "status": inv.get_status_display(),
                "began_on": inv.opened_on,
                "days": (end - inv.opened_on).days,
                "officials": sum(flags[i].public_official for i in ids),
                "immunity": sum(flags[i].diplomatic_immunity for i in ids),
                "bodies": sorted(
                    {flags[i].official_body_shown for i in ids} - {""},
                    key=lambda b: sort_key(b, get_language()),
                ),
                "idle_days": (today - inv.last_event_on).days,
            }
        )
    for p in Prosecution.objects.filter(suspect_id__in=flags).select_related(
        "office", "investigation"
    ):
        end = p.last_event_on if p.status == "decided" else today
        rows.append(
            {
                "kind": _("prosecution"),
                "reference": p.investigation.reference,
                "organisation": p.office.name,
                "status": p.get_status_display(),
                "began_on": p.started_on,
                "days": (end - p.started_on).days,
                "officials": int(flags[p.suspect_id].public_official),
                "immunity": int(flags[p.suspect_id].diplomatic_immunity),
                "bodies": [b for b in [flags[p.suspect_id].official_body_shown] if b],
                "idle_days": (today - p.last_event_on).days,
            }
        )
    return sorted(rows, key=lambda r: -r["days"])


@require_safe
def oversight(request):
    if not access.sees_justice_oversight(request.user):
        raise Http404
    return render(request, "justice/oversight.html", {"rows": oversight_rows()})


@require_safe
def figures_page(request):
    from .figures import BAND_LABELS, all_figures

    orgs = access.justice_figure_org_ids(request.user)
    if orgs is not None and not orgs:
        raise Http404
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    if not 2000 <= year <= timezone.localdate().year:
        year = timezone.localdate().year
    fig = all_figures(year, orgs)
    for band in fig["sentences"]["bands"]:
        band["label"] = BAND_LABELS[band["band"]]
    return render(
        request,
        "justice/figures.html",
        {
            "year": year,
            "fig": fig,
            "previous": year - 1,
            "oversight": access.sees_justice_oversight(request.user),
        },
    )
