"""The maps snapshots share: every version reads as the dict its writes would make, whoever writes after it."""

from __future__ import annotations

import pickle

from hypothesis import given
from hypothesis import strategies as st

from orgsim.model.sharing import Versioned

KEYS = st.sampled_from(["a", "b", "c", "d"])
WRITES = st.lists(st.tuples(KEYS, st.none() | st.integers(0, 9)), max_size=30)


def _apply(start: dict[str, int], writes: list[tuple[str, int | None]]) -> dict[str, int]:
    found = dict(start)
    for key, value in writes:
        if value is None:
            found.pop(key, None)
        else:
            found[key] = value
    return found


@given(WRITES, WRITES, WRITES)
def test_each_version_is_the_dict_of_its_writes_even_after_others_write_past_it(
    shared: list[tuple[str, int | None]], mine: list[tuple[str, int | None]], theirs: list[tuple[str, int | None]]
) -> None:
    base: Versioned[int] = Versioned()
    for key, value in shared:
        base = base.with_(key, value)
    ours, others = base, base
    for key, value in theirs:  # another world appends first: ours must fork, not see theirs
        others = others.with_(key, value)
    for key, value in mine:
        ours = ours.with_(key, value)
    expected_base = _apply({}, shared)
    for version, expected in (
        (base, expected_base),
        (ours, _apply(expected_base, mine)),
        (others, _apply(expected_base, theirs)),
    ):
        assert dict(version) == expected and list(version) == list(expected) and len(version) == len(expected)
        assert version == expected and all(version[k] == v for k, v in expected.items())
        assert all((k in version) == (k in expected) for k in "abcde")
        assert pickle.loads(pickle.dumps(version)) == expected


def test_a_version_is_read_only_and_a_new_one_shares_the_writes() -> None:
    one = Versioned().with_("x", 1)
    two = one.with_("y", 2)
    assert dict(one) == {"x": 1} and dict(two) == {"x": 1, "y": 2}
    assert one.with_("absent", None) is one  # removing what is not there writes nothing
    assert not hasattr(one, "__setitem__") and hash(two) == hash(Versioned().with_("y", 2).with_("x", 1))
    revived = pickle.loads(pickle.dumps(two))
    assert dict(revived.with_("x", None)) == {"y": 2} and dict(two) == {"x": 1, "y": 2}


def test_re_applying_the_writes_a_later_version_made_shares_them_instead_of_copying() -> None:
    """A replay from a checkpoint writes what history wrote next: it must not copy every write before (O(n))."""
    checkpoint = Versioned().with_("a", 1).with_("b", 2)
    later = checkpoint.with_("c", 3).with_("a", None)
    again = checkpoint.with_("c", 3).with_("a", None)
    assert again._writes is later._writes and dict(again) == dict(later) == {"b": 2, "c": 3}
    other = checkpoint.with_("c", 4)  # a different write forks
    assert other._writes is not later._writes and dict(other) == {"a": 1, "b": 2, "c": 4}
