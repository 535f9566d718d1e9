"""A store on a shared SPARQL server (`--store URL`), against a real Apache Jena Fuseki 5 (tests/fuseki:
jena-fuseki-main from Maven Central, a TDB2 dataset on disk, basic authentication) started as a process on
127.0.0.1: builds by two users (two replicas), the same exports as the embedded store byte for byte, queries,
stats, removal, Neo4j's view of it, `kg serve`, credentials, and a write interrupted half-way."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from base64 import b64encode
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import ROOT, need_maven_package
from hypothesis import given
from hypothesis import strategies as st

from kg import build, export_store, remove, run_query
from kg.build import store_report
from kg.cli import main
from kg.errors import StoreError
from kg.neo4jdb import source_graph
from kg.remote import Endpoint
from kg.shared import STORE_GRAPH

pytestmark = pytest.mark.fuseki
FUSEKI = ROOT / "tests" / "fuseki"
USER, PASSWORD = "kg-writer", "fuseki-pass-7c1e"
SAMPLES = sorted((ROOT / "kg" / "data" / "corpus").glob("*.txt"))
FILES = ("graph.ttl", "graph.jsonld", "graph.trig", "graph.html", "rejected.ttl")


def _classpath() -> str:
    """Fuseki's libraries, fetched by Maven (tests/fuseki/pom.xml) when they are not there yet."""
    lib = FUSEKI / "target" / "lib"
    need_maven_package(FUSEKI / "pom.xml", "Fuseki", ready=any(lib.glob("jena-fuseki-main-*.jar")))
    return f"{lib}{os.sep}*"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def fuseki(tmp_path_factory) -> Iterator[str]:
    """A Fuseki with one TDB2 dataset, /kg, writable by USER; its URL."""
    root = tmp_path_factory.mktemp("fuseki")
    (root / "passwd").write_text(f"{USER}: {PASSWORD}\n", encoding="utf-8")
    (root / "db").mkdir()
    port = _free_port()
    log = (root / "fuseki.log").open("wb")
    proc = subprocess.Popen(["java", "-Xmx1g", "-cp", _classpath(), "org.apache.jena.fuseki.main.cmds.FusekiMainCmd",
                             "--localhost", "--port", str(port), "--passwd", str(root / "passwd"), "--auth", "basic",
                             "--tdb2", "--loc", str(root / "db"), "--update", "/kg"],
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/kg"
    deadline = time.monotonic() + 120
    while True:
        try:
            _http(f"{url}/query?query=ASK%7B%7D")
            break
        except (urllib.error.URLError, ConnectionError):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"Fuseki did not start:\n{(root / 'fuseki.log').read_text(errors='replace')[-3000:]}")
            time.sleep(0.5)
    yield url
    proc.terminate()
    proc.wait(timeout=60)
    log.close()


def _http(url: str, data: bytes | None = None, content_type: str = "application/sparql-update") -> bytes:
    auth = b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    headers = {"Authorization": f"Basic {auth}", "Accept": "application/sparql-results+json"}
    if data is not None:
        headers["Content-Type"] = content_type
    with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers), timeout=60) as resp:
        return bytes(resp.read())


@pytest.fixture
def server(fuseki, tmp_path, monkeypatch) -> str:
    """The dataset emptied, this test's credentials, and its replicas under tmp_path."""
    monkeypatch.setenv("KG_STORE_USER", USER)
    monkeypatch.setenv("KG_STORE_PASSWORD", PASSWORD)
    monkeypatch.setenv("KG_CACHE", str(tmp_path / "cache"))
    _http(f"{fuseki}/update", b"DROP ALL")
    return fuseki


def _user(tmp_path: Path, monkeypatch, name: str) -> None:
    """Work as another user, on another machine: a replica of one's own."""
    monkeypatch.setenv("KG_CACHE", str(tmp_path / f"cache-{name}"))


def _same_exports(a: Path, b: Path) -> None:
    for name in FILES:
        assert (a / name).exists() == (b / name).exists(), name
        if (a / name).exists():
            assert (a / name).read_bytes() == (b / name).read_bytes(), f"{name} differs"
    neo_a, neo_b = sorted(p.name for p in (a / "neo4j").iterdir()), sorted(p.name for p in (b / "neo4j").iterdir())
    assert neo_a == neo_b
    for name in neo_a:
        assert (a / "neo4j" / name).read_bytes() == (b / "neo4j" / name).read_bytes(), f"neo4j/{name} differs"


def _server_quads(url: str) -> set[str]:
    """Every quad of the dataset but kg's bookkeeping (the default graph's as triples)."""
    data = _http(f"{url}/query", b"SELECT * WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } FILTER(?g != <"
                 + STORE_GRAPH.encode() + b">) } }", "application/sparql-query")
    solutions = ox.parse_query_results(data, ox.QueryResultsFormat.JSON)
    return {f"{s['s']} {s['p']} {s['o']} {s['g'] or ''}".strip() for s in solutions}  # type: ignore[union-attr]


def _export_quads(out: Path) -> set[str]:
    """What graph.ttl (the union) and graph.trig (the named graphs) hold, as the server's quads."""
    union = {str(t) for t in ox.parse(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE)}
    named = {str(q) for q in ox.parse(path=str(out / "graph.trig"), format=ox.RdfFormat.TRIG)}
    return union | named


def test_shared_builds_of_two_users_give_the_embedded_stores_exports(server, tmp_path, monkeypatch):
    build(SAMPLES[:2], tmp_path / "a1", store=server)
    _user(tmp_path, monkeypatch, "b")
    report = build(SAMPLES[2:], tmp_path / "b1", store=server)
    assert report.store == server and report.articles_in_store == 4 and report.articles_read == 2
    build(SAMPLES, tmp_path / "local", store=tmp_path / "embedded", jobs=2)
    _same_exports(tmp_path / "b1", tmp_path / "local")
    _user(tmp_path, monkeypatch, "a")  # the first user's replica is behind the server: brought level first
    export_store(server, tmp_path / "a2")
    _same_exports(tmp_path / "a2", tmp_path / "local")
    assert _server_quads(server) == _export_quads(tmp_path / "local")
    # nothing new: a build adds nothing, and the server keeps its generation
    generation = _generation(server)
    again = build(SAMPLES, tmp_path / "a3", store=server)
    assert again.unchanged == 4 and again.articles_read == 0 and _generation(server) == generation


def _generation(url: str) -> str:
    data = _http(f"{url}/query", f"SELECT ?g WHERE {{ GRAPH <{STORE_GRAPH}> {{ ?s <urn:kg:store#generation> ?g }} }}"
                 .encode(), "application/sparql-query")
    return str(next(iter(ox.parse_query_results(data, ox.QueryResultsFormat.JSON)))["g"].value)  # type: ignore


def test_shared_build_on_a_dask_cluster_equals_two_jobs_here(server, tmp_path):
    pytest.importorskip("distributed", reason="Dask's distributed is not installed: pip install '.[test]'")
    build(SAMPLES, tmp_path / "cluster", store=server, cluster="local:2")
    build(SAMPLES, tmp_path / "jobs", store=tmp_path / "embedded", jobs=2)
    _same_exports(tmp_path / "cluster", tmp_path / "jobs")


def test_shared_query_stats_and_neo4j_view_read_the_server(server, tmp_path):
    build(SAMPLES, tmp_path / "out", store=server)
    build(SAMPLES, tmp_path / "local", store=tmp_path / "embedded")
    persons = "SELECT ?p ?name WHERE { ?p a kg:Person ; rdfs:label ?name } ORDER BY ?p ?name"
    remote, local = run_query(server, persons), run_query(tmp_path / "embedded", persons)
    assert remote.rows == local.rows and len(remote.rows) > 10
    construct = "CONSTRUCT { ?p rdfs:label ?n } WHERE { ?p a kg:Meeting ; rdfs:label ?n }"
    graphs = [{str(t) for t in ox.parse(run_query(source, construct).graph, format=ox.RdfFormat.TURTLE)}
              for source in (server, tmp_path / "embedded")]
    assert graphs[0] == graphs[1] and graphs[0]
    assert run_query(server, "ASK { ?m a kg:Meeting }").boolean is True
    limited = run_query(server, persons, limit=3)
    assert len(limited.rows) == 3 and limited.truncated
    assert store_report(server) == store_report(tmp_path / "embedded")
    assert source_graph(server) == source_graph(tmp_path / "embedded")


def test_shared_query_errors_point_at_the_line(server, tmp_path):
    build(SAMPLES[:1], tmp_path / "out", store=server)
    with pytest.raises(Exception) as err:
        run_query(server, "SELECT ?x WHERE {\n  ?x a kg:Person .\n  FILTER( }")
    assert getattr(err.value, "line", None) == 3


def test_shared_remove_takes_an_article_off_the_server(server, tmp_path, monkeypatch):
    build(SAMPLES, tmp_path / "out", store=server)
    assert json.loads((tmp_path / "out" / "report.json").read_text())["store"] == server
    articles = "SELECT ?a WHERE { ?a a kg:Article } ORDER BY ?a"
    before = run_query(server, articles).rows
    _user(tmp_path, monkeypatch, "other")
    report = remove([str(SAMPLES[0])], server, tmp_path / "after")
    assert len(report.removed) == 1 and report.articles_in_store == 3
    build(SAMPLES[1:], tmp_path / "local", store=tmp_path / "embedded")
    _same_exports(tmp_path / "after", tmp_path / "local")
    assert _server_quads(server) == _export_quads(tmp_path / "local")
    assert len(run_query(server, articles).rows) == len(before) - 1 == 3


def test_shared_write_interrupted_half_way_is_made_whole_by_the_next(server, tmp_path, monkeypatch):
    build(SAMPLES[:3], tmp_path / "out", store=server)
    # a kg killed mid-write: its lock not renewed for minutes, its mark left, the union half changed
    _http(f"{server}/update", f"""
        DELETE {{ ?s ?p ?o }} WHERE {{ ?s a <https://w3id.org/kgnews/ontology#Person> ; ?p ?o }} ;
        INSERT DATA {{ GRAPH <{STORE_GRAPH}> {{ <{STORE_GRAPH}> <urn:kg:store#pushing> "x" ;
            <urn:kg:store#lock> "dead" ; <urn:kg:store#lockedAt> "{int(time.time()) - 600}" ;
            <urn:kg:store#lockedBy> "a machine gone" }} }}""".encode())
    _user(tmp_path, monkeypatch, "next")
    build(SAMPLES, tmp_path / "next", store=server)
    build(SAMPLES, tmp_path / "local", store=tmp_path / "embedded")
    _same_exports(tmp_path / "next", tmp_path / "local")
    assert _server_quads(server) == _export_quads(tmp_path / "local")


def test_shared_waits_for_a_live_lock_then_says_who_holds_it(server, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("kg.shared.LOCK_WAIT", 2.0)
    _http(f"{server}/update", f"""INSERT DATA {{ GRAPH <{STORE_GRAPH}> {{ <{STORE_GRAPH}> <urn:kg:store#lock> "b" ;
        <urn:kg:store#lockedAt> "{int(time.time())}" ; <urn:kg:store#lockedBy> "host-b pid 42" }} }}""".encode())
    with pytest.raises(StoreError, match="in use by another kg \\(host-b pid 42\\)"):
        build(SAMPLES[:1], tmp_path / "out", store=server)
    assert "waiting for another kg writing the store" in capsys.readouterr().err


def test_shared_credentials_come_from_the_environment_and_are_never_shown(server, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KG_STORE_PASSWORD", "wrong-secret-93")
    assert main(["build", "--quiet", str(SAMPLES[0]), "--store", server, "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "refused the credentials" in err and "KG_STORE_PASSWORD" in err and "wrong-secret-93" not in err
    with_user = server.replace("http://", f"http://{USER}:{PASSWORD}@")
    assert main(["query", "--store", with_user, "ASK {}"]) == 2
    err = capsys.readouterr().err
    assert "credentials do not go in the URL" in err and PASSWORD not in err
    monkeypatch.setenv("KG_STORE_PASSWORD", PASSWORD)
    assert main(["build", "--quiet", str(SAMPLES[0]), "--store", server, "--out", str(tmp_path / "o")]) == 0
    assert main(["stats", "--store", server]) == 0
    out, err = capsys.readouterr()
    assert "articles: 1" in out and PASSWORD not in out + err


def test_shared_unreachable_server_and_missing_dataset_are_named(server, tmp_path, monkeypatch, capsys):
    closed = f"http://127.0.0.1:{_free_port()}/kg"
    assert main(["query", "--store", closed, "ASK {}"]) == 2
    assert f"cannot reach the graph server at {closed}" in capsys.readouterr().err
    missing = server.rsplit("/", 1)[0] + "/nothing-here"
    assert main(["build", "--quiet", str(SAMPLES[0]), "--store", missing, "--out", str(tmp_path / "o")]) == 2
    assert "no such service" in capsys.readouterr().err
    with pytest.raises(StoreError, match="not a dataset's URL"):
        Endpoint("http://127.0.0.1:3030/")


def test_shared_kg_serve_answers_from_the_server(server, tmp_path):
    from kg.serve import make_server

    build(SAMPLES, tmp_path / "out", store=server)
    srv = make_server(server, port=0, quiet=True, workers=1)
    import threading

    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = srv.server_address[:2]
        query = urllib.request.quote("SELECT (COUNT(*) AS ?n) WHERE { ?m a kg:Meeting }")
        req = urllib.request.Request(f"http://{host}:{port}/sparql?query={query}",
                                     headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(req, timeout=60) as resp:
            answer = json.loads(resp.read())
        expected = run_query(tmp_path / "out" / "graph.ttl", "SELECT (COUNT(*) AS ?n) WHERE { ?m a kg:Meeting }")
        assert answer["results"]["bindings"][0]["n"]["value"] == expected.rows[0][0].value
    finally:
        srv.shutdown()
        srv.pool.close()


def test_shared_publish_sends_a_store_folder_whole(server, tmp_path, monkeypatch, capsys):
    build(SAMPLES[:3], tmp_path / "local", store=tmp_path / "embedded")
    assert main(["publish", str(tmp_path / "embedded"), "--store", server]) == 0
    assert "sent 3 articles" in capsys.readouterr().out
    assert _server_quads(server) == _export_quads(tmp_path / "local")
    assert main(["publish", str(tmp_path / "embedded"), "--store", server]) == 2
    assert "holds a kg store already" in capsys.readouterr().err
    _user(tmp_path, monkeypatch, "b")  # another user adds to what was published
    build(SAMPLES[3:], tmp_path / "b", store=server)
    build(SAMPLES, tmp_path / "all", store=tmp_path / "embedded")
    _same_exports(tmp_path / "b", tmp_path / "all")


class _Garbage:
    """A server on 127.0.0.1 that answers every request with ``body`` (and ``length`` as its length)."""

    def __init__(self, body: bytes, length: int | None = None) -> None:
        import http.server
        import threading

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(200)
                self.send_header("Content-Type", "text/tab-separated-values")
                self.send_header("Content-Length", str(length if length is not None else len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/kg"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()


@pytest.mark.parametrize(("body", "length"), [
    (b"<html>not SPARQL results</html>", None),  # a web page where a SPARQL service was expected
    (b"?s\t?p\n<http://a>\t\"unterminated\n", None),  # results that break off in a term
    (b"?s\n<http://a>\n", 10_000),  # a connection that closes before the length it announced
])
def test_shared_a_server_answering_nonsense_is_a_clear_error(body, length, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KG_CACHE", str(tmp_path / "cache"))
    garbage = _Garbage(body, length)
    try:
        assert main(["query", "--store", garbage.url, "SELECT * WHERE { ?s ?p ?o }"]) == 2
        assert garbage.url in capsys.readouterr().err
        assert main(["build", "--quiet", str(SAMPLES[0]), "--store", garbage.url, "--out", str(tmp_path / "o")]) == 2
        err = capsys.readouterr().err
        assert garbage.url in err and "Traceback" not in err
    finally:
        garbage.close()


@pytest.mark.parametrize("url", ["http://[::1/kg", "http://127.0.0.1:port/kg", "https://"])
def test_shared_malformed_urls_are_named(url, capsys):
    assert main(["query", "--store", url, "ASK {}"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_shared_build_killed_mid_write_loses_nothing(server, tmp_path):
    """A kg SIGKILLed half-way through sending its change (the deletions sent, the additions not): the next
    build on this machine does not wait for the dead one's lock, sends the graph whole, and has every article."""
    import signal
    import sys

    build(SAMPLES[:2], tmp_path / "first", store=server)
    script = ("import os, signal, sys\n"
              "import kg.shared\n"
              "def killed(self, quads, size=0):\n"
              "    os.kill(os.getpid(), signal.SIGKILL)\n"
              "kg.shared.Shared._post_quads = killed\n"
              "from kg.cli import main\n"
              "sys.exit(main(sys.argv[1:]))\n")
    run = subprocess.run([sys.executable, "-c", script, "build", "--quiet", *map(str, SAMPLES), "--store", server,
                          "--out", str(tmp_path / "killed")], capture_output=True, text=True, timeout=300,
                         env=os.environ.copy())
    assert run.returncode == -signal.SIGKILL, run.stderr
    marks = _http(f"{server}/query", f"SELECT ?p WHERE {{ GRAPH <{STORE_GRAPH}> {{ ?s ?p ?o }} }}".encode(),
                  "application/sparql-query").decode()
    assert "urn:kg:store#pushing" in marks and "urn:kg:store#lock" in marks
    start = time.monotonic()
    report = build(SAMPLES, tmp_path / "next", store=server)
    assert time.monotonic() - start < 60  # not the 90 s a lock of another machine is given
    assert report.articles_in_store == 4
    build(SAMPLES, tmp_path / "local", store=tmp_path / "embedded")
    _same_exports(tmp_path / "next", tmp_path / "local")
    assert _server_quads(server) == _export_quads(tmp_path / "local")


@given(st.sets(st.integers(0, 30)), st.lists(st.tuples(st.sampled_from(["DELETE", "INSERT"]),
                                                      st.lists(st.integers(0, 30))), max_size=8))
def test_shared_net_change_is_the_change_applied_in_order(base, ops):
    from kg.shared import _net

    applied = set(base)
    for op, items in ops:
        applied = applied - set(items) if op == "DELETE" else applied | set(items)
    gone, new = _net(ops)
    assert (set(base) - set(gone)) | set(new) == applied


def test_shared_commands_on_an_empty_dataset_say_there_is_no_store(server, tmp_path, capsys):
    for argv in (["export", "--store", server, "--out", str(tmp_path / "o")], ["stats", "--store", server],
                 ["remove", "x", "--store", server, "--out", str(tmp_path / "o")]):
        assert main(argv) == 2
        assert "no kg store there yet" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()
