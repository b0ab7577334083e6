"""The HTML report as a reader uses it: headless Debian Chromium driven by Playwright.

Skipped, saying why, when /usr/bin/chromium or the playwright package is
missing; under CI (the CI environment variable set) that is a failure instead.
A screenshot of the page is kept in artifacts/ at the repository root.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import orgsim
from orgsim.views.report import build_report, write_report

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
VOTE = "2023-11-17-board-votes-to-remove-altman"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _missing() -> list[str]:
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package (pip install playwright)")
    return missing


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium under Playwright (never a downloaded browser)."""
    missing = _missing()
    if missing:
        reason = "the browser tests need " + " and ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must run them", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def report_file(bundled: orgsim.Timeline, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.html"
    write_report(path, build_report(bundled))
    return path


@pytest.fixture
def page(browser: Any, report_file: Path) -> Iterator[Any]:
    """The bundled timeline's report, opened from a file:// URL, with every request and error recorded."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, device_scale_factor=1)
    tab = context.new_page()
    tab.requests, tab.errors = [], []
    tab.on("request", lambda request: tab.requests.append(request.url))
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    tab.on("console", lambda message: tab.errors.append(message.text) if message.type == "error" else None)
    tab.goto(report_file.as_uri())
    tab.wait_for_selector("body[data-ready='true']")
    yield tab
    context.close()


def scrub_to(page: Any, text: str) -> None:
    page.fill("#scrub-input", text)
    page.press("#scrub-input", "Enter")
    settle(page)


def settle(page: Any) -> None:
    """Wait until the chart has drawn what the last action asked for (two animation frames)."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))")


def click_event(page: Any, event_id: str) -> None:
    """Click an event's dot as a reader would: zooming into the numbered bubble that holds it first, if any."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    marker = page.locator(f".event-marker[data-world='history'][data-event-id='{event_id}']")
    for _ in range(8):
        settle(page)
        if marker.count():
            break
        try:  # a redraw between finding the bubble and clicking it replaces it: find it again
            page.locator(f".event-cluster[data-world='history'][data-event-ids~='{event_id}']").first.click(
                timeout=5000
            )
        except PlaywrightTimeout:
            continue
    settle(page)
    marker.click()


def test_scrubber_reads_the_ceo_as_orgsim_state_does(page: Any) -> None:
    scrub_to(page, "2023-11-20T10:00")
    ceo = page.locator("#state-ceo")
    assert "Emmett Shear" in ceo.inner_text()
    assert "interim" in ceo.inner_text()
    assert "Mon 2023-11-20 10:00 PST" in page.inner_text("#scrub-instant")

    scrub_to(page, "2023-11-22")
    assert ceo.inner_text().strip() == "Sam Altman"
    assert "Wed 2023-11-22 23:59:59 PST" in page.inner_text("#scrub-instant")

    scrub_to(page, "2023-11-21T02:00+08:00")  # Monday 10:00 in California, written in Beijing time
    assert "Emmett Shear" in ceo.inner_text()
    assert page.inner_text("#scrub-error") == ""


def test_slider_steps_through_the_states_of_the_timeline(page: Any, bundled: orgsim.Timeline) -> None:
    slider = page.locator("#scrub-range")
    slider.fill("0")
    assert page.inner_text("#state-ceo").strip() == "vacant"
    steps = int(slider.get_attribute("max"))
    assert steps == len({e.at for e in bundled.events})
    slider.fill(str(steps))
    final = bundled.final_state().ceo
    assert final is not None and bundled.final_state().name_of(final.person) in page.inner_text("#state-ceo")


def test_bad_instant_is_explained_not_applied(page: Any) -> None:
    scrub_to(page, "2023-11-20T10:00")
    scrub_to(page, "next tuesday")
    assert "cannot read" in page.inner_text("#scrub-error")
    assert "Emmett Shear" in page.inner_text("#state-ceo")


def test_clicking_an_event_shows_its_sources(page: Any, bundled: orgsim.Timeline) -> None:
    event = bundled.event(VOTE)
    assert event.sources
    click_event(page, VOTE)
    detail = page.locator("#event-detail")
    assert event.summary in detail.inner_text()
    quotes = page.locator("#event-detail .source blockquote").all_text_contents()
    assert quotes == [source.quote for source in event.sources]
    assert orgsim.times.display(event.at, "America/Los_Angeles", event.precision) in detail.inner_text()
    if event.stated_at:
        assert event.stated_at in detail.inner_text()

    page.select_option("#zone-select", "Asia/Shanghai")
    assert orgsim.times.display(event.at, "Asia/Shanghai", event.precision) in detail.inner_text()
    page.click("#event-show-state")
    assert page.input_value("#scrub-input") == orgsim.times.in_zone(event.at, "America/Los_Angeles").format(
        "YYYY-MM-DDTHH:mm"
    )


def test_page_loads_nothing_and_raises_no_error(page: Any) -> None:
    page.click("#presets button >> text=All")
    page.click("#zoom-in")
    page.mouse.move(700, 400)
    page.mouse.wheel(0, -300)
    assert page.errors == []
    assert all(url.startswith(("file:", "data:", "about:")) for url in page.requests), page.requests


def test_screenshot_is_kept_for_people_to_look_at(page: Any) -> None:
    scrub_to(page, "2023-11-20T10:00")
    click_event(page, VOTE)
    page.mouse.move(5, 5)
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    page.screenshot(path=str(shot), full_page=False)
    page.screenshot(path=str(ARTIFACTS / "report-full.png"), full_page=True)
    assert shot.stat().st_size > 10_000


def test_what_if_page_shows_both_worlds_side_by_side(browser: Any, bundled: orgsim.Timeline, tmp_path: Path) -> None:
    from orgsim.io.loading import bundled_scenarios_path
    from orgsim.whatif.scenarios import load_scenario

    world = load_scenario(bundled_scenarios_path() / "no-firing.yaml").run(bundled)
    path = tmp_path / "what-if.html"
    write_report(path, build_report(bundled, world=world))
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        tab = context.new_page()
        errors: list[str] = []
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.goto(path.as_uri())
        tab.wait_for_selector("body[data-ready='true']")
        scrub_to(tab, "2023-11-20T10:00")
        assert "Emmett Shear" in tab.inner_text("#state-ceo")
        assert tab.inner_text("#state-ceo-whatif").strip() == "Sam Altman"
        assert "differ" in (tab.get_attribute("tr[data-key='ceo']", "class") or "")
        dropped = world.dropped[0].event.id
        assert tab.locator(
            f"[data-world='whatif'][data-event-id='{dropped}'], [data-world='whatif'][data-event-ids~='{dropped}']"
        ).count()
        tab.click(f"#event-list tr[data-event-id='{dropped}']")
        assert world.dropped[0].reason in tab.inner_text("#event-detail")
        assert errors == []
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / "report-what-if.png"), full_page=True)
    finally:
        context.close()
