"""Extraction on Korean sentences written for these tests (not taken from the sample articles)."""

from datetime import date

from conftest import facts, labels

from kg.extract.dates import find_dates, resolve_day
from kg.extract.lexmatch import is_name, title_of


def test_people_name_org_title(make_doc):
    doc = make_doc("홍길동 한빛테크 대표는 이날 간담회에 참석했다.")
    assert ("홍길동", "한빛테크") in facts(doc, "affiliation")
    assert ("홍길동", "대표") in facts(doc, "jobTitle")


def test_people_org_name_title_and_fused_title(make_doc):
    doc = make_doc("중소벤처기업부 김철수 제1차관과 박영희 금융감독원장이 만났다.")
    assert ("김철수", "중소벤처기업부") in facts(doc, "affiliation")
    assert ("김철수", "제1차관") in facts(doc, "jobTitle")
    assert ("박영희", "금융감독원") in facts(doc, "affiliation")


def test_people_multiword_org_and_compound_title(make_doc):
    doc = make_doc("최민수 미래모빌리티 자율주행 연구센터장은 발표를 맡았다.")
    assert ("최민수", "미래모빌리티") in facts(doc, "affiliation")
    assert any(p == "최민수" and t.endswith("연구센터장") for p, t in facts(doc, "jobTitle"))


def test_people_name_lists_share_a_title(make_doc):
    doc = make_doc("세미나에는 강민호·윤서연·한지훈 의원 등이 참석했다.")
    assert {("강민호", "의원"), ("윤서연", "의원"), ("한지훈", "의원")} <= facts(doc, "jobTitle")


def test_short_reference_resolves_within_the_article(make_doc):
    doc = make_doc("정우성 과학기술정보통신부 장관은 10일 기업들과 간담회를 열었다. 정 장관은 협력을 약속했다.")
    person = next(e for e in doc.entities if e.label == "정우성")
    assert "정 장관" in person.aliases
    assert len([e for e in doc.entities if e.type == "Person"]) == 1


def test_reporter_gets_the_outlet_as_affiliation(make_doc):
    doc = make_doc("기업들이 지원을 요청했다.\n이수진 기자 sujin@etomato.com")
    assert ("이수진", "뉴스토마토") in facts(doc, "affiliation")


def test_orgs_from_suffix_gazetteer_and_acronym(make_doc):
    doc = make_doc("한국가상현실산업협회(KVRA)와 산업부, 한빛클라우드가 협약을 맺었다. KVRA는 환영했다.")
    assert "한국가상현실산업협회" in labels(doc, "Association")
    assert "산업통상자원부" in labels(doc, "GovernmentAgency")
    assert "한빛클라우드" in labels(doc, "Company")
    assoc = next(e for e in doc.entities if e.label == "한국가상현실산업협회")
    assert "KVRA" in assoc.aliases


def test_meeting_quoted_with_date_place_organizer_attendees(make_doc):
    doc = make_doc(
        "산업통상자원부는 8일 서울 중구 대한상공회의소에서 '반도체 산업 경쟁력 강화 간담회'를 개최했다.\n"
        "이날 간담회에는 한빛반도체, 미래칩스 등 주요 기업들이 참석했다.",
        published=date(2025, 7, 9))
    meetings = [e for e in doc.entities if e.type == "Meeting"]
    assert len(meetings) == 1 and meetings[0].label == "반도체 산업 경쟁력 강화 간담회"
    assert facts(doc, "startDate") == {("반도체 산업 경쟁력 강화 간담회", "2025-07-08")}
    assert ("산업통상자원부", "반도체 산업 경쟁력 강화 간담회") in facts(doc, "organizer")
    att = {s for s, _ in facts(doc, "attended")}
    assert {"한빛반도체", "미래칩스"} <= att
    assert ("반도체 산업 경쟁력 강화 간담회", "대한상공회의소") in facts(doc, "location")


def test_demand_object_before_asking_verb(make_doc):
    doc = make_doc("산업부는 10일 간담회를 열었다. 이날 간담회에는 한빛반도체 등 기업들이 참석했다.\n"
                   "참석 기업들은 정부에 세제 지원과 전력망 확충을 요청했다.", published=date(2025, 7, 11))
    got = facts(doc, "demanded")
    assert ("한빛반도체", "세제 지원") in got
    assert ("한빛반도체", "전력망 확충") in got
    assert not any(s == "산업통상자원부" for s, _ in got)


def test_demand_negated_is_left_out(make_doc):
    doc = make_doc("한빛반도체 홍길동 대표는 보조금 확대를 요구하지 않았다.")
    assert facts(doc, "demanded") == set()


def test_quote_speaker_across_sentences(make_doc):
    doc = make_doc("김영수 한빛테크 대표는 “규제가 너무 많다”며 “정부의 지원이 절실하다”고 말했다.")
    stated = {s for s, _ in facts(doc, "stated")}
    assert stated == {"김영수"}
    assert len(facts(doc, "stated")) == 2


def test_dates_resolve_against_publication():
    pub = date(2025, 8, 3)
    assert resolve_day(2, pub) == date(2025, 8, 2)
    assert resolve_day(28, pub) == date(2025, 7, 28)  # month boundary: the 28th is last month's
    assert resolve_day(5, pub, "오는") == date(2025, 8, 5)
    assert resolve_day(28, pub, "지난달") == date(2025, 7, 28)
    found = find_dates("지난 21일 취임한 장관은 7월 30일 이날 발표했다", 0, pub, date(2025, 8, 1))
    assert [d.value for d in found] == [date(2025, 7, 21), date(2025, 7, 30), date(2025, 8, 1)]


def test_lexical_tests():
    assert is_name("홍길동") and is_name("남궁민수")
    assert not is_name("주요") and not is_name("정부") and not is_name("대표")
    assert title_of("플랫폼사업부문대표") and title_of("제2차관") and title_of("센터장")
    assert title_of("시장점유율") is None and title_of("대표들") is None


def test_lexicon_files_say_where_they_came_from_and_the_readme_lists_them():
    from conftest import ROOT

    folder = ROOT / "kg" / "lexicon"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    files = sorted(p for p in folder.iterdir() if p.suffix in (".tsv", ".txt"))
    assert files
    for path in files:
        header = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
        assert any("Source" in line for line in header), f"{path.name}: no '# Source:' line in its header"
        assert f"`{path.name}`" in readme, f"{path.name} is not in the README's table of lexicon files"
