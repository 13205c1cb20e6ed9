"""Fast ``transform`` for fitted ``char_wb`` and ``word`` TF-IDF vectorizers.

scikit-learn builds character n-grams in Python for every word of every document, which makes char n-gram
TF-IDF the slowest step of inference. Words repeat (Zipf), so the n-grams of each distinct word are computed
once, mapped to vocabulary indices and cached. :func:`char_wb_transform` returns exactly what
``vectorizer.transform`` returns (tested), using the vectorizer's fitted vocabulary and idf.
:func:`word_transform` does the same for word n-grams, without sklearn's per-document analyzer overhead, and
caches the n-gram ids of short texts (boilerplate lines repeat from article to article).
"""
from __future__ import annotations

import re

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
    # the product sums repeated words and a word's repeated n-grams: no duplicate entries, no sorting needed
    counts = sp.csr_matrix(by_word @ grams)
    return _tfidf(vec, counts, summed=True)


def _tfidf(vec: TfidfVectorizer, counts: sp.csr_matrix, summed: bool = False) -> sp.csr_matrix:
    """Raw n-gram counts -> what ``vec.transform`` returns (sublinear tf, idf, norm, dtype). ``summed``: the
    matrix has no duplicate entries (a sparse product), so the sort that summing them needs is skipped."""
    if not summed:
        counts.sum_duplicates()
    counts.eliminate_zeros()
    tf = counts.data.astype(np.float64)
    if vec.sublinear_tf:
        tf = np.log(tf) + 1
    tf *= vec.idf_[counts.indices]  # idf weighting as TfidfTransformer does
    x = sp.csr_matrix((tf, counts.indices, counts.indptr), shape=counts.shape)
    if vec.norm:
        x = normalize(x, norm=vec.norm, copy=False)
    # not x.astype(): scipy sorts the indices to sum (absent) duplicates first
    return sp.csr_matrix((x.data.astype(vec.dtype), x.indices, x.indptr), shape=x.shape)


_DEFAULT_TOKEN_PATTERN = r"(?u)\b\w\w+\b"
_SHORT_TEXT = 300  # texts up to this length have their n-gram ids cached


def supports_word(vec: TfidfVectorizer) -> bool:
    return (vec.analyzer == "word" and vec.tokenizer is None and vec.preprocessor is None
            and vec.strip_accents is None and vec.stop_words is None
            and vec.token_pattern == _DEFAULT_TOKEN_PATTERN and vec.use_idf and not vec.binary
            and vec.norm in ("l2", "l1", None))


def word_transform(vec: TfidfVectorizer, texts: list[str], cache: dict | None = None) -> sp.csr_matrix:
    """Same result as ``vec.transform(texts)`` for a fitted word-n-gram TfidfVectorizer, faster."""
    if not supports_word(vec):
        return vec.transform(texts)
    cache = {} if cache is None else cache
    if len(cache) > _CACHE_LIMIT:
        cache.clear()
    token_re = re.compile(vec.token_pattern)
    vocab = vec.vocabulary_
    min_n, max_n = vec.ngram_range
    lower = vec.lowercase
    get = vocab.get
    cols: list[int] = []
    per_text = np.zeros(len(texts), dtype=np.int64)
    for i, text in enumerate(texts):
        ids = cache.get(text) if len(text) <= _SHORT_TEXT else None
        if ids is None:
            toks = token_re.findall(text.lower() if lower else text)
            ids = []
            for n in range(min_n, max_n + 1):
                if n == 1:
                    grams = toks
                elif n == 2:
                    grams = [f"{a} {b}" for a, b in zip(toks, toks[1:])]
                else:
                    grams = [" ".join(toks[k:k + n]) for k in range(len(toks) - n + 1)]
                ids.extend(g for g in map(get, grams) if g is not None)
            if len(text) <= _SHORT_TEXT:
                cache[text] = ids
        per_text[i] = len(ids)
        cols.extend(ids)
    indptr = np.concatenate([[0], np.cumsum(per_text)])
    counts = sp.csr_matrix((np.ones(len(cols)), np.asarray(cols, dtype=np.int64), indptr),
                           shape=(len(texts), len(vocab)))
    return _tfidf(vec, counts)
