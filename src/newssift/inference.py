"""Inference: load the trained models and process raw articles.

    >>> from newssift import load_pipeline
    >>> pipe = load_pipeline("models/", model="tfidf")
    >>> result = pipe.predict(raw_text)
    >>> result.editorial, result.topic, result.topic_probabilities, result.lines[0]

The same :func:`~newssift.cleaning.clean_text` as training runs first, so training and inference never drift.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from newssift.cleaning import clean_text, is_blank, looks_binary, split_lines
from newssift.errors import DataError, ModelLoadError

FAMILIES = ("tfidf", "transformer")
DEFAULT_MAX_CHARS = 5_000_000


@dataclass
class Line:
    text: str
    boilerplate: bool
    probability: float  # P(boilerplate)


@dataclass
class Prediction:
    """One article's result. ``error`` is set (and the rest empty) when the input could not be processed."""

    id: str | None = None
    editorial: str = ""
    lines: list[Line] = field(default_factory=list)
    topic: str | None = None
    topic_probabilities: dict[str, float] = field(default_factory=dict)
    error: str | None = None

    @property
    def boilerplate(self) -> list[str]:
        return [ln.text for ln in self.lines if ln.boilerplate]

    def to_dict(self) -> dict:
        return asdict(self)


def _family_folder(models_dir: Path, model: str) -> Path:
    if (models_dir / "boilerplate").is_dir() and (models_dir / "topic").is_dir():
        return models_dir  # already a family folder
    return models_dir / model


class Pipeline:
    """Clean -> boilerplate split -> topic, for one model family."""

    def __init__(self, boilerplate_model, topic_model, family: str, max_chars: int = DEFAULT_MAX_CHARS):
        self.boilerplate_model = boilerplate_model
        self.topic_model = topic_model
        self.family = family
        self.max_chars = max_chars

    @property
    def topics(self) -> list[str]:
        return list(self.topic_model.classes_)

    def _check(self, text) -> str | None:
        if not isinstance(text, str):
            return f"text must be a string, got {type(text).__name__}"
        if len(text) > self.max_chars:
            return f"text has {len(text):,} characters, more than the limit of {self.max_chars:,}"
        if looks_binary(text):
            return "text looks like binary data (NUL or many control characters)"
        if is_blank(text):
            return "text is empty or whitespace only"
        return None

    def predict(self, text: str, id: str | None = None) -> Prediction:
        """Process one raw article. Raises :class:`DataError` for unusable input (empty, binary, too long)."""
        (pred,) = self.predict_many([text], ids=[id], on_error="raise")
        return pred

    def predict_many(self, texts: Iterable[str], ids: Sequence[str | None] | None = None, batch_size: int = 64,
                     on_error: str = "record") -> list[Prediction]:
        """Process many articles in batches. ``on_error="record"`` returns a :class:`Prediction` with ``error``
        set for an unusable input and goes on; ``"raise"`` raises :class:`DataError`."""
        texts = list(texts)
        ids = list(ids) if ids is not None else [None] * len(texts)
        out: list[Prediction] = []
        for start in range(0, len(texts), batch_size):
            out.extend(self._batch(texts[start:start + batch_size], ids[start:start + batch_size], on_error))
        return out

    def _batch(self, texts: list, ids: list, on_error: str) -> list[Prediction]:
        results: list[Prediction] = []
        good: list[tuple[int, list[str]]] = []
        for i, (text, rid) in enumerate(zip(texts, ids)):
            problem = self._check(text)
            if problem is None:
                cleaned = clean_text(text)
                problem = "text is empty after cleaning" if is_blank(cleaned) else None
            if problem is not None:
                if on_error == "raise":
                    raise DataError(f"{rid or 'input'}: {problem}")
                results.append(Prediction(id=rid, error=problem))
                continue
            results.append(Prediction(id=rid))
            good.append((i, split_lines(cleaned)))
        if not good:
            return results
        docs = [lines for _, lines in good]
        probas = self.boilerplate_model.predict_proba(docs)
        threshold = float(self.boilerplate_model.threshold_)
        editorial = []
        for (i, lines), proba in zip(good, probas):
            res = results[i]
            res.lines = [Line(t, bool(p >= threshold), round(float(p), 6)) for t, p in zip(lines, proba)]
            res.editorial = "\n".join(ln.text for ln in res.lines if not ln.boilerplate).strip("\n")
            editorial.append(res.editorial)
        has_text = [k for k, e in enumerate(editorial) if e.strip()]
        if has_text:
            tp = np.asarray(self.topic_model.predict_proba([editorial[k] for k in has_text]))
            classes = list(self.topic_model.classes_)
            for row, k in zip(tp, has_text):
                res = results[good[k][0]]
                res.topic_probabilities = {c: round(float(p), 6) for c, p in zip(classes, row)}
                res.topic = classes[int(np.argmax(row))]
        return results


def load_pipeline(models_dir: str | Path = "models", model: str = "tfidf", device: str = "auto",
                  max_chars: int = DEFAULT_MAX_CHARS) -> Pipeline:
    """Load a trained pipeline (boilerplate + topic models of one family) from ``models_dir``.

    ``models_dir`` is the project's ``models/`` folder (holding ``tfidf/`` and ``transformer/``) or one family's
    folder. Files are verified against the checksums written at training; nothing is unpickled.
    """
    if model not in FAMILIES:
        raise ModelLoadError(f"unknown model family {model!r}; choose one of {', '.join(FAMILIES)}")
    from newssift.stages import load_boilerplate_model, load_topic_model

    folder = _family_folder(Path(models_dir), model)
    if not folder.is_dir():
        raise ModelLoadError(f"{folder}: no trained {model} models here (run `dvc repro`, or pass the folder "
                             "that holds tfidf/ and transformer/)")
    for task in ("boilerplate", "topic"):
        if (folder / task / "DISABLED").exists():
            raise ModelLoadError(f"{folder / task}: the {model} model was not trained "
                                 "(transformer.enabled was false in params.yaml)")
    bp = load_boilerplate_model(model, folder / "boilerplate", device=device)
    tp = load_topic_model(model, folder / "topic", device=device)
    return Pipeline(bp, tp, model, max_chars=max_chars)
