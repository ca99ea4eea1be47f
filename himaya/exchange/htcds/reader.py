"""An HTCDS workbook (or CSV) as the casework register's sheets (exchange/casework.py KINDS):
each case row becomes a row of "dossiers" (the person and the dossier), of "decisions" when it
gives a trafficking status, and of "referrals" when it records an outgoing referral with its
service. The casework kinds then write them through the import engine, with their rules and
guarantees (dry run, all or nothing, idempotent re-runs keyed by the case number, audit,
duplicate candidates).

Every converted row keeps the number of the row it came from, so the engine's errors name the
HTCDS sheet's own rows; its columns map back to the HTCDS fields (fields.CASEWORK_COLUMNS).

Real sheets, as NGOs fill the templates: the field-name row, the label row or both; column A
numbering rows 1…1000 in advance (a row with nothing else is blank); stray spaces; several
values in one cell; dates as date cells, Excel serial numbers or text, a birth year alone;
unknown columns (an organisation's own) are left aside and listed.
"""

import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from himaya.cases.actions.decisions import deciding_codes
from himaya.core.models import Code
from himaya.core.registers.values import is_blank, parse_bool, parse_int

from .. import reading
from ..rows import RowError
from . import fields, standard
from .picklists import CODE_LISTS, Mapper, squash

_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_DATE_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d %Y",
    "%b %d %Y",
)


@dataclass
class Converted:
    """The casework sheets of an HTCDS file, with the problems found converting it."""

    source: str  # the HTCDS sheet's name
    sheets: dict = field(default_factory=dict)  # kind → [(row number, {column: text})]
    errors: list = field(default_factory=list)  # RowError, named after HTCDS fields
    not_carried: dict = field(default_factory=dict)  # HTCDS field → cells with a value
    ignored: list = field(default_factory=list)  # headers of columns left aside
    cases: int = 0
    # The field each row's date of opening came from (a decision without its own date takes it).
    opened_from: dict = field(default_factory=dict)

    def workbook(self) -> bytes:
        """The casework register, as a workbook whose rows sit at the HTCDS row numbers.
        Built byte for byte the same from the same file (fixed times), so that a file uploaded
        twice is recognised by its digest."""
        from openpyxl import Workbook

        wb = Workbook()
        wb.remove(wb.active)
        wb.properties.creator = "Himaya"
        wb.properties.created = datetime.datetime(2000, 1, 1)
        for kind, rows in self.sheets.items():
            ws = wb.create_sheet(kind)
            headers = []
            for _number, values in rows:
                headers += [k for k in values if k not in headers]
            for col, header in enumerate(headers, start=1):
                ws.cell(row=1, column=col, value=header)
            for number, values in rows:
                for col, header in enumerate(headers, start=1):
                    if values.get(header) not in (None, ""):
                        ws.cell(row=number, column=col, value=values[header])
        out = io.BytesIO()
        wb.save(out)
        return _fixed_times(out.getvalue())


def _fixed_times(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>2000-01-01T00:00:00Z\2", content
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, content)
    return out.getvalue()


# --- Headers ------------------------------------------------------------------------------------


def _header_index():
    index = {}
    for name in (*standard.TEMPLATE_FIELDS, *fields.EXTENSION_FIELDS, *fields.LABELS):
        if name:
            index.setdefault(squash(name), name)
            index.setdefault(squash(name.split("_", 1)[-1]), name)
    for name, label in fields.LABELS.items():
        index.setdefault(squash(label), name)
    for name, aliases in fields.ALIASES.items():
        for alias in aliases:
            index[squash(alias)] = name
    # The template's own misspelling, and the label the two referral reasons share.
    index[squash("Reason for Outgoing Referral")] = "cas_ReasonForOutgoingReferral"
    index[squash("Reason for Incoming Referral")] = "cas_ReasonForIncomingReferral"
    return index


def _is_label_row(cells, index):
    known = [c for c in cells if not is_blank(c) and squash(c) in index]
    filled = [c for c in cells if not is_blank(c)]
    return len(known) >= 3 and len(known) * 2 >= len(filled)


def _columns(sheet, index):
    """The HTCDS field of each column, the label row's number (or None), and header errors."""
    labels = None
    if sheet.rows and sheet.rows[0][0] == 2 and _is_label_row(sheet.rows[0][1], index):
        labels = sheet.rows[0][1]
    width = max(len(sheet.headers), len(labels or ()))
    columns, errors, ignored, seen = [], [], [], {}
    for i in range(width):
        header = sheet.headers[i] if i < len(sheet.headers) else ""
        label = labels[i] if labels is not None and i < len(labels) else ""
        name = None
        if not is_blank(header):
            name = index.get(squash(header))
            if name is None:
                ignored.append(str(header)[:60])
        elif not is_blank(label):
            name = index.get(squash(label))
            if name is None:
                ignored.append(str(label)[:60])
        elif i == 0:
            name = standard.CASE_ID  # the template's unnamed numbering column
        elif columns and columns[-1] == "cas_ReferredPrimaryCaseWorker":
            name = "cas_ReasonForOutgoingReferral"  # the template's unnamed column
        if name is not None and name in seen:
            errors.append(
                RowError(sheet.name, 1, str(header or label)[:60], _("This column appears twice."))
            )
            name = None
        if name is not None:
            seen[name] = i
        columns.append(name)
    return columns, (2 if labels is not None else None), errors, ignored


def find_case_sheet(sheets):
    index = _header_index()
    best, best_score = None, 0
    for sheet in sheets:
        score = sum(1 for h in sheet.headers if not is_blank(h) and squash(h) in index)
        if sheet.rows and _is_label_row(sheet.rows[0][1], index):
            score = max(score, sum(1 for c in sheet.rows[0][1] if squash(c or "") in index))
        if score > best_score:
            best, best_score = sheet, score
    if best is None or best_score < 3:
        raise reading.FileRefused(
            _(
                "No sheet of this file has the columns of the HTCDS template (prs_FirstName, "
                "vic_TraffickingStatus…)."
            )
        )
    return best, index


# --- Cells --------------------------------------------------------------------------------------


def parse_date(value, *, year_alone=False):
    """A date cell, an Excel serial number, or text; with ``year_alone``, a year by itself
    gives ``(1 January, "year")``. Returns ``(date, precision)``."""
    if isinstance(value, datetime.datetime):
        return value.date(), "exact"
    if isinstance(value, datetime.date):
        return value, "exact"
    if isinstance(value, int | float) and not isinstance(value, bool):
        if year_alone and float(value).is_integer() and 1900 <= value <= 2100:
            return datetime.date(int(value), 1, 1), "year"
        if 1 <= value < 2958466:  # Excel's serial days, up to 9999-12-31
            return _EXCEL_EPOCH + datetime.timedelta(days=int(value)), "exact"
    text = re.sub(r"\s+", " ", str(value).strip().replace(",", " "))
    text = re.sub(r"[ T]00:00(:00(\.0+)?)?$", "", text)
    if year_alone and re.fullmatch(r"\d{4}", text) and 1900 <= int(text) <= 2100:
        return datetime.date(int(text), 1, 1), "year"
    if re.fullmatch(r"\d{4,5}(\.0+)?", text):
        return parse_date(float(text), year_alone=year_alone)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date(), "exact"
        except ValueError:
            continue
    raise ValueError(
        _("“%(value)s” is not a date (write 2024-03-31, 31/03/2024 or a date cell).")
        % {"value": str(value).strip()[:40]}
    )


def _text(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        value = value.isoformat()
    return re.sub(r"\s+", " ", str(value)).strip()


class _Places:
    """A location written as text ("Tangier, Morocco", "Nigeria", "Casablanca-Settat"): its
    country, Moroccan region and city."""

    def __init__(self, mapper):
        self.countries = mapper.list_for("prs_Citizenship")
        self.regions = {}
        for c in Code.objects.of("region"):
            for label in (c.code, c.label_ar, c.label_fr, c.label_en):
                self.regions.setdefault(squash(label), c.code)

    def parse(self, text):
        parts = [p.strip() for p in text.split(",") if p.strip()]
        country = region = None
        whole = squash(text)
        for i in range(len(parts)):  # "Laayoune, Western Sahara": a country left out
            self.countries.check_refused(",".join(parts[i:]))
        if whole in self.countries.index:
            return {"country": self.countries.index[whole]}
        if whole in self.regions:
            return {"country": "MA", "region": self.regions[whole]}
        if len(parts) > 1:
            for size in range(len(parts) - 1, 0, -1):  # "Congo, Democratic Republic of the"
                tail = squash(",".join(parts[-size:]))
                if tail in self.countries.index:
                    country = self.countries.index[tail]
                    parts = parts[:-size]
                    break
        if parts and squash(parts[-1]) in self.regions:
            region = self.regions[squash(parts.pop())]
            country = country or "MA"
        found = {"city": ", ".join(parts)}
        if country:
            found["country"] = country
        if region:
            found["region"] = region
        return found


# --- Rows ---------------------------------------------------------------------------------------


class _Row:
    def __init__(self, converted, number, cells, columns):
        self.converted, self.number = converted, number
        self.cells = {
            name: cells[i]
            for i, name in enumerate(columns)
            if name and i < len(cells) and not is_blank(cells[i])
        }

    def error(self, name, message):
        self.converted.errors.append(RowError(self.converted.source, self.number, name, message))

    def get(self, name, parse=None):
        raw = self.cells.get(name)
        if raw is None:
            return None
        if parse is None:
            return _text(raw)
        try:
            return parse(raw)
        except ValueError as exc:
            self.error(name, str(exc))
            return None


def declared_code_sets():
    """The HTCDS fields of fields.CODE_SETS whose column the casework register's dossiers kind
    declares: those are carried to the dossier, the others only checked and counted."""
    from ..services import CASEWORK, register_kinds

    _kinds, kind_by_key = register_kinds(CASEWORK)
    keys = {c.key for c in kind_by_key("dossiers").columns}
    return {name for name, column in fields.CODE_SETS.items() if column in keys}


def convert(data: bytes, name: str, *, opened_on=None) -> Converted:
    """Read an HTCDS file; raises reading.FileRefused for a file that is not one."""
    _fmt, sheets = reading.read(data, name)
    carried = declared_code_sets()
    sheet, index = find_case_sheet(sheets)
    columns, label_row, errors, ignored = _columns(sheet, index)
    converted = Converted(source=sheet.name, errors=errors, ignored=ignored)
    converted.sheets = {"dossiers": [], "decisions": [], "referrals": []}
    mapper = Mapper()
    places = _Places(mapper)
    for number, cells in sheet.rows:
        if number == label_row:
            continue
        row = _Row(converted, number, cells, columns)
        if not set(row.cells) - {standard.CASE_ID}:
            continue  # a row the template numbered in advance and nobody filled
        converted.cases += 1
        _convert_row(row, converted, mapper, places, opened_on, carried)
    if not converted.cases:
        # The template as IOM gives it, or one saved before any case was typed in.
        raise reading.FileRefused(
            _("The file has no cases: fill at least one row under the template's headers.")
        )
    converted.sheets = {k: v for k, v in converted.sheets.items() if v}
    return converted


def _codes(row, mapper, name):
    """Himaya codes of a picklist cell; values Himaya's list lacks are counted, not lost
    silently."""
    raw = row.cells.get(name)
    if raw is None:
        return None
    try:
        values = mapper.values(name, raw)
    except ValueError as exc:
        row.error(name, str(exc))
        return None
    if name == "prs_Citizenship":
        return values
    codes = []
    for value in values:
        code = mapper.code(name, value)
        if code is None:
            row.error(
                name,
                _("“%(value)s” has no equivalent in Himaya's list.") % {"value": value[:60]},
            )
        else:
            codes.append(code.code)
    return codes


def _opened_on(row, converted, opened_on):
    """The day the case was opened: him_OpenedOn, else the Incoming Referral Date, else the
    date given on the import page (the source is kept for the row's errors)."""
    opened, source = row.get("him_OpenedOn", parse_date), "him_OpenedOn"
    if opened is None and "him_OpenedOn" not in row.cells:
        opened, source = row.get("cas_IncomingReferralDate", parse_date), "cas_IncomingReferralDate"
    if opened is None and source == "cas_IncomingReferralDate" and source not in row.cells:
        opened = (opened_on, "exact") if opened_on else None
        if opened is None:
            row.error(
                "cas_IncomingReferralDate",
                _(
                    "No date the case was opened: fill the Incoming Referral Date, or give the "
                    "date on the import page."
                ),
            )
    converted.opened_from[row.number] = source
    return opened[0].isoformat() if opened else None


def _person(row, mapper, dossier):
    """The person's columns of the dossiers sheet."""
    for name, key in (("prs_FirstName", "given_name"), ("prs_SecondName", "family_name")):
        value = row.get(name)
        if value:
            dossier[f"{key}_ar" if _ARABIC.search(value) else f"{key}_lat"] = value
    sex = _codes(row, mapper, "prs_Gender")
    dossier["sex"] = sex[0] if sex else None
    birth = row.get("prs_Birthdate", lambda v: parse_date(v, year_alone=True))
    if birth:
        dossier["birth_date"] = birth[0].isoformat()
        dossier["birth_date_precision"] = birth[1]
    if row.get("him_BirthDatePrecision"):
        dossier["birth_date_precision"] = row.get("him_BirthDatePrecision")
    dossier["estimated_age"] = row.get("him_EstimatedAge", parse_int)
    dossier["citizenship"] = "; ".join(_codes(row, mapper, "prs_Citizenship") or [])


def _places(row, places, dossier):
    for name, prefix in (
        ("vic_LocationOfRecruitment", "recruitment"),
        ("vic_LocationOfExploitation", "exploitation"),
    ):
        text = row.get(name)
        if text:
            try:
                found = places.parse(text)
            except ValueError as exc:
                row.error(name, str(exc))
                continue
            dossier[f"{prefix}_country"] = found.get("country")
            dossier[f"{prefix}_city"] = found.get("city") or None
            if prefix == "exploitation":
                dossier["exploitation_region"] = found.get("region")


def _convert_row(row, converted, mapper, places, opened_on, carried):
    case = row.get(standard.CASE_ID)
    if not case:
        row.error(standard.CASE_ID, _("Give the case number (the template's first column)."))
    for name in fields.NOT_CARRIED:
        if name in row.cells:
            converted.not_carried[name] = converted.not_carried.get(name, 0) + 1
            if name in CODE_LISTS:
                _codes(row, mapper, name)  # checked: a wrong value is a shifted column
    dossier = {"ref": case, "opened_on": _opened_on(row, converted, opened_on)}
    _person(row, mapper, dossier)
    forms = _codes(row, mapper, "vic_TypeOfExploitation") or []
    dossier["forms"] = "; ".join(forms)
    detail = row.get("him_OtherFormDetail")
    if "other" in forms and not detail:
        detail = "HTCDS vic_TypeOfExploitation: Other"
    dossier["form_other_detail"] = detail
    _places(row, places, dossier)
    for name, column in fields.CODE_SETS.items():
        codes = _codes(row, mapper, name)
        if name in carried:
            dossier[column] = "; ".join(codes or [])
        elif name in row.cells:
            converted.not_carried[name] = converted.not_carried.get(name, 0) + 1
    converted.sheets["dossiers"].append((row.number, dossier))
    _decision(row, converted, mapper, case, dossier)
    _referral(row, converted, mapper, case)


def _decision(row, converted, mapper, case, dossier):
    status = _codes(row, mapper, "vic_TraffickingStatus")
    if not status:
        if "vic_TraffickingStatusDecisionMakingOrg" in row.cells and status is None:
            row.error(
                "vic_TraffickingStatus",
                _("A decision-making organisation is given without a trafficking status."),
            )
        return
    org = _codes(row, mapper, "vic_TraffickingStatusDecisionMakingOrg")
    if org and org[0] not in deciding_codes():
        # An NGO's (or another body's) assessment, as HTCDS records it: not a formal
        # identification decision, which only the deciding bodies take (DOMAIN.md; the
        # decision page's rule). Read, counted and said, never turned into a decision.
        key = fields.DECIDED_BY_NON_DECIDING_BODY
        converted.not_carried[key] = converted.not_carried.get(key, 0) + 1
        return
    decided = row.get("him_DecisionDate", parse_date)
    if decided is None and not dossier["opened_on"]:
        return  # dated by the case's opening, whose absence is reported once, on its column
    reasons = row.get("him_DecisionReasons")
    if not reasons:
        # The standard's own words, the same whatever the language of the page or the
        # spelling of the cell, so that a re-import finds the decision unchanged.
        status_name = _codes_label(row, "vic_TraffickingStatus", mapper)
        org_name = _codes_label(row, "vic_TraffickingStatusDecisionMakingOrg", mapper) or "-"
        reasons = f"HTCDS: {status_name}; {org_name}"
    converted.sheets["decisions"].append(
        (
            row.number,
            {
                "ref": f"{case}/decision" if case else None,
                "dossier_ref": case,
                "decided_on": decided[0].isoformat() if decided else dossier["opened_on"],
                "status": status[0],
                "deciding_org_type": org[0] if org else None,
                "reasons": reasons,
            },
        )
    )


def _referral(row, converted, mapper, case):
    provider = row.get("cas_ReferredOrganisation")
    sent = row.get("cas_OutgoingReferralDate", parse_date)
    if not provider and "cas_OutgoingReferralDate" not in row.cells:
        return
    if not row.get("him_ReferralService"):
        key = fields.REFERRAL_WITHOUT_SERVICE
        converted.not_carried[key] = converted.not_carried.get(key, 0) + 1
        return
    status = row.get("him_ReferralStatus")
    accepted = row.get("him_ReferralAcceptedOn", parse_date)
    ended = row.get("him_ReferralEndedOn", parse_date)
    reason = _codes_label(row, "cas_ReasonForOutgoingReferral", mapper)
    details = row.get("cas_OutgoingReferralDetails")
    values = {
        "ref": f"{case}/referral" if case else None,
        "dossier_ref": case,
        "provider": provider,
        "sent_on": sent[0].isoformat() if sent else None,
        "service": row.get("him_ReferralService"),
        "status": status,
        "accepted_on": accepted[0].isoformat() if accepted else None,
        "consent": _yes_no(row, "con_Consent"),
        "guardian": row.get("him_Guardian"),
        "reason": " — ".join(p for p in (reason, details) if p) or None,
    }
    if ended:
        end_column = {"rejected": "rejected_on", "revoked": "revoked_on"}.get(
            squash(status or ""), "done_on"
        )
        values[end_column] = ended[0].isoformat()
    converted.sheets["referrals"].append((row.number, values))


def _codes_label(row, name, mapper):
    raw = row.cells.get(name)
    if raw is None:
        return None
    try:
        return mapper.values(name, raw)[0]
    except ValueError as exc:
        row.error(name, str(exc))
        return None


def _yes_no(row, name):
    raw = row.cells.get(name)
    if raw is None:
        return None
    try:
        return "yes" if parse_bool(raw) else "no"
    except ValueError as exc:
        row.error(name, str(exc))
        return None
