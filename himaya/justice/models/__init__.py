"""The criminal-justice chain (DOMAIN.md §5): investigations and the dossiers linked to them
(``investigations``), suspects and what happens to them: arrest, detention, release
(``suspects``), prosecutions with their charges and appeals (``prosecutions``), court decisions
per charge, sentences and transfers of jurisdiction (``decisions``), and victims' participation
in a proceeding (``participations``).

Suspects' identities are encrypted and seen only by the justice organisations of their cases
(core.access, "Justice"). Every record an import may bring carries an optional
``external_ref``, unique per organisation and kind, so that a re-import finds it again (R2).

A proceeding (an open investigation, a prosecution not decided) keeps the date of its latest
event in ``last_event_on``: the actions move it forward, and "stalled" is a comparison on it
(``common``). Every model is imported here: Django finds the app's models in this package."""

from ..identities import duplicate_candidates, identity_values  # noqa: F401
from .common import (  # noqa: F401
    EXTERNAL_REF_MAX,
    ProceedingQuerySet,
    stalled_cutoff,
)
from .decisions import (  # noqa: F401
    FINAL_OUTCOMES,
    CourtDecision,
    CourtTransfer,
    DecisionQuerySet,
    Instance,
    Outcome,
    Sentence,
    SentenceQuerySet,
)
from .investigations import (  # noqa: F401
    DossierLink,
    Handoff,
    Investigation,
    InvestigationHandoff,
    InvestigationQuerySet,
    InvestigationStatus,
)
from .participations import Participation, ParticipationRole, ProtectionMeasure  # noqa: F401
from .prosecutions import (  # noqa: F401
    Appeal,
    AppealBy,
    AppealOutcome,
    Charge,
    Prosecution,
    ProsecutionChildQuerySet,
    ProsecutionQuerySet,
    ProsecutionStatus,
)
from .suspects import (  # noqa: F401
    EventKind,
    InvestigationSuspect,
    Suspect,
    SuspectEvent,
    SuspectEventQuerySet,
    SuspectQuerySet,
    flagged_persons,
    suspect_key,
)
