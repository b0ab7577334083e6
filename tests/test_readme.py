"""The README's quick start is what CI runs, and its examples run."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = 'pip install ".[dev]" && pytest'
    assert command in readme.split("## Quick start", 1)[1].split("##", 1)[0]
    assert f"\n{command}\n" in ci


def test_readme_python_examples_run() -> None:
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    assert len(blocks) >= 2
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})


def test_readme_sweep_output_is_what_the_command_prints() -> None:
    import os
    import subprocess

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = "$ orgsim sweep removal-vote-uncertain --enumerate\n"
    shown = readme.split(command, 1)[1].split("```", 1)[0]
    printed = subprocess.run(
        ["orgsim", "sweep", "removal-vote-uncertain", "--enumerate"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "COLUMNS": "120"},  # the width the README's output was taken at
    ).stdout
    assert shown == printed
