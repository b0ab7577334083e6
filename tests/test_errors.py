"""The error hierarchy renders every error as one printable line."""

from __future__ import annotations

import json

import pytest

from orgsim.errors import LoadError, OrgsimError, json_printable, one_line, printable


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain text, «quotes» and 中文", "plain text, «quotes» and 中文"),
        ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),
        ("a\nb\r\tc", "a\\nb\\r\\tc"),
        ("\x7f\x9b31m", "\\x7f\\x9b31m"),
        ("\u2028\u2029\u202e\u2066\u200f", "\\u2028\\u2029\\u202e\\u2066\\u200f"),
        ("a\ud800b\udcffc\udfff", "a\\ud800b\\udcffc\\udfff"),  # lone surrogates: an undecodable byte of argv
    ],
)
def test_printable_escapes_control_characters_only(raw: str, shown: str) -> None:
    assert printable(raw) == shown
    assert printable(printable(raw)) == shown  # escaping twice changes nothing more


def test_printable_can_keep_the_line_breaks_of_a_page() -> None:
    assert printable("one\x1b\ntwo", keep_newlines=True) == "one\\x1b\ntwo"


def test_an_error_renders_as_one_line_whatever_its_parts_hold() -> None:
    error = LoadError(
        'while parsing a block mapping\n  in "<unicode string>", line 1\nexpected <block end>',
        file="a\nb.yaml",
        event="x\x1b[2J",
        field="f\u2028g",
    )
    assert str(error) == (
        "a\\nb.yaml: event 'x\\x1b[2J': field 'f\\u2028g': "
        'while parsing a block mapping in "<unicode string>", line 1 expected <block end>'
    )
    assert one_line("  two\n\n   lines  ") == "two lines"
    assert isinstance(error, OrgsimError)


def test_json_printable_keeps_the_document_and_its_meaning() -> None:
    document = json.dumps({"s": "\x7f\x85\u2028\u202e ok"}, ensure_ascii=False)
    safe = json_printable(document)
    assert safe.isascii() and json.loads(safe) == json.loads(document)
    assert json_printable('["\udc80"]') == '["\\udc80"]' and json_printable('["\ue000"]') == '["\ue000"]'
