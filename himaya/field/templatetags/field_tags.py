"""Links to the field devices from the pages of the screening section, for those who may enrol
one (policy.enrol_org_ids: the one rule)."""

from django import template

from himaya.field import policy

register = template.Library()


@register.filter
def enrols_devices(user):
    return bool(policy.enrol_org_ids(user))
