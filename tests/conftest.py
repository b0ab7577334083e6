"""Shared fixtures: the small acme timeline and helpers to copy and edit it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import orgsim

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
