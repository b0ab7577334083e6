"""Shared fixtures: the small acme timeline and helpers to copy and edit it."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import orgsim

# Keep the timeline cache of test runs (and of the CLI they start) out of the user's home.
os.environ.setdefault("ORGSIM_CACHE_DIR", tempfile.mkdtemp(prefix="orgsim-test-cache-"))

FIXTURES = Path(__file__).parent / "fixtures"
ACME = FIXTURES / "acme"


@pytest.fixture(scope="session")
def acme() -> orgsim.Timeline:
    """The acme test timeline, replayed once."""
    return orgsim.load_timeline(ACME)


@pytest.fixture
def acme_copy(tmp_path: Path) -> Path:
    """A writable copy of the acme timeline folder."""
    target = tmp_path / "acme"
    shutil.copytree(ACME, target)
    return target


@pytest.fixture(scope="session")
def bundled() -> orgsim.Timeline:
    """The bundled OpenAI timeline, replayed once."""
    return orgsim.load_timeline()


KNOWS = FIXTURES / "knows"


@pytest.fixture
def knows_copy(tmp_path: Path) -> Path:
    """A writable copy of the knows timeline folder (coverage, announcements, offers, placeholders)."""
    target = tmp_path / "knows"
    shutil.copytree(KNOWS, target)
    return target


CHROMIUM = Path("/usr/bin/chromium")
"""Debian's Chromium: the browser tests never download one."""
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


def _browser_missing() -> list[str]:
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
    """Debian's Chromium under Playwright: skipped saying why when it is missing, a failure under CI."""
    missing = _browser_missing()
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
