"""The cache of validated timelines: hits on unchanged files, misses on any change, never in the way."""

from __future__ import annotations

from pathlib import Path

import pytest

import orgsim
from orgsim.io.loading import load_folder


def test_an_unchanged_timeline_comes_back_from_the_cache(
    acme_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORGSIM_CACHE_DIR", str(tmp_path / "cache"))
    first = load_folder(acme_copy)
    assert len(list((tmp_path / "cache").glob("*.pickle"))) == 1
    second = load_folder(acme_copy)
    assert second.events == first.events
    assert second.origins == first.origins and second.manifest == first.manifest


def test_any_edit_misses_the_cache(acme_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORGSIM_CACHE_DIR", str(tmp_path / "cache"))
    load_folder(acme_copy)
    path = acme_copy / "2-crisis.yaml"
    path.write_text(path.read_text().replace("80 staff sign a letter.", "81 staff sign a letter."))
    assert orgsim.load_timeline(acme_copy).event("2021-03-03-letter").summary == "81 staff sign a letter."
    path.write_text(path.read_text().replace("type: statement", "type: proclamation"))
    with pytest.raises(orgsim.LoadError, match="unknown event type 'proclamation'"):
        load_folder(acme_copy)


def test_changed_code_misses_the_cache(acme_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from orgsim.io import cache

    monkeypatch.setenv("ORGSIM_CACHE_DIR", str(tmp_path / "cache"))
    package = tmp_path / "orgsim"  # stands for a checkout whose code changed, version unchanged
    shutil.copytree(Path(cache.__file__).parents[1], package, ignore=shutil.ignore_patterns("__pycache__", "bundled"))
    monkeypatch.setattr(cache, "__file__", str(package / "io" / "cache.py"))
    load_folder(acme_copy)
    load_folder(acme_copy)
    assert len(list((tmp_path / "cache").glob("*.pickle"))) == 1
    governance = package / "model" / "governance.py"
    governance.write_text(governance.read_text() + "\n# changed\n")
    load_folder(acme_copy)
    assert len(list((tmp_path / "cache").glob("*.pickle"))) == 2


def test_the_cache_can_be_turned_off_or_unwritable(
    acme_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORGSIM_NO_CACHE", "1")
    monkeypatch.setenv("ORGSIM_CACHE_DIR", str(tmp_path / "off"))
    load_folder(acme_copy)
    assert not (tmp_path / "off").exists()
    monkeypatch.delenv("ORGSIM_NO_CACHE")
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    monkeypatch.setenv("ORGSIM_CACHE_DIR", str(blocker / "cache"))
    assert len(load_folder(acme_copy).events) == 25


def test_a_corrupt_cache_entry_is_ignored(acme_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORGSIM_CACHE_DIR", str(tmp_path / "cache"))
    load_folder(acme_copy)
    for entry in (tmp_path / "cache").glob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    assert len(load_folder(acme_copy).events) == 25
