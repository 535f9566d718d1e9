"""Neo4j files: CSV in the ``neo4j-admin database import full`` format and an idempotent Cypher script.

Every string that reaches Cypher goes through ``cypher_string`` (the script is meant for cypher-shell);
the CSV files are written by the csv module. Relationship evidence travels as relationship properties.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ..io import write_text
from ..view import View
from .graphview import EdgeView, GraphView, NodeView, graph_view

__all__ = ["ARRAY_DELIMITER", "cypher_string", "neo4j_labels", "render_csv_files", "render_cypher", "write_neo4j"]

ARRAY_DELIMITER = ";"
_ORG_SUBCLASSES = {"Company", "GovernmentAgency", "Association", "ResearchInstitute", "Legislature",
                   "PoliticalParty", "MediaOutlet", "University"}
_NODE_COLUMNS = ("id:ID", "name", "aliases:string[]", "jobTitle:string[]", "startDate", "datePublished", "url",
                 "text", ":LABEL")
_REL_COLUMNS = (":START_ID", ":END_ID", ":TYPE", "article", "source", "published", "sentence", "start:int",
                "end:int", "extractor", "confidence:float", "speechAct", "evidenceCount:int")


def neo4j_labels(node_type: str) -> list[str]:
    labels = ["Entity"]
    if node_type in _ORG_SUBCLASSES:
        labels.append("Organization")
    labels.append(node_type)
    return labels


_CYPHER_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_CYPHER_SPECIAL = re.compile("[\\\\'\x00-\x1f\u2028\u2029\ud800-\udfff]")


def _cypher_escape(m: re.Match[str]) -> str:
    ch = m.group(0)
    return _CYPHER_ESCAPES.get(ch) or f"\\u{ord(ch):04x}"


def cypher_string(value: str) -> str:
    """A Cypher string literal for any text: quotes, backslashes, newlines and controls escaped."""
    return "'" + _CYPHER_SPECIAL.sub(_cypher_escape, value) + "'"


def _list(values: list[str]) -> str:
    return "[" + ", ".join(cypher_string(v) for v in values) + "]"


def _rel_type(pred: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", pred).upper()


def _node_row(n: NodeView) -> list[str]:
    def arr(values: list[str]) -> str:
        return ARRAY_DELIMITER.join(v.replace(ARRAY_DELIMITER, ",") for v in values)

    first = lambda k: n.props.get(k, [""])[0]  # noqa: E731
    return [n.id, n.label, arr(n.aliases), arr(n.props.get("jobTitle", [])), first("startDate"),
            first("datePublished"), first("url"), first("text"), ";".join(neo4j_labels(n.type))]


def _rel_row(e: EdgeView) -> list[str]:
    ev = e.evidence[0] if e.evidence else {}
    return [e.source, e.target, _rel_type(e.predicate), ev.get("article", ""), ev.get("source", ""),
            ev.get("published", ""), ev.get("sentence", ""), ev.get("start", ""), ev.get("end", ""),
            ev.get("extractor", ""), ev.get("confidence", ""), ev.get("speech_act", ""), str(len(e.evidence))]


def _csv(header: tuple[str, ...], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def render_csv_files(view: GraphView) -> dict[str, str]:
    files: dict[str, str] = {}
    by_type: dict[str, list[list[str]]] = {}
    for n in view.nodes:
        by_type.setdefault(n.type, []).append(_node_row(n))
    for t, rows in sorted(by_type.items()):
        files[f"nodes_{t}.csv"] = _csv(_NODE_COLUMNS, rows)
    by_rel: dict[str, list[list[str]]] = {}
    for e in view.edges:
        by_rel.setdefault(_rel_type(e.predicate), []).append(_rel_row(e))
    for t, rows in sorted(by_rel.items()):
        files[f"rels_{t}.csv"] = _csv(_REL_COLUMNS, rows)
    return files


def render_cypher(view: GraphView) -> str:
    lines = ["// kg graph for cypher-shell: constraints first, then MERGE (loading twice changes nothing).",
             "CREATE CONSTRAINT kg_entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;"]
    for t in sorted({n.type for n in view.nodes}):
        lines.append(f"CREATE CONSTRAINT kg_{t.lower()}_id IF NOT EXISTS FOR (n:{t}) REQUIRE n.id IS UNIQUE;")
    for n in view.nodes:
        labels = ":".join(neo4j_labels(n.type)[1:])
        sets = [f"n.name = {cypher_string(n.label)}", f"n.aliases = {_list(n.aliases)}"]
        for k, vals in sorted(n.props.items()):
            sets.append(f"n.{k} = {_list(vals) if k == 'jobTitle' else cypher_string(vals[0])}")
        lines.append(f"MERGE (n:Entity {{id: {cypher_string(n.id)}}}) SET n:{labels}, {', '.join(sets)};")
    for e in view.edges:
        ev = e.evidence[0] if e.evidence else {}
        props = [f"r.{k} = {cypher_string(ev.get(k, ''))}" for k in ("article", "source", "published", "sentence",
                                                                        "extractor")]
        for k in ("start", "end"):
            if ev.get(k):
                props.append(f"r.{k} = {int(ev[k])}")
        if ev.get("confidence"):
            props.append(f"r.confidence = {float(ev['confidence'])}")
        props.append(f"r.speechAct = {cypher_string(ev.get('speech_act', ''))}")
        props.append(f"r.evidenceCount = {len(e.evidence)}")
        source, target = cypher_string(e.source), cypher_string(e.target)
        lines.append(f"MATCH (a:Entity {{id: {source}}}), (b:Entity {{id: {target}}}) "
                     f"MERGE (a)-[r:{_rel_type(e.predicate)}]->(b) SET {', '.join(props)};")
    return "\n".join(lines) + "\n"


_README = """# Neo4j import files

Written by `kg build`. Two routes:

1. Offline bulk import into an empty database (`neo4j-admin database import full`), from this folder:

       neo4j-admin database import full neo4j \\
         --array-delimiter=";" --multiline-fields=true \\
{nodes}
{rels}

2. Into a running database with cypher-shell (idempotent: MERGE on `id`):

       cypher-shell -u neo4j -p "$NEO4J_PASSWORD" -f load.cypher

Every node has the label `Entity` and its class (`Person`, `Organization:Company`, `Meeting`, ...);
relationship types are the predicates in upper case (`ATTENDED`, `DEMANDED`, ...), with the evidence
(article, source, sentence, start/end offsets, extractor, confidence, speechAct) as properties.
"""


def write_neo4j(store: View, out: Path) -> list[Path]:
    view = graph_view(store)
    folder = out / "neo4j"
    folder.mkdir(parents=True, exist_ok=True)
    files = render_csv_files(view)
    for old in folder.glob("*.csv"):
        if old.name not in files:
            old.unlink()
    written = [write_text(folder / name, text) for name, text in sorted(files.items())]
    written.append(write_text(folder / "load.cypher", render_cypher(view)))
    nodes = "\n".join(f"         --nodes={n} \\" for n in sorted(files) if n.startswith("nodes_"))
    rels = " \\\n".join(f"         --relationships={n}" for n in sorted(files) if n.startswith("rels_"))
    written.append(write_text(folder / "README.md", _README.format(nodes=nodes, rels=rels)))
    return written
