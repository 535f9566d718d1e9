"""Neo4j files: CSV in the ``neo4j-admin database import full`` format and an idempotent Cypher script.

Every string that reaches Cypher goes through ``cypher_string`` (the script is meant for cypher-shell);
the CSV files are written by the csv module. Relationship evidence travels as relationship properties.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager as ContextManager
from contextlib import ExitStack, contextmanager
from datetime import date
from pathlib import Path
from typing import IO, Any

from ..io import atomic_open, write_text
from ..view import View
from .graphview import EdgeView, GraphView, NodeView, graph_view

__all__ = [
    "ARRAY_DELIMITER",
    "cypher_lines",
    "cypher_string",
    "cypher_value",
    "neo4j_labels",
    "node_properties",
    "rel_properties",
    "rel_type",
    "render_csv_files",
    "render_cypher",
    "write_neo4j",
]

ARRAY_DELIMITER = ";"
_ORG_SUBCLASSES = {"Company", "GovernmentAgency", "Association", "ResearchInstitute", "Legislature",
                   "PoliticalParty", "MediaOutlet", "University"}
_DATES = ("startDate", "datePublished", "published")
# Typed columns of the neo4j-admin import header, in file order: (property, type); the types are Neo4j's.
_NODE_COLUMNS = (("name", "string"), ("aliases", "string[]"), ("jobTitle", "string[]"), ("startDate", "date"),
                 ("startDay", "string"), ("datePublished", "date"), ("headline", "string"), ("url", "string"),
                 ("sourceFile", "string"), ("text", "string"))
_REL_COLUMNS = (("article", "string"), ("source", "string"), ("published", "date"), ("sentence", "string"),
                ("start", "int"), ("end", "int"), ("extractor", "string"), ("confidence", "float"),
                ("speechAct", "string"), ("evidenceCount", "int"))


def neo4j_labels(node_type: str) -> list[str]:
    labels = ["Entity"]
    if node_type in _ORG_SUBCLASSES:
        labels.append("Organization")
    labels.append(node_type)
    return labels


def rel_type(pred: str) -> str:
    """The relationship type of a predicate: attended -> ATTENDED, jobTitle -> JOB_TITLE."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", pred).upper()


def _iso(value: str) -> date | str:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return value


def node_properties(n: NodeView) -> dict[str, Any]:
    """A node's properties as Neo4j values, the same in every route: dates as dates, titles and names as
    lists, nothing empty."""
    props: dict[str, Any] = {"id": n.id, "name": n.label, "aliases": list(n.aliases)}
    for key, values in sorted(n.props.items()):
        props[key] = list(values) if key == "jobTitle" else _iso(values[0]) if key in _DATES else values[0]
    return props


def rel_properties(e: EdgeView) -> dict[str, Any]:
    """A relationship's evidence (its earliest article's) as Neo4j values, and how many pieces there are."""
    props: dict[str, Any] = {}
    if e.evidence:
        ev = e.evidence[0]
        props = {k: v for k, v in (("article", ev.article), ("source", ev.source), ("sentence", ev.sentence),
                                   ("extractor", ev.extractor)) if v}
        if ev.published:
            props["published"] = _iso(ev.published)
        for k, v in (("start", ev.start), ("end", ev.end)):
            if v:
                props[k] = int(v)
        if ev.confidence:
            props["confidence"] = float(ev.confidence)
        if ev.speech_act:
            props["speechAct"] = ev.speech_act
    props["evidenceCount"] = len(e.evidence)
    return props


_CYPHER_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_CYPHER_SPECIAL = re.compile("[\\\\'\x00-\x1f\u2028\u2029\ud800-\udfff]")


def _cypher_escape(m: re.Match[str]) -> str:
    ch = m.group(0)
    return _CYPHER_ESCAPES.get(ch) or f"\\u{ord(ch):04x}"


def cypher_string(value: str) -> str:
    """A Cypher string literal for any text: quotes, backslashes, newlines and controls escaped."""
    return "'" + _CYPHER_SPECIAL.sub(_cypher_escape, value) + "'"


def cypher_value(value: Any) -> str:
    """A Cypher literal for a property value (text, date, number, or a list of text)."""
    if isinstance(value, list):
        return "[" + ", ".join(cypher_string(v) for v in value) + "]"
    if isinstance(value, date):
        return f"date('{value.isoformat()}')"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return cypher_string(str(value))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(v.replace(ARRAY_DELIMITER, ",") for v in value)
    return value.isoformat() if isinstance(value, date) else str(value)


def _csv_rows(view: GraphView) -> Iterator[tuple[str, list[str], list[str]]]:
    """(file name, its header, a row) for every node and relationship: one file per label (nodes_CLASS.csv)
    and per relationship type (rels_TYPE.csv), with typed headers."""
    header = ["id:ID", *(f"{k}:{t}" for k, t in _NODE_COLUMNS), ":LABEL"]
    for n in view.nodes:
        props = node_properties(n)
        yield f"nodes_{n.type}.csv", header, [n.id, *(_cell(props.get(k)) for k, _t in _NODE_COLUMNS),
                                              ";".join(neo4j_labels(n.type))]
    rel_header = [":START_ID", ":END_ID", ":TYPE", *(f"{k}:{t}" for k, t in _REL_COLUMNS)]
    for e in view.edges:
        props = rel_properties(e)
        kind = rel_type(e.predicate)
        yield f"rels_{kind}.csv", rel_header, [e.source, e.target, kind,
                                               *(_cell(props.get(k)) for k, _t in _REL_COLUMNS)]


def _write_csv(view: GraphView, open_file: Callable[[str], ContextManager[IO[str]]]) -> list[str]:
    """Every CSV file, row by row as it is made, each into ``open_file(name)``: the names, sorted."""
    with ExitStack() as stack:
        writers: dict[str, Any] = {}
        for name, header, row in _csv_rows(view):
            writer = writers.get(name)
            if writer is None:
                writer = writers[name] = csv.writer(stack.enter_context(open_file(name)), lineterminator="\n",
                                                    quoting=csv.QUOTE_MINIMAL)
                writer.writerow(header)
            writer.writerow(row)
    return sorted(writers)


def render_csv_files(view: GraphView) -> dict[str, str]:
    """The CSV files as text, by name (what ``write_neo4j`` writes)."""
    buffers: dict[str, io.StringIO] = {}

    @contextmanager
    def buffer(name: str) -> Iterator[IO[str]]:
        yield buffers.setdefault(name, io.StringIO())

    return {name: buffers[name].getvalue() for name in _write_csv(view, buffer)}


def cypher_lines(view: GraphView) -> Iterator[str]:
    yield "// kg graph for cypher-shell: constraints first, then MERGE (loading twice changes nothing)."
    yield "CREATE CONSTRAINT kg_entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;"
    for t in sorted({n.type for n in view.nodes}):
        yield f"CREATE CONSTRAINT kg_{t.lower()}_id IF NOT EXISTS FOR (n:{t}) REQUIRE n.id IS UNIQUE;"
    for n in view.nodes:
        labels = ":".join(neo4j_labels(n.type)[1:])
        props = node_properties(n)
        sets = [f"n.{k} = {cypher_value(v)}" for k, v in props.items() if k != "id"]
        yield f"MERGE (n:Entity {{id: {cypher_string(n.id)}}}) SET n:{labels}, {', '.join(sets)};"
    for e in view.edges:
        rsets = [f"r.{k} = {cypher_value(v)}" for k, v in rel_properties(e).items()]
        source, target = cypher_string(e.source), cypher_string(e.target)
        yield (f"MATCH (a:Entity {{id: {source}}}), (b:Entity {{id: {target}}}) "
               f"MERGE (a)-[r:{rel_type(e.predicate)}]->(b) SET {', '.join(rsets)};")


def render_cypher(view: GraphView) -> str:
    return "".join(line + "\n" for line in cypher_lines(view))


_README = """# Neo4j import files

Written by `kg build`. Two routes:

1. Offline bulk import into an empty database (`neo4j-admin database import full`), from this folder:

       neo4j-admin database import full neo4j \\
         --array-delimiter=";" --multiline-fields=true \\
{nodes}
{rels}

2. Into a running database with cypher-shell (idempotent: MERGE on `id`):

       cypher-shell -u neo4j -p "$NEO4J_PASSWORD" -f load.cypher

Columns are typed (`startDate:date`, `start:int`, `confidence:float`); array columns (`aliases:string[]`,
`jobTitle:string[]`) separate their items with `;`, so a `;` inside an item is written as `,`.
Every node has the label `Entity` and its class (`Person`, `Organization:Company`, `Meeting`, ...);
relationship types are the predicates in upper case (`ATTENDED`, `DEMANDED`, ...), with the evidence
(article, source, sentence, start/end offsets, extractor, confidence, speechAct) as properties.
"""


def write_neo4j(store: View, out: Path) -> list[Path]:
    """The files, each written as its rows are made (never whole in memory), atomically."""
    view = graph_view(store)
    folder = out / "neo4j"
    folder.mkdir(parents=True, exist_ok=True)
    files = _write_csv(view, lambda name: atomic_open(folder / name))
    for old in folder.glob("*.csv"):
        if old.name not in files:
            old.unlink()
    written = [folder / name for name in files]
    with atomic_open(folder / "load.cypher") as fh:
        for line in cypher_lines(view):
            fh.write(line + "\n")
    written.append(folder / "load.cypher")
    nodes = "\n".join(f"         --nodes={n} \\" for n in sorted(files) if n.startswith("nodes_"))
    rels = " \\\n".join(f"         --relationships={n}" for n in sorted(files) if n.startswith("rels_"))
    written.append(write_text(folder / "README.md", _README.format(nodes=nodes, rels=rels)))
    return written
