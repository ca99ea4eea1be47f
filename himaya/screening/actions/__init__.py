"""Every write about screenings, campaigns and questionnaire versions (DESIGN.md convention 1):
atomic, validated, audited. A submitted screening is never changed; a correction is a new
screening that references it.

A screening from draft to submission (``screenings``), its dossier (``dossiers``), proactive
campaigns (``campaigns``), questionnaire versions (``questionnaires``)."""

from .campaigns import (  # noqa: F401
    CAMPAIGN_FIELDS,
    CAMPAIGN_YEARS,
    create_campaign,
    update_campaign,
)
from .dossiers import link_dossier, open_dossier_from_screening  # noqa: F401
from .questionnaires import (  # noqa: F401
    QUESTION_FIELDS,
    QUESTIONNAIRE_FIELDS,
    delete_question,
    discard_version,
    new_version,
    publish,
    save_question,
    update_questionnaire,
)
from .screenings import (  # noqa: F401
    ALIAS_MAX,
    DETAIL_FIELDS,
    NOTES_MAX,
    PLACE_MAX,
    discard_screening,
    evaluate,
    indicators_of,
    save_answers,
    start_correction,
    start_screening,
    submit_screening,
    update_details,
)
