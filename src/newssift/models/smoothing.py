"""Sequence smoothing of per-line boilerplate probabilities with a two-state hidden Markov model.

Boilerplate comes in runs (a block of related links, an appended advertisement). Treating the classifier's
per-line probabilities as emissions and the label transitions observed in training as a Markov chain, the
forward-backward posteriors let a confident run pull an uncertain line inside it to the run's label.

Article-span decoding (:func:`article_span_many`) goes one step further where the article is one block of the page:
the editorial lines are taken to lie in one contiguous span, the one with the largest sum of editorial log-odds.
Lines outside it become boilerplate; a line inside it becomes editorial unless the model is at least ``margin``
nats sure it is boilerplate (so a caption or share prompt inside the article stays out).
"""
from __future__ import annotations

import numpy as np


def estimate_transitions(label_seqs: list[list[int]], pseudo: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """(start probabilities [2], transition matrix [2, 2]) estimated from label sequences, add-``pseudo``."""
    start = np.full(2, pseudo)
    trans = np.full((2, 2), pseudo)
    for seq in label_seqs:
        if len(seq):
            start[seq[0]] += 1
        for a, b in zip(seq[:-1], seq[1:]):
            trans[a, b] += 1
    return start / start.sum(), trans / trans.sum(axis=1, keepdims=True)


def forward_backward(p1: np.ndarray, start: np.ndarray, trans: np.ndarray, prior: np.ndarray,
                     strength: float = 1.0) -> np.ndarray:
    """Posterior P(boilerplate) per line of one article (:func:`forward_backward_many` of that one)."""
    return forward_backward_many([p1], start, trans, prior, strength)[0]


def forward_backward_many(probs: list[np.ndarray], start: np.ndarray, trans: np.ndarray, prior: np.ndarray,
                          strength: float = 1.0) -> list[np.ndarray]:
    """Posterior P(boilerplate) per line of each article.

    ``probs``: per article, the classifier probabilities of state 1 per line; ``prior``: the class prior the
    classifier was trained under (emission likelihoods are ``p / prior``); ``strength`` in [0, inf) scales the
    transition log-probabilities (0 = no smoothing, the raw probabilities are returned).

    The recursions run over all articles at once, one line position at a time: articles sorted by length, the
    ones still running are a prefix of the sort, and each step is a few array operations on that prefix. Each
    article's result is exactly what it gets alone (the same operations on its own numbers).
    """
    probs = [np.asarray(p, dtype=np.float64) for p in probs]
    if strength <= 0:
        return [p.copy() for p in probs]
    lengths = np.fromiter(map(len, probs), dtype=np.int64, count=len(probs))
    order = np.argsort(-lengths, kind="stable")  # longest first
    width = int(lengths.max(initial=0))
    n_run = np.searchsorted(-lengths[order], -np.arange(1, width + 1), side="right")  # [t]: articles longer than t
    out = [np.zeros(0) for _ in probs]
    if width == 0:
        return out
    eps = 1e-9
    p1 = np.ones((len(probs), width))  # padding: emissions of 1 (never read for a finished article)
    p0 = np.ones((len(probs), width))
    for row, k in enumerate(order.tolist()):
        n = lengths[k]
        p1[row, :n] = np.clip(probs[k], eps, 1.0) / prior[1]
        p0[row, :n] = np.clip(1.0 - probs[k], eps, 1.0) / prior[0]
    a = trans ** strength
    a = a / a.sum(axis=1, keepdims=True)
    s = start ** strength
    s = s / s.sum()
    a00, a01, a10, a11 = (float(v) for v in a.ravel())
    alpha0, alpha1 = np.zeros_like(p0), np.zeros_like(p1)  # zeros past an article's end, never garbage
    f0, f1 = float(s[0]) * p0[:, 0], float(s[1]) * p1[:, 0]
    z = f0 + f1
    alpha0[:, 0], alpha1[:, 0] = f0 / z, f1 / z
    for t in range(1, width):
        m = int(n_run[t])  # articles with a line t
        f0, f1 = alpha0[:m, t - 1], alpha1[:m, t - 1]
        v0 = (f0 * a00 + f1 * a10) * p0[:m, t]
        v1 = (f0 * a01 + f1 * a11) * p1[:m, t]
        z = v0 + v1
        alpha0[:m, t], alpha1[:m, t] = v0 / z, v1 / z
    beta0, beta1 = np.ones_like(p0), np.ones_like(p1)
    for t in range(width - 2, -1, -1):
        m = int(n_run[t + 1])  # articles with a line t + 1 (the others' line t is their last: beta 1)
        w0, w1 = p0[:m, t + 1] * beta0[:m, t + 1], p1[:m, t + 1] * beta1[:m, t + 1]
        v0 = a00 * w0 + a01 * w1
        v1 = a10 * w0 + a11 * w1
        z = v0 + v1
        beta0[:m, t], beta1[:m, t] = v0 / z, v1 / z
    post0, post1 = alpha0 * beta0, alpha1 * beta1
    for row, k in enumerate(order.tolist()):
        n = lengths[k]
        out[k] = post1[row, :n] / (post0[row, :n] + post1[row, :n])
    return out


def _logit(p: np.ndarray | float) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=np.float64), 1e-6, 1 - 1e-6)
    return np.log(p) - np.log1p(-p)


def article_span(p1: np.ndarray, threshold: float, margin: float, blank: np.ndarray | None = None) -> np.ndarray:
    """P(boilerplate) per line of one article after article-span decoding (:func:`article_span_many`)."""
    p1 = np.asarray(p1, dtype=np.float64)
    blank = np.zeros(len(p1), bool) if blank is None else np.asarray(blank, bool)
    if not len(p1):
        return p1.copy()
    at = float(_logit(threshold))
    gain = np.where(blank, 0.0, at - _logit(p1))  # > 0: editorial at this threshold; blank lines 0
    prefix = np.concatenate([[0.0], np.cumsum(gain)])
    before = np.minimum.accumulate(prefix[:-1])  # [j]: the lowest prefix sum before line j
    end = int(np.argmax(prefix[1:] - before))  # the span with the largest sum ends at line ``end`` ...
    start = int(np.argmin(prefix[:end + 1]))  # ... and starts after the lowest prefix sum before it
    if prefix[end + 1] - prefix[start] <= 0:  # no editorial line at all: nothing to decode
        return p1.copy()
    out = np.maximum(p1, threshold)  # outside the span: boilerplate at ``threshold``
    inside = slice(start, end + 1)
    out[inside] = 1.0 / (1.0 + np.exp(np.clip(gain[inside] + margin - at, -700.0, 700.0)))  # logit - margin
    return np.where(blank, p1, out)


def article_span_many(docs: list[list[str]], probs: list[np.ndarray], threshold: float,
                      margin: float) -> list[np.ndarray]:
    """P(boilerplate) per line of each article after article-span decoding at ``threshold``.

    The editorial log-odds of a line is ``logit(threshold) - logit(p)`` (positive: editorial at that threshold).
    The span of lines with the largest sum of them is taken as the article (when no line is editorial nothing
    changes). Outside it a line's probability is raised to at least ``threshold`` (boilerplate); inside it the
    log-odds of boilerplate drop by ``margin``, so a line there is editorial unless the model was more than
    ``margin`` nats surer of boilerplate than the threshold asks. Blank lines count 0 and keep their probability."""
    return [article_span(p, threshold, margin, np.fromiter((not ln.strip() for ln in d), bool, len(d)))
            for d, p in zip(docs, probs)]
