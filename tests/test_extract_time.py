"""Days without a date, captions, listed askers and former posts: extraction that cross-article resolution
relies on, tested on sentences written for the tests."""

from __future__ import annotations

from conftest import facts, labels


def test_meetings_undated_article_keeps_its_days_apart(make_doc):
    doc = make_doc("과기정통부는 8일 서울에서 '양자 기술 간담회'를 열었다. 이날 간담회에는 한빛퀀텀 등 기업들이 참석했다. "
                   "과기정통부는 25일에도 세종에서 기업들과 간담회를 가졌다. 이날 간담회에는 미래양자 등 기업들이 참석했다.",
                   published=None)
    days = facts(doc, "startDay")
    assert sorted(d for _m, d in days) == ["---08", "---25"]
    assert not facts(doc, "startDate")  # no month or year to resolve against
    by_day = {d: m for m, d in days}
    assert ("한빛퀀텀", by_day["---08"]) in facts(doc, "attended")
    assert ("미래양자", by_day["---08"]) not in facts(doc, "attended")


def test_meetings_dated_article_still_resolves_the_day(make_doc):
    doc = make_doc("과기정통부는 8일 서울에서 '양자 기술 간담회'를 열었다.")
    assert facts(doc, "startDate") == {("양자 기술 간담회", "2025-07-08")}
    assert not facts(doc, "startDay")


def test_participation_caption_does_not_change_the_meeting_under_discussion(make_doc):
    doc = make_doc("과기정통부는 9일 세종에서 '배터리 산업 간담회'를 열었다.\n"
                   "지난 2일 서울에서 열린 '양자 전략 포럼'에서 홍길동 차관이 발언하고 있다. (사진=과기정통부)\n"
                   "이날 간담회에는 한빛배터리, 나래에너지 등 기업들이 참석했다.")
    assert {"배터리 산업 간담회", "양자 전략 포럼"} <= labels(doc, "Meeting")
    attended = facts(doc, "attended")
    assert ("한빛배터리", "배터리 산업 간담회") in attended
    assert ("한빛배터리", "양자 전략 포럼") not in attended


def test_demands_collective_askers_are_the_companies_the_sentence_lists(make_doc):
    doc = make_doc("과기정통부는 9일 서울에서 '양자 산업 간담회'를 열었다. 이날 간담회에는 한빛퀀텀, 미래양자, 큐빗테크 등 "
                   "기업들이 참석했다. 현장에는 ▲한빛퀀텀 ▲미래양자 등 주요 기업 대표들이 참석해 정부의 장비 지원을 촉구했다.")
    askers = {who for who, _p in facts(doc, "demanded")}
    assert {"한빛퀀텀", "미래양자"} <= askers
    assert "큐빗테크" not in askers


def test_careers_former_post_in_brackets_after_the_name(make_doc):
    doc = make_doc("서민준 과학기술정보통신부 장관(전 한빛AI연구원장)은 9일 간담회를 주재했다.")
    assert facts(doc, "formerAffiliation") == {("서민준", "한빛AI연구원")}
    assert facts(doc, "affiliation") == {("서민준", "과학기술정보통신부")}
    assert ("한빛AI연구원", "간담회") not in facts(doc, "organizer")  # a past post takes no part


def test_careers_former_post_before_the_name(make_doc):
    doc = make_doc("삼성전자 사장 출신인 홍길동 한빛테크 대표는 이날 간담회에 참석했다.")
    assert facts(doc, "formerAffiliation") == {("홍길동", "삼성전자")}
    assert facts(doc, "affiliation") == {("홍길동", "한빛테크")}


def test_careers_brackets_far_from_any_name_are_no_post(make_doc):
    doc = make_doc("과학기술정보통신부는 9일 세종에서 반도체 기업들과 간담회를 열고 지원 방안(전 부처 협업)을 논의했다.")
    assert not facts(doc, "formerAffiliation")


def test_dates_next_month_and_last_year_with_spaces():
    from datetime import date

    from kg.extract.dates import find_dates

    def values(text):
        return [d.value for d in find_dates(text, 0, date(2025, 7, 2), date(2025, 7, 2), 2)]

    assert values("정부는 다음 달 3일 간담회를 연다") == [date(2025, 8, 3)]
    assert values("지난해 12월 3일 열린 회의") == [date(2024, 12, 3)]
    assert values("지난 달 28일 만났다") == [date(2025, 6, 28)]
    assert values("오는 30일 열린다") == [date(2025, 7, 30)]
    assert values("지난 30일 열렸다") == [date(2025, 6, 30)]  # a month boundary


def test_dates_time_of_day_tells_two_meetings_of_one_day_apart(make_doc):
    doc = make_doc("김하늘 장관은 24일 오전 한결소재 공장을 방문해 간담회를 가졌다. 김 장관은 같은 날 오후 대학 교수들과 만나 "
                   "인재 양성을 논의했다.", published=None)
    meetings = [e for e in doc.entities if e.type == "Meeting"]
    assert len(meetings) == 2
