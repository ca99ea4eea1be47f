"""The screening rule: pure functions of the indicators, the answers and the target (adult or
child). No database, no clock, no language: the reasons come out as codes with parameters, and
``explain.py`` turns them into sentences.

The rule is the ILO/EC Delphi one (Operational indicators of trafficking in human beings, 2009;
DOMAIN.md §4):

- **A dimension is positive** when its "yes" answers include 2 strong indicators, or 1 strong and
  1 medium or weak, or 3 medium, or 2 medium and 1 weak. It depends only on those three counts.
- **Strong indication** (trafficking likely):
  adult: a recruitment dimension (deceptive, coercive, or by abuse of vulnerability) AND
  exploitation AND a means at destination (coercion, or abuse of vulnerability);
  child: a recruitment dimension AND exploitation: no means is required for a child.
- **Possible indication**, when the rule above is not met, if at least one of:
  (a) the exploitation dimension is positive (the purpose is there; the rest is missing or
  unknown); (b) a dimension of deception or force is positive (deceptive recruitment, coercive
  recruitment, coercion at destination); (c) a strong indicator was answered "yes".
  A positive vulnerability dimension alone is not an indication: most migrants in an
  irregular situation are vulnerable, and vulnerability is a means only when it is abused for
  exploitation, which (a) to (c) look for.
- **No indication** otherwise.

"Unknown" and unanswered questions count as not "yes"; the reasons say how many there were, as
the result may then understate the situation. Every part of the rule only grows with more
"yes" answers, so adding a "yes" never lowers the recommendation.

**Palermo elements** (act, means, purpose), each "found", "indicated" or "not found":
found when a positive dimension has a "yes" evidencing it; indicated when only single "yes"
answers evidence it. Each question names the element it evidences (the recruitment and
destination indicators are means, the exploitation ones purpose); the act (recruitment,
transport, transfer) is evidenced by the recruitment dimensions themselves, and by any question
whose element is the act. A child's means are reported but not required.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

ENGINE_VERSION = "delphi-2009/1"

DECEPTIVE_RECRUITMENT = "deceptive_recruitment"
COERCIVE_RECRUITMENT = "coercive_recruitment"
VULNERABILITY_RECRUITMENT = "vulnerability_recruitment"
EXPLOITATION = "exploitation"
COERCION_DESTINATION = "coercion_destination"
VULNERABILITY_DESTINATION = "vulnerability_destination"

RECRUITMENT = (DECEPTIVE_RECRUITMENT, COERCIVE_RECRUITMENT, VULNERABILITY_RECRUITMENT)
DESTINATION_MEANS = (COERCION_DESTINATION, VULNERABILITY_DESTINATION)
DIMENSIONS = (*RECRUITMENT, EXPLOITATION, *DESTINATION_MEANS)
DECEPTION_OR_FORCE = (DECEPTIVE_RECRUITMENT, COERCIVE_RECRUITMENT, COERCION_DESTINATION)

STRONG, MEDIUM, WEAK = "strong", "medium", "weak"
ACT, MEANS, PURPOSE = "act", "means", "purpose"
ELEMENTS = (ACT, MEANS, PURPOSE)
YES = "yes"
ADULT, CHILD = "adult", "child"

RECOMMENDATION_STRONG = "strong"
RECOMMENDATION_POSSIBLE = "possible"
RECOMMENDATION_NONE = "none"
# For comparisons: a higher rank is a stronger recommendation.
RANK = {RECOMMENDATION_NONE: 0, RECOMMENDATION_POSSIBLE: 1, RECOMMENDATION_STRONG: 2}

FOUND, INDICATED, NOT_FOUND = "found", "indicated", "not_found"


@dataclass(frozen=True)
class Indicator:
    key: str
    dimension: str
    strength: str
    element: str


@dataclass(frozen=True)
class DimensionResult:
    dimension: str
    strong: int
    medium: int
    weak: int
    rule: str | None  # which combination made it positive, None when it is not
    yes: tuple[str, ...]  # the keys answered "yes", sorted

    @property
    def positive(self):
        return self.rule is not None

    def to_json(self):
        return {
            "dimension": self.dimension,
            "positive": self.positive,
            "rule": self.rule,
            "strong": self.strong,
            "medium": self.medium,
            "weak": self.weak,
            "yes": list(self.yes),
        }


@dataclass(frozen=True)
class Result:
    target: str
    recommendation: str
    dimensions: dict  # dimension -> DimensionResult, every dimension of the questionnaire
    elements: dict  # act/means/purpose -> found / indicated / not_found
    required_elements: tuple[str, ...]
    reasons: tuple  # (code, params) pairs, in reading order
    total: int
    yes: int
    unknown: int  # answered "unknown" or not answered at all
    engine_version: str = ENGINE_VERSION
    strong_yes: tuple[str, ...] = field(default=())

    @property
    def positive_dimensions(self):
        return [d for d in DIMENSIONS if d in self.dimensions and self.dimensions[d].positive]

    def to_json(self):
        return {
            "engine_version": self.engine_version,
            "target": self.target,
            "recommendation": self.recommendation,
            "positive_dimensions": self.positive_dimensions,
            "dimensions": {d: r.to_json() for d, r in self.dimensions.items()},
            "elements": dict(self.elements),
            "required_elements": list(self.required_elements),
            "reasons": [{"code": code, **params} for code, params in self.reasons],
            "total": self.total,
            "yes": self.yes,
            "unknown": self.unknown,
            "strong_yes": list(self.strong_yes),
        }


def dimension_rule(strong: int, medium: int, weak: int) -> str | None:
    """The Delphi combination a dimension's counts of "yes" answers meet, or None."""
    if strong >= 2:
        return "two_strong"
    if strong >= 1 and medium + weak >= 1:
        return "strong_and_other"
    if medium >= 3:
        return "three_medium"
    if medium >= 2 and weak >= 1:
        return "two_medium_one_weak"
    return None


def dimension_positive(strong: int, medium: int, weak: int) -> bool:
    return dimension_rule(strong, medium, weak) is not None


def _dimension(dimension, indicators, answers):
    yes = sorted(i.key for i in indicators if answers.get(i.key) == YES)
    counts = {STRONG: 0, MEDIUM: 0, WEAK: 0}
    for i in indicators:
        if answers.get(i.key) == YES:
            counts[i.strength] += 1
    return DimensionResult(
        dimension=dimension,
        strong=counts[STRONG],
        medium=counts[MEDIUM],
        weak=counts[WEAK],
        rule=dimension_rule(counts[STRONG], counts[MEDIUM], counts[WEAK]),
        yes=tuple(yes),
    )


def _elements(indicators, answers, dimensions):
    found, indicated = set(), set()
    for i in indicators:
        if answers.get(i.key) != YES:
            continue
        evidenced = {i.element}
        if i.dimension in RECRUITMENT:
            evidenced.add(ACT)  # how someone was recruited or moved: the act itself
        indicated |= evidenced
        if dimensions[i.dimension].positive:
            found |= evidenced
    return {
        e: FOUND if e in found else INDICATED if e in indicated else NOT_FOUND for e in ELEMENTS
    }


def _positive(dimensions, names):
    return [d for d in names if d in dimensions and dimensions[d].positive]


def evaluate(indicators: Iterable[Indicator], answers: Mapping[str, str], target: str) -> Result:
    """Apply the rule to one screening. ``answers`` maps indicator keys to "yes", "no" or
    "unknown"; keys that are not indicators of this questionnaire are ignored."""
    if target not in (ADULT, CHILD):
        raise ValueError(f"unknown target {target!r}")
    indicators = sorted(indicators, key=lambda i: i.key)
    keys = {i.key for i in indicators}
    if len(keys) != len(indicators):
        raise ValueError("indicator keys must be unique")
    answers = {k: v for k, v in answers.items() if k in keys}
    by_dimension = _by_dimension(indicators)
    dimensions = {
        d: _dimension(d, by_dimension[d], answers) for d in DIMENSIONS if d in by_dimension
    }
    found = {
        "recruitment": _positive(dimensions, RECRUITMENT),
        "exploitation": bool(_positive(dimensions, (EXPLOITATION,))),
        "destination": _positive(dimensions, DESTINATION_MEANS),
        "force": _positive(dimensions, DECEPTION_OR_FORCE),
        "strong_yes": tuple(
            i.key for i in indicators if i.strength == STRONG and answers.get(i.key) == YES
        ),
    }
    child = target == CHILD
    recommendation = _recommendation(child=child, **found)
    reasons = _reasons(dimensions, recommendation, target, **found)
    unknown = sum(1 for i in indicators if answers.get(i.key) not in ("yes", "no"))
    if unknown:
        reasons.append(("unknown_answers", {"count": unknown}))

    return Result(
        target=target,
        recommendation=recommendation,
        dimensions=dimensions,
        elements=_elements(indicators, answers, dimensions),
        required_elements=(ACT, PURPOSE) if child else ELEMENTS,
        reasons=tuple(reasons),
        total=len(indicators),
        yes=sum(1 for i in indicators if answers.get(i.key) == YES),
        unknown=unknown,
        strong_yes=found["strong_yes"],
    )


def _by_dimension(indicators):
    """The indicators grouped by dimension; an unknown dimension or strength is refused."""
    by_dimension = {}
    for i in indicators:
        if i.dimension not in DIMENSIONS or i.strength not in (STRONG, MEDIUM, WEAK):
            raise ValueError(f"bad indicator {i.key!r}")
        by_dimension.setdefault(i.dimension, []).append(i)
    return by_dimension


def _recommendation(*, child, recruitment, exploitation, destination, force, strong_yes):
    """Strong: the act, the purpose and (for an adult) the means at destination; possible:
    exploitation, deception or force, or a strong indicator on its own; none otherwise."""
    if recruitment and exploitation and (child or destination):
        return RECOMMENDATION_STRONG
    if exploitation or force or strong_yes:
        return RECOMMENDATION_POSSIBLE
    return RECOMMENDATION_NONE


def _reasons(
    dimensions, recommendation, target, *, recruitment, exploitation, destination, force, strong_yes
):
    """Why the rule gave its recommendation: each dimension answered yes, then whether the
    rule was met (and what was missing), then why it is still possible."""
    child = target == CHILD
    reasons = []
    for d in DIMENSIONS:
        r = dimensions.get(d)
        if r is None or not r.yes:
            continue
        params = {"dimension": d, "strong": r.strong, "medium": r.medium, "weak": r.weak}
        if r.positive:
            reasons.append(("dimension_positive", {**params, "rule": r.rule, "keys": list(r.yes)}))
        else:
            reasons.append(("dimension_not_positive", params))
    if recommendation == RECOMMENDATION_STRONG:
        reasons.append(
            (
                "rule_met",
                {
                    "target": target,
                    "recruitment": recruitment,
                    "destination": destination,
                },
            )
        )
    else:
        missing = []
        if not recruitment:
            missing.append("recruitment")
        if not exploitation:
            missing.append("exploitation")
        if not child and not destination:
            missing.append("means_at_destination")
        reasons.append(("rule_not_met", {"target": target, "missing": missing}))
        if recommendation == RECOMMENDATION_POSSIBLE:
            why = []
            if exploitation:
                why.append("exploitation")
            if force:
                why.append("deception_or_force")
            if strong_yes:
                why.append("strong_indicator")
            reasons.append(("possible", {"why": why, "keys": list(strong_yes)}))
    if child:
        reasons.append(("child_no_means", {}))
    return reasons
