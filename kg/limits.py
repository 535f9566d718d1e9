"""The limits a user can meet, in one place, and the checks that hold them before any parser runs.

Parsers written in other languages (Oxigraph's) can crash the process on deeply nested input instead of
raising; kg measures the nesting first, without recursion, and refuses with a line that says why.

- An article holds at most ``MAX_ARTICLE_CHARS`` characters (real ones hold some tens of thousands).
- A SPARQL query nests groups and brackets at most ``MAX_QUERY_NESTING`` deep.
- A JSON-LD graph file or a JSON annotation nests at most ``MAX_JSON_NESTING`` deep, and a JSON-LD context
  must be written in the file: kg never fetches a document from the network.
"""

from __future__ import annotations

import json
from typing import Any

from .errors import InputError, QueryError

__all__ = ["MAX_ARTICLE_CHARS", "MAX_JSON_NESTING", "MAX_QUERY_NESTING", "check_json_ld", "check_query",
           "json_nesting", "load_json"]

MAX_ARTICLE_CHARS = 100_000
MAX_QUERY_NESTING = 200
MAX_JSON_NESTING = 100

_OPEN, _CLOSE = "{([", "})]"


def _sparql_nesting(text: str) -> int:
    """How deep ``{ ( [`` nest in a query, strings and comments aside (one pass, no recursion)."""
    depth = deepest = 0
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "#":
            nl = text.find("\n", i)
            i = n if nl < 0 else nl + 1
            continue
        if ch in "\"'":
            quote = ch * 3 if text.startswith(ch * 3, i) else ch
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                j += 2 if text[j] == "\\" else 1
            i = j + len(quote)
            continue
        if ch in _OPEN:
            depth += 1
            deepest = max(deepest, depth)
        elif ch in _CLOSE:
            depth -= 1
        i += 1
    return deepest


def check_query(text: str) -> None:
    """A QueryError when a query nests deeper than any real question does."""
    depth = _sparql_nesting(text)
    if depth > MAX_QUERY_NESTING:
        raise QueryError(f"the query nests {depth} levels deep (groups and brackets); kg runs queries nested at "
                         f"most {MAX_QUERY_NESTING} deep")


def json_nesting(text: str) -> int:
    """How deep arrays and objects nest in a JSON text (one pass over it, strings aside, no recursion)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def load_json(text: str, source: str) -> Any:
    """JSON, refused with a reason naming ``source`` when it is not JSON or nests deeper than any kg file."""
    depth = json_nesting(text)
    if depth > MAX_JSON_NESTING:
        raise InputError(source, f"JSON nested {depth} levels deep; kg reads JSON nested at most "
                                 f"{MAX_JSON_NESTING} deep")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(source, f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None


def _remote_context(value: Any) -> str | None:
    """The first document a JSON-LD value asks to fetch (a context by URL, an @import), if any."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, item in node.items():
                if key == "@context":
                    contexts = item if isinstance(item, list) else [item]
                    for ctx in contexts:
                        if isinstance(ctx, str):
                            return ctx
                        if isinstance(ctx, dict) and isinstance(ctx.get("@import"), str):
                            return str(ctx["@import"])
                stack.append(item)
        elif isinstance(node, list):
            stack.extend(node)
    return None


def check_json_ld(text: str, source: str) -> None:
    """An InputError when a JSON-LD file nests too deep or names a context kg would have to fetch."""
    doc = load_json(text, source)
    remote = _remote_context(doc)
    if remote is not None:
        raise InputError(source, f"its JSON-LD @context names another document ({remote[:80]!r}); kg never "
                                 "fetches documents from the network: write the context into the file")
