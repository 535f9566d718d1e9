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
from .pipeline import Pipeline
from .plugins import DEFAULT_EXPORTERS, load_exporter
from .rdf import Triple, doc_triples, to_dataset
from .stats import graph_stats
from .validate import set_aside, validate_graph

__all__ = ["BuildReport", "build", "build_graph", "sample_corpus"]


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
    load_lexicon()
    pipeline = Pipeline()
    report = BuildReport()
    items = list(read_articles(paths))
    per_article: dict[str, list[Triple]] = {}
    for n, item in enumerate(items, 1):
        if isinstance(item, Skipped):
            report.skipped.append({"source": item.source, "reason": item.reason})
        else:
            _one(item, pipeline, per_article, report)
        if on_article:
            on_article(n, len(items))
    ds = to_dataset(per_article.items())
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
    return ds, rejected, report


def build(paths: Sequence[str | Path] | None, out: str | Path, *, exporters: Iterable[str] = DEFAULT_EXPORTERS,
          on_article: Callable[[int, int], None] | None = None) -> BuildReport:
    """Read ``paths`` (the sample corpus when empty), extract, validate, and write the exports to ``out``."""
    out = Path(out)
    writers = [(name, load_exporter(name)) for name in exporters]
    ds, rejected, report = build_graph(paths or [sample_corpus()], on_article=on_article)
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


def _one(raw: RawArticle, pipeline: Pipeline, per_article: dict[str, list[Triple]], report: BuildReport) -> None:
    try:
        doc = pipeline(clean_article(raw))
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
