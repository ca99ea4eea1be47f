"""What the referrals pages share: who may open them, and fetching a dossier or a referral
through ``visible_to`` (a forbidden record is a 404)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from himaya.audit.fetch import get_visible_or_404
from himaya.cases.models import Dossier
from himaya.core import access
from himaya.core.shortcuts import apply_action

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


def act_on_form(form, action, *args, **kwargs):
    """Run ``action`` for a valid form posted from a detail page; its status: 200, or 400/409
    with the refusal on the form (who may act, when the role does not), so that the page is
    shown again with what was typed."""
    try:
        return apply_action(form, action, *args, **kwargs)[1]
    except PermissionDenied as exc:
        form.add_error(None, str(exc) or _("Your role does not allow this."))
        return 400
