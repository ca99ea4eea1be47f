"""The dossier page's print actions: the PDF link, the Print button, the print stylesheet and
the "printed by" line that only paper shows. One tag, so that the page's template needs one
line for all of it."""

from django import template

from himaya.core import access

from .. import printing

register = template.Library()


@register.inclusion_tag("cases/_print_actions.html", takes_context=True)
def print_actions(context):
    dossier = context["dossier"]
    user = context["request"].user
    if not access.handles_victims(user):  # analysts print no dossier (views/printouts.py)
        return {"dossier": dossier, "printable": False}
    return {
        "dossier": dossier,
        "printable": True,
        "printed_by": printing.printed_by(user, dossier, printing.now(), html=True),
    }
