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
from itertools import combinations
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
from .features import PAIR, Record

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


# Name levels whose weight follows the frequency of the name (every token agrees, exactly, by
# skeleton or by a close spelling), and the least frequency counted (Splink's
# tf_minimum_u_value).
TF_LEVELS = (3, 4, 5)
TF_MINIMUM = 1e-6
# Levels whose frequency may only lower the weight (its least frequency is the level's own u):
# a close spelling of a common name (Mohamed, Fatima Zahra) is met far more often than of a
# rare one, but two rare names a letter or two apart (Hadghaoui, Hamdaoui) are no rarer than
# close spellings in general are.
TF_ONLY_DOWN = (3,)
# The name level whose weight follows the frequency of the tokens of the shorter name (every
# token of one name is in the other: a family name missing, a father's name inserted): that
# "Oluwaseun" alone is in the other name says much more than that "Mohamed" is.
TOKEN_TF_LEVELS = (2,)


def token_frequency(keys, share) -> float:
    """How often a random record holds every token of a name, from the shares of records
    holding each token and each pair of tokens (``features.token_keys``; ``share``: key →
    share): the tokens' shares multiplied, and each pair's dependence (its share over its
    tokens' product) multiplied in along a tree of the most dependent pairs, a tree
    approximation as Chow and Liu's: exact for one or two tokens, never above the share of a
    pair it uses. The tokens of a compound given name come together (on the generator's 10k
    persons, Mark and Anthony are each held by 40 records of 18,045 and together by 39: their
    product says 1 in 200,000, the pair 1 in 460), a given and a family name about as often
    as their product. A pair not counted (keys written before pairs were, or held by no
    record but the one being entered) counts as independent. 1 without tokens (no
    adjustment)."""
    keys = set(keys)
    singles = sorted(k for k in keys if PAIR not in k)
    shares = {k: share(k) for k in singles}
    out = math.prod(shares.values())
    if len(singles) < 2 or out <= 0:
        return out
    lift = {}
    for a, b in combinations(singles, 2):
        joint = (share(a + PAIR + b) or 0) if a + PAIR + b in keys else 0
        lift[a, b] = joint / (shares[a] * shares[b]) if joint > 0 else 1.0
    joined = {singles[0]}
    while len(joined) < len(singles):  # Prim: the most dependent pair reaching a new token
        edge = max((e for e in lift if (e[0] in joined) != (e[1] in joined)), key=lambda e: lift[e])
        out *= lift[edge]
        joined.update(edge)
    return min(out, 1.0)


def tf_minimum(level, u):
    """The least frequency counted at a name level of u ``u`` (``TF_ONLY_DOWN``)."""
    return max(u, TF_MINIMUM) if level in TF_ONLY_DOWN else TF_MINIMUM


def _tf_bits(level, u, frequency):
    return math.log2(u) - math.log2(max(frequency, tf_minimum(level, u)))


def score_levels(levels: dict, params: dict, *, name_frequency=None, token_frequency=None) -> Score:
    """The weight of a pair from its levels. ``name_frequency``: the share of records holding
    the pair's name (the larger of the two sides'), which replaces the name level's u where
    every token agrees (term-frequency adjustment, as Splink's ``tf_adjustment_column``; at
    the close-spelling level only when larger, ``TF_ONLY_DOWN``);
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
            partial[name] += _tf_bits(level, comp["u"][level], name_frequency)
        elif name == "name" and level in TOKEN_TF_LEVELS and token_frequency:
            partial[name] += _tf_bits(level, comp["u"][level], token_frequency)
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
