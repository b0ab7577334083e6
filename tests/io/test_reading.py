"""Reading untrusted input: regular files only, bounded, YAML built without blow-up, duplicate keys refused."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from orgsim.errors import LoadError
from orgsim.io.reading import (
    MAX_ALIAS_NODES,
    MAX_DEPTH,
    BoolWord,
    json_duplicate_key,
    json_keys_bound,
    parse_yaml,
    preview,
    printable,
    read_bounded,
)

ATTACKS = Path(__file__).parents[1] / "fixtures" / "attacks"


def one_line(error: LoadError) -> str:
    text = str(error)
    assert "\n" not in text and printable(text) == text
    return text


# --- files ----------------------------------------------------------------------------------------------------


def test_a_device_is_refused_without_reading_it() -> None:
    with pytest.raises(LoadError, match="not a regular file") as caught:
        read_bounded("/dev/zero", "/dev/zero", 1024)
    one_line(caught.value)


def test_a_link_to_a_device_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "events.yaml"
    link.symlink_to("/dev/zero")
    with pytest.raises(LoadError, match="not a regular file"):
        read_bounded(link, "events.yaml", 1024)


def test_a_fifo_is_refused_at_once_rather_than_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "scenario.yaml"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []

    def read() -> None:
        try:
            read_bounded(fifo, "scenario.yaml", 1024)
        except BaseException as error:
            outcome.append(error)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=20)
    if reader.is_alive():  # unblock the reader, then fail
        with open(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK), "wb"):
            pass
        pytest.fail("reading a FIFO blocked")
    assert isinstance(outcome[0], LoadError) and "not a regular file" in str(outcome[0])


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="is a folder"):
        read_bounded(tmp_path, "here", 1024)


def test_a_file_over_its_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"x" * 2000)
    with pytest.raises(LoadError, match=r"too large: 2,000 bytes \(the limit is 1,000\)"):
        read_bounded(path, "big.yaml", 1000)
    assert read_bounded(path, "big.yaml", 2000) == b"x" * 2000


def test_a_link_is_refused_when_links_are_not_followed(tmp_path: Path) -> None:
    (tmp_path / "real.txt").write_text("hello")
    (tmp_path / "link.txt").symlink_to(tmp_path / "real.txt")
    assert read_bounded(tmp_path / "link.txt", "link.txt", 100) == b"hello"
    with pytest.raises(LoadError, match="link"):
        read_bounded(tmp_path / "link.txt", "link.txt", 100, follow_links=False)


# --- YAML -----------------------------------------------------------------------------------------------------


def test_an_alias_bomb_is_refused_before_it_is_expanded() -> None:
    with pytest.raises(LoadError, match=f"aliases stand for more than {MAX_ALIAS_NODES:,} nodes") as caught:
        parse_yaml((ATTACKS / "alias-bomb.yaml").read_bytes(), "alias-bomb.yaml")
    one_line(caught.value)


def test_aliases_within_the_budget_share_their_value() -> None:
    data = parse_yaml(b"base: &b {quote: q, document: d}\nfirst: *b\nsecond: {<<: *b, quote: r}\n", "x.yaml")
    assert data["first"] is data["base"]
    assert data["second"] == {"quote": "r", "document": "d"}


@pytest.mark.parametrize("name", ["deep-nesting.yaml", "deep-mappings.yaml"])
def test_deep_nesting_is_refused_without_recursion(name: str) -> None:
    with pytest.raises(LoadError, match=f"nested deeper than {MAX_DEPTH} levels") as caught:
        parse_yaml((ATTACKS / name).read_bytes(), name)
    one_line(caught.value)


def test_an_alias_cannot_nest_past_the_depth_limit() -> None:
    deep = "[" * 20 + "x" + "]" * 20
    with pytest.raises(LoadError, match="nests deeper"):
        parse_yaml(f"a: &a {deep}\nb: {'[' * 20}*a{']' * 20}\n".encode(), "x.yaml")


def test_a_recursive_alias_is_refused() -> None:
    with pytest.raises(LoadError, match="refers to a node that contains it"):
        parse_yaml(b"&a [*a]", "x.yaml")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("votes: {cy: yes, cy: no}", "cy"),
        ("a: 1\nb: 2\na: 3\n", "a"),
        ("- {x: 1, x: 1}", "x"),
        ("{1: a, 0x1: b}", "1"),
        ("{<<: {a: 1}, <<: {b: 2}}", "<<"),
    ],
)
def test_every_duplicate_key_is_an_error_naming_it(text: str, key: str) -> None:
    with pytest.raises(LoadError, match=f"duplicate key '?{key}'?") as caught:
        parse_yaml(text.encode(), "x.yaml")
    one_line(caught.value)


def test_a_duplicate_key_names_the_event_and_the_field() -> None:
    with pytest.raises(LoadError) as caught:
        parse_yaml((ATTACKS / "duplicate-vote.yaml").read_bytes(), "duplicate-vote.yaml")
    error = caught.value
    assert error.event == "2021-03-01-board-votes" and error.field == "votes.grace-hopper"
    assert "line 8" in error.message


@pytest.mark.parametrize("word", ["yes", "no", "Yes", "NO", "on", "Off", "true", "False"])
def test_yaml_11_boolean_words_are_kept_as_written(word: str) -> None:
    value = parse_yaml(f"vote: {word}".encode(), "x.yaml")["vote"]
    assert isinstance(value, BoolWord) and value == word
    assert value.flag is (word.lower() in ("yes", "true", "on"))


def test_quoted_words_and_other_scalars_read_as_yaml_11_does() -> None:
    data = parse_yaml(b"a: 'no'\nb: 0x1F\nc: 1_000\nd: ~\ne: 2024-12-31\nf: 1.5\n", "x.yaml")
    assert data == {"a": "no", "b": 31, "c": 1000, "d": None, "e": __import__("datetime").date(2024, 12, 31), "f": 1.5}
    assert not isinstance(data["a"], BoolWord)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("a: !!python/object/apply:os.system [echo pwned]", "unsupported YAML tag"),
        ("a: !!binary aGVsbG8=", "unsupported YAML tag"),
        ("a: !!set {x: null}", "unsupported YAML tag"),
        ("a: " + "9" * 5000, "number longer than"),
        ("a: " + ":".join(["1"] * 40000), "number longer than"),
        ("a: 2023-13-45", "cannot read '2023-13-45' as a date"),
        ("a: 0000-01-01", "as a date"),
        ("a: 1\n---\nb: 2\n", "more than one YAML document"),
        ("a: *nothing", "names no anchor"),
        ("? [a]\n: 1\n", "mapping key must be a plain value"),
        ("a: [1, 2\n", "malformed YAML"),
        ("a: \x1b[2J", "malformed YAML"),
    ],
)
def test_anything_but_plain_bounded_data_is_refused_in_one_line(text: str, needle: str) -> None:
    with pytest.raises(LoadError, match=needle.replace("[", r"\[").replace("(", r"\(")) as caught:
        parse_yaml(text.encode(), "x.yaml")
    one_line(caught.value)


def test_text_that_is_not_utf8_is_refused() -> None:
    with pytest.raises(LoadError, match=r"not UTF-8 text \(byte 0xff at offset 13"):
        parse_yaml(b"a: 1\n\x7fELF\x02\x01\x01\x00\xff\xfe", "x.yaml")


def test_the_bundled_files_read_as_pyyaml_reads_them(tmp_path: Path) -> None:
    import yaml

    def flags(value: object) -> object:
        if isinstance(value, BoolWord):
            return value.flag
        if isinstance(value, dict):
            return {flags(k): flags(v) for k, v in value.items()}
        if isinstance(value, list):
            return [flags(v) for v in value]
        return value

    root = Path(__file__).parents[2]
    files = [*(root / "events").glob("*.yaml"), *(root / "scenarios").glob("*.yaml")]
    assert len(files) > 10
    for path in files:
        data = path.read_bytes()
        assert flags(parse_yaml(data, path.name)) == yaml.safe_load(data), path.name


# --- JSON and messages ----------------------------------------------------------------------------------------


def test_json_duplicate_keys_are_found_at_any_depth_and_in_any_spelling() -> None:
    assert json_duplicate_key('{"a": 1, "b": {"c": 1, "c": 2}}') == "c"
    assert json_duplicate_key('{"id": 1, "\\u0069d": 2}') == "id"
    assert json_duplicate_key('{"a": [{"b": 1}, {"b": 2}]}') is None


def test_the_key_bound_is_never_below_the_keys_written() -> None:
    line = b'{"a":"x\\":y","b":{"c":1},"d":[{"c":2}]}'
    assert json_keys_bound(line) is not None and json_keys_bound(line) >= 4  # type: ignore[operator]
    assert json_keys_bound(b'{"a" : 1}') is None


def test_a_preview_never_renders_more_than_it_shows() -> None:
    shared: list[object] = ["lol"] * 9
    for _ in range(30):  # 9^30 strings if walked as a tree
        shared = [shared] * 9
    assert len(preview(shared, 60)) <= 60
    assert "digits" in preview(10**5000)


def test_control_characters_are_escaped_in_messages() -> None:
    assert printable("a\nb\x1b]0;title\x07\u202e") == "a\\nb\\x1b]0;title\\x07\\u202e"
