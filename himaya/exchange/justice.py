"""The justice registers as import kinds: investigations, suspects, arrests (and detentions and
releases), prosecutions, charges, court decisions, appeals and sentences.

Each kind's writer finds a record by its register reference (``external_ref``, unique per
organisation) among the importing organisation's records, creates it through the justice
actions, and compares it with the row on a re-import:

- identical → "unchanged" (nothing written, no audit row);
- different, where the justice app has an action for that change → updated through it: an
  investigation's opening date, region and forms, its transfer or closure; a suspect's identity
  and flags, and the investigations they are in (added, never removed); the court seized of a
  prosecution; the outcome of a pending appeal;
- different otherwise (an arrest's date, a charge's article, a decision, a sentence: recorded
  facts the justice app does not edit) → refused with a row error saying what differs: the
  register or the record must be corrected, nothing is overwritten silently.

A reference column (``investigation_ref``, ``suspect_ref``…) names a row of the file or a record
imported before: first the importing organisation's own, else the only one with that
reference among the records the user sees (an investigation transferred by the police).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from himaya.accounts.models import Organisation
from himaya.core import access
from himaya.justice import actions, prosecution_actions
from himaya.justice.legal import ARTICLES
from himaya.justice.models import (
    Appeal,
    AppealBy,
    AppealOutcome,
    Charge,
    CourtDecision,
    EventKind,
    Instance,
    Investigation,
    InvestigationStatus,
    Outcome,
    Prosecution,
    Sentence,
    Suspect,
    SuspectEvent,
    identity_values,
)
from himaya.people.models import BirthDatePrecision

from .schema import Column, Kind
from .values import Vocabulary


def _articles():
    return Vocabulary((code, code, (ar, fr, en)) for code, ar, fr, en in ARTICLES)


def _orgs_of(types):
    def vocab():
        return Vocabulary(
            (o, str(o.pk), (o.name_ar, o.name_fr, o.name_en))
            for o in Organisation.objects.filter(type__code__in=types, active=True)
        )

    return vocab


# French and Arabic words registers use for the values of the justice lists, accepted whatever
# the state of the translations (labels in every language of the site are accepted as well).
VALUE_ALIASES = {
    "open": ("ouverte", "en cours", "مفتوح", "جارية"),
    "transferred": ("transférée", "transmise au parquet", "محالة", "أحيلت على النيابة العامة"),
    "closed": ("clôturée", "classée", "مغلقة", "حفظ"),
    "arrest": ("arrestation", "interpellation", "garde à vue", "اعتقال", "توقيف"),
    "detention": ("détention", "détention préventive", "اعتقال احتياطي"),
    "release": ("libération", "mise en liberté", "إفراج", "سراح"),
    "convicted": ("condamné", "condamnation", "إدانة", "مدان"),
    "acquitted": ("acquitté", "acquittement", "براءة"),
    "dismissed": ("non-lieu", "classé", "relaxe", "عدم المتابعة", "حفظ"),
    "requalified": ("requalifié", "requalification", "إعادة التكييف"),
    "first": ("première instance", "1re instance", "ابتدائي", "المرحلة الابتدائية"),
    "appeal": ("appel", "استئناف", "المرحلة الاستئنافية"),
    "prosecution": ("parquet", "ministère public", "النيابة العامة"),
    "defence": ("défense", "prévenu", "الدفاع"),
    "civil_party": ("partie civile", "المطالب بالحق المدني"),
    "pending": ("en cours", "pendant", "رائج", "في انتظار"),
    "upheld": ("confirmé", "confirmation", "تأييد"),
    "modified": ("modifié", "réformé", "تعديل"),
    "overturned": ("infirmé", "annulé", "إلغاء"),
    "exact": ("exacte", "دقيق"),
    "year": ("année", "année seulement", "السنة فقط"),
    "estimated": ("estimée", "âge estimé", "تقديري"),
    "unknown": ("inconnue", "inconnu", "غير معروف"),
}


def _choices(choices):
    def vocab():
        base = Vocabulary.of_choices(choices)
        return Vocabulary(
            (value, code, (*labels, *VALUE_ALIASES.get(code, ())))
            for value, code, labels in base.entries
        )

    return vocab


REF = Column(
    "ref",
    _(
        "The record's number in your register: unique in its sheet; a re-import finds the "
        "record again by it."
    ),
    required=True,
    aliases=("reference", "référence", "numéro", "n°", "no", "المرجع", "الرقم"),
    max_length=64,
    example="2024/117",
)


def _ref_to(key, label, aliases, *, required=True, many=False):
    return Column(
        f"{key}_ref",
        label,
        type="ref",
        ref=key if key.endswith("s") else f"{key}s",
        required=required,
        many=many,
        aliases=aliases,
        max_length=64,
    )


def _differs(label, old, new):
    return _t("%(field)s: recorded “%(old)s”, the file says “%(new)s”.") % {
        "field": label,
        "old": "" if old in (None, "") else old,
        "new": "" if new in (None, "") else new,
    }


def _refuse(differences):
    raise ValidationError(
        _t(
            "This record was imported before with other values, and the import does not change "
            "it (correct it in Himaya, or correct the file): %(what)s"
        )
        % {"what": " ".join(differences)}
    )


def _holders(org_ids):
    names = sorted({o.name for o in Organisation.objects.filter(pk__in=set(org_ids))})
    return ", ".join(names)


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
        return found

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
            return _t(
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
                        _t("status"), inv.get_status_display(), InvestigationStatus(status).label
                    )
                ]
            )
        if on is None:
            raise ValidationError({"status_on": _t("Give the date of the status.")})
        if status == InvestigationStatus.TRANSFERRED:
            actions.transfer_investigation(
                inv, acting_user=ctx.user, office=values.get("prosecution_office"), on=on
            )
        elif status == InvestigationStatus.CLOSED:
            actions.close_investigation(inv, acting_user=ctx.user, on=on)

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
            _differs(_t(name.replace("_", " ")), getattr(inv, name), values.get(name))
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
SUSPECT_CODES = ("sex", "citizenship", "role_in_process")


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
        return fields

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
            if current != value and not (name == "official_body" and not official):
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
        qs = Suspect.objects.visible_to(user).select_related(
            "sex", "citizenship", "role_in_process"
        )
        for s in qs.order_by("pk"):
            links = [
                refs.get(("investigations", link.investigation_id))
                for link in s.links.order_by("added_on", "pk")
            ]
            links = [r for r in links if r]
            if not links:
                continue
            first = s.links.order_by("added_on", "pk").first()
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
                (_t("suspect"), event.suspect_id, values["suspect_ref"].pk),
                (_t("investigation"), event.investigation_id, values["investigation_ref"].pk),
                (_t("event"), event.kind, _opt(values, "event", EventKind.ARREST)),
                (_t("date"), event.on, values["date"]),
                (_t("place"), event.place, _opt(values, "place", "")),
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


# --- Prosecutions and what follows -----------------------------------------------------------


class ProsecutionWriter(Writer):
    model = Prosecution
    org_field = "office"
    single_action = True

    def create(self, ctx, values):
        return prosecution_actions.start_prosecution(
            values["investigation_ref"],
            values["suspect_ref"],
            acting_user=ctx.user,
            office=ctx.organisation,
            started_on=values["started_on"],
            court=values.get("court"),
            external_ref=values["ref"],
            warn=ctx.warn,
        )

    def changes(self, ctx, p, values):
        court = values.get("court")
        diff = _fixed(
            [
                (_t("defendant"), p.suspect_id, values["suspect_ref"].pk),
                (_t("investigation"), p.investigation_id, values["investigation_ref"].pk),
                (_t("prosecution started on"), p.started_on, values["started_on"]),
            ]
        )
        if court is not None and court.pk != p.court_id:
            diff.append("court" if p.court_id is None else _differs(_t("court"), p.court, court))
        return diff

    def update(self, ctx, p, values, changes):
        if changes == ["court"]:
            return prosecution_actions.set_court(p, acting_user=ctx.user, court=values["court"])
        _refuse([c for c in changes if c != "court"])

    def export(self, user, refs):
        for p in (
            Prosecution.objects.visible_to(user)
            .select_related("court")
            .order_by("started_on", "pk")
        ):
            suspect = refs.get(("suspects", p.suspect_id))
            inv = refs.get(("investigations", p.investigation_id))
            if suspect and inv:
                yield (
                    p,
                    {
                        "ref": p.external_ref or f"P-{p.pk}",
                        "suspect_ref": suspect,
                        "investigation_ref": inv,
                        "started_on": p.started_on,
                        "court": p.court.name_fr if p.court_id else "",
                    },
                )


class ChargeWriter(Writer):
    model = Charge
    related = ("form",)
    single_action = True

    def create(self, ctx, values):
        return prosecution_actions.add_charge(
            values["prosecution_ref"],
            acting_user=ctx.user,
            article=values["article"],
            form=values["form"],
            count=values.get("count") or 1,
            external_ref=values["ref"],
        )

    def changes(self, ctx, c, values):
        return _fixed(
            [
                (_t("prosecution"), c.prosecution_id, values["prosecution_ref"].pk),
                (_t("legal article"), c.article, values["article"]),
                (_t("form of exploitation"), c.form.code, values["form"].code),
                (_t("count number"), c.count, _opt(values, "count", 1)),
            ]
        )

    def export(self, user, refs):
        for c in Charge.objects.visible_to(user).select_related("form").order_by("pk"):
            p = refs.get(("prosecutions", c.prosecution_id))
            if p:
                yield (
                    c,
                    {
                        "ref": c.external_ref or f"C-{c.pk}",
                        "prosecution_ref": p,
                        "article": c.article,
                        "form": c.form.code,
                        "count": c.count,
                    },
                )


class DecisionWriter(Writer):
    model = CourtDecision
    single_action = True

    def create(self, ctx, values):
        return prosecution_actions.record_decision(
            values["charge_ref"],
            acting_user=ctx.user,
            outcome=values["outcome"],
            decided_on=values["decided_on"],
            court=values.get("court"),
            court_name=values.get("court_name") or "",
            instance=values.get("instance") or Instance.FIRST,
            requalified_as=values.get("requalified_as") or "",
            external_ref=values["ref"],
        )

    def changes(self, ctx, d, values):
        pairs = [
            (_t("charge"), d.charge_id, values["charge_ref"].pk),
            (_t("decision"), d.outcome, values["outcome"]),
            (_t("decided on"), d.decided_on, values["decided_on"]),
            (_t("instance"), d.instance, _opt(values, "instance", Instance.FIRST)),
            (_t("requalified as"), d.requalified_as, _opt(values, "requalified_as", "")),
        ]
        if values.get("court") is not None:
            pairs.append((_t("court"), d.court_id, values["court"].pk))
        if values.get("court_name"):
            pairs.append((_t("court"), d.court_name, values["court_name"]))
        return _fixed(pairs)

    def export(self, user, refs):
        for d in (
            CourtDecision.objects.visible_to(user)
            .select_related("court")
            .order_by("decided_on", "pk")
        ):
            charge = refs.get(("charges", d.charge_id))
            if charge:
                yield (
                    d,
                    {
                        "ref": d.external_ref or f"D-{d.pk}",
                        "charge_ref": charge,
                        "outcome": d.outcome,
                        "decided_on": d.decided_on,
                        "instance": d.instance,
                        "court": d.court.name_fr if d.court_id else "",
                        "court_name": d.court_name,
                        "requalified_as": d.requalified_as,
                    },
                )


class SentenceWriter(Writer):
    model = Sentence
    single_action = True

    def create(self, ctx, values):
        return prosecution_actions.record_sentence(
            values["decision_ref"],
            acting_user=ctx.user,
            prison_months=values.get("prison_months") or 0,
            suspended_months=values.get("suspended_months") or 0,
            fine_mad=values.get("fine_mad"),
            external_ref=values["ref"],
        )

    def changes(self, ctx, s, values):
        return _fixed(
            [
                (_t("decision"), s.decision_id, values["decision_ref"].pk),
                (_t("prison (months)"), s.prison_months, _opt(values, "prison_months", 0)),
                (
                    _t("of which suspended (months)"),
                    s.suspended_months,
                    _opt(values, "suspended_months", 0),
                ),
                (_t("fine (MAD)"), s.fine_mad, _opt(values, "fine_mad")),
            ]
        )

    def export(self, user, refs):
        for s in Sentence.objects.visible_to(user).order_by("pk"):
            decision = refs.get(("decisions", s.decision_id))
            if decision:
                yield (
                    s,
                    {
                        "ref": s.external_ref or f"SEN-{s.pk}",
                        "decision_ref": decision,
                        "prison_months": s.prison_months,
                        "suspended_months": s.suspended_months,
                        "fine_mad": s.fine_mad,
                    },
                )


class AppealWriter(Writer):
    model = Appeal

    def _decide(self, ctx, appeal, values):
        outcome = values.get("outcome") or AppealOutcome.PENDING
        if outcome != AppealOutcome.PENDING:
            if values.get("decided_on") is None:
                raise ValidationError({"decided_on": _t("Give the date of the appeal's outcome.")})
            appeal = prosecution_actions.decide_appeal(
                appeal, acting_user=ctx.user, outcome=outcome, decided_on=values["decided_on"]
            )
        return appeal

    def create(self, ctx, values):
        appeal = prosecution_actions.record_appeal(
            values["prosecution_ref"],
            acting_user=ctx.user,
            lodged_on=values["lodged_on"],
            lodged_by=values["lodged_by"],
            external_ref=values["ref"],
        )
        return self._decide(ctx, appeal, values)

    def changes(self, ctx, a, values):
        outcome = _opt(values, "outcome", AppealOutcome.PENDING)
        diff = _fixed(
            [
                (_t("prosecution"), a.prosecution_id, values["prosecution_ref"].pk),
                (_t("lodged on"), a.lodged_on, values["lodged_on"]),
                (_t("lodged by"), a.lodged_by, values["lodged_by"]),
            ]
        )
        if outcome is SAME:
            pass
        elif a.outcome == AppealOutcome.PENDING and outcome != AppealOutcome.PENDING:
            diff.append("outcome")
        elif a.outcome != AppealOutcome.PENDING:
            diff += _fixed(
                [
                    (_t("outcome"), a.outcome, outcome),
                    (_t("decided on"), a.decided_on, _opt(values, "decided_on")),
                ]
            )
        return diff

    def update(self, ctx, a, values, changes):
        if changes == ["outcome"]:
            return self._decide(ctx, a, values)
        _refuse([c for c in changes if c != "outcome"])

    def export(self, user, refs):
        for a in Appeal.objects.visible_to(user).order_by("lodged_on", "pk"):
            p = refs.get(("prosecutions", a.prosecution_id))
            if p:
                yield (
                    a,
                    {
                        "ref": a.external_ref or f"A-{a.pk}",
                        "prosecution_ref": p,
                        "lodged_on": a.lodged_on,
                        "lodged_by": a.lodged_by,
                        "outcome": a.outcome,
                        "decided_on": a.decided_on,
                    },
                )


# --- The kinds ---------------------------------------------------------------------------------

_INV_REF = ("investigation", "enquête", "réf enquête", "référence enquête", "البحث", "مرجع البحث")
_SUSPECT_REF = ("suspect", "réf suspect", "mis en cause", "المشتبه فيه", "مرجع المشتبه فيه")
_PROS_REF = ("prosecution", "poursuite", "réf poursuite", "المتابعة", "مرجع المتابعة")

KINDS = [
    Kind(
        "investigations",
        _("Investigations"),
        _("One row per investigation opened by your organisation."),
        [
            REF,
            Column(
                "opened_on",
                _("Date the investigation was opened."),
                "date",
                True,
                aliases=("opened", "date d'ouverture", "ouverte le", "تاريخ الفتح"),
                example="2024-03-31",
            ),
            Column(
                "region",
                _("Region of the investigation (default: your organisation's)."),
                "code",
                code_list="region",
                aliases=("région", "الجهة"),
                example="tanger_tetouan_al_hoceima",
            ),
            Column(
                "forms",
                _("Forms of exploitation suspected, separated by “;”."),
                "code",
                code_list="exploitation_form",
                many=True,
                aliases=(
                    "forms of exploitation",
                    "formes d'exploitation",
                    "forme",
                    "أشكال الاستغلال",
                ),
                example="sexual; labour",
            ),
            Column(
                "status",
                _("open, transferred (to a prosecution office) or closed (default: open)."),
                "choice",
                vocab=_choices(InvestigationStatus.choices),
                aliases=("statut", "état", "الحالة"),
                example="open",
            ),
            Column(
                "status_on",
                _("Date of the transfer or closure."),
                "date",
                aliases=("date du statut", "تاريخ الحالة"),
            ),
            Column(
                "prosecution_office",
                _("Prosecution office it was transferred to (its name)."),
                "choice",
                vocab=_orgs_of(access.PROSECUTING_ORG_TYPES),
                aliases=("parquet", "النيابة العامة"),
            ),
        ],
        InvestigationWriter(),
        aliases=(
            "investigation",
            "enquêtes",
            "enquetes",
            "enquête",
            "الأبحاث",
            "التحقيقات",
            "تحقيقات",
        ),
        field_columns={"office": "prosecution_office", "on": "status_on"},
    ),
    Kind(
        "suspects",
        _("Suspects"),
        _("One row per suspect, with the investigations they are in."),
        [
            REF,
            _ref_to(
                "investigation",
                _("Reference(s) of the investigation(s), separated by “;”."),
                _INV_REF,
                many=True,
            ),
            Column(
                "added_on",
                _("Date identified in the investigation (default: its opening)."),
                "date",
                aliases=("identifié le", "تاريخ التحديد"),
            ),
            Column(
                "given_name_ar",
                _("Given name, Arabic script."),
                max_length=200,
                aliases=("prénom (arabe)", "الاسم الشخصي"),
            ),
            Column(
                "family_name_ar",
                _("Family name, Arabic script."),
                max_length=200,
                aliases=("nom (arabe)", "الاسم العائلي"),
            ),
            Column(
                "given_name_lat",
                _("Given name, Latin script."),
                max_length=200,
                aliases=("given name", "prénom", "prenom"),
            ),
            Column(
                "family_name_lat",
                _("Family name, Latin script."),
                max_length=200,
                aliases=("family name", "nom", "nom de famille"),
            ),
            Column(
                "sex", _("Sex."), "code", code_list="sex", aliases=("sexe", "الجنس"), example="male"
            ),
            Column(
                "birth_date",
                _("Birth date."),
                "date",
                aliases=("date de naissance", "تاريخ الازدياد"),
            ),
            Column(
                "birth_date_precision",
                _("exact, year, estimated or unknown."),
                "choice",
                vocab=_choices(BirthDatePrecision.choices),
                aliases=("précision de la date", "دقة التاريخ"),
            ),
            Column(
                "citizenship",
                _("Citizenship (ISO country code or name)."),
                "code",
                code_list="country",
                aliases=("nationalité", "الجنسية"),
                example="MA",
            ),
            Column(
                "role_in_process",
                _("Role in the trafficking process (HTCDS)."),
                "code",
                code_list="role_in_process",
                aliases=("rôle", "role", "الدور"),
                example="recruiter",
            ),
            Column(
                "public_official",
                _("Is a public official (yes/no)."),
                "bool",
                aliases=("agent public", "fonctionnaire", "موظف عمومي"),
                example="no",
            ),
            Column(
                "official_body",
                _("Body the official belongs to."),
                max_length=200,
                aliases=("organisme", "administration", "الجهة التي ينتمي إليها"),
            ),
            Column(
                "diplomatic_immunity",
                _("Has diplomatic immunity (yes/no)."),
                "bool",
                aliases=("immunité diplomatique", "حصانة دبلوماسية"),
                example="no",
            ),
        ],
        SuspectWriter(),
        aliases=("suspect", "mis en cause", "suspects", "المشتبه فيهم"),
        field_columns={"suspect": "ref"},
    ),
    Kind(
        "arrests",
        _("Arrests, detentions and releases"),
        _("One row per event on a suspect of an investigation."),
        [
            REF,
            _ref_to("suspect", _("Reference of the suspect."), _SUSPECT_REF),
            _ref_to("investigation", _("Reference of the investigation."), _INV_REF),
            Column(
                "event",
                _("arrest, detention or release (default: arrest)."),
                "choice",
                vocab=_choices(EventKind.choices),
                aliases=("événement", "type", "الحدث"),
                example="arrest",
            ),
            Column(
                "date",
                _("Date of the event."),
                "date",
                True,
                aliases=("le", "التاريخ"),
                example="2024-04-02",
            ),
            Column("place", _("Place."), max_length=500, aliases=("lieu", "المكان")),
        ],
        EventWriter(),
        aliases=("arrest", "events", "arrestations", "interpellations", "الاعتقالات", "التوقيفات"),
        field_columns={"suspect": "suspect_ref", "kind": "event", "on": "date"},
    ),
    Kind(
        "prosecutions",
        _("Prosecutions"),
        _("One row per defendant prosecuted by your office in an investigation."),
        [
            REF,
            _ref_to("suspect", _("Reference of the defendant (a suspect)."), _SUSPECT_REF),
            _ref_to("investigation", _("Reference of the investigation."), _INV_REF),
            Column(
                "started_on",
                _("Date the prosecution started."),
                "date",
                True,
                aliases=("date des poursuites", "تاريخ المتابعة"),
                example="2024-05-10",
            ),
            Column(
                "court",
                _("Court seized (its name)."),
                "choice",
                vocab=_orgs_of(access.COURT_ORG_TYPES),
                aliases=("tribunal", "المحكمة"),
            ),
        ],
        ProsecutionWriter(),
        aliases=("prosecution", "poursuites", "المتابعات"),
        field_columns={"suspect": "suspect_ref", "office": ""},
    ),
    Kind(
        "charges",
        _("Charges"),
        _("One row per charge: a legal article and the form of exploitation it is about."),
        [
            REF,
            _ref_to("prosecution", _("Reference of the prosecution."), _PROS_REF),
            Column(
                "article",
                _("Legal article (e.g. 448.1, 498, labour.10)."),
                "choice",
                True,
                vocab=_articles,
                aliases=("article", "التهمة", "الفصل"),
                example="448.1",
            ),
            Column(
                "form",
                _("Form of exploitation."),
                "code",
                True,
                code_list="exploitation_form",
                aliases=("forme d'exploitation", "forme", "شكل الاستغلال"),
                example="sexual",
            ),
            Column(
                "count",
                _(
                    "Number of the count (default 1): two counts of the same article and form "
                    "on one prosecution (two victims) are numbered 1, 2…"
                ),
                "int",
                aliases=("count number", "chef", "chef n°", "numéro du chef", "رقم التهمة"),
                example="1",
            ),
        ],
        ChargeWriter(),
        aliases=("charge", "chefs d'accusation", "inculpations", "التهم"),
    ),
    Kind(
        "decisions",
        _("Court decisions"),
        _("One row per court decision on a charge."),
        [
            REF,
            _ref_to(
                "charge", _("Reference of the charge."), ("charge", "chef d'accusation", "التهمة")
            ),
            Column(
                "outcome",
                _("convicted, acquitted, dismissed or requalified."),
                "choice",
                True,
                vocab=_choices(Outcome.choices),
                aliases=("décision", "verdict", "الحكم", "المنطوق"),
                example="convicted",
            ),
            Column(
                "decided_on",
                _("Date of the decision."),
                "date",
                True,
                aliases=("date de la décision", "jugé le", "تاريخ الحكم"),
                example="2025-01-15",
            ),
            Column(
                "instance",
                _("first or appeal (default: first)."),
                "choice",
                vocab=_choices(Instance.choices),
                aliases=("degré", "الدرجة"),
            ),
            Column(
                "court",
                _("Court (its name; default: the court seized)."),
                "choice",
                vocab=_orgs_of(access.COURT_ORG_TYPES),
                aliases=("tribunal", "المحكمة"),
            ),
            Column(
                "court_name",
                _("Name of a court not listed in Himaya."),
                max_length=200,
                aliases=("autre tribunal", "محكمة أخرى"),
            ),
            Column(
                "requalified_as",
                _("New legal article, for a requalification."),
                "choice",
                vocab=_articles,
                aliases=("requalifié en", "إعادة التكييف"),
            ),
        ],
        DecisionWriter(),
        aliases=("decision", "verdicts", "verdict", "jugements", "décisions", "الأحكام"),
        field_columns={"charge": "charge_ref"},
        stage=lambda values: 1 if values.get("instance") == Instance.APPEAL else 0,
    ),
    Kind(
        "appeals",
        _("Appeals"),
        _("One row per appeal against a prosecution's decisions."),
        [
            REF,
            _ref_to("prosecution", _("Reference of the prosecution."), _PROS_REF),
            Column(
                "lodged_on",
                _("Date the appeal was lodged."),
                "date",
                True,
                aliases=("date de l'appel", "تاريخ الاستئناف"),
            ),
            Column(
                "lodged_by",
                _("prosecution, defence or civil_party."),
                "choice",
                True,
                vocab=_choices(AppealBy.choices),
                aliases=("appelant", "المستأنف"),
            ),
            Column(
                "outcome",
                _("pending, upheld, modified or overturned (default: pending)."),
                "choice",
                vocab=_choices(AppealOutcome.choices),
                aliases=("issue", "النتيجة"),
            ),
            Column(
                "decided_on",
                _("Date of the appeal's outcome."),
                "date",
                aliases=("date de l'arrêt", "تاريخ القرار"),
            ),
        ],
        AppealWriter(),
        aliases=("appeal", "appels", "الاستئنافات"),
    ),
    Kind(
        "sentences",
        _("Sentences"),
        _("One row per sentence of a conviction."),
        [
            REF,
            _ref_to(
                "decision",
                _("Reference of the convicting decision."),
                ("decision", "décision", "verdict", "الحكم"),
            ),
            Column(
                "prison_months",
                _("Prison term in months."),
                "int",
                aliases=("prison (mois)", "mois de prison", "الحبس (بالأشهر)"),
                example="60",
            ),
            Column(
                "suspended_months",
                _("Of which suspended, in months."),
                "int",
                aliases=("dont sursis (mois)", "sursis", "موقوف التنفيذ"),
                example="0",
            ),
            Column(
                "fine_mad",
                _("Fine in dirhams."),
                "decimal",
                aliases=("amende (MAD)", "amende", "الغرامة"),
                example="20000",
            ),
        ],
        SentenceWriter(),
        aliases=("sentence", "peines", "العقوبات"),
        stage=lambda values: 1,
    ),
]


def kind_by_key(key):
    return next((k for k in KINDS if k.key == key), None)
