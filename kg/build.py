"""``build``: articles in, a validated, resolved graph and its exports out. Everything the CLI's build does.

Every build goes through a store (a temporary one unless ``store`` names a folder): articles are extracted,
validated in chunks against the SHACL shapes and stored one graph each; then resolution runs over everything
the store holds and the exports are written from the resolved copy.
"""

from __future__ import annotations

import gc
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph

from . import __version__
from .archive import FILE, Archive
from .errors import ExportError, InputError, StoreError
from .ingest import Skipped, clean_article, read_articles
from .io import write_text
from .lexicon import lexicon_files
from .plugins import DEFAULT_EXPORTERS, load_exporter
from .rdf import bind_prefixes
from .resolve import TEMPLATE, read_corrections, resolve
from .resolve.parts import resolve_parts
from .stats import store_stats
from .store import rdflib_term
from .storefiles import is_url
from .view import View, refresh
from .worker import Chunk, default_jobs, process_chunks

if TYPE_CHECKING:
    from .shared import Shared

__all__ = ["BuildReport", "build", "build_graph", "export_store", "publish", "remove", "sample_corpus",
           "store_report"]

CORRECTIONS = "corrections.tsv"  # the user's resolution corrections, in a store's folder
_DUMPS = ("turtle", "jsonld")  # exporters that are Oxigraph's own serializers


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
          on_article: Callable[[int, int | None], None] | None = None, store: str | Path | None = None,
          corrections: str | Path | None = None, jobs: int | None = None, cluster: str | None = None) -> BuildReport:
    """Read ``paths`` (the sample corpus when empty), extract, validate, resolve, and write the exports to
    ``out``. With ``store``, the articles are added to the persistent store there (unchanged ones skipped,
    changed ones replaced) and the exports cover everything it holds. ``corrections``: the resolution
    corrections file (default: ``corrections.tsv`` in the store's folder). ``jobs``: extraction processes
    (default: one per core when there are enough articles); ``cluster``: a Dask scheduler's address, or
    ``local:N``, to extract there instead (kg.cluster)."""
    out = _out_folder(out)
    with _opened(store, corrections) as (db, shared, corrections):
        report = BuildReport(store=_label(db, shared))
        add_articles(db, paths or [sample_corpus()], report, on_article, jobs, cluster)
        if report.skipped and not report.articles_read and not report.unchanged:
            # nothing could be read: say why, and leave the exports (and the store) as they were
            reasons = "; ".join(f"{s['source']}: {s['reason']}" for s in report.skipped[:5])
            more = f" (and {len(report.skipped) - 5} more)" if len(report.skipped) > 5 else ""
            raise InputError(", ".join(str(p) for p in paths or []) or "the inputs",
                             f"no article could be read, so nothing was written — {reasons}{more}")
        return export_store(db, out, report, exporters=exporters, corrections=corrections, shared=shared)


@contextmanager
def _opened(store: str | Path | None, corrections: str | Path | None, *, existing: bool = False
            ) -> Iterator[tuple[Archive, Shared | None, str | Path | None]]:
    """The store's articles: a folder's (``existing``: one that must be there already), a temporary one, or
    the replica of a server's (kg/shared.py), level with it and under its lock — with the corrections file
    to use (a server's replica keeps the server's, or takes the one given)."""
    if is_url(store):
        from .shared import open_shared

        with open_shared(str(store), corrections, _level, existing=existing) as (db, shared):
            yield db, shared, None
        return
    with Archive(_existing(store) if existing and store is not None else store) as db:
        yield db, None, corrections


def _level(db: Archive) -> None:
    """A replica's view refreshed after its articles were made the server's."""
    with _view(db) as view, gc_paused():
        _resolved(db, view, BuildReport(), None)


def _label(db: Archive, shared: Shared | None) -> str | None:
    """The store as a report names it: the server's URL, the folder, or none (a temporary store)."""
    return shared.url if shared else None if db.temporary else str(db.path)


def build_graph(paths: Sequence[str | Path], corrections: str | Path | None = None) -> tuple[Graph, BuildReport]:
    """Read, extract, validate and resolve ``paths``, writing nothing: the resolved graph (rdflib, for
    notebooks and scoring) and the report."""
    with Archive() as db, View() as view:
        report = BuildReport()
        add_articles(db, paths, report, None)
        _resolved(db, view, report, corrections)
        return view.to_rdflib(), report


def remove(refs: Sequence[str], store: str | Path, out: str | Path, *,
           exporters: Iterable[str] = DEFAULT_EXPORTERS, corrections: str | Path | None = None) -> BuildReport:
    """Remove articles from the store — by article id, or by the file they were read from — and write the
    exports again. Facts that only those articles supported disappear; the rest stay."""
    with _opened(store, corrections, existing=True) as (db, shared, corrections):
        report = BuildReport(store=_label(db, shared))
        present = db.articles()
        for ref in refs:
            ids = [ref] if ref in present else _ids_of(ref, report)
            for doc_id in ids:
                if db.remove_article(doc_id):
                    report.removed.append(doc_id)
                else:
                    report.skipped.append({"source": ref, "reason": f"article {doc_id} is not in the store"})
        return export_store(db, out, report, exporters=exporters, corrections=corrections, shared=shared)


@contextmanager
def _extracted(db: Archive, paths: Sequence[str | Path], jobs: int | None, cluster: str | None
               ) -> Iterator[Iterator[Chunk]]:
    """The chunks of ``paths`` extracted here (``jobs`` processes) or on the Dask cluster at ``cluster``."""
    if cluster is None:
        yield process_chunks(read_articles(paths), db.articles(), default_jobs() if jobs is None else jobs)
        return
    from .cluster import cluster_chunks, connect

    with connect(cluster) as client:
        yield cluster_chunks(read_articles(paths), db.articles(), client)


def add_articles(db: Archive, paths: Sequence[str | Path], report: BuildReport,
                 on_article: Callable[[int, int | None], None] | None, jobs: int | None = None,
                 cluster: str | None = None) -> None:
    """Extract the articles of ``paths`` that the store does not hold as they are, validate them in chunks
    (in ``jobs`` processes, default: one per core for big inputs; or on the Dask cluster at ``cluster``) and
    store them. Unreadable articles are reported in ``report.skipped``; the rest go on."""
    with _extracted(db, paths, jobs, cluster) as chunks:
        _store_chunks(db, chunks, report, on_article)


def _store_chunks(db: Archive, chunks: Iterator[Chunk], report: BuildReport,
                  on_article: Callable[[int, int | None], None] | None) -> None:
    seen: set[str] = set()
    done = 0
    for chunk in chunks:
        report.skipped += chunk.skipped
        report.unchanged += chunk.unchanged
        report.conforms = report.conforms and chunk.conforms
        report.violations += chunk.violations
        for doc_id, record in chunk.records.items():
            if doc_id in seen:
                report.skipped.append({"source": chunk.sources[doc_id], "reason": "the same article was read already"})
                continue
            seen.add(doc_id)
            report.set_aside += chunk.set_aside.get(doc_id, 0)
            db.put(record)
            report.articles_read += 1
        done += chunk.done
        if on_article:
            on_article(done, None)  # read as they come: how many there are is known at the end
    if on_article:
        on_article(done, done)
    db.flush()


def _corrections(db: Archive, corrections: str | Path | None) -> Path | None:
    """The corrections file: the one given, else the store's own (created with instructions on first use)."""
    if corrections is not None:
        return Path(corrections)
    if db.temporary:
        return None
    path = db.path / CORRECTIONS
    if not path.exists():
        write_text(path, TEMPLATE)
    return path


def _view(db: Archive) -> View:
    """The store's resolved view: kept beside a persistent store, temporary for a temporary one."""
    return View() if db.temporary else View(db.path / "view")


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cycle collector paused: resolution and the view's refresh make millions of small objects that
    live until they are done, and no cycles worth collecting; the collector, which runs every few hundred
    allocations over everything alive, took a third of an add's time at 50,000 articles. It runs again (and
    collects what there is) once they are done."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def gc_seldom() -> Iterator[None]:
    """Python's cycle collector run seldom, and over the objects made from here on only: the exporters make
    millions of objects, and some cycles that are soon garbage. At 10,000 articles graph.html took 123 s and
    1.59 GB with the collector paused, 147 s and 1.25 GB with it as usual, 113 s and 1.25 GB so."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(20_000, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def _resolved(db: Archive, view: View, report: BuildReport, corrections: str | Path | None,
              top: int | None = None) -> dict[str, Any]:
    """Resolve the store and bring its view up to date (the article graphs under resolved identifiers, their
    union, the resolution's own graph) — unless nothing resolution reads has changed since the view was last
    brought up to date; fill the report's counts and return the view's statistics."""
    path = _corrections(db, corrections)
    basis = _basis()
    fingerprint = _fingerprint(db, path, basis)
    outcome = view.outcome(fingerprint)
    if outcome is None:
        corrections_given, notes = read_corrections(path)
        if corrections_given or notes:  # the user's decisions may join any mentions: resolve the store whole
            res = resolve(db, path)
            view.forget_parts()
            refresh(db, view, res)
            outcome = {"merged": res.merged, "kept_apart": res.distinctions, "memberships": res.memberships,
                       "notes": res.notes}
        else:  # only what the articles added, removed or changed touch
            parts = resolve_parts(db, view.state, basis, fresh=view.incomplete())
            if not refresh(db, view, parts):
                parts = resolve_parts(db, view.state, basis, fresh=True)
                refresh(db, view, parts)
            outcome = {"merged": parts.merged, "kept_apart": parts.distinctions, "memberships": parts.memberships,
                       "notes": []}
        view.keep_outcome(fingerprint, outcome)
    else:
        view.reuse(db)
    if top is not None:  # kg stats: everything, from the union
        stats = store_stats(view.union, top)
        report.entities, report.relations = stats["entities"], stats["relations"]
    else:  # a build: the counts the view keeps (the whole union is not read again)
        report.entities, report.relations = view.counts()
        stats = {"entities": report.entities, "relations": report.relations}
    report.corrections = str(path) if path else None
    report.merged, report.kept_apart = dict(outcome["merged"]), int(outcome["kept_apart"])
    report.memberships = int(outcome["memberships"])
    report.notes += list(outcome["notes"])
    return stats


def _basis() -> str:
    """What resolution depends on besides the articles and the corrections: kg's version and the lexicon."""
    digest = hashlib.sha256(f"{__version__}\n".encode())
    for name, data in lexicon_files():
        digest.update(f"\n{name}\n".encode() + data)
    return digest.hexdigest()


def _fingerprint(db: Archive, corrections: Path | None, basis: str) -> str:
    """What resolution depends on, summed up: the articles (id and content), the corrections, and ``basis``
    (kg's version and the lexicon)."""
    digest = hashlib.sha256(f"{basis}\n".encode())
    for doc_id, content in db.articles().items():
        digest.update(f"{doc_id}\t{content}\n".encode())
    try:
        digest.update(b"corrections\n" + (corrections.read_bytes() if corrections and corrections.is_file() else b""))
    except OSError:
        digest.update(b"unreadable")  # resolution reports it; this outcome is not kept for long
    return digest.hexdigest()


def export_store(db: Archive | str | Path, out: str | Path, report: BuildReport | None = None, *,
                 exporters: Iterable[str] = DEFAULT_EXPORTERS, corrections: str | Path | None = None,
                 shared: Shared | None = None) -> BuildReport:
    """Resolve everything the store ``db`` holds (an Archive, its folder, or a server's URL) and write the
    exports to ``out``, with report.json: after editing the corrections file, this is all a store needs.
    ``shared``: the server ``db`` is the replica of, sent what resolution changed."""
    if not isinstance(db, Archive):
        with _opened(db, corrections, existing=True) as (opened, shared, corrections):
            return export_store(opened, out, report, exporters=exporters, corrections=corrections, shared=shared)
    report = report or BuildReport(store=_label(db, shared))
    writers = [(name, load_exporter(name)) for name in exporters]
    out = _out_folder(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot make the output folder {out}: {exc.strerror}") from exc
    with _view(db) as view:
        with gc_paused():
            _follow(view, shared)
            _resolved(db, view, report, corrections)
            _send(db, view, shared)
        report.articles_in_store = None if db.temporary else len(db.articles())
        # Oxigraph's dumps run outside the GIL, each in a thread of its own; the exporters written in Python
        # would only take turns with the GIL in threads, holding their graphs in memory together: they run one
        # after another, in one more thread
        dumps = [writer for name, writer in writers if name in _DUMPS]
        rest = [writer for name, writer in writers if name not in _DUMPS]
        with gc_seldom(), ThreadPoolExecutor(max_workers=len(dumps) + 1) as pool:
            for done in [pool.submit(writer, view, out) for writer in dumps] + [pool.submit(_in_turn, rest, view, out)]:
                report.files.extend(str(p) for p in done.result())
    rejected = Graph()
    bind_prefixes(rejected)
    for t in db.rejected():
        rejected.add((rdflib_term(t.subject), rdflib_term(t.predicate), rdflib_term(t.object)))
    rejected_path = out / "rejected.ttl"
    if len(rejected):
        report.files.append(str(write_text(rejected_path, rejected.serialize(format="turtle"))))
    elif rejected_path.exists():
        rejected_path.unlink()
    report.files.append(str(out / "report.json"))
    report.files = sorted(report.files)
    write_text(out / "report.json", report.to_json())
    return report


def _in_turn(writers: list[Callable[[View, Path], list[Path]]], view: View, out: Path) -> list[Path]:
    """Each exporter in turn; one that fails does not keep the others from writing (its error is raised
    once they have)."""
    files: list[Path] = []
    failed: BaseException | None = None
    for writer in writers:
        try:
            files += writer(view, out)
        except Exception as exc:  # (raised again below, once the other files are written)
            failed = failed or exc
    if failed is not None:
        raise failed
    return files


def publish(store: str | Path, url: str) -> int:
    """Send the store folder ``store`` to the SPARQL server's empty dataset at ``url`` (kg/shared.py): from
    then on, build into the server. The number of articles sent."""
    from .shared import publish as send

    def level(db: Archive, view: View) -> None:
        with gc_paused():
            _resolved(db, view, BuildReport(), None)

    return send(_existing(store), url, level, _basis())


def store_report(store: str | Path, corrections: str | Path | None = None, top: int = 10) -> dict[str, Any]:
    """What a store holds once resolved: articles, entities by class, relations by predicate, merges by rule,
    namesakes kept apart, memberships, and the entities the most articles mention."""
    with _opened(store, corrections, existing=True) as (db, shared, corrections), _view(db) as view, gc_paused():
        _follow(view, shared)
        stats = _resolved(db, view, BuildReport(), corrections, top)
        _send(db, view, shared)
        return stats


def _follow(view: View, shared: Shared | None) -> None:
    """A server's replica: its view's changes journalled, to be sent to the server."""
    if shared is not None:
        from .shared import Journal

        view.journal = Journal()


def _send(db: Archive, view: View, shared: Shared | None) -> None:
    if shared is not None:
        shared.push(db, view, view.journal, _basis())


def _out_folder(out: str | Path) -> Path:
    """The output folder, checked before any work: an existing file there is the user's, never replaced."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out}: a file, not a folder; --out names the folder the exports are written to")
    return out


def _existing(path: str | Path) -> Path:
    if not (Path(path) / FILE).is_file():
        raise StoreError(f"{path}: no kg store here (make one with `kg build PATH --store {path}`)")
    return Path(path)


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
