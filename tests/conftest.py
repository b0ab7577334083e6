"""Shared fixtures: the small acme timeline and helpers to copy and edit it."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

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
