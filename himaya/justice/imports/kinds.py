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

The writers are in writers.py (investigations, suspects, arrests) and prosecution.py
(prosecutions and what follows); this module declares the columns. exchange/justice.py lists
these kinds as the justice register, which exchange's engine runs.

A reference column (``investigation_ref``, ``suspect_ref``…) names a row of the file or a record
imported before: first the importing organisation's own, else the only one with that
reference among the records the user sees (an investigation transferred by the police).
"""

from django.utils.translation import gettext_lazy as _

from himaya.accounts.models import Organisation
from himaya.core import access
from himaya.core.registers.schema import REF, Column, Kind
from himaya.core.registers.schema import choices as _choices
from himaya.core.registers.values import Vocabulary
from himaya.justice.legal import ARTICLES
from himaya.justice.models import (
    AppealBy,
    AppealOutcome,
    EventKind,
    Instance,
    InvestigationStatus,
    Outcome,
)
from himaya.people.imports import person_columns

from .prosecution import (
    AppealWriter,
    ChargeWriter,
    DecisionWriter,
    ProsecutionWriter,
    SentenceWriter,
)
from .writers import EventWriter, InvestigationWriter, SuspectWriter


def _articles():
    return Vocabulary((code, code, (ar, fr, en)) for code, ar, fr, en in ARTICLES)


def _orgs_of(types):
    def vocab():
        return Vocabulary(
            (o, str(o.pk), (o.name_ar, o.name_fr, o.name_en))
            for o in Organisation.objects.filter(type__code__in=types, active=True)
        )

    return vocab


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
            # The person columns, declared once (people/imports.py).
            *person_columns(several_citizenships=False, estimated_age=False),
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
                "official_body_type",
                _(
                    "Kind of body the official belongs to (default: the kind the body's name "
                    "says, else other public body)."
                ),
                "code",
                code_list="public_body",
                aliases=("type d'organisme", "nature de l'organisme", "نوع الجهة"),
                example="customs",
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
