"""A SPARQL 1.1 server as kg's store: the HTTP side (the only module that imports urllib3).

``--store`` takes the URL of a dataset on a server that speaks SPARQL 1.1 Query, Update and the Graph Store
Protocol — Apache Jena Fuseki is the reference: ``http://HOST:3030/DATASET``, whose services are
``DATASET/query``, ``DATASET/update`` and ``DATASET/data``. Credentials come from the environment
(``KG_STORE_USER`` and ``KG_STORE_PASSWORD``, or ``KG_STORE_TOKEN`` for a bearer token), never from the URL,
and never appear in a message. ``RemoteSource`` is what ``kg query``, ``kg serve``, ``kg analyze`` and
``kg neo4j load`` read: the server's default graph, which holds the resolved union (kg/shared.py writes it).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import IO, Any, cast
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox
import urllib3

from .errors import QueryError, StoreError
from .limits import check_query
from .rdf import PREFIXES
from .results import Answer
from .store import Row, graph_answer, rows_answer, syntax_error
from .storefiles import is_url

__all__ = ["Endpoint", "RemoteSource", "Solutions", "is_url"]

_JSON = "application/sparql-results+json"
_TSV = "text/tab-separated-values"
_NT = "application/n-triples"


class Endpoint:
    """One dataset on a SPARQL server: queries, updates and the Graph Store Protocol, with the credentials of
    the environment. Every failure is a ``StoreError`` that names the dataset's URL (never a credential)."""

    def __init__(self, url: str, *, timeout: float = 600.0) -> None:
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 (a port that is not a number raises here)
        except ValueError as exc:
            raise StoreError(f"--store {url!r}: not a URL ({exc})") from None
        if parts.username or parts.password:
            raise StoreError(f"{parts.scheme}://…@{parts.hostname}{parts.path}: credentials do not go in the URL "
                             "(where logs and shell history keep them); set KG_STORE_USER and KG_STORE_PASSWORD")
        if not parts.hostname or parts.path.strip("/") == "":
            raise StoreError(f"{url}: not a dataset's URL; give http://HOST:PORT/DATASET (for Fuseki: "
                             "http://localhost:3030/kg)")
        self.url = url.rstrip("/")
        self.headers: dict[str, str] = {}
        user, password, token = (os.environ.get(k) for k in ("KG_STORE_USER", "KG_STORE_PASSWORD", "KG_STORE_TOKEN"))
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        elif user:
            self.headers.update(urllib3.make_headers(basic_auth=f"{user}:{password or ''}"))
        self._http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=10.0, read=timeout),
            retries=urllib3.Retry(total=3, connect=3, read=0, status=0, backoff_factor=0.5, allowed_methods=None,
                                  raise_on_status=False))

    def close(self) -> None:
        self._http.clear()

    # ---- the wire

    def _call(self, method: str, service: str, *, fields: Mapping[str, str] | None = None, body: Any = None,
              headers: Mapping[str, str] | None = None, stream: bool = False) -> Any:
        url = f"{self.url}/{service}"
        try:
            response = self._http.request(method, url, fields=fields, body=body,
                                          headers={**self.headers, **(headers or {})},
                                          encode_multipart=False, preload_content=not stream)
        except urllib3.exceptions.HTTPError as exc:
            reason = getattr(exc, "reason", None) or exc
            raise StoreError(f"cannot reach the graph server at {self.url}: {reason}") from None
        if response.status >= 400:
            text = response.data.decode("utf-8", "replace") if not stream else response.read(2000).decode(
                "utf-8", "replace")
            response.release_conn()
            raise self._refused(response.status, text, service)
        return response

    def _refused(self, status: int, text: str, service: str) -> StoreError:
        if status in (401, 403):
            return StoreError(f"the graph server at {self.url} refused the credentials (HTTP {status}); set "
                              "KG_STORE_USER and KG_STORE_PASSWORD (or KG_STORE_TOKEN) to an account that may "
                              "read and write the dataset")
        if status == 404:
            return StoreError(f"{self.url}/{service}: no such service on the server (HTTP 404); --store names a "
                              "dataset, e.g. http://localhost:3030/kg, whose server offers query, update and data")
        detail = " ".join(text.split())[:300]
        return StoreError(f"the graph server at {self.url} answered HTTP {status} to a {service}: {detail}")

    def select(self, query: str) -> Solutions:
        """A SELECT's solutions as they come (TSV, parsed by Oxigraph)."""
        response = self._call("POST", "query", body=query.encode("utf-8"), stream=True,
                              headers={"Content-Type": "application/sparql-query", "Accept": _TSV})
        with self._reading():
            found = ox.parse_query_results(cast(IO[bytes], _Reader(response)), ox.QueryResultsFormat.TSV)
        if not isinstance(found, ox.QuerySolutions):
            raise StoreError(f"the graph server at {self.url} answered a SELECT with a boolean")
        return Solutions(found, self)

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """An answer read: what breaks it (a malformed answer, a connection lost half-way) is a StoreError."""
        try:
            yield
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"the graph server at {self.url} sent an answer kg cannot read: {exc}") from None
        except (OSError, urllib3.exceptions.HTTPError) as exc:
            raise StoreError(f"the connection to the graph server at {self.url} broke off: {exc}") from None

    def ask(self, query: str) -> bool:
        response = self._call("POST", "query", body=query.encode("utf-8"),
                              headers={"Content-Type": "application/sparql-query", "Accept": _JSON})
        with self._reading():
            return bool(ox.parse_query_results(response.data, ox.QueryResultsFormat.JSON))

    def update(self, text: str) -> None:
        """Run a SPARQL Update (one request: the server applies it whole or not at all)."""
        self._call("POST", "update", body=text.encode("utf-8"),
                   headers={"Content-Type": "application/sparql-update"})

    def post(self, data: IO[bytes] | bytes, content_type: str, *, graph: str | None = None) -> None:
        """Add RDF to the dataset (Graph Store Protocol): to the default graph (``graph`` "default"), to a named
        graph, or (``graph`` None, TriG or N-Quads) to the graphs it names."""
        service = "data" if graph is None else ("data?default" if graph == "default"
                                                else "data?" + urlencode({"graph": graph}))
        self._call("POST", service, body=data, headers={"Content-Type": content_type})

    def construct(self, query: str) -> Any:
        return self._call("POST", "query", body=query.encode("utf-8"), stream=True,
                          headers={"Content-Type": "application/sparql-query", "Accept": _NT})


class Solutions:
    """A SELECT's solutions (``variables``, then the rows as they are iterated), read from the server."""

    def __init__(self, found: ox.QuerySolutions, endpoint: Endpoint) -> None:
        self.variables = found.variables
        self._found, self._endpoint = found, endpoint

    def __iter__(self) -> Iterator[ox.QuerySolution]:
        with self._endpoint._reading():
            yield from self._found


class _Reader:
    """A response body as the binary file Oxigraph's parsers read (``read`` only)."""

    def __init__(self, response: Any) -> None:
        self._response = response

    def read(self, size: int = -1) -> bytes:
        data = self._response.read(None if size is None or size < 0 else size)
        if not data:
            self._response.release_conn()
        return bytes(data)


class RemoteSource:
    """The server's default graph (the resolved union) as a query source: ``select`` and ``query`` as a
    store folder's (kg/store.py), answered by the server."""

    def __init__(self, url: str) -> None:
        self.endpoint = Endpoint(url)
        self.path = url

    def close(self) -> None:
        self.endpoint.close()

    def __enter__(self) -> RemoteSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def select(self, query: str) -> Iterator[Row]:
        solutions = self.endpoint.select(query)
        width = len(solutions.variables)
        for sol in solutions:
            yield tuple(None if sol[i] is None else sol[i].value for i in range(width))

    def query(self, text: str, *, prefixes: Mapping[str, str] | None = None, limit: int | None = None,
              graph_format: str = "turtle") -> Answer:
        """As ``Store.query``: kg's prefixes declared, at most ``limit`` rows kept (the answer says when there
        were more)."""
        prefixes = dict(PREFIXES if prefixes is None else prefixes)
        check_query(text)
        try:  # parsed here first: a syntax error gets its line and column, and the kind of answer is known
            kind = _kind(text, prefixes)
        except SyntaxError as exc:
            raise syntax_error(exc) from None
        full = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items()) + text
        try:
            if kind == "ask":
                return Answer("ask", boolean=self.endpoint.ask(full))
            if kind == "select":
                solutions = self.endpoint.select(full)
                return rows_answer(solutions.variables, solutions, limit)
            with self.endpoint._reading():
                triples = ox.parse(cast(IO[bytes], _Reader(self.endpoint.construct(full))), ox.RdfFormat.N_TRIPLES)
                return graph_answer(triples, limit, graph_format, prefixes)
        except StoreError as exc:
            raise QueryError(str(exc)) from None


def _kind(text: str, prefixes: Mapping[str, str]) -> str:
    """select, ask or graph: the query parsed by Oxigraph against an empty store (SyntaxError when invalid)."""
    answer = ox.Store().query(text, prefixes=dict(prefixes))
    if isinstance(answer, ox.QueryBoolean):
        return "ask"
    return "select" if isinstance(answer, ox.QuerySolutions) else "graph"
