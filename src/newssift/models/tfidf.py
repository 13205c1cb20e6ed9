"""TF-IDF baselines: topic classification of editorial text and per-line boilerplate detection.

Both follow scikit-learn's habits (``fit`` / ``predict_proba`` / ``predict``) and save to a model folder as a
skops file (no pickle) plus a checksummed manifest; :meth:`load` refuses folders for another task or family,
tampered files and any type outside a fixed allow-list.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import scipy.sparse as sp
import skops.io as sio
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from newssift.artifacts import MANIFEST, model_dir_writer, read_manifest
from newssift.config import (
    TfidfBoilerplateParams,
    TfidfTopicParams,
    params_from_manifest,
    to_dict,
)
from newssift.errors import ModelLoadError
from newssift.features.lines import doc_features, line_shapes
from newssift.features.ngrams import char_wb_transform, word_transform
from newssift.models.smoothing import estimate_transitions, forward_backward
from newssift.models.threshold import tune_threshold

FAMILY = "tfidf"
MODEL_FILE = "model.skops"
_DIGITS = re.compile(r"\d")

# Types a newssift TF-IDF model file may contain; anything else is refused before loading.
ALLOWED_TYPES = {
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.preprocessing._data.StandardScaler",
    "numpy.float64", "numpy.int64", "numpy.dtype", "numpy.ndarray", "builtins.type",
}


def _save(folder: str | Path, objects: dict, manifest: dict) -> None:
    with model_dir_writer(folder, manifest) as tmp:
        sio.dump(objects, tmp / MODEL_FILE)


_EXPECTED = {
    "topic": {"word": TfidfVectorizer, "char": TfidfVectorizer, "clf": LogisticRegression},
    "boilerplate": {"char": TfidfVectorizer, "word": TfidfVectorizer, "scaler": StandardScaler,
                    "clf": LogisticRegression},
}


def _load(folder: str | Path, task: str) -> tuple[dict, dict]:
    manifest = read_manifest(folder, family=FAMILY, task=task)
    path = Path(folder) / MODEL_FILE
    try:
        untrusted = sio.get_untrusted_types(file=path)
    except Exception as exc:  # a file skops cannot even parse
        raise ModelLoadError(f"{path}: not a readable skops model file ({exc})") from None
    refused = sorted(set(untrusted) - ALLOWED_TYPES)
    if refused:
        raise ModelLoadError(f"{path}: refusing to load, it contains types outside the allow-list: {refused}")
    try:
        objs = sio.load(path, trusted=sorted(untrusted))
    except Exception as exc:  # a damaged or crafted file, e.g. an object array (which would need pickle)
        raise ModelLoadError(f"{path}: cannot load the model file ({type(exc).__name__}: {exc})") from None
    expected = _EXPECTED[task]
    if not isinstance(objs, dict) or set(objs) != set(expected) or not all(
            isinstance(objs[k], t) for k, t in expected.items()):
        raise ModelLoadError(f"{path}: not a newssift TF-IDF {task} model (unexpected contents)")
    return objs, manifest


def _norm_text(s: str) -> str:
    return _DIGITS.sub("0", s.lower())


class TfidfTopicClassifier:
    """Word and character n-gram TF-IDF + logistic regression over editorial text."""

    task = "topic"

    def __init__(self, params: TfidfTopicParams | None = None, seed: int = 42):
        self.params = params or TfidfTopicParams()
        self.seed = seed

    def _vectorizers(self) -> tuple[TfidfVectorizer, TfidfVectorizer]:
        p = self.params
        word = TfidfVectorizer(ngram_range=(1, p.word_ngram_max), sublinear_tf=p.sublinear_tf, min_df=p.min_df,
                               max_features=p.max_features, lowercase=True, dtype=np.float32)
        char = TfidfVectorizer(analyzer="char_wb", ngram_range=(p.char_ngram_min, p.char_ngram_max),
                               sublinear_tf=p.sublinear_tf, min_df=p.min_df, max_features=p.max_features,
                               lowercase=True, dtype=np.float32)
        return word, char

    def _features(self, texts: list[str]) -> sp.csr_matrix:
        cache = self.__dict__.setdefault("_ngram_cache", {})
        wcache = self.__dict__.setdefault("_word_cache", {})
        return sp.hstack([word_transform(self.word_, texts, wcache), char_wb_transform(self.char_, texts, cache)],
                         format="csr")

    def fit(self, texts: list[str], topics: list[str]) -> TfidfTopicClassifier:
        self.word_, self.char_ = self._vectorizers()
        x = sp.hstack([self.word_.fit_transform(texts), self.char_.fit_transform(texts)], format="csr")
        self.clf_ = LogisticRegression(C=self.params.C, class_weight=self.params.class_weight,
                                       max_iter=self.params.max_iter, random_state=self.seed)
        self.clf_.fit(x, topics)
        self.classes_ = [str(c) for c in self.clf_.classes_]
        return self

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        return self.clf_.predict_proba(self._features(list(texts)))

    def predict(self, texts: list[str]) -> list[str]:
        proba = self.predict_proba(texts)
        return [self.classes_[i] for i in proba.argmax(axis=1)]

    def save(self, folder: str | Path, extra: dict | None = None) -> None:
        _save(folder, {"word": self.word_, "char": self.char_, "clf": self.clf_},
              {"family": FAMILY, "task": self.task, "labels": self.classes_, "params": to_dict(self.params),
               "seed": self.seed, **(extra or {})})

    @classmethod
    def load(cls, folder: str | Path) -> TfidfTopicClassifier:
        objs, manifest = _load(folder, cls.task)
        self = cls(params_from_manifest(TfidfTopicParams, manifest.get("params"), Path(folder) / MANIFEST),
                   manifest.get("seed", 42))
        self.word_, self.char_, self.clf_ = objs["word"], objs["char"], objs["clf"]
        self.classes_ = [str(c) for c in self.clf_.classes_]
        if self.classes_ != manifest["labels"]:
            raise ModelLoadError(f"{folder}: model classes {self.classes_} differ from the manifest's labels")
        self.manifest = manifest
        return self


class TfidfBoilerplateClassifier:
    """Per-line TF-IDF + shallow features of the line and its neighbours, logistic regression, HMM smoothing."""

    task = "boilerplate"

    def __init__(self, params: TfidfBoilerplateParams | None = None, seed: int = 42):
        self.params = params or TfidfBoilerplateParams()
        self.seed = seed

    def _dense(self, docs: list[list[str]]) -> np.ndarray:
        own = line_shapes([line for d in docs for line in d])  # one batch pass over every line
        bounds = np.cumsum([0] + [len(d) for d in docs])
        return np.vstack([doc_features(d, self.params.context, own[a:b]) for d, a, b in
                          zip(docs, bounds[:-1], bounds[1:])])

    def _x(self, docs: list[list[str]], fit: bool = False) -> sp.csr_matrix:
        flat = [_norm_text(line) for d in docs for line in d]
        dense = self._dense(docs)
        if fit:
            self.vec_ = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, self.params.char_ngram_max),
                                        sublinear_tf=True, max_features=self.params.max_features,
                                        min_df=2, dtype=np.float32)
            self.wvec_ = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2,
                                         max_features=self.params.max_features, dtype=np.float32)
            self.scaler_ = StandardScaler()
            return sp.hstack([self.vec_.fit_transform(flat), self.wvec_.fit_transform(flat),
                              self.scaler_.fit_transform(dense)], format="csr")
        cache = self.__dict__.setdefault("_ngram_cache", {})
        wcache = self.__dict__.setdefault("_word_cache", {})
        return sp.hstack([char_wb_transform(self.vec_, flat, cache), word_transform(self.wvec_, flat, wcache),
                          self.scaler_.transform(dense)], format="csr")

    def fit(self, docs: list[list[str]], labels: list[list[int]], val_docs: list[list[str]] | None = None,
            val_labels: list[list[int]] | None = None) -> TfidfBoilerplateClassifier:
        y = np.concatenate([np.asarray(lab, dtype=int) for lab in labels])
        if len(set(y.tolist())) < 2:
            from newssift.errors import DataError
            raise DataError("boilerplate training needs lines of both classes (editorial and boilerplate)")
        x = self._x(docs, fit=True)
        self.clf_ = LogisticRegression(C=self.params.C, class_weight=self.params.class_weight,
                                       max_iter=self.params.max_iter, random_state=self.seed, solver="liblinear")
        self.clf_.fit(x, y)
        self.start_, self.trans_ = estimate_transitions(labels)
        if self.params.class_weight == "balanced":
            self.prior_ = np.array([0.5, 0.5])
        else:
            self.prior_ = np.array([1 - y.mean(), y.mean()])
        th = self.params.threshold
        if th == "tune":
            if val_docs:
                self.threshold_ = tune_threshold(val_labels, self.predict_proba(val_docs))
            else:
                self.threshold_ = 0.5
        else:
            self.threshold_ = float(th)
        return self

    def predict_proba(self, docs: list[list[str]]) -> list[np.ndarray]:
        """P(boilerplate) per line, smoothed along each article."""
        docs = list(docs)
        if not docs:
            return []
        raw = self.clf_.predict_proba(self._x(docs))[:, 1]
        out, i = [], 0
        for d in docs:
            p = raw[i:i + len(d)]
            i += len(d)
            out.append(forward_backward(p, self.start_, self.trans_, self.prior_, self.params.smoothing))
        return out

    def predict(self, docs: list[list[str]]) -> list[np.ndarray]:
        return [(p >= self.threshold_).astype(int) for p in self.predict_proba(docs)]

    def save(self, folder: str | Path, extra: dict | None = None) -> None:
        _save(folder, {"char": self.vec_, "word": self.wvec_, "scaler": self.scaler_, "clf": self.clf_},
              {"family": FAMILY, "task": self.task, "labels": ["editorial", "boilerplate"],
               "params": to_dict(self.params), "seed": self.seed, "threshold": self.threshold_,
               "hmm": {"start": self.start_.tolist(), "trans": self.trans_.tolist(), "prior": self.prior_.tolist()},
               **(extra or {})})

    @classmethod
    def load(cls, folder: str | Path) -> TfidfBoilerplateClassifier:
        objs, manifest = _load(folder, cls.task)
        self = cls(params_from_manifest(TfidfBoilerplateParams, manifest.get("params"), Path(folder) / MANIFEST),
                   manifest.get("seed", 42))
        self.vec_, self.wvec_, self.scaler_, self.clf_ = objs["char"], objs["word"], objs["scaler"], objs["clf"]
        self.threshold_ = float(manifest["threshold"])
        hmm = manifest["hmm"]
        self.start_, self.trans_, self.prior_ = (np.array(hmm[k], dtype=float) for k in ("start", "trans", "prior"))
        self.manifest = manifest
        return self
