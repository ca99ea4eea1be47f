"""Dossier pages: thin views (parse, authorise through visible_to, call one action, respond)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from himaya.accounts.models import Organisation
from himaya.audit import log
from himaya.audit.fetch import get_visible_or_404
from himaya.core import access
from himaya.core.codelabels import prefetch_codes
from himaya.core.pagination import CappedPaginator
from himaya.core.shortcuts import (
    add_action_errors,
    apply_action,
    search_data,
    stash_search,
)
from himaya.people.models import Person

from .. import actions, next_step
from ..forms import DossierEditForm, DossierFilterForm, DossierForm, NoteForm, StageForm
from ..models import Dossier, DossierNote, StageEvent
from ..panels import dossier_panels
from .common import get_dossier, sees_dossiers


def dossier_list(request):
    sees_dossiers(request)
    if request.method == "POST":
        return stash_search(
            request, ("stage", "form", "region", "owner", "opened_from", "opened_to")
        )
    user = request.user
    dossiers = Dossier.objects.visible_to(user)
    orgs = Organisation.objects.filter(access.dossier_owner_org_q(user))
    form = DossierFilterForm(search_data(request), organisations=orgs)
    data = form.valid_data()
    if data.get("q"):
        match = Q(reference__icontains=data["q"])
        if access.handles_victims(user):  # names only where the identity is visible
            match |= Q(person__in=Person.objects.visible_to(user).search(data["q"])) & Q(
                pk__in=Dossier.objects.with_identity_for(user).values("pk")
            )
        dossiers = dossiers.filter(match)
    dossiers = dossiers.filtered(
        **{k: data.get(k) for k in ("stage", "form", "region", "owner", "opened_from", "opened_to")}
    )
    names = access.handles_victims(user)  # analysts never load a person's name
    # Free text is not listed, and names only for the rows seen with the identity (below):
    # nothing is decrypted for the others.
    dossiers = dossiers.select_related("owner_org").defer(*Dossier.FREE_TEXT_FIELDS)
    page = CappedPaginator(
        dossiers.prefetch_related("forms__parent"), settings.HIMAYA_LIST_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    identity_ids = access.identity_ids_among(user, page) if names else set()
    persons = Person.objects.in_bulk([d.person_id for d in page if d.pk in identity_ids])
    for d in page:
        d.identity_person = persons[d.person_id] if d.pk in identity_ids else None
        d.identity_name = d.identity_person.display_name if d.identity_person else None
    log.read_many(
        user, [d.person_id for d in page if d.pk in identity_ids], "cases.dossier", "list"
    )
    return render(
        request, "cases/list.html", {"form": form, "page": page, "show_names": bool(identity_ids)}
    )


def _timeline(events, notes):
    items = [(e.on, e.recorded_at, "stage", e) for e in events]
    items += [(timezone.localtime(n.created_at).date(), n.created_at, "note", n) for n in notes]
    # On one day, the stage comes before the notes written about it.
    return sorted(items, key=lambda item: (item[0], item[2] != "stage", item[1]))


# The dossier's code fields the page shows (cases/_code_sets.html); the last two only at the
# identity level (S5).
SHOWN_CODE_SETS = ("forms", "industries", "recruitment_methods", "control_methods")
IDENTITY_CODE_SETS = ("sex_exploitation_types", "vulnerabilities")


def _render_detail(request, dossier, *, stage_form=None, note_form=None, status=200):
    user = request.user
    sees = access.sees_identity(user, dossier)
    if sees:  # deferred by _get_dossier: read now that the identity level is known
        dossier.refresh_from_db(fields=Dossier.FREE_TEXT_FIELDS)
    person = Person.objects.select_related("sex")
    if not sees:
        person = person.defer(*Person.IDENTITY_FIELDS)
    person = person.get(pk=dossier.person_id)
    if sees:
        log.read(user, dossier.person_id, dossier, "identity")
    events = (
        StageEvent.objects.visible_to(user)
        .filter(dossier=dossier)
        .select_related("actor", "organisation")
    )
    if not sees:  # a reason is free text about the person: not even decrypted
        events = events.defer("reason")
    # Notes tell the person's story: their queryset only answers at the identity level.
    notes = (
        DossierNote.objects.visible_to(user)
        .filter(dossier=dossier)
        .select_related("author", "organisation")
        if sees
        else []
    )
    moves = actions.allowed_moves(dossier.current_stage)
    can_write = access.writes_dossier(user, dossier)
    # The codes shown (forms, code sets, citizenships): one query per record, not one per field.
    prefetch_codes(dossier, *SHOWN_CODE_SETS, *(IDENTITY_CODE_SETS if sees else ()))
    prefetch_codes(person, "citizenships")
    return render(
        request,
        "cases/detail.html",
        {
            "dossier": dossier,
            "sees_identity": sees,
            "person": person,
            "age_band": person.age_band(),
            "citizenships": person.citizenships.all(),
            "forms": dossier.forms.all(),
            "timeline": _timeline(events, notes),
            "can_write": can_write,
            "stage_form": (stage_form or StageForm(moves=moves)) if can_write else None,
            "note_form": (note_form or NoteForm()) if sees else None,
            **dossier_panels(user, dossier, sees_identity=sees),
            **next_step.panels(
                user, dossier, person=person, sees_identity=sees, can_write=can_write
            ),
        },
        status=status,
    )


@require_safe
def dossier_detail(request, pk):
    return _render_detail(request, get_dossier(request, pk))


def dossier_create(request):
    person = get_visible_or_404(
        Person.objects.writable_by(request.user),
        request.user,
        request.GET.get("person"),
        audit_type="people.person",
    )
    org_ids = access.victim_org_ids(request.user)
    form = DossierForm(
        request.POST or None,
        org_ids=org_ids,
        with_organisation=True,
        initial={"opened_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            dossier = actions.open_dossier(
                person,
                acting_user=request.user,
                organisation=form.cleaned_data["organisation"],
                **form.dossier_fields(),
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("The dossier was opened."))
            return redirect("cases:detail", dossier.pk)
    log.read(request.user, person.pk, person, "identity")
    return render(
        request,
        "cases/form.html",
        {"form": form, "person": person},
        status=400 if form.errors else 200,
    )


def dossier_edit(request, pk):
    dossier = get_dossier(request, pk, write=True)
    form = DossierEditForm(
        request.POST or None,
        org_ids={dossier.owner_org_id},
        initial=DossierEditForm.initial_for(dossier),
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        _result, status = apply_action(
            form,
            actions.update_dossier,
            dossier,
            acting_user=request.user,
            expected_version=form.cleaned_data["version"],
            **form.dossier_fields(),
        )
        if status == 200:
            messages.success(request, _("The changes were saved."))
            return redirect("cases:detail", dossier.pk)
    if form.errors and status == 200:
        status = 400
    log.read(request.user, dossier.person_id, dossier, "identity")
    return render(
        request,
        "cases/form.html",
        {"form": form, "dossier": dossier, "person": dossier.person},
        status=status,
    )


@require_POST
def dossier_stage(request, pk):
    dossier = get_dossier(request, pk, write=True)
    form = StageForm(request.POST, moves=actions.allowed_moves(dossier.current_stage))
    if form.is_valid():
        try:
            actions.change_stage(dossier, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("The stage was changed."))
            return redirect("cases:detail", dossier.pk)
    return _render_detail(request, dossier, stage_form=form, status=400)


@require_POST
def dossier_follow(request, pk, kind):
    """One click on a proposal of the "Next step" panel: the move its records propose now (a
    positive screening, a shelter admission), through change_stage."""
    dossier = get_dossier(request, pk, write=True)
    proposal = next_step.proposal(request.user, dossier, kind)
    if proposal is None:
        messages.error(request, _("This move is no longer proposed for the dossier."))
        return redirect("cases:detail", dossier.pk)
    try:
        actions.change_stage(
            dossier,
            acting_user=request.user,
            stage=proposal.stage,
            on=proposal.on,
            reason=proposal.reason,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The stage was changed."))
    return redirect("cases:detail", dossier.pk)


@require_POST
def note_add(request, pk):
    dossier = get_dossier(request, pk, identity=True)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            actions.add_note(dossier, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("The note was added."))
            return redirect("cases:detail", dossier.pk)
    return _render_detail(request, dossier, note_form=form, status=400)
