"""kg query: the named queries answer what the sample articles say; results formats; errors that point."""

from __future__ import annotations

import io
import json

import pyoxigraph as ox
import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib.query import Result

from kg import build
from kg.cli import main
from kg.errors import ConfigError, QueryError
from kg.ingest import clean_article, read_articles
from kg.queries import bind, named_queries, named_query, parse, query_text
from kg.query import run_query
from kg.results import Answer, Term, render
from kg.store import Store


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample corpus built into a store (its resolved view is what queries read) and a graph file."""
    out = tmp_path_factory.mktemp("sample")
    build(None, out / "out", store=out / "store")
    return out


def ask(sample, name: str, **params: str) -> list[dict[str, str]]:
    """A named query's rows on the sample store, checked to be the same on the sample graph file."""
    text = bind(named_query(name), params)
    rows = run_query(sample / "store", text).records()
    assert _unordered(rows) == _unordered(run_query(sample / "out" / "graph.ttl", text).records())
    return rows


def _unordered(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """GROUP_CONCAT lists come in no set order."""
    return [{k: ", ".join(sorted(v.split(", "))) for k, v in r.items()} for r in rows]


# ---- the library


def test_library_every_query_parses_and_declares_its_parameters():
    queries = named_queries()
    assert {"demands-by", "meetings-hosted-by", "attendees", "shared-demands", "meeting-timeline", "evidence",
            "articles-about", "titles-as-of", "merges"} <= set(queries)
    for q in queries.values():
        assert q.description and q.text.lstrip().startswith("#")
        for p in q.params:
            assert p.description, f"{q.name}: parameter {p.name} says nothing"


def test_library_bad_header_names_the_file():
    with pytest.raises(ConfigError, match=r"x\.rq: parameter who needs a `VALUES"):
        parse("# Who?\n# param who name: someone\nSELECT * WHERE { ?s ?p ?o }", "x", "x.rq")
    with pytest.raises(ConfigError, match=r"x\.rq: bad parameter line"):
        parse("# Who?\n# param who person: someone\nSELECT * WHERE { VALUES ?who { 1 } }", "x", "x.rq")
    with pytest.raises(ConfigError, match="start the file with a comment"):
        parse("SELECT * WHERE { ?s ?p ?o }", "x", "x.rq")


def test_bind_checks_names_and_types():
    q = named_query("demands-by")
    with pytest.raises(QueryError, match="needs --param org"):
        bind(q, {})
    with pytest.raises(QueryError, match=r"no parameter who; it takes: org \(name\), since \(date, optional\)"):
        bind(q, {"org": "업스테이지", "who": "x"})
    with pytest.raises(QueryError, match="not a date"):
        bind(q, {"org": "업스테이지", "since": "July 2025"})
    with pytest.raises(QueryError, match="not an integer"):
        bind(named_query("shared-demands"), {"min": "two"})
    assert 'VALUES ?org { "업스테이지"@ko }' in bind(q, {"org": "업스테이지"})
    assert "VALUES ?since { UNDEF }" in bind(q, {"org": "업스테이지"})


def test_bind_a_value_with_quotes_stays_a_value(sample):
    # a name that tries to close the literal and add a pattern is only ever a (non-matching) literal
    rows = ask(sample, "demands-by", org='업스테이지" } ?s ?p ?o . { "')
    assert rows == []


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1))
def test_term_n3_round_trips_through_a_query(text):
    with Store.open(None) as store:
        for term in (Term.literal(text, lang="ko"), Term.literal(text)):
            got = store.query(f"SELECT ?x WHERE {{ VALUES ?x {{ {term.n3()} }} }}").rows[0][0]
            assert got == term


# ---- each named query, against what the articles say


def test_demands_by_a_company_itself_and_through_its_chief(sample):
    rows = ask(sample, "demands-by", org="업스테이지")
    got = {(r["policy"], r["who"], r["act"]) for r in rows}
    # sample 000: the companies at the KOSA round-table asked for a grace period on the AI Basic Act's rules;
    # 업스테이지's chief 김성훈 appealed for vouchers
    assert ("AI 기본법 규제 조항 유예", "업스테이지", "Demand") in got
    assert ("바우처 지원", "김성훈", "Appeal") in got
    # sample 003 (undated) adds what the data-centre companies asked for collectively
    assert all(r["published"] == "2025-07-09" for r in rows if r["article"].startswith("000_"))
    assert {r["article"][:3] for r in rows} == {"000", "003"}
    assert ask(sample, "demands-by", org="업스테이지", since="2025-07-10") == []
    # a person's name works too
    assert {r["policy"] for r in ask(sample, "demands-by", org="김성훈")} >= {"바우처 지원"}


def test_meetings_hosted_by_the_vice_minister(sample):
    rows = ask(sample, "meetings-hosted-by", host="류제명")
    kosa = {r["attendee"] for r in rows if r.get("date") == "2025-07-08"}
    # sample 000: 류제명 visited KOSA on the 8th; KOSA's 조준희 and 업스테이지's 김성훈 took part
    assert {"조준희", "김성훈", "업스테이지", "한국인공지능·소프트웨어산업협회"} <= kosa
    assert "류제명" not in kosa  # the host is not listed as his own guest


def test_attendees_of_a_day_with_organisation_and_title(sample):
    rows = ask(sample, "attendees", date="2025-07-08")
    people = {(r["attendee"], r.get("organization"), r.get("title")) for r in rows if r["kind"] == "Person"}
    assert ("김성훈", "업스테이지", "대표") in people
    assert ("조준희", "한국인공지능·소프트웨어산업협회", "회장") in people
    assert {r["day"] for r in rows} == {"2025-07-08"}
    named = ask(sample, "attendees", meeting="반도체 전쟁")  # sample 002: the debate at the National Assembly
    assert {r["name"] for r in named} == {"초거대 AI 시대의 대한민국 그리고 AI 반도체 전쟁 토론회"}
    assert {r["day"] for r in named} == {"2023-09-25"}


def test_shared_demands_lists_every_organisation(sample):
    rows = {r["policy"]: r for r in ask(sample, "shared-demands")}
    grace = rows["AI 기본법 규제 조항 유예"]
    assert int(grace["organizations"]) >= 2
    assert {"업스테이지", "LG AI연구원"} <= set(grace["by"].split(", "))
    assert all(int(r["organizations"]) >= 2 for r in rows.values())
    strict = {r["policy"] for r in ask(sample, "shared-demands", min="6")}
    assert "바우처 지원" not in strict and strict <= set(rows)


def test_meeting_timeline_on_a_topic_in_time_order(sample):
    rows = ask(sample, "meeting-timeline", topic="반도체")
    debate = [r for r in rows if r["meeting"].endswith("AI 반도체 전쟁 토론회")]
    # the hall and the district it is in
    assert debate and debate[0]["date"] == "2023-09-25" and set(debate[0]["places"].split(", ")) == {
        "국회의원회관", "서울 여의도"}
    assert debate[0]["hosts"] == "윤영찬"  # sample 002: hosted by assemblyman 윤영찬
    everything = ask(sample, "meeting-timeline")
    dates = [r["date"] for r in everything if "date" in r]
    assert dates == sorted(dates) and len(everything) > len(rows)
    kosa = next(r for r in everything if r.get("date") == "2025-07-08")
    assert kosa["articles"] == "2"  # samples 000 and 003 both report it


def test_evidence_points_at_the_sentence_in_the_cleaned_article(sample):
    rows = ask(sample, "evidence", subject="업스테이지", predicate="demanded", object="AI 기본법 규제 조항 유예")
    assert rows, "no evidence for 업스테이지 demanded the grace period"
    row = rows[0]
    assert row["extractor"] == "demands" and 0 < float(row["confidence"]) <= 1
    article = next(a for a in read_articles([ROOT / "kg" / "data" / "corpus"]) if a.source.endswith(row["article"]))
    text = clean_article(article).text
    assert text[int(row["start"]):int(row["end"])] == row["sentence"]
    assert {r["relation"] for r in ask(sample, "evidence", subject="업스테이지")} >= {"attended", "demanded"}


def test_articles_about_a_person(sample):
    rows = ask(sample, "articles-about", entity="류제명")
    assert {r["outlet"] for r in rows} == {"이데일리", "테크M"}  # samples 000 and 003
    assert any(r.get("published") == "2025-07-09" and r["article"].startswith("000_") for r in rows)


def test_titles_as_of_a_day(sample):
    rows = ask(sample, "titles-as-of", person="류제명", date="2025-12-31")
    assert rows and rows[0]["organization"] == "과학기술정보통신부" and rows[0]["title"] in ("제2차관", "차관")
    assert ask(sample, "titles-as-of", person="류제명", date="2025-01-01") == []


def test_merges_say_why(sample):
    rows = {(r["entity"], r["rule"], r["articles"]) for r in ask(sample, "merges")}
    assert ("기업인들과 함께하는 AI 3대 강국 조기 실현 현장 간담회", "same-meeting", "2") in rows
    assert ("류제명", "shared-affiliation", "2") in rows


# ---- formats


def _sample_answer() -> Answer:
    rows = ((Term.iri("https://w3id.org/kgnews/id/person/김성훈"), Term.literal('그는 "바우처"\n지원,\t요청', "ko")),
            (Term("bnode", "b0"), None),
            (Term.literal("3", datatype="http://www.w3.org/2001/XMLSchema#integer"), Term.literal("plain")))
    return Answer("select", ("who", "said"), rows)


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_results_formats_read_back_with_rdflib(fmt):
    answer = _sample_answer()
    data = render(answer, fmt)
    parsed = Result.parse(io.BytesIO(data.encode("utf-8")), format=fmt)
    assert [str(v) for v in parsed.vars] == ["who", "said"]
    got = [tuple(None if row[v] is None else str(row[v]) for v in parsed.vars) for row in parsed]
    assert got[0] == ("https://w3id.org/kgnews/id/person/김성훈", '그는 "바우처"\n지원,\t요청')
    assert got[2] == ("3", "plain")
    assert len(got) == 3


_XML_SAFE = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\x01\x02\x03\x04\x05\x06\x07"
                          "\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d"
                          "\x1e\x1f\ufffe\uffff")


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet=_XML_SAFE, min_size=1))
def test_results_formats_escape_any_text(text):
    answer = Answer("select", ("v",), ((Term.literal(text, "ko"),),))
    for fmt in ("json", "xml", "csv"):
        parsed = Result.parse(io.BytesIO(render(answer, fmt).encode("utf-8")), format=fmt)
        assert [str(row[0]) for row in parsed] == [text], fmt
    # rdflib's TSV reader knows no \u escapes; Oxigraph's follows the recommendation
    tsv = ox.parse_query_results(render(answer, "tsv").encode("utf-8"), format=ox.QueryResultsFormat.TSV)
    assert [(sol["v"].value, sol["v"].language) for sol in tsv] == [(text, "ko")]


def test_ask_and_table_formats():
    assert json.loads(render(Answer("ask", boolean=True), "json")) == {"head": {}, "boolean": True}
    table = render(_sample_answer(), "table", {"person": "https://w3id.org/kgnews/id/person/"}, cut=14)
    assert "person:김성훈" in table and "(3 rows; long values cut" in table
    cut = Answer("select", ("x",), ((Term.literal("a"),),), truncated=True, limit=1)
    assert "cut at the limit of 1" in render(cut, "table")


def test_query_limit_and_construct(sample):
    answer = run_query(sample / "store", "SELECT ?s WHERE { ?s a kg:Person }", limit=2)
    assert len(answer.rows) == 2 and answer.truncated
    graph = run_query(sample / "store", "CONSTRUCT { ?s a kg:Person } WHERE { ?s a kg:Person }",
                      graph_format="ntriples")
    assert graph.kind == "graph" and b"/ontology#Person>" in graph.graph


# ---- errors a user can act on


def test_syntax_error_points_at_line_and_column(sample):
    with pytest.raises(QueryError) as err:
        run_query(sample / "out" / "graph.ttl", "SELECT ?x WHERE {\n  ?x kg:attended ?m\n  FILTER(?m = ) }")
    message = str(err.value)
    assert "line 3, column" in message and "FILTER(?m = ) }" in message and "^" in message
    assert err.value.line == 3 and f"column {err.value.column}:" in message


def test_unknown_prefix_names_the_known_ones(sample):
    with pytest.raises(QueryError, match=r"unknown prefix 'schema:' at line 1.*knows .*kg, .*person, .*rdfs"):
        run_query(sample / "out" / "graph.ttl", "SELECT ?x WHERE { ?x schema:name ?n }")


def test_missing_sources_are_named(tmp_path):
    with pytest.raises(Exception, match="no such graph file"):
        run_query(tmp_path / "nope.ttl", "ASK {}")
    (tmp_path / "empty").mkdir()
    with pytest.raises(Exception, match="no resolved store here"):
        run_query(tmp_path / "empty", "ASK {}")


def test_query_text_from_a_file_with_parameters(tmp_path):
    f = tmp_path / "q.rq"
    f.write_text("# Persons named so\n# param n name: a name\nSELECT ?p WHERE { VALUES ?n { \"x\"@ko } "
                 "?p rdfs:label ?n }\n", encoding="utf-8")
    assert '"류제명"@ko' in query_text(f"@{f}", {"n": "류제명"})
    with pytest.raises(QueryError, match="--param works with a named query"):
        query_text("SELECT * WHERE { ?s ?p ?o }", {"n": "x"})


def test_cli_named_query_with_parameters(sample, capsys):
    assert main(["query", "demands-by", "--param", "org=업스테이지", "--store", str(sample / "store"),
                 "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("policy,who,act,published,article,sentence\r\n") and "AI 기본법 규제 조항 유예" in out
    assert main(["query", "--list"]) == 0
    listing = capsys.readouterr().out
    assert "demands-by --param org=…" in listing and "since (date, optional)" in listing
    assert main(["query", "demands-by", "--graph", str(sample / "out" / "graph.ttl")]) == 2
    assert "needs --param org" in capsys.readouterr().err
    assert main(["query", "SELECT ?x WHERE { ?x foo:bar ?y }", "--graph", str(sample / "out" / "graph.ttl")]) == 2
    assert "unknown prefix 'foo:'" in capsys.readouterr().err
