"""``build``: articles in, a validated graph and its exports out. Everything the CLI's build does."""

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
from .rdf import Triple, doc_triples, to_dataset
from .stats import graph_stats
from .store import Store
from .validate import set_aside, validate_graph

__all__ = ["BuildReport", "build", "build_graph", "remove", "sample_corpus"]


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

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def sample_corpus() -> Path:
    """The folder of the four bundled sample articles."""
    return Path(str(resources.files("kg").joinpath("data", "corpus")))


def build_graph(paths: Sequence[str | Path], *, on_article: Callable[[int, int], None] | None = None,
                ) -> tuple[Dataset, Graph | None, BuildReport]:
    """Read and extract ``paths`` and validate the result, writing nothing.

    Returns the dataset (one named graph per article, violating triples already set aside), the set-aside
    triples (or None) and the report without its file list.
    """
    report = BuildReport()
    per_article = _extract(paths, report, on_article)
    ds, rejected = _validated(to_dataset(per_article.items()), report)
    return ds, rejected, report


def _extract(paths: Sequence[str | Path], report: BuildReport, on_article: Callable[[int, int], None] | None,
             known: dict[str, str] | None = None) -> dict[str, list[Triple]]:
    """Each article's triples by article id; articles whose id and content hash are in ``known`` are skipped
    as unchanged."""
    load_lexicon()
    pipeline = Pipeline()
    items = list(read_articles(paths))
    per_article: dict[str, list[Triple]] = {}
    for n, item in enumerate(items, 1):
        if isinstance(item, Skipped):
            report.skipped.append({"source": item.source, "reason": item.reason})
        else:
            _one(item, pipeline, per_article, report, known or {})
        if on_article:
            on_article(n, len(items))
    return per_article


def _validated(ds: Dataset, report: BuildReport) -> tuple[Dataset, Graph | None]:
    """Validate, set violating triples aside, and fill the report's counts."""
    report.conforms, violations = _validate(ds)
    rejected = None
    if violations:
        rejected = set_aside(ds, violations)
        report.set_aside = len(rejected)
        report.conforms, remaining = _validate(ds)
        violations += remaining
    report.violations = [{"node": v.focus, "path": v.path, "value": v.value, "rule": v.message,
                          "evidence": list(v.evidence), "triples": [list(t) for t in v.triples]} for v in violations]
    stats = graph_stats(ds)
    report.entities, report.relations = stats["entities"], stats["relations"]
    return ds, rejected


def build(paths: Sequence[str | Path] | None, out: str | Path, *, exporters: Iterable[str] = DEFAULT_EXPORTERS,
          on_article: Callable[[int, int], None] | None = None, store: str | Path | None = None) -> BuildReport:
    """Read ``paths`` (the sample corpus when empty), extract, validate, and write the exports to ``out``.

    With ``store``, the articles are added to the persistent store there (unchanged ones are skipped, changed
    ones replaced) and the exports are made from everything the store holds.
    """
    paths = paths or [sample_corpus()]
    if store is None:
        ds, rejected, report = build_graph(paths, on_article=on_article)
        return _export(ds, rejected, report, out, exporters)
    db = Store(store)
    report = BuildReport(store=str(db.path))
    for doc_id, triples in _extract(paths, report, on_article, known=db.articles()).items():
        db.put_article(doc_id, triples)
    return _export_store(db, report, out, exporters)


def remove(refs: Sequence[str], store: str | Path, out: str | Path, *,
           exporters: Iterable[str] = DEFAULT_EXPORTERS) -> BuildReport:
    """Remove articles from the store — by article id, or by the file they were read from — and write the
    exports again. Facts that only those articles supported disappear; the rest stay."""
    db = Store(store)
    report = BuildReport(store=str(db.path))
    present = db.articles()
    for ref in refs:
        ids = [ref] if ref in present else _ids_of(ref, report)
        for doc_id in ids:
            if db.remove_article(doc_id):
                report.removed.append(doc_id)
            else:
                report.skipped.append({"source": ref, "reason": f"article {doc_id} is not in the store"})
    return _export_store(db, report, out, exporters)


def _export_store(db: Store, report: BuildReport, out: str | Path, exporters: Iterable[str]) -> BuildReport:
    """Validate everything the store holds and write the exports from it."""
    db.flush()
    ds, rejected = _validated(db.dataset(), report)
    report.articles_in_store = len(db.articles())
    return _export(ds, rejected, report, out, exporters)


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


def _export(ds: Dataset, rejected: Graph | None, report: BuildReport, out: str | Path,
            exporters: Iterable[str]) -> BuildReport:
    out = Path(out)
    writers = [(name, load_exporter(name)) for name in exporters]
    out.mkdir(parents=True, exist_ok=True)
    for _name, writer in writers:
        report.files.extend(str(p) for p in writer(ds, out))
    rejected_path = out / "rejected.ttl"
    if rejected is not None and len(rejected):
        report.files.append(str(write_text(rejected_path, rejected.serialize(format="turtle"))))
    elif rejected_path.exists():
        rejected_path.unlink()
    report.files.append(str(out / "report.json"))
    report.files = sorted(report.files)
    write_text(out / "report.json", report.to_json())
    return report


def _one(raw: RawArticle, pipeline: Pipeline, per_article: dict[str, list[Triple]], report: BuildReport,
         known: dict[str, str]) -> None:
    try:
        doc = clean_article(raw)
        if known.get(doc.id) == content_hash(doc.text):
            report.unchanged += 1
            return
        doc = pipeline(doc)
    except KgError as exc:
        report.skipped.append({"source": raw.source, "reason": str(exc)})
        return
    if doc.id in per_article:
        report.skipped.append({"source": raw.source, "reason": "the same article was read already"})
        return
    per_article[doc.id] = list(doc_triples(doc))
    report.articles_read += 1


def _validate(ds: Dataset) -> tuple[bool, list]:  # type: ignore[type-arg]
    from .export.rdf_files import union

    return validate_graph(union(ds))
