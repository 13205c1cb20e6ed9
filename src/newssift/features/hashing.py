"""Hashed n-gram TF-IDF: two small subclasses of scikit-learn's own transformers, used by the TF-IDF models'
feature pipelines in training and inference alike.

- :class:`SeenTfidfTransformer`: ``TfidfTransformer`` that ignores features unseen in training (as a vocabulary
  would), so that unknown n-grams do not dilute each row's norm.
- :class:`BatchHashingVectorizer`: ``HashingVectorizer`` that hashes each distinct document of a batch once and,
  for ``char_wb``, the n-grams of each distinct word once instead of once per occurrence; its output is exactly
  ``HashingVectorizer``'s (tests/models/test_tfidf.py checks them equal), several times faster on lines of articles,
  where lines and words repeat.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction import FeatureHasher
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.preprocessing import normalize

from newssift.constants import MEMO_LINE_CHARS, MEMO_LINES, MEMO_WORDS
from newssift.features import memo, unique_inverse


class SeenTfidfTransformer(TfidfTransformer):
    """``TfidfTransformer`` that gives weight 0 to the features seen in fewer than ``min_df`` training documents.

    With a vocabulary (``TfidfVectorizer``) an n-gram never seen in training is dropped; hashed, it lands in an
    empty bucket whose idf is the largest there is, so unknown n-grams (a foreign-language line, a new site's
    template) would dominate each row's L2 norm and shrink every known feature of that row. Zeroing their idf
    restores the vocabulary's behaviour (and ``min_df`` > 1 its pruning of rare n-grams): the same values as
    ``TfidfVectorizer(min_df=...)`` wherever no two n-grams share a bucket."""

    def __init__(self, *, min_df: int = 1, norm="l2", use_idf=True, smooth_idf=True, sublinear_tf=False):
        super().__init__(norm=norm, use_idf=use_idf, smooth_idf=smooth_idf, sublinear_tf=sublinear_tf)
        self.min_df = min_df

    def fit(self, X, y=None):
        super().fit(X, y)
        if self.use_idf:
            X = sp.csr_array(X)
            X.sum_duplicates()
            df = np.bincount(X.indices[X.data != 0], minlength=X.shape[1])
            self.idf_[df < self.min_df] = 0.0
        return self

    def transform(self, X, copy=True):
        out = super().transform(X, copy=copy)
        out.eliminate_zeros()  # the entries of ignored features
        return out


def _csr_rows(matrix) -> list[tuple[np.ndarray, np.ndarray]]:
    """(column indices, values) of each row of a sparse matrix."""
    m = sp.csr_matrix(matrix)
    p = m.indptr
    return [(m.indices[p[k]:p[k + 1]], m.data[p[k]:p[k + 1]]) for k in range(m.shape[0])]


def _stack_rows(rows: list[tuple[np.ndarray, np.ndarray]], n_features: int, dtype: np.dtype) -> sp.csr_matrix:
    """The CSR matrix whose rows are ``rows`` (as given by :func:`_csr_rows`)."""
    if not rows:
        return sp.csr_matrix((0, n_features), dtype=dtype)
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(np.fromiter((len(r[0]) for r in rows), dtype=np.int64, count=len(rows)), out=indptr[1:])
    return sp.csr_matrix((np.concatenate([r[1] for r in rows]).astype(dtype, copy=False),
                          np.concatenate([r[0] for r in rows]), indptr), shape=(len(rows), n_features))


def _word_grams(words: list[str], ngram_range: tuple[int, int], n_features: int, alternate_sign: bool,
                dtype: np.dtype) -> sp.csr_matrix:
    """(words x buckets) hashed char_wb n-gram counts of each (distinct) word, by scikit-learn's analyzer and
    FeatureHasher. A pure function of its arguments; each word's row is remembered (per setting) so that a word
    is hashed once per process rather than once per batch."""
    def compute(missing: list[str]) -> list:
        ngrams = HashingVectorizer(analyzer="char_wb", ngram_range=ngram_range, lowercase=False).build_analyzer()
        hasher = FeatureHasher(n_features=n_features, input_type="string", alternate_sign=alternate_sign,
                               dtype=dtype)
        return _csr_rows(hasher.transform(ngrams(w) for w in missing))

    words_memo = memo(("char_wb words", ngram_range, n_features, alternate_sign, dtype.str), MEMO_WORDS,
                      MEMO_LINE_CHARS)
    return _stack_rows(words_memo.get_many(words, compute), n_features, dtype)


class BatchHashingVectorizer(HashingVectorizer):
    """``HashingVectorizer`` that does each distinct piece of work of a batch once; the result is exactly
    ``HashingVectorizer.transform``'s (tests/models/test_tfidf.py checks them equal).

    - Documents that occur several times in a batch (in a batch of articles' lines, half are repeats: blank lines,
      menus, share prompts, a site's template) are hashed once and their row repeated.
    - Short documents (lines) are also remembered across batches, per setting (:class:`newssift.features.BoundedMemo`:
      up to ``MEMO_LINES`` documents of at most ``MEMO_LINE_CHARS`` characters); a third of a page's distinct lines
      occurred on an earlier page in the real pages measured.
    - For ``analyzer="char_wb"``, whose n-grams never cross a word boundary, a document's n-gram counts are the sum
      of its words': each document is preprocessed as scikit-learn does (``build_preprocessor``) and split into
      words, the distinct words of the batch go once through scikit-learn's own ``char_wb`` analyzer and
      ``FeatureHasher``, and a sparse product (documents x words) @ (words x buckets) adds them up.
    """

    def transform(self, X):
        if isinstance(X, str):  # scikit-learn's error
            return super().transform(X)
        X = list(X)
        distinct, inverse = unique_inverse(X)
        if not distinct:
            return super().transform(X)
        settings = ("lines", repr(sorted(self.get_params().items())))  # everything the rows depend on
        rows = memo(settings, MEMO_LINES, MEMO_LINE_CHARS).get_many(distinct,
                                                                     lambda docs: _csr_rows(self.hash_rows(docs)))
        out = _stack_rows(rows, self.n_features, np.dtype(self.dtype))
        return out if len(distinct) == len(X) else out[inverse]

    def hash_rows(self, docs: list) -> sp.csr_matrix:
        """``HashingVectorizer.transform`` of ``docs``, each document hashed afresh and not remembered (for a
        caller that remembers something else of them; ``char_wb`` still hashes each distinct word once)."""
        return self._char_wb(docs) if self.analyzer == "char_wb" else HashingVectorizer.transform(self, docs)

    def _char_wb(self, X: list):
        preprocess, decode = self.build_preprocessor(), self.decode
        words = [preprocess(decode(doc)).split() for doc in X]  # the words _char_wb_ngrams sees
        lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
        distinct, cols = unique_inverse([w for ws in words for w in ws])
        grams = _word_grams(distinct, tuple(self.ngram_range), self.n_features, self.alternate_sign,
                            np.dtype(self.dtype))
        indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        by_word = sp.csr_matrix((np.ones(len(cols), dtype=self.dtype), cols, indptr),
                                shape=(len(lengths), len(distinct)))
        out = sp.csr_matrix(by_word @ grams)  # canonical (no duplicates); columns unsorted, as nothing here needs
        if self.binary:
            out.data.fill(1)
        if self.norm is not None:
            out = normalize(out, norm=self.norm, copy=False)
        return out
