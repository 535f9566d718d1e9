"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over a store or a graph file, with the named queries,
the HTML graph and a small query page.

    GET  /sparql?query=…                      POST /sparql (form: query=…, or body application/sparql-query)
    GET  /queries                             the named queries (JSON)
    GET  /queries/NAME?PARAM=VALUE…           a named query's answer
    GET  /                                    the query page         GET /graph.html   the graph to explore

Results are negotiated from Accept (or ``format=``): SPARQL JSON, XML, CSV, TSV for SELECT and ASK; Turtle,
JSON-LD, N-Triples, RDF/XML for CONSTRUCT and DESCRIBE. Updates are refused (403). Each query has a time limit
(503 when hit) and a row limit: a cut answer carries ``KG-Result-Truncated: true`` and a ``Warning`` header.
"""

from __future__ import annotations

import json
import re
import sys
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .errors import KgError, QueryError
from .queries import bind, named_queries, named_query
from .querypool import QueryPool, QueryTimeout
from .results import MEDIA_TYPES, RDF_MEDIA_TYPES, Answer, render

__all__ = ["make_server", "negotiate", "serve"]

# What each format answers to in Accept, the first one being what we send as Content-Type.
_RESULT_TYPES = {"json": (MEDIA_TYPES["json"], "application/json", "text/javascript", "application/javascript"),
                 "xml": (MEDIA_TYPES["xml"], "application/xml", "text/xml"),
                 "csv": (MEDIA_TYPES["csv"],), "tsv": (MEDIA_TYPES["tsv"],)}
_GRAPH_TYPES = {"turtle": (RDF_MEDIA_TYPES["turtle"], "application/turtle", "application/x-turtle"),
                "jsonld": (RDF_MEDIA_TYPES["jsonld"], "application/x-json+ld", "application/json"),
                "ntriples": (RDF_MEDIA_TYPES["ntriples"], "text/plain"),
                "rdfxml": (RDF_MEDIA_TYPES["rdfxml"], "application/xml", "text/xml")}
_FORMAT_NAMES = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "turtle": "turtle", "ttl": "turtle",
                 "json-ld": "jsonld", "jsonld": "jsonld", "nt": "ntriples", "ntriples": "ntriples",
                 "n-triples": "ntriples", "rdf+xml": "rdfxml", "rdfxml": "rdfxml"}
_UPDATE = re.compile(r"^\s*(?:(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s+<[^>]*>)\s*)*"
                     r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE)
_MAX_BODY = 1 << 20  # a query is text; a bigger body is not one
_PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'"


def _ranges(accept: str) -> list[tuple[str, float]]:
    out = []
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        out.append((fields[0].lower(), q))
    return out


def negotiate(accept: str | None, offered: dict[str, tuple[str, ...]]) -> str | None:
    """The format (a key of ``offered``) that Accept prefers, ties going to ``offered``'s order; the first one
    when Accept is absent; None when it accepts none of them."""
    if not accept or not accept.strip():
        return next(iter(offered))
    ranges = _ranges(accept)
    best, best_q = None, 0.0
    for name, types in offered.items():
        q = 0.0
        for media in types:
            major = media.split("/")[0]
            matches = [(3 if r == media else 2 if r == f"{major}/*" else 1, rq) for r, rq in ranges
                       if r in (media, f"{major}/*", "*/*")]
            if matches:
                q = max(q, max(matches)[1])
        if q > best_q:
            best, best_q = name, q
    return best


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # a burst of clients waits in the queue instead of being refused

    def handle_error(self, request: Any, client_address: Any) -> None:
        """One line in the log for a request that failed, not a traceback; the server goes on."""
        err = sys.exc_info()[1]
        if not isinstance(err, (ConnectionError, TimeoutError)):
            sys.stderr.write(f"kg serve: {client_address[0]}: request failed: {type(err).__name__}: {err}\n")

    def __init__(self, address: tuple[str, int], pool: QueryPool, out: Path | None, timeout: float,
                 max_rows: int, cors: str | None, quiet: bool) -> None:
        super().__init__(address, _Handler)
        self.pool, self.out, self.query_timeout, self.max_rows = pool, out, timeout, max_rows
        self.cors, self.quiet = cors, quiet


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "kg"

    # ---- plumbing

    def log_message(self, format: str, *args: Any) -> None:
        if not self.server.quiet:
            sys.stderr.write(f"kg serve: {self.address_string()} {format % args}\n")

    def _send(self, status: int, body: bytes | str, ctype: str, headers: dict[str, str] | None = None) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype if ctype.startswith("image/") else f"{ctype}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Content-Type-Options", "nosniff")
        if self.server.cors:
            self.send_header("Access-Control-Allow-Origin", self.server.cors)
            self.send_header("Access-Control-Expose-Headers", "KG-Result-Truncated, KG-Result-Limit, Warning")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _fail(self, status: HTTPStatus, message: str) -> None:
        self._send(status, message.rstrip("\n") + "\n", "text/plain")

    # ---- requests

    def do_OPTIONS(self) -> None:
        self.send_response(HTTPStatus.NO_CONTENT)
        if self.server.cors:
            self.send_header("Access-Control-Allow-Origin", self.server.cors)
            self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Accept, Content-Type")
        self.send_header("Allow", "GET, HEAD, POST, OPTIONS")
        self.end_headers()

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        if url.path == "/sparql":
            self._protocol(params)
        elif url.path in ("/", "/index.html"):
            self._static("query.html", "text/html")
        elif url.path == "/query.js":
            self._static("query.js", "text/javascript")
        elif url.path == "/graph.html":
            self._graph_page()
        elif url.path == "/queries":
            listing = [{"name": q.name, "description": q.description, "text": q.text,
                        "params": [{"name": p.name, "type": p.type, "description": p.description,
                                    "required": p.required, "default": p.default} for p in q.params]}
                       for q in named_queries().values()]
            self._send(HTTPStatus.OK, json.dumps(listing, ensure_ascii=False, indent=1), "application/json")
        elif url.path.startswith("/queries/"):
            try:
                query = named_query(url.path.removeprefix("/queries/"))
                text = bind(query, {k: v[-1] for k, v in params.items() if k not in ("format", "output")})
            except QueryError as exc:
                self._fail(HTTPStatus.NOT_FOUND if "no named query" in str(exc) else HTTPStatus.BAD_REQUEST,
                           str(exc))
                return
            self._answer(text, params)
        else:
            self._fail(HTTPStatus.NOT_FOUND, f"nothing at {url.path}; the SPARQL endpoint is /sparql")

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if url.path != "/sparql":
            self._fail(HTTPStatus.NOT_FOUND, f"nothing to POST to at {url.path}; the SPARQL endpoint is /sparql")
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True  # the body's end is unknown: nothing more can be read on this connection
            self._fail(HTTPStatus.BAD_REQUEST, f"Content-Length {self.headers.get('Content-Length')!r} is not a "
                       "length in bytes")
            return
        if length > _MAX_BODY:
            self.close_connection = True
            self._fail(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"a request body of {length:,} bytes; kg serve reads "
                       f"at most {_MAX_BODY:,} (send the query, not data)")
            return
        body = self.rfile.read(length).decode("utf-8", errors="replace") if length else ""
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = parse_qs(url.query, keep_blank_values=True)
        if ctype == "application/sparql-update":
            self._refuse_update()
            return
        if ctype == "application/sparql-query":
            params["query"] = [body]
        elif ctype in ("application/x-www-form-urlencoded", ""):
            for k, v in parse_qs(body, keep_blank_values=True).items():
                params.setdefault(k, []).extend(v)
        else:
            self._fail(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, f"cannot read a {ctype} body; send "
                       "application/x-www-form-urlencoded (query=…) or application/sparql-query")
            return
        self._protocol(params)

    def _refuse_update(self) -> None:
        self._fail(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL updates are refused "
                   "(change the graph with `kg build` / `kg remove`)")

    def _protocol(self, params: dict[str, list[str]]) -> None:
        if "update" in params:
            self._refuse_update()
            return
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            self._fail(HTTPStatus.BAD_REQUEST, "give exactly one SPARQL query (query=…); the query page is at /")
            return
        for unsupported in ("default-graph-uri", "named-graph-uri"):
            if params.get(unsupported):
                self._fail(HTTPStatus.BAD_REQUEST, f"{unsupported} is not supported: the default graph is the "
                           "whole resolved graph")
                return
        if _UPDATE.match(re.sub(r"(?m)^\s*#.*$", "", queries[0])):
            self._refuse_update()
            return
        self._answer(queries[0], params)

    def _answer(self, text: str, params: dict[str, list[str]]) -> None:
        asked = _FORMAT_NAMES.get((params.get("format") or params.get("output") or [""])[-1].lower())
        accept = self.headers.get("Accept")
        graph_format = asked if asked in _GRAPH_TYPES else negotiate(accept, _GRAPH_TYPES) or "turtle"
        try:
            answer = self.server.pool.run(text, timeout=self.server.query_timeout, limit=self.server.max_rows,
                                          graph_format=graph_format)
        except QueryTimeout as exc:
            self._fail(HTTPStatus.SERVICE_UNAVAILABLE, f"{exc} (kg serve --timeout)")
            return
        except QueryError as exc:
            self._fail(HTTPStatus.BAD_REQUEST, str(exc))
            return
        self._write_answer(answer, asked, accept)

    def _write_answer(self, answer: Answer, asked: str | None, accept: str | None) -> None:
        headers = {"KG-Result-Limit": str(self.server.max_rows), "Vary": "Accept"}
        if answer.truncated:
            headers["KG-Result-Truncated"] = "true"
            headers["Warning"] = (f'199 kg "answer cut at {answer.limit} '
                                  f'{"triples" if answer.kind == "graph" else "rows"} (kg serve --max-rows)"')
        if answer.kind == "graph":
            if negotiate(accept, _GRAPH_TYPES) is None and asked not in _GRAPH_TYPES:
                self._fail(HTTPStatus.NOT_ACCEPTABLE, "a CONSTRUCT or DESCRIBE answer is a graph: accept one of "
                           + ", ".join(t[0] for t in _GRAPH_TYPES.values()))
                return
            self._send(HTTPStatus.OK, answer.graph, _GRAPH_TYPES[answer.graph_format][0], headers)
            return
        fmt = asked if asked in _RESULT_TYPES else negotiate(accept, _RESULT_TYPES)
        if fmt is None:
            self._fail(HTTPStatus.NOT_ACCEPTABLE, "accept one of " + ", ".join(t[0] for t in _RESULT_TYPES.values()))
            return
        self._send(HTTPStatus.OK, render(answer, fmt), _RESULT_TYPES[fmt][0], headers)

    def _static(self, name: str, ctype: str) -> None:
        data = (resources.files("kg") / "templates" / name).read_bytes()
        self._send(HTTPStatus.OK, data, ctype, {"Content-Security-Policy": _PAGE_CSP})

    def _graph_page(self) -> None:
        page = self.server.out / "graph.html" if self.server.out else None
        if page is None or not page.is_file():
            self._fail(HTTPStatus.NOT_FOUND, f"no graph.html in {self.server.out} (write it with `kg build` or "
                       "`kg export`, or give kg serve --out)")
            return
        self._send(HTTPStatus.OK, page.read_bytes(), "text/html")


def make_server(source: str | Path, *, host: str = "127.0.0.1", port: int = 7878, out: str | Path | None = None,
                timeout: float = 30.0, max_rows: int = 10_000, workers: int = 2, cors: str | None = None,
                quiet: bool = False) -> _Server:
    """A server ready to ``serve_forever()``: query workers started on ``source`` (a store folder or a graph
    file), listening on ``host``:``port`` (port 0: any free one; see ``server_address``)."""
    pool = QueryPool(source, workers=workers)
    try:
        return _Server((host, port), pool, Path(out) if out else None, timeout, max_rows, cors, quiet)
    except OSError as exc:
        pool.close()
        raise KgError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc


def serve(source: str | Path, **options: Any) -> None:
    """Run the endpoint until interrupted."""
    server = make_server(source, **options)
    host, port = str(server.server_address[0]), server.server_address[1]
    print(f"kg serve: SPARQL endpoint http://{host}:{port}/sparql (query page http://{host}:{port}/); "
          "Ctrl-C stops it", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        server.pool.close()
