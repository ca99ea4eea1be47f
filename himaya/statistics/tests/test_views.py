"""The annual report pages, exports, freezing, drill-down, API and the commission's home panel,
through the test client on a real database."""

import datetime
import io
import json

import openpyxl
import pytest
from django.urls import reverse

from himaya.audit.models import AuditEvent
from himaya.cases.actions import record_decision
from himaya.justice import actions as ja
from himaya.statistics.models import FrozenReport
from himaya.statistics.report import find_row
from himaya.testing import factories as f

pytestmark = pytest.mark.django_db

D = datetime.date
Y = 2023


def _victim(users, orgs, on, forms=("sexual",)):
    carol, police = users["carol"], orgs["police"]
    d = f.dossier(carol, police, forms=forms, opened_on=D(2022, 1, 1))
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
    dossiers = [_victim(users, orgs, D(Y, m, 1)) for m in (2, 3, 4)]
    dossiers.append(_victim(users, orgs, D(Y - 1, 5, 1), forms=("labour",)))
    inv = ja.open_investigation(
        acting_user=users["carol"], organisation=orgs["police"], opened_on=D(Y, 2, 1)
    )
    return {"dossiers": dossiers, "investigation": inv}


def url(name, *args):
    return reverse(f"statistics:{name}", args=args)


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_the_analyst_reads_the_report_in_each_language(caseload, users, login, language):
    client = login(users["ana"])
    client.cookies["django_language"] = language
    page = client.get(url("report", Y), HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'lang="{language}"' in html
    assert 'data-testid="statement"' in html and 'data-testid="table-victims"' in html
    assert "<svg" in html  # the charts, drawn on the server
    cell = html.split('data-testid="cell-victims-victims">')[1].split("<")[0]
    assert cell == "3"


def test_other_roles_get_404_everywhere(caseload, users, login):
    for name in ("alice", "carol", "paula", "sam", "olivia", "charlie", "root"):
        client = login(users[name])
        for target in (
            url("report_index"),
            url("report", Y),
            url("export", Y, "xlsx"),
            url("records", Y, "victims"),
        ):
            assert client.get(target).status_code == 404, (name, target)
        # the API answers 403 to an account with no membership (root, charlie), 404 to members
        api = client.get(reverse("api:annual_report", args=[Y])).status_code
        assert api == (403 if name in ("charlie", "root") else 404), name
        assert client.post(url("freeze", Y)).status_code == 404
    assert not FrozenReport.objects.exists()


def test_bad_years_and_formats_are_404_not_500(users, login):
    client = login(users["ana"])
    assert client.get(url("report", 1999)).status_code == 404
    assert client.get(url("report", 2999)).status_code == 404
    assert client.get(url("export", Y, "docx")).status_code == 404
    assert client.get(url("report", Y) + "?version=abc").status_code == 404
    assert client.get(url("report", Y) + "?version=7").status_code == 404
    assert client.get(url("records", Y, "nothing")).status_code == 404
    assert client.get(url("report_index") + "?year=abc").status_code == 302


def test_exports(caseload, users, login):
    client = login(users["ana"])
    xlsx = client.get(url("export", Y, "xlsx") + "?lang=ar")
    assert xlsx.status_code == 200
    assert "attachment" in xlsx["Content-Disposition"] and ".xlsx" in xlsx["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert len(book.sheetnames) >= 10
    csv_body = client.get(url("export", Y, "csv") + "?lang=fr").content.decode("utf-8-sig")
    assert "Victimes" in csv_body or "victimes" in csv_body
    data = json.loads(client.get(url("export", Y, "json")).content)
    assert find_row(data, "victims", "victims")["value"] == 3
    unodc = client.get(url("export", Y, "unodc") + "?lang=en")
    assert unodc.status_code == 200 and openpyxl.load_workbook(io.BytesIO(unodc.content))
    pdf = client.get(url("export", Y, "pdf") + "?lang=ar")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action__startswith="export_report").count() == 5


def test_freeze_keeps_the_figures_and_a_new_version_lists_the_differences(
    caseload, users, orgs, login, figure
):
    client = login(users["ana"])
    response = client.post(url("freeze", Y), {"note": "Soumission officielle"})
    assert response.status_code == 302 and response["Location"].endswith("?version=1")
    v1 = FrozenReport.objects.get(year=Y, version=1)
    assert find_row(v1.report, "victims", "victims")["value"] == 3
    assert v1.frozen_by == users["ana"] and v1.note == "Soumission officielle"
    # nothing changed: no second version, and the note typed stays on the page
    again = client.post(url("freeze", Y), {"note": "again"})
    assert again.status_code == 400 and "again</textarea>" in again.content.decode()
    assert "nothing new to freeze" in again.content.decode()
    assert FrozenReport.objects.count() == 1
    # a late record of that year: the frozen version does not move, the live report does
    _victim(users, orgs, D(Y, 11, 30))
    v1.refresh_from_db()
    assert find_row(v1.report, "victims", "victims")["value"] == 3
    frozen_page = client.get(url("report", Y) + "?version=1").content.decode()
    assert frozen_page.split('data-testid="cell-victims-victims">')[1].startswith("3<")
    live = client.get(url("report", Y)).content.decode()
    assert live.split('data-testid="cell-victims-victims">')[1].startswith("4<")
    assert 'data-testid="changes"' in live  # changes since version 1
    client.post(url("freeze", Y), {"note": "late record"})
    v2 = FrozenReport.objects.get(year=Y, version=2)
    assert v2.data_version != v1.data_version
    page = client.get(url("report", Y) + "?version=2").content.decode()
    changes = page.split('data-testid="changes"')[1].split("</table>")[0]
    assert "Victims identified" in changes and ">3<" in changes and ">4<" in changes
    assert (
        client.get(reverse("api:annual_report", args=[Y]) + "?version=1").json()["frozen_version"]
        == 1
    )
    figure("freeze: version 1 kept 3 victims after a late record; version 2 lists 3 → 4")


def test_a_note_too_long_is_refused_with_the_page_and_the_note_as_typed(caseload, users, login):
    """The note was cut to 2,000 characters on the server without a word; now the page comes
    back with the limit, the count typed, and the whole note, and nothing is frozen."""
    client = login(users["ana"])
    note = "Soumission " + "x" * 2000
    response = client.post(url("freeze", Y), {"note": note})
    assert response.status_code == 400
    html = response.content.decode()
    assert "at most 2000 characters (it has 2011)" in html
    assert f"{note}</textarea>" in html
    assert not FrozenReport.objects.exists()
    ok = client.post(url("freeze", Y), {"note": note[:2000]})
    assert ok.status_code == 302 and FrozenReport.objects.get().note == note[:2000]


def test_a_running_year_cannot_be_frozen(users, login):
    from django.utils import timezone

    client = login(users["ana"])
    this_year = timezone.localdate().year
    response = client.post(url("freeze", this_year))
    assert response.status_code == 400
    assert "once it has ended" in response.content.decode()
    assert not FrozenReport.objects.exists()


def test_drill_down_shows_only_what_the_reader_may_open(caseload, users, login, figure):
    client = login(users["ana"])
    victims = client.get(url("records", Y, "victims")).content.decode()
    assert "3 records are behind this figure; you may open 3 of them." in victims
    assert caseload["dossiers"][0].reference in victims
    investigations = client.get(url("records", Y, "investigations")).content.decode()
    # analysts see figures only: the investigation is counted, never listed
    assert "1 record is behind this figure; you may open 0 of them." in investigations
    assert 'data-testid="records"' not in investigations
    figure("S4 drill-down: analyst opens 3 of 3 victim dossiers, 0 of 1 investigations")


def test_api_gives_the_report_as_json(caseload, users, login):
    client = login(users["ana"])
    data = client.get(reverse("api:annual_report", args=[Y])).json()
    assert data["year"] == Y and find_row(data, "victims", "victims")["value"] == 3
    assert login(users["alice"]).get(reverse("api:annual_report", args=[Y])).status_code == 404


def test_the_commission_home_panel(caseload, users, login):
    page = login(users["ana"]).get(reverse("home")).content.decode()
    assert 'data-testid="home-commission"' in page
    assert 'data-testid="commission-so-far"' in page
    assert (
        'data-testid="home-commission"'
        not in login(users["alice"]).get(reverse("home")).content.decode()
    )
