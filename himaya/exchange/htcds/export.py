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

from himaya.core import crypto

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


def _place(city, region, country, identified):
    parts = [city if identified else "", region.label_en if region else ""]
    parts.append(country_name(country.code) if country else "")
    return ", ".join(p for p in parts if p)


def _day(moment):
    from django.utils import timezone

    return timezone.localtime(moment).date() if moment else None


def dossiers_for_export(queryset):
    return queryset.select_related(
        "person",
        "person__sex",
        "recruitment_country",
        "exploitation_country",
        "exploitation_region",
    ).prefetch_related(
        "forms",
        *fields.CODE_SETS.values(),
        "person__citizenships",
        "decisions__status",
        "referrals__to_org",
    )


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
        dossier.recruitment_city, None, dossier.recruitment_country, identified
    )
    row["vic_LocationOfExploitation"] = _place(
        dossier.exploitation_city,
        dossier.exploitation_region,
        dossier.exploitation_country,
        identified,
    )
    stage = dossier.current_stage
    row["cas_Status"] = label_of("cas_Status", CASE_STATUS_BY_STAGE.get(stage, "Active"))
    row["him_OpenedOn"] = dossier.opened_on
    _referral(row, dossier, identified)
    return {k: v for k, v in row.items() if v not in (None, "")}


def rows(queryset, *, identified):
    """Case rows; a dossier imported before keeps the case number it was imported with, so that
    the organisation's own workbook, exported and imported again, finds its records."""
    from ..models import ImportedRecord

    dossiers = list(dossiers_for_export(queryset))
    numbers = {}
    if identified:
        for org_id, object_id, ref in ImportedRecord.objects.filter(
            kind="dossiers", model="cases.dossier", object_id__in=[d.pk for d in dossiers]
        ).values_list("organisation_id", "object_id", "external_ref"):
            numbers[(org_id, object_id)] = ref
    return [
        case_row(d, identified=identified, case_number=numbers.get((d.owner_org_id, d.pk)))
        for d in dossiers
    ]


def workbook(case_rows) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = standard.TEMPLATE_SHEET
    ws.append([h or None for h in standard.FIELD_ROW] + [n for n, _l in fields.AFTER_TEMPLATE])
    ws.append(
        [h or None for h in standard.LABEL_ROW] + [label for _n, label in fields.AFTER_TEMPLATE]
    )
    for row in case_rows:
        ws.append([row.get(name) for name in fields.EXPORT_FIELDS])
    for cells in ws.iter_rows(min_row=3):
        for cell in cells:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
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
