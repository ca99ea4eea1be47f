"""Dossier pages, thin: parse, fetch through visible_to (404 otherwise), call one action,
respond. The dossier list, detail, creation, edit, stage, follow-up and notes (``dossiers``),
identification decisions (``decisions``), offences and their non-punishment alerts
(``nonpunishment``), the printed dossier (``printouts``); what they share (``common``)."""

from .common import get_dossier, sees_dossiers  # noqa: F401
from .decisions import decision_create  # noqa: F401
from .dossiers import (  # noqa: F401
    dossier_create,
    dossier_detail,
    dossier_edit,
    dossier_follow,
    dossier_list,
    dossier_stage,
    note_add,
)
from .nonpunishment import alert_list, alert_resolve, offence_create  # noqa: F401
from .printouts import dossier_pdf, page_printed  # noqa: F401
