"""Every record Himaya holds about one person, by model: what an access export reads (through
each model's visibility rule), what a legal hold is looked for in, and what an erasure removes
or de-identifies. A test walks every model of the project and fails when a model pointing at a
person, a dossier, a report or a screening is missing here (tests/test_records.py)."""

from django.db.models import Q

from himaya.cases.models import (
    AccessGrant,
    Dossier,
    DossierNote,
    IdentificationDecision,
    NonPunishmentAlert,
    OffenceCharge,
    StageEvent,
)
from himaya.field.models import FieldSubmission
from himaya.hotline.models import Report, ReportAddition
from himaya.justice.models import DossierLink, Participation
from himaya.people.models import Consent, IdentityDocument
from himaya.referrals.models import (
    DossierTransfer,
    FollowUp,
    Referral,
    ReturnAssistance,
    ServiceRecord,
    ShelterStay,
    SupportGoal,
)
from himaya.screening.models import Screening

# Records of the person's dossiers, by the name of their dossier foreign key.
DOSSIER_CHILDREN = (
    StageEvent,
    DossierNote,
    AccessGrant,
    IdentificationDecision,
    OffenceCharge,
    NonPunishmentAlert,
    Referral,
    ShelterStay,
    ServiceRecord,
    ReturnAssistance,
    SupportGoal,
    FollowUp,
    DossierTransfer,
    DossierLink,
    Participation,
)


def person_records(person):
    """{model: queryset} of the person's records (the person row itself apart)."""
    dossiers = Dossier.objects.filter(person=person)
    reports = Report.objects.filter(dossier__in=dossiers)
    screenings = Screening.objects.filter(Q(person=person) | Q(dossier__in=dossiers))
    records = {
        IdentityDocument: IdentityDocument.objects.filter(person=person),
        Consent: Consent.objects.filter(person=person),
        Dossier: dossiers,
        Screening: screenings,
        # how a screening arrived from a field device: ids and digests, no identity
        FieldSubmission: FieldSubmission.objects.filter(screening__in=screenings),
        Report: reports,
        ReportAddition: ReportAddition.objects.filter(report__in=reports),
    }
    for model in DOSSIER_CHILDREN:
        records[model] = model.objects.filter(dossier__in=dossiers)
    return records
