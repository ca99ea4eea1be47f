"""Providers, facilities, referrals and services through the API, scoped like the pages
(``visible_to`` → 404): the catalogue, providers and facilities (``directory``), referrals
(``referrals``), sessions, stays, returns, plan goals and follow-ups (``services``). Free text
is serialised only for a reader who sees the dossier with the identity (``common``); the consent
rule (S7) and the access grant (S6) are those of the actions."""

from .common import (  # noqa: F401
    DossierRecordViewSet,
    TextGatedSerializer,
    VersionSerializer,
    represent_without,
)
from .directory import (  # noqa: F401
    BedSerializer,
    FacilitySerializer,
    FacilityViewSet,
    ProviderFilterSerializer,
    ProviderSerializer,
    ProviderViewSet,
    ServiceSerializer,
    ServiceViewSet,
)
from .referrals import (  # noqa: F401
    REFERRAL_TEXT_FIELDS,
    ReferralCreateSerializer,
    ReferralSerializer,
    ReferralViewSet,
    RejectSerializer,
)
from .services import (  # noqa: F401
    AdmitSerializer,
    DischargeSerializer,
    FollowUpCreateSerializer,
    FollowUpDoneSerializer,
    FollowUpSerializer,
    FollowUpViewSet,
    GoalCreateSerializer,
    GoalSerializer,
    GoalStatusField,
    GoalStatusSerializer,
    GoalViewSet,
    ReturnCreateSerializer,
    ReturnSerializer,
    ReturnViewSet,
    SessionSerializer,
    SessionViewSet,
    StaySerializer,
    StayViewSet,
)
