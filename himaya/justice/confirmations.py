"""What a page's confirmation box binds to: the order of dates an action warns of
(``actions.order_confirmed``), a transfer of jurisdiction (``actions.record_decision``), a new
suspect after the duplicate hint (``identities.duplicate_hint``). The page renders, beside the
box, a digest of what it asked (``asked``); a tick confirms that only, as an import's
confirmation names the warnings it listed, and a submit that now asks something else (a date
or a court changed meanwhile, names that match other suspects) is asked again."""

import hashlib


class OrderWarning(str):
    """A warning's text in the reader's language, with what it says in no language (``key``:
    the date it compares with): a confirmation binds to the key, so the same warning read in
    another language (the user switched it between the question and her tick) is the same
    warning."""

    def __new__(cls, text, key):
        warning = super().__new__(cls, text)
        warning.key = key
        return warning


def asked(*parts):
    """The digest of what a question was about (language-neutral parts where there are)."""
    return hashlib.sha256("\n".join(str(p) for p in parts).encode()).hexdigest()[:32]
