"""The person named in other records' free text: a note on another victim's dossier, a hotline
call, a desk question. Every encrypted text of the database is read once (it cannot be searched
in SQL, by design: S17) and, where the person is named, the mention is replaced by ``[…]``:

- the full name: a given name and a family name of the person next to each other, in either
  order and either script, however spelt within the exact folding of the blind index;
- their phone numbers, document numbers and e-mail addresses.

A first name alone is left: "Fatima" in another person's record is more often another Fatima,
whose record it would damage. The cost grows with the text held (one decryption per value);
an erasure is rare, and this runs once per erasure.
"""

import re

from django.apps import apps

from himaya.core import crypto, names
from himaya.core.fields import EncryptedJSONField, encrypted_names

from .export import DOCUMENT, PHONE, REDACTED, WORD, _number_digests

# Identity fields that are someone's own name (a suspect with the same name is not this person),
# and the audit trail, which holds no text and refuses changes.
SKIPPED_APPS = {"audit"}
SKIPPED = {
    ("justice.suspect", n)
    for n in ("given_name_ar", "family_name_ar", "given_name_lat", "family_name_lat")
}
DIGIT = re.compile(r"\d")
SEPARATOR = re.compile(r"^[\s,.;:()\-/'\"]*$")


def _digests(text):
    out = set()
    for word in WORD.findall(text or ""):
        out |= {crypto.blind_digest(k) for k in names.exact_keys(word)}
    return out


def _fold(text):
    """Lower case, without accents, Arabic letters folded; plain ASCII text at no cost."""
    if text.isascii():
        return text.lower()
    return names.fold_latin(names.fold_arabic(text))


class Mentions:
    def __init__(self, person, documents=None):
        """``documents``: the person's document numbers (read from the person when None)."""
        if documents is None:
            documents = list(person.documents.values_list("number", flat=True))
        self.given = _digests(person.given_name_ar) | _digests(person.given_name_lat)
        self.family = _digests(person.family_name_ar) | _digests(person.family_name_lat)
        contacts = person.contacts or {}
        self.numbers = set()
        for number in [*(contacts.get("phones") or []), *documents]:
            self.numbers |= _number_digests(number)
        self.emails = [
            re.compile(re.escape(e), re.IGNORECASE) for e in contacts.get("emails") or [] if e
        ]
        # A cheap first look: a value is tokenised only if it holds a family name, folded as
        # the blind index folds it.
        self.hints = {
            _fold(h)
            for h in WORD.findall(" ".join([person.family_name_ar, person.family_name_lat]))
        }

    def searched(self, words) -> bool:
        """Whether a search's words look for the person: their family name, in any spelling the
        blind index folds together (a first name alone looks for many people)."""
        return bool(_digests(words) & self.family)

    def names_in(self, text) -> bool:
        return self.scrub(text) != text

    def scrub(self, text):
        out = text
        if "@" in out:
            for email in self.emails:
                out = email.sub(REDACTED, out)
        if self.numbers and DIGIT.search(out):
            sub = lambda m: REDACTED if _number_digests(m.group(0)) & self.numbers else m.group(0)  # noqa: E731
            out = DOCUMENT.sub(sub, PHONE.sub(sub, out))
        if self.given and self.family:
            folded = _fold(out)
            if any(h in folded for h in self.hints):
                out = self._names(out)
        return out

    def _names(self, text):
        words = list(WORD.finditer(text))
        kinds = []
        for m in words:
            d = {crypto.blind_digest(k) for k in names.exact_keys(m.group(0))}
            kinds.append(("g" if d & self.given else "") + ("f" if d & self.family else ""))
        spans, i = [], 0
        while i < len(words):
            j = i
            while (
                j + 1 < len(words)
                and kinds[j + 1]
                and kinds[j]
                and SEPARATOR.match(text[words[j].end() : words[j + 1].start()])
            ):
                j += 1
            run = "".join(kinds[i : j + 1])
            if j > i and "g" in run and "f" in run:
                spans.append((words[i].start(), words[j].end()))
            i = j + 1
        for start, end in reversed(spans):
            text = text[:start] + REDACTED + text[end:]
        return text


def _walk(value, fn):
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, dict):
        return {k: _walk(v, fn) for k, v in value.items()}
    if isinstance(value, list):
        return [_walk(v, fn) for v in value]
    return value


def scrub_mentions(mentions):
    """Replace the person's ``mentions`` in every encrypted text; returns {label: rows
    changed}."""
    changed = {}
    for model in apps.get_models():
        if model._meta.app_label in SKIPPED_APPS or model._meta.label_lower == "people.person":
            continue
        label = model._meta.label_lower
        fields = [name for name in encrypted_names(model) if (label, name) not in SKIPPED]
        if not fields:
            continue
        for pk, *values in model._default_manager.values_list("pk", *fields).iterator(2000):
            update = {}
            for name, value in zip(fields, values, strict=True):
                if value in (None, ""):
                    continue
                if isinstance(model._meta.get_field(name), EncryptedJSONField):
                    new = _walk(value, mentions.scrub)
                else:
                    new = mentions.scrub(value)
                if new != value:
                    update[name] = new
            if update:
                model._default_manager.filter(pk=pk).update(**update)
                changed[label] = changed.get(label, 0) + 1
    return changed
