"""Named plugins in one table: pipeline steps and exporters, loaded lazily, extendable by entry points.

A third party adds a step with an entry point in the group ``kg.extractors`` (a callable
Document -> Document) or an exporter in ``kg.exporters`` (a callable (Graph-like, Path) -> list[Path]).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from importlib.metadata import entry_points
from typing import Any

from .errors import ConfigError

__all__ = ["DEFAULT_EXPORTERS", "DEFAULT_STEPS", "EXPORTERS", "STEPS", "load_exporter", "load_step"]

# name -> "module:attribute"
STEPS: dict[str, str] = {
    "analyze": "kg.nlp:analyze",
    "people": "kg.extract.people:extract_people",
    "orgs": "kg.extract.orgs:extract_orgs",
    "careers": "kg.extract.careers:extract_careers",
    "meetings": "kg.extract.meetings:extract_meetings",
    "quotes": "kg.extract.quotes:extract_quotes",
    "participation": "kg.extract.participation:extract_participation",
    "demands": "kg.extract.demands:extract_demands",
}
DEFAULT_STEPS = tuple(STEPS)

EXPORTERS: dict[str, str] = {
    "turtle": "kg.export.rdf_files:write_turtle",
    "jsonld": "kg.export.rdf_files:write_jsonld",
    "trig": "kg.export.rdf_files:write_trig",
    "html": "kg.export.html:write_html",
    "neo4j": "kg.export.neo4j:write_neo4j",
}
DEFAULT_EXPORTERS = tuple(EXPORTERS)


def _load(kind: str, table: dict[str, str], group: str, name: str) -> Callable[..., Any]:
    target = table.get(name)
    if target is None:
        for ep in entry_points(group=group):
            if ep.name == name:
                loaded: Callable[..., Any] = ep.load()
                return loaded
        known = sorted({*table, *(ep.name for ep in entry_points(group=group))})
        raise ConfigError(f"unknown {kind} {name!r}; known {kind}s: {', '.join(known)}")
    module, _, attr = target.partition(":")
    fn: Callable[..., Any] = getattr(import_module(module), attr)
    return fn


def load_step(name: str) -> Callable[..., Any]:
    return _load("extractor", STEPS, "kg.extractors", name)


def load_exporter(name: str) -> Callable[..., Any]:
    return _load("exporter", EXPORTERS, "kg.exporters", name)
