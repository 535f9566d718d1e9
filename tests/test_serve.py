"""kg serve over real HTTP, asked by a standard SPARQL client (SPARQLWrapper) and by headless Chromium."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

import pytest
from conftest import need_chromium
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, JSONLD, POST, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from kg import build
from kg.serve import negotiate

PERSONS = "SELECT ?name WHERE { ?p a kg:Person ; rdfs:label ?name } ORDER BY ?name"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    """`kg serve` on the sample store, on a free port, with a 2-second time limit and a 50-row limit."""
    root = tmp_path_factory.mktemp("serve")
    build(None, root / "out", store=root / "store")
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", str(root / "store"), "--out",
                             str(root / "out"), "--port", "0", "--timeout", "2", "--max-rows", "50", "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()  # type: ignore[union-attr]
    if "SPARQL endpoint" not in line:
        proc.kill()
        pytest.fail(f"kg serve did not start: {line}{proc.stderr.read()}")  # type: ignore[union-attr]
    url = line.split("endpoint ")[1].split()[0]
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def client(url: str, query: str, fmt: str, method: str | None = None) -> SPARQLWrapper:
    sw = SPARQLWrapper(url)
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    if method:
        sw.setMethod(method)
    return sw


def fetch(url: str, data: bytes | None = None, headers: dict[str, str] | None = None):
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, dict(resp.headers), resp.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read().decode("utf-8")


def test_serve_listens_on_loopback(endpoint):
    assert endpoint.startswith("http://127.0.0.1:") and endpoint.endswith("/sparql")


def test_serve_select_json_by_get_and_post(endpoint):
    for method in (None, POST):
        res = client(endpoint, PERSONS, JSON, method).queryAndConvert()
        names = [b["name"]["value"] for b in res["results"]["bindings"]]  # type: ignore[index]
        assert {"류제명", "김성훈", "하정우"} <= set(names)
        assert res["results"]["bindings"][0]["name"]["xml:lang"] == "ko"  # type: ignore[index]


def test_serve_results_as_xml_csv_tsv(endpoint):
    doc = client(endpoint, PERSONS, XML).queryAndConvert()
    literals = [n.firstChild.data for n in doc.getElementsByTagName("literal")]  # type: ignore[union-attr]
    assert "류제명" in literals
    csv_text = client(endpoint, PERSONS, CSV).queryAndConvert().decode("utf-8")  # type: ignore[union-attr]
    assert csv_text.startswith("name\r\n") and "\r\n류제명\r\n" in csv_text
    tsv_text = client(endpoint, PERSONS, TSV).queryAndConvert().decode("utf-8")  # type: ignore[union-attr]
    assert tsv_text.startswith("?name\n") and '\n"류제명"@ko\n' in tsv_text


def test_serve_ask(endpoint):
    res = client(endpoint, 'ASK { ?p rdfs:label "류제명"@ko }', JSON).queryAndConvert()
    assert res["boolean"] is True  # type: ignore[index]
    res = client(endpoint, 'ASK { ?p rdfs:label "없는사람"@ko }', XML).queryAndConvert()
    assert res.getElementsByTagName("boolean")[0].firstChild.data == "false"  # type: ignore[union-attr]


def test_serve_construct_and_describe_as_turtle_and_jsonld(endpoint):
    q = "CONSTRUCT { ?p kg:attended ?m } WHERE { ?p rdfs:label \"김성훈\"@ko ; kg:attended ?m }"
    turtle = client(endpoint, q, TURTLE).queryAndConvert()
    g = Graph().parse(data=turtle.decode("utf-8") if isinstance(turtle, bytes) else turtle, format="turtle")
    assert len(g) >= 1
    jsonld = client(endpoint, q, JSONLD).queryAndConvert()
    assert isinstance(jsonld, Graph) and set(jsonld) == set(g)
    described = client(endpoint, "DESCRIBE person:류제명", TURTLE).queryAndConvert()
    text = described.decode("utf-8") if isinstance(described, bytes) else str(described)
    assert '"류제명"@ko' in text


def test_serve_refuses_updates(endpoint):
    sw = client(endpoint, "INSERT DATA { <urn:a> <urn:b> <urn:c> }", JSON, POST)
    with pytest.raises(urllib.error.HTTPError) as err:
        sw.query()
    assert err.value.code == 403
    status, _h, body = fetch(endpoint, b"DELETE WHERE { ?s ?p ?o }", {"Content-Type": "application/sparql-update"})
    assert status == 403 and "read-only" in body
    status, _h, body = fetch(endpoint + "?" + urllib.parse.urlencode({"query": "DROP ALL"}))
    assert status == 403
    assert client(endpoint, PERSONS, JSON).queryAndConvert()["results"]["bindings"]  # type: ignore[index]


def test_serve_time_limit_stops_the_query_not_the_server(endpoint):
    status, _h, body = fetch(endpoint, urllib.parse.urlencode({"query": HEAVY}).encode(),
                             {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 503 and "time limit of 2 s" in body
    assert client(endpoint, PERSONS, JSON).queryAndConvert()["results"]["bindings"]  # type: ignore[index]


def test_serve_row_limit_is_announced(endpoint):
    status, headers, body = fetch(endpoint + "?" + urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"}),
                                  headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and headers["KG-Result-Truncated"] == "true" and headers["KG-Result-Limit"] == "50"
    assert "cut at 50 rows" in headers["Warning"]
    assert len(json.loads(body)["results"]["bindings"]) == 50
    status, headers, _b = fetch(endpoint + "?" + urllib.parse.urlencode({"query": PERSONS + " LIMIT 3"}))
    assert status == 200 and "KG-Result-Truncated" not in headers


def test_serve_bad_query_and_unacceptable_type(endpoint):
    sw = client(endpoint, "SELECT ?x WHERE {\n  ?x kg:attended }", JSON)
    with pytest.raises(QueryBadFormed, match="line 2, column"):
        sw.query()
    status, _h, body = fetch(endpoint + "?" + urllib.parse.urlencode({"query": PERSONS}), headers={"Accept": "image/png"})
    assert status == 406 and "application/sparql-results+json" in body
    status, _h, body = fetch(endpoint)
    assert status == 400 and "give exactly one SPARQL query" in body


def test_serve_named_queries(endpoint):
    base = endpoint.removesuffix("/sparql")
    status, _h, body = fetch(base + "/queries")
    assert status == 200 and "demands-by" in {q["name"] for q in json.loads(body)}
    status, _h, body = fetch(base + "/queries/demands-by?" + urllib.parse.urlencode({"org": "업스테이지"}),
                             headers={"Accept": "text/csv"})
    assert status == 200 and "AI 기본법 규제 조항 유예" in body
    status, _h, body = fetch(base + "/queries/demands-by")
    assert status == 400 and "needs --param org" in body
    assert fetch(base + "/queries/nope")[0] == 404


def test_serve_pages(endpoint):
    base = endpoint.removesuffix("/sparql")
    status, headers, body = fetch(base + "/")
    assert status == 200 and "script-src 'self'" in headers["Content-Security-Policy"] and "/query.js" in body
    status, _h, body = fetch(base + "/graph.html")
    assert status == 200 and "new Sigma(" in body
    assert fetch(base + "/nothing")[0] == 404


def test_negotiate_prefers_q_values_and_order():
    offered = {"json": ("application/sparql-results+json", "application/json"), "csv": ("text/csv",)}
    assert negotiate(None, offered) == "json"
    assert negotiate("text/csv, application/json;q=0.5", offered) == "csv"
    assert negotiate("*/*", offered) == "json"
    assert negotiate("text/*;q=0.9, application/*;q=0.1", offered) == "csv"
    assert negotiate("image/png", offered) is None
    assert negotiate("text/csv;q=0", offered) is None


@pytest.mark.browser
def test_query_page_runs_a_query_in_headless_chromium(endpoint, tmp_path):
    exe = need_chromium()
    page = endpoint.removesuffix("/sparql") + "/?" + urllib.parse.urlencode({"query": PERSONS})
    flags = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
             "--virtual-time-budget=10000", "--dump-dom", page]
    dom = subprocess.run(flags, capture_output=True, text=True, timeout=120).stdout
    assert 'data-done="1"' in dom, "the page never finished its query"
    assert "<td>류제명</td>" in dom and "rows in" in dom
