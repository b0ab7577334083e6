"""Whole-process wall time of ``orgsim state`` against bare imports and an empty interpreter."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench_data import rounds

AT = "2023-11-18T12:00-08:00"
ACME = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "acme"


def _orgsim() -> list[str]:
    """The installed console script beside this interpreter (not a version manager's shim), else ``-m``."""
    beside = Path(sys.executable).parent / "orgsim"
    if beside.is_file():
        return [str(beside)]
    script = shutil.which("orgsim")
    return [script] if script else [sys.executable, "-m", "orgsim"]


def _env() -> dict[str, str]:
    """The environment a user has: orgsim's cache of validated timelines on (conftest turns it off for loads)."""
    env = dict(os.environ)
    env.pop("ORGSIM_NO_CACHE", None)
    return env


def _compile_like_an_install() -> None:
    """Byte-compile the package, as ``pip install`` does; an editable checkout under
    PYTHONDONTWRITEBYTECODE would otherwise recompile every module on every run."""
    import compileall

    import orgsim

    compileall.compile_dir(str(Path(orgsim.__file__).parent), quiet=1)


def _state_command() -> tuple[list[str], str]:
    """``orgsim state --at ...`` on the bundled timeline, or on the acme fixture if the bundled one fails."""
    command = [*_orgsim(), "state", "--at", AT]
    if subprocess.run(command, capture_output=True, env=_env()).returncode == 0:
        return command, "bundled"
    return [*command, "--events", str(ACME)], "acme fixture (bundled timeline did not replay)"


COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "python -c 'import pydantic, pendulum'": [sys.executable, "-c", "import pydantic, pendulum"],
    "python -c 'import orgsim'": [sys.executable, "-c", "import orgsim"],
}


def _wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=True, env=_env())
    return time.perf_counter() - start


def _medians(commands: list[list[str]], times: int) -> list[float]:
    """The median wall time of each command, run in turn ``times`` times: on a machine whose speed drifts
    (a shared VM), running all of one and then all of another would put the drift into their ratio."""
    walls: list[list[float]] = [[] for _ in commands]
    for _ in range(times):
        for spent, command in zip(walls, commands, strict=True):
            spent.append(_wall(command))
    return [statistics.median(spent) for spent in walls]


@pytest.mark.parametrize("label", list(COMMANDS))
def test_process_baseline(benchmark, label: str) -> None:
    _compile_like_an_install()
    benchmark.group = "process wall time"
    benchmark.pedantic(_wall, args=(COMMANDS[label],), rounds=rounds(benchmark, 15), warmup_rounds=1)


def test_orgsim_state_process(benchmark) -> None:
    _compile_like_an_install()
    command, timeline = _state_command()
    benchmark.group = "process wall time"
    benchmark.pedantic(_wall, args=(command,), rounds=rounds(benchmark, 15), warmup_rounds=1)
    times = rounds(benchmark, 15)
    state, libraries, empty = _medians(
        [command, COMMANDS["python -c 'import pydantic, pendulum'"], COMMANDS["python -c pass"]], times
    )
    benchmark.extra_info.update(
        timeline=timeline,
        orgsim_state_ms=round(state * 1e3, 1),
        import_pydantic_pendulum_ms=round(libraries * 1e3, 1),
        python_pass_ms=round(empty * 1e3, 1),
        state_over_pydantic_pendulum=round(state / libraries, 2),
        target="< 2x python -c 'import pydantic, pendulum'",
    )
