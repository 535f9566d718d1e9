"""An article's triples as the resolution has them, in Oxigraph's terms: renamed, with names that are not
the one an entity goes by turned into skos:altLabel and assertions following their facts; sorted into what
only the article holds, what leaves with its evidence, and what articles share (kg/view.py counts it); and
the named graphs of graph.trig written from them."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import pyoxigraph as ox

from .archive import Archive
from .ontology import ID, KG
from .rdf import PREFIXES, assertion_iri, graph_iri
from .resolve import ALT, RESOLUTION_GRAPH, Resolution
from .store import OxTriple

__all__ = [
    "ASSERTION",
    "EVIDENCE_LINK",
    "OBJECT",
    "PREDICATE",
    "RESOLUTION_NODES",
    "SAME_AS",
    "SUBJECT",
    "OxTriple",
    "Renames",
    "as_tuples",
    "digest",
    "kinds",
    "record_digests",
    "renames_of",
    "resolution_records",
    "resolved_triples",
    "signatures",
    "trig_chunks",
    "triple_key",
    "without_prefixes",
]

_RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
_SKOS_ALT = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SUBJECT, PREDICATE, OBJECT = (ox.NamedNode(_RDF + n) for n in ("subject", "predicate", "object"))
_REIFIED = {SUBJECT, PREDICATE, OBJECT}
_TYPE = ox.NamedNode(_RDF + "type")
_QUOTE, _ASSERTION_CLASS = ox.NamedNode(str(KG.Quote)), ox.NamedNode(str(KG.Assertion))
_DESCRIBING = {_TYPE, _RDFS_LABEL, _SKOS_ALT}  # what says what an entity is and what it is called: never a fact
EVIDENCE_LINK = ox.NamedNode(str(KG.evidence))
ASSERTION = f"{ID}assertion/"
RESOLUTION_NODES = (f"{ID}decision/", f"{ID}membership/")  # subjects only resolution writes
SAME_AS = ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs")
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = _RDF + "langString"

Renames = list[tuple[str, str, str]]  # (the article's IRI, the resolved one, ALT or "")


def _object_key(o: Any) -> tuple[str, str, str]:
    if isinstance(o, ox.Literal):
        dt = o.datatype.value
        return o.value, o.language or "", "" if o.language or dt in (_XSD_STRING, _LANG_STRING) else dt
    return o.value, "", ""


def resolved_triples(triples: Iterable[ox.Triple] | list[OxTriple], renames: Renames) -> list[OxTriple]:
    """One article's triples as resolution has it (``renames``: what ``Resolution.renamed_in`` says of its
    graph): each IRI renamed; an entity whose name in this article is not the one it goes by has that
    rdfs:label turned into a skos:altLabel; an assertion whose subject or object was renamed takes the
    identifier of the fact it now describes. Nothing another article says changes the result."""
    triples = as_tuples(triples)
    if not renames:  # most articles at first, and any whose entities no other article names
        return triples
    moved_to: dict[Any, ox.NamedNode] = {}  # keyed by Oxigraph's terms: no string is made for a lookup
    alt: set[Any] = set()
    for old, new, flag in renames:
        if new != old:
            moved_to[ox.NamedNode(old)] = ox.NamedNode(new)
        if flag == ALT:
            alt.add(ox.NamedNode(old))
    move = moved_to.get
    out: list[OxTriple] = []
    facts: dict[Any, dict[Any, Any]] = defaultdict(dict)
    changed: set[Any] = set()
    for s, p, o in triples:
        s2, o2 = move(s, s), move(o, o)
        if p == _RDFS_LABEL and s in alt:
            p = _SKOS_ALT
        elif p in _REIFIED:
            facts[s][p] = o2
            if o2 is not o:
                changed.add(s)
        out.append((s2, p, o2))
    if not changed:
        return out
    moved = {}
    for node in changed:
        f = facts[node]
        moved[node] = ox.NamedNode(str(assertion_iri(f[SUBJECT].value, f[PREDICATE].value, *_object_key(f[OBJECT]))))
    return [(moved.get(s, s), p, o) for s, p, o in out]


def as_tuples(triples: Iterable[ox.Triple] | list[OxTriple]) -> list[OxTriple]:
    """Triples as (subject, predicate, object): an Oxigraph triple makes its terms anew at every access."""
    triples = triples if isinstance(triples, list) else list(triples)
    if triples and isinstance(triples[0], tuple):
        return triples
    return [(t.subject, t.predicate, t.object) for t in triples]  # type: ignore[union-attr]


def kinds(triples: Iterable[OxTriple], article: str, whole: Iterable[OxTriple] | None = None
           ) -> tuple[list[OxTriple], list[OxTriple], list[OxTriple]]:
    """An article's resolved triples in three parts: its own (about the article, its evidence, its quotes, and
    the links to its evidence), which leave with it; assertions and the facts they describe, which leave when
    no evidence is left for them; and the rest (entities' classes and names), counted across articles.
    ``whole``: the article's resolved triples, when ``triples`` are some of them."""
    triples = list(triples)
    own_nodes: set[Any] = {ox.NamedNode(article)}
    assertions: set[Any] = set()
    parts: dict[Any, dict[Any, Any]] = defaultdict(dict)
    for s, p, o in (triples if whole is None else whole):
        if p == EVIDENCE_LINK:
            own_nodes.add(o)
        elif p == _TYPE:
            if o == _QUOTE:
                own_nodes.add(s)
            elif o == _ASSERTION_CLASS:
                assertions.add(s)
        elif p in _REIFIED:
            parts[s][p] = o
    stated = {(d[SUBJECT], d[PREDICATE], d[OBJECT]) for a, d in parts.items() if a in assertions and len(d) == 3}
    own: list[OxTriple] = []
    asserted: list[OxTriple] = []
    counted: list[OxTriple] = []
    for t in triples:
        s, p = t[0], t[1]
        if s in own_nodes or p == EVIDENCE_LINK:
            own.append(t)
        elif s in assertions or (p not in _DESCRIBING and t in stated):
            asserted.append(t)
        else:
            counted.append(t)
    return own, asserted, counted


def triple_key(t: OxTriple) -> bytes:
    return hashlib.blake2b(f"{t[0]} {t[1]} {t[2]}".encode(), digest_size=12).digest()


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def renames_of(res: Resolution, graph: str) -> Renames:
    return [tuple(r) for r in res.renamed_in.get(graph, [])]  # type: ignore[misc]


def signatures(db: Archive, res: Resolution) -> dict[str, tuple[str, str]]:
    """What each resolved article is made of — the article's content and the renames that apply to it — as a
    signature, with the renames."""
    out = {}
    for doc_id, content in db.articles().items():
        g = str(graph_iri(doc_id))
        renames = json.dumps(renames_of(res, g), ensure_ascii=False)
        out[g] = (digest(f"{content}|{renames}"), renames)
    return out


def resolution_records(res: Resolution) -> tuple[dict[str, str], dict[str, list[OxTriple]]]:
    """The resolution's triples by subject (a merge, a membership, an entity's sameAs), and a digest of each."""
    by_subject: dict[str, list[OxTriple]] = defaultdict(list)
    for t in res.triples:
        by_subject[t[0].value].append(t)
    return record_digests(by_subject), by_subject


def record_digests(by_subject: Mapping[str, list[OxTriple]]) -> dict[str, str]:
    """A digest of each record's triples (by subject): what the view compares to know a record changed."""
    return {s: digest("".join(sorted(_record_line(p, o) for _s, p, o in ts))) for s, ts in by_subject.items()}


def _record_line(p: ox.NamedNode, o: Any) -> str:
    """A record triple's line of its digest, written as kg 6dc1a54 wrote it from rdflib's terms (a literal's
    missing language or datatype as "None"), so that a view made by it does not rewrite every record."""
    if not isinstance(o, ox.Literal):
        return f"{p.value}\x1f{o.value}\x1f\x1f\n"
    if o.language:
        return f"{p.value}\x1f{o.value}\x1f{o.language}\x1fNone\n"
    datatype = "None" if o.datatype.value == _XSD_STRING else o.datatype.value
    return f"{p.value}\x1f{o.value}\x1fNone\x1f{datatype}\n"


def trig_chunks(db: Archive, renames: Mapping[str, str], resolution: Iterable[OxTriple], size: int = 200,
                records: int = 100_000) -> Iterator[bytes]:
    """TriG of every article's resolved graph (by graph IRI; ``renames``: each graph's, as JSON) and then the
    resolution's, ``size`` articles (or ``records`` of the resolution's triples) at a time: memory
    stays flat in the number of articles."""
    quads: list[ox.Quad] = []
    for count, (doc_id, triples) in enumerate(db.graphs(), 1):
        g = str(graph_iri(doc_id))
        name = ox.NamedNode(g)
        # in the order of the article's record (sorted when it was stored: the order is the content's)
        for s, p, o in dict.fromkeys(resolved_triples(triples, json.loads(renames.get(g, "[]")))):
            quads.append(ox.Quad(s, p, o, name))
        if count % size == 0:
            yield ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES) or b""
            quads = []
    name = ox.NamedNode(RESOLUTION_GRAPH)
    for s, p, o in resolution:
        quads.append(ox.Quad(s, p, o, name))
        if len(quads) >= records:
            yield ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES) or b""
            quads = []
    if quads:
        yield ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES) or b""


def without_prefixes(chunk: bytes) -> bytes:
    """A TriG chunk without the prefix lines the first chunk already wrote."""
    pos = 0
    while chunk.startswith(b"@prefix ", pos):
        pos = chunk.index(b"\n", pos) + 1
    return chunk[pos:]
