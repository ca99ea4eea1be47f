"""The cases app's import kinds: the dossiers, each with its person, and the identification
decisions of the casework of past years. exchange/casework.py groups them with the referrals
app's kinds into that register and its engine runs them (dry run, all or nothing, idempotent
re-runs: docs/import.md).

Declared beside the actions they call (DESIGN.md convention 1): a row is written by the very
``do_*`` a page calls after its permission check (``people.actions.do_create_person``,
``actions.do_open_dossier``, ``actions.do_record_decision``), dated by the row. The import's
own check is who imports casework for the organisation (exchange's register) and, for a row
naming a dossier, that the organisation holds it (``own_dossier``). So the rules of a dossier's
opening, of the deciding organisation, of a decision's dates and of the stage it moves the
dossier to are the pages' own, for a row as for a form."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from himaya.accounts.models import Organisation
from himaya.core.registers.compare import compare
from himaya.core.registers.schema import REF, Column, Kind
from himaya.core.registers.values import Vocabulary
from himaya.people import actions as people_actions
from himaya.people.forms import identity_values
from himaya.people.imports import person_columns, person_fields, person_pairs

from . import actions

# --- Columns the casework kinds share -----------------------------------------------------------


def active_orgs():
    return Vocabulary(
        (o, str(o.pk), (o.name_ar, o.name_fr, o.name_en))
        for o in Organisation.objects.filter(active=True)
    )


def ref_column(example):
    return Column(
        REF.key,
        _(
            "Your organisation's number for this record: unique in its sheet; a re-import finds "
            "the record again by it (number the rows 1, 2, 3… if your file has none, and keep "
            "the numbers)."
        ),
        required=True,
        aliases=REF.aliases,
        max_length=64,
        example=example,
    )


def dossier_ref(required=True):
    return Column(
        "dossier_ref",
        _("The reference (ref) of the dossier, in the dossiers sheet or imported before."),
        type="ref",
        ref="dossiers",
        required=required,
        aliases=("dossier", "référence du dossier", "ref dossier", "مرجع الملف", "الملف"),
        max_length=64,
        example="D-2024-017",
    )


def country_column(key, help, aliases=(), required=False):
    return Column(key, help, "code", required, code_list="country", aliases=aliases, example="MA")


def org_column(key, help, aliases=(), required=False, example=""):
    return Column(
        key, help, "choice", required, vocab=active_orgs, aliases=aliases, example=example
    )


# --- The import's own check and the dates to confirm -------------------------------------------


def own_dossier(ctx, dossier):
    """A row names a dossier its organisation holds (the import's check; the pages check who
    writes the dossier)."""
    if dossier.owner_org_id != ctx.organisation.pk:
        raise PermissionDenied(gettext("This dossier is no longer held by your organisation."))


def before_opening(ctx, column, day, dossier):
    """A referral sent, or a service given, before the dossier's recorded opening: registers
    record it (a shelter takes a person in at night, the dossier is opened the next week), so
    the clerk confirms it (a warning) instead of the file being refused."""
    if day < dossier.opened_on:
        ctx.warn(
            column,
            gettext("This date is before the dossier was opened (%(date)s).")
            % {"date": dossier.opened_on.isoformat()},
        )


# --- Persons and their dossiers ------------------------------------------------------------------


DOSSIER_FIELDS = (
    "form_other_detail",
    "recruitment_country",
    "exploitation_country",
    "exploitation_region",
    "recruitment_city",
    "exploitation_city",
)


def _dossier_fields(values):
    return {
        name: values.get(name) or ("" if name.endswith(("_city", "_detail")) else None)
        for name in DOSSIER_FIELDS
    }


class DossierRows:
    """A row of the dossiers sheet: a new person and their dossier, through the pages'
    actions."""

    related = ("person",)
    prefetched = ("forms", *actions.CODE_SETS[1:], "person__citizenships")

    def create(self, ctx, values):
        org, user = ctx.organisation, ctx.user
        fields = person_fields(values, estimated_on=values["opened_on"])
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
        code_sets = {name: values[name] for name in actions.CODE_SETS[1:] if values.get(name)}
        return actions.do_open_dossier(
            person,
            acting_user=user,
            organisation=org,
            forms=values.get("forms") or [],
            on=values["opened_on"],
            **_dossier_fields(values),
            **code_sets,
        )

    def changes(self, ctx, dossier, values):
        fields = person_fields(values, estimated_on=values["opened_on"])
        pairs = person_pairs(dossier.person, values, fields)
        pairs.append(("opened_on", dossier.opened_on, values["opened_on"]))
        for name in actions.CODE_SETS:
            if name in values:
                pairs.append(
                    (
                        name,
                        {c.code for c in getattr(dossier, name).all()},
                        {c.code for c in values[name] or []},
                    )
                )
        for name, new in _dossier_fields(values).items():
            if name in values:
                pairs.append((name, getattr(dossier, name), new))
        return compare(pairs)


# --- Identification decisions -----------------------------------------------------------------


class DecisionRows:
    """A row of the decisions sheet: the decision a past year's register tells, through the
    page's own action (the deciding-organisation rule, the dates, the stage move). A decision
    after a negative one is its review (the app's rule: never an edit)."""

    related = ("dossier",)
    prefetched = ()

    def create(self, ctx, values):
        dossier = values["dossier_ref"]
        own_dossier(ctx, dossier)
        named = values.get("deciding_organisation")
        org_type = values.get("deciding_org_type")
        if named is None and org_type is None:
            raise ValidationError(
                {
                    "deciding_org_type": gettext(
                        "Give the type of the deciding organisation, or name the organisation."
                    )
                }
            )
        latest = actions.latest_decision(dossier)
        return actions.do_record_decision(
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

    def changes(self, ctx, decision, values):
        return compare(
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


# --- The kinds ---------------------------------------------------------------------------------


def _decision_stage(values):
    # Decisions are written last, in the order of their dates: a dossier's decisions (and the
    # stages they move it to) follow one another whatever the order of the rows.
    day = values.get("decided_on")
    return 1 + (day.toordinal() if day else 0)


DOSSIERS = Kind(
    "dossiers",
    _("Dossiers (with the person)"),
    _(
        "One row per dossier your organisation opened, with the person it is about (a new "
        "person record for each row)."
    ),
    [
        ref_column("D-2024-017"),
        Column(
            "opened_on",
            _("Date the dossier was opened."),
            "date",
            True,
            aliases=("opened", "date d'ouverture", "ouvert le", "تاريخ الفتح"),
            example="2024-02-14",
        ),
        *person_columns(),
        Column(
            "forms",
            _("Forms of exploitation, separated by “;”."),
            "code",
            code_list="exploitation_form",
            many=True,
            aliases=("formes", "forme d'exploitation", "أشكال الاستغلال"),
            example="sexual; forced_labour",
        ),
        Column(
            "form_other_detail",
            _("The other form of exploitation, when the forms include “other”."),
            aliases=("autre forme", "شكل آخر"),
            max_length=1000,
        ),
        Column(
            "sex_exploitation_types",
            _("Types of sexual exploitation, separated by “;”."),
            "code",
            code_list="sex_exploitation",
            many=True,
            aliases=("types d'exploitation sexuelle", "أنواع الاستغلال الجنسي"),
            example="prostitution",
        ),
        Column(
            "industries",
            _("Industries of forced labour (ISIC sections), separated by “;”."),
            "code",
            code_list="industry",
            many=True,
            aliases=("secteurs du travail forcé", "قطاعات العمل القسري"),
            example="A",
        ),
        Column(
            "recruitment_methods",
            _("Methods of recruitment, separated by “;”."),
            "code",
            code_list="recruitment_method",
            many=True,
            aliases=("méthodes de recrutement", "طرق الاستقطاب"),
            example="social_network",
        ),
        Column(
            "control_methods",
            _("Methods of control, separated by “;”."),
            "code",
            code_list="control_method",
            many=True,
            aliases=("méthodes de contrôle", "وسائل السيطرة"),
            example="debt_bondage; withholds_documents",
        ),
        Column(
            "vulnerabilities",
            _("Vulnerabilities, separated by “;”."),
            "code",
            code_list="vulnerability",
            many=True,
            aliases=("vulnérabilités", "أوجه الهشاشة"),
            example="poverty",
        ),
        country_column(
            "recruitment_country",
            _("Country of recruitment."),
            ("pays de recrutement", "بلد الاستقطاب"),
        ),
        Column(
            "recruitment_city",
            _("City of recruitment."),
            aliases=("ville de recrutement", "مدينة الاستقطاب"),
            max_length=200,
        ),
        country_column(
            "exploitation_country",
            _("Country of exploitation."),
            ("pays d'exploitation", "بلد الاستغلال"),
        ),
        Column(
            "exploitation_region",
            _("Region of exploitation (in Morocco)."),
            "code",
            code_list="region",
            aliases=("région d'exploitation", "جهة الاستغلال"),
            example="tanger_tetouan_al_hoceima",
        ),
        Column(
            "exploitation_city",
            _("City of exploitation."),
            aliases=("ville d'exploitation", "مدينة الاستغلال"),
            max_length=200,
        ),
    ],
    DossierRows(),
    aliases=("dossier", "persons", "personnes", "الملفات", "ملفات"),
)

DECISIONS = Kind(
    "decisions",
    _("Identification decisions"),
    _(
        "One row per formal decision on whether the person is a victim (possible victim, "
        "actual victim, not a victim). A dossier's decisions are recorded in the order of "
        "their dates; a decision after a “not a victim” one is recorded as its review."
    ),
    [
        ref_column("ID-2024-003"),
        dossier_ref(),
        Column(
            "decided_on",
            _("Date of the decision."),
            "date",
            True,
            aliases=("date", "date de la décision", "تاريخ القرار"),
            example="2024-03-01",
        ),
        Column(
            "status",
            _("Trafficking status decided."),
            "code",
            True,
            code_list="trafficking_status",
            aliases=("statut", "décision", "القرار", "الصفة"),
            example="actual",
        ),
        Column(
            "deciding_org_type",
            _("Type of the organisation that decided (required unless it is named)."),
            "code",
            code_list="decision_org",
            aliases=("type d'organisme", "نوع الجهة المقررة"),
            example="police",
        ),
        org_column(
            "deciding_organisation",
            _(
                "The organisation that decided, if it is in Himaya (blank: recorded as "
                "decided by your organisation, with the type given)."
            ),
            ("organisme décideur", "الجهة المقررة"),
        ),
        Column(
            "reasons",
            _("Reasons for the decision."),
            required=True,
            aliases=("motifs", "raisons", "الأسباب", "التعليل"),
            max_length=actions.REASONS_MAX,
        ),
    ],
    DecisionRows(),
    aliases=(
        "identifications",
        "identification decisions",
        "décisions",
        "décisions d'identification",
        "قرارات التحديد",
    ),
    stage=_decision_stage,
    field_columns={
        "reviews": "status",
        "organisation": "deciding_organisation",
        "organisation_type": "deciding_org_type",
    },
)

KINDS = [DOSSIERS, DECISIONS]
