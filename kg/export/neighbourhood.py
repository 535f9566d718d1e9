"""A small page of a few entities (a neighbourhood, a path) drawn by pyvis / vis-network with physics — the only
module that imports pyvis. For the whole graph, graph.html (sigma.js) is the tool: pyvis lays out in the
browser and slows past a few thousand nodes (README, "The explorer"), but for a hundred entities its live
physics is a good picture. vis-network's script is inlined from pyvis's own package files: no network.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from jinja2 import Environment, select_autoescape

from ..io import write_text
from ..query import open_source
from .explorer import COLORS
from .graphview import GraphView, graph_view
from .html import json_for_script

__all__ = ["render_neighbourhood", "write_neighbourhood"]

_PAGE = """<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy"
 content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">
<title>{{ title }}</title><style>{{ css | safe }}</style>
<style>body { font-family: "NanumGothic", "Noto Sans CJK KR", sans-serif; margin: 0; }
h1 { font-size: 16px; margin: 8px 12px; } #g { width: 100%; height: calc(100vh - 40px); }
div.vis-tooltip { white-space: pre-wrap; max-width: 520px; }</style></head>
<body><h1>{{ title }}</h1><div id="g"></div>
<script>{{ js | safe }}</script>
<script type="application/json" id="nodes">{{ nodes | safe }}</script>
<script type="application/json" id="edges">{{ edges | safe }}</script>
<script>
  const data = { nodes: new vis.DataSet(JSON.parse(document.getElementById("nodes").textContent)),
                 edges: new vis.DataSet(JSON.parse(document.getElementById("edges").textContent)) };
  const net = new vis.Network(document.getElementById("g"), data,
    { physics: { solver: "forceAtlas2Based", stabilization: { iterations: 200 } }, interaction: { hover: true } });
  net.once("stabilizationIterationsDone", () => {
    net.setOptions({ physics: false }); document.body.dataset.ready = "1"; });
</script></body></html>"""


def render_neighbourhood(view: GraphView, title: str) -> str:
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line")
    for n in view.nodes:
        if n.type != "Article":
            net.add_node(n.id, label=n.label if len(n.label) <= 24 else n.label[:23] + "…",
                         title=f"{n.type}: {n.label}", color=COLORS.get(n.type, "#999999"))
    for e in view.edges:
        if e.source in net.node_ids and e.target in net.node_ids:
            said = "\n".join(f"“{ev.sentence[:200]}” — {ev.source} {ev.published}" for ev in e.evidence[:2])
            net.add_edge(e.source, e.target, label=e.predicate, title=f"{e.predicate}\n{said}".strip(), arrows="to")
    nodes, edges, *_rest = net.get_network_data()
    lib = resources.files("pyvis").joinpath("templates", "lib", "vis-9.1.2")
    env = Environment(autoescape=select_autoescape(default=True))
    return env.from_string(_PAGE).render(
        title=title, nodes=json_for_script(nodes), edges=json_for_script(edges),
        js=lib.joinpath("vis-network.min.js").read_text(encoding="utf-8").replace("</script", "<\\/script"),
        css=lib.joinpath("vis-network.css").read_text(encoding="utf-8").replace("</style", "<\\/style"))


def write_neighbourhood(source: str | Path, rows: list[dict[str, object]], out: str | Path) -> Path:
    """The entities of ``kg analyze neighbours`` or ``path`` rows, and the relations among them, as a page."""
    ids = {str(r[k]) for r in rows for k in ("entity", "from_id", "to_id") if r.get(k)}
    with open_source(source) as store:
        view = graph_view(store, only=ids)
    first = rows[0] if rows else {}
    title = f"kg: {first.get('label') or first.get('from') or ''} ({len(ids)} entities)"
    return write_text(Path(out), render_neighbourhood(view, title))
