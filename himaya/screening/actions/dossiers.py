"""A submitted screening and the NRM dossier: link it to a dossier, or open the dossier of the
screened person."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from himaya.audit import log
from himaya.cases import actions as case_actions
from himaya.cases.models import Dossier, Stage
from himaya.people import actions as people_actions

from ..models import (
    Recommendation,
    Screening,
)
from .screenings import _linkable


def _check_not_linked(screening):
    if screening.dossier_id is not None:
        raise ValidationError(_("This screening is already linked to a dossier."))


@transaction.atomic
def link_dossier(screening, *, acting_user, dossier):
    """Attach a submitted screening to a dossier the user's organisation owns."""
    locked = _linkable(acting_user, screening)
    _check_not_linked(locked)
    if not Dossier.objects.writable_by(acting_user).filter(pk=dossier.pk).exists():
        raise ValidationError({"dossier": _("Choose a dossier your organisation owns.")})
    if locked.person_id and locked.person_id != dossier.person_id:
        raise ValidationError(
            {"dossier": _("This dossier is about another person than the screening.")}
        )
    Screening.objects.filter(pk=locked.pk).update(
        dossier=dossier, person_id=dossier.person_id, updated_at=timezone.now()
    )
    log.write(acting_user, "link_screening", locked, ["dossier", "person"])
    locked.refresh_from_db()
    return locked


@transaction.atomic
def open_dossier_from_screening(screening, *, acting_user, forms=(), caseworker=None, **person):
    """Open the NRM dossier of a screened person: a person record (unless the screening has
    one), a dossier at the screening stage, moved to "presumed victim" at once when the
    indication is strong. ``person`` holds the new record's fields (names, sex...)."""
    locked = _linkable(acting_user, screening)
    _check_not_linked(locked)
    if locked.recommendation not in (Recommendation.STRONG, Recommendation.POSSIBLE):
        raise ValidationError(_("This screening found no indication: no dossier is opened."))
    the_person = locked.person
    if the_person is None:
        citizenships = person.pop("citizenships", ())
        languages = person.pop("languages", ())
        the_person = people_actions.create_person(
            acting_user=acting_user,
            organisation=locked.organisation,
            citizenships=citizenships,
            languages=languages or ([locked.language] if locked.language_id else []),
            **person,
        )
    dossier = case_actions.open_dossier(
        the_person,
        acting_user=acting_user,
        organisation=locked.organisation,
        forms=forms,
        opened_on=locked.screened_on,
        caseworker=caseworker,
        exploitation_country=None,
        exploitation_region=locked.region,
    )
    if locked.recommendation == Recommendation.STRONG:
        case_actions.change_stage(
            dossier, acting_user=acting_user, stage=Stage.PRESUMED, on=locked.screened_on
        )
    Screening.objects.filter(pk=locked.pk).update(
        dossier=dossier, person=the_person, updated_at=timezone.now()
    )
    log.write(
        acting_user,
        "open_dossier_from_screening",
        locked,
        ["dossier", "person"],
        organisation_id=locked.organisation_id,
    )
    return dossier
