"""A fast ``transform`` for fitted ``char_wb`` TF-IDF vectorizers.

scikit-learn builds character n-grams in Python for every word of every document, which makes char n-gram
TF-IDF the slowest step of inference. Words repeat (Zipf), so the n-grams of each distinct word are computed
once, mapped to vocabulary indices and cached. :func:`char_wb_transform` returns exactly what
``vectorizer.transform`` returns (tested), using the vectorizer's fitted vocabulary and idf.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

_CACHE_LIMIT = 500_000


def supports(vec: TfidfVectorizer) -> bool:
    return (vec.analyzer == "char_wb" and vec.preprocessor is None and vec.strip_accents is None
            and vec.use_idf and not vec.binary and vec.norm in ("l2", "l1", None))


def _word_ids(word: str, vocab: dict, min_n: int, max_n: int) -> list[int]:
    w = f" {word} "
    out = []
    for n in range(min_n, max_n + 1):
        offset = 0
        g = vocab.get(w[offset:offset + n])
        if g is not None:
            out.append(g)
        while offset + n < len(w):
            offset += 1
            g = vocab.get(w[offset:offset + n])
            if g is not None:
                out.append(g)
        if offset == 0:  # count a short word only once
            break
    return out


def char_wb_transform(vec: TfidfVectorizer, texts: list[str], cache: dict | None = None) -> sp.csr_matrix:
    """Same result as ``vec.transform(texts)`` for a fitted ``char_wb`` TfidfVectorizer, much faster."""
    if not supports(vec):
        return vec.transform(texts)
    cache = {} if cache is None else cache
    if len(cache) > _CACHE_LIMIT:
        cache.clear()
    vocab = vec.vocabulary_
    min_n, max_n = vec.ngram_range
    lower = vec.lowercase
    # texts x distinct words (counts) @ distinct words x n-grams (the n-grams of each word) = n-gram counts
    index: dict[str, int] = {}
    cols: list[int] = []
    per_text = np.zeros(len(texts), dtype=np.int64)
    for i, text in enumerate(texts):
        words = (text.lower() if lower else text).split()
        per_text[i] = len(words)
        for word in words:
            j = index.get(word)
            if j is None:
                j = index[word] = len(index)
            cols.append(j)
    rows = np.repeat(np.arange(len(texts)), per_text)
    by_word = sp.csr_matrix((np.ones(len(cols)), (rows, np.asarray(cols, dtype=np.int64))),
                            shape=(len(texts), len(index)))
    w_ids, w_len = [], np.zeros(len(index), dtype=np.int64)
    for word, j in index.items():
        got = cache.get(word)
        if got is None:
            got = cache[word] = _word_ids(word, vocab, min_n, max_n)
        w_ids.extend(got)
        w_len[j] = len(got)
    grams = sp.csr_matrix((np.ones(len(w_ids)), np.asarray(w_ids, dtype=np.int64),
                           np.concatenate([[0], np.cumsum(w_len)])), shape=(len(index), len(vocab)))
    grams.sum_duplicates()  # a word may hold the same n-gram twice
    counts = sp.csr_matrix(by_word @ grams)
    counts.sum_duplicates()
    counts.eliminate_zeros()
    tf = counts.data
    if vec.sublinear_tf:
        tf = np.log(tf) + 1
    x = sp.csr_matrix((tf, counts.indices, counts.indptr), shape=counts.shape)
    x = x @ sp.diags(vec.idf_)  # idf weighting as TfidfTransformer does
    x = sp.csr_matrix(x)
    if vec.norm:
        x = normalize(x, norm=vec.norm, copy=False)
    return x.astype(vec.dtype)
