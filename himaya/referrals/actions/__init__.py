"""Every write of the referrals app: providers and facilities (``providers``), referrals with
the consent rule, S7 (``consent``, ``referrals``) and their access grants (S6), stays, sessions,
returns, plan goals and follow-ups (``services``), transfers (``transfers``) and support to NGOs
(``support``). Each validates, saves and writes an audit row; rules in core.access.

The writes that an import makes too are split (DESIGN.md convention 1): a ``check_may_*``
says who may (the pages' rule), a ``do_*`` validates and writes, dated by the event's day
(``on=``, None: now). The pages call both; the casework import (referrals/imports.py) calls its
own check, then the same ``do_*``: one rule per fact for a row and a form."""

from .consent import (  # noqa: F401
    CONSENT_FIELD,
    REFERRAL_CONSENT_PURPOSES,
    consent_status,
    current_consents,
)
from .providers import create_facility, save_provider, update_facility  # noqa: F401
from .referrals import (  # noqa: F401
    accept_referral,
    check_may_answer,
    check_may_complete,
    check_may_refer,
    check_may_revoke,
    complete_referral,
    do_accept_referral,
    do_complete_referral,
    do_reject_referral,
    do_revoke_referral,
    do_send_referral,
    reject_referral,
    revoke_referral,
    send_referral,
)
from .services import (  # noqa: F401
    add_goal,
    admit,
    check_may_admit,
    check_may_discharge,
    check_may_record_service,
    complete_followup,
    discharge,
    do_admit,
    do_discharge,
    do_record_return,
    do_record_session,
    record_return,
    record_session,
    schedule_followup,
    set_goal_status,
)
from .support import giver_choices, record_support  # noqa: F401
from .transfers import answer_transfer, propose_transfer, withdraw_transfer  # noqa: F401
