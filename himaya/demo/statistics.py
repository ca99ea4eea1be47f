"""The demo's statistics: last year's annual report frozen by the commission's analyst as the
official submission, so the report pages show a frozen version beside the live figures (and
what changed since, once the demo's records are edited)."""

from himaya.statistics import actions


def load(orgs, users, codes, anchor, rng):
    actions.freeze_report(
        anchor.year - 1,
        acting_user=users["analyst"],
        note="الإرسال الرسمي إلى اللجنة الوطنية (عرض توضيحي).",
    )
    return {"frozen_reports": 1}
