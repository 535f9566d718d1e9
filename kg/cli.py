"""The ``kg`` command: a thin shell over the library. Exit codes: 0 ok, 1 graph does not conform, 2 error."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .errors import EXIT_ERROR, EXIT_INVALID, EXIT_OK, KgError

__all__ = ["main"]


def _cmd_build(args: argparse.Namespace) -> int:
    from .build import build

    if sys.stderr.isatty() and not args.quiet:
        from rich.progress import Progress

        with Progress(transient=True) as progress:
            task = progress.add_task("reading articles", total=None)

            def tick(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            report = build(args.paths, args.out, on_article=tick)
    else:
        report = build(args.paths, args.out)
    _print_summary(report)
    return EXIT_OK


def _print_summary(report) -> None:  # type: ignore[no-untyped-def]
    from rich.console import Console

    con = Console(highlight=False)
    con.print(f"articles read: {report.articles_read}, skipped: {len(report.skipped)}")
    for s in report.skipped:
        con.print(f"  skipped {s['source']}: {s['reason']}", markup=False)
    con.print("entities: " + ", ".join(f"{k} {v}" for k, v in report.entities.items()))
    con.print("relations: " + ", ".join(f"{k} {v}" for k, v in report.relations.items()))
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
    from .query import format_result, load_graph, run_query

    text = args.query
    if text.startswith("@"):
        path = Path(text[1:])
        if not path.is_file():
            raise KgError(f"{path}: no such query file")
        text = path.read_text(encoding="utf-8")
    print(format_result(run_query(load_graph(args.graph), text), args.format))
    return EXIT_OK


def _cmd_stats(args: argparse.Namespace) -> int:
    from .query import load_graph
    from .stats import graph_stats

    stats = graph_stats(load_graph(args.graph))
    for section in ("entities", "relations"):
        print(f"{section}:")
        for k, v in stats[section].items():
            print(f"  {k:20s} {v}")
    return EXIT_OK


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
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    b.set_defaults(func=_cmd_build)
    v = sub.add_parser("validate", help="check a graph file against the SHACL shapes",
                       description="Exit 0 when the graph conforms, 1 when it does not, 2 on error.")
    v.add_argument("file")
    v.set_defaults(func=_cmd_validate)
    q = sub.add_parser("query", help="run a SPARQL query", description="Run SPARQL (inline, or @file.rq).")
    q.add_argument("query")
    q.add_argument("--graph", default="outputs/graph.ttl", help="graph file (default: outputs/graph.ttl)")
    q.add_argument("--format", choices=("table", "csv", "tsv", "json"), default="table")
    q.set_defaults(func=_cmd_query)
    s = sub.add_parser("stats", help="count entities and relations in a graph")
    s.add_argument("--graph", default="outputs/graph.ttl")
    s.set_defaults(func=_cmd_stats)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        code: int = args.func(args)
        return code
    except KgError as exc:
        print(f"kg: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("kg: interrupted", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
