"""What courts decide, on the prosecution's page: decisions per charge, the sentence of a
conviction, appeals and their outcome. Each form says what must be recorded first when it
would offer an empty list."""

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.core import access
from himaya.core.shortcuts import parse_id

from .. import actions
from ..forms import AppealDecisionForm, AppealForm, DecisionForm, SentenceForm
from ..models import Appeal, AppealOutcome, CourtDecision, Outcome
from .prosecutions import needs_charge, on_prosecution, popped, the_prosecution


def _needs_decision(message):
    def needs(user, p):
        if CourtDecision.objects.filter(charge__prosecution=p).exists():
            return None
        first = needs_charge(user, p)
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
    return needs_charge(user, p) or {
        "message": _(
            "A sentence follows a conviction, and no charge of this prosecution has one yet: "
            "record the court's decision first."
        ),
        "link": reverse("justice:decision_add", args=[p.pk]),
        "link_label": _("Record a court decision"),
    }


def decision_add(request, pk):
    return on_prosecution(
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
        action=actions.record_decision,
        target=popped("charge"),
        needs=needs_charge,
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

    return on_prosecution(
        request,
        pk,
        q=access.prosecution_decide_q,
        form=form,
        action=actions.record_sentence,
        target=popped("decision"),
        needs=_needs_conviction,
        title=_("Record the sentence"),
        submit=_("Record the sentence"),
        done=_("The sentence was recorded."),
    )


def appeal_add(request, pk):
    return on_prosecution(
        request,
        pk,
        q=access.prosecution_decide_q,
        form=lambda r, p: AppealForm(r.POST or None),
        action=actions.record_appeal,
        target=the_prosecution,
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

    return on_prosecution(
        request,
        pk,
        q=access.prosecution_decide_q,
        form=lambda r, p: AppealDecisionForm(
            r.POST or None, initial={"decided_on": timezone.localdate()}
        ),
        action=actions.decide_appeal,
        target=target,
        title=_("Record the appeal's outcome"),
        submit=_("Record"),
        done=_("The appeal's outcome was recorded."),
    )
