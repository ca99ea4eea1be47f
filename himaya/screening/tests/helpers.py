"""Helpers for the screening tests: the published questionnaires (loaded by the migration) and
screenings made through the actions."""

from himaya.screening import actions
from himaya.screening.models import Questionnaire

# Answers that meet the adult rule on the shipped adult labour list.
STRONG_LABOUR = {
    "deceptive_recruitment.nature_of_job": "yes",
    "deceptive_recruitment.wages": "yes",
    "exploitation.excessive_hours": "yes",
    "exploitation.low_salary": "yes",
    "coercion_destination.documents": "yes",
    "coercion_destination.debt": "yes",
}
# Exploitation only: a possible indication.
POSSIBLE_LABOUR = {
    "exploitation.low_salary": "yes",
    "exploitation.bad_living": "yes",
    "exploitation.bad_working": "yes",
    "deceptive_recruitment.nature_of_job": "no",
}
NONE_LABOUR = {"deceptive_recruitment.nature_of_job": "no", "exploitation.low_salary": "no"}


def published(code="adult_labour"):
    return Questionnaire.objects.published().get(code=code)


def start(user, org, code="adult_labour", answers=None, **fields):
    fields.setdefault("alias", "Canary alias")
    return actions.start_screening(
        acting_user=user,
        organisation=org,
        questionnaire=published(code),
        answers=answers or {},
        **fields,
    )


def submitted(user, org, answers=STRONG_LABOUR, code="adult_labour", **fields):
    return actions.submit_screening(start(user, org, code, answers, **fields), acting_user=user)
