import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from newssift.features.ngrams import char_wb_transform, word_transform

TEXTS = [
    "The council voted on Tuesday, 21 Nov 2025.", "", "   ", "a", "aaaa aaaa aa", "Ünïcödé\u00a0text\u2003here ﬁ",
    "x" * 60, "Photo by A. Lee/Getty Images\nShare this", "MIXED case Words words WORDS", "tab\tand  spaces",
]


@pytest.mark.parametrize("kw", [
    dict(ngram_range=(2, 5), sublinear_tf=True),
    dict(ngram_range=(2, 4), sublinear_tf=False, max_features=50),
    dict(ngram_range=(1, 3), lowercase=False, norm="l1"),
])
def test_same_as_sklearn(kw):
    vec = TfidfVectorizer(analyzer="char_wb", dtype=np.float32, **kw).fit(TEXTS[:6] + TEXTS[7:])
    cache = {}
    for _ in range(2):  # cold and warm cache
        fast = char_wb_transform(vec, TEXTS, cache)
        ref = vec.transform(TEXTS)
        assert fast.shape == ref.shape and fast.dtype == ref.dtype
        assert np.allclose(fast.toarray(), ref.toarray(), atol=1e-6)


def test_falls_back_for_other_analyzers():
    vec = TfidfVectorizer(analyzer="word").fit(TEXTS)
    assert (char_wb_transform(vec, TEXTS) != vec.transform(TEXTS)).nnz == 0


@pytest.mark.parametrize("kw", [
    dict(ngram_range=(1, 2), sublinear_tf=True),
    dict(ngram_range=(1, 1), max_features=20),
    dict(ngram_range=(2, 3), lowercase=False, norm="l1"),
])
def test_word_transform_same_as_sklearn(kw):
    vec = TfidfVectorizer(dtype=np.float32, **kw).fit(TEXTS[:6] + TEXTS[7:] + ["the council voted the council"])
    cache = {}
    texts = TEXTS + ["the council voted the council voted", "Council COUNCIL council"]
    for _ in range(2):  # cold and warm cache
        fast = word_transform(vec, texts, cache)
        ref = vec.transform(texts)
        assert fast.shape == ref.shape and fast.dtype == ref.dtype
        assert np.allclose(fast.toarray(), ref.toarray(), atol=1e-6)


def test_word_transform_falls_back_for_stop_words():
    vec = TfidfVectorizer(stop_words="english").fit(TEXTS)
    assert (word_transform(vec, TEXTS) != vec.transform(TEXTS)).nnz == 0
