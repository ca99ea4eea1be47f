"""The annual statement (statement.py): exact sentences in Arabic, French and English on
hand-built report dicts (no database), Arabic number agreement, French plurals, None skipped,
and a property test that no input makes it fail or leak a placeholder."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from himaya.statistics.statement import (
    PARAGRAPHS,
    ArabicNoun,
    arabic_count,
    english_count,
    french_count,
    statement,
)

NNBSP = "\u202f"  # French thousands separator (CLDR)


def L(ar, fr, en):
    return {"ar": ar, "fr": fr, "en": en}


SEX = L("الاتجار بالجنس", "Exploitation sexuelle", "Sex trafficking")
LABOUR = L("العمل القسري", "Travail forcé", "Forced labour")
BEGGING = L("التسول القسري", "Mendicité forcée", "Forced begging")
SLAVERY = L(
    "ممارسات مشابهة للعبودية", "Pratiques analogues à l'esclavage", "Practices similar to slavery"
)
CRIMINALITY = L("الإجرام القسري", "Criminalité forcée", "Forced criminality")


def fact(value, previous=None):
    return {"value": value, "previous": previous}


def form(code, label, value, previous=0, level=0):
    return {"code": code, "label": label, "value": value, "previous": previous, "level": level}


def report(**facts):
    return {"year": 2023, "previous_year": 2022, "facts": facts}


def seed_report():
    """The seed article's 2023 figures (TIP report 2024 on Morocco), completed by hand."""
    return report(
        investigations=fact(79, 120),
        arrested=fact(119, 119),
        prosecuted=fact(182, 160),
        convicted=fact(40, 35),
        acquitted=fact(None),
        victims=fact(169, 166),
        victims_children=fact(40),
        victims_foreign=fact(0),
        victims_female=fact(100),
        prosecuted_by_form=[
            form("sexual", SEX, 150),
            form("forced_labour", LABOUR, 32),
            form("forced_labour:forced_begging", BEGGING, 1, level=1),
            form("forced_labour:slavery", SLAVERY, 12, level=1),
            form("forced_labour:criminality", CRIMINALITY, 6, level=1),
        ],
        victims_by_form=[
            form("sexual", SEX, 128),
            form("forced_labour", LABOUR, 42),
            form("forced_labour:forced_begging", BEGGING, 2, level=1),
            form("forced_labour:slavery", SLAVERY, 25, level=1),
            form("forced_labour:criminality", CRIMINALITY, 7, level=1),
        ],
    )


# --- the seed article's figures in the three languages ---------------------------------------


def test_law_enforcement_en():
    assert statement(seed_report(), "en")[0] == (
        "In 2023 the authorities investigated 79 trafficking cases, compared with 120 in 2022, "
        "and arrested 119 suspects. They prosecuted 182 defendants, including 150 for sex "
        "trafficking and 32 for forced labour (including 1 for forced begging, 12 for practices "
        "similar to slavery and 6 for forced criminality), compared with 160 defendants in 2022, "
        "and convicted 40 traffickers, compared with 35 in 2022."
    )


def test_law_enforcement_fr():
    assert statement(seed_report(), "fr")[0] == (
        "En 2023, les autorités ont enquêté sur 79 affaires de traite, contre 120 en 2022, et "
        "ont arrêté 119 suspects. Elles ont poursuivi 182 prévenus, dont 150 pour exploitation "
        "sexuelle et 32 pour travail forcé (dont 1 pour mendicité forcée, 12 pour pratiques "
        "analogues à l'esclavage et 6 pour criminalité forcée), contre 160 prévenus en 2022, et "
        "ont condamné 40 trafiquants, contre 35 en 2022."
    )


def test_law_enforcement_ar():
    assert statement(seed_report(), "ar")[0] == (
        "في سنة 2023، حققت السلطات في 79 قضية للاتجار بالبشر، مقابل 120 قضية في سنة 2022، "
        "واعتقلت 119 مشتبهًا به. وتابعت النيابة العامة 182 شخصًا، من بينهم 150 بتهمة الاتجار "
        "بالجنس و32 بتهمة العمل القسري (من بينهم واحد بتهمة التسول القسري و12 بتهمة ممارسات "
        "مشابهة للعبودية و6 بتهمة الإجرام القسري)، مقابل 160 شخصًا في سنة 2022، وأدانت المحاكم "
        "40 شخصًا، مقابل 35 شخصًا في سنة 2022."
    )


def test_victims_en():
    assert statement(seed_report(), "en")[1] == (
        "In 2023 the authorities identified 169 victims, compared with 166 in 2022. The victims "
        "identified included 40 children and 100 women or girls; no foreign victim was "
        "identified. By form of exploitation, they identified 128 victims of sex trafficking and "
        "42 of forced labour (including 2 of forced begging, 25 of practices similar to slavery "
        "and 7 of forced criminality); a victim may be counted under more than one form."
    )


def test_victims_fr():
    assert statement(seed_report(), "fr")[1] == (
        "En 2023, les autorités ont identifié 169 victimes, contre 166 en 2022. Les victimes "
        "identifiées comprenaient 40 enfants et 100 femmes ou filles ; aucune victime étrangère "
        "n'a été identifiée. Par forme d'exploitation, elles ont identifié 128 victimes "
        "d'exploitation sexuelle et 42 de travail forcé (dont 2 de mendicité forcée, 25 de "
        "pratiques analogues à l'esclavage et 7 de criminalité forcée) ; une même victime peut "
        "être comptée sous plusieurs formes."
    )


def test_victims_ar():
    assert statement(seed_report(), "ar")[1] == (
        "في سنة 2023، حددت السلطات 169 ضحية، مقابل 166 ضحية في سنة 2022. وشملت حصيلة الضحايا "
        "40 طفلًا و100 أنثى، ولم يكن من بين الضحايا أي أجانب. وحسب شكل الاستغلال، حددت "
        "السلطات 128 ضحية للاتجار بالجنس و42 ضحية للعمل القسري (ويشمل ذلك ضحيتين للتسول "
        "القسري و25 ضحية لممارسات مشابهة للعبودية و7 ضحايا للإجرام القسري)، علمًا بأن الضحية "
        "الواحدة قد تُحتسب ضمن أكثر من شكل."
    )


def test_only_the_given_paragraphs_are_written():
    # Protection, non-punishment and officials facts are absent: no paragraph for them.
    assert len(statement(seed_report(), "en")) == 2


# --- the other paragraphs ----------------------------------------------------------------------


def protection_report():
    return report(
        referred=fact(150, 120),
        assisted=fact(120, 118),
        shelter_beds=fact(45, 45),
        bed_nights=fact(9855, 8000),
        returns=fact(12, 0),
        victims_with_offence=fact(3, 7),
        alerts_raised=fact(5, 2),
        alerts_resolved=fact(4),
        official_investigations=fact(0, 0),
        stalled=fact(2, 1),
        ngo_support_mad=fact(1_250_000, 0),
    )


def test_protection_and_officials_en():
    assert statement(protection_report(), "en") == [
        "In 2023 the authorities referred 150 identified victims to services, compared with 120 "
        "in 2022, and provided assistance to 120 victims. Shelters had 45 beds at the end of "
        "the year and recorded 9,855 bed-nights, compared with 8,000 in 2022. The authorities "
        "assisted the voluntary return of 12 victims, compared with none in 2022.",
        "In 2023 the authorities recorded an offence against 3 identified victims, compared "
        "with 7 in 2022. The system raised 5 non-punishment alerts, compared with 2 in 2022, "
        "and resolved 4 alerts.",
        "In 2023 the authorities did not open any investigation involving a public official. The "
        "system flagged 2 cases as stalled, compared with 1 in 2022. The authorities provided "
        "MAD 1,250,000 in financial support to civil-society organisations, compared with none "
        "in 2022.",
    ]


def test_protection_and_officials_fr():
    assert statement(protection_report(), "fr") == [
        "En 2023, les autorités ont orienté 150 victimes identifiées vers des services, contre "
        "120 en 2022, et ont apporté une assistance à 120 victimes. Les centres d'hébergement "
        f"disposaient de 45 lits en fin d'année et ont enregistré 9{NNBSP}855 nuitées, contre "
        f"8{NNBSP}000 en 2022. Les autorités ont organisé le retour volontaire de 12 victimes, "
        "contre aucune en 2022.",
        "En 2023, les autorités ont enregistré une infraction à l'encontre de 3 victimes "
        "identifiées, contre 7 en 2022. Le système a émis 5 alertes de non-sanction, contre 2 "
        "en 2022, et a clôturé 4 alertes.",
        "En 2023, les autorités n'ont ouvert aucune enquête impliquant un agent public. Le "
        "système a signalé 2 affaires en souffrance, contre 1 en 2022. Les autorités ont "
        f"apporté un soutien financier de 1{NNBSP}250{NNBSP}000 dirhams aux organisations de la "
        "société civile, contre aucun en 2022.",
    ]


def test_protection_and_officials_ar():
    assert statement(protection_report(), "ar") == [
        "في سنة 2023، أحالت السلطات 150 ضحية على الخدمات، مقابل 120 ضحية في سنة 2022، وقدمت "
        "المساعدة لـ120 ضحية. ووفرت مراكز الإيواء 45 سريرًا في نهاية السنة، وسجلت 9.855 ليلة "
        "إيواء، مقابل 8.000 ليلة إيواء في سنة 2022. ونظمت السلطات العودة الطوعية لـ12 ضحية، "
        "مقابل عدم تسجيل أي ضحية في سنة 2022.",
        "في سنة 2023، سجلت السلطات مخالفة في حق 3 ضحايا، مقابل 7 ضحايا في سنة 2022. وأصدر "
        "النظام 5 تنبيهات بشأن عدم معاقبة الضحايا، مقابل تنبيهين في سنة 2022، وعالج 4 تنبيهات.",
        "في سنة 2023، لم تفتح السلطات أي تحقيق بشأن تورط موظفين عموميين. ورصد النظام قضيتين "
        "في حالة تعثر، مقابل قضية واحدة في سنة 2022. وقدمت السلطات دعمًا ماليًا بقيمة "
        "1.250.000 درهم لمنظمات المجتمع المدني، في حين لم يُقدَّم أي دعم في سنة 2022.",
    ]


# --- zero: a negation in each language ---------------------------------------------------------


def test_zero_convictions():
    r = report(convicted=fact(0, 35))
    assert statement(r, "en") == [
        "In 2023 the authorities did not convict any trafficker, compared with 35 in 2022."
    ]
    assert statement(r, "fr") == [
        "En 2023, les autorités n'ont condamné aucun trafiquant, contre 35 en 2022."
    ]
    assert statement(r, "ar") == ["في سنة 2023، لم تُدِن المحاكم أي شخص، مقابل 35 شخصًا في سنة 2022."]


def test_zero_both_years_and_zero_previous():
    r = report(investigations=fact(0, 0), victims=fact(3, 0))
    assert statement(r, "en") == [
        "In 2023 the authorities did not investigate any trafficking case, as in 2022.",
        "In 2023 the authorities identified 3 victims, compared with none in 2022.",
    ]
    assert statement(r, "fr") == [
        "En 2023, les autorités n'ont enquêté sur aucune affaire de traite, comme en 2022.",
        "En 2023, les autorités ont identifié 3 victimes, contre aucune en 2022.",
    ]
    assert statement(r, "ar") == [
        "في سنة 2023، لم تحقق السلطات في أي قضية للاتجار بالبشر، كما في سنة 2022.",
        "في سنة 2023، حددت السلطات 3 ضحايا، مقابل عدم تسجيل أي ضحية في سنة 2022.",
    ]


def test_zero_in_a_second_clause():
    r = report(prosecuted=fact(4, 4), convicted=fact(0, 1))
    assert statement(r, "en") == [
        "In 2023 the authorities prosecuted 4 defendants, the same number as in 2022, and did "
        "not convict any trafficker, compared with 1 in 2022."
    ]
    assert statement(r, "fr") == [
        "En 2023, les autorités ont poursuivi 4 prévenus, soit autant qu'en 2022, et n'ont "
        "condamné aucun trafiquant, contre 1 en 2022."
    ]
    assert statement(r, "ar") == [
        "في سنة 2023، تابعت النيابة العامة 4 أشخاص، وهو العدد نفسه المسجل في سنة 2022، ولم "
        "تُدِن المحاكم أي شخص، مقابل شخص واحد في سنة 2022."
    ]


# --- Arabic number agreement -------------------------------------------------------------------

CASE = ArabicNoun("قضية", "قضيتين", "قضايا", "قضية", True)
SUSPECT = ArabicNoun("مشتبه به", "مشتبهين بهما", "مشتبه بهم", "مشتبهًا به")


@pytest.mark.parametrize(
    ("n", "genitive", "accusative"),
    [
        (0, "0 مشتبه به", "0 مشتبه به"),
        (1, "مشتبه به واحد", "مشتبهًا به واحدًا"),
        (2, "مشتبهين بهما", "مشتبهين بهما"),
        (3, "3 مشتبه بهم", "3 مشتبه بهم"),
        (10, "10 مشتبه بهم", "10 مشتبه بهم"),
        (11, "11 مشتبهًا به", "11 مشتبهًا به"),
        (99, "99 مشتبهًا به", "99 مشتبهًا به"),
        (100, "100 مشتبه به", "100 مشتبه به"),
        (101, "101 مشتبه به", "101 مشتبه به"),
        (102, "102 مشتبه به", "102 مشتبه به"),
        (103, "103 مشتبه بهم", "103 مشتبه بهم"),
        (110, "110 مشتبه بهم", "110 مشتبه بهم"),
        (111, "111 مشتبهًا به", "111 مشتبهًا به"),
        (119, "119 مشتبهًا به", "119 مشتبهًا به"),
        (1000, "1.000 مشتبه به", "1.000 مشتبه به"),
        (2023, "2.023 مشتبهًا به", "2.023 مشتبهًا به"),
        (1_000_003, "1.000.003 مشتبه بهم", "1.000.003 مشتبه بهم"),
    ],
)
def test_arabic_count_masculine(n, genitive, accusative):
    assert arabic_count(n, SUSPECT) == genitive
    assert arabic_count(n, SUSPECT, "accusative") == accusative


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "قضية واحدة"),
        (2, "قضيتين"),
        (3, "3 قضايا"),
        (11, "11 قضية"),
        (100, "100 قضية"),
        (101, "101 قضية"),
        (105, "105 قضايا"),
    ],
)
def test_arabic_count_feminine(n, expected):
    assert arabic_count(n, CASE, "accusative") == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "لم تعتقل أي مشتبه به"),
        (1, "اعتقلت مشتبهًا به واحدًا"),
        (2, "اعتقلت مشتبهين بهما"),
        (3, "اعتقلت 3 مشتبه بهم"),
        (11, "اعتقلت 11 مشتبهًا به"),
        (100, "اعتقلت 100 مشتبه به"),
        (101, "اعتقلت 101 مشتبه به"),
    ],
)
def test_arabic_agreement_in_the_statement(n, expected):
    text = statement(report(investigations=fact(79, 120), arrested=fact(n)), "ar")[0]
    assert text.endswith(f"، و{expected}.")


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "حددت السلطات ضحية واحدة، مقابل ضحيتين في سنة 2022"),
        (2, "حددت السلطات ضحيتين، مقابل ضحية واحدة في سنة 2022"),
        (11, "حددت السلطات 11 ضحية، مقابل ضحية واحدة في سنة 2022"),
        (101, "حددت السلطات 101 ضحية، مقابل ضحية واحدة في سنة 2022"),
    ],
)
def test_arabic_victims_and_previous_year(n, expected):
    previous = 2 if n == 1 else 1
    r = report(victims=fact(n, previous), victims_children=fact(1), victims_foreign=fact(2))
    assert statement(r, "ar") == [
        f"في سنة 2023، {expected}. وشملت حصيلة الضحايا طفلًا واحدًا وأجنبيين."
    ]


def test_arabic_charges_one_and_two_as_words():
    r = report(
        prosecuted=fact(3),
        prosecuted_by_form=[form("sexual", SEX, 2), form("forced_labour", LABOUR, 1)],
    )
    assert statement(r, "ar") == [
        "في سنة 2023، تابعت النيابة العامة 3 أشخاص، من بينهم اثنان بتهمة الاتجار بالجنس وواحد "
        "بتهمة العمل القسري."
    ]


# --- French and English plurals ----------------------------------------------------------------


def test_french_singular_plural_and_millions():
    forms = ("enquête", "enquêtes", True)
    assert french_count(1, forms) == "1 enquête"
    assert french_count(2, forms) == "2 enquêtes"
    assert french_count(1250, forms) == f"1{NNBSP}250 enquêtes"
    assert french_count(2_000_000, forms) == f"2{NNBSP}000{NNBSP}000 d'enquêtes"
    assert french_count(1_000_000, ("dirham", "dirhams")) == f"1{NNBSP}000{NNBSP}000 de dirhams"


def test_french_one_of_each():
    r = report(
        investigations=fact(1, 2), arrested=fact(1), victims=fact(1, 1), victims_children=fact(1)
    )
    assert statement(r, "fr") == [
        "En 2023, les autorités ont enquêté sur 1 affaire de traite, contre 2 en 2022, et ont "
        "arrêté 1 suspect.",
        "En 2023, les autorités ont identifié 1 victime, soit autant qu'en 2022. Les victimes "
        "identifiées comprenaient 1 enfant.",
    ]


def test_french_participle_agreement_in_negations():
    r = report(victims=fact(4), victims_children=fact(0), victims_foreign=fact(0))
    assert statement(r, "fr") == [
        "En 2023, les autorités ont identifié 4 victimes. Aucune victime mineure ou étrangère "
        "n'a été identifiée."
    ]


def test_english_singular_plural():
    assert english_count(1, ("case", "cases")) == "1 case"
    assert english_count(2, ("case", "cases")) == "2 cases"
    assert english_count(12345, ("case", "cases")) == "12,345 cases"
    r = report(investigations=fact(1, 2), arrested=fact(2))
    assert statement(r, "en") == [
        "In 2023 the authorities investigated 1 trafficking case, compared with 2 in 2022, and "
        "arrested 2 suspects."
    ]


# --- None, previous-year rule, bad input -------------------------------------------------------


def test_none_values_are_left_out():
    r = report(
        investigations=fact(None, 120),
        arrested=fact(119, None),
        prosecuted=fact(None),
        convicted=fact(40, None),
        victims=fact(None, 3),
        victims_children=fact(None),
    )
    assert statement(r, "en") == [
        "In 2023 the authorities arrested 119 suspects. They convicted 40 traffickers."
    ]
    assert statement(r, "fr") == [
        "En 2023, les autorités ont arrêté 119 suspects. Elles ont condamné 40 trafiquants."
    ]
    assert statement(r, "ar") == [
        "في سنة 2023، اعتقلت السلطات 119 مشتبهًا به. وأدانت المحاكم 40 شخصًا."
    ]
    assert statement(report(), "en") == []
    assert statement({"year": 2023}, "ar") == []


def test_previous_year_only_when_it_differs_meaningfully_outside_the_main_figures():
    # bed-nights 1000 vs 1020: under 5%, not said; investigations: always said.
    r = report(investigations=fact(10, 10), bed_nights=fact(1000, 1020), shelter_beds=fact(4, 8))
    assert statement(r, "en") == [
        "In 2023 the authorities investigated 10 trafficking cases, the same number as in 2022.",
        "In 2023 shelters had 4 beds at the end of the year, compared with 8 in 2022, and "
        "recorded 1,000 bed-nights.",
    ]


def test_unknown_language_is_a_clear_error():
    with pytest.raises(ValueError, match="Unknown language 'de'"):
        statement(seed_report(), "de")


# --- property: never fails, never leaks a placeholder ------------------------------------------

NAMES = sorted(
    {
        name
        for paragraph in PARAGRAPHS
        for spec in paragraph
        if isinstance(spec, tuple)
        for name, _ in spec[1]
    }
    | {"victims_children", "victims_foreign", "victims_female"}
)
counts = st.one_of(st.none(), st.integers(0, 10**6))
forms = st.lists(
    st.builds(
        lambda code, v, p, level: form(code, SEX if level == 0 else BEGGING, v, p, level),
        st.sampled_from(["sexual", "forced_labour", "forced_labour:begging"]),
        counts,
        counts,
        st.sampled_from([0, 1]),
    ),
    max_size=5,
)
random_facts = st.fixed_dictionaries(
    {name: st.builds(fact, counts, counts) for name in NAMES},
    optional={f"{k}_by_form": forms for k in ("prosecuted", "convicted", "victims")},
)


@settings(max_examples=300, deadline=None)
@given(facts=random_facts, language=st.sampled_from(["ar", "fr", "en"]))
def test_statement_never_fails_nor_leaks(facts, language):
    paragraphs = statement({"year": 2023, "previous_year": 2022, "facts": facts}, language)
    assert isinstance(paragraphs, list)
    for text in paragraphs:
        assert isinstance(text, str) and text.endswith(".")
        for leak in ("None", "{", "}", "  ", " ,", "..", "(including )", "(dont )"):
            assert leak not in text, (leak, text)
