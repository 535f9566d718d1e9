"""SPARQL over a graph file (Turtle, TriG, JSON-LD, N-Triples)."""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.query import Result

from .errors import InputError, QueryError
from .rdf import bind_prefixes

__all__ = ["format_result", "graph_format", "load_graph", "run_query"]

_FORMATS = {".ttl": "turtle", ".trig": "trig", ".jsonld": "json-ld", ".json": "json-ld", ".nt": "nt", ".nq": "nquads"}


def graph_format(path: Path) -> str:
    """The RDF format of a graph file, by its suffix; an error naming the file when it is missing or unknown."""
    if not path.is_file():
        raise InputError(str(path), "no such graph file (build one with `kg build`)")
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(str(path), f"unknown graph format; use one of {', '.join(_FORMATS)}")
    return fmt


def load_graph(path: str | Path) -> Graph:
    path = Path(path)
    fmt = graph_format(path)
    try:
        if fmt in ("trig", "nquads"):
            ds = Dataset(default_union=True)
            ds.parse(path, format=fmt)
            g = Graph()
            for s, p, o, _c in ds.quads((None, None, None, None)):
                g.add((s, p, o))
        else:
            g = Graph()
            g.parse(path, format=fmt)
    except Exception as exc:  # rdflib raises many parser types
        raise InputError(str(path), f"cannot parse as {fmt}: {exc}") from exc
    bind_prefixes(g)
    return g


def run_query(g: Graph, query: str) -> Result:
    try:
        return g.query(query)
    except Exception as exc:  # pyparsing / rdflib errors
        raise QueryError(f"SPARQL error: {exc}") from exc


def _width(text: str) -> int:
    """Columns a string takes on a terminal: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_result(result: Result, fmt: str = "table") -> str:
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        data = result.serialize(format="turtle")
        return data.decode() if isinstance(data, bytes) else str(data)
    if result.type == "ASK":
        return "true" if result.askAnswer else "false"
    names = [str(v) for v in result.vars or []]
    rows = [["" if row[v] is None else str(row[v]) for v in names] for row in result]  # type: ignore[index]
    if fmt == "json":
        data = result.serialize(format="json")
        return data.decode() if isinstance(data, bytes) else str(data)
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        w = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        w.writerow(names)
        w.writerows(rows)
        return buf.getvalue()
    widths = [max([_width(n), *(_width(r[i]) for r in rows)]) for i, n in enumerate(names)]
    lines = ["  ".join(_pad(n, w) for n, w in zip(names, widths, strict=True)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.append(f"({len(rows)} rows)")
    return "\n".join(lines)
