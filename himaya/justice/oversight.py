"""Lists across proceedings: the stalled ones a user sees, and the commission's oversight of
those involving a public official or a person with immunity (no name, no identity)."""

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


def _flagged_suspects():
    """The officials and persons with immunity, by id, with only their flags and body."""
    flagged = Suspect.objects.filter(public_official=True) | Suspect.objects.filter(
        diplomatic_immunity=True
    )
    return {
        s.pk: s
        for s in flagged.select_related("official_body_type").only(
            "pk", "public_official", "diplomatic_immunity", "official_body", "official_body_type"
        )
    }


def _investigation_rows(flags, today):
    rows = []
    invs = (
        Investigation.objects.filter(suspect_links__suspect_id__in=flags)
        .distinct()
        .select_related("investigating_org", "region")
        .prefetch_related("suspect_links")
    )
    for inv in invs:
        ids = [link.suspect_id for link in inv.suspect_links.all() if link.suspect_id in flags]
        end = inv.status_on if inv.status_on and inv.status != "open" else today
        rows.append(
            {
                "kind": _("investigation"),
                "reference": inv.reference,
                "organisation": inv.investigating_org.name,
                "status": inv.get_status_display(),
                "began_on": inv.opened_on,
                "days": (end - inv.opened_on).days,
                "officials": sum(flags[i].public_official for i in ids),
                "immunity": sum(flags[i].diplomatic_immunity for i in ids),
                "bodies": sorted(
                    {flags[i].official_body_shown for i in ids} - {""},
                    key=lambda b: sort_key(b, get_language()),
                ),
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
        rows.append(
            {
                "kind": _("prosecution"),
                "reference": p.investigation.reference,
                "organisation": p.office.name,
                "status": p.get_status_display(),
                "began_on": p.started_on,
                "days": (end - p.started_on).days,
                "officials": int(flags[p.suspect_id].public_official),
                "immunity": int(flags[p.suspect_id].diplomatic_immunity),
                "bodies": [b for b in [flags[p.suspect_id].official_body_shown] if b],
                "idle_days": (today - p.last_event_on).days,
            }
        )
    return rows
