"""What the referrals pages share: who may open them, and fetching a dossier or a referral
through ``visible_to`` (a forbidden record is a 404)."""

from django.http import Http404

from himaya.audit.fetch import get_visible_or_404
from himaya.cases.models import Dossier
from himaya.core import access

from ..models import Referral


def require_member(request):
    if not access.member_org_ids(request.user):
        raise Http404


def require_victims(request):
    if not access.handles_victims(request.user):
        raise Http404


def get_dossier(request, pk, *, write=False):
    qs = Dossier.objects.select_related("owner_org", "person").defer(*Dossier.FREE_TEXT_FIELDS)
    if write:
        qs = qs.writable_by(request.user)
    return get_visible_or_404(qs, request.user, pk, audit_type="cases.dossier")


def get_referral(request, pk):
    return get_visible_or_404(
        Referral.objects.select_related("dossier", "from_org", "to_org", "facility").defer(
            *Referral.FREE_TEXT_FIELDS
        ),
        request.user,
        pk,
    )


def posted_version(request):
    try:
        return int(request.POST.get("version"))
    except (TypeError, ValueError):
        return None
