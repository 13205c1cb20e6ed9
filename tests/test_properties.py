"""Property tests (hypothesis): cleaning, reading, writing, splitting and the line splitter never lose or break
anything, whatever the input.

Inputs mix any Unicode (lone surrogates included), control characters, NUL, every newline convention
(``\\r\\n``, ``\\r``, ``\\u2028``, ...), mojibake fragments, HTML entities and long repetitions. Settings stay modest
(at most 100 examples, no deadline) so the module runs in seconds.
"""
from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import make_corpus
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newssift.data.corpus import (
    FIELDS,
    PASSTHROUGH,
    Record,
    Reject,
    read_records,
    validate,
)
from newssift.data.split import SPLITS, group_of, split_rows
from newssift.data.text import clean_text, count_lines, split_lines
from newssift.errors import DataError
from newssift.files import read_jsonl, write_jsonl
from newssift.inference import Pipeline
from newssift.models.tfidf import TfidfBoilerplateClassifier, TfidfTopicClassifier

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                             HealthCheck.data_too_large])

# pieces that have broken text cleaners: newlines of every kind, controls, invisible characters, mojibake,
# entities, ligatures, full-width forms, combining marks, emoji (ZWJ sequences), lone surrogates
SPECIALS = ["\r\n", "\r", "\n", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x00", "\x1b[31m", "\x7f", "\t",
            "\u00a0", "\u3000", "\u200b", "\ufeff", "\u00ad", "\u202e", "\ufffd", "Ã©", "â€™", "â€\x9d", "Ã\u00a0",
            "ðŸ˜€", "&amp;", "&amp;amp;", "&#39;", "&nbsp;", "ﬁ", "ＡＢＣ", "e\u0301", "👩\u200d💻", "\ud800",
            "\udfff", "\udce9", "  ", "Photo by A/Getty Images", "Advertisement"]

_char = st.one_of(st.characters(), st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
                  st.characters(max_codepoint=0x9F))
nasty_text = st.lists(st.one_of(st.text(_char, max_size=12), st.sampled_from(SPECIALS)), max_size=25).map("".join)
repeated = st.builds(lambda piece, n: piece * n, st.sampled_from(SPECIALS + ["word ", "Ã©Ã", "a\r\n"]),
                     st.integers(500, 20_000))
any_text = st.one_of(nasty_text, repeated, st.text())


# --------------------------------------------------------------------------------------------------------------
# cleaning
# --------------------------------------------------------------------------------------------------------------

@SETTINGS
@given(any_text)
def test_clean_text_never_raises_is_idempotent_keeps_lines_and_encodes(text):
    out = clean_text(text)
    assert clean_text(out) == out  # idempotent
    assert count_lines(out) == count_lines(text)  # per-line labels stay aligned
    out.encode("utf-8")  # no lone surrogates left
    assert "\r" not in out and "\x00" not in out and "\u2028" not in out
    assert all(line == line.strip() for line in out.split("\n"))


@pytest.mark.parametrize("piece", ["\ud800", "\r\n", "\r", "\u2028", "\x00", "Ã©", "&amp;", "e\u0301", "\ufeff"])
def test_clean_text_huge_repetition_is_linear(piece):
    text = piece * 250_000
    out = clean_text(text)  # must return (in well under a second each on a normal machine)
    assert count_lines(out) == count_lines(text)
    assert clean_text(out) == out
    out.encode("utf-8")


# --------------------------------------------------------------------------------------------------------------
# reading and writing corpora
# --------------------------------------------------------------------------------------------------------------

json_scalar = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False), nasty_text)
json_value = st.recursive(json_scalar, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                               st.dictionaries(nasty_text, inner, max_size=4)),
                          max_leaves=8)
record_obj = st.dictionaries(st.sampled_from(FIELDS + PASSTHROUGH + ("topc", "body")),
                             st.one_of(json_value, nasty_text, st.lists(st.integers(0, 1), max_size=6)),
                             max_size=6)
plausible_record = st.fixed_dictionaries(
    {"id": st.one_of(nasty_text, st.integers()), "text": nasty_text},
    optional={"topic": st.one_of(st.none(), nasty_text), "line_labels": st.lists(st.integers(0, 1), max_size=6),
              "title": nasty_text, "url": nasty_text, "meta": json_value})


@SETTINGS
@given(st.one_of(plausible_record, record_obj, json_value))
def test_validate_never_raises_and_records_are_usable(obj):
    out = validate(obj, "x.jsonl:1", max_chars=1000)
    assert isinstance(out, (Record, Reject))
    if isinstance(out, Reject):
        assert out.reason and out.detail
        json.dumps(out.to_json())
        return
    assert isinstance(out.id, str) and out.id.strip() and isinstance(out.text, str)
    assert out.topic is None or (isinstance(out.topic, str) and out.topic == out.topic.strip() and out.topic)
    if out.line_labels is not None:
        assert len(out.line_labels) == count_lines(out.text) and set(out.line_labels) <= {0, 1}
    # every field but the text (which cleaning repairs) can be written as UTF-8
    json.dumps({k: v for k, v in out.to_json().items() if k != "text"}, ensure_ascii=False).encode("utf-8")


@SETTINGS
@given(st.lists(st.one_of(st.binary(max_size=40), st.sampled_from([b"\r", b"\r\n", b"\n\r", b" \x0c ", b"\x00\r"])),
                max_size=12))
def test_read_records_yields_one_result_per_nonblank_line(tmp_path_factory, lines):
    """Arbitrary bytes after a first valid record: one Record or Reject per non-blank line, in order, never an
    exception; lines end at \\n, \\r\\n or \\r."""
    import re

    path = tmp_path_factory.mktemp("bytes") / "c.jsonl"
    first = json.dumps({"id": "first", "text": "A first, valid record."}).encode()
    data = b"\n".join([first, *lines]) + b"\n"
    path.write_bytes(data)
    out = list(read_records(path, max_chars=1000))
    physical = re.split(rb"\r\n|\r|\n", data)[:-1]  # the text after the final line end is no line
    expected = [i + 1 for i, line in enumerate(physical) if line.strip(b" \t\x0b\x0c")]
    assert [int(o.source.rsplit(":", 1)[1]) for o in out] == expected
    assert isinstance(out[0], Record)


@SETTINGS
@given(st.lists(st.fixed_dictionaries({"id": nasty_text, "text": nasty_text,
                                       "meta": st.dictionaries(nasty_text, nasty_text, max_size=2)}), max_size=5))
def test_write_jsonl_is_always_valid_utf8_and_reads_back_equal(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("w") / "rows.jsonl"
    assert write_jsonl(path, rows) == len(rows)
    data = path.read_bytes()
    data.decode("utf-8")  # strict: a valid UTF-8 file even when strings hold lone surrogates
    # read back as JSON means them (two adjacent surrogate code points are one character in JSON)
    assert read_jsonl(path) == json.loads(json.dumps(rows))
    assert data.count(b"\n") == len(rows)


# --------------------------------------------------------------------------------------------------------------
# train/validation/test split
# --------------------------------------------------------------------------------------------------------------

@st.composite
def corpus_rows(draw):
    n = draw(st.integers(0, 40))
    topics = draw(st.lists(st.sampled_from([None, "a", "b", "c"]), min_size=n, max_size=n))
    rows = []
    for i, topic in enumerate(topics):
        dup = draw(st.one_of(st.none(), st.integers(0, i - 1))) if i else None
        rows.append({"id": f"r{i}", "topic": topic, "near_duplicate_of": None if dup is None else f"r{dup}"})
    return rows


@SETTINGS
@given(corpus_rows(), st.sampled_from([(0.15, 0.2), (0.1, 0.1), (0.3, 0.3), (0.45, 0.5)]), st.integers(0, 9))
def test_split_rows_partitions_exactly_or_refuses_clearly(rows, fractions, seed):
    validation, test = fractions
    try:
        parts = split_rows(rows, validation, test, seed)
    except DataError as exc:
        assert "split" in str(exc) or "articles" in str(exc)
        return
    ids = [r["id"] for name in SPLITS for r in parts[name]]
    assert sorted(ids) == sorted(r["id"] for r in rows)  # nothing lost, nothing twice
    assert all(parts[name] for name in SPLITS)
    where = {group_of(r): name for name in SPLITS for r in parts[name]}
    assert all(where[group_of(r)] == name for name in SPLITS for r in parts[name])  # near duplicates together


# --------------------------------------------------------------------------------------------------------------
# the line splitter: editorial + boilerplate = every cleaned line, in order
# --------------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tfidf_models():
    rows = make_corpus(45, seed=21)
    docs = [r["text"].split("\n") for r in rows]
    labels = [r["line_labels"] for r in rows]
    bp = TfidfBoilerplateClassifier(n_features=2048)
    bp.fit(docs[:36], labels[:36], docs[36:], labels[36:])
    editorial = ["\n".join(ln for ln, y in zip(d, lab) if not y) for d, lab in zip(docs, labels)]
    topic = TfidfTopicClassifier(n_features=2048).fit(editorial, [r["topic"] for r in rows])
    return bp, topic


article_lines = st.lists(st.one_of(nasty_text, st.sampled_from(
    ["", "Advertisement", "Share this article", "Photo by Ann Lee/Getty Images",
     "The striker said the coach and the league agreed on the final match of the season."])), min_size=1,
    max_size=14)
newline = st.sampled_from(["\n", "\r\n", "\r", "\u2028"])


@SETTINGS
@given(st.lists(article_lines, min_size=1, max_size=4))
def test_boilerplate_model_gives_one_probability_per_line(tfidf_models, docs):
    bp, _ = tfidf_models
    docs = [split_lines(clean_text("\n".join(d))) for d in docs]
    proba = bp.predict_proba(docs)
    pred = bp.predict(docs)
    assert [len(p) for p in proba] == [len(d) for d in docs] == [len(p) for p in pred]
    for p in proba:
        assert np.isfinite(p).all() and ((p >= 0) & (p <= 1)).all()
    # a document's result does not depend on the other documents of the batch
    alone = bp.predict_proba([docs[-1]])[0]
    np.testing.assert_allclose(alone, proba[-1], atol=1e-9)


@SETTINGS
@given(article_lines, newline)
def test_pipeline_partitions_the_cleaned_lines(tfidf_models, lines, sep):
    bp, topic = tfidf_models
    pipe = Pipeline(bp, topic, "tfidf")
    raw = sep.join(lines)
    try:
        result = pipe.predict(raw)
    except DataError as exc:  # only for unusable input: empty after cleaning, binary-looking
        assert "empty" in str(exc) or "binary" in str(exc)
        return
    cleaned = split_lines(clean_text(raw))
    assert [ln.text for ln in result.lines] == cleaned  # every cleaned line, in order, exactly once
    editorial = [ln.text for ln in result.lines if not ln.boilerplate]
    boilerplate = [ln.text for ln in result.lines if ln.boilerplate]
    assert result.boilerplate == boilerplate
    assert len(editorial) + len(boilerplate) == len(cleaned)
    assert result.editorial == "\n".join(editorial).strip("\n")
    assert all(ln.boilerplate == (ln.probability >= bp.threshold_) for ln in result.lines)
    json.dumps(result.to_dict(), ensure_ascii=False).encode("utf-8")  # the output is valid UTF-8
    if result.editorial.strip():
        assert result.topic in topic.classes_
    else:
        assert result.topic is None


@settings(SETTINGS, max_examples=80)
@given(st.lists(st.one_of(nasty_text, st.text(), st.integers(), st.none()), min_size=1, max_size=6))
def test_predict_many_returns_one_result_per_input_in_order(tfidf_models, texts):
    bp, topic = tfidf_models
    pipe = Pipeline(bp, topic, "tfidf")
    ids = [f"in{k}" for k in range(len(texts))]
    out = pipe.predict_many(texts, ids=ids, batch_size=4)
    assert [p.id for p in out] == ids
    for text, pred in zip(texts, out):
        if pred.error is None:
            assert [ln.text for ln in pred.lines] == split_lines(clean_text(text))
        else:
            assert pred.lines == [] and pred.topic is None


@given(st.lists(st.sampled_from(["", " ", "a", "b", "A", "ab", "é", "e\u0301", "a\x00"]), max_size=40))
@settings(max_examples=200, deadline=None)
def test_unique_inverse_gives_first_seen_distinct_items_and_rebuilds_the_input(items):
    from newssift.features import unique_inverse

    distinct, inverse = unique_inverse(items)
    assert distinct == list(dict.fromkeys(items))  # each once, in first-seen order
    assert inverse.dtype == np.int64 and inverse.shape == (len(items),)
    assert [distinct[i] for i in inverse.tolist()] == items
