"""The consent rule of a referral (S7): the consents it needs, and those given with it."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from himaya.people import actions as people_actions
from himaya.people.models import Consent, ConsentGivenBy, ConsentPurpose

from .common import today

REFERRAL_CONSENT_PURPOSES = (ConsentPurpose.SERVICES, ConsentPurpose.SHARING)


def current_consents(person, day=None):
    """The person's current consents for the purposes a referral needs, by purpose."""
    found = {}
    for c in Consent.objects.current(day).filter(
        person=person, purpose__in=REFERRAL_CONSENT_PURPOSES
    ):
        found.setdefault(c.purpose, c)
    return found


def consent_status(dossier, day=None):
    """(is_child, consents by purpose, missing purposes) for a referral of this dossier."""
    day = day or today()
    person = dossier.person
    child = person.is_child_on(day)
    consents = current_consents(person, day)
    missing = [p for p in REFERRAL_CONSENT_PURPOSES if p not in consents]
    return child, consents, missing


CONSENT_FIELD = {"given_by": "consent_given_by", "given_on": "consent_given_on"}


def record_consents(dossier, acting_user, consent, day=None):
    """The missing referral consents on ``day`` (the referral's), given with the referral,
    recorded for the dossier's owner by the referring writer (whom the referral's own check
    authorised)."""
    person = dossier.person
    if person.is_child_on(consent["given_on"]) and consent["given_by"] == ConsentGivenBy.PERSON:
        raise ValidationError(
            {
                "consent_given_by": _(
                    "A child's consent is given by a legal guardian or a legal representative."
                )
            }
        )
    for purpose in consent_status(dossier, day)[2]:
        try:
            people_actions.do_record_consent(
                person,
                acting_user=acting_user,
                organisation=dossier.owner_org,
                purpose=purpose,
                given_on=consent["given_on"],
                given_by=consent["given_by"],
                informed_in=consent.get("informed_in"),
            )
        except ValidationError as exc:  # named after the referral form's fields
            found = getattr(exc, "error_dict", {NON_FIELD_ERRORS: exc.error_list})
            raise ValidationError(
                {CONSENT_FIELD.get(field, field): errors for field, errors in found.items()}
            ) from None
