from django.utils.translation import gettext_lazy as _


class Conflict(Exception):
    """Someone else saved the record since it was loaded (R1)."""

    def __init__(self, message=None):
        super().__init__(
            message
            or _(
                "This record was changed by someone else since you opened it. "
                "Reload it, then apply your changes again."
            )
        )
