"""A required select starts on an empty "Choose…" line unless the form says what to preselect:
a browser shows the first option as chosen, so a required select without an empty first option
sends its first value when the user never looked at it (a rejection reason, a discharge reason,
a service, a consent's giver: issue 15). Forms write ``choices=choose(X.choices)``;
tests/test_choices.py finds any required select that does neither."""

from django.utils.translation import pgettext_lazy

CHOOSE = pgettext_lazy("first line of a list", "Choose…")


def choose(choices):
    """``choices`` after an empty first option: submitting it is "this field is required"."""
    return [("", CHOOSE), *choices]
