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
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, select_autoescape

from ..io import atomic_open
from ..view import View
from .explorer import COLORS, explorer_data

__all__ = ["COLORS", "json_for_script", "render_html", "write_html"]


_SCRIPT_SAFE = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def json_for_script(value: object) -> str:
    """JSON that is safe inside a <script> element: no way to close the element or open a comment."""
    return "".join(_json_chunks(value))


def _json_chunks(value: object, size: int = 1 << 20) -> Iterator[str]:
    """``json_for_script(value)`` in pieces of about ``size`` characters: a page's data is never one string.
    Each piece is made by the json module's C encoder (its ``iterencode``, which would stream, is pure Python
    and five times slower); the pieces join to what one ``dumps`` of the whole would give."""
    for piece in _pieces(value, size):
        yield piece.translate(_SCRIPT_SAFE)  # each escape is of one character: a piece may end anywhere


_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def _pieces(value: object, size: int) -> Iterator[str]:
    """``value`` as JSON: a dict with string keys key by key, a long list a slice at a time, the rest whole."""
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        yield "{"
        for n, key in enumerate(sorted(value)):
            yield ("," if n else "") + _ENCODE(key) + ":"
            yield from _pieces(value[key], size)
        yield "}"
    elif isinstance(value, list | tuple) and len(value) > 1000:
        yield "["
        step = max(1, int(size * 1000 / max(1, len(_ENCODE(value[:1000])))))  # items of about ``size`` characters
        for start in range(0, len(value), step):
            yield ("," if start else "") + _ENCODE(value[start : start + step])[1:-1]
        yield "]"
    else:
        yield _ENCODE(value)


def _template(name: str) -> str:
    return resources.files("kg").joinpath("templates", name).read_text(encoding="utf-8")


def _script(name: str) -> str:
    return _template(name).replace("</script", "<\\/script")


_MARK = "\x00kg-data\x00"


def page_chunks(data: dict[str, Any]) -> Iterator[str]:
    """The explorer page for ``data``, in pieces: the template around it, the data streamed between."""
    env = Environment(autoescape=select_autoescape(default=True))
    page = env.from_string(_template("graph.html")).render(
        title=data["title"], data_json=_MARK, graphology_js=_script("vendor/graphology.umd.min.js"),
        sigma_js=_script("vendor/sigma.min.js"), explorer_js=_script("explorer.js"))
    head, tail = page.split(_MARK)
    yield head
    yield from _json_chunks(data)
    yield tail


def render_page(data: dict[str, Any]) -> str:
    return "".join(page_chunks(data))


def render_html(store: View, title: str = "kg knowledge graph") -> str:
    return render_page(explorer_data(store, title))


def write_html(store: View, out: Path) -> list[Path]:
    """graph.html, written as it is made (atomically)."""
    data = explorer_data(store, "kg knowledge graph")
    with atomic_open(out / "graph.html") as fh:
        for chunk in page_chunks(data):
            fh.write(chunk)
    return [out / "graph.html"]
