"""Every write of the referrals app: providers and facilities (``providers``), referrals with
the consent rule, S7 (``consent``, ``referrals``) and their access grants (S6), stays, sessions,
returns, plan goals and follow-ups (``services``), transfers (``transfers``) and support to NGOs
(``support``). Each validates, saves and writes an audit row; rules in core.access."""

from .consent import (  # noqa: F401
    CONSENT_FIELD,
    REFERRAL_CONSENT_PURPOSES,
    consent_status,
    current_consents,
)
from .providers import create_facility, save_provider, update_facility  # noqa: F401
from .referrals import (  # noqa: F401
    accept_referral,
    complete_referral,
    reject_referral,
    revoke_referral,
    send_referral,
)
from .services import (  # noqa: F401
    add_goal,
    admit,
    complete_followup,
    discharge,
    record_return,
    record_session,
    schedule_followup,
    set_goal_status,
)
from .support import giver_choices, record_support  # noqa: F401
from .transfers import answer_transfer, propose_transfer, withdraw_transfer  # noqa: F401
