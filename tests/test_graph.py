"""Building, validating and exporting graphs: provenance, shapes, determinism, escaping."""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg import build, run_query, validate_graph
from kg.export.html import json_for_script
from kg.export.neo4j import cypher_string
from kg.ontology import KG
from kg.rdf import ID

ARTICLE = ("[한빛일보 홍길동 기자] 산업통상자원부는 10일 서울 중구 대한상공회의소에서 '반도체 경쟁력 간담회'를 "
           "개최했다.\n이날 간담회에는 한빛반도체 김영수 대표 등이 참석했다.\n"
           "김영수 대표는 “전력망 확충이 시급하다”며 정부에 세제 지원을 요청했다.")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    src = tmp_path_factory.mktemp("src")
    (src / "a.jsonl").write_text(json.dumps({"text": ARTICLE, "published": "2025-07-11", "outlet": "한빛일보",
                                             "url": "https://news.example/1"}, ensure_ascii=False) + "\n",
                                 encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    report = build([src], out)
    return out, report


def test_build_writes_every_export_and_conforms(built):
    out, report = built
    for name in ("graph.ttl", "graph.jsonld", "graph.trig", "graph.html", "report.json", "neo4j/load.cypher"):
        assert (out / name).is_file(), name
    assert report.conforms and report.articles_read == 1
    g = Graph().parse(out / "graph.ttl")
    assert validate_graph(g)[0]
    assert len(Graph().parse(out / "graph.jsonld", format="json-ld")) == len(g)
    ds = Dataset()
    ds.parse(out / "graph.trig", format="trig")
    assert len(list(ds.graphs())) >= 2  # the default graph and one per article


def test_provenance_is_queryable(built):
    out, _ = built
    rows = run_query(out / "graph.ttl", """
        PREFIX kg: <https://w3id.org/kgnews/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?who ?policy ?sentence ?start ?url WHERE {
          ?a a kg:Assertion ; rdf:subject ?s ; rdf:predicate kg:demanded ; rdf:object ?p ; kg:evidence ?e .
          ?e kg:evidenceText ?sentence ; kg:startOffset ?start ; prov:wasDerivedFrom ?art .
          ?art kg:url ?url . ?s rdfs:label ?who . ?p rdfs:label ?policy .
        }""").records()
    assert rows, "no demanded relation with evidence"
    assert any(r["policy"] == "세제 지원" and "세제 지원을 요청했다" in r["sentence"] for r in rows)
    assert all(r["url"] == "https://news.example/1" for r in rows)


def test_neo4j_csv_headers_and_cypher_are_well_formed(built):
    out, _ = built
    folder = out / "neo4j"
    for path in folder.glob("nodes_*.csv"):
        header = next(csv.reader(path.open(encoding="utf-8")))
        assert header[0] == "id:ID" and header[-1] == ":LABEL"
    for path in folder.glob("rels_*.csv"):
        rows = list(csv.reader(path.open(encoding="utf-8")))
        assert rows[0][:3] == [":START_ID", ":END_ID", ":TYPE"]
        assert all(len(r) == len(rows[0]) for r in rows)
    cypher = (folder / "load.cypher").read_text(encoding="utf-8")
    statements = [s for s in cypher.split(";\n") if s.strip() and not s.startswith("//")]
    assert statements[0].startswith("CREATE CONSTRAINT")
    assert all(s.lstrip().startswith(("CREATE CONSTRAINT", "MERGE", "MATCH")) for s in statements)
    assert "MERGE (a)-[r:DEMANDED]->(b)" in cypher


def test_same_articles_in_any_order_give_identical_outputs(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    texts = [ARTICLE, "중소벤처기업부 박민지 장관은 12일 스타트업 대표들과 간담회를 열었다. 참석 기업들은 투자 확대를 건의했다."]
    for n, t in enumerate(texts):
        (src / f"{n}.txt").write_text(t, encoding="utf-8")
    build([src / "0.txt", src / "1.txt"], tmp_path / "a")
    build([src / "1.txt", src / "0.txt"], tmp_path / "b")
    for name in ("graph.ttl", "graph.jsonld", "graph.trig", "graph.html", "neo4j/load.cypher"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_violations_are_set_aside_not_kept(tmp_path):
    g = Graph()
    person, policy = ID["person/x"], ID["policy/y"]
    g.add((person, KG.demanded, policy))  # policy is not typed: a violation
    conforms, violations = validate_graph(g)
    assert not conforms and violations
    assert any("Policy" in v.message for v in violations)


def test_bad_input_is_reported_and_the_rest_still_builds(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (src / "bad.jsonl").write_text("{broken\n", encoding="utf-8")
    report = build([src, tmp_path / "nope.txt"], tmp_path / "out")
    assert report.articles_read == 1
    reasons = " ".join(s["reason"] for s in report.skipped)
    assert "not valid JSON" in reasons and "no such file" in reasons
    assert not list((tmp_path / "out").glob(".*.tmp"))


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_cypher_string_round_trips_any_text(value):
    lit = cypher_string(value)
    assert lit.startswith("'") and lit.endswith("'")
    body = lit[1:-1]
    assert "\n" not in body and "\r" not in body
    # unescape the way Cypher does and get the value back
    i, out = 0, []
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            nxt = body[i + 1]
            if nxt == "u":
                out.append(chr(int(body[i + 2 : i + 6], 16)))
                i += 6
                continue
            out.append({"n": "\n", "r": "\r", "t": "\t"}.get(nxt, nxt))
            i += 2
            continue
        assert ch != "'", "unescaped quote"
        out.append(ch)
        i += 1
    assert "".join(out) == value


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_script_json_cannot_break_out_of_the_script_element(value):
    text = json_for_script({"label": value})
    assert "<" not in text and ">" not in text
    assert json.loads(text) == {"label": value}


_JSON_LEAF = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXT)
_JSON = st.recursive(_JSON_LEAF, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4),
    st.dictionaries(st.integers(-5, 5), inner, max_size=3)), max_leaves=12)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(TEXT, _JSON, max_size=4), st.lists(_JSON, min_size=1, max_size=8), st.integers(1001, 1010),
       st.sampled_from([3, 100, 1 << 20]))
def test_script_json_made_in_pieces_is_the_json_of_the_whole(data, items, length, size):
    """graph.html's data is encoded a key and a slice of a long list at a time: joined, the pieces are one
    encoding of the whole, whatever the size of the pieces."""
    from kg.export.html import _json_chunks

    long = (items * length)[:length]  # longer than a slice
    value = {**data, "long list": long, "nested": {"tuple": tuple(long), "short": long[:3]}}
    whole = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # the five characters that could end a script or open a comment, escaped (a one-way mapping: a text may hold
    # a backslash and "u003c" itself)
    safe = whole.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    script = json_for_script(value)
    for got in ("".join(_json_chunks(value, size)), script):
        if got != safe:  # (said in a line: pytest's own diff of two long strings takes minutes)
            at = next(i for i, (x, y) in enumerate(zip(got + "\0", safe + "\0", strict=False)) if x != y)
            near = slice(max(0, at - 40), at + 40)
            pytest.fail(f"differs at {at} of {len(safe)}: {got[near]!r} against {safe[near]!r}")
    assert json.loads(script) == json.loads(whole)


@settings(max_examples=60, deadline=None)
@given(TEXT)
def test_turtle_and_jsonld_round_trip_any_label(value):
    g = Graph()
    g.add((URIRef("https://w3id.org/kgnews/id/x"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
           Literal(value, lang="ko")))
    for fmt in ("turtle", "json-ld"):
        back = Graph().parse(data=g.serialize(format=fmt), format=fmt)
        assert isomorphic(g, back), fmt


def test_provenance_written_by_construction_conforms_to_every_shape():
    """The build's validation leaves assertions and evidence out (kg writes them by construction): here they
    are checked, with everything else, on the sample articles."""
    from kg.build import sample_corpus
    from kg.ingest import clean_article, read_articles
    from kg.pipeline import Pipeline
    from kg.rdf import doc_triples

    pipeline, g = Pipeline(), Graph()
    for item in read_articles([sample_corpus()]):
        for t in doc_triples(pipeline(clean_article(item))):
            g.add(t)
    assert any(p == KG.evidence for _s, p, _o in g)
    conforms, violations = validate_graph(g)
    assert conforms, [v.describe() for v in violations[:5]]


def test_a_violation_in_the_build_still_names_its_sentence():
    from kg.ingest import clean_article
    from kg.ingest.readers import RawArticle
    from kg.pipeline import Pipeline
    from kg.rdf import doc_triples
    from kg.worker import _graph, _sentences

    doc = Pipeline()(clean_article(RawArticle(source="a", text=ARTICLE, published=date(2025, 7, 11))))
    triples = list(doc_triples(doc))
    fact = next(t for t in triples if t[1] == KG.demanded)
    assert any("요청했다" in s for s in _sentences({"a": triples})(*fact))
    assert not any(p == KG.evidence for _s, p, _o in _graph({"a": triples}))  # provenance left out


def test_validation_leaves_the_shapes_and_ontology_it_keeps_as_they_were():
    """The shapes and ontology are parsed once per process and reused: validating (in place or not, with
    violations or without) changes no shape and no class. (pyshacl adds to a shapes graph, once, that owl:Class
    and owl:DatatypeProperty are RDFS classes: what it adds to a fresh graph on each run anyway.)"""
    from kg.ontology import load_ontology, load_shapes
    from kg.validate import _rules

    bad = Graph()
    bad.add((ID["person/x"], KG.demanded, ID["policy/y"]))
    good = Graph()
    good.add((ID["person/x"], KG.affiliation, ID["organization/z"]))
    validate_graph(good)
    shapes, ontology = _rules()
    kept = (set(shapes), set(ontology))
    for g, inplace in ((bad, False), (bad, True), (good, True)):
        validate_graph(g, inplace=inplace)
    assert _rules() == (shapes, ontology) and (set(shapes), set(ontology)) == kept
    assert isomorphic(ontology, load_ontology())
    from rdflib import BNode

    added = Graph()
    for t in set(shapes) - set(load_shapes()):
        if not any(isinstance(n, BNode) for n in t):  # (the blank nodes of a shape are new in each parse)
            added.add(t)
    assert {str(s).split("#")[0] for s in added.subjects()} <= {"http://www.w3.org/2002/07/owl"}
    assert isomorphic(shapes - added, load_shapes())
