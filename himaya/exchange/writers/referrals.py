"""The writers of the casework of past years: referrals and the services delivered (shelter
stays, sessions, returns). The base Writer and the shared checks: writers/casework.py."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _t

from himaya.people.models import ConsentGivenBy
from himaya.referrals import actions as referral_actions
from himaya.referrals.models import (
    Facility,
    ReferralStatus,
    ReturnAssistance,
    Service,
    ShelterStay,
)

from ..values import normalise
from .casework import (
    Writer,
    _before_opening,
    _compare,
    _local_day,
    _own_dossier,
)

# --- Referrals --------------------------------------------------------------------------------

STEP_DATES = {
    ReferralStatus.ACCEPTED: ("accepted_on",),
    ReferralStatus.REJECTED: ("rejected_on",),
    ReferralStatus.DONE: ("accepted_on", "done_on"),
    ReferralStatus.REVOKED: ("revoked_on",),
}


def _step_dates(values):
    """The dates of the referral's steps that its status says it went through: each given,
    none of another step (the order of the dates is the actions' rule)."""
    status = values["status"]
    dates = {}
    for column in ("accepted_on", "rejected_on", "done_on", "revoked_on"):
        day = values.get(column)
        if day is None:
            continue
        if column not in STEP_DATES.get(status, ()):
            raise ValidationError(
                {column: _t("This date does not go with the status of the referral.")}
            )
        dates[column] = day
    for column in STEP_DATES.get(status, ()):
        if column not in dates:
            raise ValidationError({column: _t("Give the date of this step of the referral.")})
    rejection = values.get("rejection_reason") or ""
    if rejection and status != ReferralStatus.REJECTED:
        raise ValidationError(
            {"rejection_reason": _t("Only a rejected referral has a reason for rejection.")}
        )
    return dates


def _consent_given(values, dossier):
    """The consent given with the referral, as the referral page takes it: ``consent: yes``
    is its box "record the consent now", with the page's own defaults (given by the person,
    or by the guardian for a child, on the day of the referral) unless the row says who gave
    it and when. The consent rule itself is the action's (``do_send_referral``)."""
    given_by, given_on = values.get("consent_given_by"), values.get("consent_given_on")
    if not values.get("consent") and not given_by and not given_on:
        return None
    sent_on = values["sent_on"]
    if not given_by:
        child = dossier.person.is_child_on(sent_on)
        given_by = ConsentGivenBy.GUARDIAN if child else ConsentGivenBy.PERSON
    return {"given_by": given_by, "given_on": given_on or sent_on, "informed_in": None}


def _renamed(exc, names):
    """An action's error keyed by the import's column names."""
    found = getattr(exc, "error_dict", None)
    if found is None:
        return exc
    return ValidationError({names.get(key, key): errors for key, errors in found.items()})


def _step(action, referral, ctx, names=None, **kwargs):
    try:
        return action(
            referral,
            acting_user=ctx.user,
            expected_version=referral.version,
            announce=False,
            **kwargs,
        )
    except ValidationError as exc:
        raise _renamed(exc, names or {}) from None


class ReferralWriter(Writer):
    kind = "referrals"

    def create(self, ctx, values):
        dossier = values["dossier_ref"]
        _own_dossier(ctx, dossier)
        dates = _step_dates(values)
        sent_on = values["sent_on"]
        _before_opening(ctx, "sent_on", sent_on, dossier)
        referral = referral_actions.do_send_referral(
            dossier,
            acting_user=ctx.user,
            to_org=values["provider"],
            service=values["service"],
            reason=(values.get("reason") or "").strip()
            or _t("Imported with the casework of past years."),
            urgent=bool(values.get("urgent")),
            guardian=values.get("guardian") or "",
            consent=_consent_given(values, dossier),
            on=sent_on,
            announce=False,
        )
        status = values["status"]
        if "accepted_on" in dates:
            referral = _step(
                referral_actions.do_accept_referral, referral, ctx, on=dates["accepted_on"]
            )
        if status == ReferralStatus.REJECTED:
            referral = _step(
                referral_actions.do_reject_referral,
                referral,
                ctx,
                {"reason": "rejection_reason"},
                reason=values.get("rejection_reason") or "",
                on=dates["rejected_on"],
            )
        elif status == ReferralStatus.DONE:
            referral = _step(
                referral_actions.do_complete_referral, referral, ctx, on=dates["done_on"]
            )
        elif status == ReferralStatus.REVOKED:
            referral = _step(
                referral_actions.do_revoke_referral, referral, ctx, on=dates["revoked_on"]
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
        discharged = values.get("end_date")
        stay = referral_actions.do_admit(
            dossier,
            acting_user=ctx.user,
            facility=facility,
            bed_group=group,
            admitted_on=values["date"],
            referral=values.get("referral_ref"),
            discharged_on=discharged,
        )
        if discharged is not None:
            stay = referral_actions.do_discharge(
                stay,
                acting_user=ctx.user,
                expected_version=stay.version,
                discharged_on=discharged,
                reason=values.get("discharge_reason") or "",
            )
        return stay

    def _return(self, ctx, dossier, values):
        return referral_actions.do_record_return(
            dossier,
            acting_user=ctx.user,
            organisation_id=ctx.organisation.pk,
            destination=values.get("destination"),
            travel_on=values["date"],
            partner=values.get("partner"),
            partner_other=values.get("partner_other") or "",
            followup=values.get("note") or "",
        )

    def _session(self, ctx, dossier, values):
        return referral_actions.do_record_session(
            dossier,
            acting_user=ctx.user,
            organisation_id=ctx.organisation.pk,
            kind=values["service"],
            on=values["date"],
            note=values.get("note") or "",
        )

    def create(self, ctx, values):
        dossier = values["dossier_ref"]
        _own_dossier(ctx, dossier)
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
