"""What every figure shares: the scope a reader may count, the year's days, and the groups a
person is counted under (sex, child or adult by age at the event, national or foreign)."""

import datetime
from dataclasses import dataclass

from django.conf import settings

from himaya.people.models import age_on as people_age_on

CHILD_AGE = 18
SEXES = ("female", "male", "unknown")
AGE_GROUPS = ("child", "adult", "unknown")
CITIZENSHIP_GROUPS = ("national", "foreign", "unknown")


@dataclass
class Scope:
    """What a reader may count: ``dossiers`` (a queryset of the dossiers visible to them) for
    victim figures, ``orgs`` (organisation ids) for justice figures; None means everything."""

    dossiers: object = None
    orgs: object = None


def _dossiers(scope):
    return None if scope is None else scope.dossiers


def _orgs(scope):
    return None if scope is None else scope.orgs


def days(year):
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


# --- Ages and citizenship ----------------------------------------------------------------------


def age_on(person_row, day):
    """Age in whole years on ``day`` from a row of Person values (``people.models.age_on``,
    the rule of ``Person.age_on``)."""
    return people_age_on(
        day,
        birth_date=person_row["birth_date"],
        precision=person_row["birth_date_precision"],
        estimated_age=person_row["estimated_age"],
        estimated_on=person_row["estimated_on"],
        created_at=person_row["created_at"],
    )


def age_from(day, birth_date, precision, estimated_age, estimated_on, created_at):
    """``age_on`` from the values themselves, in that order (a row read as a tuple)."""
    return people_age_on(
        day,
        birth_date=birth_date,
        precision=precision,
        estimated_age=estimated_age,
        estimated_on=estimated_on,
        created_at=created_at,
    )


def age_group(age):
    if age is None:
        return "unknown"
    return "child" if age < CHILD_AGE else "adult"


def citizenship_group(countries, home=None):
    """National, foreign or unknown (``home``: the deployment's country, settings
    ``HIMAYA_COUNTRY``; a caller grouping many persons reads it once)."""
    if not countries:
        return "unknown"
    return "national" if (home or settings.HIMAYA_COUNTRY) in countries else "foreign"


def sex_group(code):
    return code if code in ("female", "male") else "unknown"
