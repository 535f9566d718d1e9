"""Demands in the shapes issue 13 names, on sentences written for these tests."""

from conftest import facts

MEETING = ("산업통상자원부는 10일 서울 중구에서 '소재 산업 간담회'를 열었다. 이날 간담회에는 한결소재 박민호 대표, "
           "누리셀 최지훈 사장이 참석했다.\n")


def policies_of(doc, who):
    return {p for s, p in facts(doc, "demanded") if s == who}


def test_demand_native_verbs_are_named_with_gi(make_doc):
    doc = make_doc(MEETING + "박민호 대표는 “중복 규제를 걷어내고, 인증 기준을 국제 표준에 맞춰야 한다”고 요청했다.")
    got = policies_of(doc, "박민호")
    assert "중복 규제 걷어내기" in got
    assert "인증 기준을 국제 표준에 맞추기" in got


def test_demand_marked_list_gives_one_policy_per_item(make_doc):
    doc = make_doc(MEETING + "최지훈 사장은 정부가 △전력 요금 인하 △인허가 절차를 줄이고 입지 지원 △수출 보험 확대를 위한 역할 "
                             "등에 적극 나서야 한다고 강조했다.")
    got = policies_of(doc, "최지훈")
    assert {"전력 요금 인하", "인허가 절차를 줄이고 입지 지원", "수출 보험 확대를 위한 역할"} <= got


def test_demand_askers_carry_over_to_a_sentence_without_a_subject(make_doc):
    doc = make_doc(MEETING + "참석자들은 설비 투자 세액공제 확대가 필요하다고 건의했다. 아울러 전력망 확충도 시급하다고 요구했다.")
    assert ("한결소재", "전력망 확충") in facts(doc, "demanded")
    assert ("누리셀", "전력망 확충") in facts(doc, "demanded")


def test_demand_of_two_topics_goes_to_the_nearer(make_doc):
    doc = make_doc(MEETING + "박민호 대표는 공동 연구소가 필요하다고 말했고, 최지훈 사장은 전문 인력 양성이 필요하다는 의견을 냈다.")
    assert ("최지훈", "전문 인력 양성") in facts(doc, "demanded")
    assert ("박민호", "전문 인력 양성") not in facts(doc, "demanded")


def test_demand_lawmaker_asks_but_never_stands_among_collective_askers(make_doc):
    doc = make_doc("국민미래당 한지우 의원은 5일 국회에서 '배터리 산업 토론회'를 개최했다. 토론회에는 한결소재 박민호 대표가 "
                   "참석했다. 한 의원은 “국가 차원의 지원 정책이 시급하다”고 말했다. 참석자들은 재활용 원료 확보가 필요하다고 "
                   "강조했다.")
    assert ("한지우", "국가 차원의 지원 정책") in facts(doc, "demanded")
    askers = {s for s, p in facts(doc, "demanded") if p == "재활용 원료 확보"}
    assert "한결소재" in askers and "한지우" not in askers


def test_demand_embedded_question_is_not_what_is_asked(make_doc):
    doc = make_doc(MEETING + "박민호 대표는 기업이 규제를 왜 풀어야 하는지 입증하는 방식은 바뀌어야 한다는 의견을 냈다.")
    assert "규제 완화" not in policies_of(doc, "박민호")


def test_demand_consensus_of_a_body_and_a_minister_goes_to_the_body(make_doc):
    doc = make_doc("한국배터리협회는 이정민 회장이 7일 정부세종청사에서 김하늘 산업부 장관과 면담을 가졌다고 밝혔다. 이날 두 "
                   "사람은 공급망 안정이 중요하다는 데 의견을 모았다. 이에 따라 핵심 광물 비축 확대가 필요하다는 데 공감했다.")
    askers = {s for s, p in facts(doc, "demanded") if p == "핵심 광물 비축 확대"}
    assert askers and askers <= {"이정민", "한국배터리협회"}


def test_demand_collective_subjects_go_to_the_industry_participants(make_doc):
    for subject in ("기업인들은", "업계는", "회장단은", "참석자들은"):
        doc = make_doc(MEETING + f"{subject} 인허가 절차 간소화를 촉구했다.")
        assert {("한결소재", "인허가 절차 간소화"), ("누리셀", "인허가 절차 간소화")} <= facts(doc, "demanded"), subject
        assert not any(s == "산업통상자원부" for s, _p in facts(doc, "demanded"))


def test_demand_circled_number_list(make_doc):
    doc = make_doc(MEETING + "참석자들은 ①전력망 확충 ②용수 공급 ③인력 양성 등을 건의했다.")
    got = {p for s, p in facts(doc, "demanded") if s == "한결소재"}
    assert {"전력망 확충", "용수 공급", "인력 양성"} <= got


def test_demand_not_a_ministers_plan_nor_a_presidents_request_to_companies(make_doc):
    doc = make_doc(MEETING + "김하늘 장관은 “정부는 설비 투자 지원을 확대하겠다”고 밝혔다. 이수민 대통령은 기업들에 적극적인 "
                             "투자를 요청했다.")
    assert not facts(doc, "demanded")


def test_demand_quoted_across_sentences_and_reported(make_doc):
    doc = make_doc(MEETING + "박민호 대표는 “전력 요금이 너무 비싸다”며 “산업용 전기요금 인하가 시급하다”고 말했다. 이어 “R&D "
                             "세액공제 확대도 필요하다”고 덧붙였다. 최지훈 사장은 “해외 인증 비용이 부담”이라고 토로했다. 그는 "
                             "정부가 인증 비용을 지원해 줄 것을 요청했다.")
    got = facts(doc, "demanded")
    assert {("박민호", "산업용 전기요금 인하"), ("박민호", "R&D 세액공제 확대"), ("최지훈", "인증 비용 지원")} <= got


def test_demand_received_by_the_host_was_made_by_the_guests(make_doc):
    doc = make_doc("이수민 대통령은 2일 청와대에서 김기준 한빛전자 부회장, 정서연 나래그룹 회장과 오찬 간담회를 갖고 박태준 한빛전자 "
                   "회장의 사면 건의를 받았다.")
    askers = {s for s, p in facts(doc, "demanded") if "사면" in p}
    assert askers and askers <= {"김기준", "정서연", "한빛전자", "나래그룹"}


def test_quote_speaker_is_the_subject_not_the_one_named_as_someones(make_doc):
    doc = make_doc("이수민 대통령은 2일 박태준 한빛전자 회장의 사면 건의를 받고 “고충을 이해한다”고 말했다.")
    stated = {s for s, _q in facts(doc, "stated")}
    assert stated == {"이수민"}


def test_quote_continues_with_the_last_speaker_in_the_next_paragraph(make_doc):
    doc = make_doc(MEETING + "박민호 대표는 “원가 부담이 크다”고 말했다.\n이어 “이를 위해서는 설비 투자를 활성화시키고, "
                             "기업가정신을 되살려야 한다”고 강조했다.")
    assert {("박민호", "설비 투자 활성화"), ("박민호", "기업가정신 되살리기")} <= facts(doc, "demanded")


def test_demand_do_not_spare_asks_for_the_thing(make_doc):
    doc = make_doc(MEETING + "박민호 대표는 정부가 연구개발 지원을 아끼지 말아 달라고 당부했다.")
    assert ("박민호", "연구개발 지원") in facts(doc, "demanded")


def test_demand_negation_is_read_in_its_own_sentence(make_doc):
    doc = make_doc(MEETING + "간담회에서 기업들은 인프라 지원을 건의했다.\n안 장관은 “건의 사항을 적극 검토하겠다”고 말했다.")
    assert ("한결소재", "인프라 지원") in facts(doc, "demanded")


def test_demand_burdens_complained_of_are_no_policies_but_listed_requests_are(make_doc):
    doc = make_doc(MEETING + "참석자들은 배달 플랫폼의 과도한 수수료와 광고비 부담을 호소하며 △플랫폼 수수료 상한제 도입 "
                             "△전기요금 감면 등을 건의했다.")
    got = {p for s, p in facts(doc, "demanded") if s == "한결소재"}
    assert {"플랫폼 수수료 상한제 도입", "전기요금 감면"} <= got
    assert not any("부담" in p or p.endswith("수수료") for p in got)


def test_demand_examples_before_deung_and_needs_that_describe(make_doc):
    doc = make_doc(MEETING + "최지훈 사장은 “전력과 용수 등 인프라 지원이 절실하다”며 “보조금 지급 근거를 마련해 줄 것”을 "
                             "건의했다. 박민호 대표는 “연구 인력이 필요한 시기에 일할 수 있어야 한다”고 말했다.")
    got = facts(doc, "demanded")
    assert {("최지훈", "인프라 지원"), ("최지훈", "보조금 지급 근거 마련")} <= got
    assert not {p for _s, p in got} & {"전력", "용수", "연구 인력"}
    doc = make_doc(MEETING + "참석자들은 각종 규제 완화, 무역금융, 세제 지원 등 다양한 정책지원이 필요하다고 말했다.")
    assert {"각종 규제 완화", "무역금융", "세제 지원", "다양한 정책지원"} <= {p for _s, p in facts(doc, "demanded")}


def test_demand_effort_for_a_purpose_asks_for_the_purpose(make_doc):
    doc = make_doc(MEETING + "박민호 대표는 “정부가 소재 전문 인력을 양성하는 데 힘을 쏟아야 한다”고 말했다.")
    assert policies_of(doc, "박민호") == {"소재 전문 인력 양성"}


def test_demand_changing_something_into_something_else(make_doc):
    doc = make_doc(MEETING + "박민호 대표는 설비 투자세액공제를 직접 환급 방식으로 바꿔 줄 것을 요청했다.")
    assert policies_of(doc, "박민호") == {"설비 투자세액공제 직접 환급 방식 전환"}


def test_demand_the_need_of_something_stressed(make_doc):
    doc = make_doc(MEETING + "최지훈 사장은 소재 재활용 산업 육성을 위한 규제 개선의 필요성을 강조했다.")
    assert policies_of(doc, "최지훈") == {"소재 재활용 산업 육성을 위한 규제 개선"}


def test_demand_the_views_of_an_industry_and_what_a_place_needs(make_doc):
    doc = make_doc(MEETING + "박민호 대표는 협상 과정에서 소재 업계의 의견을 충분히 반영해 달라고 당부했다. 최지훈 사장은 "
                             "“공장에 필요한 전력망 확충이 시급하다”고 말했다.")
    assert policies_of(doc, "박민호") == {"소재 업계의 의견 반영"}
    assert policies_of(doc, "최지훈") == {"전력망 확충"}
