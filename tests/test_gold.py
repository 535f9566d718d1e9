"""The scorer of ../shared/eval on every annotated article, each built on its own, micro-averaged.

Floors, so extraction cannot silently get worse (issue 13's bars, over the 38 annotated articles): relation F1
>= 0.90 and entity F1 >= 0.92 overall, every relation >= 0.80 F1, and no article's relation F1 below 0.60.
``kg eval`` must agree with the shared scorer on every article.
"""

from __future__ import annotations

import importlib.util
import json

import pytest
from conftest import need_shared

from kg import build

REL_FLOOR, ENT_FLOOR, PREDICATE_FLOOR, DOC_FLOOR = 0.90, 0.92, 0.80, 0.60


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    shared = need_shared()
    spec = importlib.util.spec_from_file_location("kg_gold_scorer", shared / "eval" / "score.py")
    scorer = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(scorer)
    results = []
    for gold in sorted((shared / "gold").glob("*.json")):
        doc = json.loads(gold.read_text(encoding="utf-8"))["doc"]
        out = tmp_path_factory.mktemp(doc.replace(".", "_"))
        build([shared / "corpus" / doc], out, exporters=["turtle"])
        results.append(scorer.score(str(out / "graph.ttl"), str(gold)))
    return scorer, results


def test_gold_relation_and_entity_f1_floors(scored):
    scorer, results = scored
    summary = scorer.summarize(results)
    rel_f1, ent_f1 = summary["relations"]["ALL"][2], summary["entities"]["ALL"][2]
    assert rel_f1 >= REL_FLOOR, f"relation F1 {rel_f1:.3f} fell below {REL_FLOOR}"
    assert ent_f1 >= ENT_FLOOR, f"entity F1 {ent_f1:.3f} fell below {ENT_FLOOR}"


def test_gold_every_relation_floor(scored):
    scorer, results = scored
    summary = scorer.summarize(results)
    low = {p: round(prf[2], 3) for p, prf in summary["relations"].items() if p != "ALL" and prf[2] < PREDICATE_FLOOR}
    assert not low, f"relations below F1 {PREDICATE_FLOOR}: {low}"


def test_gold_no_article_collapses(scored):
    scorer, results = scored
    for r in results:
        f1 = scorer.summarize([r])["relations"]["ALL"][2]
        assert f1 >= DOC_FLOOR, f"{r['doc']}: relation F1 {f1:.3f} below {DOC_FLOOR}"


def test_kg_eval_agrees_with_the_shared_scorer(scored):
    from kg.evaluate import evaluate

    scorer, results = scored
    shared = need_shared()
    ours = evaluate(shared / "gold", shared / "corpus")
    assert not ours.errors
    theirs = scorer.summarize(results)
    for pred, counts in ours.relations().items():
        assert counts.prf() == pytest.approx(theirs["relations"][pred]), pred
    for etype, counts in ours.entities().items():
        assert counts.prf() == pytest.approx(theirs["entities"][etype]), etype
