"""View helpers shared by the apps: running an action from a form or a button, action errors on
forms, searches kept out of URLs."""

import contextlib
import secrets

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import QueryDict
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from himaya.core import crypto
from himaya.core.errors import Conflict

# Beyond a 64-bit integer the database driver overflows: such an id cannot exist.
MAX_ID = 2**63 - 1


def parse_id(value):
    """A record id read from a request, or None. ASCII digits only: str.isdigit() also takes
    "²" or "①", which int() refuses (a 500), and the id must fit the database's integer."""
    text = "" if value is None else str(value)
    if text.isascii() and text.isdigit() and len(text) <= 19 and 0 < int(text) <= MAX_ID:
        return int(text)
    return None


def add_action_errors(form, exc: ValidationError):
    """Show an action's ValidationError on the form: next to the field it names when the form
    has that field, at the top otherwise."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields and field != NON_FIELD_ERRORS else None
            for error in errors:
                form.add_error(target, error)
    else:
        for error in exc.error_list:
            form.add_error(None, error)


def report_form_errors(request, form):
    """A small form posted from a page that is not re-rendered (a button's form on a detail
    page): each of its errors as a message, named by its field ("note: Ensure this value has at
    most 2000 characters (it has 2105)."), instead of a guess at what went wrong."""
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        if name == NON_FIELD_ERRORS:
            for error in errors:
                messages.error(request, error)
        elif field is None or field.widget.is_hidden:
            # A hidden field (the record's version) the user never saw: the page was incomplete.
            messages.error(request, _("The form could not be read; try again."))
        else:
            for error in errors:
                messages.error(request, f"{field.label}: {error}")


SEARCH_FIELD = "q"
KEPT_SEARCHES = 20


def stash_search(request, filters):
    """Names never travel in URLs (S16): a search form is POSTed, its words are kept in the
    session under a random token, and the list is reloaded with ``?s=token`` and the list's
    other filters (``filters``: codes, ids, dates, never free text), so that links, history
    and pagination keep working. Anything else posted is dropped."""
    params = QueryDict(mutable=True)
    for name in filters:
        values = [v[:64] for v in request.POST.getlist(name)[:10] if v]
        if values:
            params.setlist(name, values)
    words = request.POST.get(SEARCH_FIELD, "").strip()[:200]
    if words:
        token = secrets.token_urlsafe(6)
        searches = dict(list(request.session.get("searches", {}).items())[-KEPT_SEARCHES + 1 :])
        # Sessions are signed, not encrypted: the words are kept encrypted like any name.
        searches[token] = crypto.encrypt(words)
        request.session["searches"] = searches
        params["s"] = token
    return redirect(f"{request.path}?{params.urlencode()}" if params else request.path)


def search_data(request):
    """The list's filter data, with the search words restored from the session."""
    data = request.GET.copy()
    data.pop(SEARCH_FIELD, None)  # names are never taken from a URL
    token = data.get("s")
    stored = request.session.get("searches", {}).get(token) if token else None
    if stored:
        # Written under a key since retired, the search is simply gone.
        with contextlib.suppress(ValueError):
            data[SEARCH_FIELD] = crypto.decrypt(stored)
    return data


def apply_action(form, action, *args, **kwargs):
    """Run ``action`` for a valid form. Returns ``(result, status)``: the action's result and
    200, or None with 409 when someone else saved the record first (R1, the message on the
    form), or None with 400 when the action refused the input (its errors on the form)."""
    try:
        return action(*args, **kwargs), 200
    except Conflict as exc:
        form.add_error(None, str(exc))
        return None, 409
    except ValidationError as exc:
        add_action_errors(form, exc)
        return None, 400


def act_on_form(form, action, *args, **kwargs):
    """``apply_action`` for a form posted from a detail page whose record the user may see but
    not change: its status, 200, or 400/409 with the refusal on the form (a PermissionDenied
    says who may act), so that the page is shown again with what was typed."""
    try:
        return apply_action(form, action, *args, **kwargs)[1]
    except PermissionDenied as exc:
        form.add_error(None, str(exc) or _("Your role does not allow this."))
        return 400


def run_action(request, action, *args, ok=None, **kwargs):
    """Run ``action`` from a button (no form to show errors on): its refusal is an error
    message, never a 500, and ``ok`` the success message. Returns the action's result, or None
    when it refused. The record was fetched through ``visible_to``, so a refusal
    (PermissionDenied) may say who may act (issue 15)."""
    try:
        result = action(*args, **kwargs)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("Your role does not allow this."))
        return None
    except Conflict as exc:
        messages.error(request, str(exc))
        return None
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
        return None
    if ok:
        messages.success(request, ok)
    return result
