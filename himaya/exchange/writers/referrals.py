"""The writers of the casework of past years: referrals and the services delivered (shelter
stays, sessions, returns). The base Writer and the shared checks: writers/casework.py."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _t

from himaya.audit import log
from himaya.cases import actions as case_actions
from himaya.core import access
from himaya.people.models import (
    Consent,
    ConsentGivenBy,
    ConsentPurpose,
)
from himaya.referrals.models import (
    OPEN_STATUSES,
    Facility,
    Referral,
    ReferralStatus,
    ReturnAssistance,
    Service,
    ServiceRecord,
    ShelterStay,
)

from ..values import normalise
from .casework import (
    Writer,
    _before_opening,
    _compare,
    _local_day,
    _noon,
    _not_future,
    _own_dossier,
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
        # A facility is named in any of its languages: files are written by staff of each.
        for facility in Facility.objects.filter(organisation=ctx.organisation):
            names = {normalise(facility.name_in(code)) for code in ("ar", "fr", "en")}
            if normalise(name) in names or str(facility.pk) == name:
                return facility
        raise ValidationError({"facility": _t("Your organisation has no facility of this name.")})

    @staticmethod
    def _facility_pair(facility, given):
        """(held, given) for the change check: a facility named in any of its languages is the
        same facility."""
        given = normalise(given or "") or None
        names = {normalise(facility.name_in(code)) for code in ("ar", "fr", "en")}
        return (given if given in names else normalise(facility.name)), given

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
                ("facility", *self._facility_pair(record.facility, values.get("facility"))),
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
