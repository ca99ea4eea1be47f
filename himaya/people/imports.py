"""The person columns of the import registers, declared once: a dossier's person in the
casework of past years (cases/imports.py) and a suspect in the justice registers
(justice/imports/) are named, sexed and dated by the same columns, in any of the headers
registers use. How a row becomes a person is ``person_fields``; the person itself is written by
``actions.do_create_person``, as on the person page."""

from django.utils.translation import gettext_lazy as _

from himaya.core.registers.schema import Column, choices

from .models import BirthDatePrecision

NAME_FIELDS = ("given_name_ar", "family_name_ar", "given_name_lat", "family_name_lat")


def person_columns(*, several_citizenships=True, estimated_age=True):
    """The columns of a person: names in both scripts, sex, birth date and its precision, the
    estimated age (when the register keeps one) and citizenship (one, or several)."""
    columns = [*_name_columns(), *_sex_and_birth_columns()]
    if estimated_age:
        columns.append(
            Column(
                "estimated_age",
                _("Estimated age when the dossier was opened, if the birth date is unknown."),
                "int",
                aliases=("âge estimé", "العمر التقديري"),
            )
        )
    columns.append(
        Column(
            "citizenship",
            _("Citizenships (country codes), separated by “;”.")
            if several_citizenships
            else _("Citizenship (ISO country code or name)."),
            "code",
            code_list="country",
            many=several_citizenships,
            aliases=("nationalité", "nationality", "الجنسية"),
            example="MA",
        )
    )
    return columns


def _name_columns():
    """Given and family names, in Latin and Arabic script."""
    return [
        Column(
            "given_name_lat",
            _("Given name (Latin script)."),
            aliases=("prénom", "prenom", "given name", "first name"),
            max_length=200,
            example="Amina",
        ),
        Column(
            "family_name_lat",
            _("Family name (Latin script)."),
            aliases=("nom", "nom de famille", "family name", "last name"),
            max_length=200,
            example="Benali",
        ),
        Column(
            "given_name_ar",
            _("Given name (Arabic script)."),
            aliases=("prénom arabe", "prénom (arabe)", "الاسم الشخصي"),
            max_length=200,
        ),
        Column(
            "family_name_ar",
            _("Family name (Arabic script)."),
            aliases=("nom arabe", "nom (arabe)", "الاسم العائلي"),
            max_length=200,
        ),
    ]


def _sex_and_birth_columns():
    """Sex, and the birth date with its precision."""
    return [
        Column(
            "sex",
            _("Sex."),
            "code",
            code_list="sex",
            aliases=("sexe", "الجنس"),
            example="female",
        ),
        Column(
            "birth_date",
            _("Birth date (a year alone: give 1 January and the precision “year”)."),
            "date",
            aliases=("date de naissance", "تاريخ الازدياد"),
            example="1998-05-02",
        ),
        Column(
            "birth_date_precision",
            _("Precision of the birth date (default: exact when a birth date is given)."),
            "choice",
            vocab=choices(BirthDatePrecision.choices),
            aliases=("précision", "précision de la date", "دقة تاريخ الازدياد", "دقة التاريخ"),
            example="exact",
        ),
    ]


def person_fields(values, estimated_on=None):
    """A person's fields from a row (as ``actions.do_create_person`` takes them): the
    precision of the birth date is exact when a date is given, estimated when an age is."""
    fields = {name: values.get(name) or "" for name in NAME_FIELDS}
    fields["sex"] = values.get("sex")
    fields["birth_date"] = values.get("birth_date")
    precision = values.get("birth_date_precision") or ""
    if values.get("estimated_age") is not None:
        fields["estimated_age"] = values["estimated_age"]
        fields["estimated_on"] = estimated_on
        precision = precision or BirthDatePrecision.ESTIMATED
    elif fields["birth_date"] is not None:
        precision = precision or BirthDatePrecision.EXACT
    fields["birth_date_precision"] = precision or BirthDatePrecision.UNKNOWN
    return fields


def person_pairs(person, values, fields):
    """(column, recorded, in the file) for a person found again; ``None`` in the file where
    the sheet has no such column."""
    pairs = [
        (name, getattr(person, name), fields[name] if name in values else None)
        for name in NAME_FIELDS
    ]
    pairs += [
        ("sex", person.sex, fields["sex"] if "sex" in values else None),
        ("birth_date", person.birth_date, values.get("birth_date")),
        ("estimated_age", person.estimated_age, values.get("estimated_age")),
    ]
    if values.get("birth_date_precision"):
        pairs.append(
            ("birth_date_precision", person.birth_date_precision, fields["birth_date_precision"])
        )
    if "citizenship" in values:
        pairs.append(
            (
                "citizenship",
                {c.code for c in person.citizenships.all()},
                {c.code for c in values["citizenship"] or []},
            )
        )
    return pairs
