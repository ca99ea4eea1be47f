"""The screening rule, pinned on hand-worked cases and checked for its invariants.

Hand-worked cases use a small synthetic list (each dimension has strong s1-s3, medium m1-m4 and
weak w1-w3 indicators) so that each case reads as its counts; the last ones use the shipped
ILO/EC lists. No database: the engine is pure."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from himaya.screening import engine, questionnaire_data
from himaya.screening.engine import (
    CHILD,
    COERCION_DESTINATION,
    COERCIVE_RECRUITMENT,
    DECEPTIVE_RECRUITMENT,
    DIMENSIONS,
    EXPLOITATION,
    RANK,
    VULNERABILITY_DESTINATION,
    VULNERABILITY_RECRUITMENT,
    Indicator,
    dimension_positive,
    dimension_rule,
    evaluate,
)

ADULT = engine.ADULT


def synthetic():
    out = []
    for dim in DIMENSIONS:
        element = "purpose" if dim == EXPLOITATION else "means"
        for strength, n in (("strong", 3), ("medium", 4), ("weak", 3)):
            for i in range(1, n + 1):
                out.append(Indicator(f"{dim}.{strength[0]}{i}", dim, strength, element))
    return out


SYNTHETIC = synthetic()


def yes(*specs):
    """yes("exploitation:s1,m1", ...) → answers with those keys "yes"."""
    answers = {}
    for spec in specs:
        dim, keys = spec.split(":")
        for k in keys.split(","):
            answers[f"{dim}.{k}"] = "yes"
    return answers


def shipped(code):
    doc = next(d for d in questionnaire_data.load_files() if d["code"] == code)
    return [
        Indicator(f"{q['dimension']}.{q['indicator']}", q["dimension"], q["strength"], q["element"])
        for q in doc["questions"]
    ]


# --- the dimension rule ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("strong", "medium", "weak", "rule"),
    [
        (2, 0, 0, "two_strong"),
        (1, 1, 0, "strong_and_other"),
        (1, 0, 1, "strong_and_other"),
        (0, 3, 0, "three_medium"),  # exactly three medium
        (0, 2, 1, "two_medium_one_weak"),  # exactly two medium and a weak one
        (1, 0, 0, None),  # one strong alone
        (0, 2, 0, None),
        (0, 1, 2, None),  # one medium and two weak
        (0, 0, 3, None),  # weak indicators alone never make a dimension
        (0, 0, 0, None),
        (3, 4, 3, "two_strong"),
    ],
)
def test_dimension_rule_on_counts(strong, medium, weak, rule):
    assert dimension_rule(strong, medium, weak) == rule
    assert dimension_positive(strong, medium, weak) is (rule is not None)


# --- hand-worked cases ---------------------------------------------------------------------------


def test_adult_full_pattern_is_a_strong_indication():
    answers = yes(
        f"{DECEPTIVE_RECRUITMENT}:s1,m1",  # 1 strong + 1 medium
        f"{EXPLOITATION}:m1,m2,m3",  # 3 medium
        f"{COERCION_DESTINATION}:s1,s2",  # 2 strong
    )
    r = evaluate(SYNTHETIC, answers, ADULT)
    assert r.recommendation == "strong"
    assert r.positive_dimensions == [DECEPTIVE_RECRUITMENT, EXPLOITATION, COERCION_DESTINATION]
    assert r.dimensions[DECEPTIVE_RECRUITMENT].rule == "strong_and_other"
    assert r.dimensions[EXPLOITATION].rule == "three_medium"
    assert r.dimensions[COERCION_DESTINATION].rule == "two_strong"
    assert r.elements == {"act": "found", "means": "found", "purpose": "found"}
    codes = [c for c, _p in r.reasons]
    assert codes.count("dimension_positive") == 3 and "rule_met" in codes
    met = dict(r.reasons)["rule_met"]
    assert met["recruitment"] == [DECEPTIVE_RECRUITMENT]
    assert met["destination"] == [COERCION_DESTINATION]


def test_adult_without_means_at_destination_is_only_possible():
    answers = yes(f"{COERCIVE_RECRUITMENT}:s1,s2", f"{EXPLOITATION}:m1,m2,w1")
    r = evaluate(SYNTHETIC, answers, ADULT)
    assert r.recommendation == "possible"
    assert dict(r.reasons)["rule_not_met"]["missing"] == ["means_at_destination"]
    assert set(dict(r.reasons)["possible"]["why"]) == {
        "exploitation",
        "deception_or_force",
        "strong_indicator",
    }


def test_child_needs_no_means():
    """Recruitment by abuse of vulnerability (3 medium) and exploitation (1 strong + 1 weak):
    a child is likely a victim; the same answers for an adult lack the means at destination."""
    answers = yes(f"{VULNERABILITY_RECRUITMENT}:m1,m2,m3", f"{EXPLOITATION}:s1,w1")
    child = evaluate(SYNTHETIC, answers, CHILD)
    adult = evaluate(SYNTHETIC, answers, ADULT)
    assert child.recommendation == "strong"
    assert adult.recommendation == "possible"
    assert child.required_elements == ("act", "purpose")
    assert "child_no_means" in dict(child.reasons)


def test_adult_abuse_of_vulnerability_at_destination_is_a_means():
    answers = yes(
        f"{VULNERABILITY_RECRUITMENT}:m1,m2,w1",  # 2 medium + 1 weak
        f"{EXPLOITATION}:s1,m1",
        f"{VULNERABILITY_DESTINATION}:m1,m2,m3",
    )
    r = evaluate(SYNTHETIC, answers, ADULT)
    assert r.recommendation == "strong"
    assert dict(r.reasons)["rule_met"]["destination"] == [VULNERABILITY_DESTINATION]


def test_one_strong_indicator_alone_is_possible():
    r = evaluate(SYNTHETIC, yes(f"{EXPLOITATION}:s1"), ADULT)
    assert r.positive_dimensions == []
    assert r.recommendation == "possible"
    assert dict(r.reasons)["possible"] == {
        "why": ["strong_indicator"],
        "keys": [f"{EXPLOITATION}.s1"],
    }
    assert r.elements["purpose"] == "indicated"


def test_exactly_three_medium_in_exploitation_is_possible():
    r = evaluate(SYNTHETIC, yes(f"{EXPLOITATION}:m1,m2,m3"), ADULT)
    assert r.positive_dimensions == [EXPLOITATION]
    assert r.recommendation == "possible"
    assert dict(r.reasons)["rule_not_met"]["missing"] == ["recruitment", "means_at_destination"]


def test_two_medium_and_one_weak_of_coercion_is_possible():
    r = evaluate(SYNTHETIC, yes(f"{COERCION_DESTINATION}:m1,m2,w1"), ADULT)
    assert r.positive_dimensions == [COERCION_DESTINATION]
    assert r.recommendation == "possible"
    assert dict(r.reasons)["possible"]["why"] == ["deception_or_force"]


def test_vulnerability_alone_is_no_indication():
    """An irregular migrant without work, deceived by no one, is vulnerable, not trafficked."""
    answers = yes(f"{VULNERABILITY_RECRUITMENT}:m1,m2,m3,m4", f"{VULNERABILITY_DESTINATION}:m1,m2")
    r = evaluate(SYNTHETIC, answers, ADULT)
    assert r.positive_dimensions == [VULNERABILITY_RECRUITMENT]
    assert r.recommendation == "none"
    assert r.elements["act"] == "found" and r.elements["purpose"] == "not_found"


def test_medium_and_weak_below_threshold_are_no_indication():
    answers = yes(f"{EXPLOITATION}:m1,w1,w2", f"{DECEPTIVE_RECRUITMENT}:m1,m2")
    r = evaluate(SYNTHETIC, answers, ADULT)
    assert r.positive_dimensions == []
    assert r.recommendation == "none"
    partial = [p for c, p in r.reasons if c == "dimension_not_positive"]
    assert [p["dimension"] for p in partial] == [DECEPTIVE_RECRUITMENT, EXPLOITATION]


def test_nothing_answered_is_no_indication_with_the_unknowns_said():
    r = evaluate(SYNTHETIC, {}, ADULT)
    assert r.recommendation == "none"
    assert r.unknown == len(SYNTHETIC)
    assert dict(r.reasons)["unknown_answers"] == {"count": len(SYNTHETIC)}
    half = {i.key: "no" for i in SYNTHETIC[:10]} | {SYNTHETIC[10].key: "unknown"}
    assert evaluate(SYNTHETIC, half, ADULT).unknown == len(SYNTHETIC) - 10


def test_recruitment_without_exploitation_is_not_strong_even_for_a_child():
    answers = yes(f"{DECEPTIVE_RECRUITMENT}:s1,s2", f"{COERCION_DESTINATION}:s1,s2")
    assert evaluate(SYNTHETIC, answers, CHILD).recommendation == "possible"
    assert evaluate(SYNTHETIC, answers, ADULT).recommendation == "possible"


def test_answers_to_questions_not_in_the_list_are_ignored():
    answers = yes(f"{EXPLOITATION}:m1,m2") | {"exploitation.zz": "yes", "other": "yes"}
    assert evaluate(SYNTHETIC, answers, ADULT).positive_dimensions == []


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        evaluate(SYNTHETIC, {}, "teenager")
    with pytest.raises(ValueError):
        evaluate([*SYNTHETIC, SYNTHETIC[0]], {}, ADULT)


def test_shipped_adult_labour_case():
    """A farm worker: lied to about the job and the wages, working every day for nothing,
    papers kept by the employer and a debt that keeps growing."""
    ind = shipped("adult_labour")
    answers = {
        "deceptive_recruitment.nature_of_job": "yes",  # strong
        "deceptive_recruitment.wages": "yes",  # medium
        "exploitation.excessive_hours": "yes",  # strong
        "exploitation.low_salary": "yes",  # medium
        "coercion_destination.documents": "yes",  # strong
        "coercion_destination.debt": "yes",  # strong
        "vulnerability_destination.economic_reasons": "yes",  # medium
    }
    r = evaluate(ind, answers, ADULT)
    assert r.recommendation == "strong"
    assert r.positive_dimensions == [DECEPTIVE_RECRUITMENT, EXPLOITATION, COERCION_DESTINATION]
    # Debt bondage is medium at recruitment, strong at destination (as the ILO/EC list has it).
    only_recruitment_debt = evaluate(ind, {"coercive_recruitment.debt": "yes"}, ADULT)
    assert only_recruitment_debt.recommendation == "none"


def test_shipped_adult_sexual_case_without_a_strong_exploitation_indicator():
    """The sexual-exploitation list has no strong exploitation indicator: three medium ones."""
    ind = shipped("adult_sexual")
    answers = {
        "coercive_recruitment.threat_violence": "yes",  # strong in this list
        "coercive_recruitment.violence": "yes",  # strong
        "exploitation.low_salary": "yes",
        "exploitation.excessive_hours": "yes",
        "exploitation.hazardous": "yes",
        "coercion_destination.forced_tasks": "yes",  # strong in this list
        "coercion_destination.isolation": "yes",  # strong
    }
    r = evaluate(ind, answers, ADULT)
    assert r.recommendation == "strong"
    assert r.dimensions[EXPLOITATION].rule == "three_medium"


def test_shipped_child_case():
    ind = shipped("child")
    answers = {
        "coercive_recruitment.abduction": "yes",  # strong for a child
        "coercive_recruitment.threat_violence": "yes",  # strong for a child
        "exploitation.no_education": "yes",  # medium
        "exploitation.bad_living": "yes",
        "exploitation.hazardous": "yes",
    }
    r = evaluate(ind, answers, CHILD)
    assert r.recommendation == "strong"
    assert r.elements["means"] == "found"  # reported even though not required


# --- invariants ---------------------------------------------------------------------------------

LISTS = {"adult_labour": shipped("adult_labour"), "child": shipped("child"), "syn": SYNTHETIC}
ANSWER = st.sampled_from(["yes", "no", "unknown", None])


@st.composite
def cases(draw):
    name = draw(st.sampled_from(sorted(LISTS)))
    indicators = LISTS[name]
    values = draw(st.lists(ANSWER, min_size=len(indicators), max_size=len(indicators)))
    answers = {i.key: v for i, v in zip(indicators, values, strict=True) if v is not None}
    target = draw(st.sampled_from([ADULT, CHILD]))
    return indicators, answers, target


@settings(max_examples=300, deadline=None)
@given(cases(), st.data())
def test_adding_a_yes_never_lowers_the_recommendation(case, data):
    indicators, answers, target = case
    not_yes = [i.key for i in indicators if answers.get(i.key) != "yes"]
    if not not_yes:
        return
    key = data.draw(st.sampled_from(not_yes))
    before = evaluate(indicators, answers, target)
    after = evaluate(indicators, {**answers, key: "yes"}, target)
    assert RANK[after.recommendation] >= RANK[before.recommendation]
    assert set(before.positive_dimensions) <= set(after.positive_dimensions)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 3),
    st.integers(0, 4),
    st.integers(0, 3),
    st.randoms(use_true_random=False),
)
def test_a_dimension_depends_only_on_its_counts(strong, medium, weak, rnd):
    dim = EXPLOITATION
    pools = {
        s: [i for i in SYNTHETIC if i.dimension == dim and i.strength == s]
        for s in ("strong", "medium", "weak")
    }
    counts = {"strong": strong, "medium": medium, "weak": weak}
    results = set()
    for _ in range(3):  # three different choices of which indicators are "yes"
        answers = {i.key: "yes" for s, n in counts.items() for i in rnd.sample(pools[s], n)}
        results.add(evaluate(SYNTHETIC, answers, ADULT).dimensions[dim].positive)
    assert results == {dimension_positive(strong, medium, weak)}


@settings(max_examples=300, deadline=None)
@given(cases())
def test_the_child_rule_never_requires_the_coercion_dimensions(case):
    indicators, answers, _target = case
    without_destination = {
        k: ("no" if k.split(".")[0] in engine.DESTINATION_MEANS else v) for k, v in answers.items()
    }
    r = evaluate(indicators, without_destination, CHILD)
    recruitment = any(r.dimensions[d].positive for d in engine.RECRUITMENT if d in r.dimensions)
    exploitation = r.dimensions[EXPLOITATION].positive
    assert (r.recommendation == "strong") == (recruitment and exploitation)
    # and a child is never judged less likely a victim than an adult on the same answers
    assert (
        RANK[evaluate(indicators, answers, CHILD).recommendation]
        >= RANK[evaluate(indicators, answers, ADULT).recommendation]
    )


@settings(max_examples=150, deadline=None)
@given(cases(), st.integers(0, 2**32))
def test_the_result_does_not_depend_on_the_order_of_answers_or_questions(case, seed):
    indicators, answers, target = case
    rnd = random.Random(seed)
    items = list(answers.items())
    rnd.shuffle(items)
    shuffled_indicators = list(indicators)
    rnd.shuffle(shuffled_indicators)
    a = evaluate(indicators, answers, target).to_json()
    b = evaluate(shuffled_indicators, dict(items), target).to_json()
    assert a == b


@settings(max_examples=150, deadline=None)
@given(cases())
def test_strong_means_the_rule_and_none_means_nothing_found(case):
    indicators, answers, target = case
    r = evaluate(indicators, answers, target)
    if r.recommendation == "none":
        assert not r.strong_yes
        assert not any(r.dimensions[d].positive for d in (*engine.DECEPTION_OR_FORCE, EXPLOITATION))
    if r.recommendation == "strong":
        assert r.elements["act"] == "found" and r.elements["purpose"] == "found"
        if target == ADULT:
            assert r.elements["means"] == "found"
