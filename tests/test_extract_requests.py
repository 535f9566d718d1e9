"""Demands, their speech acts, and the patterns added for issue 3, on Korean sentences written for these tests."""

from datetime import date

from conftest import facts, labels

MEETING = "중소벤처기업부는 10일 서울 중구에서 '벤처 성장 지원 간담회'를 열었다. 이날 간담회에는 한빛테크, 미래칩스 등 기업들이 참석했다.\n"


def acts(doc):
    names = {e.key: e.label for e in doc.entities}
    return {(names[r.subject], names[r.object], r.evidence.speech_act) for r in doc.relations
            if r.predicate == "demanded"}


def test_demand_clause_content_becomes_verbal_noun_policies(make_doc):
    doc = make_doc(MEETING + "이들은 벤처투자법에 ‘사후 규제’ 원칙을 반영하고, 해외 진출을 위한 지원 방안을 마련해줄 것을 요청했다.")
    policies = {o for _s, o in facts(doc, "demanded")}
    assert "사후 규제 원칙 반영" in policies
    assert "해외 진출을 위한 지원 방안 마련" in policies
    assert ("한빛테크", "사후 규제 원칙 반영") in facts(doc, "demanded")


def test_demand_coordination_splits_but_relative_clause_commas_do_not(make_doc):
    doc = make_doc(MEETING + "김영수 한빛테크 대표는 “설계, 제조, 장비까지 아우르는 생태계 구축과 인력 양성이 시급하다”고 말했다.")
    policies = {o for s, o in facts(doc, "demanded") if s == "김영수"}
    assert policies == {"설계, 제조, 장비까지 아우르는 생태계 구축", "인력 양성"}


def test_demand_need_word_with_modifier_trimmed(make_doc):
    doc = make_doc(MEETING + "참석자들은 기업이 체감할 수 있는 연구개발 예산 확대가 필요하다고 강조했다.")
    assert ("한빛테크", "연구개발 예산 확대") in facts(doc, "demanded")
    assert ("미래칩스", "연구개발 예산 확대") in facts(doc, "demanded")


def test_demand_appeal_ending_in_quote_is_an_appeal(make_doc):
    doc = make_doc(MEETING + "박지민 미래칩스 대표는 “정부가 수출 기업에 바우처를 지원해 달라”고 말했다.")
    assert ("박지민", "바우처 지원", "appeal") in acts(doc)


def test_demand_verb_speech_acts_follow_the_lexicon(make_doc):
    doc = make_doc(MEETING + "한빛테크 홍길동 대표는 세액 공제 확대를 촉구했다. 미래칩스 박지민 대표는 공동 연구소 설립을 제안했다.")
    got = acts(doc)
    assert ("홍길동", "세액 공제 확대", "demand") in got
    assert ("박지민", "공동 연구소 설립", "proposal") in got


def test_demand_reported_without_subject_goes_to_participating_companies(make_doc):
    doc = make_doc(MEETING + "먼저 창업 기업을 가로막는 인증 규제 완화가 시급하다는 목소리가 나왔다.")
    got = facts(doc, "demanded")
    assert {("한빛테크", "인증 규제 완화"), ("미래칩스", "인증 규제 완화")} <= got
    assert not any(s == "중소벤처기업부" for s, _ in got)


def test_demand_official_plans_and_requests_to_industry_are_not_demands(make_doc):
    doc = make_doc(MEETING + "김철수 중소벤처기업부 차관은 “정책 금융 확대가 필요하다”며 기업들에 적극적인 투자를 요청했다.")
    assert not any(s == "김철수" for s, _ in facts(doc, "demanded"))


def test_demand_question_is_not_a_demand(make_doc):
    doc = make_doc(MEETING + "홍길동 한빛테크 대표는 “과연 추가 보조금이 필요한가?”")
    assert not any(s == "홍길동" for s, _ in facts(doc, "demanded"))


def test_demand_generic_heads_are_not_policies(make_doc):
    doc = make_doc(MEETING + "기업들은 현장의 애로사항을 건의하고 정책 과제를 제안했다.")
    assert facts(doc, "demanded") == set()


def test_demand_headline_noun_style(make_doc):
    doc = make_doc("벤처기업들 \"모태펀드 예산 복원 필요\"\n" + MEETING + "참석 기업들은 의견을 나눴다.")
    assert "모태펀드 예산 복원" in labels(doc, "Policy")


def test_official_gets_the_agency_that_is_the_sentence_topic(make_doc):
    doc = make_doc("산업통상자원부는 12일 홍길동 제1차관 주재로 반도체 간담회를 개최했다.")
    assert ("홍길동", "산업통상자원부") in facts(doc, "affiliation")


def test_lawmaker_without_party_belongs_to_the_national_assembly(make_doc):
    doc = make_doc("포럼에는 강민호·윤서연 의원 등 의원 10명이 이름을 올렸다.")
    assert {("강민호", "국회"), ("윤서연", "국회")} <= facts(doc, "affiliation")


def test_meeting_series_and_venue_names_are_not_new_meetings(make_doc):
    doc = make_doc("과학기술정보통신부는 14일 서울 종로구 국가전략자문회의 대회의실에서 ‘양자 기술 전문가 간담회’를 개최했다. "
                   "차관 취임 후 현장 의견을 듣는 릴레이 간담회의 일환이다. "
                   "한빛퀀텀, 미래양자 등 기업들은 연구 성과를 발표했다.", published=date(2025, 8, 15))
    meetings = labels(doc, "Meeting")
    assert meetings == {"양자 기술 전문가 간담회"}
    assert {("한빛퀀텀", "양자 기술 전문가 간담회"), ("미래양자", "양자 기술 전문가 간담회")} <= facts(doc, "attended")


def test_report_day_is_not_the_meeting_day(make_doc):
    doc = make_doc("국정자문단은 지난 2일 오후 한빛데이터 본사를 방문하고 데이터 산업 현장 간담회를 진행했다고 3일 밝혔다.",
                   published=date(2025, 7, 3))
    assert {d for _m, d in facts(doc, "startDate")} == {"2025-07-02"}


def test_orgs_dotted_list_of_known_names_and_tickers(make_doc):
    doc = make_doc("네이버·카카오·KT 등 기업인들이 참석했다. 이날 한빛소프트[123456], 미래클라우드 등 기업 관계자들이 참석했다.")
    orgs = labels(doc)
    assert {"네이버", "카카오", "KT", "한빛소프트", "미래클라우드"} <= orgs
    assert "네이버·카카오·KT" not in orgs


def test_orgs_sector_lists_are_not_organisations(make_doc):
    doc = make_doc("한빛테크, 미래칩스 등 AI모델, 클라우드, 반도체 등 다양한 분야의 기업들이 참석했다.")
    orgs = labels(doc)
    assert {"한빛테크", "미래칩스"} <= orgs
    assert not {"AI모델", "클라우드"} & orgs


def test_photo_credit_is_split_from_its_label(make_doc):
    doc = make_doc("간담회 전경 (사진=한빛뉴스코리아 DB)")
    assert "사진=한빛뉴스코리아" not in labels(doc)
    assert "사진" not in labels(doc, "Person")


def test_demand_voice_raised_belongs_to_the_next_named_speaker(make_doc):
    doc = make_doc(MEETING + "먼저 인증 규제 완화가 시급하다는 목소리가 나왔다. 홍길동 한빛테크 대표는 “인증에만 1년이 걸린다”고 말했다.")
    demanded = facts(doc, "demanded")
    assert ("홍길동", "인증 규제 완화") in demanded
    assert ("미래칩스", "인증 규제 완화") not in demanded


def test_demand_by_a_named_speaker_is_not_also_everyones(make_doc):
    doc = make_doc(MEETING + "기업들은 수출 바우처 지원을 요구했다. 박지민 미래칩스 대표는 “수출 바우처 지원이 시급하다”고 말했다.")
    holders = {s for s, o in facts(doc, "demanded") if o == "수출 바우처 지원"}
    assert holders == {"박지민"}


def test_demand_comma_item_after_a_subject_is_a_predicate_not_a_policy(make_doc):
    doc = make_doc("양자 센서는 차세대 먹거리, 연구개발 예산 지원 절실\n" + MEETING)
    policies = {o for _s, o in facts(doc, "demanded")} | labels(doc, "Policy")
    assert "연구개발 예산 지원" in policies
    assert not any("먹거리" in p for p in policies)


def test_demand_light_verbal_noun_gives_its_subject(make_doc):
    doc = make_doc(MEETING + "홍길동 한빛테크 대표는 “산업 발전을 위해서는 고품질 데이터가 확보가 동반돼야 한다”고 말했다.")
    assert ("홍길동", "고품질 데이터 확보") in facts(doc, "demanded")


def test_sentences_glued_by_a_scraper_are_split(make_doc):
    doc = make_doc(MEETING + "이날 기업들이 참석했다.정부는 지원을 약속했다.")
    texts = [s.span.text(doc.text) for s in doc.sentences]
    assert "이날 기업들이 참석했다." in texts
    assert "정부는 지원을 약속했다." in texts


def test_demand_rejected_alternative_and_outside_subjects_are_left_out(make_doc):
    doc = make_doc(MEETING + "홍길동 한빛테크 대표는 “종속 방지가 목적인 해외 법안을 참조할 것이 아니라, 양자 센서 시험이 가능한 "
                   "공공 인프라를 구축해야 한다”고 말했다.")
    policies = {o for s, o in facts(doc, "demanded") if s == "홍길동"}
    assert "공공 인프라 구축" in policies
    assert not any("참조" in p or "목적인" in p for p in policies)


def test_demand_single_example_before_deung_is_not_a_policy(make_doc):
    doc = make_doc(MEETING + "홍길동 한빛테크 대표는 “양자 센서 등 첨단 측정 장비 도입이 필요하다”고 말했다.")
    policies = {o for s, o in facts(doc, "demanded") if s == "홍길동"}
    assert policies == {"첨단 측정 장비 도입"}


def test_people_verb_form_before_a_titled_name_is_not_a_name(make_doc):
    doc = make_doc("이날 토론회를 주최한 더불어민주당 윤서연 의원은 인사말을 했다.")
    assert labels(doc, "Person") == {"윤서연"}


def test_meeting_series_counted_and_time_units_are_not_names(make_doc):
    doc = make_doc("김영수 장관, 취임 첫 주 AIDC 간담회 개최\n과기정통부는 첫 주에 유관 간담회를 세 차례 개최했다.",
                   published=date(2025, 7, 25))
    meetings = labels(doc, "Meeting")
    assert "AIDC 간담회" in meetings
    assert not any(m.startswith("주 ") or "유관" in m for m in meetings)


def test_demand_addressee_between_object_and_verb(make_doc):
    doc = make_doc(MEETING + "업계는 세액공제 기간 연장과 구매 보조금 확대를 정부에 건의했다.")
    demanded = facts(doc, "demanded")
    assert {("한빛테크", "세액공제 기간 연장"), ("한빛테크", "구매 보조금 확대")} <= demanded


def test_demand_native_verb_named_by_its_verbal_noun(make_doc):
    doc = make_doc(MEETING + "홍길동 한빛테크 대표는 “정책 펀드 출자 규모를 늘려야 한다”며 “과세 기준을 풀어 달라”고 말했다.")
    policies = {o for s, o in facts(doc, "demanded") if s == "홍길동"}
    assert {"정책 펀드 출자 규모 확대", "과세 기준 완화"} <= policies


def test_venue_organisation_is_a_location_not_an_attendee(make_doc):
    doc = make_doc("김영수 중소벤처기업부 장관은 2일 서울 중구 대한상공회의소에서 배터리 업계와 간담회를 주재하고 수출 대책을 "
                   "논의했다.", published=date(2025, 7, 2))
    assert ("간담회", "대한상공회의소") in facts(doc, "location")
    assert not any(s == "대한상공회의소" for s, _m in facts(doc, "attended"))


BANKS = ("김민준 금융위원장, 은행장들과 간담회…\"상생금융 확대\" 주문\n"
         "김민준 금융위원장은 20일 서울 중구 은행회관에서 주요 은행장들과 간담회를 가졌다.\n"
         "이날 간담회에는 박서준 한빛은행장, 최유진 미래은행장이 참석했다.\n")


def test_people_fused_titles_of_banks_and_commissions(make_doc):
    doc = make_doc(BANKS, published=date(2024, 8, 20))
    affiliation = facts(doc, "affiliation")
    assert {("박서준", "한빛은행"), ("최유진", "미래은행"), ("김민준", "금융위원회")} <= affiliation


def test_demand_collective_title_and_adverb_before_the_verb(make_doc):
    doc = make_doc(BANKS + "은행장들은 \"공시 기준을 합리적으로 개선해 달라\"고 건의했다.", published=date(2024, 8, 20))
    demanded = facts(doc, "demanded")
    assert ("한빛은행", "공시 기준 개선") in demanded
    assert not any("합리적" in o for _s, o in demanded)


def test_demand_in_a_headline_whose_subject_is_the_government_is_not_industrys(make_doc):
    doc = make_doc(BANKS, published=date(2024, 8, 20))
    assert not any(o == "상생금융 확대" for _s, o in facts(doc, "demanded"))


def test_demand_purpose_clause_is_not_what_is_asked(make_doc):
    doc = make_doc(MEETING + "홍길동 한빛테크 대표는 “양자 센서를 제대로 활용하기 위해서는 시험 인프라 구축이 필요하다”고 말했다.")
    policies = {o for s, o in facts(doc, "demanded") if s == "홍길동"}
    assert policies == {"시험 인프라 구축"}
