"""The sweep's progress bar: drawn on a terminal once the work has taken a moment, silent otherwise."""

from __future__ import annotations

import io
import subprocess

from orgsim.views.sweep import progress_bar


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_no_bar_and_no_callback_when_the_stream_is_not_a_terminal() -> None:
    stream = io.StringIO()
    with progress_bar("orgsim: sweep", stream, delay=0) as tell:
        assert tell is None
    assert stream.getvalue() == ""


def test_a_bar_on_a_terminal_once_the_delay_has_passed() -> None:
    stream = Terminal()
    with progress_bar("orgsim: sweep", stream, delay=0) as tell:
        assert tell is not None
        tell(250, 1000)
        tell(500, 1000)
    assert "orgsim: sweep" in stream.getvalue() and "500/1000" in stream.getvalue()


def test_no_bar_before_the_delay_even_on_a_terminal() -> None:
    stream = Terminal()
    with progress_bar("orgsim: sweep", stream, delay=3600) as tell:
        assert tell is not None
        tell(500, 1000)
    assert stream.getvalue() == ""


def test_a_long_sweep_with_stderr_to_a_pipe_writes_nothing_there() -> None:
    result = subprocess.run(
        ["orgsim", "sweep", "removal-vote-uncertain", "--samples", "4000", "--workers", "1", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and result.stderr == ""
