"""The casework register of past years that the casework tests import: its sheets (headers in
English, French and Arabic), a copy to change, a broken one, and the helpers that write it as
a workbook and count what an import wrote."""

import copy
import datetime

from django.utils import timezone

from himaya.cases.models import Dossier, IdentificationDecision, StageEvent
from himaya.exchange import services
from himaya.exchange.models import ImportedRecord
from himaya.exchange.tests import helpers
from himaya.people.models import Consent, Person
from himaya.referrals.models import (
    Referral,
    ReturnAssistance,
    ServiceRecord,
    ShelterStay,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
YEAR = timezone.localdate().year - 1
MODELS = [
    Person,
    Dossier,
    StageEvent,
    IdentificationDecision,
    Referral,
    Consent,
    ShelterStay,
    ServiceRecord,
    ReturnAssistance,
    ImportedRecord,
]


def d(month, day, year=YEAR):
    return datetime.date(year, month, day).isoformat()


def counts():
    return {m._meta.label: m.objects.count() for m in MODELS}


def workbook(sheets):
    """``sheets`` as a workbook, without the template's README sheet."""
    return helpers.workbook(sheets, readme=False)


# Last year's casework of NGO A, headers in English, French and Arabic.
CASEWORK = {
    "dossiers": [
        [
            "ref",
            "date d'ouverture",
            "prénom",
            "nom",
            "sexe",
            "date de naissance",
            "nationalité",
            "forms",
        ],
        ["D-1", d(2, 10), "Amina", "Benali", "female", "1998-05-02", "MA", "sexual"],
        ["D-2", d(3, 1), "Youssef", "Kane", "masculin", d(1, 1, YEAR - 12), "SN", "labour"],
        ["D-3", d(4, 1), "Grace", "Okafor", "féminin", "", "NG", "domestic_servitude"],
    ],
    "décisions": [
        ["ref", "dossier_ref", "decided_on", "status", "deciding_org_type", "reasons"],
        # Out of date order: the import writes a dossier's decisions by date.
        ["ID-2", "D-1", d(3, 20), "actual", "police", "Confirmed by the police."],
        ["ID-1", "D-1", d(2, 20), "possible", "court_prosecution", "Interview and indicators."],
        ["ID-3", "D-2", d(3, 15), "victime présumée", "court_prosecution", "Indicators."],
    ],
    "referrals": [
        [
            "ref",
            "dossier_ref",
            "sent_on",
            "provider",
            "service",
            "status",
            "accepted_on",
            "rejected_on",
            "done_on",
            "rejection_reason",
            "consent",
            "guardian",
        ],
        [
            "R-1",
            "D-1",
            d(2, 21),
            "Dar Amane shelter",
            "shelter",
            "done",
            d(2, 22),
            "",
            d(6, 1),
            "",
            "oui",
            "",
        ],
        [
            "R-2",
            "D-2",
            d(3, 16),
            "Organisation internationale",
            "return",
            "rejected",
            "",
            d(3, 18),
            "",
            "no_capacity",
            "no",
            "His father",
        ],
        [
            "R-3",
            "D-3",
            d(4, 2),
            "جمعية ب",
            "legal_aid",
            "accepted",
            d(4, 3),
            "",
            "",
            "",
            "yes",
            "",
        ],
    ],
    "services": [
        [
            "ref",
            "dossier_ref",
            "service",
            "date",
            "end_date",
            "discharge_reason",
            "facility",
            "bed_group",
            "destination",
            "partner",
            "note",
        ],
        ["S-1", "D-1", "psychosocial", d(2, 25), "", "", "", "", "", "", "First session"],
        [
            "S-2",
            "D-1",
            "shelter",
            d(2, 12),
            d(2, 20),
            "plan_completed",
            "maison amal",
            "women",
            "",
            "",
            "",
        ],
        [
            "S-3",
            "D-2",
            "return",
            d(5, 1),
            "",
            "",
            "",
            "",
            "SN",
            "Organisation internationale",
            "",
        ],
    ],
}


def casework():
    """A fresh copy of CASEWORK, for a test to change."""
    return copy.deepcopy(CASEWORK)


def broken():
    data = casework()
    data["dossiers"][3][4] = "martian"  # row 4: not a sex
    data["services"][1][3] = d(1, 1, YEAR + 2)  # sheet row 2: in the future
    data["referrals"][2][3] = "Nowhere association"  # sheet row 3: no such provider
    return data


def check(user, org, data, **kw):
    """The dry run of ``data`` as the casework register of ``org``."""
    return services.check_upload(
        workbook(data), "casework.xlsx", user=user, organisation=org, register="casework", **kw
    )
