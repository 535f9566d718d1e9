"""Injection (issue 14): a parameter value is an RDF term whatever the others hold, and no file makes kg
fetch anything from the network."""

from __future__ import annotations

import json
import threading
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph as ox
import pytest
from hostile import GOOD, built_pair, clean_exit, run_kg
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kg.queries import bind, named_query

BREAKOUT = {"subject": "s VALUES ?predicate { }", "predicate": "UNDEF } BIND(''' AS ?zz) #"}


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return built_pair(tmp_path_factory.mktemp("inject"), "--out", "out", "--export", "turtle")


def test_two_parameters_cannot_make_one_query_text(sample):
    args = [f"--param={k}={v}" for k, v in BREAKOUT.items()]
    proc = run_kg("query", "evidence", *args, "--graph", "out/graph.ttl", "--format", "json", cwd=sample)
    clean_exit(proc, 0)
    assert json.loads(proc.stdout)["results"]["bindings"] == []


def _values_blocks(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("VALUES ?")]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(BREAKOUT)
@example({"subject": "x\" } VALUES ?object { <http://x/o> } #", "object": "VALUES ?subject { }"})
@example({"subject": "\\x"})  # a backslash before x: rdflib's reader of terms misreads it, SPARQL does not
@given(st.dictionaries(st.sampled_from(["subject", "predicate", "object"]),
                       st.text(min_size=1, max_size=40).filter(lambda v: v.strip())))
def test_every_value_lands_in_its_own_block_as_a_term(values):
    query = named_query("evidence")
    text = bind(query, values)
    template = bind(query, {})
    # everything but the three VALUES lines is the file's own text, whatever the values were
    strip = lambda t: [line for line in t.splitlines() if not line.strip().startswith("VALUES ?")]  # noqa: E731
    assert strip(text) == strip(template)
    blocks = _values_blocks(text)
    assert len(blocks) == 3
    for name in ("subject", "predicate", "object"):
        (block,) = [b for b in blocks if b.startswith(f"VALUES ?{name} ")]
        term = block.removeprefix(f"VALUES ?{name} {{ ").removesuffix(" }")
        if name in values:  # the term reads back, in SPARQL, as exactly the value given
            (row,) = ox.Store().query(f"SELECT ?v WHERE {{ VALUES ?v {{ {term} }} }}")
            assert row["v"].value == values[name].strip()
        else:
            assert term == "UNDEF"


@pytest.fixture(scope="module")
def listener():
    """A web server that counts what is asked of it: a context kg must never fetch."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            body = b'{"@context": {"p": "http://x/p"}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/ld+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/context.jsonld", hits
    server.shutdown()


@pytest.mark.parametrize("shape", ["url", "list", "import", "nested"])
def test_json_ld_context_by_address_is_never_fetched(tmp_path, listener, shape):
    url, hits = listener
    context = {"url": url, "list": [url, {"q": "http://x/q"}], "import": {"@import": url},
               "nested": {"p": {"@id": "http://x/p", "@context": url}}}[shape]
    doc = {"@context": context, "@id": "http://x/a", "p": "v"}
    (tmp_path / "g.jsonld").write_text(json.dumps(doc), encoding="utf-8")
    for args in (("validate", "g.jsonld"), ("stats", "--graph", "g.jsonld"),
                 ("query", "SELECT * WHERE { ?s ?p ?o }", "--graph", "g.jsonld")):
        proc = run_kg(*args, cwd=tmp_path, timeout=60)
        clean_exit(proc, 2)
        assert "network" in proc.stderr
    assert hits == []


def test_served_named_query_parameters_are_terms_too(tmp_path):
    import socket
    import subprocess
    import sys

    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    clean_exit(run_kg("build", "a.txt", "--store", "store", "--out", "out", "--export", "none", cwd=tmp_path), 0)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", "store", "--out", "out", "--port",
                             str(port), "--quiet"], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        assert "SPARQL endpoint" in proc.stdout.readline()  # type: ignore[union-attr]
        query = urllib.parse.urlencode({**BREAKOUT, "format": "json"})
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/queries/evidence?{query}", timeout=60) as resp:
            assert json.loads(resp.read())["results"]["bindings"] == []
    finally:
        proc.terminate()
        proc.communicate(timeout=30)
