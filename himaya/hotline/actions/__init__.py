"""Every write about a hotline report: take a report, receive a web tip and what its reporter
adds later, edit before triage, triage (one action per outcome), pass on, add a note.

Each action is atomic, validates, saves and writes its audit row in the same transaction
(DESIGN.md convention 1). Audit rows carry field names, never the text itself.

The reports the hotline takes (``reports``), the public's web tips (``tips``), triage and the
review of held tips (``triage``); ``common`` holds the limits and checks they share."""

from .common import (  # noqa: F401
    ADDITION_MAX,
    CLOCK_SKEW,
    EDITABLE_FIELDS,
    MAX_PUBLIC_ADDITIONS,
    NOTE_MAX,
    TEXT_LIMITS,
    URGENT_LEVELS,
)
from .reports import add_note, record_report, share_report, update_report  # noqa: F401
from .tips import (  # noqa: F401
    RECEIPT_ALPHABET,
    RECEIPT_LENGTH,
    add_tip_information,
    find_tip,
    format_receipt,
    new_receipt_code,
    normalise_receipt,
    receipt_digest,
    submit_tip,
)
from .triage import (  # noqa: F401
    HELD_REVIEW_MAX,
    PERSON_FIELDS,
    TRIAGE_ACTIONS,
    accept_held_tips,
    dismiss_held_tips,
    triage,
    triage_information_only,
    triage_not_trafficking,
    triage_open_dossier,
    triage_pass_to_police,
    triage_refer_to_ngo,
    triage_spam,
)
