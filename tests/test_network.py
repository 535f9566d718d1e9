"""Network analysis (kg.network, kg analyze) on small graphs built by hand, and on the sample corpus."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT

from kg.analyze import analyze, format_rows
from kg.cli import main
from kg.export.graphview import EdgeView, GraphView, NodeView
from kg.network import Network, NotFound

P = "https://w3id.org/kgnews/id/"


def _net(nodes: list[tuple[str, str, str]], edges: list[tuple[str, str, str]], dates: dict[str, str] | None = None,
         aliases: dict[str, list[str]] | None = None) -> Network:
    dates, aliases = dates or {}, aliases or {}
    view = GraphView([NodeView(P + i, t, label, aliases.get(i, []), {"startDate": [dates[i]]} if i in dates else {})
                      for i, t, label in nodes],
                     [EdgeView(P + s, P + o, p) for s, p, o in edges])
    return Network.of(view)


@pytest.fixture
def net() -> Network:
    """Two ministries' meetings: 김 (ministry A) meets two firms; 이 (ministry B) meets one of them; 박 of firm X
    asks for a tax credit that firm Y asks for too."""
    return _net(
        [("a", "GovernmentAgency", "산업통상자원부"), ("b", "GovernmentAgency", "중소벤처기업부"),
         ("kim", "Person", "김장관"), ("lee", "Person", "이장관"), ("park", "Person", "박대표"),
         ("x", "Company", "엑스전자"), ("y", "Company", "와이바이오"), ("m1", "Meeting", "반도체 간담회"),
         ("m2", "Meeting", "바이오 간담회"), ("tax", "Policy", "세액공제 확대"), ("q", "Quote", "지원해 달라"),
         ("seoul", "Place", "서울 중구")],
        [("kim", "affiliation", "a"), ("lee", "affiliation", "b"), ("park", "affiliation", "x"),
         ("kim", "organizer", "m1"), ("x", "attended", "m1"), ("y", "attended", "m1"), ("park", "attended", "m1"),
         ("lee", "organizer", "m2"), ("y", "attended", "m2"), ("x", "demanded", "tax"), ("y", "demanded", "tax"),
         ("park", "stated", "q"), ("m1", "location", "seoul"), ("m2", "location", "seoul")],
        dates={"m1": "2024-03-05", "m2": "2025-01-20"}, aliases={"a": ["산업부"]})


def test_network_co_attendance_counts_shared_meetings_with_their_dates(net):
    rows = net.co_attendance().rows
    top = rows[0]
    assert {top["a_label"], top["b_label"]} == {"와이바이오", "김장관"} or top["meetings"] == 1
    pair = next(r for r in rows if {r["a_label"], r["b_label"]} == {"엑스전자", "와이바이오"})
    assert pair["meetings"] == 1 and pair["first"] == pair["last"] == "2024-03-05"
    assert not any({r["a_label"], r["b_label"]} == {"이장관", "엑스전자"} for r in rows)  # never met
    lee_y = next(r for r in rows if {r["a_label"], r["b_label"]} == {"이장관", "와이바이오"})
    assert lee_y["first"] == "2025-01-20"


def test_network_co_demand_pairs_actors_who_asked_for_the_same_policy(net):
    rows = net.co_demand().rows
    assert [(r["a_label"], r["b_label"], r["policies"], r["together"]) for r in rows] == [
        ("엑스전자", "와이바이오", 1, "세액공제 확대")]
    assert net.co_demand(["Person"]).rows == []
    skipped = net.co_demand(largest=1)
    assert skipped.rows == [] and skipped.left_out == ["세액공제 확대 (2)"]
    notes: list[str] = []
    assert analyze(net, "codemand", largest=1, notes=notes) == [] and "세액공제 확대 (2)" in notes[0]


def test_network_centrality_finds_the_broker_between_the_two_ministries(net):
    rows = net.centrality()
    assert rows[0]["label"] == "와이바이오", rows[:3]  # the only firm at both ministries' meetings
    assert rows[0]["meetings"] == 2
    people = net.centrality(classes=["Person"])
    assert {r["class"] for r in people} == {"Person"}
    sampled, k = net.betweenness(sample=3)
    assert k == 3 and set(sampled) == set(net.graph)


def test_network_leaves_places_and_quotes_out_of_the_interaction_network(net):
    assert P + "seoul" not in net.graph and P + "q" not in net.graph
    assert P + "seoul" in net.entities and net.entities.has_edge(P + "m1", P + "seoul")


def test_network_path_goes_through_the_meetings_and_says_the_direction(net):
    rows = net.path(P + "kim", P + "lee")
    assert [r["to"] for r in rows][-1] == "이장관"
    assert rows[0]["via"] == "organizer →" and rows[0]["to"] == "반도체 간담회" and rows[0]["date"] == "2024-03-05"
    assert any(r["to"] == "바이오 간담회" for r in rows)
    lonely = _net([("a", "Person", "갑"), ("b", "Person", "을")], [])
    with pytest.raises(NotFound, match="no connection"):
        lonely.path(P + "a", P + "b")


def test_network_neighbourhood_grows_with_depth(net):
    one = net.neighbourhood(P + "m1", 1)
    assert one[0]["distance"] == 0 and {r["label"] for r in one[1:]} == {"김장관", "엑스전자", "와이바이오", "박대표",
                                                                          "서울 중구"}
    two = net.neighbourhood(P + "m1", 2)
    assert {"산업통상자원부", "세액공제 확대", "바이오 간담회", "지원해 달라"} <= {r["label"] for r in two}
    assert max(r["distance"] for r in two) == 2


def test_network_find_by_name_alias_abbreviation_or_iri(net):
    assert net.find("산업통상자원부") == P + "a"
    assert net.find("산업부") == P + "a"  # an alias
    assert net.find("산자부") == P + "a"  # syllables in order
    assert net.find("중기부") == P + "b"
    assert net.find(P + "kim") == P + "kim"
    with pytest.raises(NotFound, match="names 2 entities"):
        net.find("간담회")
    with pytest.raises(NotFound, match="no entity"):
        net.find("없는이름")


def test_network_communities_split_two_circles_joined_by_one_person():
    nodes = [("m1", "Meeting", "반도체 간담회"), ("m2", "Meeting", "바이오 간담회")]
    edges = []
    for side, meeting in (("p", "m1"), ("q", "m2")):
        for k in range(5):
            nodes += [(f"{side}{k}", "Person", f"{side}{k}"), (f"{side}c{k}", "Company", f"{side}회사{k}")]
            edges += [(f"{side}{k}", "attended", meeting), (f"{side}{k}", "affiliation", f"{side}c{k}"),
                      (f"{side}c{k}", "attended", meeting)]
    edges.append(("p0", "attended", "m2"))
    net = _net(nodes, edges)
    groups = net.communities()
    where = {i: k for k, g in enumerate(groups) for i in g}
    assert len({where[P + i] for i in ("m1", "p1", "p2", "pc3")}) == 1
    assert len({where[P + i] for i in ("m2", "q1", "q2", "qc3")}) == 1
    assert where[P + "m1"] != where[P + "m2"]
    assert groups == net.communities()  # seeded


def test_network_layout_places_every_entity_apart(net):
    pos = net.layout(net.communities())
    assert set(pos) == set(net.entities)
    assert len(set(pos.values())) == len(pos)
    assert pos == net.layout(net.communities())  # deterministic


def test_analyze_rows_format_as_table_csv_and_json(net):
    rows = analyze(net, "codemand")
    table = format_rows(rows)
    assert "엑스전자" in table and "(1 row)" in table
    parsed = list(csv.DictReader(io.StringIO(format_rows(rows, "csv"))))
    assert parsed[0]["policies"] == "1" and parsed[0]["a"] == P + "x"
    assert json.loads(format_rows(rows, "json"))[0]["together"] == "세액공제 확대"
    with pytest.raises(Exception, match="takes 2 entities"):
        analyze(net, "path", names=["김장관"])
    with pytest.raises(Exception, match="not an actor class"):
        analyze(net, "centrality", classes=["Meeting"])


def test_cli_analyze_on_the_sample_graph(tmp_path, capsys):
    from kg import build

    out = tmp_path / "o"
    build(None, out, exporters=("turtle",))
    graph = str(out / "graph.ttl")
    assert main(["analyze", "path", "류제명", "업스테이지", "--graph", graph, "--format", "json"]) == 0
    hops = json.loads(capsys.readouterr().out)
    assert hops[0]["from"] == "류제명" and hops[-1]["to"] == "업스테이지"
    assert any(h["to_class"] == "Meeting" and h["date"] == "2025-07-08" for h in hops)
    assert main(["analyze", "neighbours", "과기정통부", "--graph", graph, "--format", "csv"]) == 0
    assert "과학기술정보통신부" in capsys.readouterr().out
    assert main(["analyze", "centrality", "--graph", graph, "--top", "3"]) == 0
    assert "(3 rows)" in capsys.readouterr().out
    assert main(["analyze", "path", "류제명", "없는사람", "--graph", graph]) == 2
    assert "no entity is named '없는사람'" in capsys.readouterr().err
    page = tmp_path / "hood.html"
    assert main(["analyze", "neighbours", "류제명", "--graph", graph, "--html", str(page)]) == 0
    assert "류제명" in page.read_text(encoding="utf-8") and "vis.Network" in page.read_text(encoding="utf-8")


def test_network_layout_and_communities_do_not_change_with_the_hash_seed():
    """Louvain and networkx's subgraph views walk sets: without care, each process draws another picture."""
    code = ("import json, sys; from kg.analyze import load_network; n = load_network(sys.argv[1]); "
            "g = n.communities(); print(json.dumps([g, sorted(n.layout(g).items())]))")
    runs = {subprocess.run([sys.executable, "-c", code, str(ROOT / "outputs" / "graph.ttl")], capture_output=True,
                           text=True, env={**os.environ, "PYTHONHASHSEED": seed}, check=True).stdout
            for seed in ("1", "2", "3")}
    assert len(runs) == 1


def test_cli_analyze_reads_a_store_like_its_graph_file(tmp_path, capsys):
    from kg import build

    build(None, tmp_path / "o", store=tmp_path / "store", exporters=("turtle",))
    assert main(["analyze", "coattendance", "--store", str(tmp_path / "store"), "--format", "json"]) == 0
    from_store = json.loads(capsys.readouterr().out)
    assert main(["analyze", "coattendance", "--graph", str(tmp_path / "o" / "graph.ttl"), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == from_store and from_store
    assert main(["analyze", "centrality", "--store", str(tmp_path / "nowhere")]) == 2
