"""What the dossier actions share: only the owning organisation changes a dossier."""

from django.core.exceptions import PermissionDenied

from ..models import Dossier


def require_writable(user, dossier):
    """PermissionDenied unless ``user`` may change ``dossier`` (a member of its owner)."""
    if not Dossier.objects.writable_by(user).filter(pk=dossier.pk).exists():
        raise PermissionDenied
