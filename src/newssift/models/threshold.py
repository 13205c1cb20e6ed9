"""The one threshold tuner: every boilerplate model (TF-IDF and transformer) picks its decision threshold, with
``smoothing: tune`` its HMM smoothing strength, and with ``span: tune`` whether to decode the article's span, on
validation with it."""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from sklearn.metrics import f1_score

from newssift.models.smoothing import article_span_many

SMOOTHING_GRID = (0.0, 0.5, 1.0, 2.0)  # smoothing: tune picks one of these on validation (0 = off)


def _flat(gold: Sequence[Sequence[int]], proba: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    y = np.concatenate([np.asarray(g, dtype=int) for g in gold]) if len(gold) else np.zeros(0, dtype=int)
    pr = np.concatenate([np.asarray(p, dtype=float) for p in proba]) if len(proba) else np.zeros(0)
    return y, pr


def _macro_f1(y: np.ndarray, pr: np.ndarray, threshold: float) -> float:
    if not len(y):
        return 0.0
    return float(f1_score(y, (pr >= threshold).astype(int), average="macro", zero_division=0))


def validation_score(gold: Sequence[Sequence[int]], proba: Sequence[np.ndarray], threshold: float) -> float:
    """What the tuner maximises: the macro-F1 of both classes over all lines, P(boilerplate) >= ``threshold``
    meaning boilerplate (for comparing other choices, such as a fusion weight, on the same footing)."""
    return _macro_f1(*_flat(gold, proba), threshold)


def tune_threshold(gold: list[list[int]], proba: list[np.ndarray]) -> float:
    """Threshold on P(boilerplate) that maximises the macro-F1 of both classes over lines."""
    y, pr = _flat(gold, proba)
    if len(set(y.tolist())) < 2:
        return 0.5
    best_t, best = 0.5, -1.0
    for t in np.round(np.arange(0.05, 0.96, 0.01), 2):
        f = _macro_f1(y, pr, t)
        if f > best + 1e-12:
            best_t, best = float(t), f
    return best_t


def untuned(strengths: Sequence[float] = SMOOTHING_GRID, threshold: float | None = None) -> tuple[float, float]:
    """(smoothing strength, threshold) when there is nothing to tune them on (no validation articles, or only one
    class in them): strength 1 (the transitions as estimated) where several were offered, else the one given;
    threshold 0.5 unless fixed. The one rule of both boilerplate models."""
    return (1.0 if len(strengths) > 1 else float(strengths[0])), (0.5 if threshold is None else float(threshold))


def tune_smoothing_and_threshold(gold: list[list[int]], raw: list[np.ndarray],
                                 smooth: Callable[[list[np.ndarray], float], list[np.ndarray]],
                                 strengths: Sequence[float] = SMOOTHING_GRID,
                                 threshold: float | None = None) -> tuple[float, float, list[np.ndarray]]:
    """(smoothing strength, threshold, smoothed probabilities) with the best validation macro-F1 over lines.

    ``raw``: the model's P(boilerplate) per line of each validation article before smoothing; ``smooth(raw, s)``
    smooths them at strength ``s``; each strength of ``strengths`` gets its own tuned threshold (or the fixed
    ``threshold``). The first of equal scores wins, so list the strengths from weaker to stronger. Without both
    classes in ``gold`` nothing is tuned: :func:`untuned` gives the strength and threshold."""
    y, _ = _flat(gold, [])
    if len(set(y.tolist())) < 2:
        strength, t = untuned(strengths, threshold)
        return strength, t, smooth(raw, strength)
    best = None
    for strength in strengths:
        probs = smooth(raw, strength)
        t = tune_threshold(gold, probs) if threshold is None else float(threshold)
        score = validation_score(gold, probs, t)
        if best is None or score > best[0] + 1e-12:
            best = (score, float(strength), t, probs)
    _, strength, t, probs = best
    return strength, t, probs


def tune_span(docs: list[list[str]], gold: list[list[int]], probs: list[np.ndarray], threshold: float,
              margin: float, span: str | bool = "tune") -> bool:
    """Whether the model decodes the article's span (:func:`~newssift.models.smoothing.article_span_many`):
    ``span`` itself when it is true or false; under ``"tune"``, true when the decoded validation probabilities
    ``probs`` (smoothed, at the tuned ``threshold``) score a higher :func:`validation_score` than as they are
    (a tie, or no validation articles with both classes: false)."""
    if span != "tune":
        return bool(span)
    y, _ = _flat(gold, [])
    if len(set(y.tolist())) < 2:
        return False
    off = validation_score(gold, probs, threshold)
    on = validation_score(gold, article_span_many(docs, probs, threshold, margin), threshold)
    return on > off + 1e-12
