"""Account pages: login with a password and a second factor, enrolment, activation, logout,
the security page and the language (``signin``); the organisation and account management of
system administrators and organisation admins (``manage``, under /organisations/)."""

from .manage import (  # noqa: F401
    member_add,
    member_edit,
    member_remove,
    org_create,
    org_detail,
    org_edit,
    org_list,
    user_deactivate,
    user_detail,
    user_edit,
    user_reset_2fa,
    user_reset_password,
    user_send_activation,
    user_unlock,
)
from .signin import (  # noqa: F401
    activate_view,
    enrol_view,
    locked_out,
    login_view,
    logout_everywhere_view,
    logout_view,
    recovery_codes_view,
    security_view,
    set_language_view,
    verify_view,
)
