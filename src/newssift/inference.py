"""Inference: load the trained models and process raw articles.

    >>> from newssift import load_pipeline
    >>> pipe = load_pipeline("models/", model="tfidf")
    >>> result = pipe.predict(raw_text)
    >>> result.editorial, result.topic, result.topic_probabilities, result.lines[0]

The same :func:`~newssift.data.text.clean_text` as training runs first, so training and inference never drift.
"""
from __future__ import annotations

import multiprocessing
import numbers
import sys
import weakref
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from newssift.constants import DEFAULT_MAX_CHARS
from newssift.data.text import clean_text, is_blank, looks_binary, split_lines
from newssift.errors import DataError
from newssift.procs import available_cores, ordered_map


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
        """The fields as plain dicts and lists (``dataclasses.asdict``'s result, built directly: asdict deep-copies
        every value and took over a millisecond per article, serially in the process that writes the output)."""
        return {"id": self.id, "editorial": self.editorial,
                "lines": [{"text": ln.text, "boilerplate": ln.boilerplate, "probability": ln.probability}
                          for ln in self.lines],
                "topic": self.topic, "topic_probabilities": dict(self.topic_probabilities), "error": self.error}

    def __reduce__(self):
        """Pickled compactly (worker processes send their results to the parent this way): the line texts as one
        string and the flags and probabilities as arrays, instead of one pickled object per line; the parent
        unpickles them in a third of the time."""
        lines = self.lines
        packed = None
        if lines:
            packed = ("\n".join([ln.text for ln in lines]), np.array([ln.boilerplate for ln in lines], dtype=bool),
                      np.array([ln.probability for ln in lines], dtype=np.float64))
            if packed[0].count("\n") != len(lines) - 1:  # a line holding a newline: not split back; keep them
                packed = list(lines)
        return _prediction, (self.id, self.editorial, packed, self.topic, self.topic_probabilities, self.error)


def _prediction(id, editorial, packed, topic, topic_probabilities, error) -> Prediction:
    """A :class:`Prediction` from what its ``__reduce__`` packed."""
    if packed is None:
        lines = []
    elif isinstance(packed, list):
        lines = packed
    else:
        texts, flags, probabilities = packed
        lines = list(map(Line, texts.split("\n"), flags.tolist(), probabilities.tolist()))
    return Prediction(id, editorial, lines, topic, topic_probabilities, error)


def _resolve_jobs(n_jobs: int | None) -> int:
    """``n_jobs`` <= 0 or None: one worker per available core."""
    return available_cores() if not n_jobs or n_jobs < 0 else int(n_jobs)


_WORKER_PIPELINE: Pipeline | None = None  # the pipeline a forked worker process runs (inherited, not pickled)


def _worker_batch(args: tuple[list, list, str]) -> list[Prediction]:
    assert _WORKER_PIPELINE is not None
    return _WORKER_PIPELINE._batch(*args)


class Pipeline:
    """Clean -> boilerplate split -> topic, for one model family.

    ``n_jobs`` (TF-IDF family, Linux): :meth:`predict_many` spreads batches over this many worker processes
    (forked, so the models are shared, not copied or pickled); 1 = in this process, 0 or -1 = one per core. The
    transformer family always runs in this process (torch uses every core itself).
    """

    def __init__(self, boilerplate_model, topic_model, family: str, max_chars: int = DEFAULT_MAX_CHARS,
                 n_jobs: int = 1, boilerplate_family: str | None = None):
        self.boilerplate_model = boilerplate_model
        self.topic_model = topic_model
        self.family = family  # of the topic model
        self.boilerplate_family = family if boilerplate_family is None else boilerplate_family
        self.max_chars = max_chars
        self.n_jobs = n_jobs
        self._pool = None
        self._pool_size = 0

    @property
    def max_workers(self) -> int:
        """Worker processes :meth:`predict_many` uses for a large input."""
        return self._workers(None, sys.maxsize)

    def _workers(self, n_jobs: int | None, n_batches: int) -> int:
        if self.family != "tfidf" or n_batches < 2 or sys.platform != "linux":
            return 1
        return max(1, min(_resolve_jobs(self.n_jobs if n_jobs is None else n_jobs), n_batches))

    def _get_pool(self, size: int):
        global _WORKER_PIPELINE
        if self._pool is None or self._pool_size != size:
            self.close()
            _WORKER_PIPELINE = self
            self._pool = multiprocessing.get_context("fork").Pool(size)
            self._pool_size = size
            self._finalizer = weakref.finalize(self, self._pool.terminate)
        return self._pool

    def close(self) -> None:
        """Stop the worker processes (if any); the pipeline stays usable."""
        if self._pool is not None:
            self._finalizer.detach()
            self._pool.terminate()
            self._pool = None
            self._pool_size = 0

    def __getstate__(self):
        state = dict(self.__dict__)
        state.update(_pool=None, _pool_size=0)
        state.pop("_finalizer", None)
        return state

    @property
    def topics(self) -> list[str]:
        return [] if self.topic_model is None else list(self.topic_model.classes_)

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
                     on_error: str = "record", n_jobs: int | None = None) -> list[Prediction]:
        """Process many articles in batches, in input order. ``on_error="record"`` returns a :class:`Prediction`
        with ``error`` set for an unusable input and goes on; ``"raise"`` raises :class:`DataError`.
        ``n_jobs`` overrides the pipeline's ``n_jobs`` for this call.

        ``texts`` is an iterable of strings (a single ``str`` is refused with a :class:`TypeError`, not read as
        one text per character); ``batch_size`` a whole number >= 1 (else :class:`ValueError`)."""
        if on_error not in ("record", "raise"):
            raise ValueError(f"on_error must be 'record' or 'raise', got {on_error!r}")
        if isinstance(texts, (str, bytes, bytearray)):
            raise TypeError(f"predict_many expects a list (or other iterable) of texts, got one "
                            f"{type(texts).__name__}; for one article use predict(text) or predict_many([text])")
        if isinstance(ids, (str, bytes, bytearray)):
            raise TypeError(f"ids must be a list with one id per text, got one {type(ids).__name__}")
        if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral) or batch_size < 1:
            raise ValueError(f"batch_size must be a whole number >= 1, got {batch_size!r}")
        batch_size = int(batch_size)
        texts = list(texts)
        ids = list(ids) if ids is not None else [None] * len(texts)
        if len(ids) != len(texts):
            raise ValueError(f"got {len(texts)} texts but {len(ids)} ids")
        batches = [(texts[i:i + batch_size], ids[i:i + batch_size], on_error)
                   for i in range(0, len(texts), batch_size)]
        workers = self._workers(n_jobs, len(batches))
        if workers > 1:
            if on_error == "raise":  # fail fast and in this process, with the same message as without workers
                for text, rid in zip(texts, ids):
                    problem = self._check(text)
                    if problem is not None:
                        raise DataError(f"{rid or 'input'}: {problem}")
            done = self._get_pool(workers).map(_worker_batch, batches, chunksize=1)
        else:
            done = [self._batch(*b) for b in batches]
        return [p for chunk in done for p in chunk]

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
        if self.boilerplate_model is None:  # a partial pipeline (load_pipeline(partial=True)): every line kept
            probas, threshold = [np.zeros(len(d)) for d in docs], 1.0
        else:
            probas = self.boilerplate_model.predict_proba(docs)
            threshold = float(self.boilerplate_model.threshold_)
        editorial = []
        for (i, lines), proba in zip(good, probas):
            res = results[i]
            proba = np.asarray(proba, dtype=np.float64)
            flags, values = (proba >= threshold).tolist(), proba.tolist()
            res.lines = [Line(t, b, round(p, 6)) for t, b, p in zip(lines, flags, values)]
            res.editorial = "\n".join(ln.text for ln in res.lines if not ln.boilerplate).strip("\n")
            editorial.append(res.editorial)
        has_text = [k for k, e in enumerate(editorial) if e.strip()] if self.topic_model is not None else []
        if has_text:
            tp = np.asarray(self.topic_model.predict_proba([editorial[k] for k in has_text]))
            classes = [str(c) for c in self.topic_model.classes_]  # plain str, not numpy's str_
            for row, k in zip(tp, has_text):
                res = results[good[k][0]]
                res.topic_probabilities = {c: round(float(p), 6) for c, p in zip(classes, row)}
                res.topic = classes[int(np.argmax(row))]
        return results


def load_pipeline(models_dir: str | Path = "models", model: str = "tfidf", device: str = "auto",
                  max_chars: int = DEFAULT_MAX_CHARS, n_jobs: int = 1, boilerplate: str | None = None,
                  quantize: str | None = None, partial: bool = False) -> Pipeline:
    """Load a trained pipeline (boilerplate + topic models of one family) from ``models_dir``.

    ``models_dir`` is the project's ``models/`` folder (holding ``tfidf/`` and ``transformer/``) or one family's
    folder. Files are verified against the checksums written at training; nothing is unpickled. ``n_jobs``:
    worker processes for :meth:`Pipeline.predict_many` (TF-IDF; 0 = one per core). ``boilerplate``: the family of
    the boilerplate model. By default it is the split that cut the topic model's training text, as recorded in
    the topic model's manifest (``text_split``: the family of ``split_articles.model``; ``"none"`` when training
    kept the full text, then every line is kept here too; or the ``split_articles.fallback_model`` folder, loaded
    from where it was, refused in one line if it is gone or changed), so that inference sees text cut the way
    training did; for a family, ``models_dir`` must then be the folder that holds both families. A family's own
    folder, or a model that records no split, uses its own family's split. ``boilerplate="none"``: no split. ``quantize``: for the transformer family on CPU, ``"int8"``
    runs the encoders' linear layers in dynamic int8, ``"none"`` in full precision; default: as trained
    (``transformer.quantize``). ``partial``: a task whose model was not trained (the corpus had no labels for it)
    or is missing is left out, as long as the other one is there: without a topic model ``topic`` stays None,
    without a boilerplate model every line is editorial (``boilerplate`` False, ``probability`` 0).
    """
    from newssift.models.registry import (
        load_boilerplate_model,
        load_topic_model,
        task_folders,
    )

    folders, boilerplate = task_folders(models_dir, model, boilerplate, partial=partial)
    bp = None if folders["boilerplate"] is None else load_boilerplate_model(boilerplate, folders["boilerplate"],
                                                                            device=device, quantize=quantize)
    tp = None if folders["topic"] is None else load_topic_model(model, folders["topic"], device=device,
                                                               quantize=quantize)
    return Pipeline(bp, tp, model, max_chars=max_chars, n_jobs=n_jobs, boilerplate_family=boilerplate)


def error_reason(message: str) -> str:
    """Short code for a Pipeline error message (Prediction.error has no code)."""
    m = message.lower()
    for key, code in (("more than the limit", "too_long"), ("binary", "binary"), ("empty after cleaning", "empty"),
                      ("empty", "empty"), ("must be a string", "text_not_string")):
        if key in m:
            return code
    return "failed"


def failure(message: str) -> tuple[str, str]:
    """(reason code, message) for a Prediction's error, as the command line and the Ray engine report it."""
    reason = error_reason(message)
    if reason == "too_long" and "--max-chars" not in message:
        message += " (raise it with --max-chars)"
    return reason, message



def predict_stream(pipe: Pipeline, batches: Iterable[tuple[list[str], list]], batch_size: int = 64
                   ) -> Iterator[list[Prediction]]:
    """:func:`predict_chunk` of each ``(texts, ids)`` batch, in input order, consuming ``batches`` lazily. With
    worker processes (the pipeline's ``max_workers`` > 1: TF-IDF with ``n_jobs``), the batches run in forked
    workers (:func:`newssift.procs.ordered_map`, a bounded number in flight) while this process goes on reading the
    input and writing the results, so the workers never wait for it; memory is bounded by the batch size."""
    global _WORKER_PIPELINE
    _WORKER_PIPELINE = pipe  # inherited by the forked workers, not pickled (one worker: ordered_map runs here)
    yield from ordered_map(_worker_chunk, ((texts, ids, batch_size) for texts, ids in batches), pipe.max_workers)


def _worker_chunk(task: tuple[list[str], list, int]) -> list[Prediction]:
    assert _WORKER_PIPELINE is not None
    texts, ids, batch_size = task
    return predict_chunk(_WORKER_PIPELINE, texts, ids, batch_size)


def predict_chunk(pipe, texts: list[str], ids: list, batch_size: int) -> list:
    """``predict_many`` with ``on_error="record"``; should the model itself raise on some input, the chunk is
    retried record by record so that one pathological article fails alone."""
    try:
        return pipe.predict_many(texts, ids, batch_size=batch_size, on_error="record")
    except (KeyboardInterrupt, MemoryError):
        raise
    except Exception as exc:
        if len(texts) == 1:
            return [Prediction(id=ids[0], error=f"the model failed on this article ({type(exc).__name__}: {exc})")]
        out = []
        for t, i in zip(texts, ids):
            out.extend(predict_chunk(pipe, [t], [i], batch_size))
        return out


