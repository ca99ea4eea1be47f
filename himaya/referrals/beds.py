"""Which shelter beds fit a person (issue 15): women's and men's beds are for adults of that sex,
children's beds for children, family beds for anyone. Forms offer only what fits, say why the rest
is not offered, and the actions refuse the rest whatever is posted."""

from django.utils.translation import gettext as _

from himaya.core.punctuation import join_clauses

from .models import BED_GROUPS, Group

FEMALE = frozenset({"female", "transgender_female"})
MALE = frozenset({"male", "transgender_male"})


def why_not(group, person, day):
    """None when a bed of ``group`` fits ``person`` on ``day``; else the reason, in words. An
    unknown sex or age restricts nothing that depends on it: the staff decide."""
    age = person.age_on(day)
    child, adult = age is not None and age < 18, age is not None and age >= 18
    sex = person.sex.code if person.sex_id else None
    if group == Group.CHILDREN and adult:
        return _("beds for children, and the person is an adult")
    if group in (Group.WOMEN, Group.MEN) and child:
        return _("beds for adults, and the person is a child")
    if group == Group.WOMEN and sex in MALE:
        return _("beds for women, and the person is male")
    if group == Group.MEN and sex in FEMALE:
        return _("beds for men, and the person is female")
    return None


def fitting_groups(facility, person, day):
    """The bed groups of ``facility`` (with beds) that fit the person."""
    return [g for g in BED_GROUPS if facility.beds(g) and why_not(g, person, day) is None]


def refusals(facility, person, day):
    """[(group, reason)] for the groups with beds in ``facility`` that do not fit."""
    out = []
    for g in BED_GROUPS:
        if facility.beds(g):
            reason = why_not(g, person, day)
            if reason:
                out.append((Group(g), reason))
    return out


def not_offered(facilities, person, day):
    """Facilities with no bed that fits the person, each with why: "Dar Amane: beds for women,
    and the person is male"."""
    out = []
    for f in facilities:
        if not fitting_groups(f, person, day):
            reasons = [r for _g, r in refusals(f, person, day)]
            out.append((f, join_clauses(reasons) or _("no beds")))
    return out
