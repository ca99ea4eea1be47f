"""The justice registers' writers: each finds a record by its register reference
(``external_ref``, unique per organisation) among the importing organisation's records (all of
a file's at once: ``prefetch``), creates it through the justice actions, and compares it with
the row on a re-import (see kinds.py for what an import changes and what it refuses).
The columns and kinds are declared in kinds.py."""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from himaya.accounts.models import Organisation
from himaya.core.registers.compare import differs as _differs
from himaya.core.registers.compare import refuse as _refuse
from himaya.justice import actions
from himaya.justice.actions import run
from himaya.justice.models import (
    EventKind,
    Investigation,
    InvestigationStatus,
    InvestigationSuspect,
    Suspect,
    SuspectEvent,
    identity_values,
)


def _holders(org_ids):
    names = sorted({o.name for o in Organisation.objects.filter(pk__in=set(org_ids))})
    return ", ".join(names)


def memo(ctx):
    """The run's memo for the justice actions (actions/run.py), made with its first row."""
    if run.Memo not in ctx.memo:
        ctx.memo[run.Memo] = run.Memo(ctx.user)
    return ctx.memo[run.Memo]


def _chunks(items, size=500):
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i : i + size]


class Writer:
    model = None
    org_field = "organisation"
    # What ``changes`` reads of a record found again, fetched with it (prefetch).
    related = ()
    prefetched = ()
    # One action per row: the action's own transaction undoes a refused row, the engine needs
    # no savepoint of its own around it (engine._write_row).
    single_action = False

    def prefetch(self, ctx, refs):
        """The organisation's records with these references, in one query per 500 (the
        engine asks once per file, instead of once per row)."""
        qs = (
            self.model.objects.filter(**{self.org_field: ctx.organisation})
            .select_related(*self.related)
            .prefetch_related(*self.prefetched)
        )
        found = {}
        for chunk in _chunks(sorted(refs)):
            found.update((o.external_ref, o) for o in qs.filter(external_ref__in=chunk))
        # The references the rows' actions check (check_external_ref): those found are taken.
        memo(ctx).refs_read(self.model, self.org_field, ctx.organisation.pk, refs, found)
        return found

    def writing(self, ctx):
        """A row's writes (engine._writing): the actions find the run's memo."""
        return memo(ctx).row()

    def find(self, ctx, ref):
        found = ctx.found.get(self)
        if found is not None and ref in found.refs:
            return found.records.get(ref)
        return self.model.objects.filter(
            **{self.org_field: ctx.organisation, "external_ref": ref}
        ).first()

    def lookup(self, ctx, ref):
        """A record named in a reference column: the organisation's own, else the only one
        with that reference among the records the user sees."""
        own = self.find(ctx, ref)
        if own is not None:
            return own
        found = list(self.model.objects.visible_to(ctx.user).filter(external_ref=ref)[:2])
        return found[0] if len(found) == 1 else None

    def missing(self, ctx, ref):
        """Why a reference names no record the importer may use, when it is not simply
        absent: several records the user sees have it, or a record of another organisation
        that was not shared with the importer's (its holder's name only, nothing else of it).
        ``None`` when no record has it."""
        visible = self.model.objects.visible_to(ctx.user).filter(external_ref=ref)
        seen = list(visible.values_list(self.org_field, flat=True)[:6])
        if len(seen) > 1:
            return gettext(
                "Several records you see have the reference “%(ref)s” (%(holders)s): the import "
                "cannot tell which one the row means."
            ) % {"ref": str(ref)[:60], "holders": _holders(seen)}
        if seen:
            return None
        held = list(
            self.model.objects.filter(external_ref=ref).values_list(self.org_field, flat=True)[:6]
        )
        if not held:
            return None
        return self.not_shared % {"ref": str(ref)[:60], "holders": _holders(held)}

    not_shared = _(
        "“%(ref)s” is the reference of a record held by %(holders)s, which your organisation "
        "does not see: it was not shared with it (the investigation transferred to your office, "
        "or your court seized)."
    )

    def changes(self, ctx, obj, values):
        return []

    def update(self, ctx, obj, values, changes):
        _refuse(changes)


# --- Investigations --------------------------------------------------------------------------


class InvestigationWriter(Writer):
    model = Investigation
    org_field = "investigating_org"
    prefetched = ("forms",)
    not_shared = _(
        "Investigation “%(ref)s” is held by %(holders)s and was not transferred to your "
        "organisation: ask them to transfer it in Himaya, or add it to the file if it is yours."
    )

    def lookup(self, ctx, ref):
        own = self.find(ctx, ref)
        if own is not None:
            return own
        transferred = list(
            Investigation.objects.visible_to(ctx.user).filter(
                prosecution_office=ctx.organisation, external_ref=ref
            )[:2]
        )
        if len(transferred) == 1:
            return transferred[0]
        return super().lookup(ctx, ref)

    def _status(self, ctx, inv, values):
        status = values.get("status") or InvestigationStatus.OPEN
        if status == inv.status:
            return
        on = values.get("status_on")
        if inv.status != InvestigationStatus.OPEN:
            _refuse(
                [
                    _differs(
                        gettext("status"),
                        inv.get_status_display(),
                        InvestigationStatus(status).label,
                    )
                ]
            )
        if on is None:
            raise ValidationError({"status_on": gettext("Give the date of the status.")})
        if status == InvestigationStatus.TRANSFERRED:
            actions.transfer_investigation(
                inv, acting_user=ctx.user, office=values.get("prosecution_office"), on=on
            )
        elif status == InvestigationStatus.CLOSED:
            actions.close_investigation(inv, acting_user=ctx.user, on=on)

    def single_create(self, values):
        """Opened and nothing else: the action's own savepoint is the row's."""
        return (values.get("status") or InvestigationStatus.OPEN) == InvestigationStatus.OPEN

    def create(self, ctx, values):
        inv = actions.open_investigation(
            acting_user=ctx.user,
            organisation=ctx.organisation,
            opened_on=values["opened_on"],
            region=values.get("region"),
            forms=values.get("forms") or (),
            external_ref=values["ref"],
        )
        self._status(ctx, inv, values)
        return inv

    def changes(self, ctx, inv, values):
        diff = []
        if inv.opened_on != values["opened_on"]:
            diff.append("opened_on")
        if values.get("region") is not None and inv.region_id != values["region"].pk:
            diff.append("region")
        forms = {f.pk for f in values.get("forms") or ()}
        if "forms" in values and forms != {f.pk for f in inv.forms.all()}:
            diff.append("forms")
        status = values.get("status") or InvestigationStatus.OPEN
        if "status" not in values:
            pass
        elif status != inv.status:
            diff.append("status")
        elif status != InvestigationStatus.OPEN:
            if values.get("status_on") and values["status_on"] != inv.status_on:
                diff.append("status_on")
            office = values.get("prosecution_office")
            if office is not None and office.pk != inv.prosecution_office_id:
                diff.append("prosecution_office")
        return diff

    def update(self, ctx, inv, values, changes):
        refused = [
            _differs(
                Investigation._meta.get_field(name).verbose_name,
                getattr(inv, name),
                values.get(name),
            )
            for name in ("status_on", "prosecution_office")
            if name in changes
        ]
        if refused:
            _refuse(refused)
        if {"opened_on", "region", "forms"} & set(changes):
            inv = actions.update_investigation(
                inv,
                acting_user=ctx.user,
                expected_version=inv.version,
                opened_on=values["opened_on"],
                region=values.get("region") or inv.region,
                forms=values.get("forms") or [],
                warn=ctx.warn,
            )
        if "status" in changes:
            self._status(ctx, inv, values)
        inv.refresh_from_db()
        return inv

    def export(self, user):
        qs = (
            Investigation.objects.visible_to(user)
            .select_related("region", "prosecution_office")
            .prefetch_related("forms")
        )
        for inv in qs.order_by("opened_on", "pk"):
            yield (
                inv,
                {
                    "ref": inv.external_ref or inv.reference,
                    "opened_on": inv.opened_on,
                    "region": inv.region.code if inv.region_id else "",
                    "forms": "; ".join(f.code for f in inv.forms.all()),
                    "status": inv.status,
                    "status_on": inv.status_on,
                    "prosecution_office": inv.prosecution_office.name_fr
                    if inv.prosecution_office_id
                    else "",
                },
            )


# --- Suspects --------------------------------------------------------------------------------

SUSPECT_TEXT = (
    "given_name_ar",
    "family_name_ar",
    "given_name_lat",
    "family_name_lat",
    "official_body",
)
SUSPECT_CODES = ("sex", "citizenship", "role_in_process", "official_body_type")


class SuspectWriter(Writer):
    model = Suspect
    org_field = "registered_by"
    prefetched = ("links",)

    def _fields(self, values):
        fields = {name: values.get(name) or "" for name in SUSPECT_TEXT}
        fields.update({name: values.get(name) for name in SUSPECT_CODES})
        fields["birth_date"] = values.get("birth_date")
        fields["birth_date_precision"] = values.get("birth_date_precision") or ""
        fields["public_official"] = bool(values.get("public_official"))
        fields["diplomatic_immunity"] = bool(values.get("diplomatic_immunity"))
        if fields["public_official"] and not fields["official_body_type"]:
            # the kind the action would give, so that a re-import sees no change
            fields["official_body_type"] = actions.official_body_kind(fields["official_body"])
        return fields

    def single_create(self, values):
        """In one investigation: one action (the duplicate search after it only reads)."""
        return len(values["investigation_ref"]) == 1

    def create(self, ctx, values):
        investigations = values["investigation_ref"]
        fields = self._fields(values)
        suspect = actions.add_suspect(
            investigations[0],
            acting_user=ctx.user,
            added_on=values.get("added_on") or investigations[0].opened_on,
            external_ref=values["ref"],
            warn=ctx.warn,
            **fields,
        )
        ctx.possible_duplicate("suspect", identity_values(fields), suspect)
        for inv in investigations[1:]:
            actions.add_suspect(
                inv,
                acting_user=ctx.user,
                suspect=suspect,
                added_on=values.get("added_on") or inv.opened_on,
                warn=ctx.warn,
            )
        return suspect

    def _present(self, values):
        """The fields of the columns the sheet has: the others keep their recorded value."""
        return {k: v for k, v in self._fields(values).items() if k in values}

    def changes(self, ctx, suspect, values):
        fields = self._present(values)
        diff = []
        for name, value in fields.items():
            current = getattr(suspect, name)
            if name in SUSPECT_CODES:
                current, value = getattr(suspect, f"{name}_id"), value.pk if value else None
            elif name == "birth_date_precision" and not value:
                continue
            official = fields.get("public_official", suspect.public_official)
            if current != value and not (
                name in ("official_body", "official_body_type") and not official
            ):
                diff.append(name)
        linked = {link.investigation_id for link in suspect.links.all()}
        if any(inv.pk not in linked for inv in values["investigation_ref"]):
            diff.append("investigation_ref")
        return diff

    def update(self, ctx, suspect, values, changes):
        fields = self._present(values)
        if not fields.get("birth_date_precision"):
            fields.pop("birth_date_precision", None)
        identity = [c for c in changes if c != "investigation_ref"]
        if identity:
            suspect = actions.update_suspect(
                suspect, acting_user=ctx.user, expected_version=suspect.version, **fields
            )
        if "investigation_ref" in changes:
            linked = set(suspect.links.values_list("investigation_id", flat=True))
            for inv in values["investigation_ref"]:
                if inv.pk not in linked:
                    actions.add_suspect(
                        inv,
                        acting_user=ctx.user,
                        suspect=suspect,
                        added_on=values.get("added_on") or inv.opened_on,
                        warn=ctx.warn,
                    )
        return suspect

    def export(self, user, refs):
        in_order = InvestigationSuspect.objects.order_by("added_on", "pk")
        qs = (
            Suspect.objects.visible_to(user)
            .select_related("sex", "citizenship", "role_in_process", "official_body_type")
            .prefetch_related(Prefetch("links", queryset=in_order))
        )
        for s in qs.order_by("pk"):
            every = list(s.links.all())
            links = [refs.get(("investigations", link.investigation_id)) for link in every]
            links = [r for r in links if r]
            if not links:
                continue
            first = every[0]
            yield (
                s,
                {
                    "ref": s.external_ref or f"S-{s.pk}",
                    "investigation_ref": "; ".join(links),
                    "added_on": first.added_on,
                    **{name: getattr(s, name) for name in SUSPECT_TEXT},
                    **{
                        name: getattr(s, name).code if getattr(s, f"{name}_id") else ""
                        for name in SUSPECT_CODES
                    },
                    "birth_date": s.birth_date,
                    "birth_date_precision": s.birth_date_precision,
                    "public_official": "yes" if s.public_official else "no",
                    "diplomatic_immunity": "yes" if s.diplomatic_immunity else "no",
                },
            )


# --- Arrests, detentions, releases --------------------------------------------------------


SAME = object()  # an optional column the file does not have: the recorded value stands


def _opt(values, key, default=None):
    """An optional column's value for a comparison (``default`` when blank), or SAME when
    the sheet has no such column."""
    if key not in values:
        return SAME
    value = values[key]
    return default if value in (None, "") else value


def _fixed(pairs):
    """Differences between a recorded fact and the row: (label, recorded, in the file)."""
    return [
        _differs(label, old, new) for label, old, new in pairs if new is not SAME and old != new
    ]


class EventWriter(Writer):
    model = SuspectEvent
    single_action = True

    def create(self, ctx, values):
        return actions.record_suspect_event(
            values["investigation_ref"],
            values["suspect_ref"],
            acting_user=ctx.user,
            kind=values.get("event") or EventKind.ARREST,
            on=values["date"],
            place=values.get("place") or "",
            external_ref=values["ref"],
            warn=ctx.warn,
        )

    def changes(self, ctx, event, values):
        return _fixed(
            [
                (gettext("suspect"), event.suspect_id, values["suspect_ref"].pk),
                (gettext("investigation"), event.investigation_id, values["investigation_ref"].pk),
                (gettext("event"), event.kind, _opt(values, "event", EventKind.ARREST)),
                (gettext("date"), event.on, values["date"]),
                (gettext("place"), event.place, _opt(values, "place", "")),
            ]
        )

    def export(self, user, refs):
        for e in SuspectEvent.objects.visible_to(user).order_by("on", "pk"):
            suspect = refs.get(("suspects", e.suspect_id))
            inv = refs.get(("investigations", e.investigation_id))
            if suspect and inv:
                yield (
                    e,
                    {
                        "ref": e.external_ref or f"E-{e.pk}",
                        "suspect_ref": suspect,
                        "investigation_ref": inv,
                        "event": e.kind,
                        "date": e.on,
                        "place": e.place,
                    },
                )
