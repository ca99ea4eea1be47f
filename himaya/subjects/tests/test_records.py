"""Every model that points at a person, a dossier, a hotline report or a screening is one that
subjects.records lists (exported, held, erased) or one the erasure deals with by name: a new
model holding a person's data cannot be forgotten by the export and the erasure."""

from django.apps import apps
from django.db import models

from himaya.subjects.records import person_records

TARGETS = {"people.person", "cases.dossier", "hotline.report", "screening.screening"}
# Dealt with by name in subjects/erasure.py (or holding no identity), with the reason.
HANDLED = {
    "people.person": "same_as: the links of the removed record are re-pointed",
    "people.personnamekey": "the blind index: forget_keys",
    "linkage.blockingkey": "the linkage keys: forget_keys",
    "linkage.candidatepair": "forget_linkage",
    "linkage.question": "forget_linkage",
    "linkage.notice": "forget_linkage",
    "linkage.entrycheck": "no identity; removed with the person",
    "hotline.reportshare": "no text; the report stays as a call received",
    "justice.investigation": "many-to-many through justice.dossierlink, which is listed",
    "subjects.subjectrequest": "the request itself: a record number, no identity",
}


def test_every_model_pointing_at_a_person_is_covered(db):
    listed = {m._meta.label_lower for m in person_records(None)}
    missing = []
    for model in apps.get_models():
        label = model._meta.label_lower
        for field in model._meta.get_fields():
            if not isinstance(field, (models.ForeignKey, models.ManyToManyField)):
                continue
            target = field.related_model._meta.label_lower
            if target in TARGETS and label not in listed and label not in HANDLED:
                missing.append(f"{label}.{field.name}")
    assert missing == []
