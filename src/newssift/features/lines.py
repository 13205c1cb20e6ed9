"""Shallow per-line features for boilerplate detection.

Each line of an article is described by its shape (length, word count, share of capitals, digits and
punctuation, closing punctuation, stopword density, URLs, dates, bullets...), its relative position in the
article, and the same core features of its neighbouring lines. These complement the TF-IDF of the line's words.
:class:`LineFeatures` is the scikit-learn transformer the TF-IDF boilerplate model's feature union uses.
"""
from __future__ import annotations

import math
import re

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from newssift.constants import MEMO_LINE_CHARS, MEMO_LINES
from newssift.features import memo, unique_inverse

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+")
# These patterns run on the lower-cased line (case-sensitive matching on lower-cased text is several times
# faster than re.I in Python's re).
_URL_RE = re.compile(r"https?://|www\.|\.com\b|\.org\b|\.net\b|@\w+")  # @\w+ also covers e-mail
_DATE_RE = re.compile(  # only tried on lines with a digit (every alternative needs one)
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|\b\d{1,2}:\d{2}\b|"
    r"\b(?:19|20)\d{2}\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|"
    r"\b\d+\s+(?:minutes?|hours?|days?)\s+ago\b")
_WEEKDAY_RE = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b")  # only tried on lines with "day"
_COPYRIGHT_RE = re.compile(r"©|copyright|all rights reserved")
_BULLET_RE = re.compile(r"^\s*(?:[-*•·▪►»>–—✓✔]|\d{1,2}[.)]\s)")
_SEPARATORS = frozenset("|•·»›©®™")
_SENT_END = tuple(".!?\"'”’»)…")
_STOP = frozenset(ENGLISH_STOP_WORDS)
_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~“”‘’–—…•·|")

OWN_FEATURES = (
    "blank", "log_chars", "log_words", "upper_share", "digit_share", "punct_share", "ends_sentence",
    "starts_upper", "stopword_share", "titlecase_share", "mean_word_len", "has_url", "bullet", "separator",
    "date_like", "copyright", "ends_colon", "sentences", "has_quote",
)
POSITION_FEATURES = ("rel_position", "log_from_start", "log_from_end", "rel_length", "log_doc_lines")
CONTEXT_FEATURES = ("blank", "log_chars", "ends_sentence", "stopword_share", "titlecase_share", "date_like",
                    "has_url", "bullet")
_CTX_IDX = [OWN_FEATURES.index(f) for f in CONTEXT_FEATURES]


def line_shape(line: str) -> list[float]:
    """The OWN_FEATURES of one line (the reference implementation; :func:`line_shapes` is the fast one)."""
    s = line.strip()
    if not s:
        return [1.0] + [0.0] * (len(OWN_FEATURES) - 1)
    n = len(s)
    words = _WORD_RE.findall(s)
    nw = len(words)
    letters = sum(map(str.isalpha, s))
    upper = sum(map(str.isupper, s))
    digits = sum(map(str.isdigit, s))
    punct = sum(map(_PUNCT.__contains__, s))
    alpha_words = [w for w in words if not w.isdigit()]
    stop = sum(map(_STOP.__contains__, map(str.lower, alpha_words)))
    title = sum(1 for w in alpha_words if w[0].isupper())
    low = s.lower()
    return [
        0.0,
        math.log1p(n),
        math.log1p(nw),
        upper / letters if letters else 0.0,
        digits / n,
        punct / n,
        float(s.endswith(_SENT_END)),
        float(s[0].isupper()),
        stop / nw if nw else 0.0,
        title / len(alpha_words) if alpha_words else 0.0,
        (sum(map(len, words)) / nw) if nw else 0.0,
        float(_URL_RE.search(low) is not None),
        float(_BULLET_RE.match(s) is not None),
        float(not _SEPARATORS.isdisjoint(s)),
        float((digits > 0 and _DATE_RE.search(low) is not None)
              or ("day" in low and _WEEKDAY_RE.search(low) is not None)),
        float(_COPYRIGHT_RE.search(low) is not None),
        float(s.endswith(":")),
        math.log1p(s.count(". ") + s.count("? ") + s.count("! ")),
        float(any(q in s for q in "\"“”")),
    ]


_SEP = "\x00"  # joins lines for whole-batch regex scans; none of the patterns can match across it
_FLAG_ALPHA, _FLAG_UPPER, _FLAG_DIGIT, _FLAG_PUNCT = 1, 2, 4, 8
_TABLE: np.ndarray | None = None


def _char_table() -> np.ndarray:
    """Character-class flags of every BMP code point (str.isalpha/isupper/isdigit, _PUNCT), built once."""
    global _TABLE
    if _TABLE is None:
        table = np.zeros(0x10000, dtype=np.uint8)
        for cp in range(0x10000):
            c = chr(cp)
            table[cp] = ((_FLAG_ALPHA if c.isalpha() else 0) | (_FLAG_UPPER if c.isupper() else 0)
                         | (_FLAG_DIGIT if c.isdigit() else 0) | (_FLAG_PUNCT if c in _PUNCT else 0))
        _TABLE = table
    return _TABLE


def _char_flags(c: str) -> int:
    return ((_FLAG_ALPHA if c.isalpha() else 0) | (_FLAG_UPPER if c.isupper() else 0)
            | (_FLAG_DIGIT if c.isdigit() else 0) | (_FLAG_PUNCT if c in _PUNCT else 0))


_WORD_CACHE: dict[str, tuple[int, int, int, int]] = {}


def _word_info(w: str) -> tuple[int, int, int, int]:
    """(alphabetic word, stopword, title-case, length) of one word."""
    info = _WORD_CACHE.get(w)
    if info is None:
        alpha = not w.isdigit()
        info = (int(alpha), int(alpha and w.lower() in _STOP), int(alpha and w[0].isupper()), len(w))
        if len(_WORD_CACHE) < 1_000_000:
            _WORD_CACHE[w] = info
    return info


def line_shapes(lines: list[str]) -> np.ndarray:
    """The OWN_FEATURES of many lines at once, shape (n_lines, len(OWN_FEATURES)); same values as
    :func:`line_shape` on each line, computed with whole-batch array and regex operations."""
    n_lines = len(lines)
    if n_lines == 0:
        return np.zeros((0, len(OWN_FEATURES)))
    stripped = [line.strip() for line in lines]
    lowered = [t.lower() for t in stripped]
    joined = _SEP.join(stripped)
    low = _SEP.join(lowered)
    if joined.count(_SEP) != n_lines - 1 or len(low) != len(joined):
        # a line holds the separator itself, or lower-casing changes a length (e.g. "İ"): go line by line
        return np.array([line_shape(line) for line in lines], dtype=np.float64)
    n = np.fromiter(map(len, stripped), dtype=np.int64, count=n_lines)
    starts = np.zeros(n_lines, dtype=np.int64)
    np.cumsum(n[:-1] + 1, out=starts[1:])
    # character classes: code points -> flags -> per-line counts (cumulative sums, so empty lines give 0)
    cps = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    table = _char_table()
    flags = table[np.minimum(cps, 0xFFFF)]
    astral = np.flatnonzero(cps > 0xFFFF)
    for k in astral.tolist():
        flags[k] = _char_flags(chr(int(cps[k])))

    def per_line(mask: np.ndarray) -> np.ndarray:
        cs = np.concatenate([[0], np.cumsum(mask, dtype=np.int64)])
        return (cs[starts + n] - cs[starts]).astype(np.float64)

    letters = per_line(flags & _FLAG_ALPHA > 0)
    upper = per_line(flags & _FLAG_UPPER > 0)
    digits = per_line(flags & _FLAG_DIGIT > 0)
    punct = per_line(flags & _FLAG_PUNCT > 0)
    # words
    words = list(map(_WORD_RE.findall, stripped))
    nw = np.fromiter(map(len, words), dtype=np.int64, count=n_lines).astype(np.float64)
    distinct, inverse = unique_inverse([w for ws in words for w in ws])  # each distinct word looked at once
    info = np.array([_word_info(w) for w in distinct], dtype=np.float64).reshape(-1, 4)[inverse]
    owner = np.repeat(np.arange(n_lines), nw.astype(np.int64))
    alpha_words = np.bincount(owner, weights=info[:, 0], minlength=n_lines)
    stop = np.bincount(owner, weights=info[:, 1], minlength=n_lines)
    title = np.bincount(owner, weights=info[:, 2], minlength=n_lines)
    word_chars = np.bincount(owner, weights=info[:, 3], minlength=n_lines)

    def lines_matching(regex: re.Pattern, subset: np.ndarray | None = None) -> np.ndarray:
        """Lines (optionally among ``subset``) where ``regex`` matches the lower-cased line."""
        hit = np.zeros(n_lines, dtype=bool)
        if subset is None:
            text, where, index = low, starts, None
        else:
            if not len(subset):
                return hit
            text = _SEP.join([lowered[i] for i in subset.tolist()])
            where = np.zeros(len(subset), dtype=np.int64)
            np.cumsum(n[subset][:-1] + 1, out=where[1:])
            index = subset
        pos = [m.start() for m in regex.finditer(text)]
        if pos:
            k = np.searchsorted(where, np.asarray(pos), side="right") - 1
            hit[k if index is None else index[k]] = True
        return hit

    nonblank = n > 0
    nz = np.maximum(n, 1)
    out = np.zeros((n_lines, len(OWN_FEATURES)))
    out[:, 0] = ~nonblank
    out[:, 1] = np.log1p(n)
    out[:, 2] = np.log1p(nw)
    out[:, 3] = np.divide(upper, letters, out=np.zeros(n_lines), where=letters > 0)
    out[:, 4] = digits / nz
    out[:, 5] = punct / nz
    out[:, 6] = [s.endswith(_SENT_END) for s in stripped]
    first = np.minimum(starts, max(len(flags) - 1, 0))
    out[:, 7] = nonblank & (flags[first] & _FLAG_UPPER > 0) if len(flags) else 0.0
    out[:, 8] = np.divide(stop, nw, out=np.zeros(n_lines), where=nw > 0)
    out[:, 9] = np.divide(title, alpha_words, out=np.zeros(n_lines), where=alpha_words > 0)
    out[:, 10] = np.divide(word_chars, nw, out=np.zeros(n_lines), where=nw > 0)
    out[:, 11] = lines_matching(_URL_RE)
    out[:, 12] = [_BULLET_RE.match(s) is not None for s in stripped]
    out[:, 13] = [not _SEPARATORS.isdisjoint(s) for s in stripped]
    out[:, 14] = (lines_matching(_DATE_RE, np.flatnonzero(digits > 0))
                  | lines_matching(_WEEKDAY_RE, np.flatnonzero(["day" in t for t in lowered])))
    out[:, 15] = lines_matching(_COPYRIGHT_RE)
    out[:, 16] = [s.endswith(":") for s in stripped]
    out[:, 17] = np.log1p([s.count(". ") + s.count("? ") + s.count("! ") for s in stripped])
    out[:, 18] = [('"' in s) or ("“" in s) or ("”" in s) for s in stripped]
    out[~nonblank, 1:] = 0.0
    return out


def feature_names(context: int) -> list[str]:
    names = list(OWN_FEATURES) + list(POSITION_FEATURES)
    for off in [o for o in range(-context, context + 1) if o != 0]:
        names += [f"ctx{off:+d}_exists"] + [f"ctx{off:+d}_{f}" for f in CONTEXT_FEATURES]
    return names


def doc_features(lines: list[str], context: int = 2, own: np.ndarray | None = None) -> np.ndarray:
    """Dense feature matrix (n_lines, n_features) for one article's lines (``own``: its precomputed
    :func:`line_shapes`)."""
    return docs_features([lines], context, own)


def docs_features(docs: list[list[str]], context: int = 2, own: np.ndarray | None = None) -> np.ndarray:
    """:func:`doc_features` of many articles at once: every article's rows, in order, computed with whole-batch
    array operations (``own``: the precomputed :func:`line_shapes` of all their lines, in order)."""
    sizes = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
    total = int(sizes.sum())
    if own is None:
        own = line_shapes([line for d in docs for line in d])
    own = own.reshape(total, len(OWN_FEATURES))
    pos = np.zeros((total, len(POSITION_FEATURES)))
    first = np.cumsum(sizes) - sizes  # each article's first row
    n = np.repeat(sizes, sizes)  # the length of each row's article
    i = np.arange(total) - np.repeat(first, sizes)  # each row's index in its article
    if total:
        lengths = np.fromiter((len(line) for d in docs for line in d), dtype=np.float64, count=total)
        longest = np.maximum.reduceat(lengths, first[sizes > 0])  # per non-empty article
        pos[:, 0] = i / np.maximum(n - 1, 1)
        pos[:, 1] = np.log1p(i)
        pos[:, 2] = np.log1p(n - 1 - i)
        pos[:, 3] = lengths / np.maximum(np.repeat(longest, sizes[sizes > 0]), 1.0)
        pos[:, 4] = np.log1p(n)
    blocks = [own, pos]
    core = own[:, _CTX_IDX]
    for off in [o for o in range(-context, context + 1) if o != 0]:
        shifted = np.zeros((total, 1 + core.shape[1]))
        ok = (i + off >= 0) & (i + off < n)
        shifted[ok, 0] = 1.0
        shifted[ok, 1:] = core[np.flatnonzero(ok) + off]
        blocks.append(shifted)
    return np.hstack(blocks)


class LineFeatures(TransformerMixin, BaseEstimator):
    """scikit-learn transformer: articles (lists of lines) -> one row of :func:`doc_features` per line, every
    article's rows in order. Stateless (nothing is learnt); ``context`` as in :func:`doc_features`."""

    def __init__(self, context: int = 2):
        self.context = context

    def fit(self, docs, y=None):
        return self

    def transform(self, docs) -> np.ndarray:
        docs = list(docs)
        if not docs:
            return np.zeros((0, len(feature_names(self.context))))
        # one batch pass over every distinct line (a line's own shape depends on its text alone)
        distinct, inverse = unique_inverse([line for d in docs for line in d])
        shapes = memo("line shapes", MEMO_LINES, MEMO_LINE_CHARS).get_many(distinct, line_shapes)
        own = np.array(shapes, dtype=np.float64).reshape(len(distinct), len(OWN_FEATURES))[inverse]
        return docs_features(docs, self.context, own)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return np.asarray(feature_names(self.context), dtype=object)

    def __sklearn_is_fitted__(self) -> bool:
        return True


def lines_of(docs) -> list[str]:
    """Every line of every article, in order (the rows :class:`LineFeatures` describes)."""
    return [line for d in docs for line in d]


_DIGIT_RE = re.compile(r"\d")


def normalize_line(line: str) -> str:
    """A line as its n-grams see it: lower-cased, every digit a 0 (dates and counts share their n-grams)."""
    return _DIGIT_RE.sub("0", line.lower())
