"""A dossier itself: open it, edit it (its facts and code sets), add a note."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.audit import log
from himaya.core import access
from himaya.core.actions import ensure_visible, save_versioned
from himaya.core.bidi import blank
from himaya.people.models import Person

from ..models import Dossier, DossierNote, Stage, StageEvent
from .common import require_writable

EDITABLE_FIELDS = [
    "caseworker",
    "form_other_detail",
    "recruitment_country",
    "recruitment_region",
    "recruitment_city",
    "exploitation_country",
    "exploitation_region",
    "exploitation_city",
    "opened_on",
]


def _check_caseworker(caseworker, organisation):
    if (
        caseworker is not None
        and not type(caseworker)
        .objects.filter(access.caseworker_q([organisation.pk]), pk=caseworker.pk)
        .exists()
    ):
        raise ValidationError(
            {"caseworker": _("The caseworker must be an active member of the organisation.")}
        )


# A dossier's facts that are sets of codes, each of one list (its field's limit_choices_to):
# the forms of exploitation, and what HTCDS records beside them. Every action takes them alike.
CODE_SETS = (
    "forms",
    "sex_exploitation_types",
    "industries",
    "recruitment_methods",
    "control_methods",
    "vulnerabilities",
)


def code_list_of(name):
    return Dossier._meta.get_field(name).remote_field.limit_choices_to["list"]


def _code_sets(forms, fields):
    """The code sets an action was given (``forms`` apart, as callers have always passed it),
    checked against their lists; ``None`` where one was not given."""
    sets = {"forms": forms}
    for name in CODE_SETS[1:]:
        sets[name] = fields.pop(name, None)
    for name, codes in sets.items():
        if codes is None:
            continue
        codes = sets[name] = list(codes)
        expected = code_list_of(name)
        if any(c.list != expected for c in codes):
            raise ValidationError({name: _("Choose values of the list offered for this field.")})
    return sets


def _check_forms(forms, other_detail):
    if any(f.code == "other" for f in forms) and blank(other_detail):
        raise ValidationError({"form_other_detail": _("Describe the other form of exploitation.")})


def _next_reference(dossier):
    return f"HMY-{dossier.opened_on.year}-{dossier.pk:06d}"


def check_may_open_dossier(user, organisation, person):
    """Who opens a dossier: a victim-handling member of the organisation, who may write the
    person's record."""
    if organisation.pk not in access.victim_org_ids(user):
        raise PermissionDenied(_("You cannot open dossiers for this organisation."))
    if not Person.objects.writable_by(user).filter(pk=person.pk).exists():
        raise PermissionDenied


@transaction.atomic
def open_dossier(person, *, acting_user, organisation, forms=(), opened_on=None, **fields):
    check_may_open_dossier(acting_user, organisation, person)
    dossier = do_open_dossier(
        person,
        acting_user=acting_user,
        organisation=organisation,
        forms=forms,
        on=opened_on,
        **fields,
    )
    ensure_visible(Dossier.objects, dossier, acting_user)
    return dossier


@transaction.atomic
def do_open_dossier(person, *, acting_user, organisation, forms=(), on=None, **fields):
    """Open a dossier on the day ``on`` (None: today), at the screening stage, for a writer
    the caller authorised (the page: ``check_may_open_dossier``; an import: its own check)."""
    opened_on = on or timezone.localdate()
    if opened_on > timezone.localdate():
        raise ValidationError({"opened_on": _("A dossier cannot be opened in the future.")})
    _check_caseworker(fields.get("caseworker"), organisation)
    sets = {k: v for k, v in _code_sets(forms, fields).items() if v}
    _check_forms(sets.get("forms", []), fields.get("form_other_detail", ""))
    dossier = Dossier(
        person=person,
        owner_org=organisation,
        opened_on=opened_on,
        # The reference carries the row id, known only after the insert: a unique stand-in first.
        reference=f"tmp-{timezone.now().timestamp()}",
        **{k: v for k, v in fields.items() if k in EDITABLE_FIELDS},
    )
    dossier.full_clean(exclude=["reference", "person", "owner_org"])
    dossier.save()
    dossier.reference = _next_reference(dossier)
    dossier.save(update_fields=["reference"])
    for name, codes in sets.items():
        getattr(dossier, name).set(codes)
    StageEvent.objects.create(
        dossier=dossier,
        stage=Stage.SCREENING,
        on=opened_on,
        actor=acting_user,
        organisation=organisation,
    )
    dossier.stage, dossier.stage_on = Stage.SCREENING, opened_on  # as the database now holds
    log.write(
        acting_user,
        "open_dossier",
        dossier,
        ["person", "owner_org", "opened_on", "stage"]
        + [name for name in CODE_SETS if name in sets]
        + [f for f in EDITABLE_FIELDS if fields.get(f)],
        organisation_id=organisation.pk,
    )
    return dossier


@transaction.atomic
def update_dossier(dossier, *, acting_user, expected_version, forms=None, **fields):
    require_writable(acting_user, dossier)
    sets = _code_sets(forms, fields)
    if "caseworker" in fields:
        _check_caseworker(fields["caseworker"], dossier.owner_org)
    changed = [f for f in EDITABLE_FIELDS if f in fields and getattr(dossier, f) != fields[f]]
    for f in changed:
        setattr(dossier, f, fields[f])
    new_forms = sets["forms"] if forms is not None else list(dossier.forms.all())
    _check_forms(new_forms, dossier.form_other_detail)
    if dossier.opened_on > timezone.localdate():
        raise ValidationError({"opened_on": _("A dossier cannot be opened in the future.")})
    if "opened_on" in changed:
        _check_opening(dossier)
    dossier.full_clean(exclude=["reference", "person", "owner_org"])
    save_versioned(dossier, changed, expected_version)
    for name in CODE_SETS:
        codes = sets[name]
        if codes is not None and set(getattr(dossier, name).all()) != set(codes):
            getattr(dossier, name).set(codes)
            changed.append(name)
    log.write(acting_user, "update_dossier", dossier, changed)
    return dossier, changed


def _check_opening(dossier):
    """A corrected opening date does not follow what the dossier records after its opening:
    its identification decisions (a decision is refused before the opening) and its stage
    moves (the opening's own stage event aside: it is the dossier's first)."""
    opening_event = dossier.events.order_by("id").values("pk")[:1]
    decided = dossier.decisions.aggregate(first=Min("decided_on"))["first"]
    moved = dossier.events.exclude(pk__in=opening_event).aggregate(first=Min("on"))["first"]
    first = min(filter(None, (decided, moved)), default=None)
    if first and dossier.opened_on > first:
        raise ValidationError(
            {
                "opened_on": _(
                    "The dossier records a decision or a stage on %(date)s, before this date."
                )
                % {"date": first.isoformat()}
            }
        )


@transaction.atomic
def add_note(dossier, *, acting_user, text):
    # A partner holding a live grant with the identity adds its own follow-up notes (append-only,
    # signed with its organisation); changing the dossier itself stays with the owner.
    if not Dossier.objects.with_identity_for(acting_user).filter(pk=dossier.pk).exists():
        raise PermissionDenied
    text = text.strip()
    if blank(text):
        raise ValidationError({"text": _("The note is empty.")})
    if len(text) > 20000:
        raise ValidationError({"text": _("A note holds at most 20,000 characters.")})
    organisation_id = access.acting_org_for(acting_user, dossier, identity=True)
    note = DossierNote.objects.create(
        dossier=dossier, text=text, author=acting_user, organisation_id=organisation_id
    )
    log.write(acting_user, "add_note", note, ["text"], organisation_id=organisation_id)
    return note
