"""The demo's plan and recommendations as data: the national action plan 2023–2030 (axes,
objectives, measures with their lead and partner agencies, budget lines, deadlines and
indicators), the prioritised recommendations of the 2024 Trafficking in Persons report on
Morocco (the seed article) in Arabic, French and English, and the names of the indicators
computed from the figures: plan.py and recommendations.py."""

from .plan import ADOPTED, AXES, PLAN_END, PLAN_START
from .recommendations import FIGURE_NAMES, RECOMMENDATIONS

__all__ = ["ADOPTED", "AXES", "FIGURE_NAMES", "PLAN_END", "PLAN_START", "RECOMMENDATIONS"]
