"""Read access to the current store version, reopened when a build switches versions.

Everything downstream of the build (pages, networks, exports, the SPARQL workers) reads
through a :class:`GraphReader`. It never writes. Private graphs (names under
``graph/private``) are not offered to public readers.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from partnergraph.iri import Minter
from partnergraph.rdf import store
from partnergraph.settings import Config

if TYPE_CHECKING:
    from partnergraph.rdf.remote import Backend

PRIVATE_PREFIX = "private"


class GraphReader:
    """A read-only view of ``current``; cheap to call, safe to share between threads.

    With ``remote`` (setting ``store_backend = sparql``) the store is a
    :class:`~partnergraph.rdf.remote.RemoteStore` on a SPARQL endpoint and ``current`` is the
    endpoint's version pointer (:mod:`partnergraph.rdf.remote`).
    """

    def __init__(self, store_dir: Path, base_iri: str, remote: Backend | None = None) -> None:
        self.store_dir = Path(store_dir)
        self.minter = Minter(base_iri)
        self.remote = remote
        self._lock = threading.Lock()
        self._store: ox.Store | None = None
        self._version: str | None = None
        self._graphs: tuple[str, ...] = ()

    @classmethod
    def from_config(cls, config: Config) -> GraphReader:
        from partnergraph.rdf.remote import backend_for

        return cls(config.store_dir, config.base_iri, backend_for(config))

    def _refresh(self) -> tuple[ox.Store, str]:
        remote = self.remote
        cur = remote.current_version() if remote else store.current_version(self.store_dir)
        with self._lock:
            if self._store is None or cur != self._version:
                st, ver = remote.open_read_only(cur) if remote else store.open_read_only(self.store_dir, cur)
                self._graphs = tuple(sorted(g.value for g in st.named_graphs()
                                            if isinstance(g, ox.NamedNode)))
                self._store, self._version = st, ver
            return self._store, self._version  # type: ignore[return-value]

    @property
    def store(self) -> ox.Store:
        return self._refresh()[0]

    @property
    def version(self) -> str:
        return self._refresh()[1]

    def is_private(self, graph_iri: str) -> bool:
        return graph_iri.startswith(str(self.minter.graph(PRIVATE_PREFIX)))

    @property
    def public_graphs(self) -> tuple[str, ...]:
        self._refresh()
        return tuple(g for g in self._graphs if not self.is_private(g))

    def graph_iri(self, key: str) -> str:
        return str(self.minter.graph(key))

    def select(self, query: str, **substitutions: ox.NamedNode | ox.Literal) -> list[dict]:
        """Run a trusted (project-written) SELECT over the public graphs' union.

        ``substitutions`` bind variables to terms (pyoxigraph requires a substituted
        variable to be in the projection).

        Values come back as Python strings/numbers: IRIs and literals as their lexical
        value, integers/decimals/doubles/booleans converted. Missing bindings are None.
        """
        st = self.store
        graphs = self.public_graphs
        res = st.query(
            query,
            **store.dataset(st, graphs, graphs),
            substitutions={ox.Variable(k): v for k, v in substitutions.items()} or None,
        )
        names = [v.value for v in res.variables]
        return [{n: to_python(sol[n]) for n in names} for sol in res]

    def ask(self, query: str) -> bool:
        st, graphs = self.store, self.public_graphs
        return bool(st.query(query, **store.dataset(st, graphs, graphs)))


_NUMERIC = {
    "http://www.w3.org/2001/XMLSchema#integer": int,
    "http://www.w3.org/2001/XMLSchema#int": int,
    "http://www.w3.org/2001/XMLSchema#long": int,
    "http://www.w3.org/2001/XMLSchema#decimal": float,
    "http://www.w3.org/2001/XMLSchema#double": float,
    "http://www.w3.org/2001/XMLSchema#float": float,
}


def to_python(term: object) -> object:
    """A pyoxigraph term as a plain Python value (None for unbound)."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if dt in _NUMERIC:
            try:
                return _NUMERIC[dt](term.value)
            except ValueError:
                return term.value
        if dt == "http://www.w3.org/2001/XMLSchema#boolean":
            return term.value in ("true", "1")
        return term.value
    if isinstance(term, ox.NamedNode | ox.BlankNode):
        return term.value
    return str(term)
