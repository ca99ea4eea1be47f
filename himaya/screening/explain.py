"""The engine's reasons in words, in the reader's language. The engine stores codes with
parameters (at submission), so a result reads in Arabic, French or English alike, and the
wording can improve without touching stored results."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from himaya.core.punctuation import join_clauses, join_words

from .models import Dimension, Element, Recommendation

RULES = {
    "two_strong": lambda: _("two strong indicators"),
    "strong_and_other": lambda: _("a strong indicator and another indicator"),
    "three_medium": lambda: _("three medium indicators"),
    "two_medium_one_weak": lambda: _("two medium indicators and a weak one"),
}
PARTS = {
    "recruitment": lambda: _("no recruitment dimension is positive"),
    "exploitation": lambda: _("the exploitation dimension is not positive"),
    "means_at_destination": lambda: _(
        "neither coercion nor abuse of vulnerability at destination is positive"
    ),
}
WHY = {
    "exploitation": lambda: _("the exploitation dimension is positive"),
    "deception_or_force": lambda: _("a dimension of deception or force is positive"),
    "strong_indicator": lambda: _("a strong indicator was answered “yes”"),
}
ELEMENT_STATUS = {
    "found": lambda: _("found"),
    "indicated": lambda: _("indicated by single answers"),
    "not_found": lambda: _("not found"),
}


def _counts(p):
    return _("%(strong)s strong, %(medium)s medium, %(weak)s weak") % {
        "strong": p["strong"],
        "medium": p["medium"],
        "weak": p["weak"],
    }


def _dims(names):
    return join_words(Dimension(d).label for d in names)


def sentences(result, questions=None):
    """(kind, sentence, question texts) for each reason. ``questions`` maps answer keys to
    Question objects, to quote the questions answered "yes"."""
    questions = questions or {}
    out = []
    for reason in result.get("reasons", []):
        code = reason["code"]
        quoted = []
        if code == "dimension_positive":
            text = _("%(dimension)s is positive: %(rule)s (%(counts)s answered “yes”).") % {
                "dimension": Dimension(reason["dimension"]).label,
                "rule": RULES[reason["rule"]](),
                "counts": _counts(reason),
            }
            quoted = [questions[k].text for k in reason.get("keys", []) if k in questions]
            kind = "positive"
        elif code == "dimension_not_positive":
            text = _("%(dimension)s is not positive: only %(counts)s answered “yes”.") % {
                "dimension": Dimension(reason["dimension"]).label,
                "counts": _counts(reason),
            }
            kind = "partial"
        elif code == "rule_met":
            if reason["target"] == "child":
                text = _(
                    "For a child, recruitment (%(recruitment)s) and exploitation are enough: "
                    "the person is likely a victim of trafficking."
                ) % {"recruitment": _dims(reason["recruitment"])}
            else:
                text = _(
                    "Recruitment (%(recruitment)s), exploitation and a means at destination "
                    "(%(destination)s) are all positive: the person is likely a victim of "
                    "trafficking."
                ) % {
                    "recruitment": _dims(reason["recruitment"]),
                    "destination": _dims(reason["destination"]),
                }
            kind = "rule"
        elif code == "rule_not_met":
            text = _("The rule for a strong indication is not met: %(missing)s.") % {
                "missing": join_clauses(PARTS[p]() for p in reason["missing"])
            }
            kind = "rule"
        elif code == "possible":
            text = _("Possible indication, because %(why)s.") % {
                "why": join_clauses(WHY[w]() for w in reason["why"])
            }
            quoted = [questions[k].text for k in reason.get("keys", []) if k in questions]
            kind = "possible"
        elif code == "child_no_means":
            text = _("For a child, no means (force, deception, abuse) is required.")
            kind = "note"
        elif code == "unknown_answers":
            text = ngettext(
                "%(count)s question was not answered or the answer is unknown: the result "
                "may understate the situation.",
                "%(count)s questions were not answered or the answer is unknown: the result "
                "may understate the situation.",
                reason["count"],
            ) % {"count": reason["count"]}
            kind = "note"
        else:  # a code from a later engine version: show it rather than fail
            text, kind = code, "note"
        out.append((kind, text, quoted))
    return out


def elements(result):
    """(label, status text, required) for act, means and purpose."""
    required = set(result.get("required_elements", []))
    return [
        (
            Element(e).label,
            ELEMENT_STATUS[result.get("elements", {}).get(e, "not_found")](),
            e in required,
        )
        for e in ("act", "means", "purpose")
    ]


def recommendation_label(value):
    return Recommendation(value).label if value else ""
