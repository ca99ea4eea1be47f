"""Template helpers of the screening pages: the section's tabs and result labels."""

from django import template

from himaya.core import access

from ..models import Answer, Recommendation

register = template.Library()

BADGES = {"strong": "text-bg-danger", "possible": "text-bg-warning", "none": "text-bg-secondary"}


@register.simple_tag
def screening_nav(user):
    """Which tabs of the screening section the user has."""
    figure_orgs = access.screening_figure_org_ids(user)
    return {
        "screenings": access.handles_victims(user),
        "campaigns": bool(access.member_org_ids(user)) or access.is_national_analyst(user),
        "questionnaires": access.reads_questionnaires(user),
        "figures": figure_orgs is None or bool(figure_orgs),
    }


@register.filter
def recommendation_badge(value):
    return BADGES.get(value, "text-bg-light")


@register.filter
def recommendation_label(value):
    return Recommendation(value).label if value in Recommendation.values else ""


@register.filter
def answer_label(value):
    return Answer(value).label if value in Answer.values else ""
