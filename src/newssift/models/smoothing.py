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
    q = np.clip(p1, eps, 1.0)
    e0 = (np.clip(1.0 - p1, eps, 1.0) / prior[0]).tolist()
    e1 = (q / prior[1]).tolist()
    a = trans ** strength
    a = a / a.sum(axis=1, keepdims=True)
    s = start ** strength
    s = s / s.sum()
    a00, a01, a10, a11 = (float(v) for v in a.ravel())
    # two states: scalar recursions in plain floats (much faster than numpy on tiny vectors)
    f0, f1 = float(s[0]) * e0[0], float(s[1]) * e1[0]
    z = f0 + f1
    f0, f1 = f0 / z, f1 / z
    alpha0, alpha1 = [f0], [f1]
    for t in range(1, n):
        v0 = (f0 * a00 + f1 * a10) * e0[t]
        v1 = (f0 * a01 + f1 * a11) * e1[t]
        z = v0 + v1
        f0, f1 = v0 / z, v1 / z
        alpha0.append(f0)
        alpha1.append(f1)
    b0 = b1 = 1.0
    beta0, beta1 = [1.0] * n, [1.0] * n
    for t in range(n - 2, -1, -1):
        w0, w1 = e0[t + 1] * b0, e1[t + 1] * b1
        v0 = a00 * w0 + a01 * w1
        v1 = a10 * w0 + a11 * w1
        z = v0 + v1
        b0, b1 = v0 / z, v1 / z
        beta0[t], beta1[t] = b0, b1
    post0 = np.asarray(alpha0) * np.asarray(beta0)
    post1 = np.asarray(alpha1) * np.asarray(beta1)
    return post1 / (post0 + post1)
