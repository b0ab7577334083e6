"""The cache of validated timelines: signed JSON in a private folder, every doubtful entry a miss, never code."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

import pytest

from orgsim.io import cache
from orgsim.io.cache import CachedTimeline, TimelineCache, open_cache
from orgsim.io.loading import load_folder

ACME = Path(__file__).parents[1] / "fixtures" / "acme"


@pytest.fixture(scope="module")
def entry() -> CachedTimeline:
    loaded = load_folder(ACME)
    assert loaded.epochs is not None
    return CachedTimeline(loaded.manifest, loaded.events, dict(loaded.origins), loaded.epochs)


@pytest.fixture
def store(tmp_path: Path) -> TimelineCache:
    opened, why = open_cache(tmp_path / "cache")
    assert opened is not None, why
    return opened


FILES = [("timeline.yaml", b"name: x\n"), ("1.yaml", b"[]\n")]


def _key(store: TimelineCache) -> str:
    return store.key("ctx", FILES)


def test_an_entry_reads_back_equal_to_what_was_stored(store: TimelineCache, entry: CachedTimeline) -> None:
    key = _key(store)
    store.put(key, entry)
    hit = store.get(key)
    assert hit is not None
    assert hit.events == entry.events and hit.manifest == entry.manifest
    assert hit.origins == entry.origins and hit.epochs == entry.epochs
    assert [e.to_event() for e in hit.events] == [e.to_event() for e in entry.events]
    assert {type(e) for e in hit.events} == {type(e) for e in entry.events}


def test_the_folder_and_secret_are_private_to_their_owner(tmp_path: Path) -> None:
    opened, _ = open_cache(tmp_path / "new" / "cache")
    assert opened is not None
    assert (tmp_path / "new" / "cache").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "new" / "cache" / "secret").stat().st_mode & 0o777 == 0o600


def test_the_key_follows_every_byte_and_name(store: TimelineCache) -> None:
    base = store.key("ctx", FILES)
    assert store.key("ctx", [("timeline.yaml", b"name: y\n"), FILES[1]]) != base
    assert store.key("ctx", [("other.yaml", FILES[0][1]), FILES[1]]) != base
    assert store.key("elsewhere", FILES) != base
    assert store.key("ctx", list(FILES)) == base


def test_a_planted_pickle_is_never_unpickled(store: TimelineCache, tmp_path: Path, entry: CachedTimeline) -> None:
    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch {marker}",))

    key = _key(store)
    for name in (f"{key}.json", f"{key}.pickle"):
        (store.folder / name).write_bytes(pickle.dumps(Exploit()))
    assert store.get(key) is None
    assert not marker.exists()


def test_an_unsigned_or_altered_entry_is_a_miss(store: TimelineCache, entry: CachedTimeline) -> None:
    key = _key(store)
    store.put(key, entry)
    path = store.folder / f"{key}.json"
    signature, payload = path.read_bytes().split(b"\n", 1)
    altered = payload.replace(b"Acme", b"Evil")
    assert altered != payload
    path.write_bytes(signature + b"\n" + altered)  # consistent JSON, wrong signature
    assert store.get(key) is None
    forged = json.loads(payload)
    path.write_bytes(b"0" * len(signature) + b"\n" + json.dumps(forged).encode())
    assert store.get(key) is None


@pytest.mark.parametrize(
    "payload",
    [b"", b"not json", b"[]", b'{"format": 2}', b'{"format": 2, "key": "KEY", "manifest": 1, "events": []}', b"\xff"],
)
def test_a_malformed_entry_is_a_miss_even_when_signed(store: TimelineCache, payload: bytes) -> None:
    import hashlib
    import hmac

    key = _key(store)
    payload = payload.replace(b"KEY", key.encode())
    signature = hmac.new(store._secret, key.encode() + b"\0" + payload, hashlib.blake2b).hexdigest().encode()
    (store.folder / f"{key}.json").write_bytes(signature + b"\n" + payload)
    assert store.get(key) is None


@pytest.mark.parametrize("change", ["kind", "model", "model fields"])
def test_a_signed_entry_of_another_shape_is_a_miss(store: TimelineCache, entry: CachedTimeline, change: str) -> None:
    import hashlib
    import hmac

    key = _key(store)
    store.put(key, entry)
    path = store.folder / f"{key}.json"
    data = json.loads(path.read_bytes().split(b"\n", 1)[1])
    if change == "kind":
        data["events"][0][0] = "no_such_kind"
    elif change == "model":  # a class no entry may hold: nothing but the timeline's own models is ever built
        data["manifest"]["o"][0] = "Path"
    else:
        data["manifest"]["o"][2]["extra"] = None
    payload = json.dumps(data).encode()
    signature = hmac.new(store._secret, key.encode() + b"\0" + payload, hashlib.blake2b).hexdigest().encode()
    path.write_bytes(signature + b"\n" + payload)
    assert store.get(key) is None


def test_a_folder_writable_by_others_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o777)
    opened, why = open_cache(folder)
    assert opened is None and why is not None and "others can write" in why


def test_a_folder_of_another_user_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "theirs"
    folder.mkdir(mode=0o700)
    monkeypatch.setattr(cache.os, "getuid", lambda: os.stat(folder).st_uid + 1)
    opened, why = open_cache(folder)
    assert opened is None and why is not None and "another user" in why


def test_an_entry_that_is_a_link_is_not_followed(store: TimelineCache, tmp_path: Path, entry: CachedTimeline) -> None:
    key = _key(store)
    elsewhere = tmp_path / "elsewhere.json"
    other, _ = open_cache(tmp_path / "other-cache")
    assert other is not None
    other.put(key, entry)
    elsewhere.write_bytes((other.folder / f"{key}.json").read_bytes())
    (store.folder / f"{key}.json").symlink_to(elsewhere)
    assert store.get(key) is None


def test_a_secret_readable_by_others_refuses_the_folder(tmp_path: Path) -> None:
    opened, _ = open_cache(tmp_path / "c")
    assert opened is not None
    opened.close()
    (tmp_path / "c" / "secret").chmod(0o644)
    again, why = open_cache(tmp_path / "c")
    assert again is None and why is not None and "secret" in why


def test_caching_can_be_turned_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ORGSIM_NO_CACHE", "1")
    monkeypatch.setenv("ORGSIM_CACHE_DIR", str(tmp_path / "off"))
    assert open_cache() == (None, None)
    assert not (tmp_path / "off").exists()


def test_an_unusable_folder_says_why(tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    opened, why = open_cache(blocker / "cache")
    assert opened is None and why is not None and "cannot use cache folder" in why


# -- the cache through loading and the command line -----------------------------------------------------------


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.json"))


def test_the_library_uses_the_cache_only_when_asked(
    acme_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import orgsim

    monkeypatch.setenv("ORGSIM_CACHE_DIR", str(tmp_path / "cache"))
    orgsim.load_timeline(acme_copy)
    assert not (tmp_path / "cache").exists()
    first = orgsim.load_timeline(acme_copy, cache=True)
    assert len(_entries(tmp_path / "cache")) == 1
    again = orgsim.load_timeline(acme_copy, cache=True)
    assert (
        again.records == first.records
        and again.manifest == first.manifest
        and dict(again.origins) == dict(first.origins)
    )
    assert again.final_state() == first.final_state()


def test_any_edit_misses_and_the_entry_matches_the_bytes_it_was_made_from(
    acme_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import orgsim
    from orgsim.io import loading

    monkeypatch.setenv("ORGSIM_CACHE_DIR", str(tmp_path / "cache"))
    path = acme_copy / "2-crisis.yaml"
    original = path.read_bytes()
    real_parse = loading.parse_folder

    def saved_meanwhile(*args: object, **kwargs: object) -> object:
        path.write_bytes(original.replace(b"80 staff sign a letter.", b"81 staff sign a letter."))
        return real_parse(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(loading, "parse_folder", saved_meanwhile)
    first = orgsim.load_timeline(acme_copy, cache=True)  # parses the bytes it read, whatever the disk says now
    assert first.event("2021-03-03-letter").summary == "80 staff sign a letter."
    monkeypatch.setattr(loading, "parse_folder", real_parse)
    assert orgsim.load_timeline(acme_copy, cache=True).event("2021-03-03-letter").summary == "81 staff sign a letter."
    path.write_bytes(original)
    assert orgsim.load_timeline(acme_copy, cache=True).event("2021-03-03-letter").summary == "80 staff sign a letter."
    path.write_bytes(original.replace(b"type: statement", b"type: proclamation"))
    with pytest.raises(orgsim.LoadError, match="unknown event type 'proclamation'"):
        orgsim.load_timeline(acme_copy, cache=True)


def test_a_planted_pickle_in_the_cache_runs_nothing_through_a_load(
    acme_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import orgsim

    folder = tmp_path / "cache"
    monkeypatch.setenv("ORGSIM_CACHE_DIR", str(folder))
    orgsim.load_timeline(acme_copy, cache=True)
    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch {marker}",))

    for entry in _entries(folder):
        entry.write_bytes(pickle.dumps(Exploit()))
        entry.with_suffix(".pickle").write_bytes(pickle.dumps(Exploit()))
    assert len(orgsim.load_timeline(acme_copy, cache=True)) == 26  # 25 in the files, one leave's stated end
    assert not marker.exists()


def test_the_command_line_says_in_one_line_why_it_does_not_use_a_shared_cache_folder(tmp_path: Path) -> None:
    import subprocess

    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    env = {**os.environ, "ORGSIM_CACHE_DIR": str(shared)}
    env.pop("ORGSIM_NO_CACHE", None)
    result = subprocess.run(
        ["orgsim", "state", "--at", "2021-03-02", "--events", str(ACME)], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("orgsim: warning: not using cache folder") and "others" in lines[0]
    assert _entries(shared) == []


def test_the_code_fingerprint_names_every_module_of_the_package_with_its_size_and_time() -> None:
    """Any edit of any module must miss the cache: each one is in the fingerprint, with its size and mtime."""
    import orgsim
    from orgsim.io.cache import code_fingerprint

    package = Path(orgsim.__file__).parent
    lines = code_fingerprint().decode().splitlines()
    for module in package.rglob("*.py"):
        info = module.stat()
        assert f"{module.relative_to(package)}:{info.st_size}:{info.st_mtime_ns}" in lines
    assert code_fingerprint() == code_fingerprint()
