"""Meetings in the shapes issue 13 names — told by a verb, several in one article, their participants — on
sentences written for these tests."""

from conftest import facts, labels


def meetings(doc):
    return {e.key: e for e in doc.entities if e.type == "Meeting"}


def test_meeting_told_by_a_verb_is_named_after_its_parties(make_doc):
    doc = make_doc("한덕수 국무총리는 3일 마크 베니오프 세일즈포스 최고경영자(CEO)와 만나 디지털 협력 방안을 논의했다.")
    (meeting,) = meetings(doc).values()
    assert meeting.label == "한덕수 마크 베니오프 면담"
    assert {("한덕수", meeting.label), ("마크 베니오프", meeting.label), ("세일즈포스", meeting.label)} <= facts(
        doc, "attended")
    assert (meeting.label, "2025-07-03") in facts(doc, "startDate")


def test_meeting_verb_without_a_day_is_no_meeting(make_doc):
    doc = make_doc("박영진 회장은 취임 직후부터 김철수 장관, 이영희 장관을 만나 협력을 논의했다.")
    assert not meetings(doc)


def test_meeting_verb_and_a_named_meeting_of_the_same_host_are_one(make_doc):
    doc = make_doc("이수민 대통령은 2일 5대 그룹 총수와 만났다. 이 대통령은 이날 청와대 상춘재에서 최정우 한빛그룹 회장, "
                   "박상훈 나래그룹 회장과 오찬 간담회를 갖고 투자 계획을 들었다.")
    (meeting,) = meetings(doc).values()
    assert "오찬 간담회" in meeting.label
    assert {("최정우", meeting.label), ("박상훈", meeting.label), ("이수민", meeting.label)} <= facts(doc, "attended")


def test_meeting_another_host_makes_another_meeting(make_doc):
    doc = make_doc("최민준 장관은 9일 리사 수 나래반도체 최고경영자(CEO)와 만나 협력을 논의했다. 이날 오후 중소벤처기업부 "
                   "주최로 서울 여의도에서 열린 수 CEO 방한 간담회에는 스타트업 100곳이 참여했다.")
    assert len(meetings(doc)) == 2
    assert any(label.endswith("방한 간담회") for label in labels(doc, "Meeting"))


def test_meeting_guests_who_took_their_seats_attended(make_doc):
    doc = make_doc("‘2026 경제계 신년인사회’가 5일 서울 중구에서 열렸다. 김도윤 국무총리, 박서준 산업통상부 장관 등 정부 "
                   "인사와 정하늘 미래당 대표 등 정치권 인사들도 자리했다.")
    (meeting,) = meetings(doc).values()
    got = facts(doc, "attended")
    assert {("김도윤", meeting.label), ("박서준", meeting.label), ("정하늘", meeting.label), ("미래당", meeting.label)} <= got


def test_meeting_companies_listed_with_a_count_or_joined_by_mit_attend(make_doc):
    doc = make_doc("김하늘 장관은 이날 대전에 소재한 한결소재 및 누리셀, 다온켐, 심텍스 등 4개 업체와 소재 업계 간담회를 가졌다. "
                   "이후 김 장관은 세온테크, 빛가람, 네오닉 3개 업체와 부품 업계 간담회를 가졌다.")
    got = facts(doc, "attended")
    assert {(c, "소재 업계 간담회") for c in ("한결소재", "누리셀", "다온켐", "심텍스")} <= got
    assert {(c, "부품 업계 간담회") for c in ("세온테크", "빛가람", "네오닉")} <= got


def test_meeting_place_stops_at_connectives_and_verb_forms(make_doc):
    doc = make_doc("김하늘 장관은 이날 오전 충북 청주 오창단지에 위치한 한결소재 오창공장에서 간담회를 가졌다. 이후 충남 천안 "
                   "나래홀에서 지역간담회를 개최했다.")
    places = labels(doc, "Place")
    assert not any(p.startswith(("위치한", "이후")) for p in places)
    assert "충남 천안" in places


def test_meeting_host_left_out_is_carried_from_the_sentence_before(make_doc):
    doc = make_doc("김하늘 장관은 이날 오전 한결소재 공장을 둘러봤다. 이후 충남 천안에서 ‘충청권 소재 산업 지역간담회’를 "
                   "개최했다.")
    assert ("김하늘", "충청권 소재 산업 지역간담회") in facts(doc, "organizer")


def test_meeting_host_named_with_juchoero(make_doc):
    doc = make_doc("이날 오후 중소벤처기업부 주최로 서울 여의도에서 열린 ‘스타트업 간담회’에는 스타트업 50곳이 참여했다.")
    assert ("중소벤처기업부", "스타트업 간담회") in facts(doc, "organizer")


def test_meeting_a_new_name_visited_is_a_company_and_the_place(make_doc):
    doc = make_doc("김하늘 장관은 9일 충남 아산에 소재한 누리마이크론을 방문해 반도체 업계 간담회를 가졌다.")
    assert "누리마이크론" in labels(doc, "Company")
    assert ("반도체 업계 간담회", "누리마이크론") in facts(doc, "location")


def test_meeting_a_kind_of_place_visited_is_no_place(make_doc):
    doc = make_doc("김하늘 장관은 9일 충청 지역을 방문해 주요 바이오 기업을 찾아 간담회를 가졌다.")
    assert not labels(doc, "Place") & {"충청 지역", "주요 바이오 기업"}


def test_meeting_whoever_speaks_there_attended(make_doc):
    doc = make_doc("중소벤처기업부는 13일 '창업 정책 협의회'를 가졌다. 고민호 한국엔젤협회 회장은 투자허브 확대가 필요하다고 "
                   "언급했고, 지서연 한국벤처투자협회 회장은 민간 모펀드가 필요하다는 관점을 제시했다.")
    got = facts(doc, "attended")
    assert {("고민호", "창업 정책 협의회"), ("지서연", "창업 정책 협의회"), ("한국엔젤협회", "창업 정책 협의회")} <= got


def test_meeting_a_strategy_sought_is_no_place_and_a_petition_received_is_no_attendance(make_doc):
    doc = make_doc("‘첨단산업 포럼’ 출범식이 15일 열렸다. 이수민 의원은 “업계 의견을 수렴해 생존 전략을 찾아 나가겠다”고 했다.")
    assert "생존 전략" not in labels(doc, "Place")
    doc = make_doc("이수민 대통령은 2일 4대그룹 대표와 만나 박태준 한빛전자 부회장의 사면 건의를 받고 답했다.")
    assert not any(s == "박태준" for s, _m in facts(doc, "attended"))


def test_meeting_held_with_yeoreo_and_the_guest_of_honour(make_doc):
    doc = make_doc("김하늘 장관은 10일 서울 중구 롯데호텔에서 소재 기업 대표들과 간담회를 열어 애로사항을 들었다.")
    assert ("김하늘", "간담회") in facts(doc, "organizer")
    assert ("간담회", "롯데호텔") in facts(doc, "location")
    doc = make_doc("대한상공회의소는 10일 김하늘 산업통상자원부 장관 초청 간담회를 개최했다.")
    (meeting,) = labels(doc, "Meeting")
    assert {("김하늘", meeting), ("산업통상자원부", meeting)} <= facts(doc, "attended")


def test_meeting_abroad_with_local_time(make_doc):
    doc = make_doc("김하늘 장관은 7일(현지시간) 미국 워싱턴DC에서 마크 베니오프 세일즈포스 최고경영자(CEO)를 만났다.")
    assert not any(p.startswith("7일") for p in labels(doc, "Place"))


def test_meeting_attendee_named_after_the_verb(make_doc):
    doc = make_doc("산업통상자원부는 10일 '소재 산업 간담회'를 열었다. 이날 간담회에 참석한 박민호 한결소재 대표는 원가 부담을 "
                   "토로했다.")
    assert {("박민호", "소재 산업 간담회"), ("한결소재", "소재 산업 간담회")} <= facts(doc, "attended")


def test_meeting_a_visit_where_people_talked_but_not_a_tour(make_doc):
    doc = make_doc("김하늘 장관은 10일 경기 평택의 누리셀 공장을 방문해 박민호 대표 등 임직원들과 애로사항을 청취했다.")
    (meeting,) = labels(doc, "Meeting")
    assert {("김하늘", meeting), ("박민호", meeting)} <= facts(doc, "attended")
    doc = make_doc("이수민 금융위원장이 11일 전남 광양시 나래퓨처엠을 방문해 생산라인을 시찰했다.")
    assert not labels(doc, "Meeting")


def test_meeting_a_host_named_outranks_the_guest_who_is_the_subject(make_doc):
    doc = make_doc("박민호 한결소재 대표는 11일 산업통상자원부가 주최한 '소재 산업 간담회'에 참석해 업계 대표들과 만났다.")
    assert facts(doc, "organizer") == {("산업통상자원부", "소재 산업 간담회")}
    assert ("박민호", "소재 산업 간담회") in facts(doc, "attended")


def test_meeting_someone_whose_event_tells_the_time_is_not_there(make_doc):
    doc = make_doc("산업통상자원부는 10일 '소재 산업 간담회'를 열었다. 이날 박민호 차관은 김하늘 장관 취임에 앞서 업계 의견을 "
                   "청취했다. 최지훈 누리셀 사장은 간담회 직후 기자들과 만나 소감을 밝혔다.")
    got = {s for s, _m in facts(doc, "attended")}
    assert "박민호" in got and "김하늘" not in got


def test_meeting_co_hosts_and_a_body_that_only_names_the_forum(make_doc):
    doc = make_doc("국회 '소재 특별법' 토론회…\"인허가 단축해야\"\n\n미래당 한지우 의원과 개혁당 서도윤 의원이 공동 주최한 "
                   "'소재 산업 정책 토론회'가 3일 국회의원회관에서 열렸다. 토론회에는 박민호 한결소재 대표가 참석했다.")
    hosts = {s for s, _m in facts(doc, "organizer")}
    assert {"한지우", "서도윤"} <= hosts
    assert "국회" not in {s for s, _m in facts(doc, "attended")}


def test_meeting_a_meal_shared_is_a_meeting_with_its_venue(make_doc):
    doc = make_doc("김하늘 장관은 16일 서울 종로구 삼청각에서 소재 기업 대표들과 만찬을 함께했다. 이 자리에는 박민호 한결소재 "
                   "대표가 참석했다.")
    (meeting,) = labels(doc, "Meeting")
    assert ("김하늘", meeting) in facts(doc, "attended")
    assert {p for _m, p in facts(doc, "location")} & {"삼청각", "서울 종로구"}
