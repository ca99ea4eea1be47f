"""The writers of the casework of past years (exchange/casework.py declares the kinds and says
what an import does): the base Writer (the organisation's references kept in ImportedRecord,
found for a whole file at once), the shared checks of dates, and the persons with their
dossiers and the identification decisions. Referrals and services: writers/referrals.py."""

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _t

from himaya.cases import actions as case_actions
from himaya.people import actions as people_actions
from himaya.people.forms import identity_values
from himaya.people.models import (
    BirthDatePrecision,
)

from .. import permissions
from ..models import ImportedRecord
from .justice import _differs, _refuse

NAME_FIELDS = ("given_name_ar", "family_name_ar", "given_name_lat", "family_name_lat")


def _before_opening(ctx, column, day, dossier):
    """A referral sent, or a service given, before the dossier's recorded opening: registers
    record it (a shelter takes a person in at night, the dossier is opened the next week), so
    the clerk confirms it (a warning) instead of the file being refused."""
    if day < dossier.opened_on:
        ctx.warn(
            column,
            _t("This date is before the dossier was opened (%(date)s).")
            % {"date": dossier.opened_on.isoformat()},
        )


def _local_day(moment):
    return timezone.localtime(moment).date() if moment else None


def _has_field(model, name):
    return any(f.name == name for f in model._meta.get_fields())


def _own_dossier(ctx, dossier):
    if dossier.owner_org_id != ctx.organisation.pk:
        raise PermissionDenied(_t("This dossier is no longer held by your organisation."))


class Writer:
    """Finds a record by the organisation's reference (ImportedRecord), creates it, compares it
    with the row on a re-import (differences are refused, see the module docstring)."""

    kind = ""

    def _allowed(self, ctx):
        permissions.check(ctx.user, ctx.organisation, permissions.CASEWORK)

    # What ``changes`` reads of a record found again, fetched with it (prefetch).
    related = ("dossier",)
    prefetched = ()

    def prefetch(self, ctx, refs):
        """The records the organisation imported before with these references: their
        ImportedRecord rows in one query per 500, the records in one query per model."""
        by_model, kept = {}, set()
        for i in range(0, len(refs), 500):
            chunk = sorted(refs)[i : i + 500]
            for ref, model, pk in ImportedRecord.objects.filter(
                organisation=ctx.organisation, kind=self.kind, external_ref__in=chunk
            ).values_list("external_ref", "model", "object_id"):
                by_model.setdefault(model, {})[pk] = ref
                kept.add(ref)
        found = {}
        for model, refs_by_pk in by_model.items():
            qs = apps.get_model(model).objects.filter(pk__in=list(refs_by_pk))
            related = [r for r in self.related if _has_field(qs.model, r)]
            prefetched = [r for r in self.prefetched if _has_field(qs.model, r.split("__")[0])]
            for obj in qs.select_related(*related).prefetch_related(*prefetched):
                found[refs_by_pk[obj.pk]] = obj
        ctx.cache[("imported", self.kind)] = kept
        return found

    def lookup(self, ctx, ref):
        found = ctx.found.get(self)
        if found is not None and ref in found.refs:
            return found.records.get(ref)
        record = ImportedRecord.objects.filter(
            organisation=ctx.organisation, kind=self.kind, external_ref=ref
        ).first()
        if record is None:
            return None
        return apps.get_model(record.model).objects.filter(pk=record.object_id).first()

    def find(self, ctx, ref):
        self._allowed(ctx)
        return self.lookup(ctx, ref)

    def remember(self, ctx, ref, obj):
        kept = ctx.cache.get(("imported", self.kind))
        if kept is not None and ref not in kept:  # known to have no row: no lookup first
            ImportedRecord.objects.create(
                organisation=ctx.organisation,
                kind=self.kind,
                external_ref=ref,
                model=obj._meta.label_lower,
                object_id=obj.pk,
            )
            return obj
        ImportedRecord.objects.update_or_create(
            organisation=ctx.organisation,
            kind=self.kind,
            external_ref=ref,
            defaults={"model": obj._meta.label_lower, "object_id": obj.pk},
        )
        return obj

    def update(self, ctx, obj, values, changes):
        _refuse(changes)


def _shown(value):
    if isinstance(value, list | set | tuple):
        return ", ".join(sorted(str(v) for v in value))
    return value


def _compare(pairs):
    """Differences as messages: (label, recorded, in the file); ``None`` in the file means the
    sheet has no such column (the recorded value stands)."""
    return [
        _differs(label, _shown(old), _shown(new))
        for label, old, new in pairs
        if new is not None and old != new
    ]


# --- Persons and their dossiers ------------------------------------------------------------------


class DossierWriter(Writer):
    kind = "dossiers"
    related = ("person",)
    prefetched = ("forms", *case_actions.CODE_SETS[1:], "person__citizenships")

    def _person_fields(self, values):
        fields = {name: values.get(name) or "" for name in NAME_FIELDS}
        fields["sex"] = values.get("sex")
        fields["birth_date"] = values.get("birth_date")
        precision = values.get("birth_date_precision") or ""
        if values.get("estimated_age") is not None:
            fields["estimated_age"] = values["estimated_age"]
            fields["estimated_on"] = values["opened_on"]
            precision = precision or BirthDatePrecision.ESTIMATED
        elif fields["birth_date"] is not None:
            precision = precision or BirthDatePrecision.EXACT
        fields["birth_date_precision"] = precision or BirthDatePrecision.UNKNOWN
        return fields

    def _dossier_fields(self, values):
        return {
            "form_other_detail": values.get("form_other_detail") or "",
            "recruitment_country": values.get("recruitment_country"),
            "exploitation_country": values.get("exploitation_country"),
            "exploitation_region": values.get("exploitation_region"),
            "recruitment_city": values.get("recruitment_city") or "",
            "exploitation_city": values.get("exploitation_city") or "",
        }

    def create(self, ctx, values):
        org, user = ctx.organisation, ctx.user
        fields = self._person_fields(values)
        citizenships = values.get("citizenship") or []
        try:
            person = people_actions.do_create_person(
                acting_user=user, organisation=org, citizenships=citizenships, **fields
            )
        except ValidationError as exc:
            # A person with no name: said on the name columns of the row.
            if hasattr(exc, "error_dict"):
                raise
            raise ValidationError({"family_name_lat": exc.messages}) from None
        ctx.possible_duplicate(
            "person", identity_values({**fields, "citizenships": citizenships}), person
        )
        code_sets = {name: values[name] for name in case_actions.CODE_SETS[1:] if values.get(name)}
        dossier = case_actions.do_open_dossier(
            person,
            acting_user=user,
            organisation=org,
            forms=values.get("forms") or [],
            on=values["opened_on"],
            **self._dossier_fields(values),
            **code_sets,
        )
        return self.remember(ctx, values["ref"], dossier)

    def changes(self, ctx, dossier, values):
        person = dossier.person
        fields = self._person_fields(values)
        pairs = [
            (name, getattr(person, name), fields[name] if name in values else None)
            for name in NAME_FIELDS
        ]
        pairs += [
            ("sex", person.sex, fields["sex"] if "sex" in values else None),
            ("birth_date", person.birth_date, values.get("birth_date")),
            ("estimated_age", person.estimated_age, values.get("estimated_age")),
            ("opened_on", dossier.opened_on, values["opened_on"]),
        ]
        if values.get("birth_date_precision"):
            pairs.append(
                (
                    "birth_date_precision",
                    person.birth_date_precision,
                    fields["birth_date_precision"],
                )
            )
        if "citizenship" in values:
            pairs.append(
                (
                    "citizenship",
                    {c.code for c in person.citizenships.all()},
                    {c.code for c in values["citizenship"] or []},
                )
            )
        if "forms" in values:
            pairs.append(
                (
                    "forms",
                    {c.code for c in dossier.forms.all()},
                    {c.code for c in values["forms"] or []},
                )
            )
        for name in case_actions.CODE_SETS[1:]:
            if name in values:
                pairs.append(
                    (
                        name,
                        {c.code for c in getattr(dossier, name).all()},
                        {c.code for c in values[name] or []},
                    )
                )
        for name, new in self._dossier_fields(values).items():
            if name in values:
                pairs.append((name, getattr(dossier, name), new))
        return _compare(pairs)


# --- Identification decisions -----------------------------------------------------------------


class DecisionWriter(Writer):
    kind = "decisions"

    def create(self, ctx, values):
        """The decision a past year's register tells, through the page's own action: the
        deciding-organisation rule (a named organisation of a deciding type, or the type of
        the body that decided), the dates and the stage move are the action's. A decision
        after a negative one is its review (the app's rule: never an edit)."""
        dossier = values["dossier_ref"]
        _own_dossier(ctx, dossier)
        named = values.get("deciding_organisation")
        org_type = values.get("deciding_org_type")
        if named is None and org_type is None:
            raise ValidationError(
                {
                    "deciding_org_type": _t(
                        "Give the type of the deciding organisation, or name the organisation."
                    )
                }
            )
        latest = case_actions.latest_decision(dossier)
        decision = case_actions.do_record_decision(
            dossier,
            acting_user=ctx.user,
            organisation=named or ctx.organisation,
            organisation_type=None if named is not None else org_type,
            status=values["status"],
            on=values["decided_on"],
            reasons=values.get("reasons") or "",
            reviews=latest if latest is not None and latest.is_negative else None,
            acting_org_id=ctx.organisation.pk,
        )
        return self.remember(ctx, values["ref"], decision)

    def changes(self, ctx, decision, values):
        return _compare(
            [
                ("dossier_ref", decision.dossier.reference, values["dossier_ref"].reference),
                ("decided_on", decision.decided_on, values["decided_on"]),
                ("status", decision.status, values["status"]),
                ("deciding_org_type", decision.organisation_type, values.get("deciding_org_type")),
                (
                    "deciding_organisation",
                    decision.organisation,
                    values.get("deciding_organisation"),
                ),
                ("reasons", decision.reasons, (values.get("reasons") or "").strip() or None),
            ]
        )
