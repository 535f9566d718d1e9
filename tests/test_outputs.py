"""The committed sample outputs are what `kg build` makes now (graph.html in a browser: tests/test_explorer.py)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import ROOT
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg import build
from kg.cli import main


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    build(None, out)
    return out


def test_committed_sample_graph_is_up_to_date(fresh):
    committed = ROOT / "outputs" / "graph.ttl"
    assert committed.is_file(), "outputs/graph.ttl is missing: run `kg build`"
    new, old = Graph().parse(fresh / "graph.ttl"), Graph().parse(committed)
    if not isomorphic(new, old):
        _both, only_new, only_old = graph_diff(to_isomorphic(new), to_isomorphic(old))
        lines = [f"+ {t}" for t in sorted(only_new)[:15]] + [f"- {t}" for t in sorted(only_old)[:15]]
        pytest.fail("outputs/ is stale; run `kg build` and commit outputs/\n" + "\n".join(lines))
    for name in ("graph.jsonld", "graph.trig", "graph.html", "neo4j/load.cypher"):
        assert (ROOT / "outputs" / name).read_bytes() == (fresh / name).read_bytes(), f"outputs/{name} is stale"


def test_html_has_no_remote_resources(fresh):
    html = (fresh / "graph.html").read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert "new Sigma(" in html and "graphology" in html  # the vendored renderer, inlined


def test_cli_build_validate_query_stats(tmp_path, capsys):
    out = tmp_path / "o"
    assert main(["build", "--out", str(out), "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "articles read: 4" in printed and "conforms" in printed
    assert main(["validate", str(out / "graph.ttl")]) == 0
    assert main(["query", "SELECT (COUNT(*) AS ?n) WHERE { ?p a <https://w3id.org/kgnews/ontology#Person> }",
                 "--graph", str(out / "graph.ttl"), "--format", "csv"]) == 0
    n = int(capsys.readouterr().out.split()[-1])
    assert n > 10
    assert main(["stats", "--graph", str(out / "graph.ttl")]) == 0
    assert main(["validate", str(tmp_path / "missing.ttl")]) == 2
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix kg: <https://w3id.org/kgnews/ontology#> .\n<urn:a> kg:demanded <urn:b> .\n")
    assert main(["validate", str(bad)]) == 1


def test_cli_version_and_help():
    run = subprocess.run([sys.executable, "-m", "kg.cli", "--version"], capture_output=True, text=True)
    assert run.stdout.startswith("kg ")
    for cmd in ("build", "validate", "query", "stats"):
        run = subprocess.run([sys.executable, "-m", "kg.cli", cmd, "--help"], capture_output=True, text=True)
        assert run.returncode == 0 and "usage: kg" in run.stdout


def _readme_commands() -> list[tuple[str, str]]:
    """Each ```-block of the README that starts with `$ kg query …` or `$ kg analyze …`: the command and what it
    prints."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```\n\$ (kg (?:query|analyze) [^\n]+)\n(.*?)```", text, flags=re.DOTALL)
    assert len(blocks) >= 8 and any(c.startswith("kg analyze") for c, _ in blocks), "the README lost its examples"
    return blocks


def _cells(text: str) -> list[list[str]]:
    """Lines as cells; a GROUP_CONCAT list (a, b, c) comes in no set order, so it is compared sorted."""
    return [[", ".join(sorted(c.split(", "))) for c in re.split(r"\s{2,}", line.strip())]
            for line in text.strip("\n").splitlines()]


@pytest.mark.parametrize("command,shown", _readme_commands(), ids=lambda v: v[:40] if v.startswith("kg") else "")
def test_readme_query_answers_as_shown(fresh, capsys, command, shown):
    import shlex

    argv = [*shlex.split(command)[1:], "--graph", str(fresh / "graph.ttl")]
    code = main(argv)
    captured = capsys.readouterr()
    printed = captured.out if code == 0 else "kg: error: " + captured.err.split("kg: error: ", 1)[1]
    assert _cells(printed) == _cells(shown), f"README shows another answer for `{command}`:\n{printed}"
