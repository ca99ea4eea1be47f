"""Every write of the coordination app, one ``do_*`` function each (DESIGN.md convention 1):
the plan (``plan``), the recommendations (``recommendations``), trainings and meetings
(``work``). Pages, the API and the demo loader call the same functions."""

from .plan import (  # noqa: F401
    do_add_axis,
    do_add_indicator,
    do_add_measure,
    do_add_objective,
    do_add_progress_note,
    do_attach_evidence,
    do_create_plan,
    do_set_indicator_year,
    do_set_measure_status,
    do_update_measure,
    figure_catalogue,
)
from .recommendations import (  # noqa: F401
    do_add_recommendation,
    do_record_progress,
    do_update_recommendation,
)
from .structure import (  # noqa: F401
    do_update_axis,
    do_update_indicator,
    do_update_objective,
    do_update_plan,
)
from .work import (  # noqa: F401
    do_add_decision,
    do_assign_action,
    do_close_action,
    do_record_meeting,
    do_record_training,
    do_update_meeting,
    do_update_training,
)
