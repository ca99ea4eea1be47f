"""Every write about a person: one function each, atomic, audited (DESIGN.md convention 1)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.audit import log
from himaya.core import access, crypto, hooks
from himaya.core.actions import ensure_visible, link_records, save_versioned, unlink_record

from .models import Consent, IdentityDocument, Person, PersonNameKey

SCALAR_FIELDS = [
    "given_name_ar",
    "family_name_ar",
    "given_name_lat",
    "family_name_lat",
    "sex",
    "birth_date",
    "birth_date_precision",
    "estimated_age",
    "estimated_on",
    "contacts",
]


# What the blind index and the linkage keys are made of: every scalar field and citizenships.
LINKAGE_FIELDS = {*SCALAR_FIELDS, "citizenships"}

NAME_FIELDS = ("given_name_ar", "family_name_ar", "given_name_lat", "family_name_lat")


def _reindex(person, *, new=False, citizenships=None):
    """The blind index of the names, and the linkage keys (names, birth year, phones,
    documents) when the linkage app is installed. ``new``: created in this transaction, so
    there is no key to read or remove (a person's creation is one of the flows a user waits
    on: issue 15, item 23)."""
    hooks.call("index_person", person, new=new, citizenships=citizenships)
    digests = {crypto.blind_digest(k) for k in person.name_index_keys()}
    existing = set()
    if not new:
        PersonNameKey.objects.filter(person=person).exclude(digest__in=digests).delete()
        existing = set(PersonNameKey.objects.filter(person=person).values_list("digest", flat=True))
    PersonNameKey.objects.bulk_create(
        [PersonNameKey(person=person, digest=d) for d in sorted(digests - existing)]
    )


def _check_org(user, organisation):
    if organisation.pk not in access.victim_org_ids(user):
        raise PermissionDenied(_("You cannot record persons for this organisation."))


def check_may_record_persons(user, organisation):
    """Who records persons for an organisation: a victim-handling member of it."""
    _check_org(user, organisation)


@transaction.atomic
def create_person(*, acting_user, organisation, citizenships=(), languages=(), **fields):
    check_may_record_persons(acting_user, organisation)
    person = do_create_person(
        acting_user=acting_user,
        organisation=organisation,
        citizenships=citizenships,
        languages=languages,
        **fields,
    )
    ensure_visible(Person.objects, person, acting_user)
    return person


@transaction.atomic
def do_create_person(*, acting_user, organisation, citizenships=(), languages=(), **fields):
    """The person record itself, for a writer the caller has authorised (the page:
    ``check_may_record_persons``; an import: the import's own check). A birth date in the
    future is refused here, for a row as for a form."""
    if not any(fields.get(f) for f in NAME_FIELDS):
        raise ValidationError(_("Give at least one name, in Arabic or Latin script."))
    for name in ("birth_date", "estimated_on"):
        day = fields.get(name)
        if day is not None and day > timezone.localdate():
            raise ValidationError({name: _("This date is in the future.")})
    person = Person(
        registered_by=organisation, **{k: v for k, v in fields.items() if k in SCALAR_FIELDS}
    )
    person.full_clean(exclude=["registered_by", "citizenships", "languages"])
    person.save()
    # A new person has none yet: added, without reading the none there are (``set`` would).
    if citizenships:
        person.citizenships.add(*citizenships)
    if languages:
        person.languages.add(*languages)
    given = list(citizenships)
    # Their codes when given as codes (pages, API, imports), read back when given as ids.
    _reindex(
        person, new=True, citizenships=given if all(hasattr(c, "code") for c in given) else None
    )
    log.write(
        acting_user,
        "create_person",
        person,
        [f for f in SCALAR_FIELDS if fields.get(f)]
        + (["citizenships"] if citizenships else [])
        + (["languages"] if languages else []),
        organisation_id=organisation.pk,
    )
    return person


@transaction.atomic
def update_person(
    person, *, acting_user, expected_version, citizenships=None, languages=None, **fields
):
    if not Person.objects.writable_by(acting_user).filter(pk=person.pk).exists():
        raise PermissionDenied
    changed = [f for f in SCALAR_FIELDS if f in fields and getattr(person, f) != fields[f]]
    for f in changed:
        setattr(person, f, fields[f])
    if not any(getattr(person, f) for f in NAME_FIELDS):
        raise ValidationError(_("Give at least one name, in Arabic or Latin script."))
    person.full_clean(exclude=["registered_by", "citizenships", "languages"])
    save_versioned(person, changed, expected_version)
    if citizenships is not None and set(person.citizenships.all()) != set(citizenships):
        person.citizenships.set(citizenships)
        changed.append("citizenships")
    if languages is not None and set(person.languages.all()) != set(languages):
        person.languages.set(languages)
        changed.append("languages")
    if any(f in LINKAGE_FIELDS for f in changed):
        _reindex(person)
    log.write(acting_user, "update_person", person, changed)
    return person, changed


@transaction.atomic
def add_document(
    person, *, acting_user, type, number, issuing_country=None, expires_on=None, held_by_person=True
):
    if not Person.objects.writable_by(acting_user).filter(pk=person.pk).exists():
        raise PermissionDenied
    doc = IdentityDocument(
        person=person,
        type=type,
        number=number,
        issuing_country=issuing_country,
        expires_on=expires_on,
        held_by_person=held_by_person,
    )
    doc.full_clean()
    doc.save()
    hooks.call("index_person", person)
    log.write(
        acting_user,
        "add_identity_document",
        doc,
        ["type", "number", "issuing_country", "expires_on", "held_by_person"],
    )
    return doc


def check_may_record_consent(user, person, organisation):
    """Who records a person's consent: a victim-handling member of the organisation, who sees
    the person."""
    if not Person.objects.visible_to(user).filter(pk=person.pk).exists():
        raise PermissionDenied
    _check_org(user, organisation)


@transaction.atomic
def record_consent(
    person, *, acting_user, organisation, purpose, given_on, given_by, informed_in=None
):
    check_may_record_consent(acting_user, person, organisation)
    return do_record_consent(
        person,
        acting_user=acting_user,
        organisation=organisation,
        purpose=purpose,
        given_on=given_on,
        given_by=given_by,
        informed_in=informed_in,
    )


@transaction.atomic
def do_record_consent(
    person, *, acting_user, organisation, purpose, given_on, given_by, informed_in=None
):
    """The consent itself, dated the day it was given, for a writer the caller authorised."""
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": _("A consent cannot be dated in the future.")})
    consent = Consent(
        person=person,
        purpose=purpose,
        given_on=given_on,
        given_by=given_by,
        informed_in=informed_in,
        recorded_by=acting_user,
        organisation=organisation,
    )
    consent.full_clean()
    consent.save()
    log.write(
        acting_user,
        "record_consent",
        consent,
        ["purpose", "given_on", "given_by"],
        organisation_id=organisation.pk,
    )
    return consent


@transaction.atomic
def withdraw_consent(consent, *, acting_user, withdrawn_on=None):
    if not Consent.objects.visible_to(acting_user).filter(pk=consent.pk).exists():
        raise PermissionDenied
    if not access.can_withdraw_consent(acting_user, consent):
        raise PermissionDenied
    day = withdrawn_on or timezone.localdate()
    if consent.withdrawn_on is not None:
        raise ValidationError(_("This consent was already withdrawn."))
    if day < consent.given_on:
        raise ValidationError(
            {"withdrawn_on": _("A consent cannot be withdrawn before it was given.")}
        )
    consent.withdrawn_on = day
    consent.save(update_fields=["withdrawn_on"])
    log.write(acting_user, "withdraw_consent", consent, ["withdrawn_on"])
    return consent


def reindex_all():
    """Rebuild the blind index (after changing HIMAYA_BLIND_INDEX_KEY or the normaliser)."""
    count = 0
    for person in Person.objects.iterator(chunk_size=500):
        with transaction.atomic():
            PersonNameKey.objects.filter(person=person).delete()
            _reindex(person)
        count += 1
    return count


@transaction.atomic
def link_same_person(duplicate, person, *, acting_user):
    """Record that ``duplicate`` is another record of ``person`` (see core.actions.link_records):
    the user must be able to write every record involved."""
    target = person.same_as or person
    involved = {duplicate.pk, person.pk, target.pk}
    if Person.objects.writable_by(acting_user).filter(pk__in=involved).count() != len(involved):
        raise PermissionDenied(_("You cannot link these records."))
    link_records(duplicate, person)
    log.write(acting_user, "link_same_person", duplicate, ["same_as"])
    return duplicate


@transaction.atomic
def unlink_same_person(duplicate, *, acting_user):
    """Undo ``link_same_person``: the record counts as a person of its own again."""
    if not Person.objects.writable_by(acting_user).filter(pk=duplicate.pk).exists():
        raise PermissionDenied(_("You cannot link these records."))
    unlink_record(duplicate)
    log.write(acting_user, "unlink_same_person", duplicate, ["same_as"])
    return duplicate
