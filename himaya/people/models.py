"""Persons: names in Arabic and Latin script, birth dates exact or approximate, citizenships,
languages, contacts, identity documents and consents. Identity fields are encrypted at rest;
names are found through the blind index (PersonNameKey)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from himaya.core import access, crypto, names
from himaya.core.bidi import check_name
from himaya.core.fields import EncryptedJSONField, EncryptedTextField


class BirthDatePrecision(models.TextChoices):
    EXACT = "exact", _("exact date")
    YEAR = "year", _("year only")
    ESTIMATED = "estimated", _("estimated age")
    UNKNOWN = "unknown", _("unknown")


def age_on(day, *, birth_date, precision, estimated_age, estimated_on, created_at):
    """Age in whole years on ``day``: from an exact birth date; from a birth year alone, the
    age reached during the year of ``day``; else from the estimated age, moved forward by the
    whole years since it was estimated (or since the record was made); None when none."""
    if birth_date and precision in (BirthDatePrecision.EXACT, BirthDatePrecision.YEAR):
        years = day.year - birth_date.year
        if precision == BirthDatePrecision.EXACT and (
            (day.month, day.day) < (birth_date.month, birth_date.day)
        ):
            years -= 1
        return max(years, 0)
    if estimated_age is not None:
        base = estimated_on or (created_at.date() if created_at else day)
        return estimated_age + max(0, (day - base).days // 365)
    return None


def person_key(prefix=""):
    """The person a record counts for in figures: the record its person was linked to as the
    same person (``same_as``), else its own person. ``prefix`` leads to the person foreign key
    ("" on a dossier, "dossier__" on a dossier's records)."""
    return Coalesce(F(f"{prefix}person__same_as_id"), F(f"{prefix}person_id"))


class PersonQuerySet(access.RestrictedQuerySet):
    def search(self, text):
        """Persons whose names match every word of ``text`` in either script.

        One ``IN`` over the blind index: the ids holding a key of every word (a UNION with
        the words written as one, "Fatima Zahra" / "Fatimazahra"), read from the digest index.
        Two ``IN``s joined by OR made PostgreSQL read the whole person table at 100k persons
        for a common name (issue 15, item 23)."""
        groups = names.query_groups(text)
        if not groups:
            return self.none()

        def matching(groups):
            ids = None
            for keys in groups:
                digests = [crypto.blind_digest(k) for k in keys]
                part = PersonNameKey.objects.filter(digest__in=digests).values("person_id")
                ids = part if ids is None else ids.filter(person_id__in=part)
            return ids

        ids = matching(groups)
        joined = names.joined_query_groups(text)
        if joined:
            ids = ids.union(matching(joined))
        return self.filter(pk__in=ids)

    def ranked_by_spelling(self, text):
        """Exact folded spellings of ``text`` first (how many of its words a person's names
        hold as written), then the other spellings, newest first within each. A scalar
        subquery per row: an aggregate over a join would group every matching row, in the
        count of a capped page too."""
        exact = [crypto.blind_digest(k) for k in names.exact_keys(text)]
        held = (
            PersonNameKey.objects.filter(person=OuterRef("pk"), digest__in=exact)
            .order_by()
            .values("person")
            .annotate(n=Count("*"))
            .values("n")
        )
        return self.annotate(
            exact=Coalesce(Subquery(held, output_field=models.IntegerField()), 0)
        ).order_by("-exact", "-created_at", "-id")


class Person(models.Model):
    # What identifies the person: encrypted, read only with the identity level.
    IDENTITY_FIELDS = (
        "given_name_ar",
        "family_name_ar",
        "given_name_lat",
        "family_name_lat",
        "contacts",
    )

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
    estimated_age = models.PositiveSmallIntegerField(_("estimated age"), null=True, blank=True)
    estimated_on = models.DateField(_("age estimated on"), null=True, blank=True)
    citizenships = models.ManyToManyField(
        "core.Code",
        verbose_name=_("citizenships"),
        related_name="+",
        blank=True,
        limit_choices_to={"list": "country"},
    )
    languages = models.ManyToManyField(
        "core.Code",
        verbose_name=_("languages"),
        related_name="+",
        blank=True,
        limit_choices_to={"list": "language"},
    )
    # {"phones": [...], "emails": [...], "address": "..."}; encrypted.
    contacts = EncryptedJSONField(_("contact details"), null=True, blank=True)
    registered_by = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A duplicate record linked to the record of the same person (never a chain: it points at
    # the record that is not itself a duplicate). Figures count the two as one person.
    same_as = models.ForeignKey(
        "self",
        verbose_name=_("same person as"),
        on_delete=models.PROTECT,
        related_name="duplicates",
        null=True,
        blank=True,
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["-created_at", "-id"]
        # The person list's order, whole and per registering organisation (issue 17: each
        # access path reads its first rows from an index, core/pagination.py).
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="person_newest"),
            models.Index(
                fields=["registered_by", "-created_at", "-id"], name="person_registrar_newest"
            ),
        ]

    def __str__(self):
        return self.display_name or f"#{self.pk}"

    def clean(self):
        """Names hold no invisible character (core/bidi.py), whichever way they come in: the
        actions and the import call ``full_clean``."""
        errors = {}
        for field in ("given_name_ar", "family_name_ar", "given_name_lat", "family_name_lat"):
            try:
                check_name(getattr(self, field))
            except ValidationError as exc:
                errors[field] = exc
        if errors:
            raise ValidationError(errors)

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
        return self.name_ar or self.name_lat

    def age_on(self, day: datetime.date):
        """Age in whole years on ``day``; from the estimate when the birth date is unknown."""
        return age_on(
            day,
            birth_date=self.birth_date,
            precision=self.birth_date_precision,
            estimated_age=self.estimated_age,
            estimated_on=self.estimated_on,
            created_at=self.created_at,
        )

    AGE_BANDS = [(0, 11), (12, 17), (18, 24), (25, 34), (35, 49), (50, 64), (65, None)]

    def age_band(self, day=None):
        """A de-identified age, "12–17": the band, never the birth date."""
        age = self.age_on(day or timezone.localdate())
        if age is None:
            return ""
        for low, high in self.AGE_BANDS:
            if high is None:
                return f"{low}+"
            if age <= high:
                return f"{low}–{high}"
        return ""

    def is_child_on(self, day):
        age = self.age_on(day)
        return age is not None and age < 18

    def name_index_keys(self):
        return names.index_keys(
            self.name_ar,
            self.name_lat,
            self.given_name_ar,
            self.family_name_ar,
            self.given_name_lat,
            self.family_name_lat,
        )


class PersonNameKey(models.Model):
    """One keyed hash of one normalised name token (the blind index)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_keys")
    digest = models.CharField(max_length=32, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "digest"], name="person_name_key_unique")
        ]

    def __str__(self):
        return self.digest[:8]


class PersonChildQuerySet(access.RestrictedQuerySet):
    """Records of a person (documents, consents): seen with the person."""


class IdentityDocument(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="documents"
    )
    type = models.ForeignKey(
        "core.Code",
        verbose_name=_("type"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"list": "document_type"},
    )
    number = EncryptedTextField(_("number"))
    issuing_country = models.ForeignKey(
        "core.Code",
        verbose_name=_("issuing country"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to={"list": "country"},
    )
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    held_by_person = models.BooleanField(
        _("held by the person"),
        default=True,
        help_text=_("Untick when the document is withheld by someone else."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = PersonChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")
        ordering = ["-created_at"]

    def __str__(self):
        return str(self.type)


class ConsentPurpose(models.TextChoices):
    SERVICES = "services", _("receiving services")
    SHARING = "sharing", _("sharing with other organisations")
    DATA_PROCESSING = "processing", _("recording personal data")
    CONTACT = "contact", _("being contacted")


class ConsentGivenBy(models.TextChoices):
    PERSON = "person", _("the person")
    GUARDIAN = "guardian", _("legal guardian")
    REPRESENTATIVE = "representative", _("legal representative")


class ConsentQuerySet(PersonChildQuerySet):
    def current(self, on=None):
        day = on or timezone.localdate()
        return self.filter(given_on__lte=day).filter(
            models.Q(withdrawn_on__isnull=True) | models.Q(withdrawn_on__gt=day)
        )


class Consent(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField(_("purpose"), max_length=16, choices=ConsentPurpose.choices)
    given_on = models.DateField(_("given on"))
    given_by = models.CharField(
        _("given by"), max_length=16, choices=ConsentGivenBy.choices, default=ConsentGivenBy.PERSON
    )
    informed_in = models.ForeignKey(
        "core.Code",
        verbose_name=_("explained in language"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to={"list": "language"},
    )
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_on", "-id"]

    def __str__(self):
        return self.get_purpose_display()
