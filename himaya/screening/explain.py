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


def _quoted(reason, questions):
    """The texts of the questions answered "yes" that a reason names."""
    return [questions[k].text for k in reason.get("keys", []) if k in questions]


def _dimension_positive(reason, questions):
    text = _("%(dimension)s is positive: %(rule)s (%(counts)s answered “yes”).") % {
        "dimension": Dimension(reason["dimension"]).label,
        "rule": RULES[reason["rule"]](),
        "counts": _counts(reason),
    }
    return "positive", text, _quoted(reason, questions)


def _dimension_not_positive(reason, questions):
    text = _("%(dimension)s is not positive: only %(counts)s answered “yes”.") % {
        "dimension": Dimension(reason["dimension"]).label,
        "counts": _counts(reason),
    }
    return "partial", text, []


def _rule_met(reason, questions):
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
    return "rule", text, []


def _rule_not_met(reason, questions):
    text = _("The rule for a strong indication is not met: %(missing)s.") % {
        "missing": join_clauses(PARTS[p]() for p in reason["missing"])
    }
    return "rule", text, []


def _possible(reason, questions):
    text = _("Possible indication, because %(why)s.") % {
        "why": join_clauses(WHY[w]() for w in reason["why"])
    }
    return "possible", text, _quoted(reason, questions)


def _child_no_means(reason, questions):
    return "note", _("For a child, no means (force, deception, abuse) is required."), []


def _unknown_answers(reason, questions):
    text = ngettext(
        "%(count)s question was not answered or the answer is unknown: the result "
        "may understate the situation.",
        "%(count)s questions were not answered or the answer is unknown: the result "
        "may understate the situation.",
        reason["count"],
    ) % {"count": reason["count"]}
    return "note", text, []


# The sentence of each reason code of the engine: (kind, sentence, question texts).
SENTENCES = {
    "dimension_positive": _dimension_positive,
    "dimension_not_positive": _dimension_not_positive,
    "rule_met": _rule_met,
    "rule_not_met": _rule_not_met,
    "possible": _possible,
    "child_no_means": _child_no_means,
    "unknown_answers": _unknown_answers,
}


def sentences(result, questions=None):
    """(kind, sentence, question texts) for each reason. ``questions`` maps answer keys to
    Question objects, to quote the questions answered "yes"."""
    questions = questions or {}
    out = []
    for reason in result.get("reasons", []):
        code = reason["code"]
        if code in SENTENCES:
            out.append(SENTENCES[code](reason, questions))
        else:  # a code from a later engine version: show it rather than fail
            out.append(("note", code, []))
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
