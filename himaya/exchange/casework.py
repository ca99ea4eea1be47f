"""The casework of past years as import kinds: persons with their dossiers, identification
decisions, referrals and the services delivered (shelter stays, sessions, returns), so that a
deployment starts with the previous year to compare against (docs/import.md, "Casework of past
years"). The engine (engine.py) is the justice registers' one: dry run, all or nothing,
idempotent re-runs (QUALITY R2).

Every row carries the organisation's own reference (``ref``), kept in ``ImportedRecord`` (the
casework apps keep no register reference): a re-import finds the record again by it. Identical →
"unchanged"; different → refused with a row error saying what differs (the import never
overwrites casework silently: correct the record in Himaya, or the file).

Who: whoever opens dossiers in the pages, into an organisation where they do (core.access,
"Exchange: casework of past years"); each writer checks it, and a refusal says why
(exchange/permissions.py).

The writers are in writers/casework.py (dossiers, decisions) and writers/referrals.py
(referrals, services); this module declares the columns.

How records are written: through the models, inside the import's transaction, with an audit row
per record (``import_person``, ``import_dossier``, ``import_decision``, ``import_referral``,
``import_consent``, ``import_stay``, ``import_session``, ``import_return``), and with the rules
of the apps' actions applied to the past dates of the file:

- the actions date referrals and their answers "now" and check the importer's role against the
  live workflow (only a victim-handling member opens a dossier; a deciding organisation records
  a decision; the receiving provider accepts a referral), which does not fit a past year told by
  the organisation that kept the file; so the rules are applied here, reusing the apps' own
  checks where they are functions (``decision_actions._check`` and ``stage_after``, the stage
  event ``record_stage_event``, the grant ``create_grant``, the person's name index
  ``people.actions._reindex``, the dossier's reference);
- no date may be in the future, and dates follow one another (a decision not before the dossier
  opened nor before the last decision, an answer not before the referral was sent, a discharge
  not before the admission); a referral or a service dated before the dossier's recorded
  opening is a warning the clerk confirms (registers do record it), not an error.
"""

from django.utils.translation import gettext_lazy as _

from himaya.accounts.models import Organisation
from himaya.cases.actions import decisions as decision_actions
from himaya.people.models import BirthDatePrecision, ConsentGivenBy
from himaya.referrals.models import (
    BED_GROUPS,
    DischargeReason,
    ReferralStatus,
    RejectionReason,
    Service,
    SessionKind,
)

from .justice import REF, _choices
from .schema import Column, Kind
from .values import Vocabulary
from .writers.casework import DecisionWriter, DossierWriter
from .writers.referrals import ReferralWriter, ServiceWriter


def _active_orgs():
    return Vocabulary(
        (o, str(o.pk), (o.name_ar, o.name_fr, o.name_en))
        for o in Organisation.objects.filter(active=True)
    )


def _services():
    """Shelter stays, returns and the session kinds, in one list."""
    return Vocabulary.of_choices(
        [
            (Service.SHELTER.value, Service.SHELTER.label),
            (Service.RETURN.value, Service.RETURN.label),
            *SessionKind.choices,
        ]
    )


def _bed_groups():
    return Vocabulary.of_choices([(g.value, g.label) for g in BED_GROUPS])


def _dossier_ref(required=True):
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


# --- The kinds ---------------------------------------------------------------------------------


def _ref(example):
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


def _country(key, help, aliases=(), required=False):
    return Column(key, help, "code", required, code_list="country", aliases=aliases, example="MA")


def _org(key, help, aliases=(), required=False, example=""):
    return Column(
        key, help, "choice", required, vocab=_active_orgs, aliases=aliases, example=example
    )


def _decision_stage(values):
    # Decisions are written last, in the order of their dates: a dossier's decisions (and the
    # stages they move it to) follow one another whatever the order of the rows.
    day = values.get("decided_on")
    return 1 + (day.toordinal() if day else 0)


KINDS = [
    Kind(
        "dossiers",
        _("Dossiers (with the person)"),
        _(
            "One row per dossier your organisation opened, with the person it is about (a new "
            "person record for each row)."
        ),
        [
            _ref("D-2024-017"),
            Column(
                "opened_on",
                _("Date the dossier was opened."),
                "date",
                True,
                aliases=("opened", "date d'ouverture", "ouvert le", "تاريخ الفتح"),
                example="2024-02-14",
            ),
            Column(
                "given_name_lat",
                _("Given name (Latin script)."),
                aliases=("prénom", "given name", "first name"),
                max_length=200,
                example="Amina",
            ),
            Column(
                "family_name_lat",
                _("Family name (Latin script)."),
                aliases=("nom", "family name", "last name"),
                max_length=200,
                example="Benali",
            ),
            Column(
                "given_name_ar",
                _("Given name (Arabic script)."),
                aliases=("prénom arabe", "الاسم الشخصي"),
                max_length=200,
            ),
            Column(
                "family_name_ar",
                _("Family name (Arabic script)."),
                aliases=("nom arabe", "الاسم العائلي"),
                max_length=200,
            ),
            Column(
                "sex",
                _("Sex."),
                "code",
                code_list="sex",
                aliases=("sexe", "الجنس"),
                example="female",
            ),
            Column(
                "birth_date",
                _("Birth date (a year alone: give 1 January and the precision “year”)."),
                "date",
                aliases=("date de naissance", "تاريخ الازدياد"),
                example="1998-05-02",
            ),
            Column(
                "birth_date_precision",
                _("Precision of the birth date (default: exact when a birth date is given)."),
                "choice",
                vocab=_choices(BirthDatePrecision.choices),
                aliases=("précision", "دقة تاريخ الازدياد"),
                example="exact",
            ),
            Column(
                "estimated_age",
                _("Estimated age when the dossier was opened, if the birth date is unknown."),
                "int",
                aliases=("âge estimé", "العمر التقديري"),
            ),
            Column(
                "citizenship",
                _("Citizenships (country codes), separated by “;”."),
                "code",
                code_list="country",
                many=True,
                aliases=("nationalité", "nationality", "الجنسية"),
                example="MA",
            ),
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
            _country(
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
            _country(
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
        DossierWriter(),
        aliases=("dossier", "persons", "personnes", "الملفات", "ملفات"),
    ),
    Kind(
        "decisions",
        _("Identification decisions"),
        _(
            "One row per formal decision on whether the person is a victim (possible victim, "
            "actual victim, not a victim). A dossier's decisions are recorded in the order of "
            "their dates; a decision after a “not a victim” one is recorded as its review."
        ),
        [
            _ref("ID-2024-003"),
            _dossier_ref(),
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
            _org(
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
                max_length=decision_actions.REASONS_MAX,
            ),
        ],
        DecisionWriter(),
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
    ),
    Kind(
        "referrals",
        _("Referrals"),
        _(
            "One row per referral of a dossier to a service provider, with its outcome. An adult "
            "is referred with consent (consent: yes; the consents are recorded with the date "
            "of the referral if the person has none); a child with the guardian named."
        ),
        [
            _ref("R-2024-051"),
            _dossier_ref(),
            Column(
                "sent_on",
                _("Date the referral was sent."),
                "date",
                True,
                aliases=("date", "date d'envoi", "envoyée le", "تاريخ الإحالة"),
                example="2024-03-02",
            ),
            _org(
                "provider",
                _("The provider organisation referred to (its name in Himaya, in any language)."),
                ("prestataire", "organisme", "to", "الجهة المحال عليها"),
                required=True,
                example="Dar Amane shelter",
            ),
            Column(
                "service",
                _("Service asked for."),
                "choice",
                True,
                vocab=_choices(Service.choices),
                aliases=("prestation", "الخدمة"),
                example="shelter",
            ),
            # Required: no default is safe. "done" would claim services completed (the
            # "assisted" figure) and then demand dates the file lacks; "in progress" would
            # open the dossier to the provider today (an open referral's access grant).
            Column(
                "status",
                _(
                    "Status of the referral at the end: in progress, accepted, rejected, done "
                    "or revoked."
                ),
                "choice",
                True,
                vocab=_choices(ReferralStatus.choices),
                aliases=("statut", "الحالة"),
                example="done",
            ),
            Column(
                "accepted_on",
                _("Date the provider accepted (accepted and done referrals)."),
                "date",
                aliases=("acceptée le", "تاريخ القبول"),
            ),
            Column(
                "rejected_on",
                _("Date the provider rejected (rejected referrals)."),
                "date",
                aliases=("rejetée le", "تاريخ الرفض"),
            ),
            Column(
                "done_on",
                _("Date the service was completed (done referrals)."),
                "date",
                aliases=("terminée le", "تاريخ الإنجاز"),
            ),
            Column(
                "revoked_on",
                _("Date your organisation withdrew the referral (revoked referrals)."),
                "date",
                aliases=("annulée le", "تاريخ السحب"),
            ),
            Column(
                "rejection_reason",
                _("Reason for the rejection (rejected referrals)."),
                "choice",
                vocab=_choices(RejectionReason.choices),
                aliases=("motif du rejet", "سبب الرفض"),
            ),
            Column(
                "consent",
                _("The person's consent was recorded (yes/no)."),
                "bool",
                aliases=("consentement", "الموافقة"),
                example="yes",
            ),
            Column(
                "consent_given_by",
                _(
                    "Who gave the consent recorded with the referral (default: the person, or "
                    "the guardian for a child)."
                ),
                "choice",
                vocab=_choices(ConsentGivenBy.choices),
                aliases=("consentement donné par", "الموافقة من طرف"),
                example="person",
            ),
            Column(
                "consent_given_on",
                _("Day the consent was given (default: the day of the referral)."),
                "date",
                aliases=("consentement donné le", "تاريخ الموافقة"),
            ),
            Column(
                "guardian",
                _("The guardian, for a child (name and relation)."),
                aliases=("tuteur", "الولي"),
                max_length=300,
            ),
            Column(
                "reason",
                _("Why the person was referred (optional)."),
                aliases=("motif", "سبب الإحالة"),
                max_length=5000,
            ),
            Column("urgent", _("Urgent (yes/no)."), "bool", aliases=("مستعجل",)),
        ],
        ReferralWriter(),
        aliases=("referral", "orientations", "références", "الإحالات"),
        field_columns={
            "to_org": "provider",
            "sent_at": "sent_on",
            "consent_given_on": "consent_given_on",
        },
    ),
    Kind(
        "services",
        _("Services delivered"),
        _(
            "One row per service your organisation gave: a shelter stay (admission and "
            "discharge), a session (psychosocial support, medical care, legal aid, "
            "interpretation…) or a return (destination and partner)."
        ),
        [
            _ref("S-2024-200"),
            _dossier_ref(),
            Column(
                "service",
                _("shelter, return, or the kind of session."),
                "choice",
                True,
                vocab=_services,
                aliases=("prestation", "type", "الخدمة"),
                example="psychosocial",
            ),
            Column(
                "date",
                _("Date: of the admission (shelter), of the session, of the travel (return)."),
                "date",
                True,
                aliases=("date", "التاريخ"),
                example="2024-03-05",
            ),
            Column(
                "end_date",
                _("Date of the discharge (shelter; blank if the person is still there)."),
                "date",
                aliases=("date de sortie", "تاريخ المغادرة"),
            ),
            Column(
                "discharge_reason",
                _("Reason for the discharge (shelter)."),
                "choice",
                vocab=_choices(DischargeReason.choices),
                aliases=("motif de sortie", "سبب المغادرة"),
            ),
            Column(
                "facility",
                _("Your facility where the person stayed, by its name (shelter)."),
                aliases=("centre", "établissement", "المركز"),
                max_length=200,
            ),
            Column(
                "bed_group",
                _("Group of the bed (shelter)."),
                "choice",
                vocab=_bed_groups,
                aliases=("lit", "groupe", "السرير"),
                example="women",
            ),
            Column(
                "referral_ref",
                _("The referral the stay followed, if any (its ref in the referrals sheet)."),
                type="ref",
                ref="referrals",
                aliases=("référence de l'orientation", "مرجع الإحالة"),
                max_length=64,
            ),
            _country(
                "destination",
                _("Country of destination (return)."),
                ("pays de destination", "بلد الوجهة"),
            ),
            _org(
                "partner",
                _("Partner organisation of the return, if it is in Himaya."),
                ("partenaire", "الشريك"),
            ),
            Column(
                "partner_other",
                _("Partner of the return not in Himaya (a consulate…)."),
                aliases=("autre partenaire", "شريك آخر"),
                max_length=200,
            ),
            Column(
                "note",
                _("Note (session), or reintegration follow-up (return)."),
                aliases=("remarque", "ملاحظة"),
                max_length=5000,
            ),
        ],
        ServiceWriter(),
        aliases=("service", "prestations", "الخدمات"),
        field_columns={
            "on": "date",
            "kind": "service",
            "travel_on": "date",
            "admitted_on": "date",
            "discharged_on": "end_date",
            "referral": "referral_ref",
        },
    ),
]


def kind_by_key(key):
    return next((k for k in KINDS if k.key == key), None)
