"""The ``orgsim`` group and the process it runs in.

:class:`_Orgsim` is the click group under every command: it turns every
:class:`~orgsim.errors.OrgsimError` and every click usage error into one
line on stderr and exit status 2, here and nowhere else. It also owns the
process as a whole: signals that stop it, a standard output whose failed
writes are told (or, for a closed pipe, end it quietly), and warnings as
one line each. :func:`fail` and :func:`say` are how commands tell the user.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import signal
import sys
from importlib import import_module
from typing import Any, NoReturn

import click

from orgsim.errors import OrgsimError

# click >= 8.2 raises this for a bare group; older clicks print the help themselves.
_NO_ARGUMENTS: type[click.UsageError] = getattr(
    click.exceptions, "NoArgsIsHelpError", type("_Never", (click.UsageError,), {})
)


COMMAND_MODULES: dict[str, str] = {
    **dict.fromkeys(("state", "tenures", "person", "explain", "lag", "events", "diff"), "answers"),
    **dict.fromkeys(("scenario", "sweep"), "worlds"),
    **dict.fromkeys(("validate", "schema", "export", "report", "plot", "synth", "convert"), "files"),
}
"""The module of :mod:`orgsim.cli` that defines each command: it is imported when the command is run, or when
every command is listed (``orgsim --help``), so that ``orgsim state`` does not load the others."""


class _Orgsim(click.Group):
    """A click group that renders every user error, orgsim's or click's, as one line and exit status 2.

    It also owns what happens to the process as a whole: SIGTERM, SIGINT and
    SIGHUP stop it through an exception, so that half-written files are
    removed on the way out, and then it dies of that signal as the caller
    expects; a write to standard output that fails is one line and exit 2,
    or, when the reader closed the pipe, a quiet death by SIGPIPE.
    """

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command ``cmd_name``, its module imported first (all of them for a name no module defines, so
        that click's suggestions see every command)."""
        if cmd_name not in self.commands:
            module = COMMAND_MODULES.get(cmd_name)
            for name in (module,) if module is not None else sorted(set(COMMAND_MODULES.values())):
                import_module(f"orgsim.cli.{name}")
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command's name, each command module imported first."""
        for name in sorted(set(COMMAND_MODULES.values())):
            import_module(f"orgsim.cli.{name}")
        return super().list_commands(ctx)

    def invoke(self, ctx: click.Context) -> Any:
        from orgsim.engine.bulk import bulk

        try:
            with bulk():  # a command is one bulk job: no collector passes over what it loads and replays
                result = super().invoke(ctx)
            if sys.stdout is not None:
                sys.stdout.flush()  # here, so that a failing flush is told as one, not at interpreter exit
            return result
        except OrgsimError as error:
            fail(str(error))

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False  # errors come back here, to be told in one line
        handled = _stop_on_signals()
        _warnings_as_lines()
        try:
            try:
                _guard_stdout()
                return super().main(*args, **kwargs)
            except _NO_ARGUMENTS as error:  # a bare 'orgsim' or 'orgsim scenario': the help, as asked
                click.echo(error.ctx.get_help() if error.ctx is not None else error.format_message())
                sys.exit(0)
            except click.UsageError as error:
                where = error.ctx.command_path if error.ctx is not None else "orgsim"
                fail(f"{error.format_message()} (see '{where} --help')")
            except click.exceptions.Abort:
                fail("aborted")
            except click.ClickException as error:
                fail(error.format_message())
        except _StdoutFailed as error:  # from the command, or from the help printed above
            if error.errno == errno.EPIPE:
                _die_of(signal.SIGPIPE)  # quietly, as any Unix tool whose reader has gone
            fail(f"cannot write to standard output: {error.strerror}")
        except _Stopped as stop:
            say(f"orgsim: stopped by {stop.signal.name}")
            _die_of(stop.signal)
        finally:
            for signum in handled:  # past this point there is nothing left to clean up
                signal.signal(signum, signal.SIG_DFL)


def _warnings_as_lines() -> None:
    """Tell orgsim's warnings (a cache folder not used, say) as one line on stderr each, like its errors."""
    import warnings

    from orgsim.errors import one_line

    def show(message: Warning | str, category: type[Warning], *rest: object, **more: object) -> None:
        say(f"orgsim: warning: {one_line(str(message))}")

    warnings.showwarning = show


def fail(message: str) -> NoReturn:
    """Print ``orgsim: error: message`` on stderr and exit with status 2."""
    from orgsim.errors import one_line

    say(f"orgsim: error: {one_line(message)}")
    sys.exit(2)


def say(line: str) -> None:
    """Print ``line`` on stderr; if stderr is closed or full, say nothing rather than fail again."""
    with contextlib.suppress(OSError, ValueError):  # a closed or full stderr cannot be told about
        click.echo(line, err=True)


class _Stopped(BaseException):
    """Raised by the handler of a signal that stops orgsim, so that cleanups run on the way out."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signal = signal.Signals(signum)


_STOPPING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, name))


def _stop_on_signals() -> list[int]:
    """Turn SIGTERM, SIGINT and SIGHUP into :class:`_Stopped`, except those the caller set to be ignored (nohup).

    Returns the signals it took over.
    """
    handled = [signum for signum in _STOPPING if signal.getsignal(signum) != signal.SIG_IGN]

    def stop(signum: int, frame: object) -> None:
        for other in handled:  # a second signal must not cut the cleanup short
            signal.signal(other, signal.SIG_IGN)
        raise _Stopped(signum)

    for signum in handled:
        signal.signal(signum, stop)
    return handled


def _die_of(signum: signal.Signals) -> NoReturn:
    """End the process by ``signum`` itself, so that the caller sees it (a shell's $? is 128 + signum)."""
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)
    sys.exit(128 + signum)  # only if the signal is blocked


class _StdoutFailed(Exception):
    """A write to standard output failed (a closed pipe, a full disk).

    Not an ``OSError``: click would take a closed pipe for its own and exit 1,
    and no handler of a file's errors should mistake it for one.
    """

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror)
        self.errno = error.errno
        self.strerror = error.strerror


class _WholeWrites(io.RawIOBase):
    """Standard output's file descriptor as a raw stream whose every write writes all its bytes or raises.

    Python's own unbuffered stdout (PYTHONUNBUFFERED) drops the rest of a
    write that the system took only in part, as a pipe does when its reader
    leaves; here the loop goes on until the system refuses, and that is an
    error. After the first error the rest is discarded, so that the exit
    path does not fail again.
    """

    def __init__(self, handle: int) -> None:
        super().__init__()
        self._handle = handle
        self._failed = False

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._handle

    def isatty(self) -> bool:
        return os.isatty(self._handle)

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        size = len(view)
        if self._failed:
            return size
        try:
            while view:
                view = view[os.write(self._handle, view) :]
        except OSError as error:
            self._failed = True
            raise _StdoutFailed(error) from error
        return size


def _guard_stdout() -> None:
    """Put :class:`_WholeWrites` under ``sys.stdout`` (when it is a real file), keeping its encoding."""
    stream = sys.stdout
    try:
        handle = stream.fileno()
        stream.flush()
    except (AttributeError, OSError, ValueError):
        return
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(_WholeWrites(handle)),
        encoding=stream.encoding,
        errors=stream.errors,
        line_buffering=bool(stream.line_buffering),
    )


@click.group(cls=_Orgsim, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="orgsim")
def main() -> None:
    """Replay how control of an organisation changed, and ask what would have happened otherwise."""
