"""The fixed content of the demo: organisations, accounts, names and phrases.

Public bodies carry generic official names; NGOs, shelters and the international organisation are
fictional. Names are drawn from common Moroccan and West/Central African, Filipino and Middle
Eastern names, with the spelling variants that different agencies actually write.

One module per kind: organisations.py (who works in the demo and where), names.py (the victims'
names), cases.py (what their dossiers look like).
"""

from .cases import (
    FORM_PROFILES,
    JUMP_REASONS,
    NATIONALITY_BY_FORM,
    NOTES,
    OTHER_DETAILS,
    REFERRED_OUT_REASONS,
    SECOND_FORM,
)
from .names import FOREIGN, FOREIGN_ARABIC, MA_FAMILY, MA_FEMALE, MA_MALE
from .organisations import (
    ASSIST_PARTNER,
    CITIES,
    DEMO_USERS,
    DOSSIER_OWNERS,
    ORGANISATIONS,
    STAFF_USERS,
)

__all__ = [
    "ASSIST_PARTNER",
    "CITIES",
    "DEMO_USERS",
    "DOSSIER_OWNERS",
    "FOREIGN",
    "FOREIGN_ARABIC",
    "FORM_PROFILES",
    "JUMP_REASONS",
    "MA_FAMILY",
    "MA_FEMALE",
    "MA_MALE",
    "NATIONALITY_BY_FORM",
    "NOTES",
    "ORGANISATIONS",
    "OTHER_DETAILS",
    "REFERRED_OUT_REASONS",
    "SECOND_FORM",
    "STAFF_USERS",
]
