"""Bad, odd and hostile inputs (issue 14): each gets one clear line, the good inputs beside it are built, and
nothing hangs, crashes or is lost."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest
from hostile import GOOD, GOOD_2, clean_exit, jsonl, report, run_kg


def test_jsonl_records_of_the_wrong_types_are_skipped_and_the_good_lines_built(tmp_path):
    src = jsonl(tmp_path / "mixed.jsonl",
                {"text": GOOD, "url": "https://news.example/1"},
                {"text": GOOD_2, "url": 5},
                {"text": GOOD_2, "outlet": ["한빛일보"]},
                '{"text": "\\ud800' + GOOD_2[1:] + '", "url": "https://news.example/3"}',  # a lone surrogate
                "[" * 100_000,
                {"text": GOOD_2, "url": "https://news.example/2", "published": "2025-07-12"})
    proc = run_kg("build", str(src), "--out", "out", cwd=tmp_path)
    clean_exit(proc, 0)
    rep = report(tmp_path / "out")
    reasons = {s["source"].rsplit(":", 1)[-1]: s["reason"] for s in rep["skipped"]}
    assert set(reasons) == {"2", "3", "5"}, rep["skipped"]
    assert "url" in reasons["2"] and "outlet" in reasons["3"] and "deep" in reasons["5"]
    assert rep["articles_read"] == 3  # the lone surrogate is replaced, the article kept


def test_file_of_nul_bytes_is_no_article(tmp_path):
    (tmp_path / "nul.txt").write_bytes(b"\x00" * 4096)
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    proc = run_kg("build", "nul.txt", "good.txt", "--out", "out", cwd=tmp_path)
    clean_exit(proc, 0)
    rep = report(tmp_path / "out")
    assert rep["articles_read"] == 1
    assert [s["source"] for s in rep["skipped"]] == ["nul.txt"]


def test_nfd_hangul_gives_the_same_graph_as_nfc(tmp_path):
    for form in ("NFC", "NFD"):
        folder = tmp_path / form
        folder.mkdir()
        nf = lambda t, form=form: unicodedata.normalize(form, t)  # noqa: E731
        (folder / "a.txt").write_text(nf("한빛일보 김아름 기자\n" + GOOD), encoding="utf-8")
        jsonl(folder / "b.jsonl", {"text": nf(GOOD_2), "title": nf("배터리 간담회 열려"), "outlet": nf("한빛일보"),
                                   "url": "https://news.example/b", "published": "2025-07-12"})
        clean_exit(run_kg("build", str(folder), "--out", str(folder / "out"), "--export", "turtle",
                          cwd=tmp_path), 0)
    nfc = (tmp_path / "NFC" / "out" / "graph.ttl").read_text(encoding="utf-8")
    nfd = (tmp_path / "NFD" / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert nfc.replace("/NFC/", "/") == nfd.replace("/NFD/", "/")


def test_invisible_and_bidi_characters_never_reach_a_label(tmp_path):
    text = GOOD.replace("박민호", "박\u200b민\u200d호").replace("한빛퀀텀", "한빛\u202e퀀텀\u2066")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    clean_exit(run_kg("build", "a.txt", "--out", "out", "--export", "turtle", cwd=tmp_path), 0)
    ttl = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert '"박민호"@ko' in ttl and '"한빛퀀텀"@ko' in ttl
    assert not any(ch in ttl for ch in "\u200b\u200c\u200d\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def test_file_name_that_is_not_utf8_loses_nothing(tmp_path):
    odd = os.fsencode(tmp_path) + b"/\xff\xfe\xb0\xa1.txt"
    with open(odd, "wb") as fh:
        fh.write(GOOD.encode("utf-8"))
    (tmp_path / "good.txt").write_text(GOOD_2, encoding="utf-8")
    proc = run_kg("build", str(tmp_path), "--out", str(tmp_path / "out"), cwd=tmp_path)
    clean_exit(proc, 0)
    assert report(tmp_path / "out")["articles_read"] == 2


def test_unreadable_file_and_folder_are_reported_and_the_rest_built(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "locked").mkdir(parents=True)
    (corpus / "locked" / "a.txt").write_text(GOOD_2, encoding="utf-8")
    (corpus / "secret.txt").write_text(GOOD_2, encoding="utf-8")
    (corpus / "good.txt").write_text(GOOD, encoding="utf-8")
    os.chmod(corpus / "secret.txt", 0)
    os.chmod(corpus / "locked", 0)
    try:
        proc = run_kg("build", str(corpus), str(corpus / "locked" / "a.txt"), "--out", str(tmp_path / "out"),
                      cwd=tmp_path, bound_by_permissions=True)
        clean_exit(proc, 0)
        rep = report(tmp_path / "out")
        assert rep["articles_read"] == 1
        skipped = {Path(s["source"]).name: s["reason"] for s in rep["skipped"]}
        assert {"secret.txt", "locked", "a.txt"} <= set(skipped), rep["skipped"]
        assert all("permission" in reason.lower() for reason in skipped.values())
    finally:
        os.chmod(corpus / "locked", 0o755)
        os.chmod(corpus / "secret.txt", 0o644)


def test_out_naming_a_file_is_one_line(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "taken").write_text("mine", encoding="utf-8")
    proc = run_kg("build", "good.txt", "--out", "taken", cwd=tmp_path)
    clean_exit(proc, 2)
    assert "taken" in proc.stderr and (tmp_path / "taken").read_text(encoding="utf-8") == "mine"


def test_every_input_missing_leaves_the_previous_graph_alone(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    clean_exit(run_kg("build", "good.txt", "--out", "out", cwd=tmp_path), 0)
    before = (tmp_path / "out" / "graph.ttl").read_bytes()
    proc = run_kg("build", "gone.txt", "also-gone/", "--out", "out", cwd=tmp_path)
    clean_exit(proc, 2)
    assert "gone.txt" in proc.stderr
    assert (tmp_path / "out" / "graph.ttl").read_bytes() == before


def test_article_far_beyond_any_real_one_is_refused_quickly(tmp_path):
    (tmp_path / "huge.txt").write_text(GOOD * 80_000, encoding="utf-8")  # about 20 MB
    (tmp_path / "good.txt").write_text(GOOD_2, encoding="utf-8")
    proc = run_kg("build", "huge.txt", "good.txt", "--out", "out", "--export", "turtle", cwd=tmp_path, timeout=120)
    clean_exit(proc, 0)
    rep = report(tmp_path / "out")
    assert rep["articles_read"] == 1
    assert rep["skipped"][0]["source"] == "huge.txt" and "characters" in rep["skipped"][0]["reason"]


def test_malformed_annotation_files_are_named_and_the_rest_scored(tmp_path):
    gold, corpus = tmp_path / "gold", tmp_path / "corpus"
    gold.mkdir()
    corpus.mkdir()
    (corpus / "a.txt").write_text(GOOD, encoding="utf-8")
    (gold / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    (gold / "list.json").write_text("[]", encoding="utf-8")
    (gold / "bytes.json").write_bytes(b"\xff\xfe\x00garbage")
    (gold / "good.json").write_text('{"doc": "a.txt", "entities": [{"id": "p", "type": "Person", "name": "박민호"}],'
                                    ' "relations": []}', encoding="utf-8")
    proc = run_kg("eval", str(gold), "--corpus", str(corpus), cwd=tmp_path)
    clean_exit(proc, 0)
    for name in ("deep.json", "list.json", "bytes.json"):
        assert name in proc.stderr


@pytest.mark.parametrize("make", [
    lambda n: '{"@id": "http://x/a", "http://x/p": ' * n + "1" + "}" * n,
    lambda n: '{"@id": "http://x/a", "http://x/p": ' + "[" * (10 * n) + "1" + "]" * (10 * n) + "}",
])
def test_deeply_nested_json_ld_graph_is_refused(tmp_path, make):
    (tmp_path / "deep.jsonld").write_text(make(10_000), encoding="utf-8")
    for args in (("query", "SELECT * WHERE { ?s ?p ?o }", "--graph", "deep.jsonld"),
                 ("stats", "--graph", "deep.jsonld"), ("validate", "deep.jsonld")):
        proc = run_kg(*args, cwd=tmp_path, timeout=60)
        clean_exit(proc, 2)
        assert "deep.jsonld" in proc.stderr and "nest" in proc.stderr


@pytest.mark.parametrize("query", [
    "SELECT * WHERE " + "{ " * 10_000 + "?s ?p ?o" + " }" * 10_000,
    "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 50_000 + "1" + ")" * 50_000 + ") }",
])
def test_deeply_nested_query_is_refused(tmp_path, query):
    (tmp_path / "g.ttl").write_text("<http://x/s> <http://x/p> 1 .\n", encoding="utf-8")
    (tmp_path / "deep.rq").write_text(query, encoding="utf-8")
    proc = run_kg("query", "@deep.rq", "--graph", "g.ttl", cwd=tmp_path, timeout=60)
    clean_exit(proc, 2)
    assert "nest" in proc.stderr
