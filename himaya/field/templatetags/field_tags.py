"""Links to the field devices from the pages of the screening section, for those who may enrol
one (policies.enrol_org_ids: the one rule)."""

from django import template

from himaya.field import policies

register = template.Library()


@register.filter
def enrols_devices(user):
    return bool(policies.enrol_org_ids(user))
