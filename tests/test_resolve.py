"""Resolution across articles, on articles written for these tests: one node per real thing, every merge
recorded with its reason, different things kept apart, corrections honoured, order never matters."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from rdflib import Graph

from kg import build
from kg.resolve import ordinal
from kg.validate import validate_graph

KG = "https://w3id.org/kgnews/ontology#"
ID = "https://w3id.org/kgnews/id/"
P = f"PREFIX kg: <{KG}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> " \
    "PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX org: <http://www.w3.org/ns/org#> PREFIX prov: <http://www.w3.org/ns/prov#> " \
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "

QUANTUM_A = ("과기정통부, 양자 기업 현장간담회\n"
             "과학기술정보통신부 홍길동 제1차관은 8일 서울 중구 한국양자산업협회(KQIA)에서 '양자 산업 현장간담회'를 열었다. "
             "이날 간담회에는 한빛퀀텀, 미래양자 등 기업들이 참석했다. 김철수 한빛퀀텀 대표는 “양자 장비 도입 지원이 필요하다”고 말했다.")
QUANTUM_B = ("양자 기업들 “장비 지원 절실”\n"
             "홍길동 과기정통부 제1차관은 8일 KQIA를 방문해 양자 기업들과 간담회를 가졌다. 이날 열린 '양자 기술 민관 간담회'에는 "
             "한빛퀀텀, 미래양자, 큐빗랩 등 기업들이 참석했다. 이영희 큐빗랩 대표는 “인력 양성 지원을 요청한다”고 말했다.")
BATTERY = ("산업부, 배터리 간담회\n"
           "산업통상자원부는 8일 세종에서 '배터리 산업 간담회'를 열었다. 이날 간담회에는 한빛배터리, 나래에너지 등 기업들이 참석했다. "
           "김철수 나래에너지 사장은 “세제 지원을 확대해 달라”고 말했다.")
FORUM = "과학기술정보통신부는 8일 서울 중구 한국양자산업협회에서 '제{n}차 양자 전략 포럼'을 열었다. 이날 포럼에는 한빛퀀텀 등 기업들이 참석했다."
CAREER = [("2023-05-11", "서민준 한빛AI연구원장은 10일 서울에서 열린 'AI 인재 포럼'에 참석했다."),
          ("2025-08-12", "서민준 과학기술정보통신부 장관(전 한빛AI연구원장)은 11일 서울에서 'AI 현장간담회'를 주재했다."),
          ("2026-03-05", "서민준 부총리 겸 과학기술정보통신부 장관은 4일 세종에서 'AI 정책 간담회'를 주재했다.")]


def _write(folder, name, text, published="2025-07-09", outlet="테스트일보"):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.jsonl"
    record = {"text": text, "url": f"https://news.example/{name}", "published": published, "outlet": outlet}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _graph(out):
    store = ox.Store()
    store.load(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    return store


def _rows(store, query):
    return [tuple(None if v is None else v.value for v in row) for row in store.query(P + query)]


def _meetings(store):
    """label -> (attendee labels, number of articles that report it)"""
    out = {}
    for m, label in _rows(store, "SELECT ?m ?l WHERE { ?m a kg:Meeting ; rdfs:label ?l }"):
        who = {x for (x,) in _rows(store, f"SELECT ?l WHERE {{ ?a kg:attended <{m}> ; rdfs:label ?l }}")}
        arts = _rows(store, f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a kg:mentions <{m}> }}")[0][0]
        out[label] = (who, int(arts))
    return out


@pytest.fixture(scope="module")
def quantum(tmp_path_factory):
    src = tmp_path_factory.mktemp("src")
    paths = [_write(src, "a", QUANTUM_A, outlet="가나일보"), _write(src, "b", QUANTUM_B, outlet="다라뉴스"),
             _write(src, "c", BATTERY)]
    out = tmp_path_factory.mktemp("out")
    report = build(paths, out)
    return out, report, paths


def test_resolve_one_meeting_reported_by_two_outlets_under_two_names(quantum):
    out, report, _ = quantum
    meetings = _meetings(_graph(out))
    merged = [(label, v) for label, v in meetings.items() if v[1] == 2]
    assert len(merged) == 1, meetings
    label, (who, _n) = merged[0]
    assert {"한빛퀀텀", "미래양자", "큐빗랩", "홍길동", "이영희", "김철수"} <= who  # the union of both reports
    alt = {x for (x,) in _rows(_graph(out), f"SELECT ?a WHERE {{ ?m rdfs:label \"{label}\"@ko ; skos:altLabel ?a }}")}
    assert "양자 기술 민관 간담회" in alt | {label} and "양자 산업 현장간담회" in alt | {label}
    assert report.merged.get("Meeting") == 1


def test_resolve_records_every_merge_with_reason_names_and_articles(quantum):
    store = _graph(quantum[0])
    rows = _rows(store, "SELECT ?rule ?why (COUNT(DISTINCT ?art) AS ?n) WHERE { ?m a kg:Merge ; kg:rule ?rule ; "
                        "kg:reason ?why ; kg:resolvedEntity ?e ; prov:wasDerivedFrom ?art . ?e a kg:Meeting } "
                        "GROUP BY ?rule ?why")
    assert len(rows) == 1
    rule, why, n = rows[0]
    assert rule == "same-meeting" and "2025-07-08" in why and "the same place" in why and int(n) == 2
    same = _rows(store, "SELECT ?x ?y WHERE { ?x owl:sameAs ?y . ?y a kg:Meeting }")
    assert len(same) == 1  # the identifier the other article used leads to the merged node


def test_resolve_same_day_meeting_elsewhere_stays_apart(quantum):
    meetings = _meetings(_graph(quantum[0]))
    assert meetings["배터리 산업 간담회"][1] == 1
    assert "한빛퀀텀" not in meetings["배터리 산업 간담회"][0]


def test_resolve_acronym_of_an_organisation_joins_it(quantum):
    store = _graph(quantum[0])
    kqia = _rows(store, "SELECT ?o WHERE { ?o a kg:Association ; rdfs:label \"한국양자산업협회\"@ko ; "
                        "skos:altLabel \"KQIA\"@ko }")
    assert len(kqia) == 1


def test_resolve_namesakes_of_different_companies_stay_apart_and_say_why(quantum):
    store = _graph(quantum[0])
    people = _rows(store, "SELECT ?p ?o WHERE { ?p a kg:Person ; rdfs:label \"김철수\"@ko ; kg:affiliation/rdfs:label ?o }")
    assert sorted(o for _p, o in people) == ["나래에너지", "한빛퀀텀"]
    assert {p for p, _o in people} == {ID + "person/김철수-나래에너지", ID + "person/김철수-한빛퀀텀"}
    why = _rows(store, "SELECT ?why (COUNT(DISTINCT ?p) AS ?n) WHERE { ?d a kg:Distinction ; kg:reason ?why ; "
                       "kg:keptApart ?p } GROUP BY ?why")
    assert len(why) == 1 and "no organisation in common" in why[0][0] and int(why[0][1]) == 2
    assert quantum[1].kept_apart == 1
    # each namesake's facts have their own assertion (one subject each), with the evidence of its article
    facts = _rows(store, "SELECT ?p ?a ?url WHERE { ?a rdf:subject ?p ; rdf:predicate kg:affiliation ; kg:evidence ?e . "
                         "?p rdfs:label \"김철수\"@ko . ?e prov:wasDerivedFrom/kg:url ?url }")
    assert sorted((p.rsplit("-", 1)[1], url) for p, _a, url in facts) == [
        ("나래에너지", "https://news.example/c"), ("한빛퀀텀", "https://news.example/a")]
    assert len({a for _p, a, _u in facts}) == 2
    assert validate_graph(Graph().parse(quantum[0] / "graph.ttl"))[0]  # an assertion has one rdf:subject


def test_resolve_same_official_in_two_articles_is_one_person(quantum):
    store = _graph(quantum[0])
    hong = _rows(store, "SELECT ?p (COUNT(DISTINCT ?a) AS ?n) WHERE { ?p a kg:Person ; rdfs:label \"홍길동\"@ko . "
                        "?a kg:mentions ?p } GROUP BY ?p")
    assert len(hong) == 1 and int(hong[0][1]) == 2


def test_resolve_order_of_articles_never_changes_the_graph(quantum, tmp_path):
    _out, _report, paths = quantum
    build(list(reversed(paths)), tmp_path / "reversed")
    build(paths, tmp_path / "again")
    for name in ("graph.ttl", "graph.trig", "graph.jsonld"):
        assert (tmp_path / "reversed" / name).read_bytes() == (tmp_path / "again" / name).read_bytes(), name


def test_resolve_numbered_meetings_of_a_series_stay_apart(tmp_path):
    src = tmp_path / "src"
    paths = [_write(src, "f1", FORUM.format(n=1)), _write(src, "f3", FORUM.format(n=3))]  # same day, same place
    build(paths, tmp_path / "out")
    store = _graph(tmp_path / "out")
    assert len(_meetings(store)) == 2
    why = _rows(store, "SELECT ?why WHERE { ?d a kg:Distinction ; kg:reason ?why }")
    assert any("series" in w for (w,) in why)


def test_resolve_ordinal_reads_the_number_of_a_meeting():
    assert ordinal("제3차 인공지능 최고위 전략대화") == 3
    assert ordinal("제1회 AI 포럼") == 1
    assert ordinal("두 번째 간담회") == 2
    assert ordinal("박윤규 제2차관의 타운홀 미팅") is None  # a title, not a number
    assert ordinal("AI 3대 강국 간담회") is None


@pytest.fixture(scope="module")
def career(tmp_path_factory):
    src = tmp_path_factory.mktemp("career")
    return [_write(src, f"c{n}", text, published=day) for n, (day, text) in enumerate(CAREER)]


def test_resolve_person_whose_title_and_organisation_change_is_one_node(career, tmp_path):
    build(career, tmp_path / "out")
    store = _graph(tmp_path / "out")
    people = _rows(store, "SELECT ?p WHERE { ?p a kg:Person ; rdfs:label \"서민준\"@ko }")
    assert people == [(ID + "person/서민준",)]
    titles = {t for (t,) in _rows(store, "SELECT ?t WHERE { ?p rdfs:label \"서민준\"@ko ; kg:jobTitle ?t }")}
    assert {"한빛AI연구원장", "장관", "부총리"} <= titles
    rules = {r for (r,) in _rows(store, "SELECT ?r WHERE { ?m kg:resolvedEntity ?p ; kg:rule ?r . ?p a kg:Person }")}
    assert "shared-affiliation" in rules  # through the former post "(전 한빛AI연구원장)"


def test_resolve_memberships_form_a_history_and_answer_as_of_a_date(career, tmp_path):
    build(career, tmp_path / "out")
    store = _graph(tmp_path / "out")
    history = _rows(store, "SELECT ?org ?first ?last WHERE { ?m a org:Membership ; org:member ?p ; "
                           "org:organization/rdfs:label ?org ; kg:firstReported ?first ; kg:lastReported ?last . "
                           "?p rdfs:label \"서민준\"@ko } ORDER BY ?first")
    # the third article's "부총리 겸 과학기술정보통신부 장관" reports the ministry again
    assert history == [("한빛AI연구원", "2023-05-11", "2023-05-11"), ("과학기술정보통신부", "2025-08-12", "2026-03-05"),
                       ("과학기술정보통신부", "2026-03-05", "2026-03-05")]  # 장관, then also 부총리

    def as_of(day):
        return _rows(store, f"""SELECT ?org ?title WHERE {{
            ?m a org:Membership ; org:member ?p ; org:organization/rdfs:label ?org ; kg:title ?title ;
               kg:firstReported ?first . ?p rdfs:label "서민준"@ko .
            FILTER(?first <= "{day}"^^<http://www.w3.org/2001/XMLSchema#date>) }} ORDER BY DESC(?first) LIMIT 1""")

    assert as_of("2024-01-01") == [("한빛AI연구원", "한빛AI연구원장")]
    assert as_of("2025-12-31") == [("과학기술정보통신부", "장관")]
    assert as_of("2022-01-01") == []


def test_resolve_corrections_file_undoes_a_merge_and_makes_one(career, quantum, tmp_path):
    fix = tmp_path / "corrections.tsv"
    fix.write_text("# test\napart\t서민준@한빛AI연구원\t서민준@과학기술정보통신부\tnot the same\n"
                   "same\t김철수@한빛퀀텀\t김철수@나래에너지\n"
                   "same\tnobody\n", encoding="utf-8")
    report = build([*career, *quantum[2]], tmp_path / "out", corrections=fix)
    store = _graph(tmp_path / "out")
    seo = _rows(store, "SELECT ?p WHERE { ?p a kg:Person ; rdfs:label \"서민준\"@ko }")
    kim = _rows(store, "SELECT ?p WHERE { ?p a kg:Person ; rdfs:label \"김철수\"@ko }")
    # the 서민준 of 한빛AI연구원 and of 과학기술정보통신부 (장관, then 부총리 겸 장관) are two
    assert len(seo) == 2 and len(kim) == 1
    orgs = _rows(store, "SELECT ?p (COUNT(DISTINCT ?o) AS ?n) WHERE { ?p rdfs:label \"서민준\"@ko ; kg:affiliation ?o } "
                        "GROUP BY ?p")
    assert all(int(n) == 1 for _p, n in orgs)
    rules = {r for (r,) in _rows(store, "SELECT ?r WHERE { ?m a kg:Merge ; kg:rule ?r ; kg:reason ?why . "
                                        "FILTER(CONTAINS(?why, 'corrections.tsv')) }")}
    assert rules == {"correction"}
    assert any("line 4" in n for n in report.notes)  # the malformed line is reported, the rest applied


def test_resolve_records_and_memberships_conform_to_the_shapes(quantum, career, tmp_path):
    from kg import load_graph, validate_graph

    fix = tmp_path / "corrections.tsv"
    fix.write_text("same\t김철수@한빛퀀텀\t김철수@나래에너지\n", encoding="utf-8")
    build([*quantum[2], *career], tmp_path / "out", corrections=fix)
    graph = load_graph(tmp_path / "out" / "graph.ttl")
    kinds = {str(o).rsplit("#", 1)[-1] for o in graph.objects(None, None) if str(o).endswith(("#Merge", "#Membership"))}
    assert kinds == {"Merge", "Membership"}
    conforms, violations = validate_graph(graph)
    assert conforms, [v.describe() for v in violations[:5]]


def test_resolution_record_digests_are_those_an_earlier_view_kept():
    """A view made before resolution's records were Oxigraph's terms keeps its digests: the same records give
    the same digests, so that an upgraded store does not rewrite every record on its next add."""
    from rdflib import XSD, Literal, URIRef

    from kg.resolve import Resolution
    from kg.resolved import digest, resolution_records
    from kg.store import to_ox

    node = URIRef("https://example.org/kg/id/membership/0123")
    rdflib_triples = [(node, URIRef("https://example.org/kg#rule"), Literal("shared-affiliation")),
                      (node, URIRef("https://example.org/kg#title"), Literal("대표", lang="ko")),
                      (node, URIRef("https://example.org/kg#firstReported"), Literal("2025-07-09", datatype=XSD.date)),
                      (node, URIRef("http://www.w3.org/ns/org#member"), URIRef("https://example.org/kg/id/person/x"))]
    earlier = digest("".join(sorted(f"{p}\x1f{o}\x1f{getattr(o, 'language', '')}\x1f{getattr(o, 'datatype', '')}\n"
                                    for _s, p, o in rdflib_triples)))
    res = Resolution(triples=[(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in rdflib_triples])
    digests, by_subject = resolution_records(res)
    assert digests == {str(node): earlier}
    assert len(by_subject[str(node)]) == 4
