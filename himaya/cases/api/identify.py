"""Identification decisions, offences charged against victims and non-punishment alerts through
the API. Decisions and offences hang under their dossier (``/api/dossiers/{id}/decisions/``,
``/api/dossiers/{id}/offences/``); alerts have their own list (``/api/alerts/``), as the
prosecution works from it. Records are read through ``visible_to``; the reasons, details, notes
and who recorded them are serialised only for readers who see the dossier's identity (S5), and
never read for the others."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from himaya.accounts.api import (
    ActingOrganisationField,
    ActingOrgMixin,
    ChoiceField,
    CodeField,
    CodeOut,
    visible_or_404,
)
from himaya.accounts.models import Organisation
from himaya.audit import log
from himaya.core import access
from himaya.core.api import StrictSerializer
from himaya.core.shortcuts import MAX_ID

from .. import actions
from ..models import (
    AlertOutcome,
    Dossier,
    NonPunishmentAlert,
    OffenceType,
)
from ..panels import visible_decisions, visible_offences


class IdentityAwareSerializer(StrictSerializer):
    """Drops the identity fields of the ``identity_of`` model's policy (core.access.policies;
    without reading them) unless the record's dossier is in the context's ``identity_ids``. The
    fields are declared optional so the schema says they may be absent."""

    identity_of = ""

    def to_representation(self, instance):
        if instance.dossier_id in self.context.get("identity_ids", ()):
            return super().to_representation(instance)
        hidden = access.policy_for(self.identity_of).identity_fields
        ret = {}
        for field in self._readable_fields:
            if field.field_name in hidden:
                continue
            attribute = field.get_attribute(instance)
            ret[field.field_name] = (
                None if attribute is None else field.to_representation(attribute)
            )
        return ret


@extend_schema_field({"type": "array", "items": {"type": "integer"}})
class IdListField(serializers.Field):
    """The ids of a many-to-many relation, read-only."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return sorted(o.pk for o in value.all())


class DecisionSerializer(IdentityAwareSerializer):
    identity_of = "cases.IdentificationDecision"

    id = serializers.IntegerField(read_only=True)
    dossier = serializers.IntegerField(source="dossier_id", read_only=True)
    status = CodeOut()
    decided_on = serializers.DateField(read_only=True)
    organisation = serializers.IntegerField(source="organisation_id", read_only=True)
    organisation_type = CodeOut()
    reviews = serializers.IntegerField(source="reviews_id", read_only=True, allow_null=True)
    recorded_at = serializers.DateTimeField(read_only=True)
    reasons = serializers.CharField(required=False)
    decided_by = serializers.CharField(source="decided_by.display_name", required=False)


class DecisionCreateSerializer(StrictSerializer):
    status = CodeField("trafficking_status")
    decided_on = serializers.DateField()
    reasons = serializers.CharField(max_length=actions.REASONS_MAX)
    organisation = ActingOrganisationField(
        help_text=_("Id of the deciding organisation you act for; optional when only one may.")
    )
    reviews = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        help_text=_("The negative decision this one reviews (required after a negative one)."),
    )


class AlertCoreSerializer(IdentityAwareSerializer):
    identity_of = "cases.NonPunishmentAlert"

    id = serializers.IntegerField(read_only=True)
    dossier = serializers.IntegerField(source="dossier_id", read_only=True)
    recipients = IdListField(help_text=_("The organisations the alert was sent to."))
    raised_at = serializers.DateTimeField(read_only=True)
    is_open = serializers.BooleanField(read_only=True)
    outcome = ChoiceField(choices=AlertOutcome.choices, read_only=True, allow_blank=True)
    resolved_on = serializers.DateField(read_only=True, allow_null=True)
    resolved_org = serializers.IntegerField(
        source="resolved_org_id", read_only=True, allow_null=True
    )
    outcome_note = serializers.CharField(required=False)


class OffenceCoreSerializer(IdentityAwareSerializer):
    identity_of = "cases.OffenceCharge"

    id = serializers.IntegerField(read_only=True)
    dossier = serializers.IntegerField(source="dossier_id", read_only=True)
    offence_type = ChoiceField(choices=OffenceType.choices, read_only=True)
    charged_on = serializers.DateField(read_only=True)
    region = CodeOut()
    authority = serializers.IntegerField(source="authority_id", read_only=True, allow_null=True)
    organisation = serializers.IntegerField(source="organisation_id", read_only=True)
    recorded_at = serializers.DateTimeField(read_only=True)
    detail = serializers.CharField(required=False)
    authority_other = serializers.CharField(required=False)


class OffenceSerializer(OffenceCoreSerializer):
    alert = AlertCoreSerializer(read_only=True)


class AlertSerializer(AlertCoreSerializer):
    offence = OffenceCoreSerializer(read_only=True)


class OffenceCreateSerializer(StrictSerializer):
    offence_type = ChoiceField(choices=OffenceType.choices)
    detail = serializers.CharField(
        max_length=actions.DETAIL_MAX, required=False, allow_blank=True, default=""
    )
    charged_on = serializers.DateField()
    authority = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        help_text=_("Id of the charging organisation, when it is in Himaya."),
    )
    authority_other = serializers.CharField(
        max_length=actions.AUTHORITY_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The charging authority's name, when it is not in Himaya."),
    )
    region = CodeField(
        "region",
        required=False,
        allow_null=True,
        help_text=_("Region of the charge; the dossier's region of exploitation when absent."),
    )
    organisation = ActingOrganisationField()

    def validate_authority(self, value):
        if value is None:
            return None
        org = Organisation.objects.filter(
            pk=value, active=True, type__code__in=actions.CHARGING_ORG_TYPES
        ).first()
        if org is None:
            raise serializers.ValidationError(_("Choose an organisation that brings charges."))
        return org


class AlertResolveSerializer(StrictSerializer):
    outcome = ChoiceField(choices=AlertOutcome.choices)
    resolved_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(
        max_length=actions.DETAIL_MAX, required=False, allow_blank=True, default=""
    )


class AlertFilterSerializer(StrictSerializer):
    state = ChoiceField(
        choices=[("open", _("open")), ("resolved", _("resolved"))],
        required=False,
        help_text=_("Open or resolved alerts; both when absent."),
    )
    inbox = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Only alerts sent to your organisations or about their dossiers."),
    )


def _identity_ids(user, dossier_ids):
    return set(
        Dossier.objects.filter(pk__in=set(dossier_ids))
        .with_identity_for(user)
        .values_list("pk", flat=True)
    )


def _acting_org(user, data, allowed, message):
    """The organisation named, or the only one allowed; 403 when none is."""
    if not allowed:
        raise PermissionDenied()
    org = data.pop("organisation", None)
    if org is None and len(allowed) == 1:
        org = Organisation.objects.get(pk=next(iter(allowed)))
    if org is None:
        raise serializers.ValidationError({"organisation": message})
    return org


class DossierIdentifyMixin:
    """The decisions and offences of a dossier, added to the dossiers endpoint."""

    def _dossier(self, purpose):
        user = self.request.user
        return visible_or_404(self.get_queryset(), Dossier, self.kwargs["pk"], user, purpose)

    @extend_schema(methods=["GET"], responses=DecisionSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=DecisionCreateSerializer, responses={201: DecisionSerializer}
    )
    @action(detail=True, methods=["get", "post"], serializer_class=DecisionSerializer)
    def decisions(self, request, pk=None):
        """Identification decisions, in date order; POST records one (a deciding organisation
        that sees the dossier with the identity), which moves the dossier's stage."""
        user = request.user
        dossier = self._dossier("api:dossier_decisions")
        identity = access.sees_identity(user, dossier)
        if request.method == "POST":
            data = DecisionCreateSerializer(data=request.data, context={"request": request})
            data.is_valid(raise_exception=True)
            fields = dict(data.validated_data)
            allowed = access.decision_org_ids_for(user, dossier)
            org = _acting_org(user, fields, allowed, _("Say which organisation decides."))
            reviews = fields.pop("reviews", None)
            if reviews is not None:
                reviews = dossier.decisions.filter(pk=reviews).select_related("status").first()
                if reviews is None:
                    raise serializers.ValidationError({"reviews": _("Unknown decision.")})
            decision = actions.record_decision(
                dossier, acting_user=user, organisation=org, reviews=reviews, **fields
            )
            context = {"identity_ids": {dossier.pk}}
            return Response(
                DecisionSerializer(decision, context=context).data, status=status.HTTP_201_CREATED
            )
        decisions = visible_decisions(user, dossier, sees_identity=identity)
        if identity:
            log.read(user, dossier.person_id, dossier, "api:dossier_decisions")
        page = self.paginate_queryset(decisions)
        context = {"identity_ids": {dossier.pk} if identity else set()}
        return self.get_paginated_response(
            DecisionSerializer(page, many=True, context=context).data
        )

    @extend_schema(methods=["GET"], responses=OffenceSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=OffenceCreateSerializer, responses={201: OffenceSerializer}
    )
    @action(detail=True, methods=["get", "post"], serializer_class=OffenceSerializer)
    def offences(self, request, pk=None):
        """Offences charged against the person, each with its non-punishment alert; POST
        records one (presumed or identified victims only) and raises the alert."""
        user = request.user
        dossier = self._dossier("api:dossier_offences")
        identity = access.sees_identity(user, dossier)
        if request.method == "POST":
            data = OffenceCreateSerializer(data=request.data, context={"request": request})
            data.is_valid(raise_exception=True)
            fields = dict(data.validated_data)
            allowed = access.offence_org_ids_for(user, dossier)
            org = _acting_org(user, fields, allowed, _("Say which organisation records it."))
            offence, _alert = actions.record_offence(
                dossier, acting_user=user, organisation=org, **fields
            )
            fresh = visible_offences(user, dossier, sees_identity=True).get(pk=offence.pk)
            context = {"identity_ids": {dossier.pk}}
            return Response(
                OffenceSerializer(fresh, context=context).data, status=status.HTTP_201_CREATED
            )
        offences = visible_offences(user, dossier, sees_identity=identity)
        if identity:
            log.read(user, dossier.person_id, dossier, "api:dossier_offences")
        page = self.paginate_queryset(offences)
        context = {"identity_ids": {dossier.pk} if identity else set()}
        return self.get_paginated_response(OffenceSerializer(page, many=True, context=context).data)


class AlertViewSet(ActingOrgMixin, viewsets.GenericViewSet):
    """Non-punishment alerts you see (with their dossier); ``inbox`` narrows them to those sent
    to your organisations or about their dossiers. The offence's detail, a charging authority
    outside Himaya and the note on the outcome come only with the dossier's identity."""

    serializer_class = AlertSerializer
    queryset = NonPunishmentAlert.objects.none()  # for the schema; requests use get_queryset
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        # Free text is never loaded here: ``_represent`` reloads it for the identity readers.
        return (
            NonPunishmentAlert.objects.visible_to(self.request.user)
            .select_related("offence", "offence__region")
            .prefetch_related("recipients")
            .defer("outcome_note", "offence__detail", "offence__authority_other")
        )

    def _represent(self, alerts, purpose, *, many=False):
        user = self.request.user
        alerts = list(alerts)
        identity_ids = _identity_ids(user, [a.dossier_id for a in alerts])
        if identity_ids:
            full = {
                a.pk: a
                for a in NonPunishmentAlert.objects.filter(
                    pk__in=[a.pk for a in alerts if a.dossier_id in identity_ids]
                )
                .select_related("offence", "offence__region")
                .prefetch_related("recipients")
            }
            alerts = [full.get(a.pk, a) for a in alerts]
            persons = Dossier.objects.filter(pk__in=identity_ids).values_list(
                "person_id", flat=True
            )
            log.read_many(user, sorted(set(persons)), "cases.nonpunishmentalert", purpose)
        context = {"identity_ids": identity_ids}
        data = AlertSerializer(alerts, many=True, context=context).data
        return data if many else data[0]

    @extend_schema(parameters=[AlertFilterSerializer])
    def list(self, request):
        filters = AlertFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        f = filters.validated_data
        qs = self.get_queryset()
        if f.get("inbox"):
            # get_queryset is what the user sees: the inbox's condition on top
            # (AlertQuerySet.inbox).
            qs = qs.filter(access.alert_inbox_q(request.user))
        if f.get("state") == "open":
            qs = qs.filter(resolved_on__isnull=True)
        elif f.get("state") == "resolved":
            qs = qs.filter(resolved_on__isnull=False)
        page = self.paginate_queryset(qs.order_by("-raised_at", "-id"))
        return self.get_paginated_response(self._represent(page, "api:alert_list", many=True))

    def retrieve(self, request, pk=None):
        alert = visible_or_404(
            self.get_queryset(), NonPunishmentAlert, pk, request.user, "api:alert"
        )
        return Response(self._represent([alert], "api:alert"))

    @extend_schema(request=AlertResolveSerializer, responses=AlertSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        """Record the outcome; the prosecution's access for this alert ends with it."""
        alert = visible_or_404(
            self.get_queryset(), NonPunishmentAlert, pk, request.user, "api:alert_resolve"
        )
        data = AlertResolveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.resolve_alert(alert, acting_user=request.user, **data.validated_data)
        # The answer is what the resolver may still see: often the alert without its dossier.
        fresh = self.get_queryset().filter(pk=alert.pk).first()
        if fresh is None:
            fresh = (
                NonPunishmentAlert.objects.select_related("offence", "offence__region")
                .defer("outcome_note", "offence__detail", "offence__authority_other")
                .get(pk=alert.pk)
            )
            return Response(AlertSerializer(fresh, context={"identity_ids": set()}).data)
        return Response(self._represent([fresh], "api:alert"))
