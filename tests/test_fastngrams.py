import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from newssift.fastngrams import char_wb_transform

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
