"""Rules a query must pass before it is evaluated.

The endpoint is read-only and offline: updates, ``LOAD``, ``SERVICE`` and ``FROM`` of a
graph that is not in the store are refused, whatever the HTTP method. The check is
lexical (comments, strings and IRIs are blanked first, so ``"SERVICE"`` in a string or a
``#`` comment cannot trip it), and gives the clear message. It is not the only layer:

* updates cannot run anyway: workers open the store read-only and call ``Store.query``,
  whose parser accepts queries only;
* pyoxigraph *does* have an HTTP client for ``SERVICE``, and a lexical check cannot follow
  every tokenisation (``<`` is both an operator and the start of an IRI, so
  ``FILTER(1<2)SERVICE ?v #>`` looks like an IRI to a lexer). Workers therefore deny
  themselves network sockets with a seccomp filter (:mod:`partnergraph.sparql.sandbox`);
* ``FROM`` never loads anything in pyoxigraph, and graphs not in the store are refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from partnergraph.errors import QueryError, QueryRefused

_IRI = re.compile(r"<[^<>\"{}|^`\\\s]*>")
_STRING = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'',
    re.S,
)
_COMMENT = re.compile(r"#[^\n]*")
_WORD = re.compile(r"(?<![\w:?$])([A-Za-z]+)(?![\w:])")

#: ``SERVICE`` as a keyword, also when glued to a prefixed name (``SERVICE:x`` parses as
#: ``SERVICE :x``). A prefix named ``service:`` is refused too, which is the safe side.
_SERVICE = re.compile(r"(?<![\w:?$])SERVICE(?![\w])", re.I)
SERVICE_REFUSED = ("SERVICE is refused: this endpoint never calls other endpoints "
                   "(rule: no network access from queries).")
READ_ONLY_RULE = ("the endpoint is read-only (rule: no updates through the public endpoint; "
                  "data changes only by `partnergraph build`)")

UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


@dataclass(frozen=True)
class CheckedQuery:
    text: str
    form: str  # SELECT | ASK | CONSTRUCT | DESCRIBE
    from_graphs: tuple[str, ...]
    from_named: tuple[str, ...]


def _blank(text: str) -> str:
    """The query with strings, IRIs and comments replaced by spaces of the same shape."""
    out = []
    i = 0
    pattern = re.compile(f"{_STRING.pattern}|{_IRI.pattern}|{_COMMENT.pattern}", re.S)
    for m in pattern.finditer(text):
        out.append(text[i : m.start()])
        tok = m.group(0)
        out.append(" " * len(tok) if not tok.startswith("<") else "<" + " " * (len(tok) - 2) + ">")
        i = m.end()
    out.append(text[i:])
    return "".join(out)


def refuse_update(how: str) -> QueryRefused:
    """The refusal of a SPARQL Update request (``how``: what the request sent)."""
    return QueryRefused(f"SPARQL Update ({how}) is refused: {READ_ONLY_RULE}. "
                        f"Send queries as 'query' instead.")


def check_query(text: str, *, max_length: int, known_graphs: set[str]) -> CheckedQuery:
    """Refuse what the endpoint does not do; return the query form and dataset clauses."""
    if not text or not text.strip():
        raise QueryError("The query is empty: send a SPARQL query in the 'query' parameter.")
    if len(text) > max_length:
        raise QueryRefused(
            f"The query is {len(text)} characters long; the setting max_query_length "
            f"allows {max_length}."
        )
    blanked = _blank(text)
    words = [w.upper() for w in _WORD.findall(blanked)]
    wordset = set(words)
    if "SERVICE" in wordset or _SERVICE.search(blanked):
        raise QueryRefused(SERVICE_REFUSED)
    updates = sorted(wordset & UPDATE_WORDS)
    if updates:
        raise QueryRefused(f"{updates[0]} is refused: {READ_ONLY_RULE}.")
    form = next((w for w in words if w in FORMS), None)
    if form is None:
        raise QueryError("The query has no SELECT, ASK, CONSTRUCT or DESCRIBE form.")
    from_graphs: list[str] = []
    from_named: list[str] = []
    for m in re.finditer(r"\bFROM\s+(NAMED\s+)?(<[^>]*>|[A-Za-z][\w-]*:[\w.-]*)", text, re.I):
        # only clauses that are code, not inside strings or comments
        if blanked[m.start() : m.start() + 4].upper() != "FROM":
            continue
        iri = m.group(2)
        if not iri.startswith("<"):
            raise QueryRefused("FROM with a prefixed name is refused: write the graph IRI in full "
                               "in <...> so it can be checked against the store's graphs.")
        iri = iri[1:-1]
        if iri not in known_graphs:
            raise QueryRefused(
                f"FROM <{iri}> is refused: it is not a graph in this store, and queries never "
                f"load data from the network (rule: no remote FROM). See /-/graphs for the graphs."
            )
        (from_named if m.group(1) else from_graphs).append(iri)
    return CheckedQuery(text, form, tuple(from_graphs), tuple(from_named))
