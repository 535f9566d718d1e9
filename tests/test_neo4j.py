"""The Neo4j routes against a real Neo4j 5.26 Community (tests/neo4j: neo4j-harness, started by a small Java
launcher): `kg neo4j load` with the driver, load.cypher as cypher-shell runs it, and the CSV files through the
real `neo4j-admin database import full` command of neo4j/README.md."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path

import neo4j
import pytest
from conftest import ROOT, need_maven_package
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import build
from kg.cli import main
from kg.errors import Neo4jLoadError
from kg.export.neo4j import cypher_string, render_csv_files, render_cypher
from kg.neo4jdb import load_neo4j, source_graph
from kg.query import run_query

pytestmark = pytest.mark.neo4j
HARNESS = ROOT / "tests" / "neo4j"
PASSWORD = "kg-test-password"
KG_CLASSES = ("Person", "Company", "GovernmentAgency", "Association", "ResearchInstitute", "Legislature",
              "PoliticalParty", "MediaOutlet", "University", "Organization", "Meeting", "Place", "Policy", "Quote",
              "Article")
EDGES = ("attended", "organizer", "demanded", "affiliation", "location", "stated", "publisher", "author")


def _classpath() -> str:
    """The launcher's classpath, compiling it first (Maven fetches Neo4j from Maven Central) when needed."""
    classes, lib = HARNESS / "target" / "classes", HARNESS / "target" / "lib"
    source = HARNESS / "src" / "main" / "java" / "kg" / "testing" / "Neo4jLauncher.java"
    built = classes / "kg" / "testing" / "Neo4jLauncher.class"
    need_maven_package(HARNESS / "pom.xml", "Neo4j", ready=lib.is_dir() and built.is_file()
                       and built.stat().st_mtime >= source.stat().st_mtime)
    return f"{classes}{os.pathsep}{lib}{os.sep}*"


class Server:
    """A Neo4j started by the launcher; ``uri`` is its Bolt address."""

    def __init__(self, workdir: Path, data: Path | None = None) -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        args = ["java", "-Xmx1g", "-cp", _classpath(), "kg.testing.Neo4jLauncher", str(workdir), PASSWORD]
        self.proc = subprocess.Popen([*args, *([str(data)] if data else [])], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()  # type: ignore[union-attr]
        if not line.startswith("BOLT "):
            self.proc.kill()
            pytest.fail(f"Neo4j did not start: {line}{self.proc.stderr.read()[-3000:]}")  # type: ignore[union-attr]
        self.uri = line.split()[1]
        self.driver = neo4j.GraphDatabase.driver(self.uri, auth=("neo4j", PASSWORD))

    def rows(self, cypher: str, **params: object) -> list[dict[str, object]]:
        records, _s, _k = self.driver.execute_query(cypher, params)
        return [r.data() for r in records]

    def counts(self) -> tuple[int, int]:
        return (self.rows("MATCH (n) RETURN count(n) AS n")[0]["n"],  # type: ignore[return-value]
                self.rows("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"])

    def clear(self) -> None:
        self.rows("MATCH (n) DETACH DELETE n")

    def stop(self) -> None:
        self.driver.close()
        self.proc.stdin.close()  # type: ignore[union-attr]
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("neo4j"))
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    build(None, out / "out", store=out / "store")
    return out


def _rdf_counts(source: Path) -> tuple[int, int]:
    classes = ", ".join(f"kg:{c}" for c in KG_CLASSES)
    typed = f"EXISTS {{ ?s a ?c FILTER(?c IN ({classes})) }}"
    nodes = run_query(source, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?t FILTER({typed}) }}")
    edges = run_query(source, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o FILTER(?p IN "
                              f"({', '.join(f'kg:{p}' for p in EDGES)})) FILTER({typed}) "
                              f"FILTER({typed.replace('?s a', '?o a')}) }}")
    return int(nodes.rows[0][0].value), int(edges.rows[0][0].value)  # type: ignore[union-attr]


def test_neo4j_load_gives_the_rdf_graphs_nodes_and_relationships(server, sample):
    server.clear()
    report = load_neo4j(sample / "store", server.uri, "neo4j", PASSWORD)
    assert server.counts() == _rdf_counts(sample / "store") == (report.nodes, report.relationships)
    labels = {r["label"]: r["n"] for r in server.rows("MATCH (n) UNWIND labels(n) AS label "
                                                      "RETURN label, count(*) AS n")}
    assert labels["Entity"] == report.nodes and labels["Organization"] >= labels["Company"] > 0
    rel = server.rows("MATCH (:Entity {name: '업스테이지'})-[r:DEMANDED]->(:Policy {name: 'AI 기본법 규제 조항 유예'}) "
                      "RETURN properties(r) AS r")[0]["r"]
    assert rel["sentence"] == "AI 기본법 규제 조항 유예 요구" and rel["speechAct"] == "Demand"
    assert rel["start"] < rel["end"] and 0 < rel["confidence"] <= 1 and rel["source"].startswith("000_")


def _sparql_set(source: Path, query: str) -> set[str]:
    return {r[0].value for r in run_query(source, query).rows if r[0] is not None}


def _cypher_set(server: Server, query: str) -> set[str]:
    return {str(r["x"]) for r in server.rows(query)}


def test_neo4j_answers_the_three_questions_as_sparql_does(server, sample):
    server.clear()
    load_neo4j(sample / "store", server.uri, "neo4j", PASSWORD)
    store = sample / "store"
    demands = (_cypher_set(server, "MATCH (:Entity {name: '업스테이지'})-[:DEMANDED]->(p:Policy) RETURN p.name AS x"),
               _sparql_set(store, 'SELECT ?x WHERE { ?o rdfs:label "업스테이지"@ko ; kg:demanded/rdfs:label ?x }'))
    assert demands[0] == demands[1] and "AI 기본법 규제 조항 유예" in demands[0]
    attended = (_cypher_set(server, "MATCH (a)-[:ATTENDED]->(:Meeting {startDate: date('2025-07-08')}) "
                                    "RETURN a.name AS x"),
                _sparql_set(store, 'SELECT ?x WHERE { ?a kg:attended ?m ; rdfs:label ?x . '
                                   '?m kg:startDate "2025-07-08"^^xsd:date }'))
    assert attended[0] == attended[1] and {"김성훈", "업스테이지", "조준희"} <= attended[0]
    shared = (_cypher_set(server, "MATCH (o:Organization)-[:DEMANDED]->(p:Policy) WITH p, count(DISTINCT o) AS n "
                                  "WHERE n >= 2 RETURN p.name AS x"),
              _sparql_set(store, "SELECT ?x WHERE { ?o kg:demanded ?p . ?p rdfs:label ?x . "
                                 "FILTER NOT EXISTS { ?o a kg:Person } } GROUP BY ?x HAVING(COUNT(DISTINCT ?o) >= 2)"))
    assert shared[0] == shared[1] and "AI 기본법 규제 조항 유예" in shared[0]


def test_neo4j_loading_twice_changes_nothing_and_a_bigger_graph_adds(server, sample, tmp_path):
    server.clear()
    half = tmp_path / "half"
    build([ROOT / "kg" / "data" / "corpus" / name for name in sorted(os.listdir(ROOT / "kg" / "data" / "corpus"))[:2]],
          half / "out", store=half / "store")
    load_neo4j(half / "store", server.uri, "neo4j", PASSWORD)
    assert server.counts() == _rdf_counts(half / "store")
    load_neo4j(sample / "store", server.uri, "neo4j", PASSWORD, batch=7)  # small batches: many transactions
    full = server.counts()
    assert full == _rdf_counts(sample / "store")
    before = server.rows("MATCH (n) RETURN n.id AS id, n.name AS name, n.aliases AS aliases ORDER BY id")
    assert main(["neo4j", "load", "--store", str(sample / "store"), "--uri", server.uri,
                 "--password", PASSWORD, "--quiet"]) == 0
    assert server.counts() == full
    assert server.rows("MATCH (n) RETURN n.id AS id, n.name AS name, n.aliases AS aliases ORDER BY id") == before


def test_neo4j_prune_mirrors_a_smaller_graph(server, sample, tmp_path):
    server.clear()
    load_neo4j(sample / "store", server.uri, "neo4j", PASSWORD)
    half = tmp_path / "half"
    build([ROOT / "kg" / "data" / "corpus" / name for name in sorted(os.listdir(ROOT / "kg" / "data" / "corpus"))[2:]],
          half / "out", store=half / "store")
    load_neo4j(half / "store", server.uri, "neo4j", PASSWORD)
    assert server.counts() > _rdf_counts(half / "store")  # without --prune, the rest stays
    report = load_neo4j(half / "store", server.uri, "neo4j", PASSWORD, prune=True)
    assert server.counts() == _rdf_counts(half / "store")
    assert report.pruned_nodes > 0 and report.pruned_relationships > 0
    ids = {r["id"] for r in server.rows("MATCH (n) RETURN n.id AS id")}
    assert ids == {n.id for n in source_graph(half / "store").nodes}


TRICKY = ['O\'Brien "the" \\ back\\slash', "두 줄\n이름", "이모지 🚀😀 끝", "탭\t그리고 ;세미콜론, 쉼표"]


def _tricky_graph(path: Path) -> Path:
    """A hand-written graph whose names carry quotes, backslashes, newlines, tabs, delimiters and emoji."""
    def lit(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"@ko'

    company = lit('회사 "따옴표"')
    lines = ["@prefix kg: <https://w3id.org/kgnews/ontology#> .",
             "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
             "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
             f"<https://w3id.org/kgnews/id/org/x> a kg:Company ; rdfs:label {company} ."]
    for i, name in enumerate(TRICKY):
        lines.append(f"<https://w3id.org/kgnews/id/person/p{i}> a kg:Person ; rdfs:label {lit(name)} ; "
                     f"skos:altLabel {lit(name + ' 대표')} ; kg:affiliation <https://w3id.org/kgnews/id/org/x> .")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _names(server: Server) -> set[tuple[str, tuple[str, ...]]]:
    return {(r["name"], tuple(r["aliases"] or ())) for r in server.rows(  # type: ignore[arg-type]
        "MATCH (p:Person) RETURN p.name AS name, p.aliases AS aliases")}


def test_neo4j_names_round_trip_unchanged_by_every_route(server, tmp_path):
    graph = _tricky_graph(tmp_path / "tricky.ttl")
    want = {(name, (name + " 대표",)) for name in TRICKY}
    server.clear()
    load_neo4j(graph, server.uri, "neo4j", PASSWORD)
    assert _names(server) == want and server.counts() == (5, 4)
    server.clear()  # the route of cypher-shell: load.cypher, one statement a line
    for statement in render_cypher(source_graph(graph)).splitlines():
        if statement and not statement.startswith("//"):
            server.rows(statement.rstrip(";"))
    assert _names(server) == want and server.counts() == (5, 4)
    folder = tmp_path / "csv"
    folder.mkdir()
    for name, text in render_csv_files(source_graph(graph)).items():
        (folder / name).write_text(text, encoding="utf-8")
    imported = _admin_import(folder, tmp_path / "home")
    other = Server(tmp_path / "n2", data=imported)
    # in a CSV array column ";" separates the items, so inside an item it becomes "," (neo4j/README.md says so)
    in_arrays = {(name, tuple(a.replace(";", ",") for a in aliases)) for name, aliases in want}
    try:
        assert _names(other) == in_arrays and other.counts() == (5, 4)
    finally:
        other.stop()


def _admin_import(folder: Path, home: Path, command: str | None = None) -> Path:
    """Run `neo4j-admin database import full` (the real tool, from the launcher's Neo4j) in ``folder``;
    the data folder it fills."""
    (home / "conf").mkdir(parents=True, exist_ok=True)
    (home / "conf" / "neo4j.conf").write_text("", encoding="utf-8")
    if command is None:
        command = "neo4j-admin database import full neo4j --array-delimiter=\";\" --multiline-fields=true " + " ".join(
            f"--nodes={p.name}" if p.name.startswith("nodes_") else f"--relationships={p.name}"
            for p in sorted(folder.glob("*.csv")))
    args = shlex.split(command)
    assert args[:4] == ["neo4j-admin", "database", "import", "full"]
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    run = subprocess.run(["java", "-Xmx1g", "-cp", _classpath(), "org.neo4j.cli.AdminTool", *args[1:]], cwd=folder,
                         env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, f"neo4j-admin import failed:\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}"
    assert "IMPORT DONE" in run.stdout
    return home / "data"


def test_neo4j_csv_files_import_with_the_readme_command(server, sample, tmp_path):
    folder = sample / "out" / "neo4j"
    readme = (folder / "README.md").read_text(encoding="utf-8")
    block = re.search(r"^ +(neo4j-admin database import full .*?)(?=\n\n)", readme, flags=re.S | re.M)
    assert block, "neo4j/README.md lost its import command"
    command = " ".join(line.strip().rstrip("\\").strip() for line in block.group(1).splitlines())
    imported = _admin_import(folder, tmp_path / "home", command)
    other = Server(tmp_path / "n2", data=imported)
    try:
        assert other.counts() == _rdf_counts(sample / "store")
        row = other.rows("MATCH (m:Meeting {startDate: date('2025-07-08')})<-[r:ATTENDED]-(a:Person {name: '김성훈'}) "
                         "RETURN r.start AS start, r.confidence AS c, a.jobTitle AS titles")[0]
        assert isinstance(row["start"], int) and isinstance(row["c"], float) and row["titles"] == ["대표"]
    finally:
        other.stop()


def test_neo4j_unreachable_and_wrong_credentials_are_named(server, sample, capsys):
    with pytest.raises(Neo4jLoadError, match="refused the credentials of user 'neo4j'"):
        load_neo4j(sample / "store", server.uri, "neo4j", "not-the-password")
    with pytest.raises(Neo4jLoadError, match=r"cannot reach Neo4j at bolt://127\.0\.0\.1:9"):
        load_neo4j(sample / "store", "bolt://127.0.0.1:9", "neo4j", PASSWORD)
    with pytest.raises(Neo4jLoadError, match="not a Bolt address"):
        load_neo4j(sample / "store", "http://127.0.0.1:7474", "neo4j", PASSWORD)
    env = os.environ.pop("NEO4J_PASSWORD", None)
    try:
        assert main(["neo4j", "load", "--store", str(sample / "store"), "--uri", server.uri]) == 2
        assert "NEO4J_PASSWORD" in capsys.readouterr().err
    finally:
        if env is not None:
            os.environ["NEO4J_PASSWORD"] = env


@settings(max_examples=100, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_cypher_string_reads_back_unchanged_in_neo4j(server, value):
    assert server.rows(f"RETURN {cypher_string(value)} AS x")[0]["x"] == value
