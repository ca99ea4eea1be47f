"""Messages of the shared form rendering (form_field.html, the widgets' attributes), one wording
for the server's refusal and the page's counter."""

from django import template
from django.utils.translation import gettext, ngettext

register = template.Library()


def too_long_message(limit, typed):
    """Said when a text is longer than its field holds; the text stays in the field."""
    limit = int(limit)
    return ngettext(
        "At most %(limit)s character (you typed %(typed)s).",
        "At most %(limit)s characters (you typed %(typed)s).",
        limit,
    ) % {"limit": limit, "typed": typed}


def not_a_date_message():
    return gettext("This is not a date: check the day, the month and the year.")


@register.simple_tag
def too_long(limit):
    """The message with ``{typed}`` where the page's counter puts the length typed."""
    return too_long_message(limit, "{typed}")


@register.simple_tag
def not_a_date():
    return not_a_date_message()


@register.filter
def field_errors(field):
    """A bound field's error messages, with a length refusal said the same way as the page's
    counter says it: the limit, and how much was typed."""
    data = getattr(field.errors, "as_data", lambda: [])()
    messages = []
    for error in data:
        params = error.params or {}
        if error.code == "max_length" and "limit_value" in params and "show_value" in params:
            messages.append(too_long_message(params["limit_value"], params["show_value"]))
        else:
            messages.extend(error.messages)
    return messages


@register.filter
def errors_only_hidden(form):
    """True when every error of ``form`` is on a hidden field (a stale version, a tampered id):
    nothing below is marked, so "correct the fields marked below" would point at nothing."""
    if not form.errors or form.non_field_errors():
        return False
    return all(form[name].is_hidden for name in form.errors if name in form.fields)
