"""Random command lines through the real entry point: an answer, or one line on stderr and exit status 2.

Thousands of argument lists (command names, options, values valid and not,
unicode and control characters) run in this process through ``orgsim.cli.main``
as the console script runs it; a few run through the console script itself.
Whatever the arguments, ``orgsim`` answers (exit 0) or says what is wrong in
one printable line on stderr with exit status 2, nothing on stdout and no
traceback. The commands that write files are left out (``report``, ``plot``,
``synth``, ``convert``): their arguments could name any path.
"""

from __future__ import annotations

import random
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import orgsim.cli
import orgsim.cli.common
from orgsim.timeline import Timeline

ACME = str(Path(__file__).parent / "fixtures" / "acme")
CONTROL = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)

ALPHABET = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_:+./\\ ,;'\"=*?[]{}()%$#@!~`<>|&^"
    + "".join(map(chr, range(0x01, 0x20)))  # C0, ESC among them (not NUL: no command line can hold one)
    + "\x7f\x85\x9b\x9d\xa0\xad"  # DEL, C1 (NEL, CSI, OSC), no-break space, soft hyphen
    + "\u061c\u200b\u200e\u200f\u2028\u2029\u202a\u202e\u2066\u2069\ufeff"  # separators, bidi, zero widths
    + "éß中文日本語한글ﾃｽﾄ\u0301\U0001f600"  # letters, wide, half-width, a combining mark, an emoji
    + "\udc80\udcff"  # lone surrogates, as Python reads an undecodable byte of argv
)
INSTANTS = [
    "2021-03-01T10:00",
    "2021-03-01T10:00+00:00",
    "2021-03-02",
    "2021-03",
    "2021",
    "2021-W09",
    "2021-W53",
    "2021-03-28T01:30",
    "2021-10-31T01:30",
    "2021-13-01",
    "0001-01-01",
    "9999-12-31",
    "2021-03-01T25:00",
    "12:00",
    "P1D",
    "",
]
ZONES = ["Europe/London", "asia/tokyo", "UTC", "+09:00", "UTC-5", "+99:00", "PST", "CST", "Etc/GMT+8", "Mars/Base"]
VALUES = {
    "--at": INSTANTS,
    "--from": INSTANTS,
    "--to": INSTANTS,
    "--tz": ZONES,
    "--format": ["table", "json", "xml", ""],
    "--events": [ACME, ACME + "/timeline.yaml", "/nonexistent", ".", ""],
    "--person": ["ada-lovelace", "charles-babbage", "lovelace", "Ada"],
    "--type": ["board_vote", "statement", "coup"],
    "--dir": ["/nonexistent", ACME],
}
FLAGS = ["--oneline", "--no-sources", "--sources", "--help", "--version", "-h"]
COMMANDS = {
    # command words: (options it takes, the ones it needs)
    "state": (["--at", "--tz", "--format", "--sources", "--no-sources"], ["--at"]),
    "events": (["--from", "--to", "--type", "--person", "--tz", "--format", "--oneline", "--no-sources"], []),
    "diff": (["--from", "--to", "--tz", "--format"], ["--from", "--to"]),
    "validate": ([], []),
    "schema": ([], []),
    "scenario run {scenario}": (["--at", "--tz", "--format"], ["--at"]),
    "scenario diff {scenario}": (["--at", "--tz", "--format"], []),
    "scenario check {scenario}": ([], []),
    "scenario run no-such-scenario": (["--at"], ["--at"]),
    "scenario list": (["--dir"], []),
    "scenario": ([], []),
    "stat": (["--at"], []),
    "": ([], []),
}


def command_line(rng: random.Random) -> list[str]:
    """A command and mostly its own options, with values valid and not; now and then a wrong option or stray word.

    Built from one random seed that hypothesis draws: a single draw per
    example keeps thousands of examples cheap (the seed is in the report of a
    failing example, and reproduces it).
    """

    def garbage() -> str:
        return "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(13)))

    def value(option: str) -> str:
        return rng.choice(VALUES[option]) if rng.random() < 0.75 else garbage()

    words = rng.choice(sorted(COMMANDS))
    own, needed = COMMANDS[words]
    args = words.split()
    if rng.random() < 0.95:
        args += ["--events", ACME]  # nearly always the small timeline: most runs get as far as an answer, quickly
    chosen = [option for option in needed if rng.random() < 0.9]  # a needed option, now and then missing
    chosen += [rng.choice(own) for _ in range(rng.randrange(4))] if own else []
    for option in chosen:
        args += [option, value(option)] if option in VALUES else [option]
    for _ in range(rng.randrange(3) if rng.random() < 0.3 else 0):
        kind = rng.randrange(3)
        if kind == 0:
            option = rng.choice(sorted(VALUES))
            args += [option, value(option)]
        elif kind == 1:
            args.append(rng.choice(FLAGS))
        else:
            args.append(garbage())
    return args


@pytest.fixture(scope="module")
def scenario_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A small what-if on the acme timeline."""
    path = tmp_path_factory.mktemp("scenario") / "what-if.yaml"
    path.write_text("title: No return\ninterventions:\n  - remove: 2021-03-05-ada-back\n    why: a test\n")
    return str(path)


@pytest.fixture(scope="module")
def quick_loads() -> Iterator[None]:
    """Load each timeline folder once for the whole module: thousands of runs, the same few folders.

    Every command calls the loader as ``common.load``, so replacing that one attribute reaches them all.
    """
    loaded: dict[object, Timeline] = {}
    real = orgsim.cli.common.load

    def load(path: Path | None) -> Timeline:
        key = str(path)
        if key not in loaded:
            loaded[key] = real(path)
        return loaded[key]

    orgsim.cli.common.load = load  # type: ignore[assignment]
    yield
    orgsim.cli.common.load = real  # type: ignore[assignment]


@settings(max_examples=4000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**64))
def test_any_command_line_answers_or_fails_in_one_line(seed: int, scenario_file: str, quick_loads: None) -> None:
    from click.testing import CliRunner

    args = [arg.replace("{scenario}", scenario_file) for arg in command_line(random.Random(seed))]
    result = CliRunner().invoke(orgsim.cli.main, args, env={"COLUMNS": "80"}, catch_exceptions=False)
    assert result.exit_code in (0, 2), (args, result.exit_code, result.output)
    if result.exit_code == 2:
        assert result.stdout == "", args
        line = result.stderr.removesuffix("\n")
        assert line.startswith("orgsim: error: ") and "\n" not in line, (args, result.stderr)
        assert not CONTROL.search(line), (args, line)
    else:
        assert result.stderr == "", (args, result.stderr)
        assert not CONTROL.search(result.stdout), (args, CONTROL.findall(result.stdout))


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["state", "--at", "2021-10-31T01:30", "--events", ACME], "ambiguous in Europe/London"),
        (["state", "--at", "2021-03-02", "--tz", "PST", "--events", ACME], "America/Los_Angeles"),
        (["events", "--person", "lovelace", "--events", ACME], "'ada-lovelace'"),
        (["events", "--at", "\x1b[2J", "--events", ACME], "No such option"),
        (["state", "--at", "2021-03-02\x1b]0;x\x07", "--events", ACME], "\\x1b]0;x\\x07"),
    ],
)
def test_the_console_script_fails_in_one_line_too(args: list[str], needle: str) -> None:
    result = subprocess.run(["orgsim", *args], capture_output=True, text=True, check=False)
    assert result.returncode == 2 and result.stdout == ""
    assert needle in result.stderr and len(result.stderr.splitlines()) == 1 and not CONTROL.search(result.stderr)


def test_an_undecodable_argument_byte_is_shown_escaped() -> None:
    result = subprocess.run(
        [b"orgsim", b"events", b"--person", b"\xff", b"--events", ACME.encode()], capture_output=True
    )
    assert result.returncode == 2 and result.stdout == b""
    assert result.stderr.decode() == (
        "orgsim: error: --person: no person has the id '\\udcff' in timeline 'acme' "
        "(the people it knows are listed in its timeline.yaml)\n"
    )
