"""Forms about hotline reports and the public tip form. They parse what a user typed; the
writes are actions.

The operator's forms about a report (``reports``), triage (``triage``), the public's forms
(``public``); ``common`` holds the widgets and fields they share."""

from .common import (  # noqa: F401
    DATE_WIDGET,
    DATETIME_WIDGET,
    FormsField,
    form_codes,
    share_organisations,
    style,
    text_field,
)
from .public import (  # noqa: F401
    DANGER_CHOICES,
    DANGER_URGENCY,
    FollowUpForm,
    HoneypotMixin,
    TipForm,
)
from .reports import (  # noqa: F401
    FiguresForm,
    HeldReviewForm,
    NoteForm,
    ReportEditForm,
    ReportFilterForm,
    ReportForm,
    ShareForm,
)
from .triage import (  # noqa: F401
    CLOSING_OUTCOMES,
    KIND_OUTCOME,
    TRIAGE_FORMS,
    CloseTriageForm,
    DossierTriageForm,
    NgoTriageForm,
    PoliceTriageForm,
    ShareTriageForm,
    TriageBase,
)
