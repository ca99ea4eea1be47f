"""Suspect pages: add a suspect to an investigation (an existing one, or a new one after the
duplicate hint), correct one, record their arrest, detention or release."""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from himaya.core import access
from himaya.core.shortcuts import apply_action, parse_id

from .. import actions
from ..forms import EventForm, SuspectEditForm, SuspectForm
from ..identities import duplicate_hint, hint_asked
from ..models import Suspect
from .common import form_page, get_investigation, log_suspects, suspect_first


def suspect_add(request, pk):
    user = request.user
    inv = get_investigation(request, pk, access.investigation_write_q(user))
    form = SuspectForm(request.POST or None)
    status, hint, added = 200, None, False
    if request.method == "POST" and request.POST.get("existing"):
        status, hint = _add_existing(request, form, inv)
        added = status == 200
    elif request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        confirmed = data.pop("confirm_new")
        hint = duplicate_hint(user, data, inv, confirmed=confirmed, purpose="duplicate hint")
        if hint is not None:
            status = 409
            form.data = form.data.copy()
            form.data["confirm_new"] = hint_asked(*hint)
        else:
            _r, status = apply_action(
                form, actions.order_confirmed, actions.add_suspect, inv, acting_user=user, **data
            )
            added = status == 200
    if added:
        messages.success(request, _("The suspect was added."))
        return redirect("justice:detail", inv.pk)
    candidates, hidden_match = hint or ([], False)
    return form_page(
        request,
        form,
        title=_("Add a suspect to %(ref)s") % {"ref": inv.reference},
        back=reverse("justice:detail", args=[inv.pk]),
        submit=_("Add the suspect"),
        status=status,
        extra={"candidates": candidates, "hidden_match": hidden_match, "wide": True},
    )


# What adding an existing suspect takes of the form: the identity typed is that suspect's own.
EXISTING_TAKES = ("added_on", actions.CONFIRM_ORDER)


def _add_existing(request, form, inv):
    """The suspect chosen from the duplicate hint, added with what the form carries (the hint's
    buttons submit the form): its date, under the same checks and the same confirmation of an
    order of dates as a new suspect. Refused, the hint is shown again with the chosen suspect
    first, to choose once the date is corrected or its order confirmed. Returns the status and
    the hint."""
    user = request.user
    existing = (
        Suspect.objects.visible_to(user).filter(pk=parse_id(request.POST["existing"]) or 0).first()
    )
    if existing is None:
        raise Http404
    form.is_valid()
    for name in [n for n in form.errors if n not in EXISTING_TAKES and n != NON_FIELD_ERRORS]:
        del form.errors[name]  # the identity typed was the new suspect's, not this one's
    status = 400
    if not form.errors:
        data = form.cleaned_data
        _r, status = apply_action(
            form,
            actions.order_confirmed,
            actions.add_suspect,
            inv,
            acting_user=user,
            suspect=existing,
            added_on=data["added_on"],
            confirm_order=data[actions.CONFIRM_ORDER],
        )
    if status == 200:
        return status, None
    found = duplicate_hint(user, form.cleaned_data, inv, confirmed=False, purpose="duplicate hint")
    candidates, hidden_match = found or ([], False)
    if not inv.suspect_links.filter(suspect=existing).exists():
        if existing not in candidates:
            log_suspects(user, [existing], "duplicate hint")
        candidates = [existing, *(c for c in candidates if c.pk != existing.pk)]
    return status, (candidates, hidden_match)


def event_add(request, pk):
    user = request.user
    inv = get_investigation(request, pk, access.investigation_write_q(user))
    suspects = Suspect.objects.filter(links__investigation=inv).order_by("pk")
    if not suspects.exists():
        return suspect_first(
            request,
            inv,
            title=_("Arrest, detention or release: %(ref)s") % {"ref": inv.reference},
            message=_(
                "An arrest, a detention or a release is recorded for a suspect of the "
                "investigation, and it has none yet: add the suspect first."
            ),
        )
    initial = {}
    if parse_id(request.GET.get("suspect")):
        initial["suspect"] = parse_id(request.GET["suspect"])
    form = EventForm(request.POST or None, suspects=suspects, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        suspect = data.pop("suspect")
        _r, status = apply_action(
            form,
            actions.order_confirmed,
            actions.record_suspect_event,
            inv,
            suspect,
            acting_user=user,
            **data,
        )
        if status == 200:
            messages.success(request, _("The event was recorded."))
            return redirect("justice:detail", inv.pk)
    log_suspects(user, suspects, "event form")
    return form_page(
        request,
        form,
        title=_("Arrest, detention or release: %(ref)s") % {"ref": inv.reference},
        back=reverse("justice:detail", args=[inv.pk]),
        submit=_("Record"),
        status=status,
    )


def suspect_edit(request, pk, suspect_pk):
    """Correct a suspect's identity or flags, from one of the investigations they are in."""
    user = request.user
    inv = get_investigation(request, pk, access.investigation_write_q(user))
    suspect = Suspect.objects.filter(links__investigation=inv, pk=suspect_pk).first()
    if suspect is None:
        raise Http404
    initial = {name: getattr(suspect, name) for name in actions.SUSPECT_FIELDS}
    for name in ("sex", "citizenship", "role_in_process"):
        initial[name] = getattr(suspect, f"{name}_id")
    initial["version"] = suspect.version
    form = SuspectEditForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        _r, status = apply_action(
            form,
            actions.update_suspect,
            suspect,
            acting_user=user,
            expected_version=version,
            **data,
        )
        if status == 200:
            messages.success(request, _("The suspect was saved."))
            return redirect("justice:detail", inv.pk)
    log_suspects(user, [suspect], "edit")
    return form_page(
        request,
        form,
        title=_("Edit a suspect of %(ref)s") % {"ref": inv.reference},
        back=reverse("justice:detail", args=[inv.pk]),
        submit=_("Save"),
        status=status,
        extra={"wide": True},
    )
