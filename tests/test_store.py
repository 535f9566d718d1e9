"""The persistent store: incremental, idempotent builds, removal, and replacement of corrected articles."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kg import build
from kg.archive import Archive
from kg.build import remove
from kg.errors import StoreError
from kg.store import Store

A = ("과기정통부, 양자 기업 간담회\n"
     "과학기술정보통신부는 9일 서울 중구에서 '양자 산업 간담회'를 열었다. 이날 간담회에는 한빛퀀텀, 미래양자 등 "
     "기업들이 참석했다. 홍길동 한빛퀀텀 대표는 “양자 장비 도입 지원이 필요하다”고 말했다.\n")
B = ("과기정통부, 반도체 간담회\n"
     "과학기술정보통신부는 10일 세종에서 '반도체 기업 간담회'를 열었다. 이날 간담회에는 한빛칩스 등 기업들이 "
     "참석했다.\n")


def _jsonl(path, text, url, day):
    path.write_text(json.dumps({"text": text, "url": url, "published": f"2025-07-{day:02d}"}, ensure_ascii=False)
                    + "\n", encoding="utf-8")
    return path


@pytest.fixture()
def articles(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    return (_jsonl(src / "a.jsonl", A, "https://news.example/a", 9),
            _jsonl(src / "b.jsonl", B, "https://news.example/b", 10))


def _labels(out):
    g = Graph().parse(out / "graph.ttl")
    return {str(o) for o in g.objects(None, None) if getattr(o, "language", None) == "ko"}


def test_store_build_twice_changes_nothing(articles, tmp_path):
    first = build(list(articles), tmp_path / "o1", store=tmp_path / "store")
    second = build(list(articles), tmp_path / "o2", store=tmp_path / "store")
    assert first.articles_read == 2 and second.articles_read == 0 and second.unchanged == 2
    for name in ("graph.ttl", "graph.trig", "graph.jsonld", "neo4j/load.cypher"):
        assert (tmp_path / "o1" / name).read_bytes() == (tmp_path / "o2" / name).read_bytes(), name


def test_store_half_then_the_rest_equals_all_at_once(articles, tmp_path):
    a, b = articles
    build([a], tmp_path / "inc", store=tmp_path / "s1")
    build([b], tmp_path / "inc", store=tmp_path / "s1")
    build([a, b], tmp_path / "all", store=tmp_path / "s2")
    build([a, b], tmp_path / "plain")
    inc, whole = (tmp_path / "inc" / "graph.ttl").read_bytes(), (tmp_path / "all" / "graph.ttl").read_bytes()
    assert inc == whole
    assert isomorphic(Graph().parse(data=inc, format="turtle"), Graph().parse(tmp_path / "plain" / "graph.ttl"))


def test_store_remove_drops_only_what_the_article_alone_supported(articles, tmp_path):
    a, b = articles
    build([a, b], tmp_path / "out", store=tmp_path / "store")
    assert {"한빛퀀텀", "한빛칩스", "과학기술정보통신부"} <= _labels(tmp_path / "out")
    report = remove([str(a)], tmp_path / "store", tmp_path / "out")
    assert len(report.removed) == 1 and report.articles_in_store == 1
    left = _labels(tmp_path / "out")
    assert "한빛퀀텀" not in left and "양자 산업 간담회" not in left
    assert {"한빛칩스", "과학기술정보통신부"} <= left


def test_store_remove_unknown_reference_is_reported(articles, tmp_path):
    build([articles[0]], tmp_path / "out", store=tmp_path / "store")
    report = remove(["no-such-article"], tmp_path / "store", tmp_path / "out")
    assert not report.removed
    assert "neither an article id" in report.skipped[0]["reason"]


def test_store_corrected_article_replaces_the_old_version(articles, tmp_path):
    a, _b = articles
    build([a], tmp_path / "out", store=tmp_path / "store")
    _jsonl(a, A.replace("한빛퀀텀", "새빛퀀텀"), "https://news.example/a", 9)  # same URL, corrected text
    report = build([a], tmp_path / "out", store=tmp_path / "store")
    assert report.articles_read == 1 and report.articles_in_store == 1
    labels = _labels(tmp_path / "out")
    assert "새빛퀀텀" in labels and "한빛퀀텀" not in labels


@pytest.mark.parametrize("kind", [Archive, Store])
def test_store_unusable_path_is_a_clear_error(tmp_path, kind):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(StoreError, match="cannot open the store"):
        kind(blocker)


SAME_DAY = ("양자 기업들 “장비 지원 절실”\n"
            "과학기술정보통신부는 9일 서울 중구에서 양자 기업들과 간담회를 가졌다. 이날 열린 '양자 기술 민관 간담회'에는 "
            "한빛퀀텀, 미래양자 등 기업들이 참석했다.\n")


def test_store_corrections_file_is_made_and_kg_export_applies_an_edit(articles, tmp_path, capsys):
    from kg.cli import main

    other = _jsonl(tmp_path / "in" / "c.jsonl", SAME_DAY, "https://news.example/c", 9)
    store, out = tmp_path / "store", tmp_path / "out"
    report = build([articles[0], other], out, store=store)
    assert report.merged == {"Meeting": 1}  # the same quantum meeting, reported twice
    corrections = store / "corrections.tsv"
    assert corrections.is_file() and "apart" in corrections.read_text(encoding="utf-8")
    with corrections.open("a", encoding="utf-8") as fh:
        fh.write("apart\tMeeting:양자 산업 간담회\tMeeting:양자 기술 민관 간담회\tdifferent rooms\n")
    assert main(["export", "--store", str(store), "--out", str(out)]) == 0
    assert "Meeting" not in json.loads((out / "report.json").read_text(encoding="utf-8"))["merged"]
    assert {"양자 산업 간담회", "양자 기술 민관 간담회"} <= _labels(out)
    capsys.readouterr()
    assert main(["stats", "--store", str(store), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["articles"] == 2 and stats["entities"]["Meeting"] == 2 and "same-meeting" not in stats["merges"]
    assert stats["most_mentioned"][0]["articles"] == 2


def test_store_commands_on_a_folder_that_is_no_store_say_so(tmp_path, capsys):
    from kg.cli import main

    assert main(["export", "--store", str(tmp_path / "none")]) == 2
    assert main(["stats", "--store", str(tmp_path / "none")]) == 2
    assert "no kg store here" in capsys.readouterr().err


def test_store_view_after_adds_removal_and_correction_equals_a_fresh_build(articles, tmp_path):
    a, b = articles
    c = _jsonl(tmp_path / "in" / "c.jsonl", SAME_DAY, "https://news.example/c", 9)
    store, out = tmp_path / "store", tmp_path / "inc"
    build([a], out, store=store)
    build([c], out, store=store)  # merges its meeting into a's: a's graph is renamed
    build([b], out, store=store)
    remove([str(a)], store, out)  # the merge is undone: c's graph is renamed back
    fix = store / "corrections.tsv"
    fix.write_text("same\tMeeting:반도체 기업 간담회\tMeeting:양자 기술 민관 간담회\n", encoding="utf-8")
    build([a], out, store=store)
    fresh = tmp_path / "fresh-store"
    (fresh).mkdir()
    (fresh / "corrections.tsv").write_text(fix.read_text(encoding="utf-8"), encoding="utf-8")
    build([a, b, c], tmp_path / "fresh", store=fresh)
    for name in ("graph.ttl", "graph.trig", "graph.jsonld"):
        assert (out / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes(), name
    assert "Meeting" in json.loads((out / "report.json").read_text(encoding="utf-8"))["merged"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_store_build_reads_its_input_as_it_goes(tmp_path, monkeypatch, jobs):
    """The first article is stored long before the input is read to its end: inputs are streamed."""
    import importlib

    from kg.worker import CHUNK

    kb = importlib.import_module("kg.build")  # the module (kg.build, the attribute, is the function)

    n = 12 * CHUNK
    corpus = tmp_path / "day.jsonl"
    with corpus.open("w", encoding="utf-8") as fh:
        for i in range(n):
            text = f"{i}번째 기사. 김철수 한빛전자 대표는 {i % 28 + 1}일 산업부 간담회에 참석해 세제 지원을 요청했다."
            fh.write(json.dumps({"text": text, "published": "2025-07-09"}, ensure_ascii=False) + "\n")
    read, first_stored = [0], []
    real_read, real_put = kb.read_articles, Archive.put

    def counting(paths):  # type: ignore[no-untyped-def]
        for item in real_read(paths):
            read[0] += 1
            yield item

    def put(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not first_stored:
            first_stored.append(read[0])
        return real_put(self, *args, **kwargs)

    monkeypatch.setattr(kb, "read_articles", counting)
    monkeypatch.setattr(Archive, "put", put)
    report = build([corpus], tmp_path / "out", store=tmp_path / "store", exporters=(), jobs=jobs)
    assert report.articles_read == n and read[0] == n
    assert first_stored[0] <= 8 * CHUNK < n, f"{first_stored[0]} of {n} articles were read before the first was stored"


EVIDENCE = """PREFIX kg: <https://w3id.org/kgnews/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?a ?url ?sentence WHERE {
  ?a rdf:subject ?who ; rdf:predicate kg:affiliation ; rdf:object ?org ; kg:evidence ?e .
  ?who rdfs:label "홍길동"@ko . ?org rdfs:label "한빛퀀텀"@ko .
  ?e prov:wasDerivedFrom ?art ; kg:evidenceText ?sentence . ?art kg:url ?url .
}"""


def _evidence(out):
    g = Graph().parse(out / "graph.ttl")
    return sorted((str(a), str(url), str(sentence)) for a, url, sentence in g.query(EVIDENCE))


def test_a_fact_two_articles_report_is_one_assertion_with_the_evidence_of_each(tmp_path):
    """홍길동 of 한빛퀀텀, in two articles: one assertion, two pieces of evidence; it keeps the other article's
    when one is removed, and goes with the last."""
    src = tmp_path / "in"
    src.mkdir()
    a = _jsonl(src / "a.jsonl", A, "https://news.example/a", 9)
    later = "한빛퀀텀, 장비 투자\n홍길동 한빛퀀텀 대표는 11일 세종에서 열린 '양자 장비 간담회'에 참석했다.\n"
    c = _jsonl(src / "c.jsonl", later, "https://news.example/c", 11)
    build([a, c], tmp_path / "both", store=tmp_path / "store")
    both = _evidence(tmp_path / "both")
    assert len({row[0] for row in both}) == 1, both
    assert [row[1] for row in both] == ["https://news.example/a", "https://news.example/c"]
    assert "홍길동 한빛퀀텀 대표는 “양자 장비" in both[0][2] and "11일 세종에서" in both[1][2]
    remove([str(a)], tmp_path / "store", tmp_path / "one")
    assert [row[1:] for row in _evidence(tmp_path / "one")] == [tuple(both[1][1:])]
    build([c], tmp_path / "fresh", store=tmp_path / "fresh-store")
    assert (tmp_path / "one" / "graph.ttl").read_bytes() == (tmp_path / "fresh" / "graph.ttl").read_bytes()
    remove([str(c)], tmp_path / "store", tmp_path / "none")
    assert _evidence(tmp_path / "none") == []
    assert "홍길동" not in _labels(tmp_path / "none")


def test_the_store_keeps_each_article_once_compressed_with_what_resolution_reads(articles, tmp_path):
    build(list(articles), tmp_path / "o", store=tmp_path / "store", exporters=())
    with Archive(tmp_path / "store") as db:
        ids = sorted(db.articles())
        assert len(ids) == 2 and len(db) == 2
        triples = db.graph(ids[0])
        assert any(t.predicate.value.endswith("#evidenceText") for t in triples)
        mentions = dict(db.mentions())
        assert len(mentions) == 2
        names = {label for rec in mentions.values() for _iri, _types, labels, _aliases in rec["entities"]
                 for label in labels}
        assert {"과학기술정보통신부", "한빛퀀텀", "홍길동"} <= names
        assert db.graph("no-such-article") == []


def test_a_store_of_the_old_layout_is_a_clear_error(tmp_path):
    old = tmp_path / "old"
    (old / "db").mkdir(parents=True)
    with pytest.raises(StoreError, match="earlier kg"):
        Archive(old)
    assert sorted(p.name for p in old.iterdir()) == ["db"]  # nothing written into it


def test_exports_of_an_unchanged_store_skip_resolution_and_are_the_same(articles, tmp_path, monkeypatch):
    """`kg export` after a build resolves nothing again while the articles, corrections and lexicon are as they
    were; a changed corrections file or lexicon makes it resolve again."""
    import importlib

    kb = importlib.import_module("kg.build")
    build(list(articles), tmp_path / "first", store=tmp_path / "store")
    calls = []
    whole, by_parts = kb.resolve, kb.resolve_parts
    monkeypatch.setattr(kb, "resolve", lambda *a, **k: calls.append(1) or whole(*a, **k))
    monkeypatch.setattr(kb, "resolve_parts", lambda *a, **k: calls.append(1) or by_parts(*a, **k))
    again = kb.export_store(tmp_path / "store", tmp_path / "again")
    assert calls == []
    for name in ("graph.ttl", "graph.trig", "graph.jsonld", "graph.html", "neo4j/load.cypher"):
        assert (tmp_path / "first" / name).read_bytes() == (tmp_path / "again" / name).read_bytes(), name
    first = json.loads((tmp_path / "first" / "report.json").read_text(encoding="utf-8"))
    second = json.loads((tmp_path / "again" / "report.json").read_text(encoding="utf-8"))
    for key in ("entities", "relations", "merged", "kept_apart", "memberships", "notes", "articles_in_store"):
        assert first[key] == second[key], key
    assert again.memberships == first["memberships"] > 0
    corrections = tmp_path / "store" / "corrections.tsv"
    corrections.write_text(corrections.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    kb.export_store(tmp_path / "store", tmp_path / "third")
    assert calls == [1]
    files = kb.lexicon_files()
    monkeypatch.setattr(kb, "lexicon_files", lambda: [*files, ("extra.tsv", b"x")])
    kb.export_store(tmp_path / "store", tmp_path / "fourth")
    assert calls == [1, 1]


def test_a_damaged_record_is_a_clear_error_naming_the_article(articles, tmp_path):
    import sqlite3

    from kg.cli import main

    build(list(articles), tmp_path / "o", store=tmp_path / "store", exporters=())
    db = sqlite3.connect(tmp_path / "store" / "articles.sqlite")
    (doc_id,), = db.execute("SELECT id FROM articles ORDER BY id LIMIT 1")
    db.execute("UPDATE articles SET graph = ?, hash = 'changed' WHERE id = ?", (b"not zlib", doc_id))
    db.commit()
    db.close()
    with pytest.raises(StoreError, match=f"article {doc_id} of the store is damaged"), Archive(tmp_path / "store") as a:
        a.graph(doc_id)
    assert main(["export", "--store", str(tmp_path / "store"), "--out", str(tmp_path / "o2")]) == 2
    # removing it (as the message says) gives a store that exports again, equal to one built without it
    from kg.ingest import clean_article, read_articles

    good = next(p for p in articles if clean_article(next(iter(read_articles([p])))).id != doc_id)
    assert main(["remove", doc_id, "--store", str(tmp_path / "store"), "--out", str(tmp_path / "o3")]) == 0
    build([good], tmp_path / "fresh", store=tmp_path / "fresh-store")
    assert (tmp_path / "o3" / "graph.ttl").read_bytes() == (tmp_path / "fresh" / "graph.ttl").read_bytes()


def test_exporters_in_python_run_in_turn_and_one_that_fails_stops_no_other(articles, tmp_path, monkeypatch):
    """Oxigraph's dumps run beside the exporters written in Python, which run one at a time (together they
    would only hold their graphs in memory at once); one that fails is reported after the others wrote."""
    import importlib
    import threading

    kb = importlib.import_module("kg.build")
    build(list(articles), tmp_path / "first", store=tmp_path / "store")
    running, most = [0], [0]
    lock = threading.Lock()
    real = kb.load_exporter

    def watched(name):  # type: ignore[no-untyped-def]
        writer = real(name)

        def write(view, out):  # type: ignore[no-untyped-def]
            with lock:
                running[0] += 1
                most[0] = max(most[0], running[0])
            try:
                if name == "html":
                    raise kb.ExportError("html: no room")
                return writer(view, out)
            finally:
                with lock:
                    running[0] -= 1
        return write if name not in kb._DUMPS else writer

    monkeypatch.setattr(kb, "load_exporter", watched)
    with pytest.raises(kb.ExportError, match="no room"):
        kb.export_store(tmp_path / "store", tmp_path / "again")
    assert most == [1]
    for name in ("graph.ttl", "graph.jsonld", "graph.trig", "neo4j/load.cypher"):
        assert (tmp_path / "first" / name).read_bytes() == (tmp_path / "again" / name).read_bytes(), name
    assert not (tmp_path / "again" / "graph.html").exists()


def test_the_graph_view_read_along_predicates_equals_the_one_sparql_joins(articles, tmp_path):
    """The exporters' view of the whole graph reads evidence by scanning each predicate and joining here; the
    same view read through SPARQL alone (as from a store kg does not know) is the same, evidence and all."""
    from kg.export.graphview import _graph_view
    from kg.view import View

    build(list(articles), tmp_path / "out", store=tmp_path / "store")
    with Archive(tmp_path / "store") as db, View(tmp_path / "store" / "view") as view:
        view.archive = db

        class Plain:  # a store read through SPARQL only
            def select(self, query):  # type: ignore[no-untyped-def]
                return view.select(query)

        scanned, joined = _graph_view(view, None, True), _graph_view(Plain(), None, True)
        assert scanned == joined
        assert sum(len(e.evidence) for e in scanned.edges) > 5


def test_the_explorer_gives_each_edge_the_run_of_its_own_evidence(articles, tmp_path):
    """graph.html's data names an edge's evidence by its first piece and how many: the runs cover the
    evidence once, in the order of the edges, and each run is that edge's evidence in the graph's view."""
    from kg.export.explorer import explorer_data
    from kg.export.graphview import graph_view
    from kg.view import View

    build(list(articles), tmp_path / "out", store=tmp_path / "store")
    with Archive(tmp_path / "store") as db, View(tmp_path / "store" / "view") as view:
        view.archive = db
        data = explorer_data(view, "t")
        facts = {(e.source, e.target, e.predicate): [ev.sentence for ev in e.evidence] for e in graph_view(view).edges}
    ids = [data["base"] + i if ":" not in i else i for i in data["nodes"]["id"]]
    runs = [(edge[3], edge[4]) for edge in data["edges"]]
    assert [first for first, _n in runs] == [sum(n for _f, n in runs[:k]) for k in range(len(runs))]
    assert sum(n for _f, n in runs) == len(data["evidence"]) > 5
    for source, target, predicate, first, n in data["edges"]:
        said = [data["sentences"][data["evidence"][k][0]] for k in range(first, first + n)]
        assert said == facts[(ids[source], ids[target], data["predicates"][predicate])]


def test_graph_trig_written_in_chunks_holds_what_one_chunk_does(articles, tmp_path):
    """graph.trig is written a few articles and records at a time; the pieces, each with the prefixes taken
    off but the first's, read back as the quads of one piece."""
    import pyoxigraph as ox

    from kg.resolved import trig_chunks, without_prefixes
    from kg.view import View

    build(list(articles), tmp_path / "out", store=tmp_path / "store")
    with Archive(tmp_path / "store") as db, View(tmp_path / "store" / "view") as view:
        renames = dict(view._state.execute("SELECT iri, renames FROM graphs"))
        whole = b"".join(trig_chunks(db, renames, view.resolution_triples()))
        pieces = list(trig_chunks(db, renames, view.resolution_triples(), size=1, records=3))
    assert len(pieces) > 4
    joined = pieces[0] + b"".join(without_prefixes(p) for p in pieces[1:])
    quads = [set(map(str, ox.parse(text, format=ox.RdfFormat.TRIG))) for text in (whole, joined)]
    assert quads[0] == quads[1] and len(quads[0]) > 50


def test_what_validation_set_aside_is_found_without_reading_every_article(tmp_path):
    from rdflib import Literal, URIRef

    from kg.archive import encode
    from kg.ontology import KG

    fact = (URIRef("https://w3id.org/kgnews/id/person/a"), KG.jobTitle, Literal("대표", lang="ko"))
    with Archive(tmp_path / "store") as db:
        for i in range(20):
            db.put(encode(f"doc{i:02d}", [fact], [fact] if i in (3, 11) else []))
        db.flush()
        asked: list[str] = []
        db._db.set_trace_callback(asked.append)
        assert len(list(db.rejected())) == 2
        db._db.set_trace_callback(None)
        plan = " ".join(str(row) for q in asked for row in db._db.execute("EXPLAIN QUERY PLAN " + q))
        assert "USING INDEX articles_rejected" in plan  # the partial index of the few rows, not every row
