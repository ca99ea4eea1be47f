from django import template

from .. import policies

register = template.Library()


@register.simple_tag(takes_context=True)
def may_use_htcds(context):
    """Whether the user may open the HTCDS page (its link is shown to them)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and policies.may_use_htcds(user))
