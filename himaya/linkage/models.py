"""Linkage: blocking keys of every record, the pairs proposed to the linkage desk, what the desk
decided, the questions it asks the organisations holding a record, and the trained models.

Victims (``people.Person``) and suspects (``justice.Suspect``) are linked separately: a pair is
two persons or two suspects, never one of each.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from himaya.core import access
from himaya.core.fields import EncryptedTextField


class Subject(models.TextChoices):
    PERSON = "person", _("victim records")
    SUSPECT = "suspect", _("suspect records")


class BlockingKey(models.Model):
    """A keyed digest of one blocking key of one record (see features.py)."""

    class Kind(models.TextChoices):
        NAME = "name", _("name")
        PHONE = "phone", _("phone number")
        DOCUMENT = "document", _("document number")
        # the name as one value: counted for its frequency, never looked up to block
        FREQUENCY = "frequency", _("name frequency")

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, null=True, related_name="blocking_keys"
    )
    suspect = models.ForeignKey(
        "justice.Suspect", on_delete=models.CASCADE, null=True, related_name="blocking_keys"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    digest = models.CharField(max_length=32)

    class Meta:
        # Covering: the candidates of a record are counted from the index alone (no table
        # page read for a common key), whichever the subject.
        indexes = [models.Index(fields=["digest", "person", "suspect"], name="linkage_key_digest")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, suspect__isnull=True)
                | models.Q(person__isnull=True, suspect__isnull=False),
                name="linkage_key_one_record",
            )
        ]

    def __str__(self):
        return self.digest[:8]


class NameFrequency(models.Model):
    """How many records of a subject hold a name (a frequency digest of BlockingKey), kept as
    they are written, so that the frequency of 200 candidates' names is 200 rows read, not
    every record of a common name counted at each entry."""

    subject = models.CharField(max_length=8, choices=Subject.choices)
    digest = models.CharField(max_length=32)
    records = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subject", "digest"], name="linkage_name_frequency")
        ]

    def __str__(self):
        return self.digest[:8]


class PairQuerySet(models.QuerySet):
    def for_desk(self, user):
        return self if access.is_linkage_officer(user) else self.none()


class PairStatus(models.TextChoices):
    OPEN = "open", _("to review")
    ASKED = "asked", _("question asked")
    LINKED = "linked", _("same person")
    DIFFERENT = "different", _("different persons")
    UNLINKED = "unlinked", _("link undone")


class PairSource(models.TextChoices):
    ENTRY = "entry", _("found when a record was entered")
    REQUEST = "request", _("sent by an organisation")
    BATCH = "batch", _("batch de-duplication")


class CandidatePair(models.Model):
    """Two records that may be one person, for the linkage desk. ``left`` is the older record
    (the one a link keeps); the records' versions at the decision tell whether they changed
    since, so a pair decided "different" is proposed again only then."""

    subject = models.CharField(_("records"), max_length=8, choices=Subject.choices)
    left_person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, null=True, related_name="+"
    )
    right_person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, null=True, related_name="+"
    )
    left_suspect = models.ForeignKey(
        "justice.Suspect", on_delete=models.CASCADE, null=True, related_name="+"
    )
    right_suspect = models.ForeignKey(
        "justice.Suspect", on_delete=models.CASCADE, null=True, related_name="+"
    )
    probability = models.FloatField(_("match probability"))
    weight = models.FloatField(_("match weight"))
    levels = models.JSONField(_("comparison levels"), default=dict)
    source = models.CharField(_("source"), max_length=8, choices=PairSource.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=PairStatus.choices, default=PairStatus.OPEN
    )
    # Typed by whoever sent the pair: may name the person, so encrypted.
    reason = EncryptedTextField(_("reason"), blank=True)
    requested_by_org = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    left_version = models.PositiveIntegerField(null=True, editable=False)
    right_version = models.PositiveIntegerField(null=True, editable=False)
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = EncryptedTextField(_("decision note"), blank=True)
    created_at = models.DateTimeField(_("proposed"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PairQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidate pair")
        verbose_name_plural = _("candidate pairs")
        ordering = ["-probability", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["left_person", "right_person"],
                condition=models.Q(subject="person"),
                name="linkage_pair_persons_unique",
            ),
            models.UniqueConstraint(
                fields=["left_suspect", "right_suspect"],
                condition=models.Q(subject="suspect"),
                name="linkage_pair_suspects_unique",
            ),
        ]
        indexes = [models.Index(fields=["status", "-probability"], name="linkage_pair_queue")]

    def __str__(self):
        return f"#{self.pk}"

    @property
    def left(self):
        return self.left_person if self.subject == Subject.PERSON else self.left_suspect

    @property
    def right(self):
        return self.right_person if self.subject == Subject.PERSON else self.right_suspect

    @property
    def is_open(self):
        return self.status in (PairStatus.OPEN, PairStatus.ASKED)


class Question(models.Model):
    """A question from the linkage desk to an organisation holding one record of a pair, about
    its own record only; answered in Himaya."""

    pair = models.ForeignKey(CandidatePair, on_delete=models.CASCADE, related_name="questions")
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("asked"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    suspect = models.ForeignKey(
        "justice.Suspect", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    text = EncryptedTextField(_("question"))
    asked_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(_("asked"), default=timezone.now, editable=False)
    answer = EncryptedTextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("question from the linkage desk")
        verbose_name_plural = _("questions from the linkage desk")
        ordering = ["-asked_at", "-id"]

    def __str__(self):
        return f"#{self.pk}"


class DeskRequest(models.Model):
    """An organisation holding one record of a linked person asks the desk to put it in touch
    with the organisation holding the other (it cannot see that record): for a referral or an
    access grant, which the other organisation decides."""

    pair = models.ForeignKey(CandidatePair, on_delete=models.CASCADE, related_name="requests")
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("from"), on_delete=models.PROTECT, related_name="+"
    )
    text = EncryptedTextField(_("request"))
    requested_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("sent"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"#{self.pk}"


class Notice(models.Model):
    """Tells an organisation holding a record that the desk linked or unlinked it (the home
    page lists the unseen ones to its victim-handling members)."""

    class Kind(models.TextChoices):
        LINKED = "linked", _("linked as the same person")
        UNLINKED = "unlinked", _("link undone")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    pair = models.ForeignKey(CandidatePair, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("what happened"), max_length=8, choices=Kind.choices)
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    suspect = models.ForeignKey(
        "justice.Suspect", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now, editable=False)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.get_kind_display()


class EntryCheck(models.Model):
    """What a user was shown when entering a record, and what they chose: the decision to save
    a record despite candidates is kept (a namesake is not the same person)."""

    class Outcome(models.TextChoices):
        SAVED_NEW = "saved_new", _("saved as a new record")
        SENT = "sent", _("saved, and the possible match sent to the linkage desk")

    subject = models.CharField(max_length=8, choices=Subject.choices)
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    suspect = models.ForeignKey(
        "justice.Suspect", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, related_name="+"
    )
    visible_candidates = models.PositiveIntegerField(default=0)
    hidden_candidates = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.outcome


class LinkageModel(models.Model):
    """Fellegi–Sunter parameters trained by a batch run (Splink), used from then on by the
    entry-time scorer."""

    parameters = models.JSONField()
    records = models.PositiveIntegerField(default=0)
    trained_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-trained_at", "-id"]

    def __str__(self):
        return f"#{self.pk}"


class BatchRun(models.Model):
    """One batch de-duplication: progress while it runs, counts when done."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    subject = models.CharField(max_length=8, choices=Subject.choices, default=Subject.PERSON)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    step = models.CharField(max_length=100, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    train = models.BooleanField(default=False)
    records = models.PositiveIntegerField(default=0)
    pairs_proposed = models.PositiveIntegerField(default=0)
    pairs_linked = models.PositiveIntegerField(default=0)
    started_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"#{self.pk}"
