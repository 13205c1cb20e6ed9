"""Shallow per-line features for boilerplate detection.

Each line of an article is described by its shape (length, word count, share of capitals, digits and
punctuation, closing punctuation, stopword density, URLs, dates, bullets...), its relative position in the
article, and the same core features of its neighbouring lines. These complement the TF-IDF of the line's words.
"""
from __future__ import annotations

import math
import re

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+")
_URL_RE = re.compile(r"https?://|www\.|\.com\b|\.org\b|\.net\b|@\w+|\w+@\w+\.\w+", re.I)
_DATE_RE = re.compile(  # only tried on lines with a digit
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|\b\d{1,2}:\d{2}\b|"
    r"\b(?:19|20)\d{2}\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|"
    r"\b\d+\s+(?:minutes?|hours?|days?)\s+ago\b", re.I)
_WEEKDAY_RE = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b", re.I)
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
    """The OWN_FEATURES of one line."""
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
        float(("." in s or "@" in s) and _URL_RE.search(s) is not None),
        float(_BULLET_RE.match(s) is not None),
        float(not _SEPARATORS.isdisjoint(s)),
        float((digits > 0 and _DATE_RE.search(s) is not None)
              or ("day" in low and _WEEKDAY_RE.search(s) is not None)),
        float("©" in s or "copyright" in low or "all rights reserved" in low),
        float(s.endswith(":")),
        math.log1p(s.count(". ") + s.count("? ") + s.count("! ")),
        float(any(q in s for q in "\"“”")),
    ]


def feature_names(context: int) -> list[str]:
    names = list(OWN_FEATURES) + list(POSITION_FEATURES)
    for off in [o for o in range(-context, context + 1) if o != 0]:
        names += [f"ctx{off:+d}_exists"] + [f"ctx{off:+d}_{f}" for f in CONTEXT_FEATURES]
    return names


def doc_features(lines: list[str], context: int = 2) -> np.ndarray:
    """Dense feature matrix (n_lines, n_features) for one article's lines."""
    n = len(lines)
    own = np.array([line_shape(line) for line in lines], dtype=np.float64).reshape(n, len(OWN_FEATURES))
    pos = np.zeros((n, len(POSITION_FEATURES)))
    if n:
        i = np.arange(n)
        lengths = np.array([len(line) for line in lines], dtype=np.float64)
        pos[:, 0] = i / max(n - 1, 1)
        pos[:, 1] = np.log1p(i)
        pos[:, 2] = np.log1p(n - 1 - i)
        pos[:, 3] = lengths / max(lengths.max(), 1.0)
        pos[:, 4] = math.log1p(n)
    blocks = [own, pos]
    core = own[:, _CTX_IDX]
    for off in [o for o in range(-context, context + 1) if o != 0]:
        shifted = np.zeros((n, 1 + core.shape[1]))
        src = np.arange(n) + off
        ok = (src >= 0) & (src < n)
        shifted[ok, 0] = 1.0
        shifted[ok, 1:] = core[src[ok]]
        blocks.append(shifted)
    return np.hstack(blocks)
