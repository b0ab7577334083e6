"""Source documents: plain names inside sources/, regular UTF-8 files; nothing outside is ever opened."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from orgsim.errors import OrgsimError
from orgsim.io import reading
from orgsim.io.loading import load_folder
from orgsim.io.problems import MAX_PROBLEMS, Problems
from orgsim.io.sources import check_quotes, plain_name

ATTACKS = Path(__file__).parents[1] / "fixtures" / "attacks"

STATEMENT = """- id: 2022-01-01-reads-{name}
  type: statement
  at: "2022-01-01T09:00:00+00:00"
  precision: day
  summary: Reads a document.
  sources: [{{document: "{document}", quote: "{quote}", translation: same}}]
"""


def problems_of(folder: Path) -> list[OrgsimError]:
    problems = Problems(MAX_PROBLEMS)
    problems.run(check_quotes, load_folder(folder), problems)
    return problems.errors


def test_documents_outside_sources_are_refused_and_never_opened(
    acme_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(ATTACKS / "source-documents.yaml", acme_copy / "3-outside.yaml")
    opened: list[str] = []
    real_open = os.open

    def recording_open(path: object, *args: object, **kwargs: object) -> int:
        opened.append(str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(reading.os, "open", recording_open)
    errors = problems_of(acme_copy)
    named = {e.event: e for e in errors}
    assert set(named) == {
        "2020-01-01-passwd",
        "2020-01-01-climb",
        "2020-01-01-shadow",
        "2020-01-01-environ",
    }
    for error in errors:
        assert error.field == "sources.0.document" and "not a plain file name" in error.message
        assert "\n" not in str(error) and error.file and error.file.endswith("3-outside.yaml")
    assert not [path for path in opened if "etc" in path or "proc" in path], opened


def test_the_first_problem_is_raised_without_a_collector(acme_copy: Path) -> None:
    shutil.copy(ATTACKS / "source-documents.yaml", acme_copy / "3-outside.yaml")
    with pytest.raises(OrgsimError, match="not a plain file name"):
        check_quotes(load_folder(acme_copy))


def test_a_link_leading_out_of_sources_is_refused(acme_copy: Path) -> None:
    (acme_copy / "sources" / "passwd.txt").symlink_to("/etc/passwd")
    (acme_copy / "3-link.yaml").write_text(STATEMENT.format(name="link", document="passwd.txt", quote="root:"))
    (error,) = problems_of(acme_copy)
    assert "leads outside" in error.message and error.field == "sources.0.document"


def test_a_sources_folder_that_is_a_link_elsewhere_is_not_read(acme_copy: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    shutil.move(acme_copy / "sources", elsewhere)
    (acme_copy / "sources").symlink_to(elsewhere)
    errors = problems_of(acme_copy)
    assert errors and all("leads outside the timeline folder" in e.message for e in errors)


def test_a_document_that_is_not_utf8_is_refused_in_one_line(acme_copy: Path) -> None:
    (acme_copy / "sources" / "ls").write_bytes(Path("/bin/ls").read_bytes()[:4096])
    (acme_copy / "3-binary.yaml").write_text(STATEMENT.format(name="binary", document="ls", quote="ELF"))
    (error,) = problems_of(acme_copy)
    assert "not UTF-8 text" in error.message and "\n" not in str(error)


def test_a_document_that_is_a_device_or_fifo_is_refused(acme_copy: Path) -> None:
    os.mkfifo(acme_copy / "sources" / "pipe.txt")
    (acme_copy / "3-pipe.yaml").write_text(STATEMENT.format(name="pipe", document="pipe.txt", quote="x"))
    (error,) = problems_of(acme_copy)
    assert "not a regular file" in error.message


def test_documents_in_subfolders_of_sources_are_read(acme_copy: Path) -> None:
    (acme_copy / "sources" / "2022").mkdir()
    (acme_copy / "sources" / "2022" / "memo.txt").write_text("A memo of 2022.", encoding="utf-8")
    (acme_copy / "3-sub.yaml").write_text(STATEMENT.format(name="sub", document="2022/memo.txt", quote="memo of 2022"))
    assert not problems_of(acme_copy)


def test_every_quote_problem_is_reported(acme_copy: Path) -> None:
    (acme_copy / "3-misquotes.yaml").write_text(
        STATEMENT.format(name="one", document="memo.txt", quote="never said")
        + STATEMENT.format(name="two", document="missing.txt", quote="x")
    )
    assert {e.field for e in problems_of(acme_copy)} == {"sources.0.quote", "sources.0.document"}


@pytest.mark.parametrize("name", ["/etc/passwd", "../x", "a/../b", "./a", "a//b", "C:x", "a\\b", "a\nb", ""])
def test_names_that_are_not_plain_are_told_apart(name: str) -> None:
    assert not plain_name(name)
