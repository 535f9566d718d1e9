"""Generated hostile inputs (issue 14): any JSONL record, any text, any file bytes — kg reads what it can,
names what it cannot, and nothing it builds carries an invisible or control character."""

from __future__ import annotations

import json
import unicodedata

import pytest
from hostile import GOOD
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.ingest import RawArticle, Skipped, clean_article, read_articles

JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
                           max_leaves=8)
RECORDS = st.one_of(
    st.fixed_dictionaries({"text": st.text()}, optional={"url": JSON_VALUES, "title": JSON_VALUES,
                                                         "outlet": JSON_VALUES, "published": JSON_VALUES}),
    JSON_VALUES)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(RECORDS, min_size=1, max_size=6))
def test_any_jsonl_record_is_an_article_or_a_named_skip(tmp_path, records):
    path = tmp_path / "gen.jsonl"
    lines = [json.dumps(r, ensure_ascii=bool(i % 2)) for i, r in enumerate(records)] + [json.dumps({"text": GOOD})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_articles([path]))
    assert sum(isinstance(i, RawArticle) and i.text == GOOD for i in items) >= 1  # the good line is never lost
    for item in items:
        assert item.source.startswith(str(path))
        if isinstance(item, Skipped):
            assert item.reason
        else:
            assert all(isinstance(v, str) or v is None for v in (item.url, item.title, item.outlet))
            item.text.encode("utf-8")  # no lone surrogate left


_INVISIBLE = {"Cc", "Cf", "Cs"}


@pytest.fixture(scope="module")
def pipeline():
    from kg.pipeline import Pipeline

    return Pipeline()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(codec=None), max_size=300))
def test_any_text_goes_through_the_pipeline_and_no_label_keeps_an_invisible_character(tmp_path, pipeline, noise):
    path = tmp_path / "gen.txt"
    path.write_text(GOOD[:60] + noise + GOOD[60:], encoding="utf-8", errors="surrogatepass")
    items = list(read_articles([path]))
    assert len(items) == 1
    if isinstance(items[0], Skipped):
        return
    doc = pipeline(clean_article(items[0]))
    for e in doc.entities:
        assert not any(unicodedata.category(ch) in _INVISIBLE for ch in e.label), e.label
        for span in e.spans:
            assert 0 <= span.start <= span.end <= len(doc.text)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-8-sig", "cp949", "euc-kr"])
def test_odd_encodings_are_read(tmp_path, encoding):
    (tmp_path / "a.txt").write_bytes(GOOD.encode(encoding))
    (item,) = read_articles([tmp_path / "a.txt"])
    assert isinstance(item, RawArticle) and item.text == GOOD


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000))
def test_any_bytes_are_an_article_or_a_named_skip(tmp_path, data):
    (tmp_path / "b.txt").write_bytes(data)
    (item,) = read_articles([tmp_path / "b.txt"])
    assert item.source == str(tmp_path / "b.txt")
    if isinstance(item, RawArticle):
        item.text.encode("utf-8")
