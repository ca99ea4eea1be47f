"""Person pages: thin views (parse, authorise through visible_to, call one action, respond)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from himaya.accounts.models import Organisation
from himaya.audit import log
from himaya.audit.fetch import get_visible_or_404
from himaya.core import access, entry, hooks
from himaya.core.pagination import CappedPaginator
from himaya.core.shortcuts import (
    add_action_errors,
    apply_action,
    search_data,
    stash_search,
)

from . import actions
from .forms import (
    ConsentForm,
    DocumentForm,
    PersonEditForm,
    PersonFilterForm,
    PersonForm,
    identity_values,
)
from .models import Consent, Person


def _victim_handler(request):
    if not access.handles_victims(request.user):
        raise Http404


def _get_person(request, pk, *, write=False):
    qs = Person.objects.select_related("sex", "registered_by")
    if write:  # seeing a person through a partner's grant is not changing them
        qs = qs.writable_by(request.user)
    return get_visible_or_404(qs, request.user, pk, audit_type="people.person")


def person_list(request):
    _victim_handler(request)
    if request.method == "POST":
        return stash_search(request, ("sex", "citizenship", "registered_by"))
    persons = Person.objects.visible_to(request.user)
    orgs = Organisation.objects.filter(access.person_registrar_org_q(request.user))
    form = PersonFilterForm(search_data(request), organisations=orgs)
    data = form.valid_data()
    if data.get("q"):
        persons = persons.search(data["q"]).ranked_by_spelling(data["q"])
    if data.get("sex"):
        persons = persons.filter(sex=data["sex"])
    if data.get("citizenship"):
        persons = persons.filter(citizenships=data["citizenship"])
    if data.get("registered_by"):
        persons = persons.filter(registered_by=data["registered_by"])
    persons = persons.select_related("sex", "registered_by").prefetch_related("citizenships")
    page = CappedPaginator(persons, settings.HIMAYA_LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    log.read_many(request.user, [p.pk for p in page], "people.person", "list")
    return render(request, "people/list.html", {"form": form, "page": page})


def show_person(request, person, *, status=200, **posted):
    """The person's page with a form posted from it and refused, as typed (an app above people
    posts its own form from the page: the linkage desk's contact request)."""
    return _render_detail(request, person, status=status, **posted)


def _render_detail(request, person, *, doc_form=None, consent_form=None, status=200, **posted):
    user = request.user
    log.read(user, person.pk, person, "identity")
    org_ids = access.victim_org_ids(user)
    consents = person.consents.visible_to(user).select_related("informed_in", "organisation")
    can_write = Person.objects.writable_by(user).filter(pk=person.pk).exists()
    return render(
        request,
        "people/detail.html",
        {
            "person": person,
            "citizenships": person.citizenships.all(),
            "languages": person.languages.all(),
            "documents": person.documents.visible_to(user).select_related(
                "type", "issuing_country"
            ),
            "consents": consents,
            # Through the reverse relation: people does not import the cases app (DESIGN.md).
            # Only the dossiers seen with the identity: listing the others here would tie this
            # person to dossiers the reader may only see de-identified.
            "dossiers": person.dossiers.visible_to(user)
            .with_identity_for(user)
            .select_related("owner_org"),
            "can_write": can_write,
            # a record of the same person held elsewhere: its existence only (linkage)
            "known_elsewhere": hooks.call("known_elsewhere", user, person),
            "withdrawable": access.withdrawable_consent_ids(user, consents, can_write),
            "doc_form": doc_form or DocumentForm(),
            "consent_form": consent_form or ConsentForm(org_ids=org_ids),
            **posted,
        },
        status=status,
    )


@require_safe
def person_detail(request, pk):
    return _render_detail(request, _get_person(request, pk))


def person_create(request):
    _victim_handler(request)
    org_ids = access.victim_org_ids(request.user)
    form = PersonForm(request.POST or None, org_ids=org_ids)
    status, candidates = 200, None
    if request.method == "POST" and form.is_valid():
        fields = form.person_fields()
        values = identity_values(fields)
        candidates = entry.check(request, form, "person", values)
        if candidates:
            status = 409
        else:
            organisation = form.cleaned_data["organisation"]
            try:
                with transaction.atomic():
                    person = actions.create_person(
                        acting_user=request.user, organisation=organisation, **fields
                    )
                    sent = entry.record(
                        request, form, "person", person, values, organisation=organisation
                    )
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, _("The person was recorded."))
                if sent:
                    messages.info(request, _("The possible match was sent to the linkage desk."))
                return redirect("people:detail", person.pk)
    if form.is_bound and form.errors:
        status = 400
    return render(
        request, "people/form.html", {"form": form, "candidates": candidates}, status=status
    )


def person_edit(request, pk):
    person = _get_person(request, pk, write=True)
    form = PersonEditForm(request.POST or None, initial=PersonEditForm.initial_for(person))
    status, candidates = 200, None
    if request.method == "POST" and form.is_valid():
        fields = form.person_fields()
        values = identity_values(fields)
        if values != identity_values(PersonEditForm.fields_of(person)):
            candidates = entry.check(request, form, "person", values, exclude=[person.pk])
        if candidates:
            status = 409
        else:
            with transaction.atomic():
                _result, status = apply_action(
                    form,
                    actions.update_person,
                    person,
                    acting_user=request.user,
                    expected_version=form.cleaned_data["version"],
                    **fields,
                )
                if status == 200:
                    entry.record(
                        request,
                        form,
                        "person",
                        person,
                        values,
                        organisation=Organisation.objects.filter(
                            pk=access.primary_org_id(request.user)
                        ).first(),
                    )
            if status == 200:
                messages.success(request, _("The changes were saved."))
                return redirect("people:detail", person.pk)
    if form.is_bound and form.errors and status == 200:
        status = 400
    log.read(request.user, person.pk, person, "identity")
    return render(
        request,
        "people/form.html",
        {"form": form, "person": person, "candidates": candidates},
        status=status,
    )


@require_POST
def document_add(request, pk):
    person = _get_person(request, pk, write=True)
    form = DocumentForm(request.POST)
    if form.is_valid():
        try:
            actions.add_document(person, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("The document was added."))
            return redirect("people:detail", person.pk)
    return _render_detail(request, person, doc_form=form, status=400)


@require_POST
def consent_add(request, pk):
    person = _get_person(request, pk)
    form = ConsentForm(request.POST, org_ids=access.victim_org_ids(request.user))
    if form.is_valid():
        try:
            actions.record_consent(person, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("The consent was recorded."))
            return redirect("people:detail", person.pk)
    return _render_detail(request, person, consent_form=form, status=400)


@require_POST
def consent_withdraw(request, pk, consent_pk):
    person = _get_person(request, pk)
    consent = get_visible_or_404(
        Consent.objects.filter(person=person), request.user, consent_pk, audit_type="people.consent"
    )
    try:
        actions.withdraw_consent(consent, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The consent was withdrawn."))
    return redirect("people:detail", person.pk)
