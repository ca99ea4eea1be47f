"""The annual report read in the reader's language whoever computed it, its dates in the
Moroccan formats, the years it offers, and its PDF laid out once per data version (issue 15)."""

import datetime
import io
import re
from pathlib import Path

import openpyxl
import pytest
from babel.dates import format_datetime
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from himaya.cases.actions import record_decision
from himaya.justice import actions as ja
from himaya.statistics import exports, labels
from himaya.statistics.models import FrozenReport
from himaya.statistics.report import build_report
from himaya.testing import factories as f

pytestmark = pytest.mark.django_db

D = datetime.date
Y = 2023
HIMAYA = Path(settings.BASE_DIR) / "himaya"

# A date written month first: a month (1-12), then a day past 12, then a year; and a time with
# a 12-hour marker (Arabic ص / م, English AM / PM).
US_DATE = re.compile(r"(?<!\d)(0?[1-9]|1[0-2])\u200f?/(1[3-9]|2\d|3[01])\u200f?/\d{4}")
TWELVE_HOUR = re.compile(
    r"\d{1,2}:\d{2}(:\d{2})?\s?(AM|PM|am|pm|a\.m\.|p\.m\.|ص|م)(?![\w\u0600-\u06ff])"
)


def _victim(users, orgs, on, opened_on):
    carol, police = users["carol"], orgs["police"]
    d = f.dossier(carol, police, forms=("sexual",), opened_on=opened_on)
    record_decision(
        d,
        acting_user=carol,
        organisation=police,
        status=f.code("trafficking_status", "possible"),
        decided_on=on,
        reasons="x",
    )
    return d


@pytest.fixture
def caseload(users, orgs):
    """Victims identified on 25 March and 16 October 2023 (dossiers opened on 14 and 28 of the
    month before), one in 2022; an investigation opened on 13 February 2023."""
    dossiers = [
        _victim(users, orgs, D(Y, 3, 25), D(Y, 2, 14)),
        _victim(users, orgs, D(Y, 10, 16), D(Y, 9, 28)),
        _victim(users, orgs, D(Y - 1, 5, 1), D(Y - 1, 4, 20)),
    ]
    ja.open_investigation(
        acting_user=users["carol"], organisation=orgs["police"], opened_on=D(Y, 2, 13)
    )
    return dossiers


def _speak(user, lang):
    """The reader's language, as their profile keeps it (accounts' UserLanguageMiddleware)."""
    type(user).objects.filter(pk=user.pk).update(preferred_language=lang)


def url(name, *args):
    return reverse(f"statistics:{name}", args=args)


def _texts(pdf):
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))


def _cells(xlsx):
    wb = openpyxl.load_workbook(io.BytesIO(xlsx))
    return "\n".join(
        str(c.value) for ws in wb.worksheets for r in ws.iter_rows() for c in r if c.value
    )


def test_a_report_computed_in_french_reads_in_arabic_and_english(caseload, users, login, figure):
    """The build is made by a French page; the Arabic and English page, PDF and workbook show
    not one sentence of French (the officials' table's rule was the one that leaked)."""
    client = login(users["ana"])
    _speak(users["ana"], "fr")
    assert client.get(url("report", Y)).status_code == 200  # computed here, in French
    stored = client.get(url("export", Y, "json") + "?lang=fr").json()
    english = client.get(url("export", Y, "json") + "?lang=en").json()
    # the tables' titles in French (where French differs from English), and the rule that leaked
    french = [
        fr["title"]
        for fr, en in zip(stored["tables"], english["tables"], strict=True)
        if fr["title"] != en["title"]
    ]
    assert "Victimes identifiées" in french
    french.append("Enquêtes ouvertes, personnes poursuivies")
    for lang in ("ar", "en"):
        _speak(users["ana"], lang)
        page = client.get(url("report", Y)).content.decode()
        pdf = _texts(client.get(url("export", Y, "pdf") + f"?lang={lang}").content)
        xlsx = _cells(client.get(url("export", Y, "xlsx") + f"?lang={lang}").content)
        for name, text in (("page", page), ("pdf", pdf), ("xlsx", xlsx)):
            for words in french:
                assert words[:40] not in text, (lang, name, words)
        rule = labels.render(
            labels.ngettext(
                "Investigations opened, defendants prosecuted and convicted in the year where a "
                "suspect is flagged as a public official; proceedings open at the end of the year "
                "whose latest event is older than the stalled limit (%(months)s month).",
                "Investigations opened, defendants prosecuted and convicted in the year where a "
                "suspect is flagged as a public official; proceedings open at the end of the year "
                "whose latest event is older than the stalled limit (%(months)s months).",
                settings.HIMAYA_STALLED_MONTHS,
                months=settings.HIMAYA_STALLED_MONTHS,
            ),
            lang,
        )
        assert rule in page and rule in xlsx
    assert "Officials and stalled cases" in pdf  # the English PDF, in English
    # the stored build holds references, not words
    from himaya.statistics.models import ReportBuild

    build = ReportBuild.objects.get(year=Y, status="done")
    title = next(t["title"] for t in build.report["tables"] if t["key"] == "officials_stalled")
    assert title == {"$t": "Officials and stalled cases"}
    figure("report computed in French, read in ar and en: 0 French sentences in page, PDF, XLSX")


def _frozen(users, when):
    report = build_report(Y, as_of=when)
    return FrozenReport.objects.create(
        year=Y,
        version=1,
        report=report,
        data_version=report["data_version"],
        frozen_by=users["ana"],
        frozen_at=when,
    )


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_every_date_of_the_report_is_moroccan_never_month_first(caseload, users, login, lang):
    """Frozen at 00:16 on 6 December 2024: the page says 6/12/2024 00:16 in the reader's
    language (Babel, ar-MA / fr-MA), never 12/06/2024 nor a 12-hour "ص"; the records, the
    workbook and the PDF have no month-first date either."""
    when = timezone.make_aware(datetime.datetime(Y + 1, 12, 6, 0, 16))
    _frozen(users, when)
    client = login(users["ana"])
    _speak(users["ana"], lang)
    locale = settings.BABEL_LOCALES[lang]
    outputs = {
        "frozen page": client.get(url("report", Y) + "?version=1").content.decode(),
        "live page": client.get(url("report", Y)).content.decode(),
        "records": client.get(url("records", Y, "victims")).content.decode(),
        "xlsx": _cells(client.get(url("export", Y, "xlsx") + f"?lang={lang}&version=1").content),
        "pdf": _texts(client.get(url("export", Y, "pdf") + f"?lang={lang}&version=1").content),
    }
    assert format_datetime(when, "short", locale=locale) in outputs["frozen page"]
    assert "12/06/2024" not in outputs["frozen page"]
    month = {"ar": "دجنبر", "fr": "décembre", "en": "December"}[lang]
    assert month in outputs["xlsx"]  # "Generated": 6 December 2024, Moroccan month names
    for name, text in outputs.items():
        assert not US_DATE.search(text), (name, US_DATE.search(text).group(0))
        assert not TWELVE_HOUR.search(text), (name, TWELVE_HOUR.search(text).group(0))


def test_no_template_or_module_formats_a_date_outside_babel():
    """Pages and exports format dates through Babel (``mdate`` / ``mdatetime``), never with
    Django's ``date``/``time`` filters (Django's Arabic has no Moroccan month names and its
    fallback is month first with AM/PM) nor ``strftime`` for a reader (machine stamps only)."""
    machine_stamps = {"hotline/actions/common.py", "demo/backup/archive.py"}
    found = []
    for path in HIMAYA.rglob("*.html"):
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"\|\s*(date|time)\b", line):
                found.append(f"{path.relative_to(HIMAYA)}:{n}")
    for path in HIMAYA.rglob("*.py"):
        relative = str(path.relative_to(HIMAYA))
        if "/tests/" in f"/{relative}" or relative in machine_stamps:
            continue
        if "strftime(" in path.read_text():
            found.append(relative)
    assert found == []


def test_django_formats_are_day_first_and_24_hour():
    from django.template.defaultfilters import date as date_filter
    from django.utils import formats, translation

    moment = datetime.datetime(2026, 12, 6, 0, 16)
    for lang in ("ar", "fr", "en"):
        with translation.override(lang):
            assert date_filter(moment, "SHORT_DATETIME_FORMAT") == "06/12/2026 00:16"
            # a typed 06/12/2026 is 6 December
            day = next(
                datetime.datetime.strptime("06/12/2026", fmt).date()
                for fmt in formats.get_format("DATE_INPUT_FORMATS")
                if _parses("06/12/2026", fmt)
            )
            assert day == D(2026, 12, 6), lang


def _parses(text, fmt):
    try:
        datetime.datetime.strptime(text, fmt)
    except ValueError:
        return False
    return True


def test_only_years_with_records_are_offered_and_the_running_year_says_so(
    caseload, users, login, figure
):
    this_year = timezone.localdate().year
    client = login(users["ana"])
    _speak(users["ana"], "en")
    page = client.get(url("report", Y)).content.decode()
    nav = re.search(r'data-testid="report-years">(.*?)</nav>', page, re.S).group(1)
    offered = [int(y) for y in re.findall(r"/figures/report/(\d{4})/", nav)]
    assert offered == [this_year, Y - 1]  # 2023 is the page itself; no empty year
    assert f"{this_year} (in progress)" in nav
    assert 'data-testid="in-progress"' not in page
    running = client.get(url("report", this_year)).content.decode()
    assert 'data-testid="in-progress"' in running
    assert f"{this_year} is in progress: figures up to" in running
    xlsx = _cells(client.get(url("export", this_year, "xlsx") + "?lang=en").content)
    assert f"{this_year} is in progress: figures up to" in xlsx
    # the report's index opens on the latest ended year with records
    assert client.get(reverse("statistics:report_index")).url == url("report", Y)
    figure(f"report years offered: {offered} + {Y}; running year marked in page and exports")


def test_the_pdf_is_laid_out_once_per_data_version_and_language(
    caseload, users, orgs, login, monkeypatch, figure
):
    from django.core.cache import cache

    cache.clear()
    laid_out = []
    real = exports.to_pdf

    def counting(report, lang, paragraphs=None):
        laid_out.append(lang)
        return real(report, lang, paragraphs)

    monkeypatch.setattr(exports, "to_pdf", counting)
    client = login(users["ana"])
    first = client.get(url("export", Y, "pdf") + "?lang=ar")
    again = client.get(url("export", Y, "pdf") + "?lang=ar")
    assert first.status_code == again.status_code == 200 and first.content == again.content
    assert laid_out == ["ar"]
    client.get(url("export", Y, "pdf") + "?lang=fr")
    assert laid_out == ["ar", "fr"]
    _victim(users, orgs, D(Y, 11, 20), D(Y, 11, 14))  # a record changes: new figures
    changed = client.get(url("export", Y, "pdf") + "?lang=ar")
    assert laid_out == ["ar", "fr", "ar"] and changed.content != first.content
    figure(
        "report PDF: 2nd export of a data version served from the cache; a write lays it out again"
    )
