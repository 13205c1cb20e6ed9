"""TF-IDF baselines: topic classification of editorial text and per-line boilerplate detection.

Both are scikit-learn estimators (``get_params``/``set_params``, so ``sklearn.base.clone`` and ``GridSearchCV``
work; fitted attributes end with ``_``). Their features are a scikit-learn ``Pipeline`` of a ``FeatureUnion``:
hashed word and character n-grams (``HashingVectorizer``: stateless, nothing to store but its settings) weighted by
a ``TfidfTransformer``, plus, for boilerplate, the shallow shape of each line and its neighbours
(:class:`~newssift.features.lines.LineFeatures`, scaled). The same pipeline object transforms training and new
text. A linear model closes the pipeline: ``SGDClassifier`` (logistic loss) for topics, ``LogisticRegression``
(liblinear) per line for boilerplate, whose probabilities are then smoothed along the article by an HMM.

A model folder holds ``model.safetensors`` (every fitted array: idf vectors, scaler, coefficients as CSR) and
``manifest.json`` (the estimator's parameters, labels, HMM and threshold, the file's checksum). :meth:`load`
rebuilds the pipeline from the parameters and puts the arrays back, after checking the checksum, the family and
task, and that the file holds exactly the arrays that pipeline needs, with the right shapes: nothing is
unpickled, and loading takes milliseconds.
"""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from newssift.artifacts import MANIFEST, model_dir_writer, read_manifest
from newssift.config import (
    TfidfBoilerplateParams,
    TfidfTopicParams,
    params_from_manifest,
    to_dict,
    validate_section,
)
from newssift.constants import MEMO_LINE_CHARS, MEMO_LINES
from newssift.errors import ConfigError, DataError, ModelLoadError
from newssift.features import model_memo, unique_inverse
from newssift.features.hashing import BatchHashingVectorizer, SeenTfidfTransformer
from newssift.features.lines import (
    LineFeatures,
    feature_names,
    lines_of,
    normalize_line,
)
from newssift.models.smoothing import (
    article_span_many,
    estimate_transitions,
    forward_backward_many,
)
from newssift.models.threshold import (
    SMOOTHING_GRID,
    tune_smoothing_and_threshold,
    tune_span,
    untuned,
)

FAMILY = "tfidf"
# the boilerplate model's feature blocks whose row for a line depends on that line's text alone
_LINE_LOCAL = frozenset({"words", "chars"})
MODEL_FILE = "model.safetensors"
FORMAT = 2  # 1: model.skops (newssift before the hashed, estimator form); 2: model.safetensors

# Fitted arrays of each pipeline step that learns something: attribute -> stored "dense" or as "csr" (the
# coefficients: hashed feature spaces are mostly empty, features never seen in training have exactly zero weight;
# in memory they stay dense)
_STATE: dict[type, dict[str, str]] = {
    SeenTfidfTransformer: {"idf_": "dense"},
    StandardScaler: {"mean_": "dense", "var_": "dense", "scale_": "dense"},
    SGDClassifier: {"coef_": "csr", "intercept_": "dense"},
    LogisticRegression: {"coef_": "csr", "intercept_": "dense"},
}


def _ngrams(analyzer: str, ngram_range: tuple[int, int], n_features: int, sublinear_tf: bool, min_df: int,
            preprocessor=None) -> Pipeline:
    """Hashed n-gram counts -> TF-IDF (each block L2-normalised on its own)."""
    return Pipeline([
        ("hash", BatchHashingVectorizer(analyzer=analyzer, ngram_range=ngram_range, n_features=n_features,
                                           alternate_sign=False, norm=None, lowercase=True,
                                           preprocessor=preprocessor, dtype=np.float32)),
        ("tfidf", SeenTfidfTransformer(min_df=min_df, sublinear_tf=sublinear_tf)),
    ])


def _fitted_steps(est: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted name, step) of every step of a pipeline that holds fitted arrays, in a fixed order."""
    if isinstance(est, Pipeline):
        for name, step in est.steps:
            yield from _fitted_steps(step, f"{prefix}{name}.")
    elif isinstance(est, FeatureUnion):
        for name, step in est.transformer_list:
            yield from _fitted_steps(step, f"{prefix}{name}.")
    elif type(est) in _STATE:
        yield prefix[:-1], est


def _arrays_of(pipe: Pipeline) -> dict[str, np.ndarray]:
    out = {}
    for name, step in _fitted_steps(pipe):
        for attr, kind in _STATE[type(step)].items():
            value = getattr(step, attr)
            key = f"{name}.{attr}"
            if kind == "csr":
                m = sp.csr_array(value)
                m.sum_duplicates()
                out.update({f"{key}.data": m.data, f"{key}.indices": m.indices.astype(np.int64),
                            f"{key}.indptr": m.indptr.astype(np.int64),
                            f"{key}.shape": np.asarray(m.shape, dtype=np.int64)})
            else:
                out[key] = np.asarray(value)
    return {k: np.ascontiguousarray(v) for k, v in out.items()}


def _expected_names(pipe: Pipeline) -> set[str]:
    names = set()
    for name, step in _fitted_steps(pipe):
        for attr, kind in _STATE[type(step)].items():
            key = f"{name}.{attr}"
            names |= {f"{key}.{p}" for p in ("data", "indices", "indptr", "shape")} if kind == "csr" else {key}
    return names


def _fortran(coef: np.ndarray) -> np.ndarray:
    """Dense coefficients in column-major order: scikit-learn scores ``X @ coef_.T``, and scipy multiplies a
    sparse matrix by a C-contiguous dense one only, so row-major coefficients of several classes would be copied
    whole on every call (16 MB for 8 topics x 2**18 features: most of the time of one article). The values and
    every prediction are unchanged."""
    return np.asfortranarray(coef)


def _inference_layout(pipe: Pipeline) -> None:
    clf = pipe.named_steps["clf"]
    clf.coef_ = _fortran(clf.coef_)


def _restore(pipe: Pipeline, arrays: dict[str, np.ndarray], widths: dict[str, int], n_out: int,
             where: Path) -> None:
    """Put the stored arrays back into an unfitted ``pipe`` (built from the manifest's parameters), checking that
    they are exactly the arrays it needs, with the shapes its settings imply. ``widths``: input width of each
    fitted step but the classifier (``clf``), whose input is their sum; ``n_out``: rows of its coefficients.
    Coefficients stored as CSR go back dense, in the layout :func:`_inference_layout` gives them after fitting."""
    def bad(msg: str) -> ModelLoadError:
        return ModelLoadError(f"{where}: not a newssift TF-IDF model file ({msg})")

    expected = _expected_names(pipe)
    if set(arrays) != expected:
        missing, extra = sorted(expected - set(arrays)), sorted(set(arrays) - expected)
        raise bad(f"missing arrays {missing[:4]}, unexpected arrays {extra[:4]}")
    total = sum(widths.values())
    for name, step in _fitted_steps(pipe):
        width = total if name == "clf" else widths[name]
        for attr, kind in _STATE[type(step)].items():
            key = f"{name}.{attr}"
            if kind == "csr":
                shape = tuple(int(v) for v in arrays[f"{key}.shape"].tolist())
                if shape != (n_out, width):
                    raise bad(f"{key} has shape {shape}, expected {(n_out, width)}")
                parts = [arrays[f"{key}.{p}"] for p in ("data", "indices", "indptr")]
                if parts[0].dtype.kind != "f" or any(p.dtype.kind != "i" or p.ndim != 1 for p in parts[1:]):
                    raise bad(f"{key} has arrays of the wrong type")
                try:
                    value = sp.csr_array(tuple(parts), shape=shape)
                    value.check_format(full_check=True)
                except (ValueError, TypeError) as exc:
                    raise bad(f"{key}: {exc}") from None
                value = _fortran(value.toarray())
            else:
                value = arrays[key]
                want = (n_out,) if attr == "intercept_" else (width,)
                if value.dtype.kind != "f" or value.shape != want:
                    raise bad(f"{key} is {value.dtype}{list(value.shape)}, expected floats of shape {list(want)}")
            setattr(step, attr, value)
        step.n_features_in_ = width


def _save(folder: str | Path, pipe: Pipeline, manifest: dict) -> None:
    from safetensors.numpy import save

    with model_dir_writer(folder, {"family": FAMILY, "tfidf_format": FORMAT, **manifest}) as tmp:
        (tmp / MODEL_FILE).write_bytes(save(_arrays_of(pipe)))  # written as any file (save_file makes it 0600)


def _load(folder: str | Path, cls: type) -> tuple[BaseEstimator, dict, dict[str, np.ndarray]]:
    """(unfitted estimator with the stored parameters, manifest, arrays) of a verified model folder."""
    from safetensors import SafetensorError
    from safetensors.numpy import load_file

    manifest = read_manifest(folder, family=FAMILY, task=cls.task)
    path = Path(folder) / MODEL_FILE
    if manifest.get("tfidf_format") != FORMAT or MODEL_FILE not in manifest.get("files", {}):
        raise ModelLoadError(f"{folder}: a TF-IDF model in an older format (model.skops); retrain it "
                             "(`dvc repro`) with this newssift")
    params = params_from_manifest(cls.params_class, manifest.get("params"), Path(folder) / MANIFEST)
    est = cls.from_params(params, seed=manifest.get("seed", 42))
    try:
        arrays = load_file(str(path))
    except (SafetensorError, OSError, ValueError) as exc:
        raise ModelLoadError(f"{path}: not a readable safetensors model file ({exc})") from None
    return est, manifest, arrays


# the defaults of params.yaml (config.py), which the estimators' signatures take as theirs
_T, _B = TfidfTopicParams(), TfidfBoilerplateParams()


class _FromParams:
    """The estimators' parameters are a section of params.yaml (``params_class``) plus ``random_state``: one schema
    (:mod:`newssift.config`) checks them in ``params.yaml``, in :meth:`fit` and in a model's manifest."""

    params_class: type
    section: str

    @classmethod
    def from_params(cls, params=None, seed: int = 42):
        """The estimator for this section of params.yaml (defaults when ``params`` is None)."""
        return cls(**to_dict(params or cls.params_class()), random_state=seed)

    def params(self):
        """The parameters (but ``random_state``) as their params.yaml section, checked by its schema;
        ``ValueError`` (scikit-learn's convention for a bad parameter) naming the parameter otherwise."""
        raw = {k: v.item() if isinstance(v, np.generic) else v  # numpy scalars from a parameter grid
               for k, v in self.get_params().items() if k != "random_state"}
        try:
            out = validate_section(self.params_class, raw, self.section)
        except ConfigError as exc:
            raise ValueError(f"{type(self).__name__}: {exc}") from None
        seed = self.random_state
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise ValueError(f"{type(self).__name__}: random_state: expected an integer >= 0, got {seed!r}")
        return out


class TfidfTopicClassifier(_FromParams, ClassifierMixin, BaseEstimator):
    """Hashed word and character n-gram TF-IDF + a linear model trained by SGD on the logistic loss.

    Takes texts (editorial text of articles), predicts one topic each. Parameters are those of
    ``tfidf.topic`` in params.yaml (:meth:`from_params` builds the estimator from them) plus ``random_state``.
    ``char_ngram_max=0`` leaves character n-grams out.
    """

    task = "topic"
    params_class, section = TfidfTopicParams, "tfidf.topic"

    def __init__(self, *, word_ngram_max: int = _T.word_ngram_max, char_ngram_min: int = _T.char_ngram_min,
                 char_ngram_max: int = _T.char_ngram_max, n_features: int = _T.n_features, min_df: int = _T.min_df,
                 sublinear_tf: bool = _T.sublinear_tf, alpha: float = _T.alpha,
                 class_weight: str | None = _T.class_weight, max_iter: int = _T.max_iter, random_state: int = 42):
        self.word_ngram_max = word_ngram_max
        self.char_ngram_min = char_ngram_min
        self.char_ngram_max = char_ngram_max
        self.n_features = n_features
        self.min_df = min_df
        self.sublinear_tf = sublinear_tf
        self.alpha = alpha
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.random_state = random_state

    def _blocks(self) -> dict[str, int]:
        """Feature blocks of the union and their widths."""
        return {"features.words.tfidf": self.n_features,
                **({"features.chars.tfidf": self.n_features} if self.char_ngram_max else {})}

    def _pipeline(self) -> Pipeline:
        blocks = [("words", _ngrams("word", (1, self.word_ngram_max), self.n_features, self.sublinear_tf,
                                    self.min_df))]
        if self.char_ngram_max:
            blocks.append(("chars", _ngrams("char_wb", (self.char_ngram_min, self.char_ngram_max), self.n_features,
                                            self.sublinear_tf, self.min_df)))
        clf = SGDClassifier(loss="log_loss", alpha=self.alpha, class_weight=self.class_weight,
                            max_iter=self.max_iter, tol=1e-4, random_state=self.random_state)
        return Pipeline([("features", FeatureUnion(blocks)), ("clf", clf)])

    def fit(self, X, y) -> TfidfTopicClassifier:
        self.params()
        X, y = list(X), [str(t) for t in y]
        if len(set(y)) < 2:
            raise DataError(f"topic training needs at least 2 topics, got {sorted(set(y))}")
        import warnings

        from sklearn.exceptions import ConvergenceWarning

        self.pipeline_ = self._pipeline()
        with warnings.catch_warnings():  # max_iter is a budget here (params.yaml), not a convergence promise
            warnings.simplefilter("ignore", ConvergenceWarning)
            self.pipeline_.fit(X, y)
        _inference_layout(self.pipeline_)
        self.classes_ = self.pipeline_.classes_
        return self

    def decision_function(self, X) -> np.ndarray:
        return self.pipeline_.decision_function(list(X))

    def predict_proba(self, X) -> np.ndarray:
        return self.pipeline_.predict_proba(list(X))

    def predict(self, X) -> np.ndarray:
        return self.pipeline_.predict(list(X))

    def save(self, folder: str | Path, extra: dict | None = None) -> None:
        _save(folder, self.pipeline_, {"task": self.task, "labels": [str(c) for c in self.classes_],
                                       "params": to_dict(self.params()), "seed": int(self.random_state),
                                       **(extra or {})})

    @classmethod
    def load(cls, folder: str | Path) -> TfidfTopicClassifier:
        self, manifest, arrays = _load(folder, cls)
        labels = manifest["labels"]  # checked by read_manifest: distinct, non-empty strings
        if len(labels) < 2 or labels != sorted(labels):  # the order of the coefficients' rows
            raise ModelLoadError(f"{Path(folder) / MANIFEST}: field 'labels': expected 2 or more topics in "
                                 f"sorted order, got {labels}")
        pipe = self._pipeline()
        n_out = 1 if len(labels) == 2 else len(labels)
        _restore(pipe, arrays, self._blocks(), n_out, Path(folder) / MODEL_FILE)
        pipe.named_steps["clf"].classes_ = np.asarray(labels)
        self.pipeline_ = pipe
        self.classes_ = pipe.named_steps["clf"].classes_
        self.manifest = manifest
        return self


class TfidfBoilerplateClassifier(_FromParams, BaseEstimator):
    """Per-line hashed word (and character) n-gram TF-IDF + the shape of the line and its neighbours, logistic
    regression, HMM smoothing along the article, and a decision threshold (tuned on validation).

    ``X`` is a list of articles, each a list of lines; ``y`` a list of per-line label lists (1 = boilerplate).
    :meth:`predict_proba` gives one array of P(boilerplate) per article. Parameters are those of
    ``tfidf.boilerplate`` in params.yaml (:meth:`from_params`) plus ``random_state``; ``char_ngram_max=0``
    leaves character n-grams out. :meth:`score` is the lines' macro-F1 at the model's threshold.
    """

    task = "boilerplate"
    params_class, section = TfidfBoilerplateParams, "tfidf.boilerplate"

    def __init__(self, *, context: int = _B.context, word_ngram_max: int = _B.word_ngram_max,
                 char_ngram_max: int = _B.char_ngram_max, n_features: int = _B.n_features, min_df: int = _B.min_df,
                 C: float = _B.C, class_weight: str | None = _B.class_weight, smoothing: str | float = _B.smoothing,
                 threshold: str | float = _B.threshold, span: str | bool = _B.span, span_margin: float = _B.span_margin,
                 max_iter: int = _B.max_iter, random_state: int = 42):
        self.context = context
        self.word_ngram_max = word_ngram_max
        self.char_ngram_max = char_ngram_max
        self.n_features = n_features
        self.min_df = min_df
        self.C = C
        self.class_weight = class_weight
        self.smoothing = smoothing
        self.threshold = threshold
        self.span = span
        self.span_margin = span_margin
        self.max_iter = max_iter
        self.random_state = random_state

    def _blocks(self) -> dict[str, int]:
        return {"features.words.tfidf": self.n_features,
                **({"features.chars.tfidf": self.n_features} if self.char_ngram_max else {}),
                "features.shape.scale": len(feature_names(self.context))}

    def _pipeline(self) -> Pipeline:  # the n-gram blocks' names are in _LINE_LOCAL
        lines = FunctionTransformer(lines_of)
        blocks = [("words", Pipeline([("lines", lines), *_ngrams(
            "word", (1, self.word_ngram_max), self.n_features, True, self.min_df, normalize_line).steps]))]
        if self.char_ngram_max:
            blocks.append(("chars", Pipeline([("lines", lines), *_ngrams(
                "char_wb", (2, self.char_ngram_max), self.n_features, True, self.min_df, normalize_line).steps])))
        blocks.append(("shape", Pipeline([("lines", LineFeatures(self.context)), ("scale", StandardScaler()),
                                          ("csr", FunctionTransformer(sp.csr_matrix))])))
        clf = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter,
                                 random_state=self.random_state, solver="liblinear")
        return Pipeline([("features", FeatureUnion(blocks)), ("clf", clf)])

    def fit(self, X, y, X_val=None, y_val=None) -> TfidfBoilerplateClassifier:
        """Fit on articles ``X`` with per-line labels ``y``; with ``threshold="tune"`` the threshold is the best
        macro-F1 one on the validation articles ``X_val``/``y_val`` (0.5 without them)."""
        self.params()
        docs, labels = [list(d) for d in X], [np.asarray(lab, dtype=int) for lab in y]
        if [len(d) for d in docs] != [len(lab) for lab in labels]:
            raise DataError("boilerplate training needs one label per line of every article")
        flat = np.concatenate(labels) if labels else np.zeros(0, dtype=int)
        if len(set(flat.tolist())) < 2:
            raise DataError("boilerplate training needs lines of both classes (editorial and boilerplate)")
        self.pipeline_ = self._pipeline()
        self.pipeline_.fit(docs, flat)
        _inference_layout(self.pipeline_)
        self.memo_key_ = uuid.uuid4().hex  # names this fit's remembered line parts (never saved)
        self.start_, self.trans_ = estimate_transitions([lab.tolist() for lab in labels])
        self.prior_ = np.array([0.5, 0.5]) if self.class_weight == "balanced" else \
            np.array([1 - flat.mean(), flat.mean()])
        fixed_threshold = None if self.threshold == "tune" else float(self.threshold)
        strengths = SMOOTHING_GRID if self.smoothing == "tune" else (float(self.smoothing),)
        self.smoothing_, self.threshold_ = untuned(strengths, fixed_threshold)  # without validation articles
        self.span_ = self.span is True  # span: tune without validation articles: off
        if X_val and (fixed_threshold is None or len(strengths) > 1 or self.span == "tune"):
            val_docs = [list(d) for d in X_val]
            self.smoothing_, self.threshold_, probs = tune_smoothing_and_threshold(
                y_val, self._raw_proba(val_docs), self._smooth, strengths, fixed_threshold)
            self.span_ = tune_span(val_docs, y_val, probs, self.threshold_, self.span_margin, self.span)
        return self

    def _raw_proba(self, X) -> list[np.ndarray]:
        """The logistic regression's P(boilerplate) per line of each article, before smoothing: the fitted
        pipeline's ``predict_proba`` (the same up to rounding; tests/models/test_tfidf.py checks it to 1e-12),
        computed block by block. The linear model's decision value is the sum over the feature union's blocks of
        each block's features times its slice of the coefficients. The n-gram blocks (``_LINE_LOCAL``) read a line's
        own text only, so their part is a number per distinct line (:meth:`_line_part`), computed once and remembered
        across batches for this fitted model (``features.model_memo``, keyed by ``memo_key_``: up to
        ``MEMO_LINES`` lines of at most ``MEMO_LINE_CHARS`` characters), instead of a sparse row built, weighted
        and stacked for every line (a batch of article lines is about two thirds repeats, and a third of the
        rest occurred in earlier batches); the shape block (the line and its neighbours) gives one dense row per
        line."""
        docs = [list(d) for d in X]
        if not any(docs):  # no line at all
            return [np.zeros(0) for _ in docs]
        distinct, inverse = unique_inverse(lines_of(docs))
        scores = model_memo("tfidf line parts", self.memo_key_, MEMO_LINES, MEMO_LINE_CHARS)
        decision = np.fromiter(scores.get_many(distinct, self._line_part), dtype=np.float64,
                               count=len(distinct))[inverse]
        for name, block, weights in self._weighted_blocks():
            if name not in _LINE_LOCAL:
                decision += block[:-1].transform(docs) @ weights  # dense: the final step only makes it sparse
        decision += float(self.pipeline_.named_steps["clf"].intercept_[0])
        raw = expit(decision)
        return np.split(raw, np.cumsum([len(d) for d in docs])[:-1])

    def _weighted_blocks(self) -> Iterator[tuple[str, Pipeline, np.ndarray]]:
        """(name, fitted block, its slice of the coefficients) of each block of the feature union."""
        coef = np.asarray(self.pipeline_.named_steps["clf"].coef_)[0]
        widths = {key.split(".")[1]: width for key, width in self._blocks().items()}  # "features.<block>.<step>"
        start = 0
        for name, block in self.pipeline_.named_steps["features"].transformer_list:
            yield name, block, coef[start:start + widths[name]]
            start += widths[name]

    def _line_part(self, lines: list[str]) -> list[float]:
        """The n-gram blocks' part of the decision value of each of the (distinct) ``lines``: each block's own
        hashing and TF-IDF steps (its first step only gathers the articles' lines), times its coefficients."""
        part = np.zeros(len(lines))
        for name, block, weights in self._weighted_blocks():
            if name in _LINE_LOCAL:
                hashed = block.named_steps["hash"].hash_rows(lines)
                part += block.named_steps["tfidf"].transform(hashed) @ weights
        return part.tolist()

    def _smooth(self, per_doc: list[np.ndarray], strength: float) -> list[np.ndarray]:
        return forward_backward_many(per_doc, self.start_, self.trans_, self.prior_, strength)

    def predict_proba(self, X, span: bool | None = None) -> list[np.ndarray]:
        """P(boilerplate) per line of each article, smoothed along the article, and span-decoded where the fit
        chose it (``span``: True or False to force it on or off)."""
        docs = [list(d) for d in X]
        probs = self._smooth(self._raw_proba(docs), self.smoothing_)
        on = self.span_ if span is None else span
        return article_span_many(docs, probs, self.threshold_, self.span_margin) if on else probs

    def predict(self, X) -> list[np.ndarray]:
        return [(p >= self.threshold_).astype(int) for p in self.predict_proba(X)]

    def score(self, X, y) -> float:
        """Macro-F1 over lines (both classes) at the model's threshold, as the threshold is tuned."""
        from sklearn.metrics import f1_score

        pred = np.concatenate([np.asarray(p) for p in self.predict(X)] or [np.zeros(0)])
        gold = np.concatenate([np.asarray(g, dtype=int) for g in y] or [np.zeros(0)])
        return float(f1_score(gold, pred, average="macro", zero_division=0))

    def save(self, folder: str | Path, extra: dict | None = None) -> None:
        _save(folder, self.pipeline_, {
            "task": self.task, "labels": ["editorial", "boilerplate"], "params": to_dict(self.params()),
            "seed": int(self.random_state),
            "threshold": float(self.threshold_), "smoothing": float(self.smoothing_),
            "span": bool(self.span_),
            "hmm": {"start": self.start_.tolist(), "trans": self.trans_.tolist(), "prior": self.prior_.tolist()},
            **(extra or {})})

    @classmethod
    def load(cls, folder: str | Path) -> TfidfBoilerplateClassifier:
        self, manifest, arrays = _load(folder, cls)
        pipe = self._pipeline()
        _restore(pipe, arrays, self._blocks(), 1, Path(folder) / MODEL_FILE)
        pipe.named_steps["clf"].classes_ = np.array([0, 1])
        threshold = float(manifest["threshold"])  # types and shapes checked by read_manifest
        hmm = manifest["hmm"]
        start, trans, prior = (np.array(hmm[k], dtype=float) for k in ("start", "trans", "prior"))
        # the strength in use: picked at fit under smoothing: tune (older manifests: the fixed parameter)
        smoothing = float(manifest["smoothing"]) if "smoothing" in manifest else float(self.smoothing)
        self.pipeline_, self.threshold_, self.smoothing_ = pipe, threshold, smoothing
        self.memo_key_ = uuid.uuid4().hex  # as in fit: this loaded model's remembered line parts
        self.span_ = bool(manifest.get("span", False))  # article-span decoding chosen at fit (older manifests: off)
        self.start_, self.trans_, self.prior_ = start, trans, prior
        self.manifest = manifest
        return self
