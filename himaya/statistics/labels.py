"""The words of a stored report: data, translated when the report is read.

A report is stored (a build, a frozen version) and read later by anyone, in Arabic, French or
English. So it never holds a translated sentence: a label is a reference that names its
words, and ``localise(report, lang)`` turns every reference into text in ``lang`` when a page
or an export is made. A reference is one of:

- ``{"$t": msgid}``, with ``"$p"`` (values, themselves references or numbers), ``"$c"`` (a
  gettext context), or ``"$tp"`` and ``"$n"`` (``ngettext``: the plural and its number);
- ``{"$code": list, "$v": code}``: a code list's label (core.Code), its code if it is gone;
- ``{"$choice": name, "$v": value}``: the label of a value of one of ``CHOICES``.

Reports frozen before references existed hold ``{"ar": …, "fr": …, "en": …}`` dicts: they are
read as they are."""

from django.utils import translation
from django.utils.translation import gettext, npgettext, pgettext

LANGUAGES = ("ar", "fr", "en")


def text(msgid, *, context=None, **params):
    out = {"$t": str(msgid)}
    if context:
        out["$c"] = context
    if params:
        out["$p"] = params
    return out


def ngettext(singular, plural_, n, **params):
    """A text whose noun follows ``n``; ``params`` fill it, ``n`` among them. Named after
    gettext's own function so that makemessages finds both msgids in the call."""
    return {"$t": singular, "$tp": plural_, "$n": n, "$p": params}


def code(list_, value):
    return {"$code": list_, "$v": value}


def choice(name, value):
    return {"$choice": name, "$v": value}


def _choices():
    """{name: {value: lazy label}}: the value lists a report names its rows by."""
    from himaya.cases.models import AlertOutcome, OffenceType
    from himaya.justice.figures import BAND_LABELS
    from himaya.referrals.models import Group, RejectionReason, Service, SessionKind

    return {
        "service": dict(Service.choices),
        "session": {**dict(Service.choices), **dict(SessionKind.choices)},
        "bed_group": dict(Group.choices),
        "rejection": dict(RejectionReason.choices),
        "offence": dict(OffenceType.choices),
        "alert_outcome": dict(AlertOutcome.choices),
        "sentence_band": dict(BAND_LABELS),
    }


def is_label(value):
    if not isinstance(value, dict) or not value:
        return False
    return "$t" in value or "$code" in value or "$choice" in value or set(value) <= set(LANGUAGES)


class Reader:
    """Renders references in one language, reading each code list once."""

    def __init__(self, lang):
        self.lang = lang if lang in LANGUAGES else "en"
        self._codes = {}
        self._choices = None

    def code(self, list_, value):
        if list_ not in self._codes:
            from himaya.core.models import Code

            field = f"label_{self.lang}"
            self._codes[list_] = dict(
                Code.objects.filter(list=list_).values_list("code", field).order_by()
            )
        return self._codes[list_].get(value) or str(value)

    def choice(self, name, value):
        if self._choices is None:
            self._choices = _choices()
        found = self._choices.get(name, {}).get(value)
        if found is None:
            return str(value)
        with translation.override(self.lang):
            return str(found)

    def render(self, label):
        if label is None:
            return ""
        if not isinstance(label, dict):
            return str(label)
        if "$code" in label:
            return self.code(label["$code"], label.get("$v"))
        if "$choice" in label:
            return self.choice(label["$choice"], label.get("$v"))
        if "$t" not in label:  # a report frozen with its words in the three languages
            return label.get(self.lang) or label.get("en") or next(iter(label.values()), "")
        params = {
            k: self.render(v) if isinstance(v, dict) else v for k, v in label.get("$p", {}).items()
        }
        with translation.override(self.lang):
            context = label.get("$c")
            if "$tp" in label:
                n = label.get("$n") or 0
                if context:
                    template = npgettext(context, label["$t"], label["$tp"], n)
                else:
                    template = translation.ngettext(label["$t"], label["$tp"], n)
            else:
                template = pgettext(context, label["$t"]) if context else gettext(label["$t"])
        return template % params if params else template

    def localise(self, value):
        if is_label(value):
            return self.render(value)
        if isinstance(value, dict):
            return {k: self.localise(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.localise(v) for v in value]
        return value


def render(label, lang):
    return Reader(lang).render(label)


def localise(report, lang):
    """A copy of a stored report (or any part of one) with every label as text in ``lang``."""
    return Reader(lang).localise(report)
