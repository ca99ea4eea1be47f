"""The prosecution registers' writers (prosecutions, charges, court decisions, sentences,
appeals), through justice.actions; the base Writer and the comparison helpers are in
writers.py."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from himaya.justice import actions as prosecution_actions
from himaya.justice.models import (
    Appeal,
    AppealOutcome,
    Charge,
    CourtDecision,
    Instance,
    Prosecution,
    Sentence,
)

from .writers import SAME, Writer, _differs, _fixed, _opt, _refuse

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
                (gettext("defendant"), p.suspect_id, values["suspect_ref"].pk),
                (gettext("investigation"), p.investigation_id, values["investigation_ref"].pk),
                (gettext("prosecution started on"), p.started_on, values["started_on"]),
            ]
        )
        if court is not None and court.pk != p.court_id:
            diff.append(
                "court" if p.court_id is None else _differs(gettext("court"), p.court, court)
            )
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
                (gettext("prosecution"), c.prosecution_id, values["prosecution_ref"].pk),
                (gettext("legal article"), c.article, values["article"]),
                (gettext("form of exploitation"), c.form.code, values["form"].code),
                (gettext("count number"), c.count, _opt(values, "count", 1)),
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
            warn=ctx.warn,  # another court than the one seized: a transfer the clerk confirms
        )

    def changes(self, ctx, d, values):
        pairs = [
            (gettext("charge"), d.charge_id, values["charge_ref"].pk),
            (gettext("decision"), d.outcome, values["outcome"]),
            (gettext("decided on"), d.decided_on, values["decided_on"]),
            (gettext("instance"), d.instance, _opt(values, "instance", Instance.FIRST)),
            (gettext("requalified as"), d.requalified_as, _opt(values, "requalified_as", "")),
        ]
        if values.get("court") is not None:
            pairs.append((gettext("court"), d.court_id, values["court"].pk))
        if values.get("court_name"):
            pairs.append((gettext("court"), d.court_name, values["court_name"]))
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
                (gettext("decision"), s.decision_id, values["decision_ref"].pk),
                (gettext("prison (months)"), s.prison_months, _opt(values, "prison_months", 0)),
                (
                    gettext("of which suspended (months)"),
                    s.suspended_months,
                    _opt(values, "suspended_months", 0),
                ),
                (gettext("fine (MAD)"), s.fine_mad, _opt(values, "fine_mad")),
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
                raise ValidationError(
                    {"decided_on": gettext("Give the date of the appeal's outcome.")}
                )
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
                (gettext("prosecution"), a.prosecution_id, values["prosecution_ref"].pk),
                (gettext("lodged on"), a.lodged_on, values["lodged_on"]),
                (gettext("lodged by"), a.lodged_by, values["lodged_by"]),
            ]
        )
        if outcome is SAME:
            pass
        elif a.outcome == AppealOutcome.PENDING and outcome != AppealOutcome.PENDING:
            diff.append("outcome")
        elif a.outcome != AppealOutcome.PENDING:
            diff += _fixed(
                [
                    (gettext("outcome"), a.outcome, outcome),
                    (gettext("decided on"), a.decided_on, _opt(values, "decided_on")),
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
