"""``build``: articles in, a validated, resolved graph and its exports out. Everything the CLI's build does.

Every build goes through a store (a temporary one unless ``store`` names a folder): articles are extracted,
validated in batches against the SHACL shapes and stored one graph each; then resolution runs over everything
the store holds and the exports are written from the resolved copy.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path

from rdflib import Dataset, Graph

from .errors import KgError
from .ingest import RawArticle, Skipped, clean_article, read_articles
from .io import write_text
from .lexicon import load_lexicon
from .model import content_hash
from .pipeline import Pipeline
from .plugins import DEFAULT_EXPORTERS, load_exporter
from .rdf import Triple, bind_prefixes, doc_triples, graph_iri, to_dataset
from .resolve import TEMPLATE, Resolution, resolve
from .stats import store_stats
from .store import Store
from .validate import set_aside, validate_graph

__all__ = ["BATCH", "BuildReport", "build", "build_graph", "export", "remove", "sample_corpus"]

BATCH = 100  # articles validated together: SHACL per batch keeps validation linear in the corpus
CORRECTIONS = "corrections.tsv"  # the user's resolution corrections, in a store's folder


@dataclass
class BuildReport:
    articles_read: int = 0
    skipped: list[dict[str, str]] = field(default_factory=list)
    entities: dict[str, int] = field(default_factory=dict)
    relations: dict[str, int] = field(default_factory=dict)
    conforms: bool = True
    violations: list[dict[str, object]] = field(default_factory=list)
    set_aside: int = 0
    files: list[str] = field(default_factory=list)
    store: str | None = None  # the persistent store, when one was used
    unchanged: int = 0  # articles already in the store with the same content
    removed: list[str] = field(default_factory=list)  # article ids removed from the store
    articles_in_store: int | None = None
    corrections: str | None = None  # the corrections file resolution read
    merged: dict[str, int] = field(default_factory=dict)  # entities made of several articles' identifiers
    kept_apart: int = 0
    memberships: int = 0
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def sample_corpus() -> Path:
    """The folder of the four bundled sample articles."""
    return Path(str(resources.files("kg").joinpath("data", "corpus")))


def build(paths: Sequence[str | Path] | None, out: str | Path, *, exporters: Iterable[str] = DEFAULT_EXPORTERS,
          on_article: Callable[[int, int], None] | None = None, store: str | Path | None = None,
          corrections: str | Path | None = None) -> BuildReport:
    """Read ``paths`` (the sample corpus when empty), extract, validate, resolve, and write the exports to
    ``out``. With ``store``, the articles are added to the persistent store there (unchanged ones skipped,
    changed ones replaced) and the exports cover everything it holds. ``corrections``: the resolution
    corrections file (default: ``corrections.tsv`` in the store's folder)."""
    with Store(store) as db:
        report = BuildReport(store=None if db.temporary else str(db.path))
        add_articles(db, paths or [sample_corpus()], report, on_article)
        return export(db, out, report, exporters=exporters, corrections=corrections)


def build_graph(paths: Sequence[str | Path], corrections: str | Path | None = None) -> tuple[Graph, BuildReport]:
    """Read, extract, validate and resolve ``paths``, writing nothing: the resolved graph (rdflib, for
    notebooks and scoring) and the report."""
    with Store() as db:
        report = BuildReport()
        add_articles(db, paths, report, None)
        with Store() as view:
            _resolved(db, view, report, corrections)
            return view.to_rdflib(), report


def remove(refs: Sequence[str], store: str | Path, out: str | Path, *,
           exporters: Iterable[str] = DEFAULT_EXPORTERS, corrections: str | Path | None = None) -> BuildReport:
    """Remove articles from the store — by article id, or by the file they were read from — and write the
    exports again. Facts that only those articles supported disappear; the rest stay."""
    with Store(store) as db:
        report = BuildReport(store=str(db.path))
        present = db.articles()
        for ref in refs:
            ids = [ref] if ref in present else _ids_of(ref, report)
            for doc_id in ids:
                if db.remove_article(doc_id):
                    report.removed.append(doc_id)
                else:
                    report.skipped.append({"source": ref, "reason": f"article {doc_id} is not in the store"})
        return export(db, out, report, exporters=exporters, corrections=corrections)


def add_articles(db: Store, paths: Sequence[str | Path], report: BuildReport,
                 on_article: Callable[[int, int], None] | None) -> None:
    """Extract the articles of ``paths`` that the store does not hold as they are, validate them in batches
    and store them. Unreadable articles are reported in ``report.skipped``; the rest go on."""
    load_lexicon()
    pipeline = Pipeline()
    known = db.articles()
    items = list(read_articles(paths))
    batch: dict[str, list[Triple]] = {}
    for n, item in enumerate(items, 1):
        if isinstance(item, Skipped):
            report.skipped.append({"source": item.source, "reason": item.reason})
        else:
            _extract(item, pipeline, batch, report, known)
        if len(batch) >= BATCH:
            _store_batch(db, batch, report)
            batch = {}
        if on_article:
            on_article(n, len(items))
    _store_batch(db, batch, report)
    db.flush()


def _extract(raw: RawArticle, pipeline: Pipeline, batch: dict[str, list[Triple]], report: BuildReport,
             known: dict[str, str]) -> None:
    try:
        doc = clean_article(raw)
        digest = content_hash(doc.text)
        if known.get(doc.id) == digest:
            report.unchanged += 1
            return
        if doc.id in batch or known.get(doc.id) == "this run":
            report.skipped.append({"source": raw.source, "reason": "the same article was read already"})
            return
        doc = pipeline(doc)
    except KgError as exc:
        report.skipped.append({"source": raw.source, "reason": str(exc)})
        return
    known[doc.id] = "this run"
    batch[doc.id] = list(doc_triples(doc))
    report.articles_read += 1


def _store_batch(db: Store, batch: dict[str, list[Triple]], report: BuildReport) -> None:
    """Validate a batch of articles, set aside what breaks a shape, and store each article's graphs."""
    if not batch:
        return
    ds = to_dataset(batch.items())
    conforms, violations = validate_graph(_union(ds))
    rejected = {}
    if violations:
        rejected = set_aside(ds, violations)
        report.set_aside += sum(len(ts) for ts in rejected.values())
        conforms, remaining = validate_graph(_union(ds))
        violations += remaining
    report.conforms = report.conforms and conforms
    report.violations += [{"node": v.focus, "path": v.path, "value": v.value, "rule": v.message,
                           "evidence": list(v.evidence), "triples": [list(t) for t in v.triples]}
                          for v in violations]
    for doc_id in sorted(batch):
        iri = graph_iri(doc_id)
        db.put_article(doc_id, ds.graph(iri), rejected.get(str(iri), []))  # type: ignore[arg-type]


def _union(ds: Dataset) -> Graph:
    g = Graph()
    for s, p, o, _c in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def _corrections(db: Store, corrections: str | Path | None) -> Path | None:
    """The corrections file: the one given, else the store's own (created with instructions on first use)."""
    if corrections is not None:
        return Path(corrections)
    if db.temporary:
        return None
    path = db.path / CORRECTIONS
    if not path.exists():
        write_text(path, TEMPLATE)
    return path


def _resolved(db: Store, view: Store, report: BuildReport, corrections: str | Path | None) -> Resolution:
    """Resolve the store into ``view``: the article graphs under resolved identifiers, their union, and the
    resolution's own graph; fill the report's counts."""
    path = _corrections(db, corrections)
    res = resolve(db, path)
    db.copy_resolved(view, res.shared, res.per_graph, res.labels, res.triples, res.graph)
    stats = store_stats(view)
    report.entities, report.relations = stats["entities"], stats["relations"]
    report.corrections = str(path) if path else None
    report.merged, report.kept_apart, report.memberships = res.merged, res.distinctions, res.memberships
    report.notes += res.notes
    return res


def export(db: Store, out: str | Path, report: BuildReport | None = None, *,
           exporters: Iterable[str] = DEFAULT_EXPORTERS, corrections: str | Path | None = None) -> BuildReport:
    """Resolve everything ``db`` holds and write the exports to ``out``, with report.json."""
    report = report or BuildReport(store=None if db.temporary else str(db.path))
    writers = [(name, load_exporter(name)) for name in exporters]
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with Store() as view:
        _resolved(db, view, report, corrections)
        report.articles_in_store = None if db.temporary else len(db.articles())
        for _name, writer in writers:
            report.files.extend(str(p) for p in writer(view, out))
    rejected = Graph()
    bind_prefixes(rejected)
    for t in db.rejected():
        rejected.add(t)
    rejected_path = out / "rejected.ttl"
    if len(rejected):
        report.files.append(str(write_text(rejected_path, rejected.serialize(format="turtle"))))
    elif rejected_path.exists():
        rejected_path.unlink()
    report.files.append(str(out / "report.json"))
    report.files = sorted(report.files)
    write_text(out / "report.json", report.to_json())
    return report


def _ids_of(ref: str, report: BuildReport) -> list[str]:
    if not Path(ref).exists():
        report.skipped.append({"source": ref, "reason": "neither an article id in the store nor a file"})
        return []
    ids = []
    for item in read_articles([ref]):
        if isinstance(item, Skipped):
            report.skipped.append({"source": item.source, "reason": item.reason})
        else:
            ids.append(clean_article(item).id)
    return ids
