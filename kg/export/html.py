"""graph.html: an interactive graph (pyvis / vis-network) that works with no network at all.

The only module that imports pyvis. vis-network's script and stylesheet are inlined from pyvis's own
package files; article text reaches the page only as JSON data (with <, >, & escaped) and is shown
with textContent, never parsed as HTML.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from jinja2 import Environment, select_autoescape

from ..io import write_text
from ..view import View
from .graphview import EdgeView, GraphView, NodeView, best_connected, graph_view

__all__ = ["COLORS", "MAX_NODES", "render_html", "write_html"]

# A browser lays out a few thousand nodes; a bigger graph shows its best-connected part, and says so.
MAX_NODES = 1500

COLORS = {
    "Person": "#e4572e", "Company": "#4c78a8", "GovernmentAgency": "#2a9d8f", "Association": "#72b7b2",
    "ResearchInstitute": "#54a24b", "Legislature": "#b279a2", "PoliticalParty": "#9d755d",
    "MediaOutlet": "#bab0ac", "University": "#eeca3b", "Organization": "#83bcb6", "Meeting": "#f58518",
    "Place": "#8e6c8a", "Policy": "#ff9da6", "Quote": "#d8d8d8", "Article": "#cccccc",
}
_SHAPES = {"Meeting": "diamond", "Policy": "box", "Place": "triangle", "Quote": "dot", "Person": "dot"}


def _json_for_script(value: object) -> str:
    """JSON that is safe inside a <script> element: no way to close the element or open a comment."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace(
        "\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _hover(view_node: NodeView) -> str:
    lines = [f"{view_node.type}: {view_node.label}"]
    if view_node.aliases:
        lines.append("also: " + ", ".join(view_node.aliases[:6]))
    for k, vals in view_node.props.items():
        lines.append(f"{k}: {', '.join(v[:80] for v in vals[:4])}")
    return "\n".join(lines)


def _edge_hover(edge: EdgeView) -> str:
    lines = [edge.predicate]
    for ev in edge.evidence[:3]:
        act = f" [{ev['speech_act']}]" if ev["speech_act"] else ""
        lines.append(f"“{ev['sentence'][:220]}”{act}")
        lines.append(f"  — {ev['source']} {ev['published']} ({ev['extractor']}, {ev['confidence']})")
    return "\n".join(lines)


def _network_data(view: GraphView) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line")
    shown = [n for n in view.nodes if n.type != "Article"]
    for n in shown:
        net.add_node(n.id, label=n.label if len(n.label) <= 24 else n.label[:23] + "…", title=_hover(n),
                     color=COLORS.get(n.type, "#999999"), shape=_SHAPES.get(n.type, "dot"), kgtype=n.type)
    ids = {n.id for n in shown}
    for e in view.edges:
        if e.source in ids and e.target in ids:
            net.add_edge(e.source, e.target, label=e.predicate, title=_edge_hover(e), arrows="to")
    nodes, edges, *_rest = net.get_network_data()
    return list(nodes), list(edges)


def render_html(store: View, title: str = "kg knowledge graph", limit: int = MAX_NODES) -> str:
    top, total = best_connected(store, limit)
    # the whole graph when a browser can lay it out; else its best-connected part, fetched alone
    view = graph_view(store) if total <= limit else graph_view(store, only=top)
    nodes, edges = _network_data(view)
    lib = resources.files("pyvis").joinpath("templates", "lib", "vis-9.1.2")
    env = Environment(autoescape=select_autoescape(default=True))
    template = env.from_string(resources.files("kg").joinpath("templates", "graph.html").read_text(encoding="utf-8"))
    used = sorted({str(n["kgtype"]) for n in nodes if isinstance(n.get("kgtype"), str)})
    return template.render(
        title=title,
        vis_js=lib.joinpath("vis-network.min.js").read_text(encoding="utf-8").replace("</script", "<\\/script"),
        vis_css=lib.joinpath("vis-network.css").read_text(encoding="utf-8").replace("</style", "<\\/style"),
        nodes_json=_json_for_script(nodes),
        edges_json=_json_for_script(edges),
        legend=[(t, COLORS.get(t, "#999")) for t in used],
        n_nodes=len(nodes),
        n_edges=len(edges),
        n_total=total,
    )


def write_html(store: View, out: Path) -> list[Path]:
    return [write_text(out / "graph.html", render_html(store))]
