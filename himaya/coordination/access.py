"""The coordination rules under their former name, for the actions still reading
``access.X``: they live in ``policies.py``."""

# ruff: noqa: F401 (re-exports)

from .policies import (
    acting_org_for_measure,
    can_close_action,
    can_record_trainings,
    can_write_measure,
    can_write_training,
    commission_org_ids,
    focal_org_ids,
    home_org_ids,
    is_commission,
    reads,
    recommendation_org_ids,
    training_org_ids,
)
