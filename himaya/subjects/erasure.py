"""Erasing a person (docs/subject-rights.md): the identity always goes; the records go too,
unless a legal hold applies (holds.py), in which case they stay de-identified so that the
counts they make do not move.

Always: the names, contacts and identity documents; the blind index and the linkage keys (and
a name's count once no record holds it); the linkage desk's pairs, questions and notices about
the person; every free text of the person's records (notes are removed, other texts emptied:
free text can name the person, their family or a place in too many ways to scrub word by word);
the free text of the hotline reports that led to their dossiers, which stay as calls received;
their full name, phones, document numbers and e-mail addresses wherever another record's free
text mentions them (mentions.py); the uploads waiting to be imported that name them, and the
encrypted exports about them not yet downloaded, the searches for their family name kept in
sessions (files.py).

Under a hold: the person row keeps sex, citizenships, languages and an age (the exact birth
date becomes the age estimated on the day the figures age them: their first identification),
the dossiers keep forms, stages, decisions, referrals and services; the proceedings keep the
person's participation. Without a hold, the person and every record of theirs are deleted.

The audit trail stays as it is: it holds record numbers, never names, and cannot be changed.
"""

from django.db.models import Min, Q
from django.utils import timezone

from himaya.cases.models import POSITIVE_STATUSES, Dossier, DossierNote, IdentificationDecision
from himaya.core import hooks
from himaya.core.fields import EncryptedJSONField, EncryptedTextField
from himaya.exchange.models import ImportedRecord
from himaya.field.models import FieldSubmission
from himaya.hotline.models import Report, ReportAddition
from himaya.justice.models import DossierLink, Participation
from himaya.linkage.models import CandidatePair, EntryCheck, NameFrequency, Notice, Question
from himaya.people.models import BirthDatePrecision, IdentityDocument, Person, PersonNameKey
from himaya.screening.models import Screening

from . import files, mentions
from .records import person_records

# Encrypted JSON kept under a hold: structured results the figures read (never free text).
KEPT_JSON = {("screening.screening", "result")}


def _free_text(model):
    text = [f.name for f in model._meta.concrete_fields if type(f) is EncryptedTextField]
    json_fields = [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, EncryptedJSONField) and (model._meta.label_lower, f.name) not in KEPT_JSON
    ]
    return text, json_fields


def empty_free_text(records):
    """Empty every encrypted free text of the records; returns {label: rows changed}."""
    changed = {}
    for model, qs in records.items():
        text, json_fields = _free_text(model)
        values = {name: "" for name in text}
        values.update(
            {name: None if model._meta.get_field(name).null else {} for name in json_fields}
        )
        if values:
            n = model.objects.filter(pk__in=qs.values("pk")).update(**values)
            if n:
                changed[model._meta.label_lower] = n
    return changed


def age_reference_day(person, dossiers):
    """The day the figures age the person: their first positive identification decision,
    else their first dossier, else the day they were recorded."""
    first = IdentificationDecision.objects.filter(
        dossier__in=dossiers, status__code__in=POSITIVE_STATUSES
    ).aggregate(d=Min("decided_on"))["d"]
    first = first or dossiers.aggregate(d=Min("opened_on"))["d"]
    return first or timezone.localdate(person.created_at)


def strip_identity(person, dossiers):
    """Names, contacts and documents gone, the birth date turned into an estimated age."""
    day = age_reference_day(person, dossiers)
    age = person.age_on(day)
    fields = {
        "given_name_ar": "",
        "family_name_ar": "",
        "given_name_lat": "",
        "family_name_lat": "",
        "contacts": None,
        "birth_date": None,
        "birth_date_precision": BirthDatePrecision.ESTIMATED
        if age is not None
        else BirthDatePrecision.UNKNOWN,
        "estimated_age": age,
        "estimated_on": day if age is not None else None,
        "updated_at": timezone.now(),
    }
    for name, value in fields.items():
        setattr(person, name, value)
    person.version += 1
    person.save(update_fields=[*fields, "version"])
    IdentityDocument.objects.filter(person=person).delete()
    forget_keys(person)


def forget_keys(person):
    """The blind index and the linkage keys of a person without names (none), and the count
    of each name they held, dropped once no record holds it."""
    hooks.call("index_person", person)  # recomputed from the stripped record: names gone
    PersonNameKey.objects.filter(person=person).delete()
    person.blocking_keys.all().delete()
    NameFrequency.objects.filter(records__lte=0).delete()


def forget_linkage(person):
    pairs = CandidatePair.objects.filter(Q(left_person=person) | Q(right_person=person))
    removed = pairs.count()
    pairs.delete()  # with their questions, desk requests and notices
    Question.objects.filter(person=person).delete()
    Notice.objects.filter(person=person).delete()
    return removed


def remove_everything(person, records):
    """No hold: every record of the person deleted, then the person."""
    dossiers = records[Dossier]
    counts = {}

    def delete(label, qs):
        n = qs.count()
        qs.delete()
        if n:
            counts[label] = counts.get(label, 0) + n

    # The hotline keeps the call (emptied above), no longer tied to a dossier.
    Report.objects.filter(dossier__in=dossiers).update(dossier=None)
    screenings = Screening.objects.filter(pk__in=records[Screening].values("pk"))
    Screening.objects.filter(corrects__in=screenings).update(corrects=None)
    ids = {
        "screening.screening": list(screenings.values_list("pk", flat=True)),
        "cases.dossier": list(dossiers.values_list("pk", flat=True)),
        "people.person": [person.pk],
    }
    # a field submission protects its screening; a resubmission protects the one it replaced
    submissions = FieldSubmission.objects.filter(screening__in=screenings)
    submissions.update(replaces=None)
    delete("field.fieldsubmission", submissions)
    delete("screening.screening", screenings)
    delete("justice.participation", Participation.objects.filter(dossier__in=dossiers))
    delete("justice.dossierlink", DossierLink.objects.filter(dossier__in=dossiers))
    for model, qs in records.items():
        if model not in (
            Dossier,
            Screening,
            FieldSubmission,
            Report,
            ReportAddition,
            Participation,
            DossierLink,
        ):
            delete(model._meta.label_lower, model.objects.filter(pk__in=qs.values("pk")))
    delete("cases.dossier", Dossier.objects.filter(pk__in=ids["cases.dossier"]))
    # Records linked to this one as the same person stay linked to each other.
    duplicates = list(Person.objects.filter(same_as=person).order_by("pk"))
    if duplicates:
        Person.objects.filter(pk=duplicates[0].pk).update(same_as=None)
        Person.objects.filter(pk__in=[d.pk for d in duplicates[1:]]).update(same_as=duplicates[0])
    EntryCheck.objects.filter(person=person).delete()
    for label, pks in ids.items():
        ImportedRecord.objects.filter(model=label, object_id__in=pks).delete()
    delete("people.person", Person.objects.filter(pk=person.pk))
    return counts


def erase(person, *, hold):
    """Erase ``person`` (locked by the caller); returns {label: records removed or emptied}."""
    records = person_records(person)
    dossiers = records[Dossier]
    counts = {}
    notes = DossierNote.objects.filter(dossier__in=dossiers)
    if hold:
        counts["cases.dossiernote"] = notes.count()
        notes.delete()
    emptied = empty_free_text(records)
    mentioned = mentions.scrub_mentions(named := mentions.Mentions(person))
    counts["exchange.importrun (uploads)"], counts["exchange.importrun (file names)"] = (
        files.forget_uploads(named)
    )
    counts["sessions.session (searches)"] = files.forget_searches(named)
    dossier_ids = list(dossiers.values_list("pk", flat=True))
    counts["exchange.extract"] = files.purge_extracts(dossier_ids)  # first: see its docstring
    counts["secure_exports.secureexport"] = files.purge_exports(person, dossier_ids)
    counts["linkage.candidatepair"] = forget_linkage(person)
    counts["people.identitydocument"] = records[IdentityDocument].count()
    strip_identity(person, dossiers)
    counts.update({f"{label} (mentions)": n for label, n in mentioned.items()})
    if hold:
        counts.update({f"{label} (emptied)": n for label, n in emptied.items()})
    else:
        counts.update(remove_everything(person, person_records(person)))
    return {k: v for k, v in counts.items() if v}
