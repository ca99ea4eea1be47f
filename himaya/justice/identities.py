"""Suspects' identities as their readers meet them: every identity a page or the API shows is
an audited read (``log_suspects``), and a new suspect gets the duplicate hint before it is added
(``duplicate_hint``): the linkage candidates among the suspects the user sees, and whether a
possible match is held elsewhere. The page and the API give the same hint through it; linkage
answers through core.hooks (it sits above justice in the apps' order)."""

from typing import NamedTuple

from himaya.audit import log
from himaya.core import hooks

from .confirmations import asked


def log_suspects(user, suspects, purpose):
    """One audited read per suspect shown, in one insert (not one a suspect: a page of an
    investigation with many suspects costs what one with two does)."""
    log.read_listed(user, purpose, [(None, s) for s in suspects])


def identity_values(fields):
    """What the duplicate check (linkage) compares of a suspect being entered, as plain
    values, from the suspect actions' fields."""
    return {
        **{
            f: fields.get(f) or ""
            for f in ("given_name_ar", "family_name_ar", "given_name_lat", "family_name_lat")
        },
        "sex": fields["sex"].code if fields.get("sex") else "",
        "birth_date": fields.get("birth_date"),
        "birth_date_precision": fields.get("birth_date_precision"),
        "citizenships": [fields["citizenship"].code] if fields.get("citizenship") else [],
    }


def duplicate_candidates(user, data, investigation):
    """The linkage candidates of a suspect being entered (core.hooks → linkage): the suspects
    the user sees that are not yet in this investigation, and whether a possible match is
    held elsewhere. A hint: the user decides."""
    found = hooks.call("suspect_candidates", user, identity_values(data))
    if not found:
        return [], False
    in_investigation = set(investigation.suspect_links.values_list("suspect_id", flat=True))
    return [c.obj for c in found.visible if c.pk not in in_investigation], found.hidden_match


class DuplicateHint(NamedTuple):
    candidates: list  # suspects the user sees, to add instead of a new record
    hidden_match: bool  # a possible match held elsewhere: its existence only


def hint_asked(candidates, hidden_match):
    """What a page's confirmation of a new suspect binds to (``confirmations.asked``): the
    candidates it was shown with, and whether a match is held elsewhere."""
    return asked(*sorted(c.pk for c in candidates), hidden_match)


def duplicate_hint(user, data, investigation, *, confirmed, purpose):
    """The hint a new suspect gets before it is added, or None: none when nothing matches, none
    once the user confirmed a new suspect. ``confirmed``: True (an API client: a new suspect
    as sent), or the ``hint_asked`` of the hint a page showed, which confirms a new suspect
    against those candidates only: names changed since to match other suspects get their hint.
    The candidates shown are reads of their identities, audited under ``purpose``."""
    if confirmed is True:
        return None
    candidates, hidden_match = duplicate_candidates(user, data, investigation)
    if not (candidates or hidden_match):
        return None
    if confirmed and confirmed == hint_asked(candidates, hidden_match):
        return None
    log_suspects(user, candidates, purpose)
    return DuplicateHint(candidates, hidden_match)
