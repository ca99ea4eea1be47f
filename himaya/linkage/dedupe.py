"""Batch de-duplication of the whole register (P4): every person record, decrypted in memory,
through Splink on DuckDB (batch.py); the pairs from the review threshold go to the linkage
desk; nothing is linked by itself unless an administrator set an auto-link threshold
(``HIMAYA_LINKAGE_AUTOLINK_PERCENT``). A run can first re-estimate the Fellegi–Sunter parameters
on the register (``train``: training.retrain), which the entry-time candidates use from then on.

Runs are queued from the desk (``linkage.tasks.start``) or started by ``himaya dedupe`` (for a
schedule: cron or a systemd timer)."""

import dataclasses
import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from himaya.audit import log
from himaya.core.actions import link_records
from himaya.notifications.actions import job_done

from . import batch, scoring, training
from .candidates import propose
from .models import BatchRun, BlockingKey, CandidatePair, LinkageModel, PairSource, PairStatus
from .records import person_record

logger = logging.getLogger(__name__)
CHUNK = 2000


def person_records():
    """(pk, Record) of every person record not already linked to another, names decrypted
    chunk by chunk, phones and documents as their stored key digests."""
    from himaya.people.models import Person

    qs = (
        Person.objects.filter(same_as__isnull=True)
        .defer("contacts")
        .select_related("sex")
        .prefetch_related("citizenships")
        .order_by("pk")
    )
    last = 0
    while True:
        chunk = list(qs.filter(pk__gt=last)[:CHUNK])
        if not chunk:
            return
        strong = {}
        for pk, kind, digest in BlockingKey.objects.filter(
            person_id__in=[p.pk for p in chunk],
            kind__in=[BlockingKey.Kind.PHONE, BlockingKey.Kind.DOCUMENT],
        ).values_list("person_id", "kind", "digest"):
            strong.setdefault(pk, {"phone": set(), "document": set()})[kind].add(digest)
        for person in chunk:
            record = person_record(
                person,
                documents=[],
                phones=[],
                citizenships=[c.code for c in person.citizenships.all()],
            )
            got = strong.get(person.pk, {"phone": set(), "document": set()})
            yield (
                person.pk,
                dataclasses.replace(
                    record, phones=frozenset(got["phone"]), documents=frozenset(got["document"])
                ),
            )
        last = chunk[-1].pk


def _update(run, **fields):
    BatchRun.objects.filter(pk=run.pk).update(**fields)


def execute(run_id):
    """Run a queued batch, recording its progress and its counts; a failure is recorded on the
    run (and logged) before it is raised again."""
    run = BatchRun.objects.get(pk=run_id)
    if run.status == BatchRun.Status.DONE:
        return run
    _update(run, status=BatchRun.Status.RUNNING, progress=0, error="")

    def progress(step, fraction):
        _update(run, step=step[:100], progress=min(99, int(fraction * 100)))

    try:
        records = list(person_records())
        _update(run, records=len(records))
        params = scoring.current_parameters()
        if run.train and len(records) >= 1000:
            progress("estimating the parameters", 0.0)
            linked = CandidatePair.objects.filter(
                subject="person", status=PairStatus.LINKED
            ).values_list("left_person_id", "right_person_id")
            params = training.retrain(records, list(linked), scoring.shipped_parameters())
            LinkageModel.objects.create(parameters=params, records=len(records))
        review = settings.HIMAYA_LINKAGE_REVIEW_PERCENT / 100
        pairs = batch.find_pairs(records, params, threshold=review, progress=progress)
        proposed, linked = _apply(run, pairs, params)
    except Exception as exc:
        # The class only: a message of the engine may quote a record it was comparing, and
        # decrypted names must reach neither the log nor the run (QUALITY.md S16).
        logger.error("linkage batch %s failed: %s", run.pk, type(exc).__name__)
        _update(
            run,
            status=BatchRun.Status.FAILED,
            error=type(exc).__name__,
            finished_at=timezone.now(),
        )
        _tell(run, ok=False)
        # nor the task's stored result, which keeps the exception it ends with
        raise RuntimeError(f"linkage batch {run.pk} failed: {type(exc).__name__}") from None
    _update(
        run,
        status=BatchRun.Status.DONE,
        progress=100,
        step="",
        pairs_proposed=proposed,
        pairs_linked=linked,
        finished_at=timezone.now(),
    )
    run.refresh_from_db()
    _tell(run, ok=True)
    return run


def _tell(run, *, ok):
    job_done(
        run.started_by,
        what=gettext_lazy("The de-duplication"),
        reference=f"#{run.pk}",
        url=reverse("linkage:desk"),
        ok=ok,
    )


def _apply(run, pairs, params):
    from himaya.people.models import Person

    autolink = settings.HIMAYA_LINKAGE_AUTOLINK_PERCENT / 100
    proposed = linked = 0
    for left, right, probability, weight, levels in pairs:
        result = scoring.Score(levels, weight, probability, {})
        with transaction.atomic():
            pair, created = propose("person", left, right, result, source=PairSource.BATCH)
            proposed += created
            if autolink and probability >= autolink and pair.status == PairStatus.OPEN:
                dup = Person.objects.get(pk=pair.right_person_id)
                target = Person.objects.get(pk=pair.left_person_id)
                link_records(dup, target)
                CandidatePair.objects.filter(pk=pair.pk).update(
                    status=PairStatus.LINKED, decided_at=timezone.now()
                )
                log.write(None, "linkage_autolink", pair, ["status", "same_as"])
                linked += 1
    return proposed, linked
