"""SPARQL over a store or a graph file, in Oxigraph; rdflib graphs of a file for validation and statistics."""

from __future__ import annotations

import re
from pathlib import Path
from typing import cast

from rdflib import Dataset, Graph

from .errors import InputError, QueryError, StoreError
from .limits import check_json_ld
from .rdf import PREFIXES, bind_prefixes
from .results import Answer, display_width, render
from .store import Store
from .storefiles import is_url

__all__ = ["explain", "file_prefixes", "format_result", "graph_format", "load_graph", "open_source", "run_query"]

_FORMATS = {".ttl": "turtle", ".trig": "trig", ".jsonld": "json-ld", ".json": "json-ld", ".nt": "nt", ".nq": "nquads"}


def graph_format(path: Path) -> str:
    """The RDF format of a graph file, by its suffix, once the file passed the checks every reader makes
    (``kg.limits``: a JSON-LD file nested no deeper than a graph is, and with no context to fetch); an error
    naming the file when it is missing, unknown or refused."""
    if not path.is_file():
        raise InputError(str(path), "no such graph file (build one with `kg build`)")
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(str(path), f"unknown graph format; use one of {', '.join(_FORMATS)}")
    if fmt == "json-ld":
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(str(path), f"cannot read as UTF-8 JSON-LD: {exc}") from None
        check_json_ld(text, str(path))
    return fmt


def load_graph(path: str | Path) -> Graph:
    """A graph file as an rdflib Graph (every named graph's triples too): for validation and small graphs."""
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


_PREFIX_LINE = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)


def open_source(path: str | Path) -> Store:
    """What a query runs on: a store folder (``kg build --store DIR``), read through its resolved view, a SPARQL
    server's dataset that kg builds into (its URL: the server answers), or a graph file (Turtle, TriG,
    JSON-LD, N-Triples, N-Quads) loaded into memory. Close it when done."""
    if is_url(path):
        from .remote import RemoteSource

        return cast(Store, RemoteSource(str(path)))
    path = Path(path)
    if path.is_dir():
        union = path / "view" / "union"
        if not (union / "db").is_dir():
            raise InputError(str(path), "no resolved store here (build one with `kg build --store DIR`, or run "
                                        "`kg export --store DIR` to resolve an older one)")
        return Store.open(union, read_only=True)
    fmt = graph_format(path)
    store = Store.open(None)
    try:
        store.load(path, fmt)
    except StoreError as exc:
        raise InputError(str(path), str(exc).removeprefix(f"{path}: ")) from exc
    return store


def file_prefixes(path: str | Path) -> dict[str, str]:
    """The prefixes a Turtle or TriG file declares at its top (kg's own are always known too)."""
    found: dict[str, str] = {}
    path = Path(path)
    if path.is_file() and path.suffix.lower() in (".ttl", ".trig"):
        with path.open(encoding="utf-8", errors="replace") as fh:
            for line in fh:
                m = _PREFIX_LINE.match(line)
                if m:
                    found[m.group(1) or ""] = m.group(2)
                elif line.strip() and not line.lstrip().startswith("#"):
                    break
    return found


def _simplify(detail: str) -> str:
    """Oxigraph lists what it expected, characters as ranges too; keep the keywords and punctuation."""
    if not detail.startswith("expected"):
        return detail.strip()
    body = detail.removeprefix("expected one of ").removeprefix("expected ")
    quoted = [q.replace('\\"', '"') for q in re.findall(r'"((?:[^"\\]|\\.)*)"', body)]
    rest = re.sub(r"\[[^\]]*\]", "", re.sub(r'"(?:[^"\\]|\\.)*"', "", body), flags=re.DOTALL)
    words = [w.strip() for w in rest.split(",") if re.fullmatch(r"[A-Za-z][\w ]*", w.strip())]
    items = [w for w in words if w != "Prefix not found"] + [f'"{q}"' for q in quoted]
    if not items:
        return "unexpected character or end of the query here"
    shown = ", ".join(items[:15]) + (", …" if len(items) > 15 else "")
    return f"expected {shown}" if len(items) == 1 else f"expected one of {shown}"


def explain(err: QueryError, text: str, known: dict[str, str]) -> QueryError:
    """The error as a user reads it: where (line, column, the line with a caret), and for an unknown prefix,
    the prefixes the graph knows."""
    if err.line is None or err.column is None:
        return err
    lines = text.splitlines() or [""]
    line = lines[min(err.line, len(lines)) - 1]
    detail, column = str(err), err.column
    if "Prefix not found" in detail:
        m = re.search(r"([A-Za-z][\w.-]*)?:[^\s:]*$", line[: err.column - 1])
        name = (m.group(1) or "") if m else "?"
        column = m.start() + 1 if m else column  # the start of the prefixed name, not the end
        head = (f"unknown prefix '{name}:' at line {err.line}, column {column}; the graph knows "
                f"{', '.join(sorted(known))} (these need no PREFIX line; declare any other)")
    else:
        head = f"SPARQL syntax error at line {err.line}, column {column}: {_simplify(detail)}"
    gutter = str(err.line)
    caret = " " * display_width(line[: column - 1].expandtabs()) + "^"
    return QueryError(f"{head}\n  {gutter} | {line}\n  {' ' * len(gutter)} | {caret}", err.line, column)


def run_query(source: str | Path | Store, text: str, *, limit: int | None = None,
              graph_format: str = "turtle") -> Answer:
    """Run SPARQL on a store folder, a graph file, or an open ``Store``; kg's prefixes need no PREFIX line.
    Syntax errors point at the line and column."""
    if not isinstance(source, (str, Path)):  # an open store, or a server's dataset (kg/remote.py)
        return _run(source, text, limit, graph_format, dict(PREFIXES))
    with open_source(source) as store:
        return _run(store, text, limit, graph_format, {**file_prefixes(source), **PREFIXES})


def _run(store: Store, text: str, limit: int | None, graph_format: str, known: dict[str, str]) -> Answer:
    try:
        return store.query(text, prefixes=known, limit=limit, graph_format=graph_format)
    except QueryError as exc:
        raise explain(exc, text, known) from None


def format_result(answer: Answer, fmt: str = "table", *, full: bool = False) -> str:
    """The answer as a terminal table (values cut at 60 columns unless ``full``) or a SPARQL results format
    (json, xml, csv, tsv)."""
    return render(answer, fmt, PREFIXES, cut=None if full else 60)
