"""graph.html, the explorer, in a real headless Chromium (Playwright for Python driving the system Chromium):
search finds, filters hide, a click shows the evidence, a path is drawn; no network, no console error."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import IN_CI, need_chromium

from kg import build, run_query
from kg.export.graphview import CLASSES
from kg.export.html import render_page

pytestmark = pytest.mark.browser
MEETING = "기업인들과 함께하는 AI 3대 강국 조기 실현 현장 간담회"


def _playwright():  # type: ignore[no-untyped-def]
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if IN_CI:
            pytest.fail("CI=true but playwright is not installed (pip install '.[test]')")
        pytest.skip("playwright is not installed: pip install '.[test]'")
    return sync_playwright


@pytest.fixture(scope="module")
def browser():
    exe = need_chromium()
    with _playwright()() as p:
        b = p.chromium.launch(executable_path=exe, args=[
            "--no-sandbox", "--proxy-server=127.0.0.1:9",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"])  # no network but kg serve's loopback
        yield b
        b.close()


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("explorer")
    build(None, out, exporters=("turtle", "html"))
    return out


class Page:
    """A page with everything it asked of the network and every console error it logged."""

    def __init__(self, browser, url: str) -> None:  # type: ignore[no-untyped-def]
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": 1500, "height": 900})
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(url)
        self.page.wait_for_function("document.body.dataset.ready === '1'", timeout=60_000)

    def search(self, text: str) -> list[str]:
        self.page.fill("#search", text)
        self.page.wait_for_timeout(150)
        return self.page.locator("#results li").all_inner_texts()

    def hidden(self, label: str) -> bool:
        return bool(self.page.evaluate(
            """(label) => { const x = window.kgExplorer; const g = x.graph;
                 const k = g.findNode((n, a) => a.label === label);
                 return x.renderer.getNodeDisplayData(k).hidden === true; }""", label))

    def remote(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(("file:", "data:", "about:"))]


@pytest.fixture
def page(browser, sample):
    p = Page(browser, (sample / "graph.html").as_uri())
    yield p
    assert p.remote() == [], f"the page asked the network for {p.remote()}"
    assert p.errors == [], f"console errors: {p.errors}"
    p.page.close()


def test_explorer_holds_every_entity_of_the_graph(page, sample):
    classes = ", ".join(f"kg:{c}" for c in CLASSES if c != "Article")  # the public schema's entity classes
    answer = run_query(sample / "graph.ttl", f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e a ?c FILTER(?c IN ({classes})) }}")
    entities = int(answer.records()[0]["n"])
    assert entities > 100
    assert page.page.evaluate("window.kgExplorer.order()") == entities
    assert f"{entities} of {entities} entities shown" in page.page.inner_text("#counts")


def test_explorer_search_finds_an_alias_a_prefix_and_unfinished_korean(page):
    assert page.search("과기정통부")[0].startswith("과학기술정보통신부")
    assert any(r.startswith("과학기술정보통신부") for r in page.search("과기정"))  # typing, and an abbreviation
    assert page.search("류제ㅁ")[0].startswith("류제명")  # the last syllable half typed
    assert page.search("업스테")[0].startswith("업스테이지")
    assert page.search("없는이름없는이름") == []


def test_explorer_choosing_the_ministry_shows_its_2025_07_08_meeting(page):
    page.search("과기정통부")
    page.page.keyboard.press("Enter")
    panel = page.page.locator("#panel")
    assert panel.locator("h2").inner_text().strip() == "과학기술정보통신부"
    assert "정부기관 GovernmentAgency" in panel.inner_text()  # the class by its Korean name from the ontology
    assert "인물 Person" in page.page.locator("#classes").inner_text()
    attended = panel.locator("#facts-attended-out li").all_inner_texts()
    assert any(MEETING in t and "2025-07-08" in t for t in attended), attended
    assert page.hidden("과학기술정보통신부") is False


def test_explorer_meeting_panel_lists_attendees_and_demands_with_their_sentences(page, sample):
    page.search(MEETING)
    page.page.keyboard.press("Enter")
    panel = page.page.locator("#panel")
    assert "2025-07-08" in panel.inner_text()
    attendees = panel.locator("#facts-attended-in > li")
    names = attendees.locator("button.link").all_inner_texts()
    assert any("업스테이지" in n for n in names) and any("류제명" in n for n in names), names
    first = attendees.first
    assert first.locator("blockquote").count() >= 1 and first.locator("blockquote mark").count() >= 1
    assert "이데일리" in panel.inner_text() or "테크M" in panel.inner_text()  # the article of each sentence
    demands = panel.locator("#facts-meeting-demands > li")
    assert demands.count() >= 3
    assert demands.first.locator("blockquote").count() >= 1
    assert any("AI 기본법" in t for t in demands.all_inner_texts())


def test_explorer_a_date_range_ending_in_2024_hides_the_2025_meetings(page):
    assert page.hidden(MEETING) is False
    page.page.fill("#to", "2024-12-31")
    page.page.dispatch_event("#to", "change")
    assert page.hidden(MEETING) is True
    assert page.hidden("인공지능(AI) 최고위 전략대화") is False  # 2023
    page.page.fill("#from", "2024-01-01")
    page.page.dispatch_event("#from", "change")
    assert page.hidden("인공지능(AI) 최고위 전략대화") is True
    page.page.click("#reset")
    assert page.hidden(MEETING) is False


def test_explorer_path_from_ryu_to_upstage(page):
    page.page.fill("#pathFrom", "류제명")
    page.page.fill("#pathTo", "업스테이지")
    page.page.click("#findPath")
    steps = page.page.locator("#path-steps > li")
    assert steps.count() == 2
    texts = [t.strip() for t in steps.all_inner_texts()]
    assert texts[0].startswith("류제명") and "attended →" in texts[0]
    assert "업스테이지" in texts[-1] and MEETING in texts[0]
    assert steps.first.locator("blockquote").count() >= 1


def test_explorer_filters_hide_classes_outlets_and_small_degrees(page):
    quote = page.page.evaluate("window.kgExplorer.graph.findNode((n, a) => a.label.startsWith('AI 반도체가'))")
    assert quote is not None
    page.page.uncheck("#cls-Quote")
    assert page.page.evaluate(f"window.kgExplorer.renderer.getNodeDisplayData('{quote}').hidden") is True
    page.page.check("#cls-Quote")
    assert page.page.evaluate(f"window.kgExplorer.renderer.getNodeDisplayData('{quote}').hidden") is not True
    page.page.select_option("#outlet", label="이데일리")
    assert page.hidden(MEETING) is False and page.hidden("인공지능(AI) 최고위 전략대화") is True
    page.page.select_option("#outlet", value="")
    page.page.fill("#mindeg", "5")
    page.page.dispatch_event("#mindeg", "change")
    assert page.hidden("과학기술정보통신부") is False and page.hidden("류제명") is True


def test_explorer_works_from_the_keyboard(page):
    page.page.keyboard.press("/")
    assert page.page.evaluate("document.activeElement.id") == "search"
    page.page.keyboard.type("업스테이지")
    page.page.wait_for_timeout(150)
    page.page.keyboard.press("Enter")
    assert page.page.locator("#panel h2").inner_text().strip() == "업스테이지"
    page.page.keyboard.press("Escape")
    page.page.keyboard.press("e")  # nothing selected: nothing to expand, no error
    assert page.page.locator("#panel h2").count() == 0


def test_explorer_shows_hostile_text_as_text(browser, tmp_path):
    evil = '<img src=x onerror="window.pwned=1"></script><script>window.pwned=1</script>'
    data = {
        "title": evil, "classes": ["Person", "Meeting"], "colors": {"Person": "#e4572e", "Meeting": "#f58518"},
        "palette": ["#1f77b4"], "predicates": ["attended"], "interactions": ["attended"], "betweennessSample": None,
        "outlets": [evil], "articles": [["javascript:window.pwned=1", "2025-01-01", 0, evil]],
        "nodes": {"id": ["urn:a", "urn:b"], "label": [evil, "회의"], "cls": [0, 1], "x": [0, 1], "y": [0, 1],
                  "deg": [1, 1], "btw": [0, 0], "com": [0, 0], "date": ["", "2025-01-01"], "arts": [[0], [0]],
                  "alias": {"0": [evil]}, "props": {}, "posts": {}},
        "edges": [[0, 1, 0, 0, 1]], "evidence": [[0, 0, 0, 10, 0, 0.8, 0]], "sentences": [evil + " 회의에 참석"],
        "extractors": ["x"], "acts": [""], "communities": 1,
    }
    (tmp_path / "evil.html").write_text(render_page(data), encoding="utf-8")
    p = Page(browser, (tmp_path / "evil.html").as_uri())
    try:
        assert p.search("img")[0].startswith(evil)
        p.page.keyboard.press("Enter")
        assert evil in p.page.locator("#panel").inner_text()
        assert p.page.locator("#panel a").count() == 0  # a javascript: URL is not a link
        assert p.page.evaluate("window.pwned") is None
        assert p.page.locator("img").count() == 0
        assert p.errors == [] and p.remote() == []
    finally:
        p.page.close()


def test_explorer_screenshot_shows_korean(page, tmp_path):
    page.search(MEETING)
    page.page.keyboard.press("Enter")
    shot = tmp_path / "explorer.png"
    page.page.screenshot(path=str(shot))
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000
    keep = os.environ.get("KG_EXPLORER_SCREENSHOT")
    if keep:
        shutil.copy(shot, keep)


def test_explorer_served_by_kg_serve(browser, sample):
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--graph", str(sample / "graph.ttl"), "--out",
                             str(sample), "--port", "0", "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        assert "SPARQL endpoint" in line, line
        base = line.split("endpoint ")[1].split()[0].removesuffix("/sparql")
        p = Page(browser, base + "/graph.html")
        assert p.search("과기정통부")[0].startswith("과학기술정보통신부")
        p.page.keyboard.press("Enter")
        assert p.page.locator("#panel h2").inner_text().strip() == "과학기술정보통신부"
        assert [u for u in p.requests if not u.startswith(base)] == [] and p.errors == []
        p.page.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_explorer_person_panel_shows_posts_over_time(page):
    page.search("류제명")
    page.page.keyboard.press("Enter")
    panel = page.page.locator("#panel")
    posts = panel.locator("table.posts tr").all_inner_texts()
    assert any("과학기술정보통신부" in r and "제2차관" in r and "2025-07" in r for r in posts), posts
    assert panel.locator("#facts-attended-out > li").count() >= 1


def test_explorer_timeline_click_narrows_the_dates_to_a_month(page):
    bar = page.page.locator("#timeline rect", has=page.page.locator("title", has_text="2023-03"))
    bar.first.click()
    assert page.page.input_value("#from") == "2023-03-01" and page.page.input_value("#to") == "2023-03-31"
    assert page.hidden("인공지능(AI) 최고위 전략대화") is False and page.hidden(MEETING) is True


def test_explorer_policy_panel_says_who_asked_and_when(page):
    page.search("AI 기본법 규제 조항 유예")
    page.page.keyboard.press("Enter")
    askers = page.page.locator("#facts-demanded-in > li")
    assert askers.count() >= 2
    texts = askers.all_inner_texts()
    assert any("업스테이지" in t for t in texts) and all("2025-07-0" in t for t in texts), texts


def test_explorer_colours_by_community_and_sizes_by_betweenness(page):
    def look() -> list[tuple[str, float]]:
        return page.page.evaluate("""() => { const x = window.kgExplorer;
            return x.graph.nodes().map((k) => { const d = x.renderer.getNodeDisplayData(k); return [d.color, d.size]; }); }""")

    by_class = look()
    page.page.select_option("#colour", "community")
    page.page.select_option("#size", "btw")
    by_community = look()
    assert [c for c, _s in by_class] != [c for c, _s in by_community]
    assert [s for _c, s in by_class] != [s for _c, s in by_community]
    assert len({c for c, _s in by_community}) >= 5  # the sample has a dozen communities
