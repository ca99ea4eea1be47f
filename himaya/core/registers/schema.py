"""Describing a register: kinds of records (one sheet or CSV file each) and their columns.

A ``Kind`` lists its ``Column``s and names a ``writer`` that finds, creates and updates its
records (through the owning app's actions). The import engine (engine.py) and the templates
and documentation (templates.py, the documentation page) are built from these descriptions
only, so a column documented is a column imported.

Headers: each column has one English header (its ``key``, used in the templates) and aliases
(French, Arabic) also accepted; case, accents, spaces and dashes do not matter.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext_lazy as _

from .values import (
    Vocabulary,
    normalise,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
    parse_text,
)

TYPE_LABELS = {
    "text": _("text"),
    "date": _("date (2024-03-31 or 31/03/2024)"),
    "bool": _("yes or no (yes/no, oui/non, نعم/لا, 1/0)"),
    "int": _("whole number"),
    "decimal": _("amount"),
    "code": _("a value of the list (code or label, in any language)"),
    "choice": _("a value of the list (code or label, in any language)"),
    "ref": _("the reference of a row of another sheet (or of a record imported before)"),
}

MANY_SEPARATORS = (";", "|", "،")


@dataclass
class Column:
    key: str
    help: object = ""
    type: str = "text"  # text, date, bool, int, decimal, code, choice, ref
    required: bool = False
    code_list: str = ""  # for "code": a himaya.core Code list
    vocab: object = None  # for "choice": a callable returning a values.Vocabulary
    ref: str = ""  # for "ref": the key of the kind referred to
    many: bool = False  # several values separated by ";" or "|"
    aliases: tuple = ()
    example: str = ""
    max_length: int = 0

    @property
    def type_label(self):
        return TYPE_LABELS[self.type]

    def headers(self):
        return {normalise(h) for h in (self.key, *self.aliases)}

    def vocabulary(self, cache):
        name = f"code:{self.code_list}" if self.type == "code" else f"choice:{id(self)}"
        if name not in cache:
            cache[name] = (
                Vocabulary.of_codes(self.code_list) if self.type == "code" else self.vocab()
            )
        return cache[name]

    def accepted_values(self, cache):
        """(code, label) pairs for the documentation page."""
        if self.type not in {"code", "choice"}:
            return []
        return [(code, labels) for _v, code, labels in self.vocabulary(cache).entries]

    def parse_one(self, raw, cache):
        if self.type == "date":
            return parse_date(raw)
        if self.type == "bool":
            return parse_bool(raw)
        if self.type == "int":
            return parse_int(raw)
        if self.type == "decimal":
            return parse_decimal(raw)
        if self.type in {"code", "choice"}:
            return self.vocabulary(cache).parse(raw)
        text = parse_text(raw)
        if self.max_length and len(text) > self.max_length:
            from django.utils.translation import gettext

            raise ValueError(
                gettext("The text is too long (limit: %(n)s characters).") % {"n": self.max_length}
            )
        return text

    def parse(self, raw, cache):
        if not self.many:
            return self.parse_one(raw, cache)
        text = parse_text(raw)
        for sep in MANY_SEPARATORS[1:]:
            text = text.replace(sep, MANY_SEPARATORS[0])
        parts = [p.strip() for p in text.split(MANY_SEPARATORS[0]) if p.strip()]
        return [self.parse_one(p, cache) for p in parts]


@dataclass
class Kind:
    key: str
    label: object
    help: object
    columns: list
    writer: object
    aliases: tuple = ()  # other sheet or file names (French, Arabic, singular)
    ref_column: str = "ref"
    field_columns: dict = field(default_factory=dict)  # action error key → column key
    # Rows are written by stage, then in the order of the kinds: a row of a later stage waits
    # for every row of the earlier ones (an appeal decision needs its appeal recorded first).
    stage: object = None  # callable(values) → int, default 0

    def names(self):
        return {normalise(n) for n in (self.key, *self.aliases)}

    def column(self, key):
        return next(c for c in self.columns if c.key == key)

    @cached_property
    def ref_columns(self):
        """The columns naming rows of other kinds (looked up before the row is written)."""
        return [c for c in self.columns if c.type == "ref"]

    def column_for_error(self, error_key):
        if error_key == "external_ref":
            return self.ref_column
        if error_key in self.field_columns:
            return self.field_columns[error_key]
        if any(c.key == error_key for c in self.columns):
            return error_key
        return ""


# Sheets of a workbook that are not data: the template's instructions.
IGNORED_SHEETS = {
    normalise(n) for n in ("readme", "read me", "lisez-moi", "instructions", "اقرأني")
}


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


def choices(choices):
    """A vocabulary of Django choices, with the words registers use for their values."""

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
