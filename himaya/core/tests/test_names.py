"""The name normaliser: Arabic and Latin spellings of one name meet (DOMAIN.md §8)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from himaya.core import names


@pytest.mark.parametrize(
    "a, b",
    [
        ("محمد", "Mohamed"),
        ("محمد", "Mohammed"),
        ("محمد", "Muhammad"),
        ("فاطمة", "Fatima"),
        ("فاطمة", "Fatimah"),
        ("يوسف", "Youssef"),
        ("رشيد", "Rachid"),
        ("خديجة", "Khadija"),
        ("قاسم", "Kacem"),
        ("مصطفى", "Mustapha"),
        ("هشام", "Hicham"),
        ("أسامة", "Oussama"),
        ("إدريس", "Driss"),
        ("ابراهيم", "Brahim"),
        ("زينب", "Zineb"),
        ("عائشة", "Aicha"),
        ("عبد الله", "Abdallah"),
        ("عبدالله", "Abdellah"),
        ("العمراني", "El Amrani"),
        ("العمراني", "Elamrani"),
    ],
)
def test_arabic_and_latin_spellings_share_a_key(a, b):
    assert (
        names.index_keys(a)
        & names.index_keys(b)
        & {k for k in names.index_keys(a) if k.startswith("s:")}
    )


def test_arabic_folding_removes_diacritics_and_tatweel_and_folds_letters():
    assert names.fold_arabic("مُحَمَّـد") == "محمد"
    assert names.fold_arabic("أإآ") == "ااا"
    assert names.fold_arabic("مصطفى فاطمة") == "مصطفي فاطمه"


def test_latin_folding_removes_accents():
    assert names.fold_latin("Aïcha Benzékri") == "aicha benzekri"


def test_particles_are_dropped_and_abd_is_joined():
    assert names.name_tokens("Mohamed ben Ali") == ["mohamed", "ali"]
    assert names.name_tokens("محمد بن علي") == ["محمد", "علي"]
    assert names.name_tokens("عبد الرحمن") == ["عبدالرحمن"]
    assert names.name_tokens("Abdel Karim") == ["abdelkarim"]


def test_joined_compound_names_meet_their_split_spelling():
    joined = names.index_keys("Fatimazahra")
    split_query = names.joined_query_groups("فاطمة الزهراء")
    assert split_query and split_query[0] & joined


def test_distinct_names_do_not_meet():
    assert not (names.index_keys("Youssef") & names.index_keys("Rachid"))


@given(st.text(max_size=40))
def test_normaliser_never_fails_and_keys_are_prefixed(text):
    for key in names.index_keys(text):
        assert key.startswith(("x:", "s:"))
    for group in names.query_groups(text):
        assert group and all(k.startswith("s:") for k in group)
