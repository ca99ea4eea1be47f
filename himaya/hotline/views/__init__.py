"""Hotline pages: the triage queue, the held tips' review, taking a report, a report with its
triage, notes and what was passed on, editing before triage, the figures (``reports``, for
hotline staff); the public tip form and its follow-up, without an account (``public``)."""

from .public import tip_follow_up, tip_report  # noqa: F401
from .reports import (  # noqa: F401
    held_review,
    note_add,
    report_create,
    report_detail,
    report_edit,
    report_figures,
    report_list,
    report_share,
    report_triage,
)
