"""``kg eval``: score extraction against hand annotations (the gold format described in the README).

Each annotated article is built on its own, exactly as ``kg build`` would build it, and compared with its
annotation: entities by type and normalised name (Meeting and Policy names also fuzzily), relations by predicate
with both ends aligned. Counts are summed over the articles (micro-average).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.term import Node

from .errors import InputError
from .lexicon import norm_key, similar_names
from .limits import load_json
from .ontology import kg_term, load_ontology

__all__ = ["Counts", "DocScore", "EvalReport", "Gold", "evaluate", "load_gold", "score_graph"]

PREDICATES = ("attended", "organizer", "demanded", "affiliation", "jobTitle", "location", "startDate")
ENTITY_TYPES = ("Person", "Organization", "Meeting", "Place", "Policy")
_LITERAL = {"jobTitle", "startDate"}
_FUZZY = {"Meeting", "Policy"}


def _names_match(ours: set[str], theirs: set[str], fuzzy: bool) -> bool:
    if ours & theirs:
        return True
    return fuzzy and any(similar_names(a, b) for a in ours for b in theirs)


def _literal_match(ours: str, theirs: str, predicate: str) -> bool:
    if predicate == "startDate":
        return ours.strip()[:10] == theirs.strip()[:10]
    a, b = norm_key(ours), norm_key(theirs)
    short, long_ = sorted((a, b), key=len)
    return bool(a and b) and (a == b or (len(short) >= 2 and short in long_))


@lru_cache(maxsize=1)
def _coarse_types() -> dict[URIRef, str]:
    """Every ontology class that is, or is a subclass of, one of the scored types -> that type's name."""
    onto = load_ontology()
    out: dict[URIRef, str] = {}
    for name in ENTITY_TYPES:
        top = kg_term(name)
        for cls in onto.transitive_subjects(RDFS.subClassOf, top):
            if isinstance(cls, URIRef):
                out[cls] = name
    return out


@dataclass(frozen=True)
class GoldEntity:
    id: str
    type: str
    name: str
    names: frozenset[str]


@dataclass(frozen=True)
class GoldRelation:
    subjects: frozenset[str]
    predicate: str
    objects: tuple[str, ...]
    optional: bool


@dataclass(frozen=True)
class Gold:
    doc: str
    entities: dict[str, GoldEntity]
    relations: tuple[GoldRelation, ...]

    def describe(self, rel: GoldRelation) -> str:
        subj = " | ".join(sorted(self.entities[s].name for s in rel.subjects))
        if rel.predicate in _LITERAL:
            obj = " | ".join(rel.objects)
        else:
            obj = " | ".join(self.entities[o].name for o in rel.objects)
        return f"{subj} {rel.predicate} {obj}"


def load_gold(path: str | Path) -> Gold:
    """Read one annotation file; a malformed one raises ``InputError`` naming the file and the problem."""
    path = Path(path)
    try:
        data = load_json(path.read_text(encoding="utf-8"), str(path))
        if not isinstance(data, dict):
            raise InputError(str(path), f"not in the gold format (a JSON {type(data).__name__}, not an object)")
        coarse = {str(cls).split("#")[-1]: t for cls, t in _coarse_types().items()}
        entities: dict[str, GoldEntity] = {}
        for e in data["entities"]:
            if e["type"] not in coarse:
                raise InputError(str(path), f"entity {e['id']!r} has unknown type {e['type']!r}")
            names = frozenset(n for n in map(norm_key, [e["name"], *e.get("aliases", [])]) if n)
            entities[e["id"]] = GoldEntity(e["id"], coarse[e["type"]], e["name"], names)
        relations = []
        for r in data["relations"]:
            subjects = r["s"] if isinstance(r["s"], list) else [r["s"]]
            objects = r["o"] if isinstance(r["o"], list) else [r["o"]]
            if r["p"] not in PREDICATES:
                raise InputError(str(path), f"unknown predicate {r['p']!r} (known: {', '.join(PREDICATES)})")
            ids = subjects + ([] if r["p"] in _LITERAL else objects)
            if unknown := [i for i in ids if i not in entities]:
                raise InputError(str(path), f"relation {r!r} names entities that are not listed: {unknown}")
            relations.append(GoldRelation(frozenset(subjects), r["p"], tuple(map(str, objects)),
                                          bool(r.get("optional"))))
        return Gold(str(data["doc"]), entities, tuple(relations))
    except (OSError, ValueError) as exc:
        raise InputError(str(path), f"cannot read annotation ({exc})") from exc
    except (KeyError, TypeError, AttributeError) as exc:
        raise InputError(str(path), f"not in the gold format (missing or wrong field {exc})") from exc


@dataclass
class Counts:
    """``expected``/``found`` count gold items; ``predicted``/``correct`` count system items."""

    expected: int = 0
    found: int = 0
    predicted: int = 0
    correct: int = 0

    def add(self, other: Counts) -> None:
        self.expected += other.expected
        self.found += other.found
        self.predicted += other.predicted
        self.correct += other.correct

    def prf(self) -> tuple[float, float, float]:
        p = self.correct / self.predicted if self.predicted else 0.0
        r = self.found / self.expected if self.expected else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _total(parts: Iterable[Counts]) -> Counts:
    out = Counts()
    for c in parts:
        out.add(c)
    return out


@dataclass
class DocScore:
    doc: str
    relations: dict[str, Counts] = field(default_factory=lambda: {p: Counts() for p in PREDICATES})
    entities: dict[str, Counts] = field(default_factory=lambda: {t: Counts() for t in ENTITY_TYPES})
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    def relation_f1(self) -> float:
        return _total(self.relations.values()).prf()[2]


class _SystemView:
    """The graph as the scorer sees it: typed, named nodes and the schema's relations."""

    def __init__(self, graph: Graph) -> None:
        coarse = _coarse_types()
        self.types: dict[Node, str] = {}
        for node, cls in graph.subject_objects(RDF.type):
            t = coarse.get(cls)  # type: ignore[call-overload]
            if t and (node not in self.types or self.types[node] == "Organization"):
                self.types[node] = t
        self.names: dict[Node, set[str]] = defaultdict(set)
        self.label: dict[Node, str] = {}
        for pred in (RDFS.label, SKOS.prefLabel, SKOS.altLabel):
            for node, value in graph.subject_objects(pred):
                if isinstance(value, Literal) and (n := norm_key(str(value))):
                    self.names[node].add(n)
                    self.label.setdefault(node, str(value))
        self.relations = sorted((s, name, o) for name in PREDICATES for s, o in graph.subject_objects(kg_term(name)))

    def show(self, node: Node) -> str:
        return self.label.get(node, str(node)) if not isinstance(node, Literal) else str(node)


def _align(view: _SystemView, gold: Gold) -> dict[Node, set[str]]:
    """Map each system node to the gold ids it stands for (names first, then meetings by attendees/date)."""
    mapping: dict[Node, set[str]] = defaultdict(set)
    for node, t in view.types.items():
        for g in gold.entities.values():
            # A name stands for an entity whatever the type; only the fuzzy match needs the same type.
            if _names_match(view.names.get(node, set()), set(g.names), t in _FUZZY and g.type == t):
                mapping[node].add(g.id)
    gold_att: dict[str, set[str]] = defaultdict(set)
    gold_date: dict[str, str] = {}
    for r in gold.relations:
        if r.predicate == "attended":
            for m in r.objects:
                gold_att[m] |= r.subjects
        elif r.predicate == "startDate":
            for m in r.subjects:
                gold_date[m] = r.objects[0]
    sys_att: dict[Node, set[Node]] = defaultdict(set)
    sys_date: dict[Node, str] = {}
    for s, p, o in view.relations:
        if p == "attended":
            sys_att[o].add(s)
        elif p == "startDate":
            sys_date[s] = str(o)[:10]
    meetings = [g.id for g in gold.entities.values() if g.type == "Meeting"]
    for node, t in view.types.items():
        if t != "Meeting" or mapping.get(node):
            continue
        attendees = set().union(*(mapping.get(a, set()) for a in sys_att.get(node, ())))
        best, best_score = None, 0.0
        for gm in meetings:
            shared = len(attendees & gold_att.get(gm, set()))
            same_date = node in sys_date and sys_date[node] == gold_date.get(gm)
            only_one = sum(1 for g in meetings if gold_date.get(g) == gold_date.get(gm)) == 1
            score = shared + (0.5 if same_date else 0.0)
            if (shared >= 2 or (same_date and only_one)) and score > best_score:
                best, best_score = gm, score
        if best:
            mapping[node].add(best)
    return mapping


def score_graph(graph: Graph, gold: Gold) -> DocScore:
    """Compare the graph of one article with its annotation."""
    view = _SystemView(graph)
    mapping = _align(view, gold)
    result = DocScore(gold.doc)

    def object_matches(o: Node, rel: GoldRelation) -> bool:
        if rel.predicate in _LITERAL:
            return isinstance(o, Literal) and any(_literal_match(str(o), g, rel.predicate) for g in rel.objects)
        return bool(mapping.get(o, set()) & set(rel.objects))

    matched: set[int] = set()
    for s, p, o in view.relations:
        hits = [i for i, r in enumerate(gold.relations)
                if r.predicate == p and mapping.get(s, set()) & r.subjects and object_matches(o, r)]
        if hits and all(gold.relations[i].optional for i in hits):
            continue
        counts = result.relations[p]
        counts.predicted += 1
        if hits:
            counts.correct += 1
            matched.update(hits)
        else:
            result.wrong.append(f"{view.show(s)} {p} {view.show(o)}")
    for i, r in enumerate(gold.relations):
        if r.optional:
            continue
        result.relations[r.predicate].expected += 1
        if i in matched:
            result.relations[r.predicate].found += 1
        else:
            result.missed.append(gold.describe(r))
    for g in gold.entities.values():
        if g.type in result.entities:
            result.entities[g.type].expected += 1
            if any(g.id in ids and view.types[n] == g.type for n, ids in mapping.items()):
                result.entities[g.type].found += 1
            else:
                result.missed.append(f"{g.type} {g.name}")
    for node, t in view.types.items():
        result.entities[t].predicted += 1
        if any(gold.entities[g].type == t for g in mapping.get(node, ())):
            result.entities[t].correct += 1
        else:
            result.wrong.append(f"{t} {view.show(node)}")
    return result


@dataclass
class EvalReport:
    docs: list[DocScore] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def relations(self) -> dict[str, Counts]:
        out = {p: _total(d.relations[p] for d in self.docs) for p in PREDICATES}
        return {**out, "ALL": _total(out.values())}

    def entities(self) -> dict[str, Counts]:
        out = {t: _total(d.entities[t] for d in self.docs) for t in ENTITY_TYPES}
        return {**out, "ALL": _total(out.values())}

    def to_json(self) -> str:
        def table(rows: dict[str, Counts]) -> dict[str, dict[str, float]]:
            return {k: dict(zip(("precision", "recall", "f1"), (round(x, 4) for x in c.prf()), strict=True))
                    for k, c in rows.items()}

        return json.dumps({"relations": table(self.relations()), "entities": table(self.entities()),
                           "documents": {d.doc: {"relation_f1": round(d.relation_f1(), 4), "missed": d.missed,
                                                 "wrong": d.wrong} for d in self.docs},
                           "errors": self.errors}, ensure_ascii=False, indent=1) + "\n"


def _gold_files(gold_dir: Path) -> Iterator[Path]:
    if gold_dir.is_file():
        yield gold_dir
    elif gold_dir.is_dir():
        yield from sorted(gold_dir.glob("*.json"))
    else:
        raise InputError(str(gold_dir), "no such annotation file or folder")


def evaluate(gold: str | Path | Sequence[str | Path], corpus_dir: str | Path) -> EvalReport:
    """Build every annotated article of ``corpus_dir`` on its own and score it against ``gold`` (annotation
    files or folders of them)."""
    from .build import build_graph

    corpus = Path(corpus_dir)
    if not corpus.is_dir():
        raise InputError(str(corpus), "the corpus folder does not exist")
    report = EvalReport()
    sources = [gold] if isinstance(gold, (str, Path)) else list(gold)
    for path in (p for source in sources for p in _gold_files(Path(source))):
        try:
            annotation = load_gold(path)
        except InputError as exc:
            report.errors.append(str(exc))
            continue
        article = corpus / annotation.doc
        if not article.is_file():
            report.errors.append(f"{path}: its article {annotation.doc!r} is not in {corpus}")
            continue
        graph, built = build_graph([article])
        if built.skipped:
            report.errors.append(f"{article}: not built ({built.skipped[0]['reason']})")
        report.docs.append(score_graph(graph, annotation))
    return report
