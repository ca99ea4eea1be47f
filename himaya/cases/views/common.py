"""What the dossier pages share: who sees dossiers at all, and the dossier of a page, fetched
through visible_to (404 otherwise, the refused attempt audited)."""

from django.http import Http404

from himaya.audit.fetch import get_visible_or_404
from himaya.core import access

from ..models import Dossier


def sees_dossiers(request):
    user = request.user
    if not access.handles_victims(user) and not access.analyst_org_ids(user):
        raise Http404


def get_dossier(request, pk, *, write=False, identity=False):
    # The person is loaded apart, so that a reader without the identity never decrypts it.
    qs = Dossier.objects.select_related(
        "owner_org",
        "caseworker",
        "recruitment_country",
        "recruitment_region",
        "exploitation_country",
        "exploitation_region",
    )
    if write:  # only the owning organisation changes a dossier; a grant lets a partner read
        qs = qs.writable_by(request.user)
    elif identity:  # notes: the owner, or a partner whose grant includes the identity
        qs = qs.with_identity_for(request.user)
    qs = qs.defer(*Dossier.FREE_TEXT_FIELDS)
    return get_visible_or_404(qs, request.user, pk, audit_type="cases.dossier")
