"""The casework of past years as import kinds: persons with their dossiers, identification
decisions, referrals and the services delivered (shelter stays, sessions, returns), so that a
deployment starts with the previous year to compare against (docs/import.md, "Casework of past
years"). The engine (engine.py) is the justice registers' one: dry run, all or nothing,
idempotent re-runs (QUALITY R2).

Every row carries the organisation's own reference (``ref``), kept in ``ImportedRecord`` (the
casework apps keep no register reference): a re-import finds the record again by it. Identical →
"unchanged"; different → refused with a row error saying what differs (the import never
overwrites casework silently: correct the record in Himaya, or the file).

Who: the caseworkers and organisation admins of an organisation that holds dossiers, into that
organisation only (core.access, "Exchange: casework of past years"). Each writer checks it.

How records are written: through the models, inside the import's transaction, with an audit row
per record (``import_person``, ``import_dossier``, ``import_decision``, ``import_referral``,
``import_consent``, ``import_stay``, ``import_session``, ``import_return``), and with the rules
of the apps' actions applied to the past dates of the file:

- the actions date referrals and their answers "now" and check the importer's role against the
  live workflow (only a victim-handling member opens a dossier; a deciding organisation records
  a decision; the receiving provider accepts a referral), which does not fit a past year told by
  the organisation that kept the file; so the rules are applied here, reusing the apps' own
  checks where they are functions (``decision_actions._check`` and ``stage_after``, the stage
  event ``record_stage_event``, the grant ``create_grant``, the person's name index
  ``people.actions._reindex``, the dossier's reference);
- no date may be in the future, and dates follow one another (a decision not before the dossier
  opened nor before the last decision, an answer not before the referral was sent, a discharge
  not before the admission).
"""

import datetime

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from himaya.accounts.models import Organisation
from himaya.audit import log
from himaya.cases import actions as case_actions
from himaya.cases import decision_actions
from himaya.cases.models import (
    Dossier,
    IdentificationDecision,
    Stage,
    StageEvent,
    decision_org_code,
)
from himaya.core import access
from himaya.core.models import Code
from himaya.people import actions as people_actions
from himaya.people.forms import identity_values
from himaya.people.models import (
    BirthDatePrecision,
    Consent,
    ConsentGivenBy,
    ConsentPurpose,
    Person,
)
from himaya.referrals.models import (
    BED_GROUPS,
    OPEN_STATUSES,
    DischargeReason,
    Facility,
    Referral,
    ReferralStatus,
    RejectionReason,
    ReturnAssistance,
    Service,
    ServiceRecord,
    SessionKind,
    ShelterStay,
)

from . import permissions
from .justice import REF, _choices, _differs, _refuse
from .models import ImportedRecord
from .schema import Column, Kind
from .values import Vocabulary, normalise

NAME_FIELDS = ("given_name_ar", "family_name_ar", "given_name_lat", "family_name_lat")


def _active_orgs():
    return Vocabulary(
        (o, str(o.pk), (o.name_ar, o.name_fr, o.name_en))
        for o in Organisation.objects.filter(active=True)
    )


def _services():
    """Shelter stays, returns and the session kinds, in one list."""
    return Vocabulary.of_choices(
        [
            (Service.SHELTER.value, Service.SHELTER.label),
            (Service.RETURN.value, Service.RETURN.label),
            *SessionKind.choices,
        ]
    )


def _bed_groups():
    return Vocabulary.of_choices([(g.value, g.label) for g in BED_GROUPS])


def _dossier_ref(required=True):
    return Column(
        "dossier_ref",
        _("The reference (ref) of the dossier, in the dossiers sheet or imported before."),
        type="ref",
        ref="dossiers",
        required=required,
        aliases=("dossier", "référence du dossier", "ref dossier", "مرجع الملف", "الملف"),
        max_length=64,
        example="D-2024-017",
    )


def _not_future(column, day):
    if day and day > timezone.localdate():
        raise ValidationError({column: _t("The date cannot be in the future.")})


def _before_opening(ctx, column, day, dossier):
    """A referral sent, or a service given, before the dossier's recorded opening: registers
    record it (a shelter takes a person in at night, the dossier is opened the next week), so
    the clerk confirms it (a warning) instead of the file being refused."""
    if day < dossier.opened_on:
        ctx.warn(
            column,
            _t("This date is before the dossier was opened (%(date)s).")
            % {"date": dossier.opened_on.isoformat()},
        )


def _noon(day):
    """A date of the file as a moment: noon, local time (a figure of the year counts it in the
    year whatever the time zone)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _local_day(moment):
    return timezone.localtime(moment).date() if moment else None


def _has_field(model, name):
    return any(f.name == name for f in model._meta.get_fields())


def _own_dossier(ctx, dossier):
    if dossier.owner_org_id != ctx.organisation.pk:
        raise PermissionDenied(_t("This dossier is no longer held by your organisation."))


class Writer:
    """Finds a record by the organisation's reference (ImportedRecord), creates it, compares it
    with the row on a re-import (differences are refused, see the module docstring)."""

    kind = ""

    def _allowed(self, ctx):
        permissions.check(ctx.user, ctx.organisation, permissions.CASEWORK)

    # What ``changes`` reads of a record found again, fetched with it (prefetch).
    related = ("dossier",)
    prefetched = ()

    def prefetch(self, ctx, refs):
        """The records the organisation imported before with these references: their
        ImportedRecord rows in one query per 500, the records in one query per model."""
        by_model, kept = {}, set()
        for i in range(0, len(refs), 500):
            chunk = sorted(refs)[i : i + 500]
            for ref, model, pk in ImportedRecord.objects.filter(
                organisation=ctx.organisation, kind=self.kind, external_ref__in=chunk
            ).values_list("external_ref", "model", "object_id"):
                by_model.setdefault(model, {})[pk] = ref
                kept.add(ref)
        found = {}
        for model, refs_by_pk in by_model.items():
            qs = apps.get_model(model).objects.filter(pk__in=list(refs_by_pk))
            related = [r for r in self.related if _has_field(qs.model, r)]
            prefetched = [r for r in self.prefetched if _has_field(qs.model, r.split("__")[0])]
            for obj in qs.select_related(*related).prefetch_related(*prefetched):
                found[refs_by_pk[obj.pk]] = obj
        ctx.cache[("imported", self.kind)] = kept
        return found

    def lookup(self, ctx, ref):
        found = ctx.found.get(self)
        if found is not None and ref in found.refs:
            return found.records.get(ref)
        record = ImportedRecord.objects.filter(
            organisation=ctx.organisation, kind=self.kind, external_ref=ref
        ).first()
        if record is None:
            return None
        return apps.get_model(record.model).objects.filter(pk=record.object_id).first()

    def find(self, ctx, ref):
        self._allowed(ctx)
        return self.lookup(ctx, ref)

    def remember(self, ctx, ref, obj):
        kept = ctx.cache.get(("imported", self.kind))
        if kept is not None and ref not in kept:  # known to have no row: no lookup first
            ImportedRecord.objects.create(
                organisation=ctx.organisation,
                kind=self.kind,
                external_ref=ref,
                model=obj._meta.label_lower,
                object_id=obj.pk,
            )
            return obj
        ImportedRecord.objects.update_or_create(
            organisation=ctx.organisation,
            kind=self.kind,
            external_ref=ref,
            defaults={"model": obj._meta.label_lower, "object_id": obj.pk},
        )
        return obj

    def update(self, ctx, obj, values, changes):
        _refuse(changes)


def _shown(value):
    if isinstance(value, list | set | tuple):
        return ", ".join(sorted(str(v) for v in value))
    return value


def _compare(pairs):
    """Differences as messages: (label, recorded, in the file); ``None`` in the file means the
    sheet has no such column (the recorded value stands)."""
    return [
        _differs(label, _shown(old), _shown(new))
        for label, old, new in pairs
        if new is not None and old != new
    ]


# --- Persons and their dossiers ------------------------------------------------------------------


class DossierWriter(Writer):
    kind = "dossiers"
    related = ("person",)
    prefetched = ("forms", "person__citizenships")

    def _person_fields(self, values):
        fields = {name: values.get(name) or "" for name in NAME_FIELDS}
        fields["sex"] = values.get("sex")
        fields["birth_date"] = values.get("birth_date")
        precision = values.get("birth_date_precision") or ""
        if values.get("estimated_age") is not None:
            fields["estimated_age"] = values["estimated_age"]
            fields["estimated_on"] = values["opened_on"]
            precision = precision or BirthDatePrecision.ESTIMATED
        elif fields["birth_date"] is not None:
            precision = precision or BirthDatePrecision.EXACT
        fields["birth_date_precision"] = precision or BirthDatePrecision.UNKNOWN
        return fields

    def _dossier_fields(self, values):
        return {
            "form_other_detail": values.get("form_other_detail") or "",
            "recruitment_country": values.get("recruitment_country"),
            "exploitation_country": values.get("exploitation_country"),
            "exploitation_region": values.get("exploitation_region"),
            "recruitment_city": values.get("recruitment_city") or "",
            "exploitation_city": values.get("exploitation_city") or "",
        }

    def create(self, ctx, values):
        org, user = ctx.organisation, ctx.user
        opened_on = values["opened_on"]
        _not_future("opened_on", opened_on)
        _not_future("birth_date", values.get("birth_date"))
        fields = self._person_fields(values)
        if not any(fields[f] for f in NAME_FIELDS):
            raise ValidationError(
                {"family_name_lat": _t("Give at least one name, in Arabic or Latin script.")}
            )
        person = Person(registered_by=org, **fields)
        person.full_clean(exclude=["registered_by", "citizenships", "languages"])
        person.save()
        citizenships = values.get("citizenship") or []
        person.citizenships.set(citizenships)
        people_actions._reindex(person)
        ctx.possible_duplicate(
            "person", identity_values({**fields, "citizenships": citizenships}), person
        )
        log.write(
            user,
            "import_person",
            person,
            [f for f, v in fields.items() if v] + (["citizenships"] if citizenships else []),
            organisation_id=org.pk,
        )
        forms = values.get("forms") or []
        dossier_fields = self._dossier_fields(values)
        case_actions._check_forms(forms, dossier_fields["form_other_detail"])
        dossier = Dossier(
            person=person,
            owner_org=org,
            opened_on=opened_on,
            reference=f"tmp-{timezone.now().timestamp()}",
            **dossier_fields,
        )
        dossier.full_clean(exclude=["reference", "person", "owner_org"])
        dossier.save()
        dossier.reference = case_actions._next_reference(dossier)
        dossier.save(update_fields=["reference"])
        dossier.forms.set(forms)
        StageEvent.objects.create(
            dossier=dossier, stage=Stage.SCREENING, on=opened_on, actor=user, organisation=org
        )
        log.write(
            user,
            "import_dossier",
            dossier,
            ["person", "owner_org", "opened_on", "stage"]
            + (["forms"] if forms else [])
            + [f for f, v in dossier_fields.items() if v],
            organisation_id=org.pk,
        )
        return self.remember(ctx, values["ref"], dossier)

    def changes(self, ctx, dossier, values):
        person = dossier.person
        fields = self._person_fields(values)
        pairs = [
            (name, getattr(person, name), fields[name] if name in values else None)
            for name in NAME_FIELDS
        ]
        pairs += [
            ("sex", person.sex, fields["sex"] if "sex" in values else None),
            ("birth_date", person.birth_date, values.get("birth_date")),
            ("estimated_age", person.estimated_age, values.get("estimated_age")),
            ("opened_on", dossier.opened_on, values["opened_on"]),
        ]
        if values.get("birth_date_precision"):
            pairs.append(
                (
                    "birth_date_precision",
                    person.birth_date_precision,
                    fields["birth_date_precision"],
                )
            )
        if "citizenship" in values:
            pairs.append(
                (
                    "citizenship",
                    {c.code for c in person.citizenships.all()},
                    {c.code for c in values["citizenship"] or []},
                )
            )
        if "forms" in values:
            pairs.append(
                (
                    "forms",
                    {c.code for c in dossier.forms.all()},
                    {c.code for c in values["forms"] or []},
                )
            )
        for name, new in self._dossier_fields(values).items():
            if name in values:
                pairs.append((name, getattr(dossier, name), new))
        return _compare(pairs)


# --- Identification decisions -----------------------------------------------------------------


class DecisionWriter(Writer):
    kind = "decisions"

    def _organisation(self, ctx, values):
        return values.get("deciding_organisation") or ctx.organisation

    def _type(self, values):
        org_type = values.get("deciding_org_type")
        if org_type is None and values.get("deciding_organisation") is not None:
            org = values["deciding_organisation"]
            org_type = Code.objects.get(list="decision_org", code=decision_org_code(org.type.code))
        if org_type is None:
            raise ValidationError(
                {
                    "deciding_org_type": _t(
                        "Give the type of the deciding organisation, or name the organisation."
                    )
                }
            )
        return org_type

    def create(self, ctx, values):
        dossier = values["dossier_ref"]
        _own_dossier(ctx, dossier)
        status, decided_on = values["status"], values["decided_on"]
        reasons = (values.get("reasons") or "").strip()
        organisation = self._organisation(ctx, values)
        org_type = self._type(values)
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        latest = decision_actions.latest_decision(locked)
        # A decision after a negative one is its review (the app's rule: never an edit).
        reviews = latest if latest is not None and latest.is_negative else None
        decision_actions._check(
            locked,
            status=status,
            decided_on=decided_on,
            reasons=reasons,
            reviews=reviews,
            latest=latest,
        )
        current = locked.current_stage
        target = decision_actions.stage_after(current, status.code)
        if target is not None:
            reason = ""
            if case_actions.allowed_moves(current)[target]:
                reason = _t("Identification decision: %(status)s (%(organisation)s)") % {
                    "status": status.label,
                    "organisation": organisation.name,
                }
            try:
                case_actions.record_stage_event(
                    locked,
                    acting_user=ctx.user,
                    stage=target,
                    on=decided_on,
                    reason=reason,
                    organisation_id=ctx.organisation.pk,
                )
            except ValidationError as exc:
                raise ValidationError(
                    {"decided_on" if k == "on" else "status": v for k, v in exc.error_dict.items()}
                ) from exc
        decision = IdentificationDecision.objects.create(
            dossier=locked,
            status=status,
            decided_on=decided_on,
            organisation=organisation,
            organisation_type=org_type,
            reasons=reasons,
            decided_by=ctx.user,
            reviews=reviews,
        )
        log.write(
            ctx.user,
            "import_decision",
            decision,
            ["status", "decided_on", "organisation", "organisation_type", "reasons"]
            + (["reviews"] if reviews else []),
            organisation_id=ctx.organisation.pk,
        )
        return self.remember(ctx, values["ref"], decision)

    def changes(self, ctx, decision, values):
        return _compare(
            [
                ("dossier_ref", decision.dossier.reference, values["dossier_ref"].reference),
                ("decided_on", decision.decided_on, values["decided_on"]),
                ("status", decision.status, values["status"]),
                ("deciding_org_type", decision.organisation_type, values.get("deciding_org_type")),
                (
                    "deciding_organisation",
                    decision.organisation,
                    values.get("deciding_organisation"),
                ),
                ("reasons", decision.reasons, (values.get("reasons") or "").strip() or None),
            ]
        )


# --- Referrals --------------------------------------------------------------------------------

STEP_DATES = {
    ReferralStatus.ACCEPTED: ("accepted_on",),
    ReferralStatus.REJECTED: ("rejected_on",),
    ReferralStatus.DONE: ("accepted_on", "done_on"),
    ReferralStatus.REVOKED: ("revoked_on",),
}


class ReferralWriter(Writer):
    kind = "referrals"

    def _dates(self, values):
        status = values["status"]
        sent_on = values["sent_on"]
        _not_future("sent_on", sent_on)
        dates = {}
        for column in ("accepted_on", "rejected_on", "done_on", "revoked_on"):
            day = values.get(column)
            if day is None:
                continue
            if column not in STEP_DATES.get(status, ()):
                raise ValidationError(
                    {column: _t("This date does not go with the status of the referral.")}
                )
            _not_future(column, day)
            if day < sent_on:
                raise ValidationError({column: _t("This date is before the referral was sent.")})
            dates[column] = day
        for column in STEP_DATES.get(status, ()):
            if column not in dates:
                raise ValidationError({column: _t("Give the date of this step of the referral.")})
        if dates.get("done_on") and dates["done_on"] < dates["accepted_on"]:
            raise ValidationError({"done_on": _t("A referral is done after it was accepted.")})
        return status, dates

    def _consent(self, ctx, dossier, values, child):
        """The consent the referral rests on: recorded in the file (yes) → the person's current
        consents on that day, recorded now with the file's date where missing."""
        sent_on = values["sent_on"]
        if not values.get("consent"):
            return None
        person = dossier.person
        found = None
        for purpose in (ConsentPurpose.SERVICES, ConsentPurpose.SHARING):
            consent = (
                Consent.objects.current(sent_on).filter(person=person, purpose=purpose).first()
            )
            if consent is None:
                consent = Consent.objects.create(
                    person=person,
                    purpose=purpose,
                    given_on=sent_on,
                    given_by=ConsentGivenBy.GUARDIAN if child else ConsentGivenBy.PERSON,
                    recorded_by=ctx.user,
                    organisation=ctx.organisation,
                )
                log.write(
                    ctx.user,
                    "import_consent",
                    consent,
                    ["purpose", "given_on", "given_by"],
                    organisation_id=ctx.organisation.pk,
                )
            if purpose == ConsentPurpose.SHARING:
                found = consent
        return found

    def create(self, ctx, values):
        dossier = values["dossier_ref"]
        _own_dossier(ctx, dossier)
        to_org, service = values["provider"], values["service"]
        status, dates = self._dates(values)
        sent_on = values["sent_on"]
        if to_org.pk == dossier.owner_org_id:
            raise ValidationError({"provider": _t("Refer to another, active organisation.")})
        _before_opening(ctx, "sent_on", sent_on, dossier)
        rejection = values.get("rejection_reason") or ""
        if status == ReferralStatus.REJECTED and not rejection:
            raise ValidationError({"rejection_reason": _t("Give the reason for the rejection.")})
        if rejection and status != ReferralStatus.REJECTED:
            raise ValidationError(
                {"rejection_reason": _t("Only a rejected referral has a reason for rejection.")}
            )
        if (
            status in OPEN_STATUSES
            and Referral.objects.filter(
                dossier=dossier, to_org=to_org, service=service, status__in=OPEN_STATUSES
            ).exists()
        ):
            raise ValidationError(_t("An open referral to this provider for this service exists."))
        child = dossier.person.is_child_on(sent_on)
        guardian = (values.get("guardian") or "").strip()
        if child and not guardian and not values.get("consent"):
            raise ValidationError(
                {"guardian": _t("A child is referred with the guardian recorded: name them.")}
            )
        if not child and not values.get("consent"):
            raise ValidationError(
                {
                    "consent": _t(
                        "An adult is referred with their consent: say “yes” if it was recorded."
                    )
                }
            )
        consent = self._consent(ctx, dossier, values, child)
        referral = Referral(
            dossier=dossier,
            from_org=dossier.owner_org,
            to_org=to_org,
            service=service,
            reason=(values.get("reason") or "").strip()
            or _t("Imported with the casework of past years."),
            urgent=bool(values.get("urgent")),
            status=status,
            consent=consent,
            is_child=child,
            guardian=guardian,
            rejection_reason=rejection,
            sent_by=ctx.user,
            sent_at=_noon(sent_on),
            accepted_at=_noon(dates["accepted_on"]) if "accepted_on" in dates else None,
            rejected_at=_noon(dates["rejected_on"]) if "rejected_on" in dates else None,
            done_at=_noon(dates["done_on"]) if "done_on" in dates else None,
            revoked_at=_noon(dates["revoked_on"]) if "revoked_on" in dates else None,
        )
        referral.full_clean(exclude=["dossier", "from_org", "to_org", "consent", "grant"])
        referral.save()
        if status in OPEN_STATUSES:
            # Still open at the end of the file's year: the provider sees the dossier, as for a
            # referral sent in Himaya.
            referral.grant = case_actions.create_grant(
                dossier,
                acting_user=ctx.user,
                organisation=to_org,
                reason=str(
                    _t("Referral for %(service)s") % {"service": referral.get_service_display()}
                ),
                with_identity=True,
                source=f"{access.REFERRAL_SOURCE}{referral.pk}",
                announce=False,
            )
            referral.save(update_fields=["grant"])
        log.write(
            ctx.user,
            "import_referral",
            referral,
            ["to_org", "service", "status", "sent_at", *(f"{k[:-3]}_at" for k in dates)],
            organisation_id=ctx.organisation.pk,
        )
        return self.remember(ctx, values["ref"], referral)

    def changes(self, ctx, referral, values):
        status = values["status"]
        pairs = [
            ("dossier_ref", referral.dossier.reference, values["dossier_ref"].reference),
            ("provider", referral.to_org, values["provider"]),
            ("service", referral.service, values["service"]),
            ("sent_on", _local_day(referral.sent_at), values["sent_on"]),
            ("status", referral.status, status),
            ("rejection_reason", referral.rejection_reason, values.get("rejection_reason") or ""),
        ]
        for column in ("accepted_on", "rejected_on", "done_on", "revoked_on"):
            recorded = _local_day(getattr(referral, f"{column[:-3]}_at"))
            pairs.append((column, recorded, values.get(column) if column in values else None))
        return _compare(pairs)


# --- Services delivered ---------------------------------------------------------------------


class ServiceWriter(Writer):
    kind = "services"
    related = ("dossier", "facility")

    def _facility(self, ctx, values):
        name = values.get("facility")
        if not name:
            raise ValidationError({"facility": _t("Name the facility of the shelter stay.")})
        for facility in Facility.objects.filter(organisation=ctx.organisation):
            if normalise(facility.name) == normalise(name) or str(facility.pk) == name:
                return facility
        raise ValidationError({"facility": _t("Your organisation has no facility of this name.")})

    def _stay(self, ctx, dossier, values):
        facility = self._facility(ctx, values)
        group = values.get("bed_group")
        if not group:
            raise ValidationError({"bed_group": _t("Give the group of the bed.")})
        if not facility.beds(group):
            raise ValidationError({"bed_group": _t("This facility has no beds for this group.")})
        admitted, discharged = values["date"], values.get("end_date")
        _not_future("end_date", discharged)
        if discharged is not None:
            if discharged < admitted:
                raise ValidationError({"end_date": _t("Discharge comes after admission.")})
            if not values.get("discharge_reason"):
                raise ValidationError(
                    {"discharge_reason": _t("Give the reason for the discharge.")}
                )
        overlapping = ShelterStay.objects.filter(dossier=dossier).filter(
            Q(discharged_on__isnull=True) | Q(discharged_on__gt=admitted)
        )
        if discharged is not None:
            overlapping = overlapping.filter(admitted_on__lt=discharged)
        if overlapping.exists():
            raise ValidationError(
                {"date": _t("The person was staying in a shelter at that time already.")}
            )
        if facility.occupied(admitted)[group] >= facility.beds(group):
            raise ValidationError({"bed_group": _t("No bed of this group is free on that day.")})
        referral = values.get("referral_ref")
        if referral is not None and referral.dossier_id != dossier.pk:
            raise ValidationError(
                {"referral_ref": _t("This referral is not one of this dossier's.")}
            )
        stay = ShelterStay.objects.create(
            facility=facility,
            dossier=dossier,
            referral=referral,
            bed_group=group,
            admitted_on=admitted,
            discharged_on=discharged,
            discharge_reason=values.get("discharge_reason") or "",
            recorded_by=ctx.user,
        )
        log.write(
            ctx.user,
            "import_stay",
            stay,
            ["facility", "bed_group", "admitted_on", "discharged_on", "discharge_reason"],
            organisation_id=ctx.organisation.pk,
        )
        return stay

    def _return(self, ctx, dossier, values):
        if values.get("destination") is None:
            raise ValidationError({"destination": _t("Give the country of destination.")})
        partner, other = values.get("partner"), (values.get("partner_other") or "").strip()
        if partner is None and not other:
            raise ValidationError({"partner": _t("Name the partner organisation.")})
        record = ReturnAssistance(
            dossier=dossier,
            organisation=ctx.organisation,
            destination=values["destination"],
            partner=partner,
            partner_other=other,
            travel_on=values["date"],
            reintegration_followup=(values.get("note") or "").strip(),
            given_by=ctx.user,
        )
        record.full_clean(exclude=["dossier", "organisation", "given_by"])
        record.save()
        log.write(
            ctx.user,
            "import_return",
            record,
            ["destination", "partner", "travel_on"],
            organisation_id=ctx.organisation.pk,
        )
        return record

    def _session(self, ctx, dossier, values):
        record = ServiceRecord(
            dossier=dossier,
            organisation=ctx.organisation,
            kind=values["service"],
            on=values["date"],
            given_by=ctx.user,
            note=(values.get("note") or "").strip(),
        )
        record.full_clean(exclude=["dossier", "organisation", "given_by"])
        record.save()
        log.write(
            ctx.user,
            "import_session",
            record,
            ["kind", "on", "note"],
            organisation_id=ctx.organisation.pk,
        )
        return record

    def create(self, ctx, values):
        dossier = values["dossier_ref"]
        _own_dossier(ctx, dossier)
        _not_future("date", values["date"])
        _before_opening(ctx, "date", values["date"], dossier)
        service = values["service"]
        if service == Service.SHELTER:
            record = self._stay(ctx, dossier, values)
        elif service == Service.RETURN:
            record = self._return(ctx, dossier, values)
        else:
            record = self._session(ctx, dossier, values)
        return self.remember(ctx, values["ref"], record)

    def changes(self, ctx, record, values):
        service = values["service"]
        pairs = [("dossier_ref", record.dossier.reference, values["dossier_ref"].reference)]
        if isinstance(record, ShelterStay):
            pairs += [
                ("service", Service.SHELTER.value, service),
                ("date", record.admitted_on, values["date"]),
                ("end_date", record.discharged_on, values.get("end_date")),
                ("bed_group", record.bed_group, values.get("bed_group")),
                (
                    "facility",
                    normalise(record.facility.name),
                    normalise(values.get("facility") or "") or None,
                ),
            ]
        elif isinstance(record, ReturnAssistance):
            pairs += [
                ("service", Service.RETURN.value, service),
                ("date", record.travel_on, values["date"]),
                ("destination", record.destination, values.get("destination")),
                ("partner", record.partner, values.get("partner")),
            ]
        else:
            pairs += [
                ("service", record.kind, service),
                ("date", record.on, values["date"]),
            ]
        return _compare(pairs)


# --- The kinds ---------------------------------------------------------------------------------


def _ref(example):
    return Column(
        REF.key,
        _(
            "Your organisation's number for this record: unique in its sheet; a re-import finds "
            "the record again by it (number the rows 1, 2, 3… if your file has none, and keep "
            "the numbers)."
        ),
        required=True,
        aliases=REF.aliases,
        max_length=64,
        example=example,
    )


def _country(key, help, aliases=(), required=False):
    return Column(key, help, "code", required, code_list="country", aliases=aliases, example="MA")


def _org(key, help, aliases=(), required=False, example=""):
    return Column(
        key, help, "choice", required, vocab=_active_orgs, aliases=aliases, example=example
    )


def _decision_stage(values):
    # Decisions are written last, in the order of their dates: a dossier's decisions (and the
    # stages they move it to) follow one another whatever the order of the rows.
    day = values.get("decided_on")
    return 1 + (day.toordinal() if day else 0)


KINDS = [
    Kind(
        "dossiers",
        _("Dossiers (with the person)"),
        _(
            "One row per dossier your organisation opened, with the person it is about (a new "
            "person record for each row)."
        ),
        [
            _ref("D-2024-017"),
            Column(
                "opened_on",
                _("Date the dossier was opened."),
                "date",
                True,
                aliases=("opened", "date d'ouverture", "ouvert le", "تاريخ الفتح"),
                example="2024-02-14",
            ),
            Column(
                "given_name_lat",
                _("Given name (Latin script)."),
                aliases=("prénom", "given name", "first name"),
                max_length=200,
                example="Amina",
            ),
            Column(
                "family_name_lat",
                _("Family name (Latin script)."),
                aliases=("nom", "family name", "last name"),
                max_length=200,
                example="Benali",
            ),
            Column(
                "given_name_ar",
                _("Given name (Arabic script)."),
                aliases=("prénom arabe", "الاسم الشخصي"),
                max_length=200,
            ),
            Column(
                "family_name_ar",
                _("Family name (Arabic script)."),
                aliases=("nom arabe", "الاسم العائلي"),
                max_length=200,
            ),
            Column(
                "sex",
                _("Sex."),
                "code",
                code_list="sex",
                aliases=("sexe", "الجنس"),
                example="female",
            ),
            Column(
                "birth_date",
                _("Birth date (a year alone: give 1 January and the precision “year”)."),
                "date",
                aliases=("date de naissance", "تاريخ الازدياد"),
                example="1998-05-02",
            ),
            Column(
                "birth_date_precision",
                _("Precision of the birth date (default: exact when a birth date is given)."),
                "choice",
                vocab=_choices(BirthDatePrecision.choices),
                aliases=("précision", "دقة تاريخ الازدياد"),
                example="exact",
            ),
            Column(
                "estimated_age",
                _("Estimated age when the dossier was opened, if the birth date is unknown."),
                "int",
                aliases=("âge estimé", "العمر التقديري"),
            ),
            Column(
                "citizenship",
                _("Citizenships (country codes), separated by “;”."),
                "code",
                code_list="country",
                many=True,
                aliases=("nationalité", "nationality", "الجنسية"),
                example="MA",
            ),
            Column(
                "forms",
                _("Forms of exploitation, separated by “;”."),
                "code",
                code_list="exploitation_form",
                many=True,
                aliases=("formes", "forme d'exploitation", "أشكال الاستغلال"),
                example="sexual; forced_labour",
            ),
            Column(
                "form_other_detail",
                _("The other form of exploitation, when the forms include “other”."),
                aliases=("autre forme", "شكل آخر"),
                max_length=1000,
            ),
            _country(
                "recruitment_country",
                _("Country of recruitment."),
                ("pays de recrutement", "بلد الاستقطاب"),
            ),
            Column(
                "recruitment_city",
                _("City of recruitment."),
                aliases=("ville de recrutement", "مدينة الاستقطاب"),
                max_length=200,
            ),
            _country(
                "exploitation_country",
                _("Country of exploitation."),
                ("pays d'exploitation", "بلد الاستغلال"),
            ),
            Column(
                "exploitation_region",
                _("Region of exploitation (in Morocco)."),
                "code",
                code_list="region",
                aliases=("région d'exploitation", "جهة الاستغلال"),
                example="tanger_tetouan_al_hoceima",
            ),
            Column(
                "exploitation_city",
                _("City of exploitation."),
                aliases=("ville d'exploitation", "مدينة الاستغلال"),
                max_length=200,
            ),
        ],
        DossierWriter(),
        aliases=("dossier", "persons", "personnes", "الملفات", "ملفات"),
    ),
    Kind(
        "decisions",
        _("Identification decisions"),
        _(
            "One row per formal decision on whether the person is a victim (possible victim, "
            "actual victim, not a victim). A dossier's decisions are recorded in the order of "
            "their dates; a decision after a “not a victim” one is recorded as its review."
        ),
        [
            _ref("ID-2024-003"),
            _dossier_ref(),
            Column(
                "decided_on",
                _("Date of the decision."),
                "date",
                True,
                aliases=("date", "date de la décision", "تاريخ القرار"),
                example="2024-03-01",
            ),
            Column(
                "status",
                _("Trafficking status decided."),
                "code",
                True,
                code_list="trafficking_status",
                aliases=("statut", "décision", "القرار", "الصفة"),
                example="actual",
            ),
            Column(
                "deciding_org_type",
                _("Type of the organisation that decided (required unless it is named)."),
                "code",
                code_list="decision_org",
                aliases=("type d'organisme", "نوع الجهة المقررة"),
                example="police",
            ),
            _org(
                "deciding_organisation",
                _(
                    "The organisation that decided, if it is in Himaya (blank: recorded as "
                    "decided by your organisation, with the type given)."
                ),
                ("organisme décideur", "الجهة المقررة"),
            ),
            Column(
                "reasons",
                _("Reasons for the decision."),
                required=True,
                aliases=("motifs", "raisons", "الأسباب", "التعليل"),
                max_length=decision_actions.REASONS_MAX,
            ),
        ],
        DecisionWriter(),
        aliases=(
            "identifications",
            "identification decisions",
            "décisions",
            "décisions d'identification",
            "قرارات التحديد",
        ),
        stage=_decision_stage,
        field_columns={"reviews": "status", "organisation": "deciding_organisation"},
    ),
    Kind(
        "referrals",
        _("Referrals"),
        _(
            "One row per referral of a dossier to a service provider, with its outcome. An adult "
            "is referred with consent (consent: yes; the consents are recorded with the date "
            "of the referral if the person has none); a child with the guardian named."
        ),
        [
            _ref("R-2024-051"),
            _dossier_ref(),
            Column(
                "sent_on",
                _("Date the referral was sent."),
                "date",
                True,
                aliases=("date", "date d'envoi", "envoyée le", "تاريخ الإحالة"),
                example="2024-03-02",
            ),
            _org(
                "provider",
                _("The provider organisation referred to (its name in Himaya, in any language)."),
                ("prestataire", "organisme", "to", "الجهة المحال عليها"),
                required=True,
                example="Dar Amane shelter",
            ),
            Column(
                "service",
                _("Service asked for."),
                "choice",
                True,
                vocab=_choices(Service.choices),
                aliases=("prestation", "الخدمة"),
                example="shelter",
            ),
            # Required: no default is safe. "done" would claim services completed (the
            # "assisted" figure) and then demand dates the file lacks; "in progress" would
            # open the dossier to the provider today (an open referral's access grant).
            Column(
                "status",
                _(
                    "Status of the referral at the end: in progress, accepted, rejected, done "
                    "or revoked."
                ),
                "choice",
                True,
                vocab=_choices(ReferralStatus.choices),
                aliases=("statut", "الحالة"),
                example="done",
            ),
            Column(
                "accepted_on",
                _("Date the provider accepted (accepted and done referrals)."),
                "date",
                aliases=("acceptée le", "تاريخ القبول"),
            ),
            Column(
                "rejected_on",
                _("Date the provider rejected (rejected referrals)."),
                "date",
                aliases=("rejetée le", "تاريخ الرفض"),
            ),
            Column(
                "done_on",
                _("Date the service was completed (done referrals)."),
                "date",
                aliases=("terminée le", "تاريخ الإنجاز"),
            ),
            Column(
                "revoked_on",
                _("Date your organisation withdrew the referral (revoked referrals)."),
                "date",
                aliases=("annulée le", "تاريخ السحب"),
            ),
            Column(
                "rejection_reason",
                _("Reason for the rejection (rejected referrals)."),
                "choice",
                vocab=_choices(RejectionReason.choices),
                aliases=("motif du rejet", "سبب الرفض"),
            ),
            Column(
                "consent",
                _("The person's consent was recorded (yes/no)."),
                "bool",
                aliases=("consentement", "الموافقة"),
                example="yes",
            ),
            Column(
                "guardian",
                _("The guardian, for a child (name and relation)."),
                aliases=("tuteur", "الولي"),
                max_length=300,
            ),
            Column(
                "reason",
                _("Why the person was referred (optional)."),
                aliases=("motif", "سبب الإحالة"),
                max_length=5000,
            ),
            Column("urgent", _("Urgent (yes/no)."), "bool", aliases=("مستعجل",)),
        ],
        ReferralWriter(),
        aliases=("referral", "orientations", "références", "الإحالات"),
        field_columns={"to_org": "provider", "sent_at": "sent_on"},
    ),
    Kind(
        "services",
        _("Services delivered"),
        _(
            "One row per service your organisation gave: a shelter stay (admission and "
            "discharge), a session (psychosocial support, medical care, legal aid, "
            "interpretation…) or a return (destination and partner)."
        ),
        [
            _ref("S-2024-200"),
            _dossier_ref(),
            Column(
                "service",
                _("shelter, return, or the kind of session."),
                "choice",
                True,
                vocab=_services,
                aliases=("prestation", "type", "الخدمة"),
                example="psychosocial",
            ),
            Column(
                "date",
                _("Date: of the admission (shelter), of the session, of the travel (return)."),
                "date",
                True,
                aliases=("date", "التاريخ"),
                example="2024-03-05",
            ),
            Column(
                "end_date",
                _("Date of the discharge (shelter; blank if the person is still there)."),
                "date",
                aliases=("date de sortie", "تاريخ المغادرة"),
            ),
            Column(
                "discharge_reason",
                _("Reason for the discharge (shelter)."),
                "choice",
                vocab=_choices(DischargeReason.choices),
                aliases=("motif de sortie", "سبب المغادرة"),
            ),
            Column(
                "facility",
                _("Your facility where the person stayed, by its name (shelter)."),
                aliases=("centre", "établissement", "المركز"),
                max_length=200,
            ),
            Column(
                "bed_group",
                _("Group of the bed (shelter)."),
                "choice",
                vocab=_bed_groups,
                aliases=("lit", "groupe", "السرير"),
                example="women",
            ),
            Column(
                "referral_ref",
                _("The referral the stay followed, if any (its ref in the referrals sheet)."),
                type="ref",
                ref="referrals",
                aliases=("référence de l'orientation", "مرجع الإحالة"),
                max_length=64,
            ),
            _country(
                "destination",
                _("Country of destination (return)."),
                ("pays de destination", "بلد الوجهة"),
            ),
            _org(
                "partner",
                _("Partner organisation of the return, if it is in Himaya."),
                ("partenaire", "الشريك"),
            ),
            Column(
                "partner_other",
                _("Partner of the return not in Himaya (a consulate…)."),
                aliases=("autre partenaire", "شريك آخر"),
                max_length=200,
            ),
            Column(
                "note",
                _("Note (session), or reintegration follow-up (return)."),
                aliases=("remarque", "ملاحظة"),
                max_length=5000,
            ),
        ],
        ServiceWriter(),
        aliases=("service", "prestations", "الخدمات"),
        field_columns={"on": "date", "kind": "service", "travel_on": "date"},
    ),
]


def kind_by_key(key):
    return next((k for k in KINDS if k.key == key), None)
