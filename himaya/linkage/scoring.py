"""Fellegi–Sunter scoring of a pair, and its explanation in words, from the same levels.

A pair's match weight is the prior log-odds that two records are one person plus, for each
comparison that can tell, log2(m / u) of the level the pair reached: m is how often a true match
reaches that level, u how often two different persons do. The parameters are estimated from
data (training.py: u from random pairs, m from labelled pairs); a batch run can re-estimate them
on the register and store them as a ``LinkageModel``; until then the parameters shipped in
``parameters.json`` are used (``python -m himaya.linkage.training``). Nothing here is tuned by
hand.
"""

import dataclasses
import json
import math
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from himaya.core.punctuation import join_words

from .comparison import (
    COMPARISONS,
    FUZZY,
    NULL,
    SKELETON,
    compare_names,
    comparison_vector,
)
from .features import Record

PARAMETERS_FILE = Path(__file__).with_name("parameters.json")


@lru_cache(maxsize=1)
def shipped_parameters():
    return json.loads(PARAMETERS_FILE.read_text(encoding="utf-8"))


def fits(params: dict) -> bool:
    """Whether parameters have one m and one u per level of every comparison of this version
    (a model trained before the levels changed does not)."""
    comps = params.get("comparisons", {})
    return all(
        len(comps.get(name, {}).get("m", ())) == n == len(comps.get(name, {}).get("u", ()))
        for name, (_fn, n) in COMPARISONS.items()
    )


def current_parameters():
    """The newest trained model's parameters that fit the comparison levels, else the shipped
    ones."""
    from .models import LinkageModel

    for params in LinkageModel.objects.order_by("-pk").values_list("parameters", flat=True)[:5]:
        if params and fits(params):
            return params
    return shipped_parameters()


@dataclasses.dataclass
class Score:
    levels: dict
    weight: float
    probability: float
    partial: dict  # comparison → its log2(m/u)


def _bayes(m, u):
    return math.log2(max(m, 1e-12) / max(u, 1e-12))


def for_register(params: dict, size: int) -> dict:
    """The parameters for a register of ``size`` records: λ, the probability that two random
    records are one person, falls as the register grows (each person has about as many other
    records, among more pairs): the trained duplicates per record over size − 1. Names'
    frequencies are counted over the same size, so the two scale together (for a name met
    once, the prior and the frequency cancel out)."""
    per_record = params.get("duplicates_per_record")
    if not per_record or size < 2:
        return params
    return {**params, "probability_two_random_records_match": min(0.5, per_record / (size - 1))}


# Name levels whose weight follows the frequency of the name (every token agrees), and the
# least frequency counted (Splink's tf_minimum_u_value).
TF_LEVELS = (4, 5)
TF_MINIMUM = 1e-6
# The name level whose weight follows the frequency of the tokens of the shorter name (every
# token of one name is in the other: a family name missing, a father's name inserted): that
# "Oluwaseun" alone is in the other name says much more than that "Mohamed" is.
TOKEN_TF_LEVELS = (2,)


def token_frequency(keys, share) -> float:
    """How often a random record holds every token of a name: the product of the shares of
    records holding each of its ``features.token_keys`` (``share``: key → share), as if
    tokens were independent. 1 without tokens (no adjustment)."""
    out = 1.0
    for key in set(keys):
        out *= share(key)
    return out


def _tf_bits(u, frequency):
    return math.log2(u) - math.log2(max(frequency, TF_MINIMUM))


def score_levels(levels: dict, params: dict, *, name_frequency=None, token_frequency=None) -> Score:
    """The weight of a pair from its levels. ``name_frequency``: the share of records holding
    the pair's name (the larger of the two sides'), which replaces the name level's u where
    every token agrees (term-frequency adjustment, as Splink's ``tf_adjustment_column``);
    ``token_frequency``: the larger of the two sides' ``token_frequency``, which replaces it
    where one name's tokens are all in the other (the shorter name holds fewer tokens, so its
    frequency is the larger)."""
    lam = params["probability_two_random_records_match"]
    weight = math.log2(lam / (1 - lam))
    partial = {}
    for name, level in levels.items():
        if level == NULL or name not in params["comparisons"]:
            continue
        comp = params["comparisons"][name]
        partial[name] = _bayes(comp["m"][level], comp["u"][level])
        if name == "name" and level in TF_LEVELS and name_frequency:
            partial[name] += _tf_bits(comp["u"][level], name_frequency)
        elif name == "name" and level in TOKEN_TF_LEVELS and token_frequency:
            partial[name] += _tf_bits(comp["u"][level], token_frequency)
        weight += partial[name]
    probability = 1 / (1 + 2 ** (-weight))
    return Score(levels, weight, probability, partial)


def score(
    a: Record, b: Record, params: dict | None = None, *, name_frequency=None, token_frequency=None
) -> Score:
    return score_levels(
        comparison_vector(a, b),
        params or shipped_parameters(),
        name_frequency=name_frequency,
        token_frequency=token_frequency,
    )


BIRTH_WORDS = {
    7: _("same birth date"),
    6: _("same birth year"),
    5: _("same birth year"),
    4: _("same birth year, from an estimated age"),
    3: _("born within a year of each other, from an estimated age"),
    2: _("born within a year of each other"),
    1: _("born within three years of each other"),
    0: _("born more than three years apart"),
}
OTHER_WORDS = {
    ("sex", 1): _("same sex"),
    ("sex", 0): _("different sex"),
    ("citizenship", 1): _("a citizenship in common"),
    ("citizenship", 0): _("different citizenships"),
    ("phone", 1): _("same phone number"),
    ("phone", 0): _("different phone numbers"),
    ("document", 1): _("same identity document number"),
    ("document", 0): _("different identity document numbers"),
}


def explain(a: Record, b: Record, levels: dict, *, with_names: bool) -> list[str]:
    """Why a pair matched, in words, from its levels. Name tokens are quoted only when the
    reader may see both identities (``with_names``)."""
    reasons = []
    names = compare_names(a, b)
    if names is not None:
        if names.level == 5:
            reasons.append(str(_("same names")))
        cross = [m for m in names.matches if m.cross_script]
        spelled = [m for m in names.matches if not m.cross_script and m.kind == SKELETON]
        fuzzy = [m for m in names.matches if m.kind == FUZZY]
        joined = {pair for pair in names.joined}
        for group, label in (
            (cross, _("names match across scripts")),
            (spelled, _("the same names spelled differently")),
            (fuzzy, _("close spellings")),
        ):
            group = [m for m in group if (m.left, m.right) not in joined]
            if group:
                text = str(label)
                if with_names:
                    text += ": " + join_words(f"{m.left} ↔ {m.right}" for m in group)
                reasons.append(text)
        if names.joined:
            text = str(_("a compound name written as one word"))
            if with_names:
                text += ": " + join_words(f"{x} ↔ {y}" for x, y in names.joined)
            reasons.append(text)
        if names.order_swapped:
            reasons.append(str(_("names in another order")))
        if names.level in (1, 2):
            if a.family_missing != b.family_missing:
                reasons.append(str(_("family name missing on one")))
            elif names.level == 2:
                reasons.append(str(_("a name missing on one")))
            else:
                reasons.append(str(_("some names differ")))
        if names.level == 0:
            reasons.append(str(_("names differ")))
    level = levels.get("birth", NULL)
    if level == NULL:
        reasons.append(str(_("birth date missing on one")))
    else:
        reasons.append(str(BIRTH_WORDS[level]))
    for comp in ("sex", "citizenship", "phone", "document"):
        word = OTHER_WORDS.get((comp, levels.get(comp, NULL)))
        if word:
            reasons.append(str(word))
    return reasons
