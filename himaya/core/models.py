"""Code lists as data, with labels in Arabic, French and English and their HTCDS mappings."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class CodeList(models.TextChoices):
    EXPLOITATION_FORM = "exploitation_form", _("Form of exploitation")
    SEX_EXPLOITATION = "sex_exploitation", _("Type of sexual exploitation")
    INDUSTRY = "industry", _("Industry (ISIC section)")
    ORG_TYPE = "org_type", _("Organisation type")
    REGION = "region", _("Region")
    COUNTRY = "country", _("Country")
    LANGUAGE = "language", _("Language")
    SEX = "sex", _("Sex / gender")
    DOCUMENT_TYPE = "document_type", _("Identity document type")
    TRAFFICKING_STATUS = "trafficking_status", _("Trafficking status")
    DECISION_ORG = "decision_org", _("Decision-making organisation")
    RECRUITMENT_METHOD = "recruitment_method", _("Method of recruitment")
    CONTROL_METHOD = "control_method", _("Method of control")
    VULNERABILITY = "vulnerability", _("Vulnerability")
    ROLE_IN_PROCESS = "role_in_process", _("Role in the process")
    CASE_STATUS = "case_status", _("HTCDS case status")
    PUBLIC_BODY = "public_body", _("Kind of public body")


def excluded_codes(code_list):
    """Codes a deployment leaves out of a list (HIMAYA_EXCLUDED_COUNTRIES): never offered,
    refused wherever a code is given (forms, API, imports, field submissions)."""
    return settings.HIMAYA_EXCLUDED_COUNTRIES if code_list == CodeList.COUNTRY else frozenset()


def in_reading_order(codes, lang=None):
    """Codes as a reader of ``lang`` (the active language) expects them: the list's own order
    where it has one, else by the label in that language (countries), the deployment's country
    first."""
    from .collation import sort_key

    lang = (lang or get_language() or "ar")[:2]
    home = settings.HIMAYA_COUNTRY

    def key(code):
        return (
            not (code.list == CodeList.COUNTRY and code.code == home),
            code.sort,
            sort_key(code.label_in(lang), lang),
        )

    return sorted(codes, key=key)


class CodeQuerySet(models.QuerySet):
    def of(self, code_list):
        """The codes one may choose in a list: active, and not left out by the deployment."""
        qs = self.filter(list=code_list, active=True)
        excluded = excluded_codes(code_list)
        return qs.exclude(code__in=excluded) if excluded else qs

    def with_descendants(self, code):
        """``code`` and every code below it in its hierarchy (a form and its sub-forms)."""
        found, frontier = {code.pk}, {code.pk}
        while frontier:
            frontier = set(self.filter(parent_id__in=frontier).values_list("pk", flat=True))
            frontier -= found
            found |= frontier
        return self.filter(pk__in=found)


class Code(models.Model):
    list = models.CharField(_("code list"), max_length=32, choices=CodeList.choices)
    code = models.CharField(_("code"), max_length=64)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    label_ar = models.CharField(_("label (Arabic)"), max_length=200)
    label_fr = models.CharField(_("label (French)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    htcds = models.CharField(_("HTCDS value"), max_length=100, blank=True)
    tip = models.CharField(_("TIP report category"), max_length=16, blank=True)
    sort = models.PositiveIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    objects = CodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("code")
        verbose_name_plural = _("codes")
        ordering = ["list", "sort", "code"]
        constraints = [models.UniqueConstraint(fields=["list", "code"], name="code_unique")]

    def __str__(self):
        return self.label

    @property
    def label(self):
        return self.label_in(get_language() or "ar")

    def label_in(self, lang):
        return getattr(self, f"label_{lang[:2]}", None) or self.label_en

    def ancestors_and_self(self):
        node, chain = self, []
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain
