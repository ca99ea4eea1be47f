"""DOMAIN.md §6, one function per figure: "referred in the year" (the referrals sent in a
period) is selected in two places only, ``referrals/figures.py`` (``sent_in``, which
``statistics.figures.persons_referred`` counts) and ``statistics/figures/protection.py`` (the
identified victims of the year referred up to the report's date). A third module selecting
referrals by the day they were sent, from a day on, is a second copy of the rule (the home
page's year so far once was)."""

import ast
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]  # the himaya package
HOMES = {ROOT / "referrals" / "figures.py", ROOT / "statistics" / "figures" / "protection.py"}
# A period starting on a day: a lower bound, a year, a range or a day of ``sent_at``. An upper
# bound alone (``sent_at__lt``: sent before a limit, the overdue referrals) is not a period.
SENT_FROM = re.compile(r"(^|__)sent_at__(gte|gt|year|iso_year|range|date)(__|$)")


def sent_from_filters(source) -> list[int]:
    """Line numbers where ``source`` passes a keyword lookup selecting referrals sent from a
    day on (``sent_at__gte=start``, ``sent_at__range=(a, b)``, ``sent_at__year=y``)."""
    return sorted(
        {
            node.lineno
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call)
            for kw in node.keywords
            if kw.arg and SENT_FROM.search(kw.arg)
        }
    )


def test_the_guard_finds_referrals_sent_in_a_period_and_spares_overdue_ones():
    copy = """
Referral.objects.filter(sent_at__range=(start, end)).aggregate(n=Count(who, distinct=True))
Dossier.objects.filter(referrals__sent_at__year=year)
qs.filter(sent_at__gte=start, sent_at__lt=end)
"""
    assert sent_from_filters(copy) == [2, 3, 4]
    overdue = "Q(urgent=False, sent_at__lt=normal) | Q(urgent=True, sent_at__lt=urgent)\n"
    assert sent_from_filters(overdue) == []
    assert sent_from_filters("Referral.objects.order_by('-sent_at')\n") == []


def test_no_module_but_the_figures_selects_referrals_sent_in_a_period():
    offenders, scanned = [], 0
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts or path in HOMES:
            continue
        scanned += 1
        for line in sent_from_filters(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(ROOT)}:{line}")
    assert scanned > 100
    assert offenders == []
    # The homes are found by the same scan: the guard sees the rule where it lives.
    for home in HOMES:
        assert sent_from_filters(home.read_text(encoding="utf-8")), home
