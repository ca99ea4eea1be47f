"""The criminal-justice chain (DOMAIN.md §5): investigations, suspects and what happens to them
(arrest, detention, release), prosecutions with their charges, court decisions per charge,
sentences, appeals, and victims' participation in a proceeding.

Suspects' identities are encrypted and seen only by the justice organisations of their cases
(core.access, "Justice"). Every record an import may bring carries an optional
``external_ref``, unique per organisation and kind, so that a re-import finds it again (R2).

A proceeding (an open investigation, a prosecution not decided) keeps the date of its latest
event in ``last_event_on``: the actions move it forward, and "stalled" is a comparison on it."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from himaya.core import access, hooks
from himaya.core.fields import EncryptedTextField
from himaya.core.models import Code
from himaya.people.models import BirthDatePrecision

from .legal import article_choices, article_label

EXTERNAL_REF_MAX = 64


def _external_ref():
    return models.CharField(
        _("external reference"),
        max_length=EXTERNAL_REF_MAX,
        blank=True,
        help_text=_("The record's number in the register it was imported from."),
    )


def _ref_unique(org_field, name):
    return models.UniqueConstraint(
        fields=[org_field, "external_ref"], condition=~Q(external_ref=""), name=name
    )


def stalled_cutoff(today=None):
    """The date before which a proceeding's latest event makes it stalled: HIMAYA_STALLED_MONTHS
    calendar months before ``today`` (the last day of a shorter month when needed)."""
    today = today or timezone.localdate()
    index = today.year * 12 + today.month - 1 - settings.HIMAYA_STALLED_MONTHS
    year, month = divmod(index, 12)
    for day in (today.day, 30, 29, 28):
        try:
            return datetime.date(year, month + 1, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


class ProceedingQuerySet(models.QuerySet):
    """Shared by investigations and prosecutions: the stalled ones, with their age."""

    finished_q = Q()

    def unfinished(self):
        return self.exclude(self.finished_q)

    def stalled(self, today=None):
        """Unfinished proceedings with no event since HIMAYA_STALLED_MONTHS months; each
        carries ``idle_days`` (since its latest event) and ``open_days`` (since it began)."""
        today = today or timezone.localdate()
        rows = list(self.unfinished().filter(last_event_on__lt=stalled_cutoff(today)))
        for row in rows:
            row.idle_days = (today - row.last_event_on).days
            row.open_days = (today - row.began_on).days
        return rows


# --- Investigations ------------------------------------------------------------------------


class InvestigationStatus(models.TextChoices):
    OPEN = "open", _("open")
    TRANSFERRED = "transferred", _("transferred to the prosecution")
    CLOSED = "closed", _("closed")


class InvestigationQuerySet(ProceedingQuerySet):
    finished_q = ~Q(status=InvestigationStatus.OPEN)

    def visible_to(self, user):
        return access.filter_investigations(self, user)

    def writable_by(self, user):
        return self.filter(access.investigation_write_q(user))

    def filtered(
        self,
        *,
        reference="",
        status=None,
        region=None,
        form=None,
        organisation=None,
        opened_from=None,
        opened_to=None,
    ):
        """The list's filters. A form includes its sub-forms ("labour" finds "begging"), as
        the figures count them; an organisation is the one investigating or the prosecution
        office the investigation went to."""
        qs = self
        if reference:
            qs = qs.filter(Q(reference__icontains=reference) | Q(external_ref__icontains=reference))
        if status:
            qs = qs.filter(status=status)
        if region:
            qs = qs.filter(region=region)
        if form:
            forms = Code.objects.with_descendants(form)
            qs = qs.filter(
                pk__in=Investigation.forms.through.objects.filter(code__in=forms).values(
                    "investigation_id"
                )
            )
        if organisation:
            qs = qs.filter(Q(investigating_org=organisation) | Q(prosecution_office=organisation))
        if opened_from:
            qs = qs.filter(opened_on__gte=opened_from)
        if opened_to:
            qs = qs.filter(opened_on__lte=opened_to)
        return qs


class Investigation(models.Model):
    reference = models.CharField(_("reference"), max_length=32, unique=True, editable=False)
    external_ref = _external_ref()
    opened_on = models.DateField(_("opened on"))
    investigating_org = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("investigating organisation"),
        on_delete=models.PROTECT,
        related_name="investigations",
    )
    prosecution_office = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("prosecution office"),
        on_delete=models.PROTECT,
        related_name="transferred_investigations",
        null=True,
        blank=True,
    )
    region = models.ForeignKey(
        "core.Code",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to={"list": "region"},
    )
    forms = models.ManyToManyField(
        "core.Code",
        verbose_name=_("forms of exploitation suspected"),
        related_name="+",
        blank=True,
        limit_choices_to={"list": "exploitation_form"},
    )
    dossiers = models.ManyToManyField(
        "cases.Dossier",
        verbose_name=_("victims' dossiers"),
        through="DossierLink",
        related_name="investigations",
        blank=True,
    )
    reports = models.ManyToManyField(
        "hotline.Report",
        verbose_name=_("hotline reports"),
        related_name="investigations",
        blank=True,
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=InvestigationStatus.choices,
        default=InvestigationStatus.OPEN,
    )
    status_on = models.DateField(_("status since"), null=True, blank=True)
    last_event_on = models.DateField(_("latest event"))
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = InvestigationQuerySet.as_manager()

    class Meta:
        verbose_name = _("investigation")
        verbose_name_plural = _("investigations")
        ordering = ["-opened_on", "-id"]
        constraints = [_ref_unique("investigating_org", "investigation_external_ref")]
        indexes = [models.Index(fields=["status", "last_event_on"])]

    def __str__(self):
        return self.reference

    @property
    def began_on(self):
        return self.opened_on

    @property
    def involves_official(self):
        return self.suspects.filter(Q(public_official=True) | Q(diplomatic_immunity=True)).exists()


class DossierLink(models.Model):
    """A victim's dossier in an investigation, and who linked it."""

    investigation = models.ForeignKey(
        Investigation, on_delete=models.CASCADE, related_name="dossier_links"
    )
    dossier = models.ForeignKey(
        "cases.Dossier", on_delete=models.PROTECT, related_name="investigation_links"
    )
    linked_by = models.ForeignKey(
        "accounts.User", verbose_name=_("linked by"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    linked_at = models.DateTimeField(_("linked"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("linked dossier")
        verbose_name_plural = _("linked dossiers")
        constraints = [
            models.UniqueConstraint(fields=["investigation", "dossier"], name="dossier_link_once")
        ]

    def __str__(self):
        return f"{self.investigation_id} · {self.dossier_id}"


# --- Suspects --------------------------------------------------------------------------------


def suspect_key(prefix=""):
    """The person a justice record counts for in figures: the suspect record it was linked to as
    the same person (``same_as``), else its own suspect. ``prefix`` leads to the suspect
    foreign key ("" on a prosecution or event, "charge__prosecution__" on a decision)."""
    return Coalesce(F(f"{prefix}suspect__same_as_id"), F(f"{prefix}suspect_id"))


class SuspectQuerySet(models.QuerySet):
    def visible_to(self, user):
        return access.filter_suspects(self, user)


def identity_values(fields):
    """What the duplicate check (linkage) compares of a suspect being entered, as plain
    values, from the suspect actions' fields."""
    return {
        **{
            f: fields.get(f) or ""
            for f in ("given_name_ar", "family_name_ar", "given_name_lat", "family_name_lat")
        },
        "sex": fields["sex"].code if fields.get("sex") else "",
        "birth_date": fields.get("birth_date"),
        "birth_date_precision": fields.get("birth_date_precision"),
        "citizenships": [fields["citizenship"].code] if fields.get("citizenship") else [],
    }


def duplicate_candidates(user, data, investigation):
    """The linkage candidates of a suspect being entered (core.hooks → linkage): the suspects
    the user sees that are not yet in this investigation, and whether a possible match is
    held elsewhere. A hint: the user decides."""
    found = hooks.call("suspect_candidates", user, identity_values(data))
    if not found:
        return [], False
    in_investigation = set(investigation.suspect_links.values_list("suspect_id", flat=True))
    return [c.obj for c in found.visible if c.pk not in in_investigation], found.hidden_match


class Suspect(models.Model):
    IDENTITY_FIELDS = (
        "given_name_ar",
        "family_name_ar",
        "given_name_lat",
        "family_name_lat",
        "birth_date",
        "official_body",
    )

    external_ref = _external_ref()
    given_name_ar = EncryptedTextField(_("given name (Arabic script)"), blank=True)
    family_name_ar = EncryptedTextField(_("family name (Arabic script)"), blank=True)
    given_name_lat = EncryptedTextField(_("given name (Latin script)"), blank=True)
    family_name_lat = EncryptedTextField(_("family name (Latin script)"), blank=True)
    sex = models.ForeignKey(
        "core.Code",
        verbose_name=_("sex"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to={"list": "sex"},
    )
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    birth_date_precision = models.CharField(
        _("birth date precision"),
        max_length=16,
        choices=BirthDatePrecision.choices,
        default=BirthDatePrecision.UNKNOWN,
    )
    citizenship = models.ForeignKey(
        "core.Code",
        verbose_name=_("citizenship"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to={"list": "country"},
    )
    role_in_process = models.ForeignKey(
        "core.Code",
        verbose_name=_("role in the process"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to={"list": "role_in_process"},
    )
    public_official = models.BooleanField(_("public official"), default=False)
    # The kind of body (a code list, read in each reader's language and counted), and the body
    # as its writer named it ("Caïdat de Beni Makada"), shown as typed.
    official_body_type = models.ForeignKey(
        "core.Code",
        verbose_name=_("kind of public body"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to={"list": "public_body"},
    )
    official_body = EncryptedTextField(_("body the official belongs to"), blank=True)
    diplomatic_immunity = models.BooleanField(_("diplomatic immunity"), default=False)
    # Another record of the same person (e.g. registered by the police and by the prosecution),
    # pointing at the record that is not itself a duplicate: figures count the two once.
    same_as = models.ForeignKey(
        "self",
        verbose_name=_("same person as"),
        on_delete=models.PROTECT,
        related_name="duplicates",
        null=True,
        blank=True,
        editable=False,
    )
    registered_by = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    investigations = models.ManyToManyField(
        Investigation,
        verbose_name=_("investigations"),
        through="InvestigationSuspect",
        related_name="suspects",
    )
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = SuspectQuerySet.as_manager()

    class Meta:
        verbose_name = _("suspect")
        verbose_name_plural = _("suspects")
        ordering = ["id"]
        constraints = [_ref_unique("registered_by", "suspect_external_ref")]

    def __str__(self):
        return f"S-{self.pk}"

    @property
    def official_body_shown(self):
        """The body of an official as a reader sees it: its kind in the reader's language, then
        the body as typed ("customs · Tanger Med port")."""
        parts = [self.official_body_type.label if self.official_body_type_id else ""]
        parts.append(self.official_body.strip())
        return " · ".join(p for p in parts if p)

    @property
    def name_ar(self):
        return " ".join(p for p in (self.given_name_ar, self.family_name_ar) if p)

    @property
    def name_lat(self):
        return " ".join(p for p in (self.given_name_lat, self.family_name_lat) if p)

    @property
    def display_name(self):
        if self.name_ar and self.name_lat:
            return f"{self.name_ar} ({self.name_lat})"
        return self.name_ar or self.name_lat or str(self)


class InvestigationSuspect(models.Model):
    investigation = models.ForeignKey(
        Investigation, on_delete=models.CASCADE, related_name="suspect_links"
    )
    suspect = models.ForeignKey(Suspect, on_delete=models.CASCADE, related_name="links")
    added_on = models.DateField(_("identified on"))
    added_by = models.ForeignKey(
        "accounts.User", verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("suspect in an investigation")
        verbose_name_plural = _("suspects in investigations")
        constraints = [
            models.UniqueConstraint(fields=["investigation", "suspect"], name="suspect_once")
        ]

    def __str__(self):
        return f"{self.investigation_id} · {self.suspect_id}"


class EventKind(models.TextChoices):
    ARREST = "arrest", _("arrest")
    DETENTION = "detention", _("pre-trial detention")
    RELEASE = "release", _("release")


class SuspectEventQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(investigation__in=Investigation.objects.visible_to(user).values("pk"))


class SuspectEvent(models.Model):
    external_ref = _external_ref()
    suspect = models.ForeignKey(Suspect, on_delete=models.CASCADE, related_name="events")
    investigation = models.ForeignKey(
        Investigation, on_delete=models.CASCADE, related_name="suspect_events"
    )
    kind = models.CharField(_("event"), max_length=16, choices=EventKind.choices)
    on = models.DateField(_("date"))
    place = EncryptedTextField(_("place"), blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    objects = SuspectEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event on a suspect")
        verbose_name_plural = _("events on suspects")
        ordering = ["on", "id"]
        constraints = [_ref_unique("organisation", "suspect_event_external_ref")]
        indexes = [models.Index(fields=["kind", "on"])]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.on}"


# --- Prosecutions ----------------------------------------------------------------------------


class ProsecutionStatus(models.TextChoices):
    ONGOING = "ongoing", _("ongoing")
    DECIDED = "decided", _("decided")
    APPEALED = "appealed", _("under appeal")


class ProsecutionQuerySet(ProceedingQuerySet):
    finished_q = Q(status=ProsecutionStatus.DECIDED)

    def visible_to(self, user):
        return access.filter_prosecutions(self, user)

    def writable_by(self, user):
        return self.filter(access.prosecution_write_q(user))


class Prosecution(models.Model):
    external_ref = _external_ref()
    suspect = models.ForeignKey(
        Suspect, verbose_name=_("defendant"), on_delete=models.PROTECT, related_name="prosecutions"
    )
    investigation = models.ForeignKey(
        Investigation,
        verbose_name=_("investigation"),
        on_delete=models.PROTECT,
        related_name="prosecutions",
    )
    started_on = models.DateField(_("prosecution started on"))
    office = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("prosecution office"),
        on_delete=models.PROTECT,
        related_name="prosecutions",
    )
    court = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("court seized"),
        on_delete=models.PROTECT,
        related_name="court_prosecutions",
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ProsecutionStatus.choices,
        default=ProsecutionStatus.ONGOING,
    )
    last_event_on = models.DateField(_("latest event"))
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ProsecutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("prosecution")
        verbose_name_plural = _("prosecutions")
        ordering = ["-started_on", "-id"]
        constraints = [
            _ref_unique("office", "prosecution_external_ref"),
            models.UniqueConstraint(
                fields=["investigation", "suspect"], name="prosecution_once_per_investigation"
            ),
        ]
        indexes = [models.Index(fields=["status", "last_event_on"])]

    def __str__(self):
        return f"P-{self.pk}"

    @property
    def began_on(self):
        return self.started_on


class ProsecutionChildQuerySet(models.QuerySet):
    path = "prosecution"

    def visible_to(self, user):
        return self.filter(
            **{f"{self.path}__in": Prosecution.objects.visible_to(user).values("pk")}
        )


class Charge(models.Model):
    external_ref = _external_ref()
    prosecution = models.ForeignKey(Prosecution, on_delete=models.CASCADE, related_name="charges")
    article = models.CharField(_("legal article"), max_length=16, choices=article_choices)
    form = models.ForeignKey(
        "core.Code",
        verbose_name=_("form of exploitation"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"list": "exploitation_form"},
    )
    # Two counts of the same article and form (two victims) are two charges, numbered.
    count = models.PositiveSmallIntegerField(_("count number"), default=1)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = ProsecutionChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("charge")
        verbose_name_plural = _("charges")
        ordering = ["id"]
        constraints = [_ref_unique("organisation", "charge_external_ref")]

    def __str__(self):
        return f"{self.article_label}"

    @property
    def article_label(self):
        return article_label(self.article)

    @property
    def final_decision(self):
        return self.decisions.order_by("-decided_on", "-id").first()


class Outcome(models.TextChoices):
    CONVICTED = "convicted", _("convicted")
    ACQUITTED = "acquitted", _("acquitted")
    DISMISSED = "dismissed", _("dismissed")
    REQUALIFIED = "requalified", _("requalified")


FINAL_OUTCOMES = (Outcome.CONVICTED, Outcome.ACQUITTED, Outcome.DISMISSED)


class Instance(models.TextChoices):
    FIRST = "first", _("first instance")
    APPEAL = "appeal", _("appeal")


class DecisionQuerySet(ProsecutionChildQuerySet):
    path = "charge__prosecution"


class CourtDecision(models.Model):
    external_ref = _external_ref()
    charge = models.ForeignKey(Charge, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(_("decision"), max_length=16, choices=Outcome.choices)
    decided_on = models.DateField(_("decided on"))
    instance = models.CharField(
        _("instance"), max_length=8, choices=Instance.choices, default=Instance.FIRST
    )
    court = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("court"),
        on_delete=models.PROTECT,
        related_name="court_decisions",
        null=True,
        blank=True,
    )
    court_name = models.CharField(_("court (if not listed)"), max_length=200, blank=True)
    requalified_as = models.CharField(
        _("requalified as"), max_length=16, choices=article_choices, blank=True
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("recorded for"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("court decision")
        verbose_name_plural = _("court decisions")
        ordering = ["decided_on", "id"]
        constraints = [_ref_unique("organisation", "decision_external_ref")]
        indexes = [models.Index(fields=["outcome", "decided_on"])]

    def __str__(self):
        return f"{self.get_outcome_display()} · {self.decided_on}"

    @property
    def court_display(self):
        return self.court.name if self.court_id else self.court_name


class CourtTransfer(models.Model):
    """A transfer of jurisdiction: the prosecution left the court seized for another, found when
    a court other than the one seized decides at first instance (the user confirms it), or when
    the court seized is changed. The prosecution's court seized follows it."""

    prosecution = models.ForeignKey(
        Prosecution, on_delete=models.CASCADE, related_name="court_transfers"
    )
    from_court = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("from the court"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_court = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("to the court"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    to_court_name = models.CharField(_("to the court (if not listed)"), max_length=200, blank=True)
    on = models.DateField(_("date"))
    decision = models.ForeignKey(
        CourtDecision,
        verbose_name=_("court decision"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("recorded for"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    objects = ProsecutionChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("transfer of jurisdiction")
        verbose_name_plural = _("transfers of jurisdiction")
        ordering = ["on", "id"]

    def __str__(self):
        return f"{self.from_court} → {self.to_court_display}"

    @property
    def to_court_display(self):
        return self.to_court.name if self.to_court_id else self.to_court_name


class SentenceQuerySet(ProsecutionChildQuerySet):
    path = "decision__charge__prosecution"


class Sentence(models.Model):
    """The sentence of a conviction: prison months, the suspended part of them, a fine."""

    external_ref = _external_ref()
    decision = models.OneToOneField(
        CourtDecision, on_delete=models.CASCADE, related_name="sentence"
    )
    prison_months = models.PositiveIntegerField(_("prison (months)"), default=0)
    suspended_months = models.PositiveIntegerField(_("of which suspended (months)"), default=0)
    fine_mad = models.DecimalField(
        _("fine (MAD)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("recorded for"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = SentenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("sentence")
        verbose_name_plural = _("sentences")
        constraints = [_ref_unique("organisation", "sentence_external_ref")]

    def __str__(self):
        return f"{self.prison_months} / {self.suspended_months}"

    @property
    def firm_months(self):
        return self.prison_months - self.suspended_months


class AppealBy(models.TextChoices):
    PROSECUTION = "prosecution", _("the prosecution")
    DEFENCE = "defence", _("the defence")
    CIVIL_PARTY = "civil_party", _("the civil party")


class AppealOutcome(models.TextChoices):
    PENDING = "pending", _("pending")
    UPHELD = "upheld", _("judgment upheld")
    MODIFIED = "modified", _("judgment modified")
    OVERTURNED = "overturned", _("judgment overturned")


class Appeal(models.Model):
    external_ref = _external_ref()
    prosecution = models.ForeignKey(Prosecution, on_delete=models.CASCADE, related_name="appeals")
    lodged_on = models.DateField(_("lodged on"))
    lodged_by = models.CharField(_("lodged by"), max_length=16, choices=AppealBy.choices)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=AppealOutcome.choices, default=AppealOutcome.PENDING
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("recorded for"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = ProsecutionChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["lodged_on", "id"]
        constraints = [_ref_unique("organisation", "appeal_external_ref")]

    def __str__(self):
        return f"{self.get_lodged_by_display()} · {self.lodged_on}"


class ParticipationRole(models.TextChoices):
    COMPLAINANT = "complainant", _("complainant")
    WITNESS = "witness", _("witness")
    CIVIL_PARTY = "civil_party", _("civil party")


class ProtectionMeasure(models.TextChoices):
    IDENTITY = "identity", _("identity kept confidential")
    CLOSED_HEARING = "closed_hearing", _("hearing in camera")
    REMOTE = "remote", _("testimony by video or behind a screen")
    POLICE = "police", _("police protection")
    RELOCATION = "relocation", _("change of residence")
    OTHER = "other", _("other measure")


class Participation(models.Model):
    """A victim (a linked dossier) in a prosecution."""

    external_ref = _external_ref()
    prosecution = models.ForeignKey(
        Prosecution, on_delete=models.CASCADE, related_name="participations"
    )
    dossier = models.ForeignKey(
        "cases.Dossier", on_delete=models.PROTECT, related_name="justice_participations"
    )
    role = models.CharField(_("role"), max_length=16, choices=ParticipationRole.choices)
    protection_asked = models.JSONField(_("protection measures asked"), default=list, blank=True)
    protection_granted = models.JSONField(
        _("protection measures granted"), default=list, blank=True
    )
    compensation_mad = models.DecimalField(
        _("compensation ordered (MAD)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("recorded for"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ProsecutionChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("victim participation")
        verbose_name_plural = _("victim participations")
        ordering = ["id"]
        constraints = [
            _ref_unique("organisation", "participation_external_ref"),
            models.UniqueConstraint(fields=["prosecution", "dossier"], name="participation_once"),
        ]

    def __str__(self):
        return f"{self.prosecution_id} · {self.get_role_display()}"

    @property
    def protection_asked_labels(self):
        return self.measure_labels("protection_asked")

    @property
    def protection_granted_labels(self):
        return self.measure_labels("protection_granted")

    def measure_labels(self, field):
        return [
            ProtectionMeasure(m).label
            for m in getattr(self, field)
            if m in ProtectionMeasure.values
        ]
