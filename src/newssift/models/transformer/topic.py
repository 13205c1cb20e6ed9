"""Topic of an article's editorial text: ``AutoModelForSequenceClassification`` fine-tuned with the Trainer.
Articles longer than ``transformer.topic.max_length`` tokens keep their head and tail (2/3 of the token budget from the head)."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from newssift.config import TransformerParams, replace
from newssift.errors import ConfigError, DataError
from newssift.models.transformer.base import (
    SELECTION_LOSS_WEIGHT,
    TOKENIZE_BLOCK,
    PadCollator,
    _progress,
    _subsample,
    _TransformerModel,
    log,
    tokenized_dataset,
)

TOPIC_HEAD_FRACTION = 2 / 3  # long article: share of the token budget taken from its head (rest: tail)


class TransformerTopicClassifier(_TransformerModel):
    """Topic of an article's editorial text: a fine-tuned sequence classifier."""

    TASK = "topic"
    _AUTO_CLASS = "AutoModelForSequenceClassification"

    def __init__(self, params: TransformerParams):
        super().__init__(params)
        self.max_length = int(params.topic.max_length)
        self.classes_: list[str] = []

    def _labels(self) -> list[str]:
        return list(self.classes_)

    def _manifest_extra(self) -> dict[str, Any]:
        return {"max_length": self.max_length}

    def _restore(self, manifest: dict[str, Any], labels: list[str]) -> None:
        self.classes_ = [str(x) for x in labels]
        # the manifest's max_length is what the model was trained with (a model saved before the key moved under
        # transformer.topic has it there only): the params say the same
        self.max_length = int(manifest.get("max_length", self.max_length))
        self.params = replace(self.params, topic=replace(self.params.topic, max_length=self.max_length))

    @property
    def _budget(self) -> int:
        """Tokens of an article the model reads, special tokens left out."""
        budget = self.max_length - len(self._prefix) - len(self._suffix)
        if budget < 8:
            raise ConfigError(f"transformer.topic.max_length={self.max_length} is too small")
        return budget

    def _encode_articles(self, texts: Sequence[str]) -> list[list[int]]:
        return [self._prefix + ids + self._suffix
                for ids in self._truncated_ids(texts, self._budget, TOPIC_HEAD_FRACTION)]

    def _dataset(self, texts: list[str], labels: list[int]):
        """A :class:`datasets.Dataset` of (text, label) rows, tokenised with ``Dataset.map``."""
        return tokenized_dataset({"text": list(texts), "labels": list(labels)},
                                 lambda b: {"input_ids": self._encode_articles(b["text"])}, ["text"], "topic",
                                 batch_size=TOKENIZE_BLOCK)

    def fit(self, train_texts: list[str], train_topics: list[str], val_texts: list[str], val_topics: list[str],
            live=None) -> "TransformerTopicClassifier":
        from sklearn.metrics import f1_score

        if len(train_texts) != len(train_topics) or len(val_texts) != len(val_topics):
            raise DataError("topic training: texts and topics differ in length")
        tp = self.params.topic
        keep = _subsample(len(train_texts), tp.max_train_samples, self.params.seed)
        train_texts = [train_texts[k] for k in keep]
        train_topics = [str(train_topics[k]) for k in keep]
        self.classes_ = sorted(set(train_topics))
        if len(self.classes_) < 2:
            raise DataError(f"topic training needs at least 2 topics in the training data, got {self.classes_}")
        index = {c: k for k, c in enumerate(self.classes_)}
        unknown = sorted({str(t) for t in val_topics} - set(index))
        if unknown:
            log.warning("validation topics not seen in training are left out of validation: %s", unknown)
        val_pairs = [(t, index[str(y)]) for t, y in zip(val_texts, val_topics) if str(y) in index]

        self._seed()
        model = self._load_base(num_labels=len(self.classes_), id2label=dict(enumerate(self.classes_)),
                                label2id=index)
        train_set = self._dataset(train_texts, [index[y] for y in train_topics])
        val_set = self._dataset([t for t, _ in val_pairs], [y for _, y in val_pairs])

        def compute_metrics(pred) -> dict[str, float]:
            logits = np.asarray(pred.predictions, dtype=np.float64)
            y_true = np.asarray(pred.label_ids)
            y_pred = logits.argmax(-1)
            logp = logits - logits.max(-1, keepdims=True)
            logp -= np.log(np.exp(logp).sum(-1, keepdims=True))
            nll = float(-logp[np.arange(len(y_true)), y_true].mean())
            macro = float(f1_score(y_true, y_pred, average="macro", zero_division=0))
            return {"macro_f1": macro, "accuracy": float((y_true == y_pred).mean()),
                    "selection": macro - SELECTION_LOSS_WEIGHT * min(nll, 10.0)}

        self._train(model, train_set, val_set, PadCollator(self._pad_id), tp, compute_metrics, "selection",
                    live=live)
        if val_pairs:
            y_true = np.array([y for _, y in val_pairs])
            y_pred = self.predict_proba([t for t, _ in val_pairs]).argmax(1)
            self.metrics_ = {"macro_f1": float(f1_score(y_true, y_pred, average="macro", zero_division=0)),
                             "accuracy": float((y_true == y_pred).mean()), "n": int(len(y_true))}
        return self

    def predict_proba(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """(n, n_classes) class probabilities, columns in the order of ``classes_``."""
        import torch

        if self.model is None:
            raise RuntimeError("fit() or load() the model first")
        texts = list(texts)
        out = np.zeros((len(texts), len(self.classes_)), dtype=np.float64)
        chunk = max(batch_size * 16, TOKENIZE_BLOCK)
        with _progress(len(texts), "topic") as bar:
            for start in range(0, len(texts), chunk):
                enc = self._encode_articles(texts[start:start + chunk])
                order = sorted(range(len(enc)), key=lambda k: len(enc[k]))  # less padding per batch
                for b in range(0, len(order), batch_size):
                    idx = order[b:b + batch_size]
                    probs = torch.softmax(self._forward([enc[k] for k in idx]), dim=-1).numpy().astype(np.float64)
                    out[[start + k for k in idx]] = probs / probs.sum(axis=1, keepdims=True)
                    bar.update(len(idx))
        return out

    def predict(self, texts: list[str]) -> list[str]:
        proba = self.predict_proba(texts)
        return [self.classes_[k] for k in proba.argmax(axis=1)]


