"""The words registers write for a person's sex are accepted beside the labels: "F"/"M",
"femme"/"homme" (a French register wrote them and every row was refused: the French labels are
"féminin"/"masculin"). A word that names no value is still an error on its row."""

import pytest
from django.utils import translation

from himaya.core.registers.values import Vocabulary

from .casework_data import casework, check

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "word, code",
    [
        ("F", "female"),
        ("Femme", "female"),
        ("fille", "female"),
        ("أنثى", "female"),
        ("M", "male"),
        ("H", "male"),
        ("homme", "male"),
        ("Garçon", "male"),
        ("masculin", "male"),
    ],
)
def test_register_words_for_a_sex_are_read(word, code):
    assert Vocabulary.of_codes("sex").parse(word).code == code


def test_a_french_register_with_femme_and_homme_is_checked_clean(users, orgs):
    data = casework()
    data = {"dossiers": data["dossiers"][:3]}
    data["dossiers"][1][4], data["dossiers"][2][4] = "Femme", "homme"
    _run, result = check(users["alice"], orgs["ngo_a"], data)
    assert result.ok, [e.as_dict() for e in result.errors]
    data["dossiers"][2][4] = "martien"
    with translation.override("en"):
        _run, result = check(users["alice"], orgs["ngo_a"], data)
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("dossiers", 3, "sex")]
