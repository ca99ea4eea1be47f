"""The prosecution actions' old address, kept for their callers (the register import, the demo,
tests across the apps): they live in the ``actions`` package, in ``actions.prosecutions``,
``actions.courts`` and ``actions.participations``."""

from .actions import (  # noqa: F401
    COURT_NAME_MAX,
    MAX_COUNT,
    MAX_MAD,
    MAX_MONTHS,
    add_charge,
    decide_appeal,
    record_appeal,
    record_decision,
    record_participation,
    record_sentence,
    refresh_status,
    set_court,
    start_prosecution,
    transfer_question,
)
