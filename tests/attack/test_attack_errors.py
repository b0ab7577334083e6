"""Attack: library errors outside the OrgsimError hierarchy, and timeline files read from outside their folder."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

import orgsim


def orgsim_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the real ``orgsim`` console script."""
    return subprocess.run(["orgsim", *args], capture_output=True, text=True, check=False)


@pytest.mark.parametrize("path", ["ceoo", "", "ceo.person.x"])
def test_explain_of_an_unknown_path_raises_an_orgsim_error(bundled: orgsim.Timeline, path: str) -> None:
    with pytest.raises(orgsim.OrgsimError):  # today: ValueError
        bundled.explain(path, "2023-11-20T10:00", but_for=False)


def test_a_scenario_built_with_a_wrong_type_raises_an_orgsim_error() -> None:
    with pytest.raises(orgsim.OrgsimError):  # today: pydantic.ValidationError
        orgsim.Scenario(title=1, interventions=[])


def test_a_remove_of_a_malformed_id_raises_an_orgsim_error() -> None:
    with pytest.raises(orgsim.OrgsimError):  # today: pydantic.ValidationError
        orgsim.Remove(remove="")


def test_load_timeline_of_a_non_path_raises_an_orgsim_error() -> None:
    with pytest.raises(orgsim.OrgsimError):  # today: TypeError
        orgsim.load_timeline(5)  # type: ignore[arg-type]


def test_tenures_of_an_unknown_office_is_an_error_in_python_as_in_the_cli(bundled: orgsim.Timeline) -> None:
    # `orgsim tenures --office nope` is an error; timeline.tenures(office="nope") silently returns []
    with pytest.raises(orgsim.OrgsimError):
        bundled.tenures(office="nope")


def test_an_event_file_linked_outside_the_timeline_folder_is_not_read(acme_copy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.yaml"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    os.symlink(secret, acme_copy / "3-linked.yaml")
    result = orgsim_cli("validate", str(acme_copy))
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    # today: "expected a list of events, found a single value ('root:x:0:0:root:/root:/bin...)"
    assert "root:x" not in result.stderr, result.stderr


def test_an_event_file_linked_outside_the_timeline_folder_gives_no_events(acme_copy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    crisis = acme_copy / "2-crisis.yaml"
    moved = outside / "2-crisis.yaml"
    crisis.rename(moved)
    os.symlink(moved, crisis)
    # sources/ refuses links that lead out; event files (and timeline.yaml) are read from anywhere
    result = orgsim_cli("validate", str(acme_copy))
    assert result.returncode == 2, result.stdout
    assert "outside" in result.stderr or "link" in result.stderr


def test_a_manifest_that_is_a_device_is_named_as_such(acme_copy: Path) -> None:
    manifest = acme_copy / "timeline.yaml"
    manifest.unlink()
    os.symlink("/dev/zero", manifest)
    result = orgsim_cli("validate", str(acme_copy))
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    # today: "no timeline.yaml manifest in the timeline folder" although there is one (a device)
    assert "no timeline.yaml" not in result.stderr, result.stderr
