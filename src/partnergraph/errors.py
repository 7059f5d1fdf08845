"""User-facing errors.

Every error carries a message written for the person who must act on it: what went
wrong, where, and what to change. HTTP status codes and CLI exit codes are mapped
from these classes in exactly one place each (:mod:`partnergraph.webapp.errors` and
:mod:`partnergraph.cli`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


class PartnergraphError(Exception):
    """Base class of every error meant for a user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SettingError(PartnergraphError):
    """A setting has an unknown name or a value of the wrong type."""


@dataclass(frozen=True)
class RowProblem:
    """One problem in one cell (or row) of a source file."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    expected: str

    #: Most characters of a value shown in a message.
    SHOWN_CHARS: ClassVar[int] = 80

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f":{self.row}"
        if self.column:
            where += f":{self.column}"
        if self.value is None:
            got = ""
        elif len(self.value) > self.SHOWN_CHARS:  # a very long cell: its start and its length
            got = f" (got {self.value[: self.SHOWN_CHARS]!r}…, {len(self.value)} characters)"
        else:
            got = f" (got {self.value!r})"
        return f"{where}: {self.expected}{got}"


class SourceDataError(PartnergraphError):
    """One or more rows of the source files are invalid; every problem is listed."""

    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = list(problems)
        lines = [f"{len(self.problems)} problem(s) in the source data; nothing was imported:"]
        lines += [f"  {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class ShapeViolationError(PartnergraphError):
    """The built graph does not conform to the SHACL shapes."""

    def __init__(self, report_text: str, count: int) -> None:
        self.report_text = report_text
        self.count = count
        super().__init__(
            f"The graph breaks {count} SHACL constraint(s); nothing was imported.\n{report_text}"
        )


class InvalidInput(PartnergraphError):
    """A request parameter or option has a value that is not allowed; the message says which."""


class StoreError(PartnergraphError):
    """The store is missing, corrupt or cannot be written."""


class QueryError(PartnergraphError):
    """A SPARQL query does not parse."""


class QueryRefused(PartnergraphError):
    """A query was refused by a rule or a setting, which the message names."""


class QueryTimeout(QueryRefused):
    """A query ran past the time limit and was stopped."""


class ServiceBusy(QueryRefused):
    """Too many queries are running at once."""


class NotFound(PartnergraphError):
    """The requested entity, query or page does not exist."""
