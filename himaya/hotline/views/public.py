"""The public tip form (/report/) and the follow-up with a receipt code (/report/follow-up/):
no account, no JavaScript, CSRF still on. Nothing identifying the reporter is kept unless they
write it themselves: no address (the rate limit keeps only a keyed hash of it, for an hour),
no account, no cookie beyond the CSRF token and the language chosen."""

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from himaya.core.models import Code

from .. import actions, ratelimit
from ..forms import FollowUpForm, TipForm
from ..models import Hold


def _language():
    """The language of the page the tip was written on, as a code of the language list."""
    return Code.objects.filter(list="language", code=(get_language() or "ar")[:2]).first()


@never_cache
@require_http_methods(["GET", "POST"])
def tip_report(request):
    form = TipForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        rank = ratelimit.hit(request, "tip", settings.HIMAYA_TIP_FLOOD_PER_HOUR)
        if rank is None:
            # A flood: what they wrote stays in the form; only sending waits.
            return render(
                request, "hotline/public/report.html", {"form": form, "limited": True}, status=429
            )
        # Past the address limit the tip is kept, held for a review in bulk: many people may
        # share this address. The reporter gets the same receipt either way.
        hold = Hold.OVER_ADDRESS_LIMIT if rank > settings.HIMAYA_TIP_LIMIT_PER_HOUR else ""
        if form.is_spam:
            # A bot filled the hidden field: it gets what a person would, nothing is stored.
            code = actions.new_receipt_code()
        else:
            _report, code = actions.submit_tip(language=_language(), hold=hold, **form.tip_fields())
        return render(
            request,
            "hotline/public/receipt.html",
            {"code": actions.format_receipt(code), "urgent": form.cleaned_data["danger"] == "yes"},
        )
    return render(
        request, "hotline/public/report.html", {"form": form}, status=400 if form.errors else 200
    )


@never_cache
@require_http_methods(["GET", "POST"])
def tip_follow_up(request):
    """With the receipt code: the tip's coarse status (received, being handled, closed) and the
    day it was received, nothing more; and, when they wrote something, their addition. A code
    that matches no tip gets a page of the same shape and status, saying only that."""
    form = FollowUpForm(request.POST if request.method == "POST" else None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        # Every well-formed code is an attempt: guessing is limited like sending.
        if not ratelimit.allow(request, "follow_up", settings.HIMAYA_TIP_LIMIT_PER_HOUR):
            return render(
                request, "hotline/public/follow_up.html", {**context, "limited": True}, status=429
            )
        code, text = form.cleaned_data["code"], form.cleaned_data["text"]
        # A bot (the spam trap filled) learns nothing and adds nothing.
        tip = None if form.is_spam else actions.find_tip(code)
        added = bool(tip and text) and actions.add_tip_information(code, text)
        # Past the additions one tip may receive, what was typed stays on the page.
        context.update(looked_up=True, tip=tip, added=added, full=bool(tip and text) and not added)
        if added:
            # Sent: the box empties (the code stays, to add more); otherwise the text stays.
            form = context["form"] = FollowUpForm(initial={"code": actions.format_receipt(code)})
    return render(
        request,
        "hotline/public/follow_up.html",
        context,
        status=400 if form.is_bound and form.errors else 200,
    )
