"""Resolution on the real articles beside the project (../shared/corpus): the same meeting, series and
official across outlets; building again changes nothing; building in two halves equals building at once."""

from __future__ import annotations

import shutil

import pyoxigraph as ox
import pytest
from conftest import need_shared

from kg import build

P = ("PREFIX kg: <https://w3id.org/kgnews/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
     "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
     "PREFIX prov: <http://www.w3.org/ns/prov#> ")
EXPORTS = ("graph.ttl", "graph.trig", "graph.jsonld", "neo4j/load.cypher", "graph.html")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    shared = need_shared()
    src = tmp_path_factory.mktemp("corpus")
    for f in sorted((shared / "corpus").iterdir()):
        shutil.copy(f, src / f.name)
    return src


@pytest.fixture(scope="module")
def built(corpus, tmp_path_factory):
    work = tmp_path_factory.mktemp("built")
    report = build([corpus], work / "out", store=work / "store")
    store = ox.Store()
    store.load(path=str(work / "out" / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    return work, report, store


def _rows(store, query):
    return [tuple(None if v is None else v.value for v in row) for row in store.query(P + query)]


def test_shared_kosa_meeting_of_two_samples_is_one_node_with_all_attendees(built):
    _work, _report, store = built
    rows = _rows(store, 'SELECT ?m WHERE { ?m a kg:Meeting ; kg:startDate "2025-07-08"^^xsd:date }')
    assert len(rows) == 1
    m = rows[0][0]
    files = {f for (f,) in _rows(store, f"SELECT ?f WHERE {{ ?a kg:mentions <{m}> ; kg:sourceFile ?f }}")}
    assert files == {"000_4be8380d18b28c03.txt", "003_a31d8ea8f16ec2d7.txt"}
    place = {p for (p,) in _rows(store, f"SELECT ?l WHERE {{ <{m}> kg:location/rdfs:label ?l }}")}
    assert "한국인공지능·소프트웨어산업협회" in place
    # attendees as each sample reports them: sample 000 names the companies, sample 003 names 류제명
    by_file = {}
    for who, f in _rows(store, f"SELECT ?l ?f WHERE {{ ?x kg:attended <{m}> ; rdfs:label ?l . ?as rdf:subject ?x ; "
                                f"rdf:object <{m}> ; kg:evidence/prov:wasDerivedFrom ?art . ?art kg:sourceFile ?f }}"):
        by_file.setdefault(f, set()).add(who)
    assert {"업스테이지", "네이버클라우드", "류제명"} <= by_file["000_4be8380d18b28c03.txt"]
    assert "류제명" in by_file["003_a31d8ea8f16ec2d7.txt"]


def test_shared_first_and_third_strategy_dialogue_are_two_nodes(built):
    rows = _rows(built[2], "SELECT ?m ?d WHERE { ?m a kg:Meeting ; rdfs:label ?l ; kg:startDate ?d . "
                           "FILTER(CONTAINS(?l, '최고위 전략대화')) } ORDER BY ?d")
    assert [d for _m, d in rows] == ["2021-09-07", "2023-03-08"]
    assert rows[0][0] != rows[1][0]


def test_shared_ryu_jemyeong_is_one_person_across_articles(built):
    rows = _rows(built[2], 'SELECT ?p (COUNT(DISTINCT ?a) AS ?n) WHERE { ?p a kg:Person ; rdfs:label "류제명"@ko . '
                           "?a kg:mentions ?p } GROUP BY ?p")
    assert len(rows) == 1 and int(rows[0][1]) >= 3


def test_shared_building_again_changes_nothing(built, corpus):
    work, first, _store = built
    again = build([corpus], work / "again", store=work / "store")
    assert again.articles_read == 0 and again.unchanged == first.articles_read
    for name in EXPORTS:
        assert (work / "out" / name).read_bytes() == (work / "again" / name).read_bytes(), name


def test_shared_half_then_the_rest_equals_everything_at_once(built, corpus, tmp_path):
    files = sorted(corpus.iterdir())
    build(files[::2], tmp_path / "half", store=tmp_path / "store")
    build(files[1::2], tmp_path / "half", store=tmp_path / "store")
    work = built[0]
    for name in EXPORTS:
        assert (tmp_path / "half" / name).read_bytes() == (work / "out" / name).read_bytes(), name
