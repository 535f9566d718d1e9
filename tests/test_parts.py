"""Resolution by parts (kg/resolve/parts.py): what an add re-resolves, and that the outcome is always the one
resolving the whole store gives."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

import pytest

import kg.resolve.parts as parts_module
from kg import build
from kg.archive import Archive
from kg.build import remove
from kg.resolve import Resolution, resolve
from kg.resolve.parts import resolve_parts
from kg.resolved import resolution_records

# 김민수 of three organisations, two of which are one (한국양자산업협회 goes by KQIA too)
KQIA_PERSON = "김민수 KQIA 회장은 8일 서울에서 열린 '양자 산업 간담회'에 참석했다."
ALIAS = "한국양자산업협회(KQIA)는 9일 대전에서 '양자 장비 포럼'을 열었다."
ASSOCIATION_PERSON = "김민수 한국양자산업협회 회장은 10일 세종에서 열린 '양자 인재 간담회'에 참석해 인력 지원을 요청했다."
COMPANY_PERSON = "김민수 나래에너지 대표는 11일 울산에서 열린 '배터리 간담회'에 참석했다."
UNDATED = "김민수 나래에너지 대표는 11일 울산에서 열린 '배터리 산업 간담회'에 참석해 세제 지원을 요청했다."
OTHER = "이영희 큐빗랩 대표는 12일 부산에서 열린 '양자 소자 간담회'에 참석했다."


def _article(folder, name, text, published="2025-07-09"):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.jsonl"
    record = {"text": text, "url": f"https://news.example/{name}", "outlet": "가나일보"}
    if published:
        record["published"] = published
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


@pytest.fixture()
def corpus(tmp_path):
    src = tmp_path / "in"
    return {"kqia": _article(src, "kqia", KQIA_PERSON), "alias": _article(src, "alias", ALIAS, "2025-07-10"),
            "association": _article(src, "association", ASSOCIATION_PERSON, "2025-07-11"),
            "company": _article(src, "company", COMPANY_PERSON, "2025-07-12"),
            "undated": _article(src, "undated", UNDATED, None), "other": _article(src, "other", OTHER)}


def _exports(out):
    """The graph files, and the counts of the report (kept by the view as it changes)."""
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    counts = {k: report[k] for k in ("entities", "relations", "merged", "kept_apart", "memberships")}
    return {name: (out / name).read_bytes() for name in ("graph.ttl", "graph.trig", "graph.jsonld")} | counts


def _fresh(paths, tmp_path, name):
    out = tmp_path / name
    build(paths, out, store=tmp_path / f"{name}-store")
    return _exports(out)


def _people_named(out, name):
    from rdflib import Graph, Literal, URIRef

    g = Graph().parse(out / "graph.ttl")
    person = URIRef("https://w3id.org/kgnews/ontology#Person")
    return {s for s in g.subjects(URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal(name, lang="ko"))
            if (s, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), person) in g}


def test_adds_and_removals_by_parts_equal_a_fresh_build_at_every_step(corpus, tmp_path):
    store, out = tmp_path / "store", tmp_path / "inc"
    c = corpus
    build([c["kqia"], c["association"], c["company"]], out, store=store)
    assert len(_people_named(out, "김민수")) == 3  # KQIA and 한국양자산업협회 are not yet known to be one
    assert _exports(out) == _fresh([c["kqia"], c["association"], c["company"]], tmp_path, "f1")

    # names no person, yet makes two organisations one: the people who name them are resolved again
    build([c["alias"]], out, store=store)
    assert len(_people_named(out, "김민수")) == 2
    assert _exports(out) == _fresh([c["kqia"], c["alias"], c["association"], c["company"]], tmp_path, "f2")

    build([c["undated"]], out, store=store)  # a meeting known by its day of the month only
    everything = [c["kqia"], c["alias"], c["association"], c["company"], c["undated"]]
    assert _exports(out) == _fresh(everything, tmp_path, "f3")

    remove([str(c["company"])], store, out)
    assert _exports(out) == _fresh([c["kqia"], c["alias"], c["association"], c["undated"]], tmp_path, "f4")

    remove([str(c["alias"])], store, out)  # the organisations are two again, and so are their 김민수
    assert len(_people_named(out, "김민수")) == 3
    assert _exports(out) == _fresh([c["kqia"], c["association"], c["undated"]], tmp_path, "f5")

    build([c["company"], c["alias"]], out, store=store)
    assert _exports(out) == _fresh(everything, tmp_path, "f6")


def test_an_add_resolves_only_the_parts_it_touches(corpus, tmp_path, monkeypatch):
    store, out = tmp_path / "store", tmp_path / "out"
    build([c for name, c in corpus.items() if name != "other"], out, store=store)
    names: list[str] = []
    real = parts_module.resolve_persons

    def counting(cl, *args):  # type: ignore[no-untyped-def]
        names.extend(sorted({m.label for m in cl.mentions.values()}))
        return real(cl, *args)

    monkeypatch.setattr(parts_module, "resolve_persons", counting)
    build([corpus["other"]], out, store=store)
    assert names == ["이영희"]  # not 김민수, whom the new article does not name
    names.clear()
    build([corpus["other"]], out, store=store)  # nothing new: nothing resolved
    assert names == []


def test_parts_resolve_a_store_as_a_whole_resolution_does(corpus, tmp_path):
    store = tmp_path / "store"
    build(list(corpus.values()), tmp_path / "out", store=store, exporters=())
    with Archive(store) as db:
        whole = resolve(db, [])
        state = sqlite3.connect(tmp_path / "parts.sqlite")
        state.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        by_parts = resolve_parts(db, state, "basis", fresh=True)
    assert by_parts.full
    assert {g: [list(r) for r in rows] for g, rows in whole.renamed_in.items()} == {
        g: [list(r) for r in rows] for g, rows in by_parts.renames.items() if rows}
    assert len(by_parts.renames) == len(corpus)
    records = Resolution(triples=[t for ts in by_parts.records.values() for t in ts])
    assert resolution_records(whole)[0] == resolution_records(records)[0]
    assert whole.merged == by_parts.merged and whole.merged  # merges there are, and the same
    assert (whole.distinctions, whole.memberships) == (by_parts.distinctions, by_parts.memberships)


def test_what_the_parts_kept_if_damaged_is_resolved_again(corpus, tmp_path):
    store, out = tmp_path / "store", tmp_path / "out"
    first = [c for name, c in corpus.items() if name not in ("other", "alias")]
    build(first, out, store=store)
    with sqlite3.connect(store / "view" / "view.sqlite") as state:
        state.execute("UPDATE r_parts SET renames = '{' WHERE part LIKE 'P:%'")
    build([corpus["alias"], corpus["other"]], out, store=store)
    assert _exports(out) == _fresh(list(corpus.values()), tmp_path, "fresh")


def test_a_store_with_corrections_is_resolved_whole_and_by_parts_again_without(corpus, tmp_path, monkeypatch):
    import importlib

    kb = importlib.import_module("kg.build")
    store, out = tmp_path / "store", tmp_path / "out"
    build([corpus["kqia"], corpus["company"]], out, store=store)
    fix = store / "corrections.tsv"
    template = fix.read_text(encoding="utf-8")
    fix.write_text(template + "same\tPerson:김민수@KQIA\tPerson:김민수@나래에너지\n", encoding="utf-8")
    calls: list[str] = []
    whole, by_parts = kb.resolve, kb.resolve_parts
    monkeypatch.setattr(kb, "resolve", lambda *a, **k: calls.append("whole") or whole(*a, **k))
    monkeypatch.setattr(kb, "resolve_parts", lambda *a, **k: calls.append("parts") or by_parts(*a, **k))
    build([corpus["association"]], out, store=store)
    assert calls == ["whole"] and len(_people_named(out, "김민수")) == 2  # one of the three joined by the user
    fix.write_text(template, encoding="utf-8")
    build([corpus["undated"]], out, store=store)
    assert calls == ["whole", "parts"] and len(_people_named(out, "김민수")) == 3
    assert _exports(out) == _fresh([corpus[n] for n in ("kqia", "company", "association", "undated")], tmp_path,
                                   "fresh")


def test_a_record_that_grows_is_rewritten_by_its_difference(tmp_path, monkeypatch):
    """A membership reported by one more article gains a triple: only that triple is written, and the
    union holds the record as it is now (an identifier's owl:sameAs the same way, beside its other triples)."""
    from types import SimpleNamespace

    import pyoxigraph as ox

    from kg.store import Store
    from kg.view import _rewrite_records

    def iri(x: str) -> ox.NamedNode:
        return ox.NamedNode(f"https://w3id.org/kgnews/id/{x}")

    ms, person, moved, other = iri("membership/1"), iri("person/김"), iri("person/x"), iri("person/김-2")
    derived = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
    same = ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs")
    named = (moved, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("김", language="ko"))
    art = [iri(f"article/{i}") for i in range(3)]
    now = {ms.value: [(ms, derived, a) for a in art], moved.value: [(moved, same, other)]}

    class Writes:  # Oxigraph's store takes no attributes: its writes are watched through this
        def __init__(self, db: ox.Store) -> None:
            self.db = db
            self.added: list[tuple[object, ...]] = []

        def __getattr__(self, name: str) -> object:
            return getattr(self.db, name)

        def extend(self, quads: Iterable[ox.Quad]) -> None:
            quads = list(quads)
            self.added += [(q.subject, q.predicate, q.object) for q in quads]
            self.db.extend(quads)

    with Store(tmp_path / "u") as union:
        union._db.extend(ox.Quad(*t) for t in [(ms, derived, art[0]), (ms, derived, art[1]), (moved, same, person),
                                               named])
        deleted: list[tuple[ox.NamedNode, ...]] = []
        real_delete = union._delete
        monkeypatch.setattr(union, "_delete", lambda ts, g: (deleted.extend(ts), real_delete(ts, g)))
        db, union._db = union._db, Writes(union._db)
        view = SimpleNamespace(union=union, journal=None)  # what _rewrite_records reads of a View
        _rewrite_records(view, [ms.value, moved.value], now, {ms.value, moved.value})  # type: ignore[arg-type]
        added, union._db = union._db.added, db
        assert sorted(map(str, added)) == sorted(map(str, [(ms, derived, art[2]), (moved, same, other)]))
        assert deleted == [(moved, same, person)]
        held = {(q.subject, q.predicate, q.object) for q in db.quads_for_pattern(None, None, None, None)}
        assert held == {*now[ms.value], *now[moved.value], named}


def test_a_busy_day_resolves_again_only_the_meetings_a_new_report_may_join(tmp_path, monkeypatch):
    """The meetings of one date in groups no candidate pair joins: a new report of one meeting resolves that
    meeting's group again, not the day's other meetings; removing a report splits what it alone joined; and
    the outcome is at every step the one a fresh build gives — also when the new report comes first in the
    order the groups are named by (the renames of the others move to a group of another name)."""
    from kg.model import content_hash

    src = tmp_path / "in"
    say = {
        "q1": "이영희 큐빗랩 대표는 8일 부산에서 열린 '양자 소자 간담회'에 참석했다.",
        "q2": "박철수 나래에너지 대표는 8일 부산에서 열린 '양자 소자 기업 간담회'에 참석해 세제 지원을 요청했다.",
        "b1": "정우성 한빛전자 대표는 8일 울산에서 열린 '배터리 산업 포럼'에 참석했다.",
        "b2": "최민호 한빛전자 대표는 8일 울산에서 열린 '배터리 산업 포럼'에 참석해 인력 지원을 요청했다.",
    }
    first = min(content_hash(f"https://news.example/{k}") for k in ("q1", "q2"))
    late = next(f"q3{n}" for n in range(1000) if content_hash(f"https://news.example/q3{n}") < first)
    say[late] = "김도윤 큐빗랩 이사는 8일 부산에서 열린 '양자 소자 산업 간담회'에 참석했다."
    paths = {k: _article(src, k, text) for k, text in say.items()}
    store, out = tmp_path / "store", tmp_path / "out"
    build([paths[k] for k in ("q1", "q2", "b1", "b2")], out, store=store)
    assert _exports(out) == _fresh([paths[k] for k in ("q1", "q2", "b1", "b2")], tmp_path, "f1")

    resolved: list[int] = []
    real = parts_module.resolve_meetings

    def counting(cl, *args):  # type: ignore[no-untyped-def]
        resolved.append(len(cl.mentions))
        return real(cl, *args)

    monkeypatch.setattr(parts_module, "resolve_meetings", counting)
    build([paths[late]], out, store=store)
    assert resolved == [3]  # the 양자 소자 간담회 reports, not the forum's
    assert _exports(out) == _fresh([paths[k] for k in ("q1", "q2", "b1", "b2", late)], tmp_path, "f2")

    resolved.clear()
    remove([str(paths["q1"])], store, out)
    assert resolved == [2]
    assert _exports(out) == _fresh([paths[k] for k in ("q2", "b1", "b2", late)], tmp_path, "f3")
