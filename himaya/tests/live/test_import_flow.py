"""In the browser, in Arabic then French: a prosecutor uploads a register with a bad row (the
errors table, nothing written), then the corrected file (the dry-run report), and imports it;
and a year's register, too large to import while the page waits, checked then imported by the
background worker while its page shows the progress."""

import re

import pytest
import pyzipper

from himaya.exchange.tests.helpers import sheets, workbook

from .conftest import log_in, run_worker

pytestmark = pytest.mark.browser

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _register(bad=False):
    data = sheets()
    # The browser server has no court of that name: the decision names it in court_name.
    data["poursuites"] = [row[:4] for row in data["poursuites"]]
    data["verdicts"][0][4] = "court_name"
    data["verdicts"][1][4] = data["verdicts"][2][4] = "Tribunal de première instance de Tanger"
    if bad:
        data["suspects"][2][4] = "inconnu du registre"
        data["verdicts"][1][3] = "32/13/2024"
    return workbook(data)


def _upload(tab, base, data, name):
    tab.goto(base + "/exchange/import/")
    tab.set_input_files("#id_file", files=[{"name": name, "mimeType": XLSX, "buffer": data}])
    tab.click("main form[enctype] button[type=submit]")


def test_import_a_register_in_arabic_and_french(server, page, artefacts):
    from playwright.sync_api import expect

    log_in(page, server, "yasmine")
    _upload(page, server, _register(bad=True), "سجل-2024.xlsx")
    expect(page).to_have_url(re.compile(r"/exchange/import/\d+/$"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    errors = page.locator("[data-testid=run-error]")
    expect(errors.first).to_be_visible()
    assert errors.count() >= 2
    expect(page.locator("[data-testid=commit]")).to_have_count(0)
    page.screenshot(path=str(artefacts / "import-errors-ar.png"), full_page=True)

    good = _register()
    _upload(page, server, good, "registre-2024.xlsx")
    expect(page.locator("[data-testid=commit]")).to_be_visible()
    expect(page.locator("[data-testid=run-counts]")).to_be_visible()
    page.screenshot(path=str(artefacts / "import-dry-run-ar.png"), full_page=True)
    page.click("[data-testid=lang-fr]")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.click("[data-testid=commit]")
    expect(page.locator("[data-testid=run-status]")).to_be_visible()
    expect(page.locator("[data-testid=commit]")).to_have_count(0)
    page.screenshot(path=str(artefacts / "import-committed-fr.png"), full_page=True)

    # The same file again: recognised, nothing to create.
    _upload(page, server, good, "registre-2024.xlsx")
    expect(page.locator("[data-testid=already-imported]")).to_be_visible()
    # Round trip: the export of what she sees, imported back, changes nothing. It comes as an
    # encrypted archive (S18): a page shows its one-time password, the archive downloads once.
    page.goto(server + "/exchange/import/")
    page.click("[data-testid=export]")
    password = page.locator("[data-testid=export-password]").inner_text().strip()
    page.screenshot(path=str(artefacts / "export-password-fr.png"), full_page=True)
    with page.expect_download() as download:
        page.click("[data-testid=export-download]")
    assert download.value.suggested_filename == "himaya-export.zip"
    with pyzipper.AESZipFile(download.value.path()) as archive:
        archive.setpassword(password.encode())
        exported = archive.read("himaya-export.xlsx")
    _upload(page, server, exported, "himaya-export.xlsx")
    expect(page.locator("[data-testid=commit]")).to_be_visible()
    counts = page.locator("[data-testid=run-counts] tbody tr")
    assert counts.count() == 7
    for i in range(7):
        cells = counts.nth(i).locator("td")
        assert cells.nth(1).inner_text() == "0" and cells.nth(2).inner_text() == "0"
    page.screenshot(path=str(artefacts / "import-roundtrip-fr.png"), full_page=True)
    page.goto(server + "/exchange/import/history/")
    assert page.locator("[data-testid=import-run]").count() == 4
    page.goto(server + "/exchange/import/columns/")
    expect(page.locator("#kind-charges")).to_contain_text("448.1")
    page.screenshot(path=str(artefacts / "import-columns-fr.png"))
    assert page.foreign_requests == []


def test_a_large_register_is_checked_and_imported_by_the_worker(server, page, artefacts):
    """1,001 investigations: more than HIMAYA_IMPORT_INLINE_ROWS (1,000 by default)."""
    from playwright.sync_api import expect

    header = ["Référence", "Date d'ouverture", "Formes d'exploitation"]
    rows = [[f"BG-2024-{i:04d}", "2024-03-01", "sexual"] for i in range(1001)]
    log_in(page, server, "yasmine")
    _upload(page, server, workbook({"enquêtes": [header, *rows]}), "سجل-السنة.xlsx")
    expect(page).to_have_url(re.compile(r"/exchange/import/\d+/$"))
    progress = page.locator("[data-testid=run-progress]")
    expect(progress).to_be_visible()
    expect(page.locator("[data-testid=run-rows-done]")).to_contain_text("0 من 1.001")
    assert page.locator("meta[http-equiv=refresh]").count() == 1
    page.screenshot(path=str(artefacts / "import-background-checking-ar.png"), full_page=True)

    run_worker()
    # The page refreshes itself every 3 seconds until the run is done.
    expect(page.locator("[data-testid=run-counts]")).to_be_visible(timeout=15_000)
    expect(page.locator("[data-testid=commit]")).to_be_visible()
    page.click("[data-testid=lang-fr]")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.click("[data-testid=commit]")
    expect(progress).to_be_visible()
    expect(page.locator("[data-testid=run-status]")).to_have_text("en cours d'importation")
    # The count starts again from nothing (the dry run's count is not the import's).
    expect(page.locator("[data-testid=run-rows-done]")).to_contain_text("0 sur 1 001 lignes")
    page.screenshot(path=str(artefacts / "import-background-importing-fr.png"), full_page=True)

    run_worker()
    expect(page.locator("[data-testid=run-status]")).to_contain_text("importé", timeout=15_000)
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    page.screenshot(path=str(artefacts / "import-background-done-fr.png"), full_page=True)
    # Told twice: the check ended, then the import.
    expect(page.locator("[data-testid=bell-count]")).to_be_visible()
    assert page.foreign_requests == []
