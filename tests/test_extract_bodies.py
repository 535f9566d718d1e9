"""Bodies (forums, councils, task forces), meetings named by their host, dates between two meetings, areas
named with 의, and several-word company names: Korean sentences written for these tests."""

from datetime import date

from conftest import facts, labels


def test_body_forum_with_members_in_parentheses_is_an_organisation_and_organizer(make_doc):
    doc = make_doc("국회의원 연구단체 국회 미래산업 포럼(대표의원 강민호, 연구책임의원 윤서연)은 12일 국회 의원회관에서 "
                   "‘미래산업 정책 세미나’를 개최했다.", published=date(2025, 3, 12))
    assert "국회 미래산업 포럼" in labels(doc, "Organization")
    assert "연구단체" not in labels(doc, "Person")
    assert ("국회 미래산업 포럼", "미래산업 정책 세미나") in facts(doc, "organizer")
    assert labels(doc, "Meeting") == {"미래산업 정책 세미나"}


def test_body_task_forces_joined_with_wa_both_organise(make_doc):
    doc = make_doc("국정자문위원회 양자기술 TF와 규제개선 TF는 지난 2일 한빛데이터 본사를 방문해 현장 간담회를 진행했다.",
                   published=date(2025, 7, 3))
    assert {"국정자문위원회 양자기술 TF", "규제개선 TF"} <= labels(doc)
    organizers = {s for s, _m in facts(doc, "organizer")}
    assert {"국정자문위원회 양자기술 TF", "규제개선 TF"} <= organizers


def test_body_launched_council_is_an_organisation_and_its_launch_a_meeting(make_doc):
    doc = make_doc("금융위는 28일 서울 중구에서 '보험권 데이터 협의회' 발족식을 가졌다. 협의회는 매달 회의를 연다.",
                   published=date(2025, 4, 28))
    assert "보험권 데이터 협의회" in labels(doc)
    assert "데이터 협의회" not in labels(doc)
    assert labels(doc, "Meeting") == {"보험권 데이터 협의회 발족식"}


def test_body_generic_council_is_not_named(make_doc):
    doc = make_doc("데이터 활용을 논의할 민관 협의회가 공식 출범했다.")
    assert "민관 협의회" not in labels(doc, "Organization")


def test_body_forum_held_as_an_event_stays_a_meeting(make_doc):
    doc = make_doc("한빛연구원은 9일 서울 여의도에서 ‘양자 산업 포럼’을 열었다.")
    assert "양자 산업 포럼" in labels(doc, "Meeting")
    assert "양자 산업 포럼" not in labels(doc, "Organization")


def test_meeting_named_by_its_host_and_date_goes_to_the_next_meeting(make_doc):
    doc = make_doc("김영수 중소벤처기업부 장관의 간담회, 윤서연 차관의 타운홀 미팅에 이어 9일 열린 ‘벤처 정책 대화’에서도 "
                   "규제가 화두였다.", published=date(2025, 5, 10))
    meetings = labels(doc, "Meeting")
    assert {"김영수 장관의 간담회", "윤서연 차관의 타운홀 미팅", "벤처 정책 대화"} <= meetings
    assert facts(doc, "startDate") == {("벤처 정책 대화", "2025-05-09")}


def test_place_area_named_with_ui_before_a_described_company(make_doc):
    doc = make_doc("첫 간담회는 이날 오전 서울 마포구의 AI 교육 기업인 한빛러닝에서 김영수 차관과 강민호 한빛러닝 대표가 "
                   "참여한 가운데 진행됐다.", published=date(2025, 5, 10))
    places = {o for _m, o in facts(doc, "location")}
    assert {"서울 마포구", "한빛러닝"} <= places
    assert "한빛러닝" in labels(doc, "Company")
    assert "한빛러닝" not in labels(doc, "Place")


def test_people_several_word_company_between_name_and_title(make_doc):
    doc = make_doc("이날 간담회에는 송민재 스프링 네트웍스 대표이사가 참석했다.")
    assert ("송민재", "스프링 네트웍스") in facts(doc, "affiliation")
    assert "스프링" not in labels(doc)


def test_people_four_syllables_need_a_two_syllable_family_name(make_doc):
    doc = make_doc("연구단체 대표의원인 남궁민수 의원이 참석했다.")
    people = labels(doc, "Person")
    assert "연구단체" not in people
    assert "남궁민수" in people


def test_people_leaders_named_by_their_government(make_doc):
    doc = make_doc("업계는 바이든 행정부 출범 이후와 윤석열 정부 들어 규제가 늘었다고 말했다. 이를 위한 정부 지원이 필요하다.")
    people = labels(doc, "Person")
    assert {"바이든", "윤석열"} <= people
    assert "위한" not in people


def test_people_foreign_given_name_before_family_name(make_doc):
    doc = make_doc("이날 간담회에는 마이클 박 한빛전자 글로벌 AI센터장 등이 참석했다.")
    assert "마이클 박" in labels(doc, "Person")
    assert ("마이클 박", "한빛전자") in facts(doc, "affiliation")
    assert ("마이클 박", "글로벌 AI센터장") in facts(doc, "jobTitle")


def test_lists_of_fields_markets_and_topics_are_not_organisations(make_doc):
    doc = make_doc("간담회 주제는 클라우드·소프트웨어, 메타버스 등 디지털 분야다. 논의 주제는 ▲AI 반도체, 클라우드 등 기반 활용 "
                   "▲디지털 헬스케어, 로봇 서비스 활성화 등이다. 정부가 동남아 등 글로벌 시장에 진출하는 기업에 "
                   "바우처를 지원해야 한다. AI 시대 클라우드 산업 활성화 간담회")
    orgs = labels(doc) - labels(doc, "Meeting") - labels(doc, "Policy")
    assert not {"클라우드·소프트웨어", "디지털 헬스케어", "동남아", "AI 시대 클라우드"} & orgs


def test_member_attends_not_the_committee_in_their_title(make_doc):
    doc = make_doc("‘미래산업 포럼’ 출범식이 15일 열렸다. 포럼에는 김주원 국회 산업통상위원회 간사 등 의원 10명이 "
                   "이름을 올렸다.", published=date(2025, 1, 15))
    attended = facts(doc, "attended")
    assert ("김주원", "미래산업 포럼 출범식") in attended
    assert not any(s == "국회 산업통상위원회" for s, _m in attended)


def test_council_does_not_attend_its_own_launch_and_demonstratives_are_not_names(make_doc):
    doc = make_doc("금융위는 28일 '보험권 데이터 협의회' 발족식을 가졌다. 금융위는 이 협의회를 기반으로 업권별 회의를 연다.",
                   published=date(2025, 4, 28))
    assert not any(s == "보험권 데이터 협의회" for s, _m in facts(doc, "attended"))
    assert "이 협의회" not in labels(doc)


def test_lead_sentence_gives_an_unnamed_event_its_place_and_report_day(make_doc):
    doc = make_doc("중소벤처기업부는 김영수 차관이 서울 광화문에서 한빛전자, 미래칩스 관계자들과 반도체 협력 워킹그룹을 "
                   "발족했다고 27일 밝혔다. 워킹그룹 발족식에는 김영수 차관과 기업 관계자들이 참석했다.",
                   published=date(2025, 11, 27))
    meetings = labels(doc, "Meeting")
    assert meetings == {"워킹그룹 발족식"}
    assert facts(doc, "startDate") == {("워킹그룹 발족식", "2025-11-27")}
    assert ("워킹그룹 발족식", "서울 광화문") in facts(doc, "location")
