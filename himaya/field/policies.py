"""Who may see, enrol and revoke field devices (DESIGN.md convention 3), on top of the shared
rules of ``himaya.core.access``: the devices' policy, registered from ``FieldConfig.ready``.

- A field device belongs to one user and one organisation where that user handles victims
  (screens). It is seen by its user and by the organisation admins of its organisation.
- A user enrols a device for themselves in an organisation where they handle victims; an
  organisation admin enrols one for a victim-handling member of their organisation.
- Whoever sees a device may revoke it.
- A device acts with its user's rights, and only while the user still handles victims in the
  device's organisation: a membership ended ends the device too.
"""

from django.db.models import Q

from himaya.core import access


def device_q(user, prefix=""):
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    return Q(**{f"{prefix}user_id": user.pk}) | Q(
        **{f"{prefix}organisation_id__in": access.manageable_org_ids(user)}
    )


@access.register("field.FieldDevice")
class FieldDevicePolicy(access.Policy):
    """Seen by its user and its organisation's admins; whoever sees it may revoke it."""

    def view(self, qs, user):
        return qs.filter(device_q(user))

    def change(self, qs, user):
        return self.view(qs, user)


def enrol_org_ids(user) -> set[int]:
    """Organisations in which the user may enrol a device (for themselves or for a member)."""
    return access.victim_org_ids(user) | access.manageable_org_ids(user)


def may_enrol_for(actor, owner, organisation) -> bool:
    if organisation.pk not in access.victim_org_ids(owner):
        return False
    if actor.pk == owner.pk:
        return True
    return organisation.pk in access.manageable_org_ids(actor)


def device_user_screens(device) -> bool:
    user = device.user
    access.forget(user)
    return user.is_active and device.organisation_id in access.victim_org_ids(user)
