"""One error root for the whole package, and the CLI's exit codes."""

from __future__ import annotations

__all__ = [
    "EXIT_ERROR",
    "EXIT_INVALID",
    "EXIT_OK",
    "ConfigError",
    "ExportError",
    "InputError",
    "KgError",
    "Neo4jLoadError",
    "PipelineError",
    "QueryError",
    "StoreError",
    "ValidationError",
]

EXIT_OK = 0
EXIT_INVALID = 1  # the graph does not conform to the shapes
EXIT_ERROR = 2  # bad input, bad usage, or a failure of kg itself


class KgError(Exception):
    """Root of every error kg raises on purpose. Its message says what failed and how to fix it."""

    exit_code = EXIT_ERROR


class InputError(KgError):
    """An input file could not be read or understood."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class ConfigError(KgError):
    """A lexicon, ontology or plugin could not be loaded."""


class PipelineError(KgError):
    """A pipeline step broke its contract."""


class ValidationError(KgError):
    """A graph file could not be validated (not: it does not conform)."""


class ExportError(KgError):
    """An output could not be written."""


class QueryError(KgError):
    """A SPARQL query could not be parsed or run; ``line`` and ``column`` (1-based) say where, when known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


class StoreError(KgError):
    """The persistent store could not be opened, read or written."""


class Neo4jLoadError(KgError):
    """Neo4j could not be reached, refused the credentials, or refused a statement."""
