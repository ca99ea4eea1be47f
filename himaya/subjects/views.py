"""Pages of the data subject's rights: thin views (parse, authorise, call one action, respond)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from himaya.audit.fetch import get_visible_or_404
from himaya.core import access
from himaya.core.shortcuts import add_action_errors
from himaya.people.models import Person
from himaya.secure_exports.actions import do_create_export
from himaya.secure_exports.models import Kind
from himaya.secure_exports.views import show_password

from . import actions, background, holds
from .forms import ErasureForm
from .models import SubjectRequest


def _writable_person(request, pk):
    """The person, when the user may change them (their own organisation answers)."""
    return get_visible_or_404(
        Person.objects.writable_by(request.user), request.user, pk, audit_type="people.person"
    )


@require_POST
def export(request, pk):
    person = _writable_person(request, pk)
    subject_request, body = actions.subject_access_export(person, acting_user=request.user)
    archive, password = do_create_export(
        owner=request.user,
        organisation_id=subject_request.organisation_id,
        kind=Kind.PERSON,
        file_name=f"{subject_request.reference}.json",
        content=body,
        subject=("people.person", person.pk),
        reference=subject_request.reference,
    )
    return show_password(request, archive, password)


def erase(request, pk):
    person = _writable_person(request, pk)
    refusal = actions.erasure_refusal(request.user, person)
    form = ErasureForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if refusal:
            raise PermissionDenied(refusal)
        if form.is_valid():
            try:
                done = background.erase(
                    person, acting_user=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                if done.outcome == SubjectRequest.Outcome.ERASING:
                    messages.info(
                        request,
                        _(
                            "The erasure is under way: it searches every record of the "
                            "database for the person's mentions. You will be told when it ends."
                        ),
                    )
                else:
                    messages.success(request, _("The person's data was erased."))
                return redirect("subjects:detail", done.pk)
        status = 400
    found = [] if refusal else holds.legal_holds(person)
    return render(
        request,
        "subjects/erase.html",
        {
            "person": person,
            "form": form,
            "refusal": refusal,
            "holds": [holds.hold_label(h) for h in found],
        },
        status=status,
    )


@require_safe
def detail(request, pk):
    subject_request = get_visible_or_404(
        SubjectRequest.objects.select_related("organisation"), request.user, pk
    )
    return render(
        request,
        "subjects/detail.html",
        {
            "req": subject_request,
            "holds": [holds.hold_label(h) for h in subject_request.holds],
            "holders": subject_request.holders.all(),
            "commission": access.is_linkage_officer(request.user),
        },
    )


@require_safe
def forwarded(request):
    """The commission's list of requests to pass on to the other holders."""
    if not access.is_linkage_officer(request.user):
        raise Http404
    rows = (
        SubjectRequest.objects.visible_to(request.user)
        .filter(forward=SubjectRequest.Forward.OPEN)
        .select_related("organisation")
        .prefetch_related("holders")[:200]
    )
    return render(request, "subjects/forwarded.html", {"rows": rows})


@require_POST
def passed_on(request, pk):
    if not access.is_linkage_officer(request.user):
        raise Http404
    subject_request = get_visible_or_404(SubjectRequest.objects, request.user, pk)
    try:
        actions.mark_passed_on(subject_request, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The request is marked as passed on."))
    return redirect("subjects:forwarded")
