"""The organisation matcher the extractors share: the answers it remembers are the answers it would give."""

from dataclasses import replace

from kg.extract.lexmatch import _match_org, match_org
from kg.extract.words import sentence_words
from kg.lexicon import load_lexicon


def _words(make_doc, text):
    doc = make_doc(text)
    return [w for sent in doc.sentences for w in sentence_words(doc, sent)]


def test_gazetteer_name_over_two_words_or_one(make_doc):
    spaced = _words(make_doc, "네이버 클라우드 대표가 참석했다.")
    glued = _words(make_doc, "네이버클라우드 대표가 참석했다.")
    a, b = match_org(spaced, 0), match_org(glued, 0)
    assert a is not None and b is not None
    assert (a.name, a.n_words, a.known) == ("네이버클라우드", 2, True)
    assert (b.name, b.n_words) == ("네이버클라우드", 1)


def test_remembered_answers_equal_fresh_ones_at_every_word(make_doc):
    lex = load_lexicon()
    words = _words(make_doc, "국회 인공지능 포럼이 열렸다. 한빛소재와 KOSA, 과학기술정보통신부 관계자가 참석했다. "
                             "국회 인공지능 포럼은 규제 완화를 제안했다.")
    for context in (False, True):
        for i in range(len(words)):
            fresh = _match_org(words, i, lex, context, 4)
            assert match_org(list(words), i, context=context) == fresh
            assert match_org(list(words), i, context=context) == fresh  # asked again: remembered


def test_an_answer_is_not_reused_when_the_words_after_differ(make_doc):
    """포럼 is an organisation or an event by what follows it: the same first three words (the same objects)
    with another ending get another answer."""
    held = _words(make_doc, "국회 인공지능 포럼이 열렸다.")
    acting = [*held[:3], *_words(make_doc, "규제 완화를 제안했다.")]
    first, second = match_org(held, 0), match_org(acting, 0)
    assert first is not None and (first.name, first.n_words) == ("국회", 1)  # the event was held: 국회 alone
    assert second is not None and (second.name, second.n_words) == ("국회 인공지능 포럼", 3)
    assert match_org(held, 0) == first
    changed = [replace(held[0]), *held[1:]]  # an equal word, another object: asked afresh, the same answer
    assert match_org(changed, 0) == first


def test_a_very_long_sentence_is_not_remembered(make_doc):
    """Keys hold every word to the end of the sentence: in a sentence of hundreds of words (a scraper's page
    without full stops) they would cost more than the answers, so none is kept."""
    from kg.extract import lexmatch

    words = _words(make_doc, "한빛소재 박민호 대표와 국회 인공지능 포럼 관계자가 만났다.") * 60
    assert len(words) > 300
    lexmatch._ORG_MATCHES.clear()
    found = [match_org(words, i) for i in range(len(words) - lexmatch._REMEMBERED_WORDS)]
    assert not lexmatch._ORG_MATCHES
    assert found == [_match_org(words, i, load_lexicon(), False, 4) for i in range(len(found))]
    assert any(m is not None and m.name == "국회" for m in found)  # the matcher still matches
