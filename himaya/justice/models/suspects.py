"""Suspects (their identities encrypted), the investigations they are in, and what happens
to them there: arrest, pre-trial detention, release."""

from django.db import models
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from himaya.core import access
from himaya.core.fields import EncryptedTextField
from himaya.people.models import BirthDatePrecision

from .common import _external_ref, _ref_unique
from .investigations import Investigation


def suspect_key(prefix=""):
    """The person a justice record counts for in figures: the suspect record it was linked to as
    the same person (``same_as``), else its own suspect. ``prefix`` leads to the suspect
    foreign key ("" on a prosecution or event, "charge__prosecution__" on a decision)."""
    return Coalesce(F(f"{prefix}suspect__same_as_id"), F(f"{prefix}suspect_id"))


def flagged_persons(**flags):
    """The suspect records of the persons one of whose records has ``flags`` (a public official,
    diplomatic immunity): a person is flagged once, on any of the records linked as the same
    person (``same_as``), and the figures count persons, not records (DOMAIN.md §6)."""
    key = Coalesce(F("same_as_id"), F("id"))
    flagged = Suspect.objects.filter(**flags).annotate(key=key).values("key")
    return Suspect.objects.annotate(key=key).filter(key__in=flagged).values("pk")


class SuspectQuerySet(access.RestrictedQuerySet):
    """core.access.policies.SuspectPolicy."""


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


class SuspectEventQuerySet(access.RestrictedQuerySet):
    """Seen with their investigation (core.access.policies.SuspectEventPolicy)."""


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
