"""The examples in the package's docstrings run and say what they print."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import orgsim

MODULES = sorted(
    name for _, name, _ in pkgutil.walk_packages(orgsim.__path__, "orgsim.") if not name.endswith(".__main__")
)


@pytest.mark.parametrize("name", ["orgsim", *MODULES])
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
