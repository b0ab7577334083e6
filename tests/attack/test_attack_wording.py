"""Attack: documented options that do not exist, and output labels the input rules call ambiguous."""

from __future__ import annotations

import subprocess
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def orgsim_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the real ``orgsim`` console script."""
    return subprocess.run(["orgsim", *args], capture_output=True, text=True, check=False)


def test_every_state_option_the_readme_names_exists() -> None:
    # README: "`sources` (CLI only, `--with-sources`)"; the command says: No such option '--with-sources'
    assert "--with-sources" in README.read_text(encoding="utf-8")
    result = orgsim_cli("state", "--at", "2023-11-21T12:00", "--format", "json", "--with-sources")
    assert result.returncode == 0, result.stderr


def test_the_known_at_heading_does_not_use_an_abbreviation_orgsim_refuses_as_ambiguous() -> None:
    # `--tz CST` is refused ("zones at different offsets use it"); the heading prints "04:00 CST" for Shanghai
    result = orgsim_cli("state", "--as-known-at", "2023-11-18T04:00", "--tz", "Asia/Shanghai")
    assert result.returncode == 0, result.stderr
    heading = result.stdout.splitlines()[0]
    assert " CST" not in heading, heading
