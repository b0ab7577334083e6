"""Property: whatever bytes, YAML or JSON Lines reach the loader, the only failure is a one-line OrgsimError.

Random bytes, YAML text built from hostile pieces (anchors and aliases, deep
nesting, duplicate keys, YAML 1.1 oddities, tags, control characters) and
JSON Lines (duplicate keys, infinities, huge numbers, deep arrays) are fed to
the parsers of event files, manifests and scenario files: each either loads
or raises an :class:`~orgsim.errors.OrgsimError` whose text is one line with
no raw control character. About 6,300 examples in all, in a few seconds.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orgsim.errors import OrgsimError
from orgsim.io.files import parse_event_file, parse_manifest
from orgsim.io.problems import MAX_PROBLEMS, Problems
from orgsim.io.reading import printable
from orgsim.whatif.scenarios import parse_scenario


def fast(examples: int) -> settings:
    """Settings for a property of this file: ``examples`` runs, no deadline, no shrinking database."""
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def only_one_line_errors(parse: Callable[[], object]) -> None:
    """Run ``parse``: it may succeed, or fail with an OrgsimError that renders as one printable line."""
    try:
        parse()
    except OrgsimError as error:
        text = str(error)
        assert text and "\n" not in text and "\r" not in text, text
        assert printable(text) == text, text


# --- pieces of hostile YAML -----------------------------------------------------------------------------------

ODD_SCALARS = [
    "yes",
    "No",
    "OFF",
    "on",
    "true",
    "~",
    "null",
    "",
    ".inf",
    "-.inf",
    ".nan",
    "1e400",
    "1.0e+400",
    "0x1F",
    "0o17",
    "010",
    "1:30:00",
    "190:20:30.15",
    "2023-11-17",
    "2023-11-17T12:00:00-08:00",
    "0001-01-01",
    "9999-12-31",
    "2023-13-45",
    "0000-01-01",
    "'quoted'",
    '"esc\\x1b[2J\\n"',
    '"\\u202e"',
    "!!binary aGk=",
    "!!python/object:os.system x",
    "!!str 1",
    "!!int '3'",
    "!!float x",
    "!!timestamp nope",
    "!custom x",
    "=",
    "<<",
    "*a",
    "*b",
    "*undefined",
    "&a x",
    "&b [1, 2]",
    "9" * 200,
    "-1",
    "1_000",
    "true",
    "sam-altman",
    "America/Los_Angeles",
    "Mars/Olympus",
    "3/4",
    "0.75",
    "minute",
    "statement",
    "board_vote",
    "headcount_reported",
    "stakeholder_changed",
    "leave_started",
    "memo.txt",
    "|\n  block",
    ">\n  folded",
    "'unclosed",
    '"unclosed',
    "[unclosed",
    "{unclosed",
    "\x07",
    "\t",
    "#comment",
]
KEYS = [
    "id",
    "type",
    "at",
    "precision",
    "summary",
    "sources",
    "document",
    "quote",
    "translation",
    "language",
    "external",
    "person",
    "office",
    "interim",
    "votes",
    "motion",
    "count",
    "qualifier",
    "until",
    "invested_usd",
    "caused_by",
    "stated_at",
    "reported_at",
    "zone",
    "name",
    "organisation",
    "home_zone",
    "governance",
    "people",
    "organisations",
    "quorum",
    "majority_of",
    "threshold",
    "at_least",
    "board_size",
    "title",
    "base",
    "policy",
    "interventions",
    "remove",
    "change",
    "set",
    "insert",
    "rule",
    "when",
    "all",
    "any",
    "field",
    "op",
    "value",
    "emit",
    "why",
    "<<",
    "yes",
    "no",
    "1",
    "? ",
]

ANCHORS = ["", "", "", "", "&a ", "&b ", "!!map ", "!!seq ", "!!set "]


def render_flow(tokens: list[int] | bytes) -> str:
    """Flow-style YAML from a list of small integers (cheap to draw, shrinks well): opens, closes, keys, values.

    ``0`` opens a list, ``1`` a mapping, ``2`` closes the innermost one;
    any other number is a scalar (a key, inside a mapping) from the odd pools,
    now and then with an anchor or a tag in front.
    """
    out: list[str] = []
    stack: list[list[int]] = []  # per open container: [is mapping, items so far]

    def item(text: str) -> None:
        if stack:
            frame = stack[-1]
            if frame[1]:
                out.append(": " if frame[0] and frame[1] % 2 else ", ")
            frame[1] += 1
        out.append(text)

    for token in tokens:
        if token in (0, 1):
            prefix = ANCHORS[len(out) % len(ANCHORS)] if stack and not (stack[-1][0] and stack[-1][1] % 2 == 0) else ""
            item(prefix + "[{"[token])
            stack.append([token, 0])
        elif token == 2 and stack:
            mapping, count = stack.pop()
            out.append(": x}" if mapping and count % 2 else "}" if mapping else "]")
        elif stack and stack[-1][0] and stack[-1][1] % 2 == 0:
            item(KEYS[token % len(KEYS)])
        else:
            item(ANCHORS[token % len(ANCHORS)] + ODD_SCALARS[token % len(ODD_SCALARS)])
    while stack:
        mapping, count = stack.pop()
        out.append(": x}" if mapping and count % 2 else "}" if mapping else "]")
    return "".join(out) or "~"


flow = st.binary(max_size=40).map(lambda tokens: render_flow(list(tokens)))  # bytes: one draw, not forty
keys = st.integers(0, len(KEYS) - 1).map(KEYS.__getitem__)
deep = st.tuples(st.integers(0, 3000), st.sampled_from(["[", "{a: ", "- "])).map(
    lambda spec: spec[1] * spec[0] + "x" + {"[": "]", "{a: ": "}", "- ": ""}[spec[1]] * spec[0]
)
bomb = st.integers(2, 12).map(
    lambda levels: (
        "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        + "".join(f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]\n" for n in range(1, levels))
    )
)


def _event_block(fields: list[tuple[str, str]]) -> str:
    return "- " + "\n  ".join(f"{k}: {v}" for k, v in fields) + "\n"


BASE_EVENT = [
    ("id", "2022-01-01-e"),
    ("type", "statement"),
    ("at", '"2022-01-01T09:00:00+00:00"'),
    ("precision", "day"),
    ("summary", "Something."),
    ("sources", "[{document: memo.txt, quote: Ada, translation: Ada}]"),
]


def _event_fields(tokens: bytes) -> str:
    """One event: the valid base, then fields drawn from ``tokens`` (odd values, and one flow value)."""
    extra = [
        (KEYS[a % len(KEYS)], ODD_SCALARS[b % len(ODD_SCALARS)])
        for a, b in zip(tokens[::2], tokens[1::2], strict=False)
    ]
    if tokens:
        extra.append((KEYS[tokens[0] % len(KEYS)], render_flow(list(tokens[1:]))))
    return _event_block(BASE_EVENT + extra)


event_documents = st.lists(st.binary(max_size=12).map(_event_fields), max_size=4).map("".join)
yaml_text = (
    flow
    | deep
    | bomb
    | event_documents
    | st.lists(st.tuples(keys, flow), max_size=8).map(lambda pairs: "".join(f"{k}: {v}\n" for k, v in pairs))
    | st.lists(flow, max_size=6).map(lambda items: "".join(f"- {item}\n" for item in items))
)


# --- pieces of hostile JSON Lines -----------------------------------------------------------------------------

JSON_VALUES: list[object] = [
    None,
    True,
    False,
    0,
    -1,
    7,
    10**40,
    -(10**40),
    1.5,
    1e308,
    -0.0,
    "",
    "yes",
    "no",
    "Yes",
    "statement",
    "board_vote",
    "headcount_reported",
    "2022-01-01T09:00:00Z",
    "0001-01-01T00:00:00Z",
    "9999-12-31",
    "memo.txt",
    "sam-altman",
    "Mars/Olympus",
    "\x1b]0;title\x07",
    "a\nb",
    "\u202e",
    [],
    {},
    ["a", "b"],
    [1, [2, [3]]],
    {"document": "memo.txt"},
    {"document": "memo.txt", "quote": "Ada", "language": "en"},
    {"a": "yes"},
    [{"document": "memo.txt", "quote": "Ada", "translation": "Ada"}],
    "x" * 300,
]
EVENT_JSON = {
    "type": "statement",
    "id": "2022-01-01-e",
    "at": "2022-01-01T09:00:00Z",
    "precision": "day",
    "summary": "s",
    "sources": [{"document": "memo.txt", "quote": "Ada", "translation": "Ada"}],
}


TWISTS = [
    None,
    None,
    None,
    ',"summary":"again"',
    ',"\\u0069d":"other"',
    ',"votes":{"a":"yes","a":"no"},"type":"board_vote","motion":"m"',
    ',"count":1e400',
    ',"invested_usd":Infinity',
    ',"invested_usd":NaN',
    ',"count":' + "9" * 500,
    ',"x":' + "[" * 5000 + "]" * 5000,
    ',"summary":"\\u001b]0;pwned\\u0007"',
]
JUNK_LINES = ["", " ", "{", "[1]", "null", '{"type": "statement"}', "\x00", "\ufeff{}", '{"a":1,"a":2}']


def _json_line(tokens: bytes) -> str:
    """One line from drawn bytes: the valid event with fields changed, perhaps a twist, or a line of junk."""
    if not tokens:
        return JUNK_LINES[0]
    if tokens[0] >= 230:
        return JUNK_LINES[tokens[0] % len(JUNK_LINES)]
    pairs = zip(tokens[1::2], tokens[2::2], strict=False)
    changes = {KEYS[k % len(KEYS)]: JSON_VALUES[v % len(JSON_VALUES)] for k, v in pairs}
    line = json.dumps({**EVENT_JSON, **changes}, separators=(",", ":"))
    twist = TWISTS[tokens[0] % len(TWISTS)]
    return line if twist is None else line[:-1] + twist + "}"


json_lines = st.lists(st.binary(max_size=9).map(_json_line), max_size=5).map(
    lambda lines: "\n".join(lines).encode("utf-8", "surrogatepass")
)


# --- the properties -------------------------------------------------------------------------------------------


@fast(900)
@given(st.binary(max_size=300), st.sampled_from(["events.yaml", "events.jsonl"]))
def test_random_bytes_as_an_event_file(data: bytes, name: str) -> None:
    only_one_line_errors(lambda: parse_event_file(data, name))


@fast(500)
@given(st.binary(max_size=300), st.booleans())
def test_random_bytes_as_a_manifest_or_scenario(data: bytes, manifest: bool) -> None:
    only_one_line_errors(lambda: parse_manifest(data, "timeline.yaml") if manifest else parse_scenario(data, "s.yaml"))


@fast(1800)
@given(yaml_text, st.booleans())
def test_random_yaml_as_an_event_file(text: str, collect: bool) -> None:
    data = text.encode("utf-8", "surrogatepass")
    problems = Problems(MAX_PROBLEMS) if collect else None

    def parse() -> object:
        records = parse_event_file(data, "events.yaml", problems=problems)
        assert problems is None or all("\n" not in str(e) and printable(str(e)) == str(e) for e in problems.errors)
        return records

    only_one_line_errors(parse)


@fast(900)
@given(yaml_text)
def test_random_yaml_as_a_manifest(text: str) -> None:
    only_one_line_errors(lambda: parse_manifest(text.encode("utf-8", "surrogatepass"), "timeline.yaml"))


@fast(900)
@given(yaml_text)
def test_random_yaml_as_a_scenario_file(text: str) -> None:
    only_one_line_errors(lambda: parse_scenario(text.encode("utf-8", "surrogatepass"), "what-if.yaml"))


@fast(1300)
@given(json_lines, st.booleans())
def test_random_json_lines_as_an_event_file(data: bytes, collect: bool) -> None:
    problems = Problems(MAX_PROBLEMS) if collect else None
    only_one_line_errors(lambda: parse_event_file(data, "events.jsonl", problems=problems))
    if problems is not None:
        assert all("\n" not in str(e) and printable(str(e)) == str(e) for e in problems.errors)
