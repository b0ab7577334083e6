"""Sweep test helpers: optional packages that CI must have (the dev extras bring them)."""

from __future__ import annotations

import importlib
import os
from types import ModuleType

import pytest


def needed(module: str, extra: str) -> ModuleType:
    """Import ``module``; skip saying why when it is missing, but fail under CI (the CI variable set): CI installs
    the dev extras, which bring it, so a missing one there is a broken install, not a reason to skip."""
    try:
        return importlib.import_module(module)
    except ImportError:
        reason = f"{module} is missing (pip install {extra!r}; the dev extras bring it)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must run this test", pytrace=False)
        pytest.skip(reason)


@pytest.fixture
def distributed() -> ModuleType:
    """Dask's ``distributed`` (the optional extra ``orgsim[dask]``)."""
    return needed("distributed", "orgsim[dask]")


@pytest.fixture
def pandas() -> ModuleType:
    """pandas (optional: ``SweepResults.to_dataframe`` needs it)."""
    return needed("pandas", "pandas")
