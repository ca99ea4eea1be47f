"""What a page's confirmation box binds to: the order of dates an action warns of
(``actions.order_confirmed``), a transfer of jurisdiction (``actions.record_decision``), a new
suspect after the duplicate hint (``identities.duplicate_hint``). The page renders, beside the
box, a digest of what it asked (``asked``); a tick confirms that only, as an import's
confirmation names the warnings it listed, and a submit that now asks something else (a date
or a court changed meanwhile, names that match other suspects) is asked again."""

import hashlib


def asked(*parts):
    """The digest of what a question was about (language-neutral parts where there are)."""
    return hashlib.sha256("\n".join(str(p) for p in parts).encode()).hexdigest()[:32]
