"""Protection: service providers and their facilities (beds) (``facilities``), referrals of a
dossier to a provider (with consent, DOMAIN.md §3) (``referrals``), the services delivered
(shelter stays, sessions, returns), support plans and follow-ups (``services``), dossier
transfers (``transfers``) and the support public bodies give to NGOs (``support``).

Occupancy is derived from the stays, never typed in. Visibility rules live in core.access (the
"Referrals and services" section). Every model is imported here: Django finds the app's models
in this package."""

from .facilities import (  # noqa: F401
    BED_GROUPS,
    HTCDS_SPL_TYPE,
    Facility,
    FacilityQuerySet,
    Group,
    Provider,
    ProviderQuerySet,
    Service,
)
from .referrals import (  # noqa: F401
    OPEN_STATUSES,
    Referral,
    ReferralQuerySet,
    ReferralStatus,
    RejectionReason,
)
from .services import (  # noqa: F401
    DischargeReason,
    DossierRecordQuerySet,
    FollowUp,
    GoalStatus,
    ReturnAssistance,
    ServiceRecord,
    SessionKind,
    ShelterStay,
    StayQuerySet,
    SupportGoal,
    load_boards,
)
from .support import NgoSupport, NgoSupportQuerySet, SupportKind  # noqa: F401
from .transfers import DossierTransfer, TransferQuerySet, TransferStatus  # noqa: F401
