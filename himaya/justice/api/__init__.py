"""Justice records through the API: investigations, suspects, prosecutions, charges and court
decisions, each scoped by core.access ("Justice"): only members of the justice organisations of
a case get anything; NGOs, shelters and analysts get empty lists and 404s (S4, S5).

Every write goes through the same action as its page (the ``actions`` package): open, edit,
transfer and close an investigation, link dossiers and hotline reports, add suspects and their
events (``investigations``, ``suspects``), start a prosecution, set its court, add charges,
appeals and victims' participation (``prosecutions``), record decisions per charge and
sentences (``decisions``). A record is looked up among those the user sees and, as on the
pages, among those the user may write: 404 otherwise (the refusal audited; ``common``). The
actions' ValidationErrors answer 400 keyed by field (core.api.exception_handler); a stale
``version`` answers 409."""

from .common import ARTICLE_CHOICES  # noqa: F401
from .decisions import (  # noqa: F401
    ChargeSerializer,
    ChargeViewSet,
    CourtDecisionCreateSerializer,
    CourtDecisionSerializer,
    DecisionViewSet,
    SentenceCreateSerializer,
)
from .investigations import (  # noqa: F401
    DossierLinkInSerializer,
    DossierLinkSerializer,
    InvestigationCloseSerializer,
    InvestigationCreateSerializer,
    InvestigationSerializer,
    InvestigationTransferSerializer,
    InvestigationUpdateSerializer,
    InvestigationViewSet,
    ReportLinkSerializer,
)
from .prosecutions import (  # noqa: F401
    DECIDED_APPEAL,
    AppealCreateSerializer,
    AppealDecideSerializer,
    AppealSerializer,
    ChargeCreateSerializer,
    ParticipationCreateSerializer,
    ParticipationSerializer,
    ProsecutionCourtSerializer,
    ProsecutionCreateSerializer,
    ProsecutionSerializer,
    ProsecutionViewSet,
)
from .suspects import (  # noqa: F401
    DuplicateHintSerializer,
    EventSerializer,
    SuspectAddSerializer,
    SuspectEventCreateSerializer,
    SuspectFieldsSerializer,
    SuspectSerializer,
    SuspectUpdateSerializer,
    SuspectViewSet,
)
