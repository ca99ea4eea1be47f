"""The linkage panel of the home page: for linkage officers, the pairs waiting on the desk;
for organisations holding records, the desk's unanswered questions and unseen links."""

from himaya.core import access

from .models import CandidatePair, Notice, PairStatus, Question


def home_context(user) -> dict:
    ctx = {}
    if access.is_linkage_officer(user):
        ctx["linkage_desk_open"] = CandidatePair.objects.filter(
            status__in=[PairStatus.OPEN, PairStatus.ASKED]
        ).count()
        ctx["linkage_panel"] = True
    orgs = access.victim_org_ids(user) | access.justice_org_ids(user)
    if orgs:
        questions = Question.objects.filter(organisation_id__in=orgs, answered_at__isnull=True)
        notices = Notice.objects.filter(organisation_id__in=orgs, seen_at__isnull=True)
        ctx["linkage_questions"] = questions.count()
        ctx["linkage_notices"] = notices.count()
        if ctx["linkage_questions"] or ctx["linkage_notices"]:
            ctx["linkage_panel"] = True
    return ctx
