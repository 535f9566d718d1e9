"""``kg eval``'s scoring on a hand-made annotation and graph (no shared data needed)."""

import json

import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace

from kg.cli import main
from kg.errors import InputError
from kg.evaluate import load_gold, score_graph
from kg.ontology import KG

EX = Namespace("urn:test:")


def write_gold(tmp_path, **extra):
    gold = {"doc": "a.txt",
            "entities": [{"id": "p", "type": "Person", "name": "홍길동", "aliases": ["홍 대표"]},
                         {"id": "o", "type": "Company", "name": "한빛테크"},
                         {"id": "m", "type": "Meeting", "name": "반도체 산업 간담회"},
                         {"id": "x", "type": "Policy", "name": "연구개발 세액 공제 확대"}],
            "relations": [{"s": "p", "p": "attended", "o": "m"},
                          {"s": ["p", "o"], "p": "demanded", "o": "x"},
                          {"s": "m", "p": "startDate", "o": "2025-07-08"},
                          {"s": "o", "p": "attended", "o": "m", "optional": True}], **extra}
    path = tmp_path / "a.json"
    path.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return path


def graph():
    g = Graph()
    for node, cls, label in ((EX.p, KG.Person, "홍길동"), (EX.o, KG.Company, "한빛테크"),
                             (EX.m, KG.Meeting, "반도체 산업 간담회"), (EX.x, KG.Policy, "세액 공제 확대"),
                             (EX.y, KG.Policy, "엉뚱한 정책")):
        g.add((node, RDF.type, cls))
        g.add((node, RDFS.label, Literal(label, lang="ko")))
    g.add((EX.p, KG.attended, EX.m))
    g.add((EX.o, KG.attended, EX.m))  # matches an optional gold relation: neither right nor wrong
    g.add((EX.o, KG.demanded, EX.x))  # fuzzy policy name, subject from the list
    g.add((EX.p, KG.demanded, EX.y))  # wrong
    return g


def test_evaluate_scores_relations_entities_and_lists_misses(tmp_path):
    result = score_graph(graph(), load_gold(write_gold(tmp_path)))
    att, dem, date = (result.relations[p] for p in ("attended", "demanded", "startDate"))
    assert (att.expected, att.found, att.predicted, att.correct) == (1, 1, 1, 1)
    assert (dem.expected, dem.found, dem.predicted, dem.correct) == (1, 1, 2, 1)
    assert (date.expected, date.found) == (1, 0)
    assert any("startDate 2025-07-08" in m for m in result.missed)
    assert "홍길동 demanded 엉뚱한 정책" in result.wrong
    assert result.entities["Policy"].predicted == 2 and result.entities["Policy"].correct == 1


def test_evaluate_bad_annotation_names_the_file_and_reason(tmp_path):
    path = write_gold(tmp_path, relations=[{"s": "nobody", "p": "attended", "o": "m"}])
    with pytest.raises(InputError, match=r"a\.json.*nobody"):
        load_gold(path)
    (tmp_path / "b.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match=r"b\.json"):
        load_gold(tmp_path / "b.json")


def test_cli_eval_on_a_written_article(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("산업통상자원부는 8일 ‘반도체 산업 간담회’를 열었다. 이날 간담회에는 홍길동 한빛테크 대표가 참석했다.",
                                  encoding="utf-8")
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    write_gold(gold_dir)
    code = main(["eval", str(gold_dir), "--corpus", str(corpus), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert out["relations"]["attended"]["recall"] == 1.0
    assert out["documents"]["a.txt"]["missed"]
    assert main(["eval", str(gold_dir), "--corpus", str(corpus), "--fail-under", "0.99"]) == 1
