"""Answers to SPARQL queries, as kg's own values, and their SPARQL 1.1 results formats (JSON, XML, CSV, TSV)
plus an aligned table for a terminal.

The store returns an ``Answer``; every format is written here from it, so that a result cut at a size limit is
still a well-formed document. Each writer follows its W3C recommendation; tests read what they write back with
Oxigraph's parsers.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple
from xml.sax.saxutils import escape, quoteattr

__all__ = ["MEDIA_TYPES", "RDF_MEDIA_TYPES", "Answer", "Term", "display_width", "render"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_STRING = _XSD + "string"
# SPARQL results formats, and the RDF formats of CONSTRUCT and DESCRIBE answers, by name.
MEDIA_TYPES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
               "csv": "text/csv", "tsv": "text/tab-separated-values"}
RDF_MEDIA_TYPES = {"turtle": "text/turtle", "jsonld": "application/ld+json", "ntriples": "application/n-triples",
                   "rdfxml": "application/rdf+xml"}
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
# Besides what N-Triples must escape, the characters many readers take for line ends (\v, FS GS RS, NEL, LS, PS)
_ESCAPE = re.compile('[\\\\"\n\r\t\b\f\x0b\x1c\x1d\x1e\x85\u2028\u2029]')
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _escape(m: re.Match[str]) -> str:
    ch = m.group()
    return _ESCAPES.get(ch) or f"\\u{ord(ch):04X}"


class Term(NamedTuple):
    """An RDF term in an answer: ``kind`` is ``uri``, ``literal`` or ``bnode`` (the names of SPARQL JSON)."""

    kind: str
    value: str
    lang: str | None = None
    datatype: str | None = None  # None for a plain (xsd:string) or language-tagged literal

    @classmethod
    def iri(cls, value: str) -> Term:
        return cls("uri", value)

    @classmethod
    def literal(cls, value: str, lang: str | None = None, datatype: str | None = None) -> Term:
        return cls("literal", value, lang or None, None if datatype in (None, _XSD_STRING) or lang else datatype)

    def n3(self) -> str:
        """The term in SPARQL / N-Triples syntax, escaped: safe to place in a query as a value."""
        if self.kind == "uri":
            if _IRI_FORBIDDEN.search(self.value):
                raise ValueError(f"not a valid IRI: {self.value!r}")
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        text = '"' + _ESCAPE.sub(_escape, self.value) + '"'
        if self.lang:
            return f"{text}@{self.lang}"
        return f"{text}^^<{self.datatype}>" if self.datatype else text

    def short(self, prefixes: Mapping[str, str]) -> str:
        """How a terminal shows it: an IRI as a prefixed name where one fits, a literal as its text."""
        if self.kind == "uri":
            for prefix, ns in prefixes.items():
                if self.value.startswith(ns) and len(self.value) > len(ns):
                    return f"{prefix}:{self.value[len(ns):]}"
            return self.value
        return f"_:{self.value}" if self.kind == "bnode" else self.value


@dataclass(frozen=True)
class Answer:
    """What a query returned. ``kind`` is ``select`` (``variables``, ``rows``), ``ask`` (``boolean``) or
    ``graph`` (CONSTRUCT / DESCRIBE: ``graph``, already written in ``graph_format``). ``truncated`` says that
    the rows (or triples) stop at ``limit``, the size limit the query was run with."""

    kind: str
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Term | None, ...], ...] = ()
    boolean: bool = False
    graph: bytes = b""
    graph_format: str = "turtle"
    truncated: bool = False
    limit: int | None = None

    def records(self) -> list[dict[str, str]]:
        """The rows as dicts of plain strings, unbound variables left out: for notebooks and tests."""
        return [{v: t.value for v, t in zip(self.variables, r, strict=True) if t is not None} for r in self.rows]


def _json(a: Answer) -> str:
    if a.kind == "ask":
        return json.dumps({"head": {}, "boolean": a.boolean})

    def binding(t: Term) -> dict[str, str]:
        b = {"type": t.kind, "value": t.value}
        if t.lang:
            b["xml:lang"] = t.lang
        if t.datatype:
            b["datatype"] = t.datatype
        return b

    rows = [{v: binding(t) for v, t in zip(a.variables, r, strict=True) if t is not None} for r in a.rows]
    return json.dumps({"head": {"vars": list(a.variables)}, "results": {"bindings": rows}}, ensure_ascii=False)


def _xml_text(text: str) -> str:
    # XML 1.0 cannot carry these characters at all; a bare CR would be read back as a line end
    return escape(_XML_FORBIDDEN.sub("\ufffd", text), {"\r": "&#13;"})


def _xml(a: Answer) -> str:
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if a.kind == "ask":
        out += ["<head/>", f"<boolean>{'true' if a.boolean else 'false'}</boolean>", "</sparql>"]
        return "\n".join(out) + "\n"
    out.append("<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in a.variables) + "</head>")
    out.append("<results>")
    for r in a.rows:
        cells = []
        for v, t in zip(a.variables, r, strict=True):
            if t is None:
                continue
            if t.kind == "literal":
                attr = f" xml:lang={quoteattr(t.lang)}" if t.lang else (
                    f" datatype={quoteattr(t.datatype)}" if t.datatype else "")
                value = f"<literal{attr}>{_xml_text(t.value)}</literal>"
            else:
                value = f"<{t.kind}>{_xml_text(t.value)}</{t.kind}>"
            cells.append(f"<binding name={quoteattr(v)}>{value}</binding>")
        out.append("<result>" + "".join(cells) + "</result>")
    out += ["</results>", "</sparql>"]
    return "\n".join(out) + "\n"


_CSV_QUOTE = re.compile('[",\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]')


def _csv_field(text: str) -> str:
    """RFC 4180 quoting, also around the characters some readers take for line ends."""
    return '"' + text.replace('"', '""') + '"' if _CSV_QUOTE.search(text) else text


def _csv(a: Answer) -> str:
    # SPARQL 1.1 CSV: RFC 4180, CRLF line ends, values without their type or language
    if a.kind == "ask":
        return "boolean\r\n" + ("true" if a.boolean else "false") + "\r\n"
    lines = [",".join(_csv_field(v) for v in a.variables)]
    lines += [",".join("" if t is None else _csv_field(f"_:{t.value}" if t.kind == "bnode" else t.value) for t in r)
              for r in a.rows]
    return "\r\n".join(lines) + "\r\n"


def _tsv(a: Answer) -> str:
    if a.kind == "ask":
        return "?boolean\n" + ("true" if a.boolean else "false") + "\n"
    lines = ["\t".join(f"?{v}" for v in a.variables)]
    lines += ["\t".join("" if t is None else t.n3() for t in r) for r in a.rows]
    return "\n".join(lines) + "\n"


def display_width(text: str) -> int:
    """Columns a string takes on a terminal: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _cut(text: str, cut: int | None) -> str:
    if cut is None or display_width(text) <= cut:
        return text
    out, used = [], 0
    for ch in text:
        used += display_width(ch)
        if used > cut - 1:
            break
        out.append(ch)
    return "".join(out) + "…"


def _table(a: Answer, prefixes: Mapping[str, str], cut: int | None) -> str:
    if a.kind == "ask":
        return "true" if a.boolean else "false"
    rows = [["" if t is None else _cut(" ".join(t.short(prefixes).split()), cut) for t in r] for r in a.rows]
    widths = [max([display_width(n), *(display_width(r[i]) for r in rows)]) for i, n in enumerate(a.variables)]

    def line(cells: list[str]) -> str:
        return "  ".join(c + " " * (w - display_width(c)) for c, w in zip(cells, widths, strict=True)).rstrip()

    lines = [line(list(a.variables)), line(["-" * w for w in widths]), *(line(r) for r in rows)]
    notes = [f"{len(rows)} row{'' if len(rows) == 1 else 's'}"]
    if a.truncated:
        notes.append(f"cut at the limit of {a.limit}")
    if any(c.endswith("…") for r in rows for c in r):
        notes.append("long values cut: --full, or --format csv, shows them whole")
    lines.append(f"({'; '.join(notes)})")
    return "\n".join(lines)


def render(answer: Answer, fmt: str = "table", prefixes: Mapping[str, str] | None = None,
           cut: int | None = None) -> str:
    """The answer in ``fmt``: ``table`` (values longer than ``cut`` columns cut), or a SPARQL results format
    (``json``, ``xml``, ``csv``, ``tsv``). A CONSTRUCT or DESCRIBE answer is its RDF text whatever ``fmt`` says."""
    if answer.kind == "graph":
        return answer.graph.decode("utf-8")
    writers = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}
    if fmt == "table":
        return _table(answer, prefixes or {}, cut)
    if fmt not in writers:
        raise ValueError(f"unknown results format {fmt!r}; use table, {', '.join(writers)}")
    return writers[fmt](answer)
