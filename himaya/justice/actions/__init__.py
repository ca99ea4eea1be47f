"""Every write in the justice chain: investigations and their links to dossiers and hotline
reports (``investigations``), suspects and their arrest, detention and release (``suspects``),
prosecutions, charges and appeals (``prosecutions``), the court seized, decisions per charge and
sentences (``courts``), victims' parts (``participations``); the checks they share (``common``).

Every action takes plain keyword arguments (the import in himaya/exchange calls them row by
row), validates its input itself and raises ``ValidationError`` keyed by field name, runs in a
transaction and writes its audit row. ``external_ref`` is the record's number in a register it
was imported from: unique per organisation, so that a re-import finds the record again. A page
or the API runs an action whose dates take ``warn`` (adding a suspect, an arrest, starting a
prosecution, moving an opening) through ``order_confirmed``: the order of dates an import
lists as a warning for the clerk is asked of the user, then recorded. A decision's transfer of
jurisdiction is asked through its own ``confirm_transfer``."""

from .common import (  # noqa: F401
    CONFIRM_ORDER,
    MAX_MAD,
    ORDER_WARNED,
    check_amount,
    check_code,
    check_date,
    check_external_ref,
    check_text,
    order_confirmed,
    touch,
)
from .courts import (  # noqa: F401
    COURT_NAME_MAX,
    MAX_MONTHS,
    TRANSFER_ASKED,
    record_decision,
    record_sentence,
    set_court,
    transfer_question,
)
from .investigations import (  # noqa: F401
    GRANT_REASON,
    close_investigation,
    link_dossier,
    link_report,
    lock_writable,
    open_investigation,
    return_investigation,
    returnable,
    transfer_investigation,
    unlink_dossier,
    update_investigation,
)
from .participations import record_participation  # noqa: F401
from .prosecutions import (  # noqa: F401
    MAX_COUNT,
    add_charge,
    decide_appeal,
    lock_prosecution,
    record_appeal,
    refresh_status,
    start_prosecution,
)
from .suspects import (  # noqa: F401
    NAME_MAX,
    PLACE_MAX,
    SUSPECT_FIELDS,
    add_suspect,
    official_body_kind,
    record_suspect_event,
    update_suspect,
)
