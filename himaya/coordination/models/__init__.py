"""The coordination app's records: the plan and the recommendations (``plan``), trainings and
the commission's meetings (``work``). None holds a victim's identity."""

from .plan import (  # noqa: F401
    CLOSED_STATUSES,
    Axis,
    Evidence,
    Indicator,
    IndicatorYear,
    Measure,
    MeasureStatus,
    NoteKind,
    Objective,
    Plan,
    ProgressNote,
    Recommendation,
    RecommendationProgress,
    RecommendationSource,
    RecommendationStatus,
    StatusChange,
)
from .work import (  # noqa: F401
    Decision,
    FollowUpAction,
    Meeting,
    MeetingAttendance,
    Training,
    TrainingAudience,
    TrainingTopic,
)
