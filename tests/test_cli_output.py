"""The command line as a process: what it writes where, and how it ends when stopped or when stdout fails.

These run the real ``orgsim`` console script (or ``orgsim.cli.main`` in a
child Python that makes one call block, so that a signal lands mid-write).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
ACME = FIXTURES / "acme"

# Runs orgsim's CLI with os.fsync blocked for any temporary file (".part"): it tells the test on the file
# descriptor named by ORGSIM_TEST_READY_FD which file it is writing, then waits for a signal.
BLOCKING_DRIVER = r"""
import os, signal, sys
real_fsync = os.fsync
def fsync(fd):
    where = os.readlink(f"/proc/self/fd/{fd}")
    if ".part" in where:
        os.write(int(os.environ["ORGSIM_TEST_READY_FD"]), (where + "\n").encode())
        while True:
            signal.pause()
    real_fsync(fd)
os.fsync = fsync
from orgsim.cli import main
sys.argv[0] = "orgsim"
main()
"""


def orgsim(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed ``orgsim`` command (the console script) and capture its output."""
    return subprocess.run(["orgsim", *args], capture_output=True, text=True, check=False)


def one_error_line(result: subprocess.CompletedProcess[str], needle: str) -> None:
    """The bad-input rule: one line on stderr, exit 2, nothing on stdout, no traceback."""
    assert result.returncode == 2, result.stderr
    assert needle in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert result.stdout == ""


def leftovers(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if ".part" in name or ".orgsim-" in name)


def has_proc() -> bool:
    return os.path.isdir("/proc/self/fd")


needs_proc = pytest.mark.skipif(not has_proc(), reason="the blocking driver reads /proc/self/fd")


def start_blocked(args: list[str], ignore: signal.Signals | None = None) -> tuple[subprocess.Popen[str], str]:
    """Start orgsim with ``args`` and return once it is blocked flushing a temporary file (and that file).

    ``ignore`` is a signal the child starts with set to be ignored.
    """

    def before_exec() -> None:
        if ignore is not None:
            signal.signal(ignore, signal.SIG_IGN)

    ready_read, ready_write = os.pipe()
    env = dict(os.environ, ORGSIM_TEST_READY_FD=str(ready_write))
    child = subprocess.Popen(
        [sys.executable, "-c", BLOCKING_DRIVER, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        pass_fds=(ready_write,),
        preexec_fn=before_exec,
    )
    os.close(ready_write)
    with os.fdopen(ready_read) as ready:
        where = ready.readline().strip()  # '' if the child ended without ever writing a temporary file
    return child, where


# -- synth --out -------------------------------------------------------------------------------------


def read_only_place(tmp_path: Path) -> Path:
    """A path where a folder cannot be made: under a read-only folder, or (as root, who may write anywhere) /sys."""
    if os.geteuid() != 0:
        folder = tmp_path / "read-only"
        folder.mkdir()
        folder.chmod(0o555)
        return folder / "timeline"
    if not os.path.isdir("/sys/kernel"):
        pytest.skip("running as root without /sys: no read-only place to try")
    return Path("/sys/kernel/orgsim-test-timeline")


@pytest.mark.parametrize("where", ["an existing file", "/dev/null", "a path under a file", "a read-only folder"])
def test_synth_to_a_place_it_cannot_write_is_one_line_and_exit_2(tmp_path: Path, where: str) -> None:
    (tmp_path / "file").write_text("keep me")
    out = {
        "an existing file": tmp_path / "file",
        "/dev/null": Path(os.devnull),
        "a path under a file": tmp_path / "file" / "timeline",
        "a read-only folder": read_only_place(tmp_path) if where == "a read-only folder" else tmp_path,
    }[where]
    result = orgsim("synth", "--events", "50", "--out", str(out))
    one_error_line(result, str(out))
    assert (tmp_path / "file").read_text() == "keep me" and leftovers(tmp_path) == []
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_synth_refuses_a_non_empty_folder_and_replaces_a_timeline_with_force(tmp_path: Path) -> None:
    out = tmp_path / "big"
    assert orgsim("synth", "--events", "50", "--seed", "1", "--out", str(out)).returncode == 0
    first = (out / "events.jsonl").read_bytes()
    again = orgsim("synth", "--events", "80", "--seed", "2", "--out", str(out))
    one_error_line(again, "the folder is not empty (use --force")
    assert (out / "events.jsonl").read_bytes() == first
    forced = orgsim("synth", "--events", "80", "--seed", "2", "--out", str(out), "--force")
    assert forced.returncode == 0 and forced.stdout == f"wrote 80 events to {out}\n"
    assert (out / "events.jsonl").read_bytes() != first and leftovers(tmp_path) == []
    checked = orgsim("validate", str(out))
    assert checked.returncode == 0 and "80 events" in checked.stdout


def test_synth_force_still_refuses_a_folder_that_holds_no_timeline(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    result = orgsim("synth", "--events", "50", "--out", str(tmp_path), "--force")
    one_error_line(result, "holds no timeline.yaml")
    assert os.listdir(tmp_path) == ["notes.txt"]


def test_synth_fills_an_empty_folder(tmp_path: Path) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    assert orgsim("synth", "--events", "50", "--out", str(out)).returncode == 0
    assert sorted(os.listdir(out)) == ["events.jsonl", "sources", "timeline.yaml"]


# -- report, plot and convert onto devices and FIFOs --------------------------------------------------


def test_report_to_a_device_writes_through_it_and_leaves_it_a_device(tmp_path: Path) -> None:
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        device.symlink_to(os.devnull)  # the same test through a link; /dev/null itself is never at risk
    result = orgsim("report", "--out", str(device), "--events", str(ACME))
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(device.stat().st_mode) and leftovers(tmp_path) == []


def test_report_to_a_fifo_streams_into_it(tmp_path: Path) -> None:
    fifo = tmp_path / "page"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = orgsim("report", "--out", str(fifo), "--events", str(ACME))
    reader.join(timeout=60)  # only a guard against hanging should the FIFO have been replaced
    assert result.returncode == 0, result.stderr
    assert received and received[0].startswith(b"<!DOCTYPE html>") and stat.S_ISFIFO(fifo.lstat().st_mode)


def test_report_to_a_folder_is_one_line_and_exit_2(tmp_path: Path) -> None:
    one_error_line(orgsim("report", "--out", str(tmp_path), "--events", str(ACME)), "it is a folder")


# -- stopped mid-write ---------------------------------------------------------------------------------


def command(kind: str, folder: Path) -> tuple[list[str], Path]:
    """The arguments of a writing command whose output goes to ``folder``, and its target."""
    if kind == "report":
        return ["report", "--out", str(folder / "page.html"), "--events", str(ACME)], folder / "page.html"
    if kind == "plot":
        return ["plot", "--out", str(folder / "chart.svg"), "--events", str(ACME)], folder / "chart.svg"
    if kind == "convert":
        return ["convert", str(ACME / "2-crisis.yaml"), str(folder / "crisis.jsonl")], folder / "crisis.jsonl"
    return ["synth", "--events", "300", "--out", str(folder / "big"), "--force"], folder / "big"


@needs_proc
@pytest.mark.parametrize(
    ("kind", "signum"),
    [
        ("report", signal.SIGTERM),
        ("plot", signal.SIGTERM),
        ("convert", signal.SIGTERM),
        ("synth", signal.SIGTERM),
        ("report", signal.SIGINT),
        ("report", signal.SIGHUP),
        ("synth", signal.SIGINT),
    ],
)
def test_a_signal_mid_write_removes_the_temporary_and_keeps_the_old_output(
    tmp_path: Path, kind: str, signum: signal.Signals
) -> None:
    args, target = command(kind, tmp_path)
    if kind == "synth":
        assert orgsim("synth", "--events", "50", "--out", str(target)).returncode == 0
        before = {p.name: p.read_bytes() for p in target.iterdir() if p.is_file()}
    else:
        target.write_text("the old output")
    child, where = start_blocked(args)
    assert ".part" in where and Path(where).exists()  # it is blocked mid-write, its temporary on disk
    child.send_signal(signum)
    stdout, stderr = child.communicate(timeout=120)
    assert child.returncode == -signum, stderr
    assert stderr.strip() == f"orgsim: stopped by {signum.name}" and stdout == ""
    assert leftovers(tmp_path) == []
    if kind == "synth":
        assert {p.name: p.read_bytes() for p in target.iterdir() if p.is_file()} == before
    else:
        assert target.read_text() == "the old output"


@needs_proc
@pytest.mark.parametrize("kind", ["report", "synth"])
def test_a_later_run_removes_what_a_killed_writer_left(tmp_path: Path, kind: str) -> None:
    args, _ = command(kind, tmp_path)
    child, where = start_blocked(args)
    assert where
    child.kill()  # SIGKILL: no cleanup is possible
    child.communicate(timeout=120)
    left = leftovers(tmp_path)
    assert len(left) == 1 and f".orgsim-{child.pid}-" in left[0]
    assert orgsim("convert", str(ACME / "2-crisis.yaml"), str(tmp_path / "other.jsonl")).returncode == 0
    assert leftovers(tmp_path) == []


@needs_proc
def test_a_signal_the_caller_ignores_stays_ignored(tmp_path: Path) -> None:
    args, target = command("report", tmp_path)
    child, where = start_blocked(args, ignore=signal.SIGHUP)  # as under nohup
    assert where
    child.send_signal(signal.SIGHUP)
    child.send_signal(signal.SIGTERM)  # had SIGHUP been handled, it would have ended the process first
    _, stderr = child.communicate(timeout=120)
    assert child.returncode == -signal.SIGTERM and "SIGTERM" in stderr
    assert leftovers(tmp_path) == [] and not target.exists()


# -- standard output -----------------------------------------------------------------------------------


def test_stdout_closed_before_any_output_ends_quietly_by_sigpipe() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run(["orgsim", "events"], stdout=write_end, stderr=subprocess.PIPE, text=True, check=False)
    finally:
        os.close(write_end)
    assert result.returncode == -signal.SIGPIPE and result.stderr == ""


def test_stdout_closed_mid_output_ends_quietly_by_sigpipe() -> None:
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)  # far less than the output, so the writer blocks on it
    child = subprocess.Popen(["orgsim", "events", "--format", "json"], stdout=write_end, stderr=subprocess.PIPE)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reader:
        assert reader.read(1) == b"["
    _, stderr = child.communicate(timeout=120)
    assert child.returncode == -signal.SIGPIPE and stderr == b""


def test_stdout_closed_mid_output_in_a_shell_pipeline_exits_141_quietly() -> None:
    if shutil.which("bash") is None or shutil.which("head") is None:
        pytest.skip("needs bash and head")
    result = subprocess.run(
        ["bash", "-c", 'orgsim events | head -c 1 >/dev/null; echo "${PIPESTATUS[0]}"'],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "141" and result.stderr == ""  # the output is larger than a pipe holds


@pytest.mark.parametrize("args", [["events"], ["state", "--at", "2023-11-18"], ["schema"], ["--help"], []])
def test_a_full_disk_on_stdout_is_one_line_and_exit_2(args: list[str]) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:
        result = subprocess.run(["orgsim", *args], stdout=full, stderr=subprocess.PIPE, text=True, check=False)
    assert result.returncode == 2
    assert result.stderr == "orgsim: error: cannot write to standard output: No space left on device\n"
