from datetime import date

from kg.ingest import RawArticle, clean_article, read_articles
from kg.ingest.clean import remove_long_repeats
from kg.ingest.meta import find_meta
from kg.lexicon import load_lexicon


def kinds(doc):
    return [(s.kind, s.span.text(doc.text)) for s in doc.sections]


def test_clean_drops_furniture_and_keeps_captions_apart():
    raw = ("주메뉴 바로가기 본문 바로가기\n크게 작게 메일\n페이스북 트윗터\n"
           "정부, 반도체 기업과 간담회\n[한빛일보 홍길동 기자] 산업부는 10일 반도체 기업들과 간담회를 열었다.\n"
           "홍길동 장관이 발언하고 있다. (사진=산업부)\n참석 기업들은 세제 지원을 요청했다.\n"
           "관련기사\nCopyright © 한빛일보 무단 전재 및 재배포 금지")
    doc = clean_article(RawArticle("a.txt", raw))
    sec = kinds(doc)
    assert ("caption", "홍길동 장관이 발언하고 있다. (사진=산업부)") in sec
    assert ("byline", "[한빛일보 홍길동 기자]") in sec
    assert not any("바로가기" in t or "Copyright" in t or "관련기사" in t for _, t in sec)
    assert ("body", "참석 기업들은 세제 지원을 요청했다.") in sec


def test_clean_removes_a_repeated_body_and_tolerates_a_cut_off_end():
    body = ("과학기술정보통신부 차관은 8일 서울에서 기업들과 간담회를 갖고 협력 방안을 논의했다. "
            "참석자들은 규제 완화가 필요하다고 입을 모았다. 데이터센터 업계는 전력 수급 문제를 호소했다. "
            "반도체 업계는 연구개발 예산의 복원을 건의했다. 클라우드 기업들은 공공 부문의 민간 클라우드 이용 확대를 "
            "제안했다. 기업들은 세제 지원과 인력 양성을 요청했다.")
    assert len(body) > 180
    doc = clean_article(RawArticle("a.txt", body + body[:175]))  # the page repeats itself and is cut off
    assert doc.text.count("인력 양성을 요청했다") == 1
    assert doc.text.count("기업들과 간담회를 갖고") == 1


def test_remove_long_repeats_keeps_short_repeats():
    text = "가나다라마바사 " * 3
    assert remove_long_repeats(text) == text


def test_meta_reads_four_date_formats():
    lex = load_lexicon()
    assert find_meta("작성일 25-07-09 05:41", lex).published == date(2025, 7, 9)
    assert find_meta("입력 : 2023-03-08 오후 6:04:03", lex).published == date(2023, 3, 8)
    assert find_meta("사진 설명 2023. 9. 25. someone@newsis.com", lex).published == date(2023, 9, 25)
    assert find_meta("머니투데이 변휘 기자 2022.06.23 11:00", lex).published == date(2022, 6, 23)
    assert find_meta("기사", lex, url="https://x.kr/2021/09/07/abc").published == date(2021, 9, 7)


def test_meta_reads_outlet_and_reporter_from_bylines():
    lex = load_lexicon()
    m = find_meta("[이데일리 김아름 기자] 본문", lex)
    assert m.outlet == "이데일리" and m.reporters == ("김아름",)
    m = find_meta("(서울=연합뉴스) 강건택 기자 = 본문", lex)
    assert m.outlet == "연합뉴스" and "강건택" in m.reporters
    assert find_meta("본문\n홍길동 기자 hong@etomato.com", lex).outlet == "뉴스토마토"


def test_read_articles_decodes_cp949_and_reports_bad_inputs(tmp_path):
    (tmp_path / "a.txt").write_bytes("과기정통부 장관이 간담회를 열었다.".encode("cp949"))
    (tmp_path / "b.jsonl").write_text('{"text": "첫 기사입니다."}\nnot json\n{"url": "x"}\n', encoding="utf-8")
    (tmp_path / "c.pdf").write_bytes(b"%PDF")
    (tmp_path / "empty.txt").write_bytes(b"")
    got = list(read_articles([tmp_path, tmp_path / "c.pdf", tmp_path / "missing.txt"]))
    texts = [g.text for g in got if isinstance(g, RawArticle)]
    reasons = {g.source.rsplit("/", 1)[-1]: g.reason for g in got if not isinstance(g, RawArticle)}
    assert "과기정통부 장관이 간담회를 열었다." in texts and "첫 기사입니다." in texts
    assert "not valid JSON" in reasons["b.jsonl:2"]
    assert "'text'" in reasons["b.jsonl:3"]
    assert "unsupported file type .pdf" in reasons["c.pdf"]
    assert "empty" in reasons["empty.txt"]
    assert "no such file" in reasons["missing.txt"]


def test_read_html_takes_the_main_text(tmp_path):
    html = ("<html><head><title>간담회 기사</title></head><body><nav>메뉴 로그인 구독</nav>"
            "<article><h1>장관, 기업과 간담회</h1><p>산업통상자원부 장관은 10일 서울에서 반도체 기업 대표들과 간담회를 "
            "열고 지원 방안을 논의했다. 참석 기업들은 세제 지원과 전력 공급 확대를 요청했다.</p>"
            "<p>장관은 업계의 의견을 적극 검토하겠다고 밝혔다. 이날 간담회에는 여러 기업이 참석했다.</p></article>"
            "<footer>Copyright 무단 전재 금지</footer></body></html>")
    (tmp_path / "a.html").write_text(html, encoding="utf-8")
    (raw,) = list(read_articles([tmp_path / "a.html"]))
    assert "세제 지원과 전력 공급 확대를 요청했다" in raw.text
    assert "로그인" not in raw.text


def test_clean_outlet_in_an_image_address_is_not_in_the_text():
    from kg.ingest import RawArticle, clean_article

    text = "![사진](https://thumb.mt.co.kr/21/2026/02/a.jpg)\n김하늘 장관이 12일 충청 지역을 방문했다."
    doc = clean_article(RawArticle("a.txt", text, outlet="머니투데이"))
    assert not doc.meta.outlet_in_text
    doc = clean_article(RawArticle("b.txt", "김하늘 장관이 방문했다.\n임주언 기자 eon@kmib.co.kr", outlet="국민일보"))
    assert doc.meta.outlet_in_text


def test_remove_long_repeats_skips_only_texts_that_cannot_repeat():
    """The quick look for a repeat (a few str.find) says no only when the full search would change nothing:
    random text with one stretch copied, of every length around the threshold, at every offset."""
    import random

    from kg.ingest.clean import _remove_repeats

    rng = random.Random(7)
    changed = 0
    for _ in range(400):
        text = "".join(chr(rng.randint(0xAC00, 0xD7A3)) for _ in range(rng.randint(300, 900)))
        length = rng.choice([59, 60, 100, 158, 159, 160, 161, 170, 199, 230])
        cut = rng.randint(0, len(text) - length)
        at = rng.randint(cut + length, len(text))
        text = text[:at] + text[cut: cut + length] + text[at:]
        assert remove_long_repeats(text) == _remove_repeats(text)
        changed += remove_long_repeats(text) != text
    assert 0 < changed < 400  # both kinds of text were tried
