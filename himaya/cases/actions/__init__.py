"""Every write about a dossier: open it, edit it and add notes (``dossiers``), move its stage
(``stages``), share it with another organisation and end the share (``grants``), record an
identification decision (``decisions``), record an offence charged against a victim and answer
its non-punishment alert (``nonpunishment``); the owner's check they share (``common``).

Each action validates, saves and writes its audit row in one transaction; who may is decided by
core.access. The writes an import makes too are split (DESIGN.md convention 1): a ``check_*``
says who may on a page, a ``do_*`` validates and writes, dated by the event's day (``on=``);
pages call both, the casework import its own check then the same ``do_*``. Names whose meaning
needs their module (``decisions.refusal``, ``nonpunishment.GRANT_REASON``) are imported from
it."""

from .decisions import (  # noqa: F401
    REASONS_MAX,
    check_deciding_body,
    check_may_decide,
    deciding_rule,
    do_record_decision,
    latest_decision,
    record_decision,
    stage_after,
)
from .dossiers import (  # noqa: F401
    CODE_SETS,
    EDITABLE_FIELDS,
    add_note,
    check_may_open_dossier,
    code_list_of,
    do_open_dossier,
    open_dossier,
    update_dossier,
)
from .grants import create_grant, end_grant, grant_access, revoke_access  # noqa: F401
from .nonpunishment import (  # noqa: F401
    AUTHORITY_MAX,
    CHARGING_ORG_TYPES,
    DETAIL_MAX,
    record_offence,
    resolve_alert,
)
from .stages import allowed_moves, change_stage, record_stage_event  # noqa: F401
