"""SHACL validation behind one seam: the only module that imports pyshacl.

Violations are reported readably (node, rule, evidence sentence); the triples that break a rule are set
aside (removed from the graph and returned), never silently dropped or kept as if valid.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, partial

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from .ontology import KG, load_ontology, load_shapes
from .rdf import Triple

__all__ = ["Violation", "provenance_nodes", "set_aside", "validate_graph"]


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str | None
    value: str | None
    message: str
    shape: str
    triples: tuple[tuple[str, str, str], ...]
    evidence: tuple[str, ...]

    def describe(self) -> str:
        where = f" {self.path}" if self.path else ""
        ev = f" — evidence: “{self.evidence[0][:120]}”" if self.evidence else ""
        return f"{self.focus}{where}: {self.message}{ev}"


def _targets(shapes: Graph, shape: URIRef) -> tuple[list[URIRef], list[URIRef]]:
    subj = [p for p in shapes.objects(shape, SH.targetSubjectsOf) if isinstance(p, URIRef)]
    obj = [p for p in shapes.objects(shape, SH.targetObjectsOf) if isinstance(p, URIRef)]
    return subj, obj


Sentences = Callable[[Node, Node, Node], Iterable[str]]


def validate_graph(data: Graph, inplace: bool = False, sentences: Sentences | None = None
                   ) -> tuple[bool, list[Violation]]:
    """Validate ``data`` against kg's shapes (with the ontology mixed in for subclasses). ``inplace`` mixes
    the ontology into ``data`` itself rather than into a copy: faster, for a graph made to be validated.
    ``sentences`` gives the evidence sentences of a triple, when ``data`` does not hold its provenance."""
    from pyshacl import validate

    shapes, ontology = _rules()
    conforms, results, _text = validate(data, shacl_graph=shapes, ont_graph=ontology, inplace=inplace,
                                        inference="none", abort_on_first=False, allow_warnings=True)
    violations = []
    for res in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(res, SH.focusNode)
        path = results.value(res, SH.resultPath)
        value = results.value(res, SH.value)
        shape = results.value(res, SH.sourceShape)
        message = str(results.value(res, SH.resultMessage) or results.value(res, SH.sourceConstraintComponent))
        triples: list[tuple[Node, Node, Node]] = []
        if path is not None and value is not None:
            triples.append((focus, path, value))
        else:
            owner = next(iter(shapes.subjects(SH.property, shape)), shape)
            subj_preds, obj_preds = _targets(shapes, owner) if isinstance(owner, URIRef) else ([], [])
            for pred in subj_preds:
                triples.extend((focus, pred, o) for o in data.objects(focus, pred))
            for pred in obj_preds:
                triples.extend((s, pred, focus) for s in data.subjects(pred, focus))
        evidence: list[str] = []
        for ts, tp, to in triples:
            evidence.extend((sentences or partial(_sentences, data))(ts, tp, to))
        violations.append(Violation(str(focus), str(path) if path is not None else None,
                                    str(value) if value is not None else None, message, str(shape),
                                    tuple(sorted((str(s), str(p), str(o)) for s, p, o in triples)),
                                    tuple(sorted(set(evidence)))))
    violations.sort(key=lambda v: (v.focus, v.path or "", v.value or "", v.message))
    return bool(conforms), violations


@cache
def _rules() -> tuple[Graph, Graph]:
    """The shapes and the ontology, parsed once per process (a chunk's validation parsed them again: 40 ms
    each time); pyshacl reads them and changes neither (tests/test_graph.py checks it)."""
    return load_shapes(), load_ontology()


def _sentences(data: Graph, s: Node, p: Node, o: Node) -> Iterator[str]:
    """The evidence sentences of the triple (s, p, o), from its assertion in ``data``."""
    for node in data.subjects(RDF.subject, s):
        if (node, RDF.predicate, p) in data and (node, RDF.object, o) in data:
            for ev in data.objects(node, KG.evidence):
                yield from (str(t) for t in data.objects(ev, KG.evidenceText))


def provenance_nodes(triples: Iterable[Triple]) -> set[Node]:
    """The assertions and evidence nodes among ``triples``: what kg writes by construction (tests/test_graph.py
    checks it against the shapes), so that the build's validation can leave them out."""
    out: set[Node] = set()
    for s, p, o in triples:
        if p == KG.evidence:
            out.update((s, o))
    return out


def set_aside(per_article: dict[str, list[Triple]], violations: list[Violation]) -> dict[str, list[Triple]]:
    """Take every offending triple, the Assertion that describes it, and the evidence no other assertion of
    the article cites, out of each article's triples; return what was taken, by article."""
    bad = {(s, p, o) for v in violations for s, p, o in v.triples}
    rejected: dict[str, list[Triple]] = {}
    for doc_id, triples in per_article.items():
        hit = {t for t in triples if (str(t[0]), str(t[1]), str(t[2])) in bad}
        if not hit:
            continue
        parts: dict[Node, dict[Node, Node]] = defaultdict(dict)
        for s, p, o in triples:
            if p in (RDF.subject, RDF.predicate, RDF.object):
                parts[s][p] = o
        nodes = {n for n, d in parts.items() if (d.get(RDF.subject), d.get(RDF.predicate), d.get(RDF.object)) in hit}
        cited = {o for s, p, o in triples if p == KG.evidence and s not in nodes}
        dropped = {o for s, p, o in triples if p == KG.evidence and s in nodes} - cited
        gone = nodes | dropped
        rejected[doc_id] = [t for t in triples if t in hit or t[0] in gone]
        per_article[doc_id] = [t for t in triples if not (t in hit or t[0] in gone)]
    return rejected
