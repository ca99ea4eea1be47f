"""The dossier page's "Next step" and "Screenings" panels.

Next step: from the dossier's stage (DOMAIN.md §3) and its records as the reader sees them
(decisions, screenings, referrals, shelter stays, consents), what the dossier needs next, which
organisations and roles can do it, and, when this reader may, the page that does it. Whether the
reader may act is asked of the functions the actions themselves check, so a button is never shown
to a reader the action would refuse.

A proposal (a positive screening: "presumed victim"; a shelter admission: "assisted") is a stage
move offered in one click to the owner. It changes nothing by itself: the click posts to
``views.dossier_follow``, which asks for the proposal again and calls ``actions.change_stage``.

cases sits below screening and referrals (DESIGN.md: dependencies point one way), so their
records are read through the dossier's reverse relations, each through its own ``visible_to``,
as the people app reads dossiers; their codes are named here as core.access names them.
"""

import datetime
from dataclasses import dataclass

from babel.lists import format_list
from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.accounts.models import Membership, Organisation, Role
from himaya.core import access
from himaya.core.bidi import html_sentence, isolate
from himaya.core.codelabels import codes_of
from himaya.core.templatetags.himaya import babel_locale, mdate
from himaya.people.models import Consent, ConsentPurpose, Person

from .actions import allowed_moves
from .models import Dossier, IdentificationDecision, Stage

# The ordinary path in order: a proposal moves a dossier forward along it, never back, and never
# out of an end stage.
PATH = (Stage.SCREENING, Stage.PRESUMED, Stage.IDENTIFIED, Stage.ASSISTED)
# The consents an adult's referral needs (referrals.actions.REFERRAL_CONSENT_PURPOSES, S7).
REFERRAL_CONSENTS = (ConsentPurpose.SERVICES, ConsentPurpose.SHARING)
SHELTER = "shelter"  # referrals.models.Service.SHELTER


def _or(labels):
    labels = [str(label) for label in labels if label]
    return format_list(labels, style="or", locale=babel_locale()) if labels else ""


def _and(labels):
    return format_list([str(label) for label in labels], locale=babel_locale())


def _statuses(*codes):
    """The decisions a competent body may take, from the code list (HTCDS)."""
    return _or(c.label for c in codes_of("trafficking_status", codes))


def _related(name):
    """The model of a relation that an app above cases declares on the dossier."""
    return Dossier._meta.get_field(name).related_model


@dataclass
class Step:
    key: str  # stable, for tests and the page (data-step)
    text: str
    who: str = ""  # organisations, "police, gendarmerie or prosecution"
    roles: str = ""  # their roles that can do it
    url: str = ""  # the page (or, with post, the one-click action) that does it
    label: str = ""
    post: bool = False
    final: bool = False  # nothing further in the NRM


@dataclass
class Proposal:
    kind: str  # "screening" or "admission": the URL's word
    stage: str
    on: datetime.date
    reason: str
    text: str


@dataclass
class Facts:
    """What the reader sees of the dossier's records, read once for both panels."""

    stage: str
    last_on: datetime.date | None
    latest_decision: object
    screenings: list  # of the person: linked to this dossier, or to no dossier
    positive: object  # the latest current screening of this dossier with indications
    referrals: list  # open referrals of the dossier
    stay: object  # the current shelter stay


def _memberships(orgs_q):
    return Membership.objects.filter(
        orgs_q, active=True, organisation__active=True, role__in=access.VICTIM_ROLES
    ).order_by()


def _labels(held):
    return _or(r.label for r in Role if r.value in (held or access.VICTIM_ROLES))


def _roles(orgs_q):
    """Labels of the victim-handling roles held in these organisations (those that may act on
    a dossier, core.access.VICTIM_ROLES), in the order of the role list."""
    return _labels(set(_memberships(orgs_q).values_list("role", flat=True).distinct()))


def _roles_of_each(org_ids):
    """``{organisation id: _roles of it}`` for several organisations, in one query."""
    held = {}
    rows = _memberships(Q(organisation_id__in=org_ids)).values_list("organisation_id", "role")
    for org_id, role in rows.distinct():
        held.setdefault(org_id, set()).add(role)
    return {org_id: _labels(held.get(org_id, set())) for org_id in org_ids}


def _org_types(codes):
    return _or(c.label for c in codes_of("org_type", codes))


def read_facts(user, dossier, *, sees_identity):
    Screening = _related("screenings")
    screenings = Screening.objects.visible_to(user).current()
    # An unlinked screening found through the person would tie her identity to this dossier:
    # only for a reader who sees that identity.
    about = Q(dossier=dossier)
    if sees_identity:
        about |= Q(person_id=dossier.person_id, dossier__isnull=True)
    screenings = list(
        screenings.filter(about)
        .select_related("organisation", "screener")
        .defer(*Screening.PRIVATE_FIELDS)
    )
    positive = next(
        (s for s in screenings if s.dossier_id == dossier.pk and s.has_indication), None
    )
    Referral = _related("referrals")
    referrals = list(
        dossier.referrals.visible_to(user)
        .open()
        .select_related("to_org")
        .defer(*Referral.FREE_TEXT_FIELDS)
        .order_by("sent_at", "id")
    )
    stay = (
        dossier.stays.visible_to(user)
        .filter(discharged_on__isnull=True)
        .select_related("facility__organisation")
        .first()
    )
    last_on = getattr(dossier, "stage_on", None)
    if last_on is None:
        last_on = dossier.events.order_by("-on", "-id").values_list("on", flat=True).first()
    latest = (
        IdentificationDecision.objects.visible_to(user)
        .filter(dossier=dossier)
        .select_related("status")
        .defer("reasons")
        .order_by("-decided_on", "-recorded_at", "-id")
        .first()
    )
    return Facts(
        stage=dossier.current_stage or Stage.SCREENING,
        last_on=last_on,
        latest_decision=latest,
        screenings=screenings,
        positive=positive,
        referrals=referrals,
        stay=stay,
    )


# --- proposals -------------------------------------------------------------------------------


def _before(current, target):
    return current in PATH and PATH.index(current) < PATH.index(target)


def _proposal(kind, facts, target, evidence_on, reason, text):
    if not _before(facts.stage, target):
        return None
    # Dated by its evidence, but never before the last stage (change_stage refuses that).
    on = max(evidence_on, facts.last_on) if facts.last_on else evidence_on
    needs_reason = allowed_moves(facts.stage)[target]
    return Proposal(
        kind, target, min(on, timezone.localdate()), reason if needs_reason else "", text
    )


def proposals(facts):
    """The stage moves the dossier's records propose, whoever reads them."""
    found = []
    s = facts.positive
    if s is not None:
        found.append(
            _proposal(
                "screening",
                facts,
                Stage.PRESUMED,
                s.screened_on,
                _("Screening %(ref)s: %(result)s.")
                % {"ref": s.reference, "result": s.get_recommendation_display()},
                html_sentence(
                    _(
                        "The screening %(ref)s of %(date)s found indications of trafficking "
                        "(%(result)s): the dossier can move to “%(stage)s”."
                    ),
                    ref=isolate(s.reference),
                    date=isolate(mdate(s.screened_on)),
                    result=s.get_recommendation_display(),
                    stage=Stage.PRESUMED.label,
                ),
            )
        )
    if facts.stay is not None:
        found.append(
            _proposal(
                "admission",
                facts,
                Stage.ASSISTED,
                facts.stay.admitted_on,
                _("Admitted to the shelter %(facility)s on %(date)s.")
                % {"facility": facts.stay.facility, "date": facts.stay.admitted_on.isoformat()},
                html_sentence(
                    _(
                        "The person was admitted to the shelter %(facility)s on %(date)s: the "
                        "dossier can move to “%(stage)s”."
                    ),
                    facility=isolate(facts.stay.facility),
                    date=isolate(mdate(facts.stay.admitted_on)),
                    stage=Stage.ASSISTED.label,
                ),
            )
        )
    return [p for p in found if p is not None]


def proposal(user, dossier, kind):
    """The proposal ``kind`` for this dossier as ``user`` reads it now, or None."""
    facts = read_facts(user, dossier, sees_identity=access.sees_identity(user, dossier))
    return next((p for p in proposals(facts) if p.kind == kind), None)


# --- next steps ------------------------------------------------------------------------------


class _Builder:
    def __init__(self, user, dossier, facts, *, person, sees_identity, can_write):
        self.user, self.dossier, self.facts = user, dossier, facts
        self.person, self.sees, self.can_write = person, sees_identity, can_write
        self.steps = []

    def add(self, key, text, *, who="", roles="", url="", label="", post=False, final=False):
        self.steps.append(Step(key, text, who, roles, url, label, post, final))

    def owner(self, key, text, *, url="", label="", post=False, may=None):
        """A step for the owning organisation; by default the reader acts when they may write
        the dossier (change_stage, send_referral: dossier_write_q)."""
        self.add(
            key,
            text,
            who=str(self.dossier.owner_org),
            roles=_roles(Q(organisation_id=self.dossier.owner_org_id)),
            url=url if (self.can_write if may is None else may) else "",
            label=label,
            post=post,
        )

    def decision(self, key, text):
        types = settings.HIMAYA_DECIDING_ORG_TYPES
        may = bool(access.decision_org_ids_for(self.user, self.dossier))
        latest = self.facts.latest_decision
        self.add(
            key,
            text,
            who=_org_types(types),
            roles=_roles(Q(organisation__type__code__in=types)),
            url=reverse("cases:decision_create", args=[self.dossier.pk]) if may else "",
            label=_("Review the last decision")
            if latest is not None and latest.is_negative
            else _("Record a decision"),
        )

    def change_stage(self, key, text):
        self.owner(key, text, url="#change-stage", label=_("Change the stage"))

    def proposals(self):
        moves = allowed_moves(self.facts.stage)
        found = proposals(self.facts)
        for p in found:
            allowed = p.stage in moves  # the move is checked again when clicked
            self.owner(
                f"propose-{p.kind}",
                p.text,
                url=reverse("cases:follow", args=[self.dossier.pk, p.kind]) if allowed else "",
                label=_("Move to “%(stage)s”") % {"stage": Stage(p.stage).label},
                post=True,
            )
        return bool(found)

    def screen(self):
        """Screen the person: whoever may start a screening about her (start_screening: a
        victim-handling member of an organisation that may write the person)."""
        person = self.person
        orgs = [self.dossier.owner_org_id]
        if person.registered_by_id and person.registered_by_id != self.dossier.owner_org_id:
            orgs.append(person.registered_by_id)
        may = (
            self.sees
            and access.handles_victims(self.user)
            and Person.objects.writable_by(self.user).filter(pk=person.pk).exists()
        )
        self.add(
            "screen",
            _(
                "Screen the person with the indicator questionnaire: a screening gives a "
                "recommendation, not a decision."
            ),
            who=_or(str(o) for o in Organisation.objects.filter(pk__in=orgs)),
            roles=_roles(Q(organisation_id__in=orgs)),
            url=f"{reverse('screening:create')}?person={person.pk}" if may else "",
            label=_("Start a screening"),
        )

    def link_screenings(self):
        """Link the person's screening (link_dossier: its organisation, owning the dossier)."""
        unlinked = [s for s in self.facts.screenings if s.dossier_id is None]
        if not unlinked:
            return False
        orgs = {s.organisation_id: s.organisation for s in unlinked}
        self.add(
            "link-screening",
            _("A screening of this person is not linked to this dossier yet."),
            who=_or(sorted(str(o) for o in orgs.values())),
            roles=_roles(Q(organisation_id__in=orgs)),
            url="#screenings" if any(getattr(s, "can_link", False) for s in unlinked) else "",
            label=_("Link it"),
        )
        return True

    def consent(self):
        """An adult's consent before any referral (S7); recorded on the person's page by the
        organisations that see her (people.actions.record_consent)."""
        if not self.sees or self.person.is_child_on(timezone.localdate()):
            return False
        given = set(
            Consent.objects.visible_to(self.user)
            .current()
            .filter(person_id=self.person.pk, purpose__in=REFERRAL_CONSENTS)
            .values_list("purpose", flat=True)
        )
        missing = [p for p in REFERRAL_CONSENTS if p not in given]
        if not missing:
            return False
        may = (
            access.handles_victims(self.user)
            and Person.objects.visible_to(self.user).filter(pk=self.person.pk).exists()
        )
        self.owner(
            "consent",
            _("Before a referral, record the person's consent to: %(purposes)s.")
            % {"purposes": _and([ConsentPurpose(p).label for p in missing])},
            url=reverse("people:detail", args=[self.person.pk]),
            label=_("Record the consent"),
            may=may,
        )
        return True

    def refer(self, text):
        self.owner(
            "refer", text, url=reverse("referrals:refer", args=[self.dossier.pk]), label=_("Refer")
        )

    def referrals(self):
        """Open referrals waiting for their receiver: an answer, or a shelter's admission."""
        orgs = access.victim_org_ids(self.user)
        receivers = _roles_of_each({r.to_org_id for r in self.facts.referrals})
        for r in self.facts.referrals:
            receiver = r.to_org_id in orgs  # accept, reject, admit: access.referral_receiver
            url = reverse("referrals:detail", args=[r.pk]) if receiver else ""
            roles = receivers[r.to_org_id]
            if r.accepted_at is None:
                self.add(
                    "answer-referral",
                    _("The referral for %(service)s waits for an answer from %(org)s.")
                    % {"service": r.get_service_display(), "org": r.to_org},
                    who=str(r.to_org),
                    roles=roles,
                    url=url,
                    label=_("Answer the referral"),
                )
            elif r.service == SHELTER and self.facts.stay is None:
                self.add(
                    "admit",
                    _("The shelter accepted the referral: admit the person."),
                    who=str(r.to_org),
                    roles=roles,
                    url=url,
                    label=_("Admit"),
                )

    def followups(self):
        due = self.dossier.followups.visible_to(self.user).filter(done_on__isnull=True).count()
        if due:
            self.add(
                "followups",
                _("Follow-ups still planned: %(n)s.") % {"n": due},
                url=reverse("referrals:services", args=[self.dossier.pk])
                if self.sees and access.service_org_ids_for(self.user, self.dossier)
                else "",
                label=_("Services and support plan"),
            )


def next_steps(user, dossier, facts, *, person, sees_identity, can_write):
    """The steps that take the dossier on from its stage: who acts, and where."""
    b = _Builder(
        user, dossier, facts, person=person, sees_identity=sees_identity, can_write=can_write
    )
    at_stage = _STEPS_AT.get(facts.stage)
    if at_stage is not None:
        at_stage(b)
    return b.steps


def _at_screening(b):
    b.proposals()
    # Screened already: link that screening rather than start another.
    if b.facts.positive is None and not b.link_screenings() and not b.facts.screenings:
        b.screen()
    b.decision(
        "decide",
        _("An identification decision by a competent body: %(statuses)s.")
        % {"statuses": _statuses("possible", "actual", "not_victim")},
    )


def _at_presumed(b):
    b.decision(
        "decide",
        _("A formal identification decision: %(statuses)s.")
        % {"statuses": _statuses("actual", "not_victim")},
    )
    proposed = b.proposals()
    # Consent first: the referral page would refuse an adult without it.
    if not proposed and not b.facts.referrals and not b.consent():
        b.refer(
            _(
                "While the decision is pending, protect the person: refer them to a "
                "shelter or other services."
            )
        )
    b.referrals()


def _at_identified(b):
    facts = b.facts
    if not b.proposals():
        if any(r.accepted_at for r in facts.referrals):
            b.change_stage(
                "assisted",
                _("A referral was accepted: once services begin, record the stage “%(stage)s”.")
                % {"stage": Stage.ASSISTED.label},
            )
        elif not facts.referrals and not b.consent():
            b.refer(_("Assistance: refer the victim to the services they need."))
    b.referrals()


def _at_assisted(b):
    user, dossier, facts = b.user, b.dossier, b.facts
    b.add(
        "support",
        _("Carry out the support plan: services, goals and follow-ups."),
        who=_or(
            [str(dossier.owner_org)] + [str(r.to_org) for r in facts.referrals if r.accepted_at]
        ),
        url=reverse("referrals:services", args=[dossier.pk])
        if b.sees and access.service_org_ids_for(user, dossier)
        else "",
        label=_("Services and support plan"),
    )
    b.referrals()
    if facts.stay is not None:
        b.add(
            "discharge",
            _("Before closing, the shelter records the person's discharge."),
            who=str(facts.stay.facility.organisation),
            roles=_roles(Q(organisation_id=facts.stay.facility.organisation_id)),
            url=reverse("referrals:detail", args=[facts.stay.referral_id])
            if facts.stay.referral_id
            and facts.stay.facility.organisation_id in access.victim_org_ids(user)
            else "",
            label=_("Discharge"),
        )
    b.change_stage(
        "close",
        _("Close the dossier when the support plan is completed."),
    )


def _at_closed(b):
    b.add("closed", _("Nothing further in the NRM: the dossier is closed."), final=True)
    b.followups()


def _at_not_victim(b):
    b.add(
        "not-victim",
        _("Nothing further in the NRM: the person was found not to be a victim."),
        final=True,
    )
    b.decision(
        "review",
        _("New facts? A competent body can review the decision."),
    )


def _at_referred_out(b):
    b.add(
        "referred-out",
        _("Nothing further in the NRM: the dossier was referred out of the mechanism."),
        final=True,
    )


# What the next steps are at each stage (a dossier with no stage yet has none).
_STEPS_AT = {
    Stage.SCREENING: _at_screening,
    Stage.PRESUMED: _at_presumed,
    Stage.IDENTIFIED: _at_identified,
    Stage.ASSISTED: _at_assisted,
    Stage.CLOSED: _at_closed,
    Stage.NOT_VICTIM: _at_not_victim,
    Stage.REFERRED_OUT: _at_referred_out,
}


def panels(user, dossier, *, person, sees_identity, can_write):
    """Context of the "Next step" and "Screenings" panels."""
    facts = read_facts(user, dossier, sees_identity=sees_identity)
    unlinked = [s.pk for s in facts.screenings if s.dossier_id is None]
    linkable = set()
    if unlinked and can_write:  # link_dossier: a screening of the user's organisation
        linkable = set(
            _related("screenings")
            .objects.filter(access.screening_link_q(user), pk__in=unlinked)
            .values_list("pk", flat=True)
        )
    for s in facts.screenings:
        s.can_link = s.pk in linkable
    return {
        "next_steps": next_steps(
            user,
            dossier,
            facts,
            person=person,
            sees_identity=sees_identity,
            can_write=can_write,
        ),
        "person_screenings": facts.screenings,
        "shows_screenings": access.handles_victims(user),
    }
