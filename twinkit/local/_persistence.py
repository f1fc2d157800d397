"""Keeping the emulator's state in a SQLite file, one transaction per request.

The state is a tree of containers (`MutableMapping`s) under the `EmulatorState` fields, with
immutable records as leaves. The file holds one row per node of that tree, keyed by its path:
a container's row names its class (a `dict` or one of twinkit's own mappings, rebuilt empty), a
leaf's row holds the record as JSON (`_codec`: models in their wire form). Nothing is pickled:
loading a file builds only twinkit's own records, whatever the file says.
A request's `Journal.touched` says which `(container, key)` pairs it changed; `SqliteStore.commit`
writes exactly those nodes (a new container with everything in it, a removed one with everything
under it) in one SQLite transaction, before the response is sent. So:

* nothing acknowledged is lost, even to `kill -9` (WAL journal, `synchronous=FULL`);
* a request is on disk whole or not at all (one transaction), and a failed request, rolled back
  in memory, writes nothing;
* a request costs rows in proportion to what it changed, never a dump of the whole state.

Paths are strings: each key JSON-encoded (so `"7"` and `7` differ and a key never contains the
separator) and joined with `\\x1f`, so that everything under a node shares the prefix
`path + "\\x1f"` and sorts after the node itself.

The file is opened with an exclusive lock: one emulator per file. It is created with mode 0600
(the journal files SQLite adds take the same mode). Its `meta` table names the format and the
schema version (`SCHEMA_VERSION`); a file that is not a twinkit state file of this version
(another application's SQLite database, a pickle, an older twinkit's state file, an empty
path) is refused before anything is written to it, never converted.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, MutableMapping
from typing import Any

from twinkit.local import _codec
from twinkit.local._state import EmulatorState

__all__ = ["SCHEMA_VERSION", "SqliteStore", "StateFileError"]

SEP = "\x1f"
_AFTER_SEP = "\x20"
_FORMAT = "twinkit.local state"
SCHEMA_VERSION = 2
"""The layout of the rows. 1 (twinkit before this version) pickled them and is refused."""
_SQLITE_MAGIC = b"SQLite format 3\x00"
_LEAF, _CONTAINER = 0, 1
_MISSING = object()

Container = MutableMapping[Any, Any]
_Op = tuple[str, tuple[Any, ...]]

_PUT = "INSERT OR REPLACE INTO nodes (path, kind, value) VALUES (?, ?, ?)"
_DELETE = "DELETE FROM nodes WHERE path = ?"
_DELETE_UNDER = "DELETE FROM nodes WHERE path > ? AND path < ?"


class StateFileError(Exception):
    """The state file cannot be used: another emulator holds it, or it is not a state file."""


def _key(key: Any) -> str:
    if isinstance(key, bool) or not isinstance(key, (str, int)):
        raise TypeError(f"a persisted container key must be a str or int, got {key!r}")
    return json.dumps(key)


def _under(path: str) -> tuple[str, str]:
    """The bounds of every path strictly under `path`."""
    return path + SEP, path + _AFTER_SEP


def _container_class(name: str) -> type[Container]:
    if name == "dict":
        return dict
    try:
        cls = _codec.trusted_class(name)
    except _codec.CodecError as exc:
        raise StateFileError(f"not a container of the state: {exc}") from None
    if not issubclass(cls, MutableMapping):
        raise StateFileError(f"not a container of the state: {name!r}")
    return cls


def _container_name(container: Container) -> str:
    cls = type(container)
    return "dict" if cls is dict else _codec.class_name(cls)


def _check_foreign(path: str) -> None:
    """Refuse a file that exists but is not a twinkit state file of this schema, before SQLite
    writes anything to it (it would add tables and switch the file to WAL mode)."""
    try:
        with open(path, "rb") as file:
            head = file.read(len(_SQLITE_MAGIC))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StateFileError(f"cannot use {path} as a state file: {exc.strerror}") from None
    if not head:
        return  # an empty file: nothing to lose, it becomes a state file
    if head != _SQLITE_MAGIC:
        raise StateFileError(
            f"cannot use {path} as a state file: it is not a twinkit state file "
            "(file is not a database)"
        )
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0)
    except sqlite3.Error as exc:
        raise StateFileError(f"cannot use {path} as a state file: {exc}") from None
    try:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            return  # a database with nothing in it yet
        if "meta" not in tables or not tables <= {"meta", "nodes"}:
            raise StateFileError(
                f"cannot use {path} as a state file: it is another application's SQLite "
                f"database (tables {sorted(tables)[:5]}); twinkit refuses it rather than "
                "convert it"
            )
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.DatabaseError as exc:  # e.g. another emulator holds it: "database is locked"
        raise StateFileError(f"cannot use {path} as a state file: {exc}") from None
    finally:
        db.close()
    if meta.get("format") == "twinkit.local state 1":
        raise StateFileError(
            f"cannot use {path} as a state file: it was written by an older twinkit, which "
            "stored pickles; loading them could run code, so it is refused: delete it"
        )
    if meta.get("format") != _FORMAT:
        raise StateFileError(
            f"cannot use {path} as a state file: format {meta.get('format')!r}, "
            f"expected {_FORMAT!r}"
        )
    if meta.get("schema") != str(SCHEMA_VERSION):
        raise StateFileError(
            f"cannot use {path} as a state file: schema version {meta.get('schema')!r}, "
            f"this twinkit reads {SCHEMA_VERSION}"
        )


def _create_private(path: str) -> None:
    """Create `path` empty with mode 0600 if it does not exist (the state is nobody else's)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise StateFileError(
            f"cannot use {path} as a state file: unable to open database file ({exc.strerror})"
        ) from None
    os.close(fd)


class SqliteStore:
    """The state file of one emulator.

    Args:
        path: The file; created (mode 0600) when missing.

    Raises:
        StateFileError: When the path is empty, another process holds the file, or it is not
            a twinkit state file of this schema version.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        if not self.path.strip():
            raise StateFileError(
                "the state file path is empty: give a file name, or none to keep the state "
                "in memory"
            )
        self._paths: dict[int, str] = {}
        self._containers: dict[str, Container] = {}
        self.stale = False
        """True after a failed commit: the path index must be rebuilt (`reindex`)."""
        _check_foreign(self.path)
        _create_private(self.path)
        try:
            # timeout=0: a file another emulator holds is refused at once, not after 5 s.
            self._db = sqlite3.connect(
                self.path, isolation_level=None, check_same_thread=False, timeout=0
            )
        except sqlite3.Error as exc:
            raise StateFileError(f"cannot use {self.path} as a state file: {exc}") from exc
        try:
            self._open()
        except sqlite3.Error as exc:
            self._db.close()
            raise StateFileError(f"cannot use {self.path} as a state file: {exc}") from exc
        except BaseException:
            # A refused file (foreign format, a crafted row) must not leave the connection
            # open until garbage collection, which Python 3.13 reports as a ResourceWarning.
            self._db.close()
            raise

    def _open(self) -> None:
        db = self._db
        db.execute("PRAGMA locking_mode = EXCLUSIVE")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")
        db.execute("BEGIN IMMEDIATE")  # takes the exclusive lock now, not at the first write
        try:
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            db.execute(
                "CREATE TABLE IF NOT EXISTS nodes "
                "(path TEXT PRIMARY KEY, kind INTEGER NOT NULL, value TEXT NOT NULL) WITHOUT ROWID"
            )
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
            if not meta:
                db.execute("INSERT INTO meta VALUES ('format', ?)", (_FORMAT,))
                db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
            elif meta.get("format") != _FORMAT or meta.get("schema") != str(SCHEMA_VERSION):
                # Checked before opening too; this catches a file swapped in between.
                raise sqlite3.DatabaseError(
                    f"format {meta.get('format')!r} schema {meta.get('schema')!r}, expected "
                    f"{_FORMAT!r} schema {SCHEMA_VERSION}"
                )
            db.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):  # keep the original error
                db.execute("ROLLBACK")
            raise

    def close(self) -> None:
        """Close the file (idempotent)."""
        self._db.close()

    # --- loading ----------------------------------------------------------------------------------

    def load(self, state: EmulatorState) -> None:
        """Fill the (empty) `state` with what the file holds, and index its containers."""
        roots = state.roots()
        rows = self._db.execute("SELECT path, kind, value FROM nodes ORDER BY path")
        path = ""
        try:
            for path, kind, text in rows:
                names = path.split(SEP)
                container: Any = roots[json.loads(names[0])]
                for name in names[1:-1]:
                    container = container[json.loads(name)]
                if kind == _CONTAINER:
                    value: Any = _container_class(text)()
                else:
                    value = _codec.loads(text)
                container[json.loads(names[-1])] = value
        except (KeyError, TypeError, ValueError) as exc:
            raise StateFileError(
                f"{self.path} holds a row that is not part of a twinkit state "
                f"({path[:80]!r}): {exc}"
            ) from None
        self.reindex(state)

    def reindex(self, state: EmulatorState) -> None:
        """Index every container of `state` by path (after loading, or a failed commit)."""
        self._paths.clear()
        self._containers.clear()
        for name, root in state.roots().items():
            self._index(_key(name), root)
        self.stale = False

    def _index(self, path: str, container: Container) -> None:
        self._paths[id(container)] = path
        self._containers[path] = container
        for key, value in container.items():
            if isinstance(value, MutableMapping):
                self._index(path + SEP + _key(key), value)

    def _forget(self, path: str) -> None:
        low, high = _under(path)
        for known in [p for p in self._containers if p == path or low < p < high]:
            self._paths.pop(id(self._containers.pop(known)), None)

    # --- writing ----------------------------------------------------------------------------------

    def commit(self, touched: Iterable[tuple[Container, Any]]) -> None:
        """Write what a request changed, in one transaction.

        Args:
            touched: The request's `Journal.touched`: each `(container, key)` it changed.

        Raises:
            Exception: Whatever writing failed with; nothing is written, and `stale` is set
                until `reindex` is called (after the request's changes are rolled back).
        """
        try:
            ops = list(self._ops(touched))
            if not ops:
                return
            self._execute(ops)
        except BaseException:
            self.stale = True
            raise

    def _ops(self, touched: Iterable[tuple[Container, Any]]) -> Iterator[_Op]:
        for container, key in touched:
            parent = self._paths.get(id(container))
            if parent is None:  # a container no longer (or not yet) in the state
                continue
            yield from self._node(parent + SEP + _key(key), container.get(key, _MISSING))

    def _node(self, path: str, value: Any) -> Iterator[_Op]:
        """The writes that make the node at `path` hold `value` (`_MISSING`: no node)."""
        known = self._containers.get(path)
        if known is not None and known is value:
            return  # the same container: its own changes are touched one by one
        if known is not None:
            self._forget(path)
        if value is _MISSING:
            yield _DELETE, (path,)
            yield _DELETE_UNDER, _under(path)
        elif isinstance(value, MutableMapping):
            yield _DELETE_UNDER, _under(path)
            yield _PUT, (path, _CONTAINER, _container_name(value))
            self._paths[id(value)] = path
            self._containers[path] = value
            for key, item in value.items():
                yield from self._node(path + SEP + _key(key), item)
        else:
            if known is not None:
                yield _DELETE_UNDER, _under(path)
            yield _PUT, (path, _LEAF, _codec.dumps(value))

    def _execute(self, ops: list[_Op]) -> None:
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            batch: list[tuple[Any, ...]] = []
            for index, (sql, args) in enumerate(ops):
                batch.append(args)
                following = ops[index + 1][0] if index + 1 < len(ops) else None
                if following != sql:  # consecutive writes of one kind go in one executemany
                    db.executemany(sql, batch)
                    batch = []
            db.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):  # keep the original error
                db.execute("ROLLBACK")
            raise
