"""The review page in a real browser: select a flagged cell, decide it, and the next load has it (issue 22).

Headless Chromium (Debian's ``chromium`` and ``chromium-driver``, driven by
Selenium pointed at the system driver, so nothing is downloaded) opens a
generated page from disk, with networking off. The test selects 05's
ambiguous 行政规范性文件 本年制发件数 (printed glued as ``5426``) with the
keyboard, checks that its place in the source is highlighted, picks the
candidate 5 (the true value, read by hand: expected.json ``t2_note``),
records the decision through the form, downloads the decisions, merges
them with ``govdisclosure corrections merge``, and `load_file` returns the
cell ``corrected``. Skipped, saying why, where the browser or Selenium is
not installed (``.ci/run`` installs them when it can).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import govdisclosure
from govdisclosure.cli import main
from govdisclosure.model import CellStatus

REAL_05 = Path(__file__).parent / "data" / "real" / "05-hebei-gxt-2022.txt"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
GLUED = "t2_1.normative_documents.issued"

webdriver: Any = pytest.importorskip(
    "selenium.webdriver",
    reason="the browser test needs selenium (pip install 'govdisclosure[test]')",
)
if not (Path(CHROMIUM).is_file() and Path(CHROMEDRIVER).is_file()):
    pytest.skip(
        "the browser test needs Debian's chromium and chromium-driver "
        "(apt-get install chromium chromium-driver)",
        allow_module_level=True,
    )


@pytest.fixture
def browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Headless Chromium with a fresh profile, no background network, downloads to a folder."""
    monkeypatch.setenv("SE_OFFLINE", "true")  # Selenium Manager must not fetch anything
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--window-size=1400,900",
    ):
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
        },
    )
    service = webdriver.ChromeService(executable_path=CHROMEDRIVER)
    driver = webdriver.Chrome(options=options, service=service)
    driver.execute_cdp_cmd(
        "Page.setDownloadBehavior",
        {"behavior": "allow", "downloadPath": str(downloads)},
    )
    driver.downloads = downloads
    try:
        yield driver
    finally:
        driver.quit()


def _wait_for(folder: Path, pattern: str, seconds: float = 20) -> Path:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = [p for p in folder.glob(pattern) if not p.name.endswith(".crdownload")]
        if found:
            return found[0]
        time.sleep(0.1)
    raise AssertionError(f"nothing like {pattern} downloaded to {folder}")


def test_a_decision_made_on_the_page_is_applied_by_the_next_load(
    tmp_path: Path, browser: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    by = webdriver.common.by.By
    keys = webdriver.common.keys.Keys
    reports = tmp_path / "reports"
    reports.mkdir()
    report = reports / REAL_05.name
    shutil.copy(REAL_05, report)
    assert main(["review", str(reports), "-o", str(tmp_path / "review")]) == 0
    before = (
        govdisclosure.load_file(report)
        .table("t2_1")
        .cell("normative_documents", "issued")
    )
    assert before.status is CellStatus.AMBIGUOUS

    browser.get((tmp_path / "review" / "05-hebei-gxt-2022.html").as_uri())
    assert (
        browser.execute_script("return performance.getEntriesByType('resource').length")
        == 0
    )

    # select the flagged cell with the keyboard: focus it, Enter
    cell = browser.find_element(by.CSS_SELECTOR, f'td[data-k="{GLUED}"]')
    assert "flagged" in cell.get_attribute("class")
    browser.execute_script("arguments[0].focus()", cell)
    cell.send_keys(keys.ENTER)
    assert "sel" in cell.get_attribute("class").split()
    marked = browser.find_elements(by.CSS_SELECTOR, "#source .m.hl-row")
    assert [m.text for m in marked] == [
        "5426"
    ]  # its place: the glued run it is read from
    assert GLUED in marked[0].get_attribute("data-k").split()
    detail = browser.find_element(by.ID, "detail").text
    assert "ambiguous" in detail
    assert "5, 54" in detail

    # an ok cell's own span is highlighted as its own
    browser.find_element(
        by.CSS_SELECTOR, 'td[data-k="t2_5.administrative_license.decisions"]'
    ).click()
    assert [
        m.text for m in browser.find_elements(by.CSS_SELECTOR, "#source .m.hl")
    ] == ["194"]

    # back to the flagged cell; decide it through the form
    cell.click()
    candidates = browser.find_elements(by.CSS_SELECTOR, "#candidates button.candidate")
    assert [b.text for b in candidates] == ["5", "54"]
    candidates[0].click()
    assert browser.find_element(by.ID, "value").get_attribute("value") == "5"
    browser.find_element(by.ID, "who").send_keys("张三")
    browser.find_element(by.ID, "why").send_keys("与2021、2023年报告的现行有效件数相接")
    browser.find_element(by.ID, "record").click()
    assert browser.find_element(by.ID, "form-error").text == ""
    assert browser.find_element(by.ID, "count").text == "1"
    browser.find_element(by.ID, "download").click()
    downloaded = _wait_for(browser.downloads, "*.decisions.json")
    assert downloaded.name == "05-hebei-gxt-2022.decisions.json"

    assert (
        main(["corrections", "merge", str(downloaded), "--reports", str(reports)]) == 0
    )
    after = (
        govdisclosure.load_file(report)
        .table("t2_1")
        .cell("normative_documents", "issued")
    )
    assert (after.status, after.value) == (CellStatus.CORRECTED, 5)
    assert after.decision is not None
    assert after.decision.by == "张三"
    capsys.readouterr()


def test_the_page_refuses_an_invalid_decision(tmp_path: Path, browser: Any) -> None:
    by = webdriver.common.by.By
    assert main(["review", str(REAL_05), "-o", str(tmp_path)]) == 0
    browser.get((tmp_path / "05-hebei-gxt-2022.html").as_uri())

    browser.find_element(by.CSS_SELECTOR, f'td[data-k="{GLUED}"]').click()
    browser.find_element(by.ID, "value").send_keys("5万")
    browser.find_element(by.ID, "who").send_keys("张三")
    browser.find_element(by.ID, "why").send_keys("x")
    browser.find_element(by.ID, "record").click()

    assert "value" in browser.find_element(by.ID, "form-error").text
    assert browser.find_element(by.ID, "count").text == "0"


def test_the_keyboard_walks_the_flagged_cells(tmp_path: Path, browser: Any) -> None:
    """``n`` selects the first flagged cell, ``f`` hides the rows with none."""
    by = webdriver.common.by.By
    assert main(["review", str(REAL_05), "-o", str(tmp_path)]) == 0
    browser.get((tmp_path / "05-hebei-gxt-2022.html").as_uri())
    body = browser.find_element(by.TAG_NAME, "body")

    body.send_keys("n")
    selected = browser.find_element(by.CSS_SELECTOR, "td.sel")
    assert (
        selected.get_attribute("data-k") == GLUED
    )  # the first flagged cell in table order
    body.send_keys("f")
    rules = browser.find_element(by.CSS_SELECTOR, 'td[data-k="t2_1.rules.issued"]')
    assert not rules.is_displayed()  # 规章's row is all ok
    assert selected.is_displayed()
