"""Screening pages, thin: the interview step by step, its review, submission, correction and
the dossier it opens or joins (``screenings``); campaigns and the figures page
(``campaigns``); the questionnaires' versions and their questions (``questionnaires``)."""

from .campaigns import (  # noqa: F401
    campaign_create,
    campaign_detail,
    campaign_edit,
    campaign_list,
    figures_page,
)
from .questionnaires import (  # noqa: F401
    question_delete,
    question_edit,
    questionnaire_detail,
    questionnaire_discard,
    questionnaire_edit,
    questionnaire_list,
    questionnaire_new_version,
    questionnaire_publish,
)
from .screenings import (  # noqa: F401
    link_dossier,
    link_to_dossier,
    open_dossier,
    screening_correct,
    screening_create,
    screening_detail,
    screening_details,
    screening_discard,
    screening_list,
    screening_review,
    screening_step,
    screening_submit,
)
