"""The referrals app's import kinds: the referrals of the casework of past years, with their
outcome, and the services delivered (shelter stays, sessions, returns). exchange/casework.py
groups them after the cases app's kinds (cases/imports.py) into that register.

Declared beside the actions they call (DESIGN.md convention 1): a referral row is sent by
``actions.do_send_referral`` on its day, then accepted, rejected, completed or revoked by the
same ``do_*`` the pages call, on the row's dates; a stay is ``do_admit`` (and ``do_discharge``),
a session ``do_record_session``, a return ``do_record_return``. The consent rule, the order of
the dates, no date in the future and the bed that fits the person are theirs, for a row as for
a form. ``consent: yes`` is the referral page's "record the consent now" box, with that page's
defaults (given by the person, or the guardian for a child, on the day of the referral). Imports
notify nobody (``announce=False``): a past year's referral is no news to the provider."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from himaya.cases.imports import (
    before_opening,
    country_column,
    dossier_ref,
    org_column,
    own_dossier,
    ref_column,
)
from himaya.core.registers.compare import compare
from himaya.core.registers.schema import Column, Kind, choices
from himaya.core.registers.values import Vocabulary, normalise
from himaya.people.models import ConsentGivenBy

from . import actions
from .models import (
    BED_GROUPS,
    DischargeReason,
    Facility,
    ReferralStatus,
    RejectionReason,
    ReturnAssistance,
    Service,
    SessionKind,
    ShelterStay,
)


def local_day(moment):
    return timezone.localtime(moment).date() if moment else None


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
                {column: gettext("This date does not go with the status of the referral.")}
            )
        dates[column] = day
    for column in STEP_DATES.get(status, ()):
        if column not in dates:
            raise ValidationError({column: gettext("Give the date of this step of the referral.")})
    rejection = values.get("rejection_reason") or ""
    if rejection and status != ReferralStatus.REJECTED:
        raise ValidationError(
            {"rejection_reason": gettext("Only a rejected referral has a reason for rejection.")}
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


class ReferralRows:
    """A row of the referrals sheet: sent, then answered, done or revoked on the row's dates,
    through the referral page's own actions."""

    related = ("dossier",)
    prefetched = ()

    def create(self, ctx, values):
        dossier = values["dossier_ref"]
        own_dossier(ctx, dossier)
        dates = _step_dates(values)
        sent_on = values["sent_on"]
        before_opening(ctx, "sent_on", sent_on, dossier)
        referral = actions.do_send_referral(
            dossier,
            acting_user=ctx.user,
            to_org=values["provider"],
            service=values["service"],
            reason=(values.get("reason") or "").strip()
            or gettext("Imported with the casework of past years."),
            urgent=bool(values.get("urgent")),
            guardian=values.get("guardian") or "",
            consent=_consent_given(values, dossier),
            on=sent_on,
            announce=False,
        )
        status = values["status"]
        if "accepted_on" in dates:
            referral = _step(actions.do_accept_referral, referral, ctx, on=dates["accepted_on"])
        if status == ReferralStatus.REJECTED:
            referral = _step(
                actions.do_reject_referral,
                referral,
                ctx,
                {"reason": "rejection_reason"},
                reason=values.get("rejection_reason") or "",
                on=dates["rejected_on"],
            )
        elif status == ReferralStatus.DONE:
            referral = _step(actions.do_complete_referral, referral, ctx, on=dates["done_on"])
        elif status == ReferralStatus.REVOKED:
            referral = _step(actions.do_revoke_referral, referral, ctx, on=dates["revoked_on"])
        return referral

    def changes(self, ctx, referral, values):
        status = values["status"]
        pairs = [
            ("dossier_ref", referral.dossier.reference, values["dossier_ref"].reference),
            ("provider", referral.to_org, values["provider"]),
            ("service", referral.service, values["service"]),
            ("sent_on", local_day(referral.sent_at), values["sent_on"]),
            ("status", referral.status, status),
            ("rejection_reason", referral.rejection_reason, values.get("rejection_reason") or ""),
        ]
        for column in ("accepted_on", "rejected_on", "done_on", "revoked_on"):
            recorded = local_day(getattr(referral, f"{column[:-3]}_at"))
            pairs.append((column, recorded, values.get(column) if column in values else None))
        return compare(pairs)


# --- Services delivered ---------------------------------------------------------------------


class ServiceRows:
    """A row of the services sheet: a shelter stay, a session or a return, through the
    actions of the dossier's services page."""

    related = ("dossier", "facility")
    prefetched = ()

    def _facility(self, ctx, values):
        name = values.get("facility")
        if not name:
            raise ValidationError({"facility": gettext("Name the facility of the shelter stay.")})
        # A facility is named in any of its languages: files are written by staff of each.
        for facility in Facility.objects.filter(organisation=ctx.organisation):
            names = {normalise(facility.name_in(code)) for code in ("ar", "fr", "en")}
            if normalise(name) in names or str(facility.pk) == name:
                return facility
        raise ValidationError(
            {"facility": gettext("Your organisation has no facility of this name.")}
        )

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
            raise ValidationError({"bed_group": gettext("Give the group of the bed.")})
        discharged = values.get("end_date")
        stay = actions.do_admit(
            dossier,
            acting_user=ctx.user,
            facility=facility,
            bed_group=group,
            admitted_on=values["date"],
            referral=values.get("referral_ref"),
            discharged_on=discharged,
        )
        if discharged is not None:
            stay = actions.do_discharge(
                stay,
                acting_user=ctx.user,
                expected_version=stay.version,
                discharged_on=discharged,
                reason=values.get("discharge_reason") or "",
            )
        return stay

    def _return(self, ctx, dossier, values):
        return actions.do_record_return(
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
        return actions.do_record_session(
            dossier,
            acting_user=ctx.user,
            organisation_id=ctx.organisation.pk,
            kind=values["service"],
            on=values["date"],
            note=values.get("note") or "",
        )

    def create(self, ctx, values):
        dossier = values["dossier_ref"]
        own_dossier(ctx, dossier)
        before_opening(ctx, "date", values["date"], dossier)
        service = values["service"]
        if service == Service.SHELTER:
            record = self._stay(ctx, dossier, values)
        elif service == Service.RETURN:
            record = self._return(ctx, dossier, values)
        else:
            record = self._session(ctx, dossier, values)
        return record

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
        return compare(pairs)


# --- The kinds ---------------------------------------------------------------------------------

REFERRALS = Kind(
    "referrals",
    _("Referrals"),
    _(
        "One row per referral of a dossier to a service provider, with its outcome. An adult "
        "is referred with consent (consent: yes; the consents are recorded with the date "
        "of the referral if the person has none); a child with the guardian named."
    ),
    [
        ref_column("R-2024-051"),
        dossier_ref(),
        Column(
            "sent_on",
            _("Date the referral was sent."),
            "date",
            True,
            aliases=("date", "date d'envoi", "envoyée le", "تاريخ الإحالة"),
            example="2024-03-02",
        ),
        org_column(
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
            vocab=choices(Service.choices),
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
            vocab=choices(ReferralStatus.choices),
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
            vocab=choices(RejectionReason.choices),
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
            "consent_given_by",
            _(
                "Who gave the consent recorded with the referral (default: the person, or "
                "the guardian for a child)."
            ),
            "choice",
            vocab=choices(ConsentGivenBy.choices),
            aliases=("consentement donné par", "الموافقة من طرف"),
            example="person",
        ),
        Column(
            "consent_given_on",
            _("Day the consent was given (default: the day of the referral)."),
            "date",
            aliases=("consentement donné le", "تاريخ الموافقة"),
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
    ReferralRows(),
    aliases=("referral", "orientations", "références", "الإحالات"),
    field_columns={
        "to_org": "provider",
        "sent_at": "sent_on",
        "consent_given_on": "consent_given_on",
    },
)

SERVICES = Kind(
    "services",
    _("Services delivered"),
    _(
        "One row per service your organisation gave: a shelter stay (admission and "
        "discharge), a session (psychosocial support, medical care, legal aid, "
        "interpretation…) or a return (destination and partner)."
    ),
    [
        ref_column("S-2024-200"),
        dossier_ref(),
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
            vocab=choices(DischargeReason.choices),
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
        country_column(
            "destination",
            _("Country of destination (return)."),
            ("pays de destination", "بلد الوجهة"),
        ),
        org_column(
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
    ServiceRows(),
    aliases=("service", "prestations", "الخدمات"),
    field_columns={
        "on": "date",
        "kind": "service",
        "travel_on": "date",
        "admitted_on": "date",
        "discharged_on": "end_date",
        "referral": "referral_ref",
    },
)

KINDS = [REFERRALS, SERVICES]
