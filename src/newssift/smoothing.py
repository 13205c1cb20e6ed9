"""Sequence smoothing of per-line boilerplate probabilities with a two-state hidden Markov model.

Boilerplate comes in runs (a block of related links, an appended advertisement). Treating the classifier's
per-line probabilities as emissions and the label transitions observed in training as a Markov chain, the
forward-backward posteriors let a confident run pull an uncertain line inside it to the run's label.
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
    """Posterior P(boilerplate) per line.

    ``p1``: classifier probabilities of state 1 per line; ``prior``: the class prior the classifier was
    trained under (emission likelihoods are ``p / prior``); ``strength`` in [0, inf) scales the transition
    log-probabilities (0 = no smoothing, the raw probabilities are returned).
    """
    p1 = np.asarray(p1, dtype=np.float64)
    n = len(p1)
    if n == 0 or strength <= 0:
        return p1.copy()
    eps = 1e-9
    emis = np.stack([np.clip(1 - p1, eps, 1) / prior[0], np.clip(p1, eps, 1) / prior[1]], axis=1)
    a = trans ** strength
    a = a / a.sum(axis=1, keepdims=True)
    s = start ** strength
    s = s / s.sum()
    alpha = np.empty((n, 2))
    alpha[0] = s * emis[0]
    alpha[0] /= alpha[0].sum()
    for t in range(1, n):
        v = (alpha[t - 1] @ a) * emis[t]
        alpha[t] = v / v.sum()
    beta = np.empty((n, 2))
    beta[-1] = 1.0
    for t in range(n - 2, -1, -1):
        v = a @ (emis[t + 1] * beta[t + 1])
        beta[t] = v / v.sum()
    post = alpha * beta
    return post[:, 1] / post.sum(axis=1)
