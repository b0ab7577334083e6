"""Atomic output: what a write does to files, links, devices, FIFOs and folders, and what it leaves behind."""

from __future__ import annotations

import os
import re
import socket
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import pytest

import orgsim.io.output as output
from orgsim.errors import OutputError
from orgsim.io.output import write_atomic, write_bytes, write_file_durably, write_folder, write_text

TEMPORARY = re.compile(r"\.orgsim-")


def leftovers(folder: Path) -> list[str]:
    """Names in ``folder`` that look like orgsim's temporary files or folders."""
    return sorted(name for name in os.listdir(folder) if TEMPORARY.search(name))


def gone_pid() -> int:
    """The id of a process that has ended (and been reaped)."""
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(child.stdout)


def stale_name(target: str, pid: int, suffix: str = ".part") -> str:
    return f".{target}.orgsim-{pid}-{output._HOST}-0123456789ab{suffix}"


# -- regular files ----------------------------------------------------------------------------------


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "page.html"
    target.write_text("old")

    def broken(stream: BinaryIO) -> None:
        stream.write(b"half")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_atomic(target, broken)
    assert target.read_text() == "old" and leftovers(tmp_path) == []


def test_a_missing_folder_is_one_output_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="the folder does not exist"):
        write_text(tmp_path / "missing" / "x.html", "x")


def test_the_temporary_file_names_orgsim_and_its_writer(tmp_path: Path) -> None:
    seen: list[str] = []

    def look(stream: BinaryIO) -> None:
        seen.extend(leftovers(tmp_path))

    write_atomic(tmp_path / "page.html", look)
    assert len(seen) == 1
    assert re.fullmatch(rf"\.page\.html\.orgsim-{os.getpid()}-{output._HOST}-[0-9a-f]{{12}}\.part", seen[0])
    assert leftovers(tmp_path) == []


def test_a_very_long_name_still_gets_a_temporary_name_the_system_accepts(tmp_path: Path) -> None:
    target = tmp_path / ("n" * 250)
    write_text(target, "x")
    assert target.read_text() == "x"


def test_writing_never_reads_or_changes_the_umask(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def umask(mask: int) -> int:
        raise AssertionError("the umask is process-wide: a library must not flip it")

    monkeypatch.setattr(os, "umask", umask)
    write_text(tmp_path / "new.txt", "x")
    write_text(tmp_path / "new.txt", "y")
    write_folder(tmp_path / "made", lambda folder: write_file_durably(folder / "a", b"a"))


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o077])
def test_a_new_file_gets_the_mode_a_plain_open_gives(tmp_path: Path, mask: int) -> None:
    script = (
        "import os, sys\n"
        f"os.umask({mask})\n"
        "from orgsim.io.output import write_text\n"
        "open(sys.argv[1], 'w').close()\n"
        "write_text(sys.argv[2], 'x')\n"
    )
    plain, ours = tmp_path / "plain", tmp_path / "ours"
    subprocess.run([sys.executable, "-c", script, str(plain), str(ours)], check=True)
    assert stat.S_IMODE(ours.stat().st_mode) == stat.S_IMODE(plain.stat().st_mode) == 0o666 & ~mask


def test_an_existing_file_keeps_its_mode_as_a_plain_open_would(tmp_path: Path) -> None:
    target = tmp_path / "private.html"
    target.write_text("old")
    target.chmod(0o600)
    write_text(target, "new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600 and target.read_text() == "new"


def test_a_link_to_a_file_is_followed_and_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.html"
    real.write_text("old")
    link = tmp_path / "link.html"
    link.symlink_to(real)
    write_text(link, "new")
    assert link.is_symlink() and real.read_text() == "new"
    assert leftovers(tmp_path) == []


def test_a_dangling_link_makes_the_file_it_points_to(tmp_path: Path) -> None:
    link = tmp_path / "link.html"
    link.symlink_to("made.html")
    write_text(link, "new")
    assert link.is_symlink() and (tmp_path / "made.html").read_text() == "new"


# -- devices, FIFOs and what is refused --------------------------------------------------------------


def private_device(tmp_path: Path, name: str = "null") -> Path:
    """A copy of /dev/null or /dev/full made in ``tmp_path`` where allowed, else a link to the real one.

    Either way the machine's own device is never at risk (as root, a broken
    write would rename a regular file over it), even if writing were broken.
    """
    device = tmp_path / name
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, {"null": 3, "full": 7}[name]))
    except PermissionError:
        device.symlink_to(f"/dev/{name}")
    return device


def test_a_character_device_is_written_in_place_and_stays_a_device(tmp_path: Path) -> None:
    device = private_device(tmp_path)
    write_text(device, "x" * 100_000)
    assert stat.S_ISCHR(device.stat().st_mode) and stat.S_ISCHR(os.stat(os.devnull).st_mode)
    assert leftovers(tmp_path) == []


def test_a_link_to_dev_null_stays_a_link_to_the_device(tmp_path: Path) -> None:
    link = tmp_path / "out.html"
    link.symlink_to(os.devnull)
    write_text(link, "x")
    assert link.is_symlink() and stat.S_ISCHR(link.stat().st_mode)


def test_a_full_device_is_one_output_error(tmp_path: Path) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    device = private_device(tmp_path, "full")
    with pytest.raises(OutputError, match="No space left on device"):
        write_text(device, "x")
    assert stat.S_ISCHR(device.stat().st_mode)


def test_a_fifo_is_written_in_place_and_its_reader_gets_everything(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_bytes(fifo, b"y" * 300_000)
    reader.join(timeout=60)  # only a guard against hanging should the FIFO have been replaced
    assert received == [b"y" * 300_000]
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and leftovers(tmp_path) == []


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="it is a folder"):
        write_text(tmp_path, "x")


def test_a_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        with pytest.raises(OutputError, match="it is a socket"):
            write_text(path, "x")
    assert stat.S_ISSOCK(path.lstat().st_mode)


def test_a_path_under_a_file_is_one_output_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="not a folder"):
        write_text(tmp_path / "file" / "x.html", "x")


# -- stale temporary files -------------------------------------------------------------------------


def test_a_write_removes_temporaries_whose_writer_is_gone_and_keeps_the_rest(tmp_path: Path) -> None:
    dead = gone_pid()
    stale_file = tmp_path / stale_name("page.html", dead)
    stale_file.write_text("half")
    stale_folder = tmp_path / stale_name("big", dead)
    stale_folder.mkdir()
    (stale_folder / "events.jsonl").write_text("half")
    alive = tmp_path / stale_name("other.html", os.getppid())
    alive.write_text("being written")
    backup = tmp_path / stale_name("big", dead, ".old")
    backup.mkdir()
    elsewhere = tmp_path / f".page.html.orgsim-{dead}-ffffffff-0123456789ab.part"  # another machine's
    elsewhere.write_text("?")
    unrelated = tmp_path / ".page.html.abc123.part"
    unrelated.write_text("not ours")

    write_text(tmp_path / "page.html", "x")
    assert not stale_file.exists() and not stale_folder.exists()
    assert alive.exists() and backup.exists() and elsewhere.exists() and unrelated.exists()


# -- folders ------------------------------------------------------------------------------------------


def fill(*names: str) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        for name in names:
            write_file_durably(folder / name, name.encode())

    return build


def test_a_folder_is_made_whole_with_the_mode_a_plain_mkdir_gives(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    made = write_folder(tmp_path / "made", fill("a", "b"))
    assert sorted(os.listdir(made)) == ["a", "b"] and leftovers(tmp_path) == []
    assert stat.S_IMODE(made.stat().st_mode) == stat.S_IMODE(plain.stat().st_mode)


def test_an_empty_folder_is_filled_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "empty"
    target.mkdir(mode=0o700)
    write_folder(target, fill("a"))
    assert os.listdir(target) == ["a"] and stat.S_IMODE(target.stat().st_mode) == 0o700


def test_a_non_empty_folder_is_refused_unless_replacing(tmp_path: Path) -> None:
    target = tmp_path / "timeline"
    write_folder(target, fill("old"))
    with pytest.raises(OutputError, match="the folder is not empty"):
        write_folder(target, fill("new"))
    assert os.listdir(target) == ["old"]
    write_folder(target, fill("new"), replace=True)
    assert os.listdir(target) == ["new"] and leftovers(tmp_path) == []


def test_replacing_without_an_atomic_exchange_still_ends_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output, "_exchange", lambda first, second: False)
    target = tmp_path / "timeline"
    write_folder(target, fill("old"))
    write_folder(target, fill("new"), replace=True)
    assert os.listdir(target) == ["new"] and leftovers(tmp_path) == []


def test_a_failed_build_leaves_the_old_folder_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "timeline"
    write_folder(target, fill("manifest", "events"))

    def full_disk(folder: Path) -> None:
        write_file_durably(folder / "manifest", b"new")
        raise OSError(28, "No space left on device")

    with pytest.raises(OutputError, match="No space left on device"):
        write_folder(target, full_disk, replace=True)
    assert sorted(os.listdir(target)) == ["events", "manifest"] and (target / "manifest").read_text() == "manifest"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("kind", ["file", "device", "under a file"])
def test_a_folder_cannot_be_written_over_a_file_or_under_one(tmp_path: Path, kind: str) -> None:
    (tmp_path / "file").write_text("x")
    path = {"file": tmp_path / "file", "device": private_device(tmp_path), "under a file": tmp_path / "file" / "sub"}
    with pytest.raises(OutputError, match="not a folder"):
        write_folder(path[kind], fill("a"))
    assert (tmp_path / "file").read_text() == "x" and leftovers(tmp_path) == []


def test_a_link_to_a_folder_is_followed(tmp_path: Path) -> None:
    real = tmp_path / "real"
    write_folder(real, fill("old"))
    link = tmp_path / "link"
    link.symlink_to(real)
    write_folder(link, fill("new"), replace=True)
    assert link.is_symlink() and os.listdir(real) == ["new"]
