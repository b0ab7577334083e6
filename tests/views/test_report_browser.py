"""The HTML report as a reader uses it: headless Debian Chromium driven by Playwright.

Skipped, saying why, when /usr/bin/chromium or the playwright package is
missing; under CI (the CI environment variable set) that is a failure instead.
A screenshot of the page is kept in artifacts/ at the repository root.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

import orgsim
from orgsim.views.report import build_report, knowledge_changes, write_report
from orgsim.views.wording import unknown_text

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
VOTE = "2023-11-17-board-votes-to-remove-altman"


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
    # Before its first event the timeline does not know who is CEO: unknown, and why, never "vacant".
    assert page.inner_text("#state-ceo").strip() == "unknown (no event gives anyone this office before then)"
    steps = int(slider.get_attribute("max"))
    # one step per event instant, and one wherever what the timeline knows changes with no event
    knowing = {datetime.fromtimestamp(epoch, UTC) for epoch in knowledge_changes(bundled, None, None)}
    first, last = bundled.events[0].at, bundled.events[-1].at
    assert steps == len({e.at for e in bundled.events} | {k for k in knowing if first <= k <= last})
    slider.fill(str(steps))
    final = bundled.state_at(bundled.events[-1].at).ceo
    expected = unknown_text(bundled.state_at(last), "offices.ceo") if final is orgsim.UNKNOWN else final
    shown = page.inner_text("#state-ceo")
    assert (expected in shown) if isinstance(expected, str) else (bundled.final_state().name_of(final.person) in shown)


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


# ------------------------------------------------------------------------------------- layout and reading


def open_page(browser: Any, path: Path, width: int = 1400, height: int = 1000, **options: Any) -> Any:
    """A tab on ``path`` at that viewport, its errors recorded in ``tab.errors``."""
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    tab = context.new_page()
    tab.errors = []
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    tab.on("console", lambda message: tab.errors.append(message.text) if message.type == "error" else None)
    tab.goto(path.as_uri())
    tab.wait_for_selector("body[data-ready='true']")
    return tab


def scrolled_still(page: Any) -> None:
    """Wait until a smooth scroll has come to rest."""
    page.evaluate(
        """() => new Promise(done => {
            let last = -1, still = 0;
            const check = () => {
                if (scrollY === last) { still += 1; } else { still = 0; last = scrollY; }
                if (still >= 5) { done(true); } else { requestAnimationFrame(check); }
            };
            check();
        })"""
    )


def overflow(page: Any) -> tuple[int, int]:
    return tuple(page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]"))


@pytest.fixture(scope="module")
def what_if_file(bundled: orgsim.Timeline, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from orgsim.io.loading import bundled_scenarios_path
    from orgsim.whatif.scenarios import load_scenario

    world = load_scenario(bundled_scenarios_path() / "no-firing.yaml").run(bundled)
    path = tmp_path_factory.mktemp("what-if") / "what-if.html"
    write_report(path, build_report(bundled, world=world))
    return path


@pytest.mark.parametrize("which", ["history", "what-if"])
def test_on_a_400_pixel_phone_nothing_overflows_sideways(
    browser: Any, report_file: Path, what_if_file: Path, which: str
) -> None:
    tab = open_page(browser, report_file if which == "history" else what_if_file, 400, 800, device_scale_factor=2)
    try:
        assert overflow(tab)[0] <= overflow(tab)[1]
        scrub_to(tab, "2023-11-20T10:00")
        tab.click("#event-list tr[data-event-id]:nth-child(4)")
        settle(tab)
        width, inner = overflow(tab)
        assert width <= inner, f"the page is {width} px wide in a {inner} px window"
        tab.click("#presets button >> text=All")
        settle(tab)
        assert overflow(tab)[0] <= overflow(tab)[1]
        assert tab.errors == []
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / f"report-phone-{which}.png"), full_page=True)
    finally:
        tab.context.close()


CONTRAST = """() => {
  const parse = c => {
    const m = /rgba?\\(([^)]*)\\)/.exec(c);
    if (!m) { return null; }
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, under) => [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3])).concat([1]);
  const lum = c => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const failures = [], checked = { html: 0, svg: 0, interim: 0 };
  // HTML text: its colour over the backgrounds of its ancestors, blended from the page down
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || el.closest("svg") || el.closest("[hidden]")) { continue; }
    const box = el.getBoundingClientRect(), style = getComputedStyle(el);
    if (box.width < 2 || box.height < 2 || style.visibility === "hidden") { continue; }
    let bg = [255, 255, 255, 1];
    const chain = [];
    for (let e = el; e; e = e.parentElement) { chain.unshift(e); }
    chain.forEach(e => {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { bg = over(c, bg); }
    });
    const r = ratio(over(parse(style.color), bg), bg);
    checked.html += 1;
    if (r < 4.5) {
      failures.push(["html", el.tagName + "." + el.className, n.textContent.trim().slice(0, 40), r.toFixed(2)]);
    }
  }
  // chart text: its fill over every shape filled under its middle (a hatched bar at its stripes)
  const chart = document.getElementById("chart");
  chart.querySelectorAll("text").forEach(t => {
    const box = t.getBoundingClientRect();
    if (box.width < 2 || !t.textContent.trim()) { return; }
    const x = box.left + Math.min(box.width / 2, 20), y = box.top + box.height / 2;
    if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) { return; }
    let bg = [255, 255, 255, 1];
    document.elementsFromPoint(x, y).reverse().forEach(e => {
      if (e.tagName !== "rect" || !chart.contains(e)) { return; }
      const style = getComputedStyle(e), fill = e.getAttribute("fill") || "";
      let colour = parse(style.fill), opacity = +style.fillOpacity;
      const pattern = /url\\(#([^)]+)\\)/.exec(fill);
      if (pattern) {
        const stripe = document.getElementById(pattern[1]).querySelector("rect");
        colour = parse(getComputedStyle(stripe).fill);
        opacity = +getComputedStyle(stripe).fillOpacity;
      }
      if (colour) { colour[3] = colour[3] * opacity; bg = over(colour, bg); }
    });
    const fg = parse(getComputedStyle(t).fill);
    const r = ratio(over(fg, bg), bg);
    checked.svg += 1;
    if (/interim/.test(t.textContent)) { checked.interim += 1; }
    if (r < 4.5) { failures.push(["svg", t.getAttribute("class"), t.textContent.slice(0, 40), r.toFixed(2)]); }
  });
  return { checked, failures };
}"""


@pytest.mark.parametrize("which", ["history", "what-if"])
def test_every_text_on_the_page_meets_wcag_aa_contrast(
    browser: Any, report_file: Path, what_if_file: Path, which: str
) -> None:
    tab = open_page(browser, report_file if which == "history" else what_if_file)
    try:
        scrub_to(tab, "2023-11-18T12:00")
        tab.click("#event-list tr[data-event-id]:nth-child(5)")
        tab.evaluate("() => window.scrollTo(0, 0)")
        settle(tab)
        found = tab.evaluate(CONTRAST)
        assert found["checked"]["html"] > 100 and found["checked"]["svg"] > 50
        assert found["checked"]["interim"] >= 2  # Murati's and Shear's interim tenures are labelled
        assert found["failures"] == []
    finally:
        tab.context.close()


@pytest.mark.parametrize("width", [1400, 1100, 700, 400])
def test_the_toolbar_never_covers_the_event_panel(browser: Any, report_file: Path, width: int) -> None:
    tab = open_page(browser, report_file, width, 900)
    where = """() => {
        const toolbar = document.querySelector('.toolbar').getBoundingClientRect();
        const panel = document.getElementById('event-detail');
        const box = panel.getBoundingClientRect(), style = getComputedStyle(panel);
        return { toolbar: [toolbar.top, toolbar.bottom], panel: [box.top, box.bottom],
                 stuck: style.position === 'sticky' && Math.abs(box.top - parseFloat(style.top)) < 0.5 };
    }"""
    try:
        rows = tab.locator("#event-list tr[data-event-id]")
        for index in (2, rows.count() - 1):
            rows.nth(index).click()  # the page brings the panel into view: below the toolbar
            scrolled_still(tab)
            seen = tab.evaluate(where)
            top, bottom = seen["toolbar"]
            assert not (top < seen["panel"][1] and seen["panel"][0] < bottom and bottom > 0), (width, index, seen)
            for scroll in range(0, 3000, 150):  # where the panel sticks, it sticks below the toolbar
                tab.evaluate(f"() => window.scrollTo(0, {scroll})")
                seen = tab.evaluate(where)
                if seen["stuck"]:
                    assert seen["panel"][0] >= seen["toolbar"][1], (width, scroll, seen)
    finally:
        tab.context.close()


def pdf_pages(data: bytes) -> int:
    """Pages in a PDF that Chromium wrote (each page object is written out whole)."""
    import re

    return len(re.findall(rb"/Type\s*/Page\b", data))


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_printing_starts_with_the_chart_and_leaves_out_the_controls(
    browser: Any, report_file: Path, paper: str, bundled: orgsim.Timeline
) -> None:
    # the printable width of the paper at 96 px an inch, less the 12 mm margins
    width = {"A4": round((210 - 24) / 25.4 * 96), "Letter": round((8.5 - 24 / 25.4) * 96)}[paper]
    height = {"A4": round((297 - 24) / 25.4 * 96), "Letter": round((11 - 24 / 25.4) * 96)}[paper]
    tab = open_page(browser, report_file, 1400, 1000)
    try:
        tab.emulate_media(media="print")
        data = tab.pdf(format=paper)
        # the chart, then the event list at well over a dozen events a page: no blank or one-line pages
        assert pdf_pages(data) <= 2 + len(bundled) // 12, (pdf_pages(data), len(bundled))
        tab.set_viewport_size({"width": width, "height": height})
        settle(tab)
        hidden = tab.evaluate(
            """() => ['.toolbar', '.hint', '#scrubber .scrub-row', '#event-detail']
                .map(s => getComputedStyle(document.querySelector(s)).display)"""
        )
        assert hidden == ["none"] * 4  # no controls on paper, and no empty event panel
        chart = tab.locator("#chart-wrap").bounding_box()
        assert chart["width"] <= width and chart["y"] + chart["height"] <= height  # all of it on the first page
        assert tab.evaluate("() => document.documentElement.scrollWidth") <= width
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / f"report-print-{paper}.pdf").write_bytes(data)
        tab.screenshot(path=str(ARTIFACTS / f"report-print-{paper}.png"), full_page=True)
    finally:
        tab.context.close()


def test_typed_local_times_that_do_not_exist_or_are_ambiguous_are_refused(page: Any) -> None:
    from orgsim.errors import TimeInputError
    from orgsim.times import resolve_instant

    scrub_to(page, "2023-11-20T10:00")
    with pytest.raises(TimeInputError) as skipped:
        resolve_instant("2024-03-10T02:30", "America/Los_Angeles")
    scrub_to(page, "2024-03-10T02:30")
    assert page.inner_text("#scrub-error") == skipped.value.message  # as `orgsim state` refuses it
    assert "Emmett Shear" in page.inner_text("#state-ceo")  # nothing was applied
    scrub_to(page, "2023-11-05T01:30")
    assert page.inner_text("#scrub-error") == (
        "2023-11-05T01:30 is ambiguous in America/Los_Angeles (the clocks go back that night, so it happens "
        "twice): 2023-11-05T01:30:00-07:00 (PDT, the first) or 2023-11-05T01:30:00-08:00 (PST, the second); "
        "give the offset, e.g. 2023-11-05T01:30-07:00"
    )
    scrub_to(page, "2023-11-05T01:30-08:00")
    assert page.inner_text("#scrub-error") == ""
    assert "Sun 2023-11-05 01:30 PST" in page.inner_text("#scrub-instant")
    scrub_to(page, "2024-03-10T03:30")
    assert page.inner_text("#scrub-error") == "" and "03:30 PDT" in page.inner_text("#scrub-instant")


@pytest.fixture(scope="module")
def sampled_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[orgsim.Timeline, Path]:
    """A page that carries 300 of a synthetic timeline's 4,000 events, with many more board rows than it draws."""
    from orgsim.testing.synth import write_synthetic

    folder = tmp_path_factory.mktemp("sampled")
    timeline = orgsim.load_timeline(write_synthetic(folder / "synthetic", 4000, 3, people=160))
    path = folder / "sampled.html"
    write_report(path, build_report(timeline, max_events=300))
    return timeline, path


def test_a_sampled_page_answers_exactly_where_it_can_and_says_so_where_it_cannot(
    browser: Any, sampled_file: tuple[orgsim.Timeline, Path]
) -> None:
    from datetime import UTC, datetime

    timeline, path = sampled_file
    tab = open_page(browser, path)
    try:
        assert "carries 300 of the 4,000 events" in tab.inner_text("#page-notes")
        steps = tab.evaluate("() => JSON.parse(document.getElementById('orgsim-data').textContent).steps")
        slider = tab.locator("#scrub-range")
        for index in (1, len(steps) // 3, len(steps) // 2, len(steps)):
            slider.fill(str(index))
            settle(tab)
            state = timeline.state_at(datetime.fromtimestamp(steps[index - 1] / 1000, UTC))
            ceo = (
                state.name_of(state.ceo.person)
                if state.ceo
                else "vacant"
                if state.ceo is None
                else unknown_text(state, "offices.ceo")
            )
            assert tab.inner_text("#state-ceo").replace("interim", "").strip() == ceo
            assert tab.locator("#state-note").is_hidden()
        # an instant between two states the page holds
        between = next(
            (a + b) / 2
            for a, b in pairwise(steps)
            if timeline.state_at(datetime.fromtimestamp((a + b) / 2000, UTC)).applied
            != timeline.state_at(datetime.fromtimestamp(a / 1000, UTC)).applied
        )
        moment = datetime.fromtimestamp(between / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        scrub_to(tab, moment)
        note = tab.inner_text("#state-note")
        assert "this page does not hold the state at" in note and "orgsim state --at" in note
        assert tab.errors == []
    finally:
        tab.context.close()


def test_a_crowded_chart_draws_at_most_max_rows_and_says_how_many_more(
    browser: Any, sampled_file: tuple[orgsim.Timeline, Path]
) -> None:
    from orgsim.views.gantt import MAX_ROWS

    _, path = sampled_file
    tab = open_page(browser, path)
    try:
        tab.click("#presets button >> text=All")
        settle(tab)
        drawn = tab.locator("#chart .row-label.office, #chart .row-label.board").count()
        assert drawn == MAX_ROWS
        assert "more rows with a bar in view, not drawn" in tab.text_content("#chart .rows-left-out")
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / "report-sampled.png"), full_page=False)
    finally:
        tab.context.close()


def test_the_page_switches_between_what_happened_and_what_the_public_knew(browser: Any, tmp_path: Path) -> None:
    from pathlib import Path as _Path

    knows = orgsim.load_timeline(_Path(__file__).parents[1] / "fixtures" / "knows")
    path = tmp_path / "knows.html"
    write_report(path, build_report(knows))
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    try:
        tab.goto(path.as_uri())
        tab.wait_for_selector("body[data-ready='true']")
        assert tab.is_visible("#view-pick")
        scrub_to(tab, "2020-01-03T12:00")
        assert tab.inner_text("#state-board").strip() == "2 voting directors"  # what happened
        tab.select_option("#view-select", "known")
        settle(tab)
        # Bob's seat became public only at 18:30: at noon the public knew of one director.
        assert tab.inner_text("#state-board").strip() == "1 voting director"
        assert "bob-on-board" in tab.inner_text("#known-hidden")
        scrub_to(tab, "2020-01-03T19:00")
        assert tab.inner_text("#state-board").strip() == "2 voting directors"
        tab.select_option("#view-select", "happened")
        settle(tab)
        assert tab.is_hidden("#known-hidden") if tab.locator("#known-hidden").count() else True
        assert errors == []
    finally:
        context.close()
