"""report.html in a real headless Chromium (Debian's ``chromium``, driven by Playwright).

The page must load from the file with no console error and no request leaving
it, its filters must change the visible rows, hostile text must stay text, and
it must print without its controls. A screenshot is taken (kept in the test's
temporary folder, or in ``$SQS_SCREENSHOT_DIR`` when set).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from report_helpers import FORMULA_MANAGER, HOSTILE_MANAGER, hostile_result, write_all

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None and Path("/usr/bin/chromium").exists():
    CHROMIUM = "/usr/bin/chromium"

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="BROWSER TESTS SKIPPED: chromium is not installed (.ci/install.d/chromium.sh)",
)

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    """One Chromium for the module (Playwright's own browsers are never downloaded)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extras include playwright
        pytest.fail("playwright is not installed: add playwright>=1.40,<2 to the test extras")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def report(hostile_export, tmp_path) -> Path:
    """report.html of the hostile export (markup in names, narratives and teams)."""
    return write_all(hostile_result(hostile_export), tmp_path / "out", ("html",))["html"]


class Page:
    """A page opened from a file, recording console messages, errors and requests."""

    def __init__(self, browser, path: Path, **context) -> None:
        self.context = browser.new_context(viewport={"width": 1366, "height": 900}, **context)
        self.page = self.context.new_page()
        self.console: list[str] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.url = path.resolve().as_uri()
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))

        def dialog(d) -> None:
            self.dialogs.append(d.message)
            d.dismiss()

        self.page.on("dialog", dialog)
        # anything but the report itself is refused (and recorded above)
        self.page.route(
            "**/*",
            lambda route: route.continue_() if route.request.url == self.url else route.abort(),
        )
        self.page.goto(self.url)

    def visible_cases(self) -> list[str]:
        """Case ids of the case cards currently shown."""
        return self.page.eval_on_selector_all(
            "#case-list article.case:not([hidden])", "els => els.map(e => e.dataset.case)"
        )

    def close(self) -> None:
        """Close the page's context."""
        self.context.close()


def screenshot_dir(tmp_path: Path) -> Path:
    """Where screenshots go: ``$SQS_SCREENSHOT_DIR`` or the test's temporary folder."""
    folder = Path(os.environ.get("SQS_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_page_loads_offline_without_errors_or_requests(browser, report, tmp_path):
    """No console message of type error, no page error, no request but the file itself."""
    page = Page(browser, report, offline=True)
    try:
        assert page.page.title().startswith("Pre-inspection checks: open-cases as of 18/03/2013")
        assert page.errors == []
        assert [m for m in page.console if m.startswith("error")] == []
        assert page.requests == [page.url]
        shot = screenshot_dir(tmp_path) / "report.png"
        page.page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        # the script ran (the CSP hash matches): the filter form is shown
        assert page.page.is_visible("#filters")
    finally:
        page.close()


def test_hostile_text_is_shown_as_text_and_never_runs(browser, report):
    """Narratives and names holding <script> and <img onerror> render as text."""
    page = Page(browser, report)
    try:
        assert page.page.evaluate("typeof window.__pwned") == "undefined"
        assert page.dialogs == []
        assert page.page.locator("#case-list img").count() == 0
        assert page.page.locator("#case-list script").count() == 0
        assert page.page.locator("#case-list b", has_text="bold").count() == 0
        assert "South <b>bold</b>" in page.page.inner_text("#case-list")
        text = page.page.inner_text("#case-list")
        assert "<script>window.__pwned = 'script'</script>" in text
        assert "<img src=x onerror=" in text
        assert HOSTILE_MANAGER in text
        assert FORMULA_MANAGER in text
        options = page.page.eval_on_selector_all("#f-cm option", "os => os.map(o => o.value)")
        assert HOSTILE_MANAGER in options
    finally:
        page.close()


def test_filters_change_the_visible_rows(browser, report, tmp_path):
    """Case manager, team, area, severity and case-id search each narrow the list."""
    page = Page(browser, report)
    p = page.page
    try:
        everything = page.visible_cases()
        assert everything == ["C1", "C2", "C3", "C4"]
        p.select_option("#f-cm", HOSTILE_MANAGER)
        assert page.visible_cases() == ["C2", "C3"]
        assert "Showing 2 of 4 flagged cases" in p.inner_text("#shown")
        p.screenshot(path=str(screenshot_dir(tmp_path) / "report-filtered.png"))
        p.select_option("#f-cm", "")
        p.select_option("#f-team", "North")
        assert page.visible_cases() == ["C1", "C4"]
        p.select_option("#f-team", "")
        p.select_option("#f-area", "data")
        assert page.visible_cases() == ["C1", "C2", "C3"]
        hidden_other_areas = p.eval_on_selector_all(
            "li.finding:not([hidden])", "els => els.every(e => e.dataset.area === 'data')"
        )
        assert hidden_other_areas
        p.select_option("#f-area", "")
        p.select_option("#f-sev", "low")
        assert page.visible_cases() == ["C1", "C2", "C3"]
        p.select_option("#f-sev", "")
        p.fill("#f-q", "c4")
        assert page.visible_cases() == ["C4"]
        p.fill("#f-q", "no such case")
        assert page.visible_cases() == []
        assert p.is_visible("#no-match")
        p.click("button[type=reset]")
        # poll from Python: the page's Content-Security-Policy forbids the eval that
        # Playwright's wait_for_function needs
        for _ in range(50):
            if page.visible_cases() == everything:
                break
            p.wait_for_timeout(100)
        assert page.visible_cases() == everything
    finally:
        page.close()


def test_prints_without_controls(browser, report, tmp_path):
    """In print, the filter form and the navigation are hidden; the cases stay."""
    page = Page(browser, report)
    try:
        page.page.emulate_media(media="print")
        assert not page.page.is_visible("#filters")
        assert not page.page.is_visible("nav.toc")
        assert page.page.is_visible("#case-list article.case")
        pdf = screenshot_dir(tmp_path) / "report.pdf"
        page.page.pdf(path=str(pdf), format="A4")
        assert pdf.stat().st_size > 10_000
    finally:
        page.close()
