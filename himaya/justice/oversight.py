"""Lists across proceedings: the stalled ones a user sees, and the commission's oversight of
those involving a public official or a person with immunity (no name, no identity)."""

from dataclasses import dataclass, field

from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from himaya.core.collation import sort_key

from .models import Investigation, Prosecution, Suspect


def stalled_for(user, today=None):
    """The stalled proceedings the user sees: investigations and prosecutions, with ages."""
    inv = Investigation.objects.visible_to(user).select_related("investigating_org")
    pros = Prosecution.objects.visible_to(user).select_related("office", "investigation")
    rows = inv.stalled(today) + pros.stalled(today)
    return sorted(rows, key=lambda r: -r.idle_days)


def oversight_rows(today=None):
    """Investigations and prosecutions involving a public official or a person with immunity:
    status, the body an official belongs to, flags, and how long open. No name, no identity."""
    today = today or timezone.localdate()
    flags = _flagged_suspects()
    rows = _investigation_rows(flags, today) + _prosecution_rows(flags, today)
    return sorted(rows, key=lambda r: -r["days"])


@dataclass
class _Person:
    """What the oversight shows of a flagged person: the flags and bodies of all its records."""

    key: int
    public_official: bool = False
    diplomatic_immunity: bool = False
    bodies: set = field(default_factory=set)


def _flagged_suspects():
    """The records of officials and persons with immunity, by id, each with its person's flags
    and bodies: a person is flagged on any of the records linked as the same person
    (``same_as``), as the figures count it (justice.figures, officials). No identity."""
    key = Coalesce(F("same_as_id"), F("id"))
    flagged = (
        Suspect.objects.filter(Q(public_official=True) | Q(diplomatic_immunity=True))
        .annotate(key=key)
        .select_related("official_body_type")
        .only("pk", "public_official", "diplomatic_immunity", "official_body", "official_body_type")
    )
    persons = {}
    for s in flagged:
        person = persons.setdefault(s.key, _Person(s.key))
        person.public_official |= s.public_official
        person.diplomatic_immunity |= s.diplomatic_immunity
        if s.public_official and s.official_body_shown:
            person.bodies.add(s.official_body_shown)
    records = Suspect.objects.annotate(key=key).filter(key__in=persons)
    return {pk: persons[k] for pk, k in records.values_list("pk", "key")}


def _counts(people):
    """(officials, persons with immunity, bodies) among ``people``, each person once."""
    unique = {p.key: p for p in people}.values()
    bodies = set().union(*(p.bodies for p in unique))
    return (
        sum(p.public_official for p in unique),
        sum(p.diplomatic_immunity for p in unique),
        sorted(bodies, key=lambda b: sort_key(b, get_language())),
    )


def _investigation_rows(flags, today):
    rows = []
    invs = (
        Investigation.objects.filter(suspect_links__suspect_id__in=flags)
        .distinct()
        .select_related("investigating_org", "region")
        .prefetch_related("suspect_links")
    )
    for inv in invs:
        people = [flags.get(link.suspect_id) for link in inv.suspect_links.all()]
        officials, immunity, bodies = _counts(p for p in people if p is not None)
        end = inv.status_on if inv.status_on and inv.status != "open" else today
        rows.append(
            {
                "kind": _("investigation"),
                "reference": inv.reference,
                "organisation": inv.investigating_org.name,
                "status": inv.get_status_display(),
                "began_on": inv.opened_on,
                "days": (end - inv.opened_on).days,
                "officials": officials,
                "immunity": immunity,
                "bodies": bodies,
                "idle_days": (today - inv.last_event_on).days,
            }
        )
    return rows


def _prosecution_rows(flags, today):
    rows = []
    for p in Prosecution.objects.filter(suspect_id__in=flags).select_related(
        "office", "investigation"
    ):
        end = p.last_event_on if p.status == "decided" else today
        officials, immunity, bodies = _counts([flags[p.suspect_id]])
        rows.append(
            {
                "kind": _("prosecution"),
                "reference": p.investigation.reference,
                "organisation": p.office.name,
                "status": p.get_status_display(),
                "began_on": p.started_on,
                "days": (end - p.started_on).days,
                "officials": officials,
                "immunity": immunity,
                "bodies": bodies,
                "idle_days": (today - p.last_event_on).days,
            }
        )
    return rows
