"""The inbox, the bell's count, marking read, and the e-mail preference. Each user reads only
their own notifications; a record's link is shown only while the reader may still see it."""

from collections import defaultdict

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from himaya.core.pagination import CappedPaginator
from himaya.core.shortcuts import parse_id

from . import actions
from .forms import InboxFilterForm, PreferenceForm
from .models import EmailChoice, Notification, Preference


def visible_targets(user, notifications):
    """The (type, id) of the records the user may see now, by each model's own visibility
    queryset (one query per kind of record). A record whose model has none is reached only
    through a page that checks it, so its link is kept."""
    wanted = defaultdict(set)
    for n in notifications:
        if n.target_type:
            wanted[n.target_type].add(n.target_id)
    seen = set()
    for label, ids in wanted.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        manager = model._default_manager
        if not hasattr(manager, "visible_to"):
            seen |= {(label, i) for i in ids}
            continue
        found = manager.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)
        seen |= {(label, str(pk)) for pk in found}
    return seen


def _with_links(user, notifications):
    seen = visible_targets(user, notifications)
    for n in notifications:
        n.link = (
            n.url if n.url and (not n.target_type or (n.target_type, n.target_id) in seen) else ""
        )
    return notifications


@require_safe
def inbox(request):
    user = request.user
    form = InboxFilterForm(request.GET or None)
    items = Notification.objects.for_user(user)
    state = "unread"
    if form.is_valid():
        data = form.cleaned_data
        state = data["state"] or "unread"
        if data["kind"]:
            items = items.filter(kind=data["kind"])
        if data["since"]:
            items = items.filter(created_at__date__gte=data["since"])
        if data["until"]:
            items = items.filter(created_at__date__lte=data["until"])
    elif form.is_bound:
        items = items.none()
    if state == "unread":
        items = items.unread()
    page = CappedPaginator(
        items.order_by("-created_at", "-id"), settings.HIMAYA_LIST_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    page.object_list = _with_links(user, list(page.object_list))
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "form": form, "state": state},
        status=400 if form.errors else 200,
    )


@require_safe
def count(request):
    """The bell, for htmx to refresh in place."""
    return render(request, "notifications/_bell.html")


@require_POST
def read(request):
    """Mark the chosen notifications read, or all of them."""
    if request.POST.get("all"):
        n = actions.mark_all_read(request.user)
    else:
        ids = [n for n in map(parse_id, request.POST.getlist("id")[:500]) if n]
        n = actions.mark_read(request.user, ids)
    if request.htmx:
        return render(request, "notifications/_bell.html", {"bell_unread": _unread(request)})
    if n:
        messages.success(request, _("Marked as read."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = ""
    return redirect(back or "notifications:inbox")


def _unread(request):
    return Notification.objects.for_user(request.user).unread().count()


@require_POST
def open_notification(request, pk):
    """Mark one notification read and go to its record, if the reader may still see it."""
    n = Notification.objects.for_user(request.user).filter(pk=pk).first()
    if n is None:
        raise Http404
    actions.mark_read(request.user, [n.pk])
    link = _with_links(request.user, [n])[0].link
    if not link:
        messages.info(request, _("This record is no longer shared with you."))
        return redirect("notifications:inbox")
    return redirect(link)


def preferences(request):
    pref = Preference.objects.filter(user=request.user).first()
    current = pref.email if pref else EmailChoice.DIGEST
    form = PreferenceForm(request.POST or None, initial={"email": current})
    if request.method == "POST" and form.is_valid():
        actions.set_preference(request.user, email=form.cleaned_data["email"])
        messages.success(request, _("Your choice is saved."))
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "has_email": bool(request.user.email)},
        status=400 if form.errors else 200,
    )
