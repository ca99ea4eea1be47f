"""Justice records through the API: investigations, suspects, prosecutions, charges and court
decisions, each scoped by core.access ("Justice"): only members of the justice organisations of
a case get anything; NGOs, shelters and analysts get empty lists and 404s (S4, S5).

Every write goes through the same action as its page (actions.py, prosecution_actions.py): open,
edit, transfer and close an investigation, link dossiers and hotline reports, add suspects and
their events, start a prosecution, set its court, add charges, record decisions per charge,
sentences, appeals and victims' participation. A record is looked up among those the user sees
and, as on the pages, among those the user may write: 404 otherwise (the refusal audited). The
actions' ValidationErrors answer 400 keyed by field (core.api.exception_handler); a stale
``version`` answers 409."""

import re

from django.db.models import Q
from django.http import Http404
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from himaya.accounts.api import (
    ActingOrgMixin,
    ChoiceField,
    CodeField,
    CodeOut,
    code_list_field,
    visible_or_404,
)
from himaya.accounts.models import Organisation
from himaya.audit import log
from himaya.cases.models import Dossier
from himaya.core import access
from himaya.core.api import StrictModelSerializer, StrictSerializer
from himaya.core.bidi import check_name
from himaya.core.shortcuts import MAX_ID
from himaya.hotline.models import Report
from himaya.people.api import MAX_VERSION
from himaya.people.models import BirthDatePrecision

from . import actions
from . import prosecution_actions as pa
from .legal import CODES as ARTICLE_CODES
from .models import (
    EXTERNAL_REF_MAX,
    Appeal,
    AppealBy,
    AppealOutcome,
    Charge,
    CourtDecision,
    DossierLink,
    EventKind,
    Instance,
    Investigation,
    InvestigationStatus,
    Outcome,
    Participation,
    ParticipationRole,
    Prosecution,
    ProsecutionStatus,
    ProtectionMeasure,
    Suspect,
    SuspectEvent,
    duplicate_candidates,
)
from .views import log_suspects


class InvestigationSerializer(StrictModelSerializer):
    region = CodeOut(allow_null=True)
    forms = CodeOut(many=True)
    # Plain strings: a choice set named "status" in several apps collides in the schema.
    status = serializers.CharField(read_only=True, help_text=", ".join(InvestigationStatus.values))
    dossiers = serializers.SerializerMethodField(
        help_text=_("Ids of the linked victims' dossiers.")
    )
    reports = serializers.SerializerMethodField(
        help_text=_("Ids of the linked hotline reports you see.")
    )

    class Meta:
        model = Investigation
        fields = [
            "id",
            "reference",
            "external_ref",
            "opened_on",
            "investigating_org",
            "prosecution_office",
            "region",
            "forms",
            "status",
            "status_on",
            "last_event_on",
            "dossiers",
            "reports",
            "version",
        ]
        read_only_fields = fields

    def get_dossiers(self, obj) -> list[int]:
        return sorted(link.dossier_id for link in obj.dossier_links.all())

    def get_reports(self, obj) -> list[int]:
        # Read for the whole page at once (a list of investigations), not row by row.
        found = self.context.setdefault("_visible_reports", {})
        if obj.pk not in found:
            page = getattr(self.parent, "instance", None) or [obj]
            ids = [inv.pk for inv in page]
            found.update({pk: [] for pk in ids})
            visible = Report.objects.visible_to(self.context["request"].user).values("pk")
            links = Investigation.reports.through.objects.filter(
                investigation_id__in=ids, report_id__in=visible
            )
            for inv, report in links.values_list("investigation_id", "report_id"):
                found[inv].append(report)
        return sorted(found[obj.pk])


class InvestigationCreateSerializer(StrictSerializer):
    organisation = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    opened_on = serializers.DateField()
    region = CodeField("region", required=False, allow_null=True)
    forms = code_list_field("exploitation_form", required=False)
    external_ref = serializers.CharField(max_length=64, required=False, allow_blank=True)

    def validate_organisation(self, value):
        if value not in access.investigating_org_ids(self.context["request"].user):
            raise serializers.ValidationError("Choose an organisation you investigate for.")
        return Organisation.objects.get(pk=value)


class EventSerializer(StrictModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=", ".join(EventKind.values))

    class Meta:
        model = SuspectEvent
        fields = ["id", "investigation", "kind", "on", "place", "organisation", "external_ref"]
        read_only_fields = fields


class SuspectSerializer(StrictModelSerializer):
    sex = CodeOut(allow_null=True)
    citizenship = CodeOut(allow_null=True)
    role_in_process = CodeOut(allow_null=True)
    official_body_type = CodeOut(allow_null=True)
    investigations = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()

    class Meta:
        model = Suspect
        fields = [
            "id",
            "external_ref",
            "given_name_ar",
            "family_name_ar",
            "given_name_lat",
            "family_name_lat",
            "sex",
            "birth_date",
            "birth_date_precision",
            "citizenship",
            "role_in_process",
            "public_official",
            "official_body_type",
            "official_body",
            "diplomatic_immunity",
            "registered_by",
            "investigations",
            "events",
            "version",
        ]
        read_only_fields = fields

    def get_investigations(self, obj) -> list[int]:
        return sorted(
            i
            for i in obj.links.values_list("investigation_id", flat=True)
            if i in self.context["investigation_ids"]
        )

    def get_events(self, obj) -> list[dict]:
        events = [
            e for e in obj.events.all() if e.investigation_id in self.context["investigation_ids"]
        ]
        return EventSerializer(events, many=True).data


class CourtDecisionSerializer(StrictModelSerializer):
    requalified_as = serializers.CharField(read_only=True, help_text="A legal article code.")
    prison_months = serializers.SerializerMethodField()
    suspended_months = serializers.SerializerMethodField()
    fine_mad = serializers.SerializerMethodField()

    class Meta:
        model = CourtDecision
        fields = [
            "id",
            "charge",
            "outcome",
            "decided_on",
            "instance",
            "court",
            "court_name",
            "requalified_as",
            "external_ref",
            "prison_months",
            "suspended_months",
            "fine_mad",
        ]
        read_only_fields = fields

    def _sentence(self, obj):
        return getattr(obj, "sentence", None)

    def get_prison_months(self, obj) -> int | None:
        s = self._sentence(obj)
        return s.prison_months if s else None

    def get_suspended_months(self, obj) -> int | None:
        s = self._sentence(obj)
        return s.suspended_months if s else None

    def get_fine_mad(self, obj) -> str | None:
        s = self._sentence(obj)
        return str(s.fine_mad) if s and s.fine_mad is not None else None


class ChargeSerializer(StrictModelSerializer):
    article = serializers.CharField(read_only=True, help_text="A legal article code.")
    form = CodeOut()
    decisions = CourtDecisionSerializer(many=True, read_only=True)

    class Meta:
        model = Charge
        fields = ["id", "prosecution", "article", "form", "external_ref", "decisions"]
        read_only_fields = fields


class AppealSerializer(StrictModelSerializer):
    # Plain strings, like ``status``: these field names carry other choice sets elsewhere.
    lodged_by = serializers.CharField(read_only=True, help_text=", ".join(AppealBy.values))
    outcome = serializers.CharField(read_only=True, help_text=", ".join(AppealOutcome.values))

    class Meta:
        model = Appeal
        fields = [
            "id",
            "prosecution",
            "lodged_on",
            "lodged_by",
            "outcome",
            "decided_on",
            "organisation",
            "external_ref",
        ]
        read_only_fields = fields


class ParticipationSerializer(StrictModelSerializer):
    role = serializers.CharField(read_only=True, help_text=", ".join(ParticipationRole.values))
    compensation_mad = serializers.DecimalField(
        max_digits=12, decimal_places=2, read_only=True, allow_null=True
    )
    protection_asked = serializers.ListField(child=serializers.CharField(), read_only=True)
    protection_granted = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Participation
        fields = [
            "id",
            "prosecution",
            "dossier",
            "role",
            "protection_asked",
            "protection_granted",
            "compensation_mad",
            "organisation",
            "external_ref",
        ]
        read_only_fields = fields


class ProsecutionSerializer(StrictModelSerializer):
    charges = ChargeSerializer(many=True, read_only=True)
    appeals = AppealSerializer(many=True, read_only=True)
    participations = ParticipationSerializer(many=True, read_only=True)
    status = serializers.CharField(read_only=True, help_text=", ".join(ProsecutionStatus.values))

    class Meta:
        model = Prosecution
        fields = [
            "id",
            "external_ref",
            "suspect",
            "investigation",
            "started_on",
            "office",
            "court",
            "status",
            "last_event_on",
            "charges",
            "appeals",
            "participations",
            "version",
        ]
        read_only_fields = fields


class ProsecutionCreateSerializer(StrictSerializer):
    investigation = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    suspect = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    office = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    started_on = serializers.DateField()
    court = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    external_ref = serializers.CharField(max_length=64, required=False, allow_blank=True)


# --- Write payloads ---------------------------------------------------------------------------

ARTICLE_CHOICES = [(c, c) for c in ARTICLE_CODES]
DECIDED_APPEAL = [c for c in AppealOutcome.choices if c[0] != AppealOutcome.PENDING]


def _choice(choices, **kwargs):
    """A choice field given to the schema as a string whose values its description lists (and
    a pattern checks), like ``status`` above: the field names (outcome, kind, role...) are used
    by other apps for other choice sets, and named enums would collide."""
    values = [str(c[0]) for c in choices] + ([""] if kwargs.get("allow_blank") else [])
    pattern = "^(?:" + "|".join(re.escape(v) for v in values) + ")$"
    listed = ", ".join(v for v in values if v)
    text = kwargs.pop("help_text", "")
    kwargs["help_text"] = format_lazy("{} ({})", text, listed) if text else listed
    field_class = extend_schema_field({"type": "string", "pattern": pattern})(
        type("InlineChoiceField", (ChoiceField,), {})
    )
    return field_class(choices=choices, **kwargs)


def _id(**kwargs):
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def _ref():
    return serializers.CharField(
        max_length=EXTERNAL_REF_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The record's number in the register it comes from (unique per organisation)."),
    )


def _version():
    return serializers.IntegerField(
        min_value=1,
        max_value=MAX_VERSION,
        help_text=_("The version you read (a stale one answers 409)."),
    )


class InvestigationUpdateSerializer(StrictSerializer):
    opened_on = serializers.DateField(required=False)
    region = CodeField("region", required=False, allow_null=True)
    forms = code_list_field("exploitation_form", required=False)
    version = _version()


class InvestigationTransferSerializer(StrictSerializer):
    office = _id(help_text=_("Id of the prosecution office the investigation goes to."))
    on = serializers.DateField()


class InvestigationCloseSerializer(StrictSerializer):
    on = serializers.DateField()


class DossierLinkInSerializer(StrictSerializer):
    dossier = _id(help_text=_("Id of a dossier you see with its identity."))


class DossierLinkSerializer(StrictModelSerializer):
    class Meta:
        model = DossierLink
        fields = ["id", "investigation", "dossier", "organisation", "linked_at"]
        read_only_fields = fields


class ReportLinkSerializer(StrictSerializer):
    report = _id(help_text=_("Id of a hotline report you see."))


class SuspectFieldsSerializer(StrictSerializer):
    given_name_ar = serializers.CharField(
        max_length=actions.NAME_MAX, required=False, allow_blank=True, validators=[check_name]
    )
    family_name_ar = serializers.CharField(
        max_length=actions.NAME_MAX, required=False, allow_blank=True, validators=[check_name]
    )
    given_name_lat = serializers.CharField(
        max_length=actions.NAME_MAX, required=False, allow_blank=True, validators=[check_name]
    )
    family_name_lat = serializers.CharField(
        max_length=actions.NAME_MAX, required=False, allow_blank=True, validators=[check_name]
    )
    sex = CodeField("sex", required=False, allow_null=True)
    birth_date = serializers.DateField(required=False, allow_null=True)
    birth_date_precision = _choice(BirthDatePrecision.choices, required=False)
    citizenship = CodeField("country", required=False, allow_null=True)
    role_in_process = CodeField("role_in_process", required=False, allow_null=True)
    public_official = serializers.BooleanField(required=False)
    official_body_type = CodeField(
        "public_body",
        required=False,
        allow_null=True,
        help_text=_(
            "The kind of body a public official belongs to (code list public_body); when "
            "absent, the kind that official_body names."
        ),
    )
    official_body = serializers.CharField(
        max_length=actions.NAME_MAX, required=False, allow_blank=True
    )
    diplomatic_immunity = serializers.BooleanField(required=False)


class SuspectAddSerializer(SuspectFieldsSerializer):
    suspect = _id(
        required=False,
        help_text=_("Id of an existing suspect you see; else give the new suspect's identity."),
    )
    added_on = serializers.DateField(required=False, help_text=_("Today when absent."))
    external_ref = _ref()
    confirm_new = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "A new suspect whose names match suspects you see answers 409 with their ids; "
            "send the existing one as ``suspect``, or resend with this set to create a new one."
        ),
    )

    def validate(self, attrs):
        if attrs.get("suspect") is not None and any(
            k in attrs for k in SuspectFieldsSerializer._declared_fields
        ):
            raise serializers.ValidationError(
                {"suspect": _("Give an existing suspect or a new suspect's identity, not both.")}
            )
        return attrs


class DuplicateHintSerializer(StrictSerializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    candidates = serializers.ListField(
        child=serializers.IntegerField(), help_text=_("Ids of suspects with matching names.")
    )


class SuspectUpdateSerializer(SuspectFieldsSerializer):
    version = _version()


class SuspectEventCreateSerializer(StrictSerializer):
    suspect = _id(help_text=_("Id of a suspect of this investigation."))
    kind = _choice(EventKind.choices)
    on = serializers.DateField()
    place = serializers.CharField(max_length=actions.PLACE_MAX, required=False, allow_blank=True)
    external_ref = _ref()


class ProsecutionCourtSerializer(StrictSerializer):
    court = _id(help_text=_("Id of the court seized."))


class ChargeCreateSerializer(StrictSerializer):
    article = _choice(ARTICLE_CHOICES, help_text=_("A legal article code."))
    form = CodeField("exploitation_form")
    external_ref = _ref()


class CourtDecisionCreateSerializer(StrictSerializer):
    outcome = _choice(Outcome.choices)
    decided_on = serializers.DateField()
    instance = _choice(Instance.choices, required=False, default=Instance.FIRST)
    court = _id(
        required=False,
        allow_null=True,
        help_text=_(
            "Id of the court; the prosecution's court when neither it nor a name is given."
        ),
    )
    court_name = serializers.CharField(
        max_length=pa.COURT_NAME_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The court's name, when it is not in Himaya."),
    )
    requalified_as = _choice(
        ARTICLE_CHOICES,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The new legal article of a requalification."),
    )
    confirm_transfer = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "True when a first-instance decision by a court other than the one seized is "
            "confirmed: the transfer of jurisdiction is recorded. Without it, such a decision "
            "is refused with the question."
        ),
    )
    external_ref = _ref()


class SentenceCreateSerializer(StrictSerializer):
    prison_months = serializers.IntegerField(
        min_value=0, max_value=pa.MAX_MONTHS, required=False, default=0
    )
    suspended_months = serializers.IntegerField(
        min_value=0, max_value=pa.MAX_MONTHS, required=False, default=0
    )
    fine_mad = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=0,
        max_value=pa.MAX_MAD,
        required=False,
        allow_null=True,
    )
    external_ref = _ref()


class AppealCreateSerializer(StrictSerializer):
    lodged_on = serializers.DateField()
    lodged_by = _choice(AppealBy.choices)
    external_ref = _ref()


class AppealDecideSerializer(StrictSerializer):
    outcome = _choice(DECIDED_APPEAL)
    decided_on = serializers.DateField()


class ParticipationCreateSerializer(StrictSerializer):
    dossier = _id(help_text=_("Id of a dossier linked to the prosecution's investigation."))
    role = _choice(ParticipationRole.choices)
    protection_asked = serializers.ListField(
        child=_choice(ProtectionMeasure.choices), required=False, default=list
    )
    protection_granted = serializers.ListField(
        child=_choice(ProtectionMeasure.choices), required=False, default=list
    )
    compensation_mad = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=0,
        max_value=pa.MAX_MAD,
        required=False,
        allow_null=True,
    )
    external_ref = _ref()


# --- Viewsets ---------------------------------------------------------------------------------


class _Scoped(ActingOrgMixin, viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = r"[0-9]{1,18}"
    model = None

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user).order_by("pk")

    def retrieve(self, request, pk=None):
        obj = visible_or_404(self.get_queryset(), self.model, pk, request.user, "api:justice")
        return Response(self.get_serializer(obj).data)

    def _object(self, q, purpose):
        """A record the user sees and, through ``q``, may write; 404 (audited) otherwise."""
        return visible_or_404(
            self.get_queryset().filter(q), self.model, self.kwargs["pk"], self.request.user, purpose
        )

    @staticmethod
    def _payload(serializer_class, request, **kwargs):
        data = serializer_class(data=request.data, context={"request": request}, **kwargs)
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)


def _org(pk):
    return Organisation.objects.filter(pk=pk).first() if pk else None


def _suspect_data(request, suspect):
    """A suspect as the API shows it, the read audited (it carries the identity)."""
    ids = set(Investigation.objects.visible_to(request.user).values_list("pk", flat=True))
    log.read(request.user, None, ("justice.suspect", str(suspect.pk)), "api:suspect")
    fresh = Suspect.objects.prefetch_related("events").get(pk=suspect.pk)
    return SuspectSerializer(fresh, context={"investigation_ids": ids}).data


class InvestigationViewSet(_Scoped):
    """Investigations your justice organisation investigates, prosecutes or judges."""

    serializer_class = InvestigationSerializer
    queryset = Investigation.objects.none()
    model = Investigation

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("region")
            .prefetch_related("forms", "dossier_links")
        )

    @extend_schema(request=InvestigationCreateSerializer, responses={201: InvestigationSerializer})
    def create(self, request):
        data = InvestigationCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        inv = actions.open_investigation(acting_user=request.user, **data.validated_data)
        data = InvestigationSerializer(inv, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    def _fresh(self, inv):
        return Response(self.get_serializer(self.get_queryset().get(pk=inv.pk)).data)

    @extend_schema(request=InvestigationUpdateSerializer, responses=InvestigationSerializer)
    def partial_update(self, request, pk=None):
        """Change the opening date, region or forms (the investigating organisation only)."""
        user = request.user
        inv = self._object(access.investigation_edit_q(user), "api:investigation_edit")
        v = self._payload(InvestigationUpdateSerializer, request)
        actions.update_investigation(
            inv,
            acting_user=user,
            expected_version=v["version"],
            opened_on=v.get("opened_on", inv.opened_on),
            region=v.get("region", inv.region),
            forms=v.get("forms"),
        )
        return self._fresh(inv)

    @extend_schema(request=InvestigationTransferSerializer, responses=InvestigationSerializer)
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        """Hand an open investigation to a prosecution office."""
        user = request.user
        inv = self._object(access.investigation_edit_q(user), "api:investigation_transfer")
        v = self._payload(InvestigationTransferSerializer, request)
        actions.transfer_investigation(inv, acting_user=user, office=_org(v["office"]), on=v["on"])
        return self._fresh(inv)

    @extend_schema(request=InvestigationCloseSerializer, responses=InvestigationSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close an open investigation without prosecution."""
        user = request.user
        inv = self._object(access.investigation_edit_q(user), "api:investigation_close")
        v = self._payload(InvestigationCloseSerializer, request)
        actions.close_investigation(inv, acting_user=user, on=v["on"])
        return self._fresh(inv)

    @extend_schema(request=DossierLinkInSerializer, responses={201: DossierLinkSerializer})
    @action(detail=True, methods=["post"], url_path="dossiers")
    def link_dossier(self, request, pk=None):
        """Link a victim's dossier you see with its identity."""
        user = request.user
        inv = self._object(access.investigation_write_q(user), "api:investigation_link_dossier")
        v = self._payload(DossierLinkInSerializer, request)
        dossier = Dossier.objects.with_identity_for(user).filter(pk=v["dossier"]).first()
        link = actions.link_dossier(inv, dossier, acting_user=user)
        return Response(DossierLinkSerializer(link).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "dossier_pk",
                OpenApiTypes.INT,
                OpenApiParameter.PATH,
                description=_("Id of the linked dossier."),
            )
        ],
        request=None,
        responses={204: None},
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"dossiers/(?P<dossier_pk>[0-9]{1,18})",
    )
    def unlink_dossier(self, request, pk=None, dossier_pk=None):
        """Remove a dossier's link (not while the victim takes part in a prosecution)."""
        user = request.user
        inv = self._object(access.investigation_write_q(user), "api:investigation_unlink_dossier")
        link = inv.dossier_links.filter(dossier_id=dossier_pk).first()
        if link is None:
            raise Http404
        actions.unlink_dossier(link, acting_user=user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=ReportLinkSerializer, responses=InvestigationSerializer)
    @action(detail=True, methods=["post"], url_path="reports")
    def link_report(self, request, pk=None):
        """Link a hotline report you see."""
        user = request.user
        inv = self._object(access.investigation_write_q(user), "api:investigation_link_report")
        v = self._payload(ReportLinkSerializer, request)
        report = Report.objects.visible_to(user).filter(pk=v["report"]).first()
        actions.link_report(inv, report, acting_user=user)
        return self._fresh(inv)

    @extend_schema(
        request=SuspectAddSerializer,
        responses={201: SuspectSerializer, 409: DuplicateHintSerializer},
    )
    @action(detail=True, methods=["post"], url_path="suspects")
    def add_suspect(self, request, pk=None):
        """Add a suspect: an existing one you see (``suspect``), or a new one from the identity
        fields. As on the page, a new suspect whose names match suspects you see gets their ids
        back (409) until ``confirm_new`` is set."""
        user = request.user
        inv = self._object(access.investigation_write_q(user), "api:investigation_add_suspect")
        v = self._payload(SuspectAddSerializer, request)
        existing = v.pop("suspect", None)
        confirmed = v.pop("confirm_new")
        if existing is not None:
            found = Suspect.objects.visible_to(user).filter(pk=existing).first()
            if found is None:
                raise serializers.ValidationError({"suspect": _("Choose a suspect you can see.")})
            v["suspect"] = found
        elif not confirmed:
            candidates, hidden_match = duplicate_candidates(user, v, inv)
            if candidates or hidden_match:
                log_suspects(user, candidates, "api:duplicate hint")
                return Response(
                    {
                        "detail": _(
                            "Suspects you see have matching names: add one of them, or confirm "
                            "a new suspect."
                        ),
                        "code": "possible_duplicate",
                        "candidates": [c.pk for c in candidates],
                        # a record held elsewhere: its existence only, never a reference
                        "hidden_match": hidden_match,
                    },
                    status=status.HTTP_409_CONFLICT,
                )
        suspect = actions.add_suspect(inv, acting_user=user, **v)
        return Response(_suspect_data(request, suspect), status=status.HTTP_201_CREATED)

    @extend_schema(request=SuspectEventCreateSerializer, responses={201: EventSerializer})
    @action(detail=True, methods=["post"])
    def events(self, request, pk=None):
        """Record an arrest, a pre-trial detention or a release of a suspect of the
        investigation."""
        user = request.user
        inv = self._object(access.investigation_write_q(user), "api:investigation_event")
        v = self._payload(SuspectEventCreateSerializer, request)
        suspect = Suspect.objects.filter(links__investigation=inv, pk=v.pop("suspect")).first()
        event = actions.record_suspect_event(inv, suspect, acting_user=user, **v)
        return Response(EventSerializer(event).data, status=status.HTTP_201_CREATED)


class SuspectViewSet(_Scoped):
    """Suspects of the cases your justice organisation sees, with their identity; only the
    investigations and events you see are listed with them."""

    serializer_class = SuspectSerializer
    queryset = Suspect.objects.none()
    model = Suspect

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("sex", "citizenship", "role_in_process", "official_body_type")
            .prefetch_related("events")
        )

    def get_serializer_context(self):
        ctx = super().get_serializer_context()
        ctx["investigation_ids"] = set(
            Investigation.objects.visible_to(self.request.user).values_list("pk", flat=True)
        )
        return ctx

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        for row in response.data.get("results", []):
            log.read(request.user, None, ("justice.suspect", str(row["id"])), "api:suspect_list")
        return response

    def retrieve(self, request, pk=None):
        response = super().retrieve(request, pk)
        log.read(request.user, None, ("justice.suspect", str(pk)), "api:suspect")
        return response

    @extend_schema(request=SuspectUpdateSerializer, responses=SuspectSerializer)
    def partial_update(self, request, pk=None):
        """Correct a suspect's identity or flags: by a justice organisation that may write one
        of the investigations the suspect is in."""
        user = request.user
        writable = Investigation.objects.filter(access.investigation_write_q(user))
        in_writable = Suspect.objects.filter(links__investigation__in=writable).values("pk")
        suspect = self._object(Q(pk__in=in_writable), "api:suspect_edit")
        v = self._payload(SuspectUpdateSerializer, request)
        actions.update_suspect(suspect, acting_user=user, expected_version=v.pop("version"), **v)
        return Response(_suspect_data(request, suspect))


class ProsecutionViewSet(_Scoped):
    """Prosecutions of the cases your justice organisation sees, with charges, decisions and
    sentences."""

    serializer_class = ProsecutionSerializer
    queryset = Prosecution.objects.none()
    model = Prosecution

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                "charges__form", "charges__decisions__sentence", "appeals", "participations"
            )
        )

    @extend_schema(request=ProsecutionCreateSerializer, responses={201: ProsecutionSerializer})
    def create(self, request):
        data = ProsecutionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        user = request.user
        inv = visible_or_404(
            Investigation.objects.all(), Investigation, v["investigation"], user, "api:prosecute"
        )
        suspect = Suspect.objects.visible_to(user).filter(pk=v["suspect"]).first()
        office = Organisation.objects.filter(pk=v["office"]).first()
        court = Organisation.objects.filter(pk=v.get("court") or 0).first()
        p = pa.start_prosecution(
            inv,
            suspect,
            acting_user=user,
            office=office,
            started_on=v["started_on"],
            court=court,
            external_ref=v.get("external_ref", ""),
        )
        return Response(ProsecutionSerializer(p).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProsecutionCourtSerializer, responses=ProsecutionSerializer)
    @action(detail=True, methods=["post"])
    def court(self, request, pk=None):
        """Set the court seized (the prosecution office)."""
        user = request.user
        p = self._object(access.prosecution_write_q(user), "api:prosecution_court")
        v = self._payload(ProsecutionCourtSerializer, request)
        pa.set_court(p, acting_user=user, court=_org(v["court"]))
        return Response(ProsecutionSerializer(self.get_queryset().get(pk=p.pk)).data)

    @extend_schema(request=ChargeCreateSerializer, responses={201: ChargeSerializer})
    @action(detail=True, methods=["post"], url_path="charges")
    def add_charge(self, request, pk=None):
        """Add a charge: a legal article and the form of exploitation (the prosecution
        office)."""
        user = request.user
        p = self._object(access.prosecution_write_q(user), "api:prosecution_charge")
        v = self._payload(ChargeCreateSerializer, request)
        charge = pa.add_charge(p, acting_user=user, **v)
        return Response(ChargeSerializer(charge).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AppealCreateSerializer, responses={201: AppealSerializer})
    @action(detail=True, methods=["post"], url_path="appeals")
    def add_appeal(self, request, pk=None):
        """Record an appeal against the decisions (the office or the court seized)."""
        user = request.user
        p = self._object(access.prosecution_decide_q(user), "api:prosecution_appeal")
        v = self._payload(AppealCreateSerializer, request)
        appeal = pa.record_appeal(p, acting_user=user, **v)
        return Response(AppealSerializer(appeal).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "appeal_pk",
                OpenApiTypes.INT,
                OpenApiParameter.PATH,
                description=_("Id of a pending appeal of the prosecution."),
            )
        ],
        request=AppealDecideSerializer,
        responses=AppealSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"appeals/(?P<appeal_pk>[0-9]{1,18})/decide",
    )
    def decide_appeal(self, request, pk=None, appeal_pk=None):
        """Record the outcome of a pending appeal (the office or the court seized)."""
        user = request.user
        p = self._object(access.prosecution_decide_q(user), "api:prosecution_appeal_decide")
        appeal = Appeal.objects.filter(
            prosecution=p, pk=appeal_pk, outcome=AppealOutcome.PENDING
        ).first()
        if appeal is None:
            raise Http404
        v = self._payload(AppealDecideSerializer, request)
        appeal = pa.decide_appeal(appeal, acting_user=user, **v)
        return Response(AppealSerializer(appeal).data)

    @extend_schema(
        request=ParticipationCreateSerializer,
        responses={200: ParticipationSerializer, 201: ParticipationSerializer},
    )
    @action(detail=True, methods=["post"], url_path="participations")
    def record_participation(self, request, pk=None):
        """A victim's part in the prosecution: role, protection measures asked and granted,
        compensation ordered. Recording it again for the same dossier replaces it (200)."""
        user = request.user
        p = self._object(access.prosecution_write_q(user), "api:prosecution_participation")
        v = self._payload(ParticipationCreateSerializer, request)
        dossier = (
            Dossier.objects.visible_to(user)
            .filter(investigation_links__investigation=p.investigation_id, pk=v.pop("dossier"))
            .first()
        )
        existed = dossier is not None and p.participations.filter(dossier=dossier).exists()
        part = pa.record_participation(p, dossier, acting_user=user, **v)
        return Response(
            ParticipationSerializer(part).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )


class ChargeViewSet(_Scoped):
    """Charges of the prosecutions you see, with their decisions."""

    serializer_class = ChargeSerializer
    queryset = Charge.objects.none()
    model = Charge

    def get_queryset(self):
        return super().get_queryset().select_related("form").prefetch_related("decisions__sentence")

    @extend_schema(request=CourtDecisionCreateSerializer, responses={201: CourtDecisionSerializer})
    @action(detail=True, methods=["post"], url_path="decisions")
    def record_decision(self, request, pk=None):
        """Record a court's decision on this charge (the office or the court seized)."""
        user = request.user
        charge = self._object(
            access.prosecution_decide_q(user, "prosecution__"), "api:charge_decision"
        )
        v = self._payload(CourtDecisionCreateSerializer, request)
        court = v.pop("court", None)
        if court is not None:
            court = _org(court)
            if court is None:
                raise serializers.ValidationError({"court": _("Choose an active court.")})
        decision = pa.record_decision(charge, acting_user=user, court=court, **v)
        return Response(CourtDecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


class DecisionViewSet(_Scoped):
    """Court decisions on the charges you see, with the sentence of a conviction."""

    serializer_class = CourtDecisionSerializer
    queryset = CourtDecision.objects.none()
    model = CourtDecision

    def get_queryset(self):
        return super().get_queryset().select_related("sentence")

    @extend_schema(request=SentenceCreateSerializer, responses={201: CourtDecisionSerializer})
    @action(detail=True, methods=["post"])
    def sentence(self, request, pk=None):
        """Record the sentence of a conviction (the office or the court seized)."""
        user = request.user
        decision = self._object(
            access.prosecution_decide_q(user, "charge__prosecution__"), "api:decision_sentence"
        )
        v = self._payload(SentenceCreateSerializer, request)
        pa.record_sentence(decision, acting_user=user, **v)
        fresh = self.get_queryset().get(pk=decision.pk)
        return Response(CourtDecisionSerializer(fresh).data, status=status.HTTP_201_CREATED)
