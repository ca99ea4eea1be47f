"""Registers for the import tests: a full workbook of a prosecution office, built in memory."""

import copy
import io

from openpyxl import Workbook

from himaya.justice import models as jm

JUSTICE_MODELS = [
    jm.Investigation,
    jm.InvestigationSuspect,
    jm.Suspect,
    jm.SuspectEvent,
    jm.Prosecution,
    jm.Charge,
    jm.CourtDecision,
    jm.Sentence,
    jm.Appeal,
    jm.DossierLink,
    jm.Participation,
]


def justice_counts():
    """Rows in every justice table (and the import runs)."""
    from himaya.exchange.models import ImportRun

    counts = {m._meta.label: m.objects.count() for m in JUSTICE_MODELS}
    counts["exchange.ImportRun"] = ImportRun.objects.count()
    return counts


# A register in French and Arabic headers and values, as registers are kept.
REGISTER = {
    "enquêtes": [
        ["Référence", "Date d'ouverture", "Région", "Formes d'exploitation", "Statut"],
        ["E-2024-01", "12/01/2024", "Tanger-Tétouan-Al Hoceïma", "sexual; labour", "open"],
        ["E-2024-02", "2024-02-03", "", "exploitation sexuelle", ""],
    ],
    "suspects": [
        [
            "ref",
            "investigation_ref",
            "given_name_ar",
            "family_name_lat",
            "sexe",
            "nationalité",
            "rôle",
            "agent public",
            "organisme",
            "immunité diplomatique",
        ],
        [
            "S1",
            "E-2024-01",
            "كريم",
            "Karim",
            "masculin",
            "MA",
            "recruteur ou intermédiaire",
            "non",
            "",
            "لا",
        ],
        [
            "S2",
            "E-2024-01; E-2024-02",
            "",
            "Official",
            "male",
            "Maroc",
            "exploiter",
            "oui",
            "Commune de Tanger",
            "no",
        ],
    ],
    "arrestations": [
        ["ref", "suspect_ref", "investigation_ref", "événement", "date", "lieu"],
        ["A1", "S1", "E-2024-01", "arrest", "15/01/2024", "Tanger"],
        ["A2", "S2", "E-2024-01", "arrestation", "16/01/2024", ""],
    ],
    "poursuites": [
        ["ref", "suspect_ref", "investigation_ref", "started_on", "tribunal"],
        ["P1", "S1", "E-2024-01", "2024-02-01", "Tribunal de première instance de Tanger"],
        ["P2", "S2", "E-2024-01", "2024-02-01", "المحكمة الابتدائية بطنجة"],
    ],
    "charges": [
        ["ref", "prosecution_ref", "article", "form"],
        ["C1", "P1", "448.1", "sexual"],
        ["C2", "P2", "art. 448-2 du Code pénal (loi 27-14)", "travail forcé"],
    ],
    "verdicts": [
        ["ref", "charge_ref", "outcome", "decided_on", "court"],
        ["D1", "C1", "convicted", "2024-06-10", ""],
        ["D2", "C2", "acquitté", "2024-06-10", ""],
    ],
    "sentences": [
        ["ref", "decision_ref", "prison_months", "suspended_months", "fine_mad"],
        ["T1", "D1", "60", "12", "20 000,00"],
    ],
}


def sheets():
    """A fresh copy of REGISTER, for a test to change."""
    return copy.deepcopy(REGISTER)


def workbook(data=None, readme=True) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    if readme:
        wb.create_sheet("README").append(["instructions"])
    for name, rows in (data or sheets()).items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(rows, sep=",", bom=True) -> bytes:
    text = "\r\n".join(sep.join(str(c) for c in row) for row in rows) + "\r\n"
    return (("\ufeff" if bom else "") + text).encode("utf-8")
