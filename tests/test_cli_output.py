"""The command line as a process: what it writes where.

These run the real ``orgsim`` console script.
"""

from __future__ import annotations

import os
import stat
import subprocess
import threading
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
ACME = FIXTURES / "acme"


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


def test_report_to_dev_null_itself_leaves_it_a_device() -> None:
    if os.geteuid() == 0:
        pytest.skip("as root a broken write would replace the machine's /dev/null: the test above tries a copy")
    result = orgsim("report", "--out", os.devnull, "--events", str(ACME))
    assert result.returncode == 0 and stat.S_ISCHR(os.stat(os.devnull).st_mode)


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
