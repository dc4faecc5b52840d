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
        viewport = context.pop("viewport", {"width": 1366, "height": 900})
        self.context = browser.new_context(viewport=viewport, **context)
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
        """Case ids of the case cards currently shown, each once, in case-id order."""
        ids = self.page.eval_on_selector_all(
            "#case-list article.case:not([hidden])", "els => els.map(e => e.dataset.case)"
        )
        return sorted(set(ids))

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


@pytest.fixture(scope="module")
def demo_pages(demo_export, tmp_path_factory) -> dict[str, Path]:
    """report.html of the demo export: unfiltered, and one case manager's self-check."""
    from report_helpers import demo_result

    out = tmp_path_factory.mktemp("demo-html")
    from sqs_checks.reporters.common import ReportData

    # the case manager of the finding to act on first, with another finding after it
    rows = list(ReportData(demo_result(demo_export)).findings(order="manager"))
    counts: dict[str, int] = {}
    for row in rows:
        if row["action"] == "act_now":
            counts[row["case_manager"]] = counts.get(row["case_manager"], 0) + 1
    manager = max(counts, key=lambda name: (counts[name], name))
    pages = {"all": write_all(demo_result(demo_export), out / "all", ("html",))["html"]}
    mine = demo_result(demo_export, case_manager=manager)
    pages["mine"] = write_all(mine, out / "mine", ("html",))["html"]
    pages["manager"] = manager
    return pages


def test_self_check_first_screen_shows_the_first_case_to_act_on(browser, demo_pages, tmp_path):
    """At 1366 x 768 a case manager's self-check shows their first case to act on, its first
    finding included, before any scroll; the scorecard comes after the cases."""
    page = Page(browser, demo_pages["mine"])
    p = page.page
    try:
        p.set_viewport_size({"width": 1366, "height": 768})
        first = p.locator("#group-act_now article.case").first
        box = first.locator("li.finding").first.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 768
        assert first.get_attribute("data-cm") == demo_pages["manager"]
        order = p.eval_on_selector_all("main > section", "els => els.map(e => e.id)")
        assert order.index("cases") < order.index("due-soon") < order.index("summary")
        assert order.index("summary") < order.index("scorecard")
        p.screenshot(path=str(screenshot_dir(tmp_path) / "self-check-first-screen.png"))
    finally:
        page.close()


def test_unfiltered_report_keeps_the_scorecard_first(browser, demo_pages):
    """The whole service's report opens with the summary and the scorecard; cases come later."""
    page = Page(browser, demo_pages["all"])
    try:
        order = page.page.eval_on_selector_all("main > section", "els => els.map(e => e.id)")
        assert order[:2] == ["summary", "scorecard"]
        assert order.index("scorecard") < order.index("due-soon") < order.index("cases")
        improve = page.page.inner_text("#improve")
        assert "Areas for improvement" in improve
        assert "%)" in improve
    finally:
        page.close()


def test_cases_are_split_into_act_now_and_record_the_reason(browser, demo_pages):
    """Act now comes first, each group by due date; a finding shows when it was due."""
    page = Page(browser, demo_pages["all"])
    p = page.page
    try:
        groups = p.eval_on_selector_all("#case-list .group", "els => els.map(e => e.id)")
        assert groups == ["group-act_now", "group-record_reason"]
        dues = p.eval_on_selector_all(
            "#group-act_now article.case",
            "els => els.map(e => e.querySelector('.due'))"
            ".map(d => d ? d.textContent.trim().slice(-10) : '')",
        )
        dated = [d for d in dues if d]
        as_iso = ["-".join(reversed(d.split("/"))) for d in dated]
        assert as_iso == sorted(as_iso)
        assert "was due by" in p.inner_text("#group-act_now")
    finally:
        page.close()


def test_due_soon_section_lists_the_window(browser, demo_pages, demo_run):
    """Due soon: a section of its own listing each deadline of the window, earliest first."""
    page = Page(browser, demo_pages["all"])
    p = page.page
    try:
        rows = p.eval_on_selector_all(
            "#due-soon-list tbody tr", "els => els.map(e => e.dataset.case)"
        )
        assert rows == [d["case_id"] for d in demo_run.due_soon()]
        text = p.inner_text("#due-soon")
        assert "working days" in text
        assert "not counted in the scorecard" in text
    finally:
        page.close()


def test_scorecard_fits_a_390px_phone(browser, demo_pages, tmp_path):
    """At 390 px nothing scrolls sideways: the page, the scorecard and its tables fit."""
    for key in ("all", "mine"):
        page = Page(browser, demo_pages[key], viewport={"width": 390, "height": 844})
        p = page.page
        try:
            width = p.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, key
            card = p.evaluate(
                "(() => { const s = document.querySelector('#scorecard'); "
                "return [s.scrollWidth, s.clientWidth]; })()"
            )
            assert card[0] <= card[1], key
            tables = p.eval_on_selector_all(
                "#scorecard table.score",
                "els => els.map(t => t.getBoundingClientRect().right)",
            )
            assert tables and max(tables) <= 390, key
            p.locator("#scorecard").screenshot(
                path=str(screenshot_dir(tmp_path) / f"phone-scorecard-{key}.png")
            )
        finally:
            page.close()


def test_self_check_prints_on_a4_with_the_case_list_first(browser, demo_pages, tmp_path):
    """Printed, a self-check is A4 and its first page holds its first case to act on."""
    page = Page(browser, demo_pages["mine"])
    p = page.page
    try:
        p.emulate_media(media="print")
        # A4 (210 mm) less the 12 mm margins, at 96 px per inch
        p.set_viewport_size({"width": 702, "height": 1032})
        top = p.evaluate(
            "document.querySelector('#group-act_now article.case').getBoundingClientRect().top"
            " + window.scrollY"
        )
        assert top < 1032 - 120  # on the first page, with room for its first finding
        assert not p.is_visible("#filters")
        pdf = screenshot_dir(tmp_path) / "self-check.pdf"
        p.pdf(path=str(pdf), prefer_css_page_size=True)
        data = pdf.read_bytes()
        import re

        boxes = {
            tuple(round(float(v)) for v in m)
            for m in re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
        }
        assert boxes == {(595, 842)}  # A4 portrait, in points
    finally:
        page.close()
