"""One policy per access-controlled model, all with the same methods, and the registry that
finds a model's policy (NetBox's ObjectPermission idea, with our rules).

A policy answers, for one model:

- ``view(qs, user)``: the rows of ``qs`` the user may open;
- ``view_identity(qs, user)``: those they may open with the identity (``identity_fields``);
  a record without an identity level is seen whole, so this is ``view``;
- ``change(qs, user)``: those they may change. Where writes are decided record by record in
  the actions (who refers, who answers a referral...), no queryset rule exists and the policy
  returns no rows: we fail closed;
- ``acting_org(user, obj=None)``: the organisation a write by the user acts for;
- ``identity_fields``: the fields read only with the identity, declared once per model here
  (or on the model, named here); the serializers, the printouts and the lists read them here.

Policies call the rule functions of this package (the unions of indexed sub-selects): they
write no rule of their own. Querysets reach them through ``RestrictedQuerySet.restrict(user,
action)`` (queryset.py). Core registers the policies of the models whose rules live here, by
label (core imports no app); apps above core register theirs from their ``AppConfig.ready``.
"""

from django.core.exceptions import ImproperlyConfigured

from . import dossiers, exchange, hotline, justice, referrals, screening
from .base import model, primary_org_id, restrict
from .routing import (
    acting_org_for,
    hotline_acting_org_for,
    investigation_org_for,
    prosecution_org_for,
)

ACTIONS = ("view", "view_identity", "change")

_registry = {}


def register(*labels):
    """Class decorator: the policy of the models named "app.Model" (one instance each)."""

    def decorate(cls):
        for label in labels:
            if label in _registry:
                raise ImproperlyConfigured(f"{label} already has a policy: {_registry[label]!r}")
            _registry[label] = cls()
        return cls

    return decorate


def _label(target):
    if isinstance(target, str):
        return target
    return target._meta.label


def policy_for(target):
    """The policy of a model (a class, an instance or its "app.Model" label). A model without
    one is an error, never an open door."""
    try:
        return _registry[_label(target)]
    except KeyError:
        raise LookupError(f"no access policy for {_label(target)}") from None


def registered():
    """``{label: policy}`` of every registered model."""
    return dict(_registry)


class Policy:
    identity_fields = ()

    def view(self, qs, user):
        return qs.none()

    def view_identity(self, qs, user):
        return self.view(qs, user)

    def change(self, qs, user):
        return qs.none()

    def acting_org(self, user, obj=None):
        return primary_org_id(user)

    def apply(self, qs, user, action):
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}: one of {', '.join(ACTIONS)}")
        return getattr(self, action)(qs, user)

    def __repr__(self):
        return type(self).__name__


class ChildPolicy(Policy):
    """Records seen with their parent record: ``path`` leads to it, ``parent`` names it."""

    parent = path = ""

    def view(self, qs, user):
        parents = model(self.parent).objects.visible_to(user).values("pk")
        return qs.filter(**{f"{self.path}__in": parents})


# --- Persons and dossiers (dossiers.py) ----------------------------------------------------


@register("people.Person")
class PersonPolicy(Policy):
    """A person's record is their identity: seen only at the identity level."""

    @property
    def identity_fields(self):
        return model("people.Person").IDENTITY_FIELDS

    def view(self, qs, user):
        return dossiers.filter_persons(qs, user)

    def change(self, qs, user):
        return dossiers.filter_writable_persons(qs, user)


@register("people.IdentityDocument", "people.Consent")
class PersonChildPolicy(Policy):
    def view(self, qs, user):
        return dossiers.filter_person_children(qs, user)


@register("cases.Dossier")
class DossierPolicy(Policy):
    @property
    def identity_fields(self):
        return ("person", "caseworker", *model("cases.Dossier").FREE_TEXT_FIELDS)

    def view(self, qs, user):
        return dossiers.filter_dossiers(qs, user)

    def view_identity(self, qs, user):
        # The ids straight from the rule's access paths: a dossier subquery around them made
        # PostgreSQL read every dossier to check a page of 25 (issue 17).
        return restrict(qs, dossiers.identity_dossier_ids(user))

    def change(self, qs, user):
        return qs.filter(dossiers.dossier_write_q(user))

    def acting_org(self, user, obj=None):
        return primary_org_id(user) if obj is None else acting_org_for(user, obj)


class DossierChildPolicy(Policy):
    """Records of a dossier: seen with it; their ``identity_fields`` with its identity."""

    def view(self, qs, user):
        return dossiers.filter_dossier_children(qs, user)

    def view_identity(self, qs, user):
        return dossiers.filter_dossier_children(qs, user, identity=True)


@register("cases.StageEvent")
class StageEventPolicy(DossierChildPolicy):
    pass


@register("cases.IdentificationDecision")
class DecisionPolicy(DossierChildPolicy):
    identity_fields = ("reasons", "decided_by")


@register("cases.OffenceCharge")
class OffencePolicy(DossierChildPolicy):
    @property
    def identity_fields(self):
        return model("cases.OffenceCharge").FREE_TEXT_FIELDS


@register("cases.NonPunishmentAlert")
class AlertPolicy(DossierChildPolicy):
    identity_fields = ("outcome_note",)


@register("cases.DossierNote")
class NotePolicy(Policy):
    """Notes tell the person's story: seen only at the identity level, and by an organisation
    that sees the dossier only through referrals, its own notes only."""

    def view(self, qs, user):
        return referrals.filter_dossier_notes(qs, user)


# --- Hotline (hotline.py) ------------------------------------------------------------------


@register("hotline.Report")
class ReportPolicy(Policy):
    def view(self, qs, user):
        return hotline.filter_reports(qs, user)

    def change(self, qs, user):
        return qs.filter(hotline.report_write_q(user))

    def acting_org(self, user, obj=None):
        return primary_org_id(user) if obj is None else hotline_acting_org_for(user, obj)


@register("hotline.ReportAddition")
class AdditionPolicy(ChildPolicy):
    parent, path = "hotline.Report", "report"


# --- Screening (screening.py) --------------------------------------------------------------


@register("screening.Screening")
class ScreeningPolicy(Policy):
    def view(self, qs, user):
        return screening.filter_screenings(qs, user)

    def change(self, qs, user):
        """Drafts the user may go on answering."""
        return qs.filter(screening.screening_write_q(user))


@register("screening.Campaign")
class CampaignPolicy(Policy):
    def view(self, qs, user):
        return screening.filter_campaigns(qs, user)

    def change(self, qs, user):
        return qs.filter(screening.campaign_write_q(user))


# --- Referrals, services, transfers, providers (referrals.py) ------------------------------


@register("referrals.Referral")
class ReferralPolicy(Policy):
    """Its free text only for a reader who sees the dossier with the identity."""

    @property
    def identity_fields(self):
        return model("referrals.Referral").FREE_TEXT_FIELDS

    def view(self, qs, user):
        return referrals.filter_referrals(qs, user)

    def view_identity(self, qs, user):
        return dossiers.filter_dossier_children(self.view(qs, user), user, identity=True)


@register("referrals.ServiceRecord", "referrals.ReturnAssistance")
@register("referrals.SupportGoal", "referrals.FollowUp")
class ServiceRecordPolicy(Policy):
    org_field = "organisation"

    def view(self, qs, user):
        return referrals.filter_service_records(qs, user, org_field=self.org_field)


@register("referrals.ShelterStay")
class StayPolicy(ServiceRecordPolicy):
    org_field = "facility__organisation"


@register("referrals.DossierTransfer")
class TransferPolicy(Policy):
    def view(self, qs, user):
        return referrals.filter_transfers(qs, user)


@register("referrals.Provider", "referrals.Facility")
class ProviderPolicy(Policy):
    """Not personal data: every member reads them."""

    def view(self, qs, user):
        return referrals.filter_providers(qs, user)


@register("referrals.NgoSupport")
class NgoSupportPolicy(Policy):
    def view(self, qs, user):
        return referrals.filter_ngo_support(qs, user)


# --- Justice (justice.py) ------------------------------------------------------------------


@register("justice.Investigation")
class InvestigationPolicy(Policy):
    def view(self, qs, user):
        return justice.filter_investigations(qs, user)

    def change(self, qs, user):
        """Investigations the user may add suspects, their events and links to."""
        return qs.filter(justice.investigation_write_q(user))

    def acting_org(self, user, obj=None):
        return primary_org_id(user) if obj is None else investigation_org_for(user, obj)


@register("justice.Suspect")
class SuspectPolicy(Policy):
    @property
    def identity_fields(self):
        return model("justice.Suspect").IDENTITY_FIELDS

    def view(self, qs, user):
        return justice.filter_suspects(qs, user)


@register("justice.SuspectEvent")
class SuspectEventPolicy(ChildPolicy):
    parent, path = "justice.Investigation", "investigation"


@register("justice.Prosecution")
class ProsecutionPolicy(Policy):
    def view(self, qs, user):
        return justice.filter_prosecutions(qs, user)

    def change(self, qs, user):
        """Prosecutions whose charges, victims' participation and appeals the user writes."""
        return qs.filter(justice.prosecution_write_q(user))

    def acting_org(self, user, obj=None):
        return primary_org_id(user) if obj is None else prosecution_org_for(user, obj)


@register("justice.Charge", "justice.Appeal", "justice.CourtTransfer", "justice.Participation")
class ProsecutionChildPolicy(ChildPolicy):
    parent, path = "justice.Prosecution", "prosecution"


@register("justice.CourtDecision")
class CourtDecisionPolicy(ProsecutionChildPolicy):
    path = "charge__prosecution"


@register("justice.Sentence")
class SentencePolicy(ProsecutionChildPolicy):
    path = "decision__charge__prosecution"


# --- Statistics, encrypted exports, the data subject's rights (exchange.py) ----------------


@register("statistics.FrozenReport", "statistics.ReportBuild")
class NationalReportPolicy(Policy):
    def view(self, qs, user):
        return qs if exchange.reads_national_report(user) else qs.none()


@register("secure_exports.SecureExport")
class SecureExportPolicy(Policy):
    def view(self, qs, user):
        return exchange.filter_secure_exports(qs, user)


@register("subjects.SubjectRequest")
class SubjectRequestPolicy(Policy):
    def view(self, qs, user):
        return exchange.filter_subject_requests(qs, user)
