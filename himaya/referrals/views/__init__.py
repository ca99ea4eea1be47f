"""Pages of the referrals app: thin views (parse, fetch through visible_to → 404, call one
action, redirect). The directory, the bed board and the providers' facilities (``directory``),
referrals (``referrals``), services delivered on a dossier with shelter stays (``services``),
transfers (``transfers``) and support to NGOs (``support``)."""

from .directory import (  # noqa: F401
    bed_board,
    directory,
    facility_create,
    facility_detail,
    facility_edit,
    provider_detail,
    provider_edit,
)
from .referrals import (  # noqa: F401
    inbox,
    refer,
    referral_accept,
    referral_detail,
    referral_done,
    referral_reject,
    referral_revoke,
)
from .services import (  # noqa: F401
    dossier_services,
    followup_add,
    followup_done,
    goal_add,
    goal_status,
    referral_admit,
    return_add,
    session_add,
    stay_discharge,
)
from .support import support_add, support_list  # noqa: F401
from .transfers import transfer_answer, transfer_propose  # noqa: F401
