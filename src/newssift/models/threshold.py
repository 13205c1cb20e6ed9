"""The one threshold tuner: every boilerplate model (TF-IDF and transformer) picks its decision threshold on
validation with it."""
from __future__ import annotations

import numpy as np
from sklearn.metrics import f1_score


def tune_threshold(gold: list[list[int]], proba: list[np.ndarray]) -> float:
    """Threshold on P(boilerplate) that maximises the macro-F1 of both classes over lines."""
    y = np.concatenate([np.asarray(g, dtype=int) for g in gold])
    pr = np.concatenate([np.asarray(p, dtype=float) for p in proba])
    if len(set(y.tolist())) < 2:
        return 0.5
    best_t, best = 0.5, -1.0
    for t in np.round(np.arange(0.05, 0.96, 0.01), 2):
        yhat = (pr >= t).astype(int)
        f = f1_score(y, yhat, average="macro", zero_division=0)
        if f > best + 1e-12:
            best_t, best = float(t), f
    return best_t
