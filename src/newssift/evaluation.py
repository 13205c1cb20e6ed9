"""The one evaluation: the metrics and scoring used by the ``evaluate`` stage, ``newssift eval`` and the
benchmarks."""
from __future__ import annotations

import math
import re
import time
from collections import Counter
from typing import Any

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    f1_score,
    precision_recall_fscore_support,
)

_TOKEN_RE = re.compile(r"\w+")


def topic_metrics(y_true: list[str], y_pred: list[str], labels: list[str]) -> dict:
    f1s = f1_score(y_true, y_pred, labels=labels, average=None, zero_division=0)
    return {
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "macro_f1": float(f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0)),
        "n": len(y_true),
        "per_class_f1": {lab: float(f) for lab, f in zip(labels, f1s)},
    }


def tokens(text: str) -> Counter:
    return Counter(t.lower() for t in _TOKEN_RE.findall(text))


def token_f1(pred_text: str, gold_text: str) -> float:
    """Bag-of-words F1 between two texts (1.0 when both are empty)."""
    p, g = tokens(pred_text), tokens(gold_text)
    if not p and not g:
        return 1.0
    overlap = sum((p & g).values())
    if overlap == 0:
        return 0.0
    prec, rec = overlap / sum(p.values()), overlap / sum(g.values())
    return 2 * prec * rec / (prec + rec)


def _prf(y: np.ndarray, yhat: np.ndarray, w: np.ndarray | None, label: int) -> tuple[float, float, float]:
    p, r, f, _ = precision_recall_fscore_support(y, yhat, labels=[label], sample_weight=w, zero_division=0)
    return float(p[0]), float(r[0]), float(f[0])


def boilerplate_metrics(docs: list[list[str]], gold: list[list[int]], proba: list[np.ndarray],
                        threshold: float) -> dict:
    """Line-level boilerplate metrics (1 = boilerplate) for articles with gold line labels."""
    y = np.concatenate([np.asarray(g, dtype=int) for g in gold]) if gold else np.zeros(0, int)
    pr = np.concatenate([np.asarray(p, dtype=float) for p in proba]) if proba else np.zeros(0)
    yhat = (pr >= threshold).astype(int)
    w = np.array([len(line.strip()) for doc in docs for line in doc], dtype=float)
    out: dict = {"lines": int(len(y)), "articles": len(docs), "threshold": float(threshold),
                 "boilerplate_share": float(y.mean()) if len(y) else 0.0}
    for name, lab in (("boilerplate", 1), ("editorial", 0)):
        p, r, f = _prf(y, yhat, None, lab)
        out[f"{name}_precision"], out[f"{name}_recall"], out[f"{name}_f1"] = p, r, f
        out[f"{name}_f1_length_weighted"] = _prf(y, yhat, w, lab)[2] if w.sum() else 0.0
    out["macro_f1"] = (out["boilerplate_f1"] + out["editorial_f1"]) / 2
    both = len(set(y.tolist())) == 2
    out["pr_auc_boilerplate"] = float(average_precision_score(y, pr)) if both else float("nan")
    out["pr_auc_editorial"] = float(average_precision_score(1 - y, 1 - pr)) if both else float("nan")
    tf1 = []
    for doc, g, p in zip(docs, gold, proba):
        gold_text = "\n".join(line for line, lab in zip(doc, g) if lab == 0)
        pred_text = "\n".join(line for line, q in zip(doc, p) if q < threshold)
        tf1.append(token_f1(pred_text, gold_text))
    out["editorial_token_f1"] = float(np.mean(tf1)) if tf1 else 0.0
    return out


NO_TOPIC = "(none)"  # the pipeline predicted no topic (no editorial text was left)


def topic_report(y_true: list[str], y_pred: list[str | None], known: list[str]) -> dict:
    """:func:`topic_metrics` over the gold topics and the model's ``known`` ones, with the support of each gold
    topic, the articles that got no topic (``None``: counted as errors) and the gold topics the model does not
    know (always errors)."""
    y_pred = [NO_TOPIC if p is None else p for p in y_pred]
    labels = sorted(set(known) | set(y_true))
    out = topic_metrics(y_true, y_pred, labels)
    out["support"] = dict(sorted(Counter(y_true).items()))
    out["no_topic_predicted"] = sum(1 for p in y_pred if p == NO_TOPIC)
    out["unknown_topics"] = sorted(set(y_true) - set(known))
    return out


def score_boilerplate_model(model, docs: list[list[str]], gold: list[list[int]]) -> dict:
    """Score a boilerplate model on labelled articles: ``metrics`` (:func:`boilerplate_metrics` at the model's
    threshold), ``y`` and ``p`` (every line's gold label and P(boilerplate), for plots) and ``articles_per_s``."""
    t0 = time.perf_counter()
    proba = model.predict_proba(docs)
    secs = time.perf_counter() - t0
    return {"metrics": boilerplate_metrics(docs, gold, proba, float(model.threshold_)),
            "y": np.concatenate([np.asarray(g, dtype=int) for g in gold]),
            "p": np.concatenate([np.asarray(p, dtype=float) for p in proba]),
            "articles_per_s": len(docs) / max(secs, 1e-9)}


def score_topic_model(model, texts: list[str], topics: list[str]) -> dict:
    """Score a topic model on texts with gold topics: ``metrics`` (:func:`topic_report`), ``y`` and ``pred`` (for
    the confusion matrix) and ``articles_per_s``."""
    t0 = time.perf_counter()
    proba = model.predict_proba(texts)
    secs = time.perf_counter() - t0
    pred = [model.classes_[i] for i in np.asarray(proba).argmax(axis=1)]
    return {"metrics": topic_report(topics, pred, list(model.classes_)), "y": list(topics), "pred": pred,
            "articles_per_s": len(texts) / max(secs, 1e-9)}


def finite(obj: Any) -> Any:
    """JSON-safe copy: NaN and inf (PR-AUC with one class, say) become None."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [finite(v) for v in obj]
    return obj
