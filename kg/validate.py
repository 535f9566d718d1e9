"""SHACL validation behind one seam: the only module that imports pyshacl.

Violations are reported readably (node, rule, evidence sentence); the triples that break a rule are set
aside (removed from the graph and returned), never silently dropped or kept as if valid.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import RDF, Dataset, Graph, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from .ontology import KG, load_ontology, load_shapes

__all__ = ["Violation", "set_aside", "validate_graph"]


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


def validate_graph(data: Graph) -> tuple[bool, list[Violation]]:
    """Validate ``data`` against kg's shapes (with the ontology mixed in for subclasses)."""
    from pyshacl import validate

    shapes = load_shapes()
    conforms, results, _text = validate(data, shacl_graph=shapes, ont_graph=load_ontology(),
                                        inference="none", abort_on_first=False, allow_warnings=True)
    violations = []
    for res in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(res, SH.focusNode)
        path = results.value(res, SH.resultPath)
        value = results.value(res, SH.value)
        shape = results.value(res, SH.sourceShape)
        message = str(results.value(res, SH.resultMessage) or results.value(res, SH.sourceConstraintComponent))
        triples: list[tuple[URIRef, URIRef, object]] = []
        if path is not None and value is not None:
            triples.append((focus, path, value))
        else:
            owner = next(iter(shapes.subjects(SH.property, shape)), shape)
            subj_preds, obj_preds = _targets(shapes, owner)
            for p in subj_preds:
                triples.extend((focus, p, o) for o in data.objects(focus, p))
            for p in obj_preds:
                triples.extend((s, p, focus) for s in data.subjects(p, focus))
        evidence = []
        for s, p, o in triples:
            for node in data.subjects(RDF.subject, s):
                if (node, RDF.predicate, p) in data and (node, RDF.object, o) in data:
                    evidence.extend(str(t) for t in data.objects(node, KG.evidenceText))
        violations.append(Violation(str(focus), str(path) if path is not None else None,
                                    str(value) if value is not None else None, message, str(shape),
                                    tuple(sorted((str(s), str(p), str(o)) for s, p, o in triples)),
                                    tuple(sorted(set(evidence)))))
    violations.sort(key=lambda v: (v.focus, v.path or "", v.value or "", v.message))
    return bool(conforms), violations


def set_aside(ds: Dataset, violations: list[Violation]) -> dict[str, list[tuple[Node, Node, Node]]]:
    """Remove every offending triple (and its Assertion) from every graph of ``ds``; return them by graph."""
    rejected: dict[str, list[tuple[Node, Node, Node]]] = {}
    bad = {(s, p, o) for v in violations for s, p, o in v.triples}
    for ctx in list(ds.contexts()):
        out = rejected.setdefault(str(ctx.identifier), [])
        for s, p, o in list(ctx):
            if (str(s), str(p), str(o)) not in bad:
                continue
            out.append((s, p, o))
            ctx.remove((s, p, o))
            for node in list(ctx.subjects(RDF.subject, s)):
                if (node, RDF.predicate, p) in ctx and (node, RDF.object, o) in ctx:
                    for t in list(ctx.triples((node, None, None))):
                        out.append(t)
                        ctx.remove(t)
    return {g: ts for g, ts in rejected.items() if ts}
