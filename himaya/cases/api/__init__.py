"""Dossiers through the API (``dossiers``: the dossier list, detail, creation, edit, stage and
notes), and their identification decisions, offences and non-punishment alerts (``identify``:
decisions and offences under ``/api/dossiers/{id}/``, alerts under ``/api/alerts/``). Each
record is serialised for its reader, with the identity only for those who see it (S5)."""

from .dossiers import (  # noqa: F401
    DossierCreateSerializer,
    DossierFilterSerializer,
    DossierSerializer,
    DossierUpdateSerializer,
    DossierViewSet,
    NoteSerializer,
    PersonSummarySerializer,
    StageChangeSerializer,
    StageEventSerializer,
)
from .identify import (  # noqa: F401
    AlertResolveSerializer,
    AlertSerializer,
    AlertViewSet,
    DecisionCreateSerializer,
    DecisionSerializer,
    DossierIdentifyMixin,
    OffenceCreateSerializer,
    OffenceSerializer,
)
