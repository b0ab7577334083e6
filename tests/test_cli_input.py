"""Hostile and broken input through the real command line: one line per problem, exit 2, nothing on stdout."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
ACME = FIXTURES / "acme"
ATTACKS = FIXTURES / "attacks"


def orgsim(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the ``orgsim`` console script; a hang fails the test instead of the suite."""
    return subprocess.run(["orgsim", *args], capture_output=True, text=True, cwd=cwd, check=False, timeout=60)


def refused(result: subprocess.CompletedProcess[str], lines: int | None = 1) -> list[str]:
    """The error lines of a refused command, checked against the bad-input rule."""
    assert result.returncode == 2, result
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    found = result.stderr.splitlines()
    assert all(line.startswith("orgsim: error: ") for line in found), found
    if lines is not None:
        assert len(found) == lines, found
    return found


@pytest.fixture
def timeline(tmp_path: Path) -> Path:
    target = tmp_path / "acme"
    shutil.copytree(ACME, target)
    return target


def test_validate_reports_every_problem_across_files(timeline: Path) -> None:
    shutil.copy(ATTACKS / "many-problems.yaml", timeline / "3-problems.yaml")
    shutil.copy(ATTACKS / "many-problems-2.yaml", timeline / "4-problems.yaml")
    lines = refused(orgsim("validate", str(timeline)), lines=None)
    text = "\n".join(lines)
    for needle in (
        "3-problems.yaml: event '2022-01-01-typo': field 'persn'",
        "3-problems.yaml: event '2022-01-02-bad-count': field 'count'",
        "3-problems.yaml: event '2022-01-03-unknown-cause': field 'caused_by'",
        "4-problems.yaml: event '2022-02-01-far-future': field 'at'",
        "3-problems.yaml: event '2022-01-04-misquoted': field 'sources.0.quote'",
    ):
        assert needle in text
    assert len(lines) == 5


def test_validate_reports_quote_problems_together(timeline: Path) -> None:
    shutil.copy(ATTACKS / "source-documents.yaml", timeline / "3-outside.yaml")
    lines = refused(orgsim("validate", str(timeline)), lines=4)
    assert all("field 'sources.0.document'" in line and "not a plain file name" in line for line in lines)


def test_validate_stops_at_fifty_problems_and_says_so(timeline: Path) -> None:
    event = (ATTACKS / "many-problems-2.yaml").read_text()
    (timeline / "3-many.yaml").write_text("".join(event.replace("far-future", f"far-{i}") for i in range(80)))
    lines = refused(orgsim("validate", str(timeline)), lines=51)
    assert "only the first 50" in lines[-1]


def test_scenario_check_refuses_a_device_at_once() -> None:
    refused(orgsim("scenario", "check", "/dev/zero"))


def test_scenario_check_refuses_a_fifo_rather_than_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "what-if.yaml"
    os.mkfifo(fifo)
    (line,) = refused(orgsim("scenario", "check", str(fifo)))
    assert "not a regular file" in line


def test_convert_refuses_a_link_to_a_device(tmp_path: Path) -> None:
    (tmp_path / "events.yaml").symlink_to("/dev/zero")
    refused(orgsim("convert", str(tmp_path / "events.yaml"), str(tmp_path / "out.jsonl")))
    assert not (tmp_path / "out.jsonl").exists()


def test_a_scenario_with_two_remove_keys_is_refused() -> None:
    (line,) = refused(orgsim("scenario", "check", str(ATTACKS / "duplicate-remove.yaml"), "--events", str(ACME)))
    assert "duplicate key 'remove'" in line and "line 5" in line


@pytest.mark.parametrize("kind", ["missing", "file"])
def test_scenario_list_refuses_a_dir_that_is_not_a_folder(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "scenarios"
    if kind == "file":
        target.write_text("title: x\n")
    (line,) = refused(orgsim("scenario", "list", "--dir", str(target)))
    assert str(target) in line


def test_the_alias_bomb_is_refused_in_one_line(timeline: Path) -> None:
    shutil.copy(ATTACKS / "alias-bomb.yaml", timeline / "3-bomb.yaml")
    (line,) = refused(orgsim("state", "--at", "2021-03-02", "--events", str(timeline)))
    assert "alias bomb" in line


def test_infinity_never_reaches_json_output(timeline: Path) -> None:
    text = (ATTACKS / "many-problems-2.yaml").read_text().replace("type: statement", "type: stakeholder_changed")
    text = text.replace("9999-12-31", "2022-01-01") + "  stakeholder: globex\n  invested_usd: .inf\n"
    (timeline / "3-inf.yaml").write_text(text)
    (line,) = refused(orgsim("state", "--at", "2023-01-01", "--format", "json", "--events", str(timeline)))
    assert "field 'invested_usd'" in line


def test_json_output_names_files_relative_to_the_timeline_folder() -> None:
    result = orgsim("events", "--events", str(ACME), "--format", "json")
    files = {event["file"] for event in json.loads(result.stdout)}
    assert files == {"1-founding.yaml", "2-crisis.yaml"}


def test_the_schema_requires_sources_as_validate_does() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(orgsim("schema").stdout)
    event = {"id": "a", "type": "statement", "at": "2022-01-01T09:00:00Z", "precision": "day", "summary": "s"}
    source = {"document": "memo.txt", "quote": "Ada"}
    validator = jsonschema.Draft202012Validator(schema)
    assert not validator.is_valid([event])
    assert not validator.is_valid([{**event, "sources": []}])
    assert not validator.is_valid([{**event, "sources": [source]}])  # a translation, unless the quote is English
    assert validator.is_valid([{**event, "sources": [{**source, "language": "en"}]}])
    assert validator.is_valid([{**event, "sources": [{**source, "translation": "Ada"}]}])
    assert not validator.is_valid([{**event, "at": "0001-01-01T00:00:00Z", "sources": [{**source, "language": "en"}]}])
    options = schema["$defs"]["HeadcountReported"]["properties"]["count"]["anyOf"]
    count = next(option for option in options if option.get("type") == "integer")
    assert count["maximum"] == 10**9 and {"type": "null"} in options  # a range may stand for the count


def test_scenario_check_of_a_base_that_is_not_a_timeline_folder_is_one_line_naming_the_field(tmp_path: Path) -> None:
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "passwd.yaml").write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (tmp_path / "what-if.yaml").write_text("title: t\nbase: etc\n", encoding="utf-8")
    (line,) = refused(orgsim("scenario", "check", str(tmp_path / "what-if.yaml")))
    assert "field 'base'" in line and "is not a timeline folder" in line and "root:x" not in line
