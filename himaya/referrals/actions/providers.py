"""Describing an organisation's offer: its provider profile and its facilities (beds)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from himaya.audit import log
from himaya.core import access
from himaya.core.actions import save_versioned

from ..models import BED_GROUPS, Facility, Provider, Service
from .common import denied, org_then


def _manages(user, organisation):
    if organisation.pk not in access.provider_admin_org_ids(user):
        raise denied(
            _("Describing an organisation's services and facilities"),
            access.PROVIDER_ADMIN_ROLES,
            user=user,
            then=org_then(organisation),
        )


@transaction.atomic
def save_provider(
    organisation,
    *,
    acting_user,
    services,
    groups,
    regions,
    languages,
    contact,
    accepts,
    expected_version,
):
    _manages(acting_user, organisation)
    bad = [s for s in services if s not in Service.values]
    if bad:
        raise ValidationError({"services": _("Unknown service.")})
    provider = Provider.objects.filter(organisation=organisation).first()
    saved = ["services", "groups", "contact", "accepts_referrals"]
    if provider is None:
        provider = Provider.objects.create(
            organisation=organisation,
            services=list(services),
            groups=list(groups),
            contact=contact.strip(),
            accepts_referrals=accepts,
        )
    else:
        provider.services = list(services)
        provider.groups = list(groups)
        provider.contact = contact.strip()
        provider.accepts_referrals = accepts
        saved = save_versioned(provider, saved, expected_version)
    provider.regions.set(regions)
    provider.languages.set(languages)
    log.write(acting_user, "save_provider", provider, [*saved, "regions", "languages"])
    return provider


def _check_facility(fields):
    if not any(fields.get(f"beds_{g}", 0) for g in BED_GROUPS):
        raise ValidationError(_("Give the number of beds for at least one group."))


@transaction.atomic
def create_facility(organisation, *, acting_user, **fields):
    _manages(acting_user, organisation)
    _check_facility(fields)
    facility = Facility(organisation=organisation, **fields)
    facility.full_clean(exclude=["organisation"])
    facility.save()
    log.write(acting_user, "create_facility", facility, list(fields))
    return facility


@transaction.atomic
def update_facility(facility, *, acting_user, expected_version, **fields):
    _manages(acting_user, facility.organisation)
    _check_facility(fields)
    for k, v in fields.items():
        setattr(facility, k, v)
    facility.full_clean(exclude=["organisation"])
    log.write(
        acting_user, "update_facility", facility, save_versioned(facility, fields, expected_version)
    )
    return facility
