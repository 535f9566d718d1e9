"""People, their organisations and titles in the shapes issue 13 names, on sentences written for these tests."""

from conftest import facts, labels


def test_people_unknown_company_before_name_and_title_is_an_organisation(make_doc):
    doc = make_doc("간담회에는 ▲한결소재 박민호 대표 ▲누리셀 최지훈 사장 ▲다온켐 정우성 부사장이 참석했다.")
    got = facts(doc, "affiliation")
    assert {("박민호", "한결소재"), ("최지훈", "누리셀"), ("정우성", "다온켐")} <= got
    assert {"누리셀", "다온켐"} <= labels(doc, "Company")


def test_people_common_word_before_name_is_not_an_organisation(make_doc):
    doc = make_doc("이날 김영수 대표는 말했다. 업계 박지민 대표도 참석했다.")
    assert not ({"이날", "업계"} & labels(doc))
    assert ("김영수", "대표") in facts(doc, "jobTitle")


def test_people_title_with_a_second_post_in_brackets(make_doc):
    doc = make_doc("발표는 △홍지수 한빛대학교 경영학부 교수(한국디지털학회장)가 맡았다.")
    assert ("홍지수", "한빛대학교") in facts(doc, "affiliation")
    assert any(t.endswith("교수") for p, t in facts(doc, "jobTitle") if p == "홍지수")


def test_people_foreign_names_given_name_first_and_their_short_form(make_doc):
    doc = make_doc("김 장관은 9일 마크 베니오프 세일즈포스 최고경영자(CEO)와 만났다. 함께 온 리사 수 부사장도 자리했다. "
                   "베니오프 CEO는 협력을 약속했다.")
    assert {"마크 베니오프"} <= labels(doc, "Person")
    assert ("마크 베니오프", "세일즈포스") in facts(doc, "affiliation")
    assert ("마크 베니오프", "최고경영자") in facts(doc, "jobTitle")
    people = {e.label: e for e in doc.entities if e.type == "Person"}
    assert "베니오프 CEO" in people["마크 베니오프"].aliases


def test_people_verb_form_is_never_a_name(make_doc):
    doc = make_doc("함께 방문한 박 회장은 답했다. 행사에 참석한 김민수 회장이 말했다.")
    assert "방문한" not in labels(doc) and "참석한" not in labels(doc)
    assert "김민수" in labels(doc, "Person")


def test_people_two_posts_joined_by_gyeom(make_doc):
    doc = make_doc("윤서진 회장은 7일 한동훈 부총리 겸 재정경제부 장관과 면담했다.")
    assert ("한동훈", "재정경제부") in facts(doc, "affiliation")
    assert {("한동훈", "부총리"), ("한동훈", "장관")} <= facts(doc, "jobTitle")


def test_people_topic_body_of_a_titled_subject(make_doc):
    doc = make_doc("한국반도체협회는 이정민 회장이 8일 국회를 찾아 의원들과 면담했다고 밝혔다.")
    assert ("이정민", "한국반도체협회") in facts(doc, "affiliation")
    doc = make_doc("산업부는 이날 이정민 회장과 만났다.")
    assert ("이정민", "산업통상자원부") not in facts(doc, "affiliation")


def test_people_bylines_glued_to_the_text(make_doc):
    doc = make_doc("[나래일보=박소연 기자]김하늘 장관이 2일 기업인들과 만났다.\n[서울=한빛통신]정다은 기자 = 간담회가 열렸다.\n"
                   "이수진 기자입니다.", outlet="나래일보")
    got = facts(doc, "jobTitle")
    assert {("박소연", "기자"), ("정다은", "기자"), ("이수진", "기자")} <= got
    assert ("박소연", "나래일보") in facts(doc, "affiliation")
    assert "김하늘" in labels(doc, "Person")


def test_people_lists_of_names_with_a_shared_title_or_none(make_doc):
    doc = make_doc("이날 김영호, 안수진, 정민철 의원이 참석했다. 포럼에는 권태성, 윤지후, 배도윤, 강서연, ")
    assert {("김영호", "의원"), ("안수진", "의원"), ("정민철", "의원")} <= facts(doc, "jobTitle")
    assert {"권태성", "윤지후", "배도윤", "강서연"} <= labels(doc, "Person")


def test_people_topics_in_a_marked_list_are_not_organisations(make_doc):
    doc = make_doc("김 대표는 “▲중소기업 ▲지방 ▲청년 세대 등에 골고루 온기가 퍼지면 좋겠다”고 말했다.")
    assert not labels(doc) & {"중소기업", "지방", "청년 세대"}


def test_people_count_before_a_title_is_no_organisation(make_doc):
    doc = make_doc("충청권 소재 20여개 기업대표 등 총 150여명이 참석했다.")
    assert "20여개" not in labels(doc) and "소재" not in labels(doc, "Person")


def test_people_posts_in_brackets_are_current_posts(make_doc):
    doc = make_doc("발표는 △홍지수 한빛대학교 경영학부 교수(한국디지털학회장), △오세린 나래연구소 팀장(재정경제부 디지털 TF "
                   "자문위원)이 맡았다. ▲류태오 한국소재협회장(다온켐 회장) 등이 참석했다. 정민호 대표(당시 미래통합당)는 말했다.")
    got = facts(doc, "affiliation")
    assert {("홍지수", "한국디지털학회"), ("오세린", "재정경제부 디지털 TF"), ("류태오", "다온켐"),
            ("정민호", "미래통합당")} <= got
    assert ("오세린", "자문위원") in facts(doc, "jobTitle")


def test_people_a_title_in_brackets_names_no_body(make_doc):
    doc = make_doc("한덕수 총리는 3일 마크 베니오프 세일즈포스 최고경영자(CEO)와 만났다.")
    assert not {o for p, o in facts(doc, "affiliation") if p == "마크 베니오프"} - {"세일즈포스"}


def test_people_head_of_a_body_in_brackets_and_then_posts(make_doc):
    doc = make_doc("산업통상자원부(장관 이창민)는 1일 회의를 열었다. 회동은 허민재 당시 한국경제연합회(現 한경련) 회장과 만난 "
                   "이후 처음이다.")
    assert ("이창민", "산업통상자원부") in facts(doc, "affiliation")
    assert ("허민재", "회장") in facts(doc, "jobTitle")
    assert any(p == "허민재" and o.startswith("한국경제연합회") for p, o in facts(doc, "affiliation"))


def test_people_of_a_side_the_sentence_opens_with(make_doc):
    doc = make_doc("미래당에서는 정하늘 대표를 비롯한 진서준 정책위의장, 조민규 수석대변인이 참석했다. 한국소재협회는 류태오 회장을 "
                   "비롯해 김창민 상근부회장이 자리했다.")
    got = facts(doc, "affiliation")
    assert {("진서준", "미래당"), ("조민규", "미래당"), ("김창민", "한국소재협회")} <= got


def test_people_a_committee_of_the_assembly(make_doc):
    doc = make_doc("배서윤 후보자가 14일 국회 과학기술정보방송통신위 인사청문회에 출석했다.")
    assert "국회 과학기술정보방송통신위" in labels(doc, "Legislature")


def test_people_a_list_after_birothae_holds_no_verb(make_doc):
    doc = make_doc("간담회에는 송민호 소상공인연합회장을 비롯해 한국외식업중앙회, 대한미용사회중앙회 등 8개 단체 대표들이 "
                   "참석했다. 예정된 투자·고용·수출 등 기업의 경영활동에 차질이 없어야 한다.")
    assert {"한국외식업중앙회", "대한미용사회중앙회"} <= labels(doc, "Association")
    assert not labels(doc) & {"비롯해 한국외식업중앙회", "투자", "고용", "수출"}


def test_people_party_officials_of_the_one_party_an_article_names(make_doc):
    doc = make_doc("개혁신당 지도부가 24일 반도체 업계와 정책간담회를 가졌다. 이날 간담회에는 한도윤 비상대책위원장과 "
                   "서지민 원내대표가 참석했다.")
    assert {("한도윤", "개혁신당"), ("서지민", "개혁신당")} <= facts(doc, "affiliation")


def test_people_a_senior_secretary_with_the_office_before(make_doc):
    doc = make_doc("이 자리에는 윤하람 대통령실 경제정책수석과 서도진 정책비서관이 배석했다.")
    assert {("윤하람", "경제정책수석"), ("서도진", "정책비서관")} <= facts(doc, "jobTitle")


def test_people_a_deputy_prime_minister_and_an_acting_chair(make_doc):
    doc = make_doc("정부에서는 추하람 경제부총리 겸 기획재정부 장관이 배석했고, 김도윤 한국소재협회 회장직무대행이 참석했다.")
    assert {("추하람", "경제부총리"), ("추하람", "장관"), ("김도윤", "회장직무대행")} <= facts(doc, "jobTitle")
    assert {("추하람", "기획재정부"), ("김도윤", "한국소재협회")} <= facts(doc, "affiliation")
    assert "경제부총리" not in labels(doc)


def test_people_heads_of_local_governments_fused_or_apart(make_doc):
    doc = make_doc("김하랑 경기도지사와 신도윤 성남시장, 서울시 오태민 시장, 박이안 부산광역시 부시장이 참석했다. "
                   "주식시장 전문가도 함께했다.")
    assert {("김하랑", "경기도"), ("신도윤", "성남시"), ("오태민", "서울특별시"), ("박이안", "부산광역시")} <= facts(
        doc, "affiliation")
    assert {("김하랑", "도지사"), ("신도윤", "시장"), ("오태민", "시장"), ("박이안", "부시장")} <= facts(doc, "jobTitle")
    assert {"경기도", "성남시", "서울특별시", "부산광역시"} <= labels(doc, "GovernmentAgency")


def test_people_a_local_councillor_is_no_member_of_the_national_assembly(make_doc):
    doc = make_doc("경기도의회 김하랑 의원이 참석했다.")
    assert facts(doc, "affiliation") == {("김하랑", "경기도의회")}
    assert "경기도의회" in labels(doc, "Legislature")


def test_people_a_common_noun_of_three_syllables_is_no_name(make_doc):
    doc = make_doc("김하늘 장관은 9일 LG에너지솔루션, SK온 등 배터리 3사 최고경영자(CEO)들과 간담회를 가졌다.")
    assert labels(doc, "Person") == {"김하늘"}
    assert {"LG에너지솔루션", "SK온"} <= labels(doc, "Company")
