"""HTCDS v2.0 out: a scope of dossiers as the template's case rows, in its layout (XLSX, the
"Case Sheet" with its two header rows and its unnamed columns) or as CSV (one header row).

Two audiences, two row builders:
- ``identified``: a caseworker's own cases, names and birth dates included; handed over only
  as an encrypted archive (secure_exports), and readable back by the import (the same records);
- de-identified (an analyst's): no names, a birth year and never a full date, no free text
  (cities, reasons, details, guardians), no types of sexual exploitation nor vulnerabilities
  (shown only with the identity, as on the dossier's page), and a case number that is a keyed
  pseudonym of the dossier, stable from one export to the next but useless outside Himaya.

Picklists are written as the template's dropdowns write them (labels), countries by the
template's names; Himaya's extension columns (fields.EXTENSIONS) follow the template's.
"""

import csv
import datetime
import io
from itertools import islice

from django.db.models import Prefetch

from himaya.core import crypto
from himaya.core.fields import encrypted_names

from . import fields, standard
from .picklists import country_name, htcds_value, label_of

CASE_STATUS_BY_STAGE = {
    "closed": "Closed",
    "not_victim": "Closed",
    "referred_out": "ClosedReferred",
}
ENDED_ON = {"done": "done_at", "rejected": "rejected_at", "revoked": "revoked_at"}


def pseudonym(dossier):
    return "C" + crypto.blind_digest(f"htcds-case:{dossier.pk}")[:12].upper()


def _labels(field, codes):
    values = []
    for code in codes:
        value = htcds_value(code)
        if value and value not in values:
            values.append(value)
    return "; ".join(label_of(field, v) for v in values)


def _place(city, region, country):
    """The city is given only for an identified export (de-identified: not even read)."""
    parts = [city, region.label_en if region else ""]
    parts.append(country_name(country.code) if country else "")
    return ", ".join(p for p in parts if p)


def _day(moment):
    from django.utils import timezone

    return timezone.localtime(moment).date() if moment else None


# Dossiers read at a time: an analyst's export covers the whole country (a million dossiers at
# national scale), so memory holds one chunk of instances, never the scope.
CHUNK = 1000


def dossiers_for_export(queryset, *, identified=True):
    """The dossiers of ``queryset`` with everything a case row reads, in a constant number of
    queries; without the identity and free text when not ``identified``."""
    from himaya.cases.models import IdentificationDecision
    from himaya.people.models import Person
    from himaya.referrals.models import Referral

    decisions = IdentificationDecision.objects.select_related("status", "organisation_type")
    referrals = Referral.objects.select_related("to_org")
    queryset = queryset.select_related(
        "person",
        "person__sex",
        "recruitment_country",
        "exploitation_country",
        "exploitation_region",
    )
    if not identified:
        queryset = queryset.defer(
            *encrypted_names(queryset.model), *(f"person__{n}" for n in encrypted_names(Person))
        )
        decisions = decisions.defer(*encrypted_names(IdentificationDecision))
        referrals = referrals.defer(*encrypted_names(Referral))
    return queryset.prefetch_related(
        "forms",
        *fields.CODE_SETS.values(),
        "person__citizenships",
        Prefetch("decisions", queryset=decisions),
        Prefetch("referrals", queryset=referrals),
    )


def _batched(iterable, n):
    iterator = iter(iterable)
    while chunk := tuple(islice(iterator, n)):
        yield chunk


def in_chunks(queryset, prepare):
    """The dossiers of ``queryset`` in the order of their ids, CHUNK at a time, each chunk read
    with what its rows need (``prepare``: a queryset of them → the same, with its related
    records)."""
    ids = queryset.order_by("pk").values_list("pk", flat=True)
    manager = queryset.model._default_manager
    for chunk in _batched(ids.iterator(chunk_size=10 * CHUNK), CHUNK):
        yield from prepare(manager.filter(pk__in=chunk)).order_by("pk")


def _person(row, person, identified):
    """The person's fields: names only when identified, the birth date as precise as the
    export may say."""
    if identified:
        row["prs_FirstName"] = person.given_name_lat or person.given_name_ar
        row["prs_SecondName"] = person.family_name_lat or person.family_name_ar
    precision = person.birth_date_precision
    if person.birth_date and precision in ("exact", "year"):
        exact = identified and precision == "exact"
        row["prs_Birthdate"] = person.birth_date if exact else person.birth_date.year
    elif precision in ("estimated", "unknown") and identified and person.birth_date:
        row["prs_Birthdate"] = person.birth_date
        row["him_BirthDatePrecision"] = precision
    if person.estimated_age is not None:
        row["him_EstimatedAge"] = person.estimated_age
    if person.sex:
        row["prs_Gender"] = label_of("prs_Gender", person.sex.htcds)
    row["prs_Citizenship"] = "; ".join(
        country_name(c.code) for c in sorted(person.citizenships.all(), key=lambda c: c.code)
    )


def _decision(row, dossier, identified):
    """The latest identification decision (HTCDS holds one per case)."""
    decisions = sorted(dossier.decisions.all(), key=lambda d: (d.decided_on, d.pk))
    if not decisions:
        return
    latest = decisions[-1]
    row["vic_TraffickingStatus"] = label_of("vic_TraffickingStatus", latest.status.htcds)
    row["vic_TraffickingStatusDecisionMakingOrg"] = label_of(
        "vic_TraffickingStatusDecisionMakingOrg", latest.organisation_type.htcds
    )
    row["him_DecisionDate"] = latest.decided_on
    if identified:
        row["him_DecisionReasons"] = latest.reasons


def _referral(row, dossier, identified):
    """HTCDS holds one outgoing referral per case: the latest the owner sent."""
    sent = [r for r in dossier.referrals.all() if r.from_org_id == dossier.owner_org_id]
    if not sent:
        return
    referral = max(sent, key=lambda r: (r.sent_at, r.pk))
    row["cas_ReferredOrganisation"] = referral.to_org.name_en or referral.to_org.name
    row["cas_OutgoingReferralDate"] = _day(referral.sent_at)
    row["him_ReferralService"] = referral.service
    row["him_ReferralStatus"] = referral.status
    row["him_ReferralAcceptedOn"] = _day(referral.accepted_at)
    ended = ENDED_ON.get(referral.status)
    row["him_ReferralEndedOn"] = _day(getattr(referral, ended)) if ended else None
    row["con_Consent"] = "TRUE" if referral.consent_id else "FALSE"
    if identified:
        row["cas_OutgoingReferralDetails"] = referral.reason
        row["him_Guardian"] = referral.guardian


def case_row(dossier, *, identified, case_number=None):
    """The HTCDS fields of one dossier (field name → value)."""
    number = case_number or dossier.reference
    row = {standard.CASE_ID: number if identified else pseudonym(dossier)}
    _person(row, dossier.person, identified)
    _decision(row, dossier, identified)
    forms = sorted(dossier.forms.all(), key=lambda c: (c.sort, c.code))
    row["vic_TypeOfExploitation"] = _labels("vic_TypeOfExploitation", forms)
    if identified and any(f.code == "other" for f in forms):
        row["him_OtherFormDetail"] = dossier.form_other_detail
    for name, attribute in fields.CODE_SETS.items():
        if identified or name not in fields.IDENTIFIED_ONLY:
            codes = sorted(getattr(dossier, attribute).all(), key=lambda c: (c.sort, c.code))
            row[name] = _labels(name, codes)
    row["vic_LocationOfRecruitment"] = _place(
        dossier.recruitment_city if identified else "", None, dossier.recruitment_country
    )
    row["vic_LocationOfExploitation"] = _place(
        dossier.exploitation_city if identified else "",
        dossier.exploitation_region,
        dossier.exploitation_country,
    )
    stage = dossier.current_stage
    row["cas_Status"] = label_of("cas_Status", CASE_STATUS_BY_STAGE.get(stage, "Active"))
    row["him_OpenedOn"] = dossier.opened_on
    _referral(row, dossier, identified)
    return {k: v for k, v in row.items() if v not in (None, "")}


def rows(queryset, *, identified):
    """The case rows of ``queryset`` as a list (iter_rows)."""
    return list(iter_rows(queryset, identified=identified))


def iter_rows(queryset, *, identified):
    """Case rows, one dossier at a time (an iterator: write them as they come); a dossier
    imported before keeps the case number it was imported with, so that the organisation's own
    workbook, exported and imported again, finds its records."""
    from ..models import ImportedRecord

    def prepare(dossiers):
        return dossiers_for_export(dossiers, identified=identified)

    for chunk in _batched(in_chunks(queryset, prepare), CHUNK):
        numbers = {}
        if identified:
            for org_id, object_id, ref in ImportedRecord.objects.filter(
                kind="dossiers", model="cases.dossier", object_id__in=[d.pk for d in chunk]
            ).values_list("organisation_id", "object_id", "external_ref"):
                numbers[(org_id, object_id)] = ref
        for d in chunk:
            yield case_row(
                d, identified=identified, case_number=numbers.get((d.owner_org_id, d.pk))
            )


def workbook(case_rows) -> bytes:
    """The template's layout, written row by row (openpyxl's write-only mode: the rows are not
    held as cells)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(standard.TEMPLATE_SHEET)
    ws.append([h or None for h in standard.FIELD_ROW] + [n for n, _l in fields.AFTER_TEMPLATE])
    ws.append(
        [h or None for h in standard.LABEL_ROW] + [label for _n, label in fields.AFTER_TEMPLATE]
    )

    def cell(value):
        if not isinstance(value, datetime.date):
            return value
        dated = WriteOnlyCell(ws, value=value)
        dated.number_format = "yyyy-mm-dd"
        return dated

    for row in case_rows:
        ws.append([cell(row.get(name)) for name in fields.EXPORT_FIELDS])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_text(case_rows) -> bytes:
    """One header row: the template's field names (its unnamed columns named)."""
    headers = [
        spelt or name
        for spelt, name in zip(
            (*standard.FIELD_ROW, *(n for n, _l in fields.AFTER_TEMPLATE)),
            fields.EXPORT_FIELDS,
            strict=True,
        )
    ]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for row in case_rows:
        writer.writerow(
            [
                v.isoformat() if isinstance(v, datetime.date) else ("" if v is None else v)
                for v in (row.get(name) for name in fields.EXPORT_FIELDS)
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# An export's formats: the writer of its case rows and the file's content type.
FORMATS = {"xlsx": (workbook, XLSX), "csv": (csv_text, "text/csv; charset=utf-8")}


def write(case_rows, fmt):
    """``(bytes, content type)`` of the case rows in ``fmt`` ("xlsx" or "csv")."""
    writer, content_type = FORMATS[fmt]
    return writer(case_rows), content_type
