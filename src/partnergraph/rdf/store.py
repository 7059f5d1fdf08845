"""The embedded Oxigraph store: immutable versions and an atomic switch between them.

Layout of ``store_path``::

    versions/<version>/   one complete Oxigraph database per build, never written again
    current               symlink to the version readers use
    .build.lock           held by the one build that may run at a time
    .tmp-*                a build in progress (removed by the next build if it was killed)

A build writes a whole new version, then replaces ``current`` with ``os.replace`` (atomic
on POSIX). Killing a build at any point therefore leaves the previous version serving and
intact, and readers switch to a new version by reopening ``current``.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from partnergraph.errors import StoreError

VERSIONS = "versions"
CURRENT = "current"
LOCK = ".build.lock"


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def build_lock(store_dir: Path) -> Iterator[None]:
    """Hold the store's build lock; a second concurrent build is refused at once."""
    store_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(store_dir / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(
                f"Another build is writing {store_dir} right now; wait for it to finish."
            ) from None
        yield
    finally:
        os.close(fd)


def current_version(store_dir: Path) -> str | None:
    """Name of the version ``current`` points to, or None if there is none yet.

    A ``current`` that exists but is not a link (a damaged store) is a :class:`StoreError`.
    """
    link = store_dir / CURRENT
    try:
        return Path(os.readlink(link)).name
    except OSError:
        if link.exists() and not link.is_symlink():
            raise StoreError(f"{link} is not a link to a store version, so the store is damaged. "
                             f"Run `partnergraph build` to make a new version.") from None
        return None


def version_path(store_dir: Path, version: str) -> Path:
    return store_dir / VERSIONS / version


def open_read_only(store_dir: Path, version: str | None = None) -> tuple[ox.Store, str]:
    """Open the current (or the given) version read-only; clear errors if missing or corrupt."""
    version = version or current_version(store_dir)
    if version is None:
        raise StoreError(
            f"No graph store at {store_dir}. Build it first with `partnergraph build` "
            f"(or set PARTNERGRAPH_STORE_PATH to where it is)."
        )
    path = version_path(store_dir, version)
    if not path.is_dir():
        raise StoreError(f"The store version {version} is missing from {path.parent}; "
                         f"run `partnergraph build` to make a new one.")
    try:
        st = ox.Store.read_only(str(path))
        next(iter(st.named_graphs()), None)  # a first read: fails now if the data is damaged
    except (OSError, RuntimeError, ValueError) as e:
        # RocksDB reports damage as RuntimeError ("Corruption: ..."), missing files as OSError
        reason = " ".join(str(e).split())[:300]
        raise StoreError(f"The store at {path} cannot be opened ({reason}); it may be corrupt. "
                         f"Run `partnergraph build` to make a new version.") from None
    return st, version


def clean_stale(store_dir: Path) -> None:
    """Remove what a killed build left behind. Call with :func:`build_lock` held."""
    for tmp in store_dir.glob(".tmp-*"):
        if tmp.is_dir() and not tmp.is_symlink():
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            tmp.unlink(missing_ok=True)


def publish(
    store_dir: Path,
    nquads_file: Path,
    keep_versions: int = 3,
    prepare: Callable[[ox.Store], None] | None = None,
) -> str:
    """Load ``nquads_file`` into a new version and make it current. Returns the version.

    ``prepare`` may add to the new version before anyone can see it (the metrics step
    writes its named graph this way). Must be called with :func:`build_lock` held.
    """
    (store_dir / VERSIONS).mkdir(parents=True, exist_ok=True)
    version = new_version_name()
    tmp = store_dir / f".tmp-{version}"
    try:
        store = load_staged(tmp, nquads_file, prepare)
        store.flush()
        store.optimize()
        del store  # closes the database before it is moved
        final = version_path(store_dir, version)
        os.replace(tmp, final)
        _fsync_dir(final.parent)
        switch_current(store_dir, version)
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise StoreError(f"Could not write the store at {store_dir}: {e}") from None
    except BaseException:  # e.g. ShapeViolationError from ``prepare``: leave nothing behind
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    prune(store_dir, keep_versions)
    return version


def switch_current(store_dir: Path, version: str) -> None:
    """Atomically point ``current`` at ``version`` (also used to roll back)."""
    if not version_path(store_dir, version).is_dir():
        raise StoreError(f"No store version {version} in {store_dir / VERSIONS}.")
    link_tmp = store_dir / f".tmp-link-{uuid.uuid4().hex[:8]}"
    os.symlink(Path(VERSIONS) / version, link_tmp)
    os.replace(link_tmp, store_dir / CURRENT)
    _fsync_dir(store_dir)


def versions(store_dir: Path) -> list[str]:
    """All complete versions, oldest first."""
    root = store_dir / VERSIONS
    return sorted(p.name for p in root.iterdir() if p.is_dir()) if root.is_dir() else []


def prune(store_dir: Path, keep: int) -> None:
    """Delete versions beyond the ``keep`` newest (never the current one).

    Readers that still have an old version open keep their file handles, so deleting it
    does not disturb a query in flight.
    """
    cur = current_version(store_dir)
    old = [v for v in versions(store_dir) if v != cur]
    for v in old[: max(0, len(old) - max(keep - 1, 0))]:
        shutil.rmtree(version_path(store_dir, v), ignore_errors=True)


def new_version_name() -> str:
    """A new store version's name: the build's local time and 8 random hex digits."""
    return time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]


def load_staged(path: Path, nquads_file: Path,
                prepare: Callable[[ox.Store], None] | None = None) -> ox.Store:
    """A new on-disk store at ``path`` holding ``nquads_file``, after ``prepare`` ran on it
    (the metrics step adds its graph there, before anyone can see the version)."""
    store = ox.Store(str(path))
    store.bulk_load(path=str(nquads_file), format=ox.RdfFormat.N_QUADS)
    if prepare is not None:
        prepare(store)
    return store


def dataset(st: ox.Store, default_graphs: Sequence[str] | None,
            named_graphs: Sequence[str] | None) -> dict[str, Any]:
    """Keyword arguments of ``pyoxigraph.Store.query`` for a dataset of the given graphs.

    When the dataset is every graph of the store, both as the default graph and as the named
    graphs, and the store's own default graph is empty (a build puts everything into named
    graphs), that is Oxigraph's union default graph: the same answers, computed about twice
    as fast as from the list of graphs (the canned queries at scale M: 0.43–0.49× the time;
    see benchmarks/README.md). A store with private graphs never qualifies, so they stay out.
    ``None`` leaves that part to pyoxigraph (the query's own FROM / FROM NAMED).
    """
    kwargs: dict[str, Any] = {}
    if (default_graphs is not None and named_graphs is not None and isinstance(st, ox.Store)
            and set(default_graphs) == set(named_graphs)
            and set(default_graphs) == {g.value for g in st.named_graphs() if isinstance(g, ox.NamedNode)}
            and next(iter(st.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is None):
        kwargs["use_default_graph_as_union"] = True
        return kwargs
    if default_graphs is not None:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    if named_graphs is not None:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    return kwargs
