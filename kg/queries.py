"""The library of named queries: ``ontology/queries/NAME.rq``, each the answer to a question users ask often.

A query file starts with comment lines: the question it answers, then one line per parameter::

    # What did an organisation ask for, directly or through its people, when, and in which articles?
    # param org name: the organisation, by any of its names (e.g. 업스테이지)
    # param since date?: only articles published on or after this day

``param NAME TYPE`` is required, ``TYPE?`` optional (unset, it does not constrain the answer) and
``TYPE=VALUE`` has a default. Types: ``name`` (a Korean name, matched against rdfs:label / skos:altLabel),
``text`` (a plain string), ``date`` (YYYY-MM-DD), ``integer``, ``iri`` (a full IRI or a kg prefixed name such as
``person:류제명``). In the query, each parameter is a ``VALUES ?NAME { … }`` block holding an example value
(or several such blocks, one in each part of the query that needs it), so the file runs as it is in any SPARQL
tool; kg puts the given value in each, written as an escaped RDF term.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

from .errors import ConfigError, QueryError
from .rdf import PREFIXES
from .results import Term

__all__ = ["NamedQuery", "Param", "bind", "named_queries", "named_query", "parse", "query_text"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_PARAM = re.compile(r"^#\s*param\s+([a-z][a-z0-9_]*)\s+(name|text|date|integer|iri)(\?|=[^:]*)?\s*:\s*(.+)$")
_TYPES = ("name", "text", "date", "integer", "iri")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    description: str
    required: bool = True
    default: str | None = None

    def term(self, value: str) -> Term:
        """The value as an RDF term of this parameter's type; an error naming the parameter when it is not one."""
        value = value.strip()
        if not value:
            raise QueryError(f"parameter {self.name}: empty value")
        if self.type == "name":
            return Term.literal(value, lang="ko")
        if self.type == "text":
            return Term.literal(value)
        if self.type == "date":
            try:
                date.fromisoformat(value)
            except ValueError:
                raise QueryError(f"parameter {self.name}: {value!r} is not a date (YYYY-MM-DD)") from None
            return Term.literal(value, datatype=_XSD + "date")
        if self.type == "integer":
            if not re.fullmatch(r"[+-]?\d+", value):
                raise QueryError(f"parameter {self.name}: {value!r} is not an integer")
            return Term.literal(str(int(value)), datatype=_XSD + "integer")
        prefix, _, local = value.partition(":")
        iri = PREFIXES[prefix] + local if prefix in PREFIXES and not local.startswith("//") else value
        term = Term.iri(iri)
        try:
            term.n3()
        except ValueError:
            raise QueryError(f"parameter {self.name}: {value!r} is not an IRI") from None
        return term


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    params: tuple[Param, ...]
    text: str
    source: str

    def usage(self) -> str:
        parts = [self.name] + [f"--param {p.name}=…" if p.required else f"[--param {p.name}=…]" for p in self.params]
        return " ".join(parts)


def _values(name: str) -> re.Pattern[str]:
    return re.compile(r"VALUES\s+\?" + re.escape(name) + r"\s*\{[^}]*\}")


def parse(text: str, name: str, source: str) -> NamedQuery:
    """A named query from its file's text; an error naming the file when its header or blocks are wrong."""
    description: list[str] = []
    params: list[Param] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if re.match(r"^#\s*param\b", line):
            m = _PARAM.match(line)
            if not m:
                raise ConfigError(f"{source}: bad parameter line {line!r}; write `# param NAME TYPE: what it is`, "
                                  f"TYPE one of {', '.join(_TYPES)}, optionally followed by ? or =DEFAULT")
            pname, ptype, mod, desc = m.groups()
            default = mod[1:].strip() if mod and mod.startswith("=") else None
            params.append(Param(pname, ptype, desc.strip(), required=not mod, default=default))
            if not _values(pname).search(text):
                raise ConfigError(f"{source}: parameter {pname} needs a `VALUES ?{pname} {{ … }}` block")
        else:
            description.append(line.lstrip("#").strip())
    if not description:
        raise ConfigError(f"{source}: start the file with a comment saying what the query answers")
    return NamedQuery(name, " ".join(d for d in description if d), tuple(params), text, source)


def _library() -> list[tuple[str, str, str]]:
    folder = resources.files("kg_ontology") / "queries"
    return sorted((Path(f.name).stem, f.read_text(encoding="utf-8"), f"ontology/queries/{f.name}")
                  for f in folder.iterdir() if f.name.endswith(".rq"))


def named_queries() -> dict[str, NamedQuery]:
    """Every query of the library, by name."""
    return {name: parse(text, name, source) for name, text, source in _library()}


def named_query(name: str) -> NamedQuery:
    queries = named_queries()
    if name not in queries:
        raise QueryError(f"no named query {name!r}; the library has: {', '.join(queries)} (`kg query --list`)")
    return queries[name]


def bind(query: NamedQuery, values: dict[str, str]) -> str:
    """The query's text with each parameter's value (given, else its default; an optional one left open)."""
    known = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(known))
    if unknown:
        listed = ", ".join(f"{p.name} ({p.type}{'' if p.required else ', optional'})" for p in query.params)
        raise QueryError(f"{query.name}: no parameter {', '.join(unknown)}; it takes: {listed or 'none'}")
    blocks: dict[str, str] = {}
    for p in query.params:
        value = values.get(p.name, p.default)
        if value is None and p.required:
            raise QueryError(f"{query.name} needs --param {p.name}=… ({p.description})")
        term = "UNDEF" if value is None else p.term(value).n3()
        blocks[p.name] = f"VALUES ?{p.name} {{ {term} }}"
    if not blocks:
        return query.text
    # one pass over the file's own text: a value, however it reads, is never searched for another block
    anyblock = re.compile(r"VALUES\s+\?(" + "|".join(map(re.escape, blocks)) + r")\s*\{[^}]*\}")
    return anyblock.sub(lambda m: blocks[m.group(1)], query.text)


def query_text(spec: str, values: dict[str, str] | None = None) -> str:
    """The SPARQL to run for ``spec``: the name of a library query, ``@FILE`` (a query file, which may declare
    parameters the same way), or SPARQL itself; with the parameters bound."""
    values = values or {}
    if re.fullmatch(r"[a-z][a-z0-9-]*", spec):
        return bind(named_query(spec), values)
    if spec.startswith("@"):
        path = Path(spec[1:])
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"{path}: cannot read the query file ({exc})") from exc
        if values or any(re.match(r"^#\s*param\b", line) for line in text.splitlines()):
            return bind(parse(text, path.stem, str(path)), values)
        return text
    if values:
        raise QueryError("--param works with a named query or a query file that declares parameters")
    return spec
