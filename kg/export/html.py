"""graph.html: the explorer — every entity of the graph, drawn with WebGL (sigma.js and graphology, vendored in
kg/templates/vendor), searchable, filterable, each fact one click from its sentence. One self-contained file:
no network at all.

The data reaches the page as JSON inside a ``<script type="application/json">`` element (with <, >, & and the
line separators escaped, so that no text of an article can close the element) and is shown with textContent,
never parsed as HTML. Layout, centrality and communities are computed beforehand in Python
(:mod:`kg.network`); the browser only draws.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, select_autoescape

from ..io import write_text
from ..view import View
from .explorer import COLORS, explorer_data

__all__ = ["COLORS", "json_for_script", "render_html", "write_html"]


def json_for_script(value: object) -> str:
    """JSON that is safe inside a <script> element: no way to close the element or open a comment."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace(
        "\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _template(name: str) -> str:
    return resources.files("kg").joinpath("templates", name).read_text(encoding="utf-8")


def _script(name: str) -> str:
    return _template(name).replace("</script", "<\\/script")


def render_page(data: dict[str, Any]) -> str:
    env = Environment(autoescape=select_autoescape(default=True))
    return env.from_string(_template("graph.html")).render(
        title=data["title"], data_json=json_for_script(data), graphology_js=_script("vendor/graphology.umd.min.js"),
        sigma_js=_script("vendor/sigma.min.js"), explorer_js=_script("explorer.js"))


def render_html(store: View, title: str = "kg knowledge graph") -> str:
    return render_page(explorer_data(store, title))


def write_html(store: View, out: Path) -> list[Path]:
    return [write_text(out / "graph.html", render_html(store))]
