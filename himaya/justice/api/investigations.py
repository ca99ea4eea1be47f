"""Investigations through the API: open, edit, transfer, close; link victims' dossiers and
hotline reports; add suspects (with the duplicate hint, as on the page) and their events."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from himaya.accounts.api import CodeField, CodeOut, code_list_field
from himaya.accounts.models import Organisation
from himaya.cases.models import Dossier
from himaya.core import access
from himaya.core.api import StrictModelSerializer, StrictSerializer
from himaya.core.shortcuts import MAX_ID
from himaya.hotline.models import Report

from .. import actions
from ..identities import duplicate_hint
from ..models import DossierLink, Handoff, Investigation, InvestigationStatus, Suspect
from .common import Scoped, confirm_order_field, id_field, organisation_or_none, version_field
from .suspects import (
    DuplicateHintSerializer,
    EventSerializer,
    SuspectAddSerializer,
    SuspectEventCreateSerializer,
    SuspectSerializer,
    suspect_data,
)


class HandoffSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=Handoff.choices)
    on = serializers.DateField()
    office = serializers.IntegerField(
        source="office_id",
        allow_null=True,
        help_text=_("Id of the prosecution office; null for a return recorded before it was kept."),
    )
    reason = serializers.SerializerMethodField(
        help_text=_(
            "Why the office sent the investigation back: for the investigators and that "
            "office's prosecutors; null for anyone else, and for a transfer."
        )
    )

    def get_reason(self, handoff) -> str | None:
        if handoff.kind != Handoff.RETURNED:
            return None
        user = self.context["request"].user
        return handoff.reason if access.reads_handoff_reason(user, handoff) else None


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
    handoffs = HandoffSerializer(
        many=True,
        read_only=True,
        help_text=_("Its transfers to a prosecution office and returns, oldest first."),
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
            "handoffs",
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


class InvestigationUpdateSerializer(StrictSerializer):
    opened_on = serializers.DateField(required=False)
    region = CodeField("region", required=False, allow_null=True)
    forms = code_list_field("exploitation_form", required=False)
    version = version_field()
    confirm_order = confirm_order_field()


class InvestigationTransferSerializer(StrictSerializer):
    office = id_field(help_text=_("Id of the prosecution office the investigation goes to."))
    on = serializers.DateField()


class InvestigationCloseSerializer(StrictSerializer):
    on = serializers.DateField()


class InvestigationReturnSerializer(StrictSerializer):
    reason = serializers.CharField(
        max_length=2000,
        allow_blank=True,
        help_text=_("Why the office sends the investigation back (the investigators read it)."),
    )
    on = serializers.DateField()


class DossierLinkInSerializer(StrictSerializer):
    dossier = id_field(help_text=_("Id of a dossier you see with its identity."))


class DossierLinkSerializer(StrictModelSerializer):
    class Meta:
        model = DossierLink
        fields = ["id", "investigation", "dossier", "organisation", "linked_at"]
        read_only_fields = fields


class ReportLinkSerializer(StrictSerializer):
    report = id_field(help_text=_("Id of a hotline report you see."))


def _duplicate_answer(hint):
    """The 409 a new suspect gets while suspects the user sees have matching names."""
    return Response(
        {
            "detail": _(
                "Suspects you see have matching names: add one of them, or confirm a new suspect."
            ),
            "code": "possible_duplicate",
            "candidates": [c.pk for c in hint.candidates],
            # a record held elsewhere: its existence only, never a reference
            "hidden_match": hint.hidden_match,
        },
        status=status.HTTP_409_CONFLICT,
    )


class InvestigationViewSet(Scoped):
    """Investigations your justice organisation investigates, prosecutes or judges."""

    serializer_class = InvestigationSerializer
    queryset = Investigation.objects.none()
    model = Investigation

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("region")
            .prefetch_related("forms", "dossier_links", "handoffs")
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
        actions.order_confirmed(
            actions.update_investigation,
            inv,
            acting_user=user,
            expected_version=v["version"],
            opened_on=v.get("opened_on", inv.opened_on),
            region=v.get("region", inv.region),
            forms=v.get("forms"),
            confirm_order=v["confirm_order"],
        )
        return self._fresh(inv)

    @extend_schema(request=InvestigationTransferSerializer, responses=InvestigationSerializer)
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        """Hand an open investigation to a prosecution office."""
        user = request.user
        inv = self._object(access.investigation_edit_q(user), "api:investigation_transfer")
        v = self._payload(InvestigationTransferSerializer, request)
        actions.transfer_investigation(
            inv, acting_user=user, office=organisation_or_none(v["office"]), on=v["on"]
        )
        return self._fresh(inv)

    @extend_schema(request=InvestigationReturnSerializer, responses={204: None})
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, pk=None):
        """Send an investigation transferred to your prosecution office back to the
        investigators, before any prosecution."""
        user = request.user
        inv = self._object(access.investigation_return_q(user), "api:investigation_send_back")
        v = self._payload(InvestigationReturnSerializer, request)
        actions.return_investigation(inv, acting_user=user, reason=v["reason"], on=v["on"])
        # Sent back, the investigation is no longer the office's to see: nothing to show.
        return Response(status=204)

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
        else:
            hint = duplicate_hint(user, v, inv, confirmed=confirmed, purpose="api:duplicate hint")
            if hint is not None:
                return _duplicate_answer(hint)
        suspect = actions.order_confirmed(actions.add_suspect, inv, acting_user=user, **v)
        return Response(suspect_data(request, suspect), status=status.HTTP_201_CREATED)

    @extend_schema(request=SuspectEventCreateSerializer, responses={201: EventSerializer})
    @action(detail=True, methods=["post"])
    def events(self, request, pk=None):
        """Record an arrest, a pre-trial detention or a release of a suspect of the
        investigation."""
        user = request.user
        inv = self._object(access.investigation_write_q(user), "api:investigation_event")
        v = self._payload(SuspectEventCreateSerializer, request)
        suspect = Suspect.objects.filter(links__investigation=inv, pk=v.pop("suspect")).first()
        event = actions.order_confirmed(
            actions.record_suspect_event, inv, suspect, acting_user=user, **v
        )
        return Response(EventSerializer(event).data, status=status.HTTP_201_CREATED)
