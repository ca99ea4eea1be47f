"""Justice pages, thin: parse, fetch through visible_to (404 otherwise), call one action,
respond. Investigations and their links (``investigations``), suspects and their events
(``suspects``), prosecutions, charges and victims' parts (``prosecutions``), court decisions,
sentences and appeals (``decisions``), the stalled, oversight and figures pages
(``oversight``); what they share (``common``)."""

from .common import (  # noqa: F401
    form_page,
    get_investigation,
    get_prosecution,
    log_suspects,
    may_write,
    needs_first,
    require_justice,
    suspect_first,
)
from .decisions import appeal_add, appeal_decide, decision_add, sentence_add  # noqa: F401
from .investigations import (  # noqa: F401
    dossier_link,
    investigation_close,
    investigation_create,
    investigation_detail,
    investigation_edit,
    investigation_list,
    investigation_return,
    investigation_transfer,
    link_refusal,
    report_link,
)
from .oversight import figures_page, oversight, stalled_list  # noqa: F401
from .prosecutions import (  # noqa: F401
    charge_add,
    participation_add,
    prosecution_create,
    prosecution_detail,
)
from .suspects import event_add, suspect_add, suspect_edit  # noqa: F401
