"""The ``kg`` command: a thin shell over the library. Exit codes: 0 ok, 1 graph does not conform, 2 error."""

from __future__ import annotations

import argparse
import os
import signal
import sqlite3
import sys
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from . import __version__
from .errors import EXIT_ERROR, EXIT_INVALID, EXIT_OK, KgError

if TYPE_CHECKING:
    from .build import BuildReport
    from .evaluate import EvalReport

__all__ = ["main"]


def _exporters(text: str) -> tuple[str, ...]:
    """``all``, ``none`` or a comma-separated list of exporter names (each checked: a typo lists the known)."""
    from .plugins import DEFAULT_EXPORTERS, load_exporter

    if text == "all":
        return DEFAULT_EXPORTERS
    names = tuple(n.strip() for n in text.split(",") if n.strip() and n.strip() != "none")
    for name in names:
        load_exporter(name)
    return names


def _cmd_build(args: argparse.Namespace) -> int:
    from .build import build

    if sys.stderr.isatty() and not args.quiet:
        from rich.progress import Progress

        with Progress(transient=True) as progress:
            task = progress.add_task("reading articles", total=None)

            def tick(done: int, total: int | None) -> None:
                progress.update(task, completed=done, total=total)

            report = build(args.paths, args.out, on_article=tick, store=args.store, corrections=args.corrections,
                           jobs=args.jobs, cluster=args.cluster, exporters=_exporters(args.export))
    else:
        report = build(args.paths, args.out, store=args.store, corrections=args.corrections, jobs=args.jobs,
                       cluster=args.cluster, exporters=_exporters(args.export))
    _print_summary(report)
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    from .build import export_store

    _print_summary(export_store(args.store, args.out, corrections=args.corrections, exporters=_exporters(args.export)))
    return EXIT_OK


def _cmd_remove(args: argparse.Namespace) -> int:
    from .build import remove

    report = remove(args.refs, args.store, args.out, corrections=args.corrections, exporters=_exporters(args.export))
    _print_summary(report)
    return EXIT_OK if report.removed else EXIT_ERROR


def _cmd_publish(args: argparse.Namespace) -> int:
    from .build import publish

    n = publish(args.folder, args.store)
    print(f"sent {n} articles and their resolved graph from {args.folder} to {args.store}")
    return EXIT_OK


def _print_summary(report: BuildReport) -> None:
    from rich.console import Console

    con = Console(highlight=False)
    con.print(f"articles read: {report.articles_read}, skipped: {len(report.skipped)}")
    for s in report.skipped:
        con.print(f"  skipped {s['source']}: {s['reason']}", markup=False)
    if report.store:
        con.print(f"store {report.store}: {report.articles_in_store} articles; {report.unchanged} unchanged, "
                  f"{len(report.removed)} removed this run", markup=False)
    con.print("entities: " + ", ".join(f"{k} {v}" for k, v in report.entities.items()))
    con.print("relations: " + ", ".join(f"{k} {v}" for k, v in report.relations.items()))
    merged = ", ".join(f"{k} {v}" for k, v in sorted(report.merged.items())) or "none"
    con.print(f"resolution: entities merged across articles: {merged}; namesakes kept apart: {report.kept_apart}; "
              f"memberships: {report.memberships}", markup=False)
    if report.corrections:
        con.print(f"  corrections (edit, then `kg export`): {report.corrections}", markup=False)
    for note in report.notes:
        con.print(f"  {note}", markup=False)
    if report.violations:
        con.print(f"validation: {len(report.violations)} violation(s); {report.set_aside} triple(s) set aside "
                  "in rejected.ttl")
        for v in report.violations[:10]:
            con.print(f"  {v['node']} {v['path'] or ''}: {v['rule']}", markup=False)
    con.print(f"validation: the graph {'conforms' if report.conforms else 'does NOT conform'} to the shapes")
    con.print("files written:")
    for f in report.files:
        con.print(f"  {f}", markup=False)


def _cmd_validate(args: argparse.Namespace) -> int:
    from .query import load_graph
    from .validate import validate_graph

    conforms, violations = validate_graph(load_graph(args.file))
    for v in violations:
        print(v.describe())
    print(f"{args.file}: {'conforms' if conforms else f'does not conform ({len(violations)} violations)'}")
    return EXIT_OK if conforms else EXIT_INVALID


def _cmd_query(args: argparse.Namespace) -> int:
    from .queries import named_queries, query_text
    from .query import format_result, run_query

    if args.list or not args.query:
        for q in named_queries().values():
            print(f"{q.usage()}\n    {q.description}")
            for p in q.params:
                extra = "" if p.required else (f", default {p.default}" if p.default else ", optional")
                print(f"    {p.name} ({p.type}{extra}): {p.description}")
        return EXIT_OK
    params: dict[str, str] = {}
    for item in args.param:
        name, sep, value = item.partition("=")
        if not sep:
            raise KgError(f"--param {item!r}: write NAME=VALUE")
        params[name.strip()] = value
    answer = run_query(args.store or args.graph, query_text(args.query, params), limit=args.limit,
                       graph_format=args.rdf_format)
    text = format_result(answer, args.format, full=args.full)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"kg serve: listening on {args.host}: anyone who can reach it can read the graph", file=sys.stderr)
    serve(args.store or args.graph, host=args.host, port=args.port, out=args.out, timeout=args.timeout,
          max_rows=args.max_rows, workers=args.workers, cors=args.cors, quiet=args.quiet)
    return EXIT_OK


def _cmd_neo4j_load(args: argparse.Namespace) -> int:
    from .neo4jdb import load_neo4j

    password = args.password if args.password is not None else os.environ.get("NEO4J_PASSWORD")
    if password is None:
        raise KgError("give the Neo4j password with --password or the environment variable NEO4J_PASSWORD")
    options = {"database": args.database, "batch": args.batch, "prune": args.prune}
    source = args.store or args.graph
    if sys.stderr.isatty() and not args.quiet:
        from rich.progress import Progress

        with Progress(transient=True) as progress:
            task = progress.add_task("loading into Neo4j", total=None)
            report = load_neo4j(source, args.uri, args.user, password,
                                on_progress=lambda done, total: progress.update(task, completed=done, total=total),
                                **options)
    else:
        report = load_neo4j(source, args.uri, args.user, password, **options)
    print(f"loaded into {report.uri} in {report.seconds:.1f} s: {report.nodes} nodes, "
          f"{report.relationships} relationships (MERGE: what was there already is unchanged)")
    print("  nodes: " + ", ".join(f"{k} {v}" for k, v in sorted(report.labels.items())))
    print("  relationships: " + ", ".join(f"{k} {v}" for k, v in sorted(report.types.items())))
    if args.prune:
        print(f"  pruned (no longer in the graph): {report.pruned_nodes} nodes, "
              f"{report.pruned_relationships} relationships")
    return EXIT_OK


def _cmd_stats(args: argparse.Namespace) -> int:
    import json

    if args.store:
        from .build import store_report

        stats = store_report(args.store, corrections=args.corrections, top=args.top)
    else:
        from .stats import file_stats

        stats = file_stats(args.graph, top=args.top)
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=1, sort_keys=True))
        return EXIT_OK
    print(f"articles: {stats['articles']}")
    for section in ("entities", "relations", "merges"):
        print(f"{section}:" + ("" if stats[section] else " none"))
        for k, v in stats[section].items():
            print(f"  {k:20s} {v}")
    print(f"namesakes kept apart: {stats['kept_apart']}")
    print(f"memberships: {stats['memberships']}")
    print("mentioned by the most articles:")
    for row in stats["most_mentioned"]:
        print(f"  {row['articles']:5d}  {row['label']}  <{row['entity']}>")
    return EXIT_OK


def _cmd_analyze(args: argparse.Namespace) -> int:
    from .analyze import analyze, format_rows

    notes: list[str] = []
    rows = analyze(args.store or args.graph, args.analysis, names=args.names, depth=args.depth,
                   classes=[c.strip() for c in (args.classes or "").split(",") if c.strip()], sample=args.sample,
                   top=args.top, largest=args.largest, notes=notes)
    for note in notes:
        print(f"kg: {note}", file=sys.stderr)
    if args.html:
        from .export.neighbourhood import write_neighbourhood

        if args.analysis not in ("neighbours", "path"):
            raise KgError("--html draws the entities of `neighbours` or `path`")
        print(f"wrote {write_neighbourhood(args.store or args.graph, rows, args.html)}", file=sys.stderr)
    text = format_rows(rows, args.format, full=args.full)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return EXIT_OK


def _cmd_eval(args: argparse.Namespace) -> int:
    from .evaluate import evaluate

    report = evaluate(args.gold, args.corpus)
    if args.json:
        print(report.to_json(), end="")
    else:
        _print_eval(report, show_wrong=args.wrong)
    for err in report.errors:
        print(f"kg: {err}", file=sys.stderr)
    if not report.docs:
        raise KgError(f"{' '.join(args.gold)}: no annotated article could be scored")
    f1 = report.relations()["ALL"].prf()[2]
    if args.fail_under is not None and f1 < args.fail_under:
        print(f"kg: relation F1 {f1:.3f} is below --fail-under {args.fail_under}", file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


def _print_eval(report: EvalReport, show_wrong: bool) -> None:
    for title, rows in (("relations", report.relations()), ("entities", report.entities())):
        print(f"{title:14s} {'P':>6s} {'R':>6s} {'F1':>6s} {'gold':>6s} {'ours':>6s}")
        for name, c in rows.items():
            p, r, f = c.prf()
            print(f"  {name:12s} {p:6.3f} {r:6.3f} {f:6.3f} {c.expected:6d} {c.predicted:6d}")
    print("articles (relation F1):")
    for d in report.docs:
        print(f"  {d.doc:40s} {d.relation_f1():.3f}")
    for d in report.docs:
        for m in d.missed:
            print(f"missed  {d.doc}: {m}")
        if show_wrong:
            for w in d.wrong:
                print(f"wrong   {d.doc}: {w}")


def _store_outputs(p: argparse.ArgumentParser) -> None:
    """The options of the commands that resolve a store and write its exports."""
    p.add_argument("--store", required=True, metavar="DIR|URL", help="a store's folder, or the URL of a SPARQL "
                   "server's dataset kg builds into (http://HOST:3030/DATASET; credentials in KG_STORE_USER and "
                   "KG_STORE_PASSWORD)")
    p.add_argument("--out", default="outputs", help="output folder (default: outputs)")
    p.add_argument("--export", default="all", metavar="LIST", help="which files to write: all (default), none, "
                   "or a comma-separated list of turtle, jsonld, trig, html, neo4j")
    p.add_argument("--corrections", metavar="FILE", help="default: DIR/corrections.tsv")


def _source_options(p: argparse.ArgumentParser) -> None:
    """What a command reads: a store, or a graph file."""
    src = p.add_mutually_exclusive_group()
    src.add_argument("--store", metavar="DIR|URL", help="a store made by `kg build --store DIR`, or the URL of "
                     "a SPARQL server's dataset kg builds into")
    src.add_argument("--graph", default="outputs/graph.ttl", help="a graph file (default: outputs/graph.ttl)")


def _analyze_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from .analyze import ANALYSES

    a = sub.add_parser("analyze", help="network measures: centrality, communities, who met whom, paths",
                       description="Network analysis of a store or a graph file (networkx): "
                                   + "; ".join(f"{k}: {v[0]}" for k, v in ANALYSES.items())
                                   + ". Entities are named by their name, an alias or an IRI.")
    a.add_argument("analysis", choices=tuple(ANALYSES), metavar="ANALYSIS", help=", ".join(ANALYSES))
    a.add_argument("names", nargs="*", metavar="ENTITY", help="neighbours: one entity; path: two")
    _source_options(a)
    a.add_argument("--format", choices=("table", "csv", "json"), default="table", help="default: table")
    a.add_argument("--depth", type=int, default=1, metavar="N", help="neighbours: steps from the entity (default 1)")
    a.add_argument("--class", dest="classes", metavar="LIST", help="actor classes of centrality and pairs, "
                   "comma-separated (default: people and every kind of organisation)")
    a.add_argument("--sample", type=int, metavar="K", help="betweenness from K sources (default: exact up to "
                   "5,000 nodes, else 64)")
    a.add_argument("--top", type=int, metavar="N", help="at most N rows")
    a.add_argument("--largest", type=int, metavar="N", help="coattendance, codemand: meetings and "
                   "policies with more than N members are not paired (default 100)")
    a.add_argument("--full", action="store_true", help="in a table, show long values whole")
    a.add_argument("--html", metavar="FILE", help="neighbours, path: also draw the entities as an HTML page")
    a.set_defaults(func=_cmd_analyze)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kg", description="Korean news in, a knowledge graph out.")
    p.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build a graph from articles",
                       description="Read articles (.txt, .html, .jsonl; files, folders, globs) and write "
                                   "graph.ttl, graph.jsonld, graph.trig, graph.html, neo4j/ and report.json. "
                                   "With no PATH, builds the bundled sample corpus.")
    b.add_argument("paths", nargs="*", metavar="PATH")
    b.add_argument("--out", default="outputs", help="output folder (default: outputs)")
    b.add_argument("--export", default="all", metavar="LIST", help="which files to write: all (default), none, "
                   "or a comma-separated list of turtle, jsonld, trig, html, neo4j")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    b.add_argument("--store", metavar="DIR|URL", help="keep the graph in a persistent store in DIR, or in the "
                   "dataset of a SPARQL server (http://HOST:3030/DATASET, e.g. Apache Jena Fuseki; credentials in "
                   "KG_STORE_USER and KG_STORE_PASSWORD), and add to it: articles already there unchanged are "
                   "skipped; the exports cover the whole store")
    b.add_argument("--corrections", metavar="FILE", help="resolution corrections (same / apart lines; default: "
                   "DIR/corrections.tsv of the store)")
    where = b.add_mutually_exclusive_group()  # extraction here, or on a cluster
    where.add_argument("--jobs", type=int, metavar="N", help="extraction processes (default: one per core when there "
                   "are a few hundred articles or more)")
    where.add_argument("--cluster", metavar="ADDRESS", help="extract on a Dask cluster instead: its scheduler's "
                   "address (tcp://HOST:8786), or local:N for N worker processes started here")
    b.set_defaults(func=_cmd_build)
    x = sub.add_parser("export", help="resolve a store again and write its exports",
                       description="Resolve everything the store holds, with its corrections file, and write "
                                   "the exports: what to run after editing DIR/corrections.tsv.")
    _store_outputs(x)
    x.set_defaults(func=_cmd_export)
    r = sub.add_parser("remove", help="remove articles from a store",
                       description="Remove articles (by article id, or by the file they came from) from the "
                                   "store, then write the exports again. Facts only they supported disappear.")
    r.add_argument("refs", nargs="+", metavar="ARTICLE")
    _store_outputs(r)
    r.set_defaults(func=_cmd_remove)
    pub = sub.add_parser("publish", help="send a store folder to a SPARQL server, to share it",
                         description="Send the store in FOLDER (its articles' records and its resolved graph) to "
                                     "an empty dataset of a SPARQL server; from then on, build into the server "
                                     "with --store URL. Credentials in KG_STORE_USER and KG_STORE_PASSWORD.")
    pub.add_argument("folder", metavar="FOLDER")
    pub.add_argument("--store", required=True, metavar="URL", help="the dataset: http://HOST:3030/DATASET")
    pub.set_defaults(func=_cmd_publish)
    v = sub.add_parser("validate", help="check a graph file against the SHACL shapes",
                       description="Exit 0 when the graph conforms, 1 when it does not, 2 on error.")
    v.add_argument("file")
    v.set_defaults(func=_cmd_validate)
    q = sub.add_parser("query", help="ask the graph: SPARQL, a query file, or a named question",
                       description="Run SPARQL given inline, from a file (@FILE.rq), or by name from the library "
                                   "of named queries (`kg query --list`), on a store or a graph file. kg's prefixes "
                                   "(kg:, rdfs:, person:, ...) need no PREFIX line.")
    q.add_argument("query", nargs="?", metavar="QUERY", help="SPARQL text, @FILE.rq, or a named query")
    q.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="a parameter of a named query (repeat for several)")
    _source_options(q)
    q.add_argument("--format", choices=("table", "csv", "tsv", "json", "xml"), default="table",
                   help="table (default; long values cut), or a SPARQL 1.1 results format")
    q.add_argument("--rdf-format", choices=("turtle", "jsonld", "ntriples", "rdfxml"), default="turtle",
                   help="how CONSTRUCT and DESCRIBE answers are written (default: turtle)")
    q.add_argument("--limit", type=int, metavar="N", help="keep at most N rows (the answer says when cut)")
    q.add_argument("--full", action="store_true", help="in a table, show long values whole")
    q.add_argument("--list", action="store_true", help="list the named queries and their parameters")
    q.set_defaults(func=_cmd_query)
    w = sub.add_parser("serve", help="a read-only SPARQL endpoint, the named queries and the HTML graph",
                       description="Serve the graph over the SPARQL 1.1 Protocol at /sparql (GET and POST; JSON, "
                                   "XML, CSV, TSV results; Turtle, JSON-LD, N-Triples, RDF/XML graphs), the named "
                                   "queries at /queries, a query page at / and graph.html. Read-only; bound to "
                                   "127.0.0.1 unless --host says otherwise. Do not build into a store while "
                                   "serving it.")
    _source_options(w)
    w.add_argument("--out", default="outputs", help="where graph.html is (default: outputs)")
    w.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    w.add_argument("--port", type=int, default=7878, help="port (default: 7878; 0 picks a free one)")
    w.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS", help="time limit of a query "
                   "(default: 30); a query that runs longer is stopped and answered 503")
    w.add_argument("--max-rows", type=int, default=10_000, metavar="N", help="rows (or triples) an answer keeps "
                   "at most (default: 10000); a cut answer says so in its KG-Result-Truncated header")
    w.add_argument("--workers", type=int, default=2, metavar="N", help="queries answered at once (default: 2)")
    w.add_argument("--cors", metavar="ORIGIN", help="let web pages from ORIGIN (or *) query the endpoint")
    w.add_argument("--quiet", action="store_true", help="do not log requests")
    w.set_defaults(func=_cmd_serve)
    n4 = sub.add_parser("neo4j", help="load the graph into a running Neo4j",
                        description="Neo4j: `kg neo4j load` writes the graph into a running database with the "
                                    "official driver (the files for offline import are in OUT/neo4j/).")
    n4sub = n4.add_subparsers(dest="neo4j_command", required=True)
    ld = n4sub.add_parser("load", help="write the graph into a running Neo4j (idempotent)",
                          description="Constraints first, then batched UNWIND … MERGE with parameters: loading "
                                      "twice changes nothing; loading a bigger graph later adds to it.")
    _source_options(ld)
    ld.add_argument("--uri", default=os.environ.get("NEO4J_URI", "bolt://localhost:7687"),
                    help="Bolt address (default: $NEO4J_URI or bolt://localhost:7687)")
    ld.add_argument("--user", default=os.environ.get("NEO4J_USER", "neo4j"), help="default: $NEO4J_USER or neo4j")
    ld.add_argument("--password", help="default: the environment variable NEO4J_PASSWORD")
    ld.add_argument("--database", help="the database (default: the server's default)")
    ld.add_argument("--batch", type=int, default=2000, metavar="N", help="rows per transaction (default 2000)")
    ld.add_argument("--prune", action="store_true", help="also delete kg's nodes and relationships the graph no "
                    "longer has (after `kg remove`), so that Neo4j mirrors it")
    ld.add_argument("--quiet", action="store_true", help="no progress bar")
    ld.set_defaults(func=_cmd_neo4j_load)
    s = sub.add_parser("stats", help="what a store or a graph holds",
                       description="Articles, entities by class, relations by predicate, merges by rule, namesakes "
                                   "kept apart, memberships, and the entities the most articles mention.")
    _source_options(s)
    s.add_argument("--corrections", metavar="FILE", help="with --store; default: DIR/corrections.tsv")
    s.add_argument("--top", type=int, default=10, metavar="N", help="how many most-mentioned entities (default 10)")
    s.add_argument("--json", action="store_true", help="print the figures as JSON")
    s.set_defaults(func=_cmd_stats)
    _analyze_parser(sub)
    e = sub.add_parser("eval", help="score extraction against hand annotations",
                       description="Build each annotated article of --corpus on its own and compare it with its "
                                   "annotation in GOLD (.json files or folders of them; format in the README). "
                                   "Prints precision, recall and F1 per relation and entity type, then the misses.")
    e.add_argument("gold", metavar="GOLD", nargs="+")
    e.add_argument("--corpus", required=True, help="folder holding the annotated articles")
    e.add_argument("--wrong", action="store_true", help="also list extracted facts the annotation does not have")
    e.add_argument("--json", action="store_true", help="print the scores, misses and errors as JSON")
    e.add_argument("--fail-under", type=float, metavar="F1", help="exit 1 when relation F1 is below this")
    e.set_defaults(func=_cmd_eval)
    return p


class _Terminated(BaseException):
    """SIGTERM, raised where the program is, so that every ``with`` block cleans up on the way out."""


def _terminate(signum: int, frame: object) -> None:
    raise _Terminated


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if in_main else None
    try:
        code: int = args.func(args)
        return code
    except KgError as exc:
        print(f"kg: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except sqlite3.DatabaseError as exc:  # a store's records damaged on disk (or the disk full) as they are read
        print(f"kg: error: the store's records cannot be read ({exc}); build the store again into a new folder",
              file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("kg: interrupted; files not finished were not written", file=sys.stderr)
        return EXIT_ERROR
    except _Terminated:
        print("kg: stopped (SIGTERM); files not finished were not written", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # "kg eval ... | head": the reader left; not an error
        sys.stderr.close()
        return EXIT_OK
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
