"""Investigations, and the victims' dossiers linked to them."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from himaya.core.fields import EncryptedTextField
from himaya.core.models import Code

from .common import ProceedingQuerySet, _external_ref, _ref_unique


class InvestigationStatus(models.TextChoices):
    OPEN = "open", _("open")
    TRANSFERRED = "transferred", _("transferred to the prosecution")
    CLOSED = "closed", _("closed")


class InvestigationQuerySet(ProceedingQuerySet):
    finished_q = ~Q(status=InvestigationStatus.OPEN)

    # visible_to, writable_by: core.access.policies.InvestigationPolicy.

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


class Handoff(models.TextChoices):
    TRANSFERRED = "transferred", _("transferred to the prosecution office")
    RETURNED = "returned", _("sent back by the prosecution office")


class InvestigationHandoff(models.Model):
    """One hand-off of an investigation between its investigators and a prosecution office:
    its transfer (actions.transfer_investigation) or its return, with the office's reason
    (actions.return_investigation). Kept, each one: an investigation sent back and forth is
    visible as such, and no reason overwrites the one before."""

    investigation = models.ForeignKey(
        Investigation, on_delete=models.CASCADE, related_name="handoffs"
    )
    kind = models.CharField(_("hand-off"), max_length=16, choices=Handoff.choices)
    on = models.DateField(_("date"))
    # Null only for the returns recorded before the hand-offs were kept (the office was not).
    office = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("prosecution office"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    reason = EncryptedTextField(_("why it was sent back"), blank=True)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("hand-off of an investigation")
        verbose_name_plural = _("hand-offs of investigations")
        ordering = ["on", "pk"]

    def __str__(self):
        return f"{self.kind} {self.on:%Y-%m-%d}"


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
