"""The access export: everything the requester's organisation may see about one person, as
JSON, with nothing about anyone else. It leaves Himaya as an encrypted archive with a
one-time password (himaya.secure_exports, S18).

Each record is read through its model's ``visible_to`` (the rules of core.access), and only
on the dossiers the requester sees with the identity. Fields that describe someone else (the
caller of a hotline report, the suspects it names, a guardian) are left out, as are staff
accounts (an organisation answers, not a colleague). Free text stays, since it is the person's
story, but any word that is another person's name (a name token of the blind index held by
another person, or a name of a suspect of the person's proceedings) or another person's phone
or document number (the linkage keys) is replaced by ``[…]``."""

import datetime
import decimal
import json
import re

from django.db.models import Q
from django.utils import timezone

from himaya.accounts.models import Organisation
from himaya.cases.models import Dossier
from himaya.core import crypto, names
from himaya.core.models import Code
from himaya.justice.models import Suspect
from himaya.linkage.models import BlockingKey
from himaya.linkage.records import document_digest, phone_digest
from himaya.people.models import Person, PersonNameKey

from .records import person_records

REDACTED = "[…]"
# Per model: fields never exported (they describe another person, or are internal).
LEFT_OUT = {
    "hotline.report": {"reporter_contact", "suspects", "receipt_digest"},
    "referrals.referral": {"guardian"},
}
INTERNAL = {"version", "digest", "token", "key", "receipt_digest", "same_as"}
WORD = re.compile(r"[^\W_]+")
PHONE = re.compile(r"\+?\d[\d\s().-]{5,}\d")
DOCUMENT = re.compile(r"\b[A-Za-z]{0,3}\d[\dA-Za-z]{4,}\b")


def _number_digests(value):
    """The linkage keys a phone or document number would have (features.block_keys)."""
    out = set()
    if digest := phone_digest(value):
        out.add(crypto.blind_digest("ph:" + digest))
    if digest := document_digest(value):
        out.add(crypto.blind_digest("dc:" + digest))
    return out


def _word_digests(word):
    return {crypto.blind_digest(k) for k in names.exact_keys(word)}


class Redactor:
    """Replaces, in the strings given to ``prepare`` then ``apply``, every word that names
    another person (one query for all the words) and every phone or document number of
    another person."""

    def __init__(self, person, dossiers):
        self.person = person
        self.own = {crypto.blind_digest(k) for k in person.name_index_keys() if k[:2] == "x:"}
        self.suspect_names = set()
        suspects = Suspect.objects.filter(
            Q(links__investigation__dossier_links__dossier__in=dossiers)
            | Q(prosecutions__participations__dossier__in=dossiers)
        ).distinct()
        for s in suspects:
            for part in (s.given_name_ar, s.family_name_ar, s.given_name_lat, s.family_name_lat):
                for word in WORD.findall(part or ""):
                    self.suspect_names |= _word_digests(word)
        self.foreign = set()

    def prepare(self, texts):
        words, numbers = set(), set()
        for text in texts:
            words.update(WORD.findall(text))
            numbers.update(m.group(0) for m in PHONE.finditer(text))
            numbers.update(m.group(0) for m in DOCUMENT.finditer(text))
        digests = set()
        for word in words:
            digests |= _word_digests(word)
        others = set(
            PersonNameKey.objects.filter(digest__in=digests)
            .exclude(person=self.person)
            .values_list("digest", flat=True)
        )
        self.foreign = (others | (self.suspect_names & digests)) - self.own
        number_digests = set()
        for n in numbers:
            number_digests |= _number_digests(n)
        self.foreign_numbers = set(
            BlockingKey.objects.filter(
                digest__in=number_digests,
                kind__in=[BlockingKey.Kind.PHONE, BlockingKey.Kind.DOCUMENT],
            )
            .exclude(person=self.person)
            .values_list("digest", flat=True)
        )

    def apply(self, text):
        def number(match):
            value = match.group(0)
            return REDACTED if _number_digests(value) & self.foreign_numbers else value

        def word(match):
            return REDACTED if _word_digests(match.group(0)) & self.foreign else match.group(0)

        text = PHONE.sub(number, text)
        text = DOCUMENT.sub(number, text)
        return WORD.sub(word, text)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _map_strings(value, fn):
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, dict):
        return {k: _map_strings(v, fn) for k, v in value.items()}
    if isinstance(value, list):
        return [_map_strings(v, fn) for v in value]
    return value


def _plain(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def dump(obj, person):
    """One record as a dict of its fields: codes and organisations by their label, a dossier
    by its reference; relations to accounts and to other records left out."""
    left_out = INTERNAL | LEFT_OUT.get(obj._meta.label_lower, set())
    out = {"record": obj.pk}
    for field in obj._meta.concrete_fields:
        if field.primary_key or field.name in left_out:
            continue
        if field.is_relation:
            target = field.related_model
            if target in (Code, Organisation):
                related = getattr(obj, field.name)
                out[field.name] = related.label if isinstance(related, Code) else str(related)
                if related is None:
                    out[field.name] = None
            elif target is Dossier:
                dossier = getattr(obj, field.name)
                out[field.name] = dossier.reference if dossier else None
            continue
        if field.choices:
            out[field.name] = getattr(obj, f"get_{field.name}_display")()
        else:
            out[field.name] = _plain(getattr(obj, field.attname))
    for field in obj._meta.many_to_many:
        if field.related_model is Code:
            out[field.name] = [c.label for c in getattr(obj, field.name).all()]
    return out


def collect(person, user):
    """{section: [records]} of what ``user``'s organisation may see about ``person``."""
    records = person_records(person)
    dossiers = Dossier.objects.visible_to(user).with_identity_for(user).filter(person=person)
    seen = Person.objects.visible_to(user).filter(pk=person.pk).exists()
    data = {"person": [dump(person, person)] if seen else []}
    for model, qs in records.items():
        if not hasattr(model.objects, "visible_to"):
            continue  # fail closed: a record without a visibility rule is not exported
        rows = model.objects.visible_to(user).filter(pk__in=qs.values("pk"))
        if model is Dossier:
            rows = dossiers
        elif any(f.name == "dossier" for f in model._meta.concrete_fields):
            through_dossier = Q(dossier__in=dossiers)
            if any(f.name == "person" for f in model._meta.concrete_fields):
                through_dossier |= Q(person=person, dossier__isnull=True)
            rows = rows.filter(through_dossier)
        elif model._meta.label_lower == "hotline.reportaddition":
            rows = rows.filter(report__dossier__in=dossiers)
        data[model._meta.label_lower] = [dump(r, person) for r in rows.order_by("pk")]
    redactor = Redactor(person, Dossier.objects.filter(person=person))
    redactor.prepare(list(_strings(data)))
    return _map_strings(data, redactor.apply)


def build_document(person, user, *, reference):
    """(JSON bytes, {section: records}) of the export."""
    data = collect(person, user)
    document = {
        "reference": reference,
        "produced_at": timezone.now().isoformat(),
        "records": data,
    }
    body = json.dumps(document, ensure_ascii=False, indent=2, default=str).encode("utf-8")
    return body, {k: len(v) for k, v in data.items() if v}
