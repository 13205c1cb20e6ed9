"""Boilerplate lines with the hierarchical line tagger (:mod:`newssift.models.transformer.tagger`).

Training runs on the transformers :class:`~transformers.Trainer` over a :class:`datasets.Dataset` of article
chunks (tokenised with ``Dataset.map``, batched by :class:`~newssift.models.transformer.tagger.LineBatchCollator`): the
encoder is fine-tuned at ``learning_rate`` (with ``freeze_encoder`` it stays pretrained: every distinct line of the
training and validation articles is encoded once and the epochs read the cached vectors), the new layers train at
``head_learning_rate``, the loss is class-weighted cross-entropy over lines, the best epoch is kept by validation
macro-F1. With ``augment_pages`` the training pages are joined by pages composed from their parts
(:mod:`newssift.data.augment`: the header of one page, the body of another, the footer of a third), so ``epochs``
count over both; the HMM's transitions are estimated on the real pages alone. The decision threshold (``threshold:
tune``, or fixed) and the HMM smoothing strength (``smoothing: tune``: 0 = none, or 0.5, 1, 2) are then picked
together on validation.

A model folder holds ``encoder/`` (the fine-tuned, possibly shortened encoder and its tokenizer:
``AutoModel.from_pretrained(folder / "encoder")`` loads it), ``tagger.safetensors`` (feature scaling, sequence
model, head) and the checksummed ``manifest.json``.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from newssift.config import TransformerParams
from newssift.constants import MEMO_LINES
from newssift.data.augment import compose_pages
from newssift.errors import DataError, ModelLoadError
from newssift.features import model_memo, unique_inverse
from newssift.models.smoothing import article_span_many
from newssift.models.threshold import (
    SMOOTHING_GRID,
    tune_smoothing_and_threshold,
    tune_span,
    untuned,
)
from newssift.models.transformer.base import (
    SELECTION_LOSS_WEIGHT,
    _progress,
    _subsample,
    _TransformerModel,
    tokenized_dataset,
)
from newssift.models.transformer.tagger import (
    LINE_FEATURE_NAMES,
    LineBatchCollator,
    article_features,
    chunk_spans,
    hashed_ngrams,
    line_tagger_class,
    padded_lines,
    pooled_line_states,
    truncate_layers,
)

log = logging.getLogger("newssift.models.transformer")

BOILERPLATE_LABELS = ["editorial", "boilerplate"]
LINE_HEAD_FRACTION = 3 / 4  # a line longer than its token budget keeps 3/4 from its head, 1/4 from its tail
ENCODER_DIR = "encoder"
HEAD_FILE = "tagger.safetensors"
PREDICT_BATCH = 32  # article chunks per forward pass at inference
FROZEN_BLOCK = 1024  # distinct lines per block when a frozen encoder fills the line-vector cache


def binary_metrics(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    """Per-line F1 of both classes (1 = boilerplate) and their mean."""
    from sklearn.metrics import f1_score

    f1 = f1_score(y_true, y_pred, labels=[0, 1], average=None, zero_division=0)
    return {"macro_f1": float(f1.mean()), "editorial_f1": float(f1[0]), "boilerplate_f1": float(f1[1]),
            "n_lines": int(len(y_true))}


class TransformerBoilerplateClassifier(_TransformerModel):
    """P(boilerplate) of every line of an article, each line seen in the context of the whole article."""

    TASK = "boilerplate"
    _AUTO_CLASS = "AutoModel"

    def __init__(self, params: TransformerParams, line_vectors: dict[tuple[int, ...], np.ndarray] | None = None):
        """``line_vectors``: with ``freeze_encoder``, line vectors already encoded by this base model at this depth
        and line length (token tuple -> vector; :meth:`encode_frozen` makes them), shared e.g. across
        cross-validation folds; lines missing from it are encoded at :meth:`fit` and added to it."""
        super().__init__(params)
        self.bp = params.boilerplate
        self.line_vectors = line_vectors
        self.threshold_: float = 0.5
        self.class_weights_: list[float] = [1.0, 1.0]
        # the HMM smoothing strength in use (``smoothing_``, as the TF-IDF model names it); "tune": picked at fit()
        # on the validation set from SMOOTHING_GRID (0 = off)
        self.tune_smoothing = self.bp.smoothing == "tune"
        self.smoothing_ = 1.0 if self.tune_smoothing else float(self.bp.smoothing)
        self.span_ = self.bp.span is True  # article-span decoding in use; "tune": picked at fit() on validation
        self.hmm_: dict[str, list] | None = None  # start / trans of the line labels, estimated at fit
        self.encoder_layers_: int | None = None

    def _labels(self) -> list[str]:
        return list(BOILERPLATE_LABELS)

    # ---- data ----------------------------------------------------------------------------------------------

    def _tokenize(self, batch: dict[str, list]) -> dict[str, list]:
        """``Dataset.map`` function (batched): each chunk's lines -> token ids per line (special tokens
        included; a blank line -> no tokens, it never reaches the encoder) and, with ``char_ngram_buckets``, the
        hashed character n-grams of each line."""
        budget = max(1, int(self.bp.line_max_tokens) - len(self._prefix) - len(self._suffix))
        flat = [line for lines in batch["lines"] for line in lines]
        distinct, inverse = unique_inverse(flat)  # lines repeat (menus, share prompts): each tokenized once
        keep = [k for k, line in enumerate(distinct) if line.strip()]
        ids_of: list[list[int]] = [[] for _ in distinct]
        for k, seq in zip(keep, self._truncated_ids([distinct[k] for k in keep], budget, LINE_HEAD_FRACTION)):
            ids_of[k] = self._prefix + seq + self._suffix
        ids = [ids_of[k] for k in inverse.tolist()]
        buckets = int(self.bp.char_ngram_buckets)
        grams = hashed_ngrams(flat, buckets) if buckets else None
        out: dict[str, list] = {"input_ids": []}
        if grams is not None:
            out["ngrams"] = []
        start = 0
        for lines in batch["lines"]:
            out["input_ids"].append(ids[start:start + len(lines)])
            if grams is not None:
                out["ngrams"].append(grams[start:start + len(lines)])
            start += len(lines)
        return out

    def _chunks(self, docs: Sequence[Sequence[str]], labels: Sequence[Sequence[int]] | None = None
                ) -> dict[str, list]:
        """Columns of the article chunks: doc index, first line, lines, features (and labels)."""
        cols: dict[str, list] = {"doc": [], "start": [], "lines": [], "features": []}
        if labels is not None:
            cols["labels"] = []
        for d, (doc, feats) in enumerate(zip(docs, article_features(docs))):
            for s, e in chunk_spans(len(doc), int(self.bp.max_lines), int(self.bp.chunk_overlap)):
                cols["doc"].append(d)
                cols["start"].append(s)
                cols["lines"].append(list(doc[s:e]))
                cols["features"].append(feats[s:e].tolist())
                if labels is not None:
                    cols["labels"].append([int(v) for v in labels[d][s:e]])
        return cols

    def _dataset(self, docs: Sequence[Sequence[str]], labels: Sequence[Sequence[int]]):
        """A :class:`datasets.Dataset` of labelled chunks, tokenised with ``Dataset.map``."""
        return tokenized_dataset(self._chunks(docs, labels), self._tokenize, ["lines"], "boilerplate")

    @staticmethod
    def _check(docs, labels, what: str) -> None:
        if len(docs) != len(labels):
            raise DataError(f"boilerplate {what}: {len(docs)} documents but {len(labels)} label lists")
        for k, (d, y) in enumerate(zip(docs, labels)):
            if len(d) != len(y):
                raise DataError(f"boilerplate {what}: document {k} has {len(d)} lines but {len(y)} labels")

    # ---- training ------------------------------------------------------------------------------------------

    def _build(self, encoder: Any, feature_mean=None, feature_scale=None) -> Any:
        import torch

        bp = self.bp
        for prm in (encoder.pooler.parameters() if getattr(encoder, "pooler", None) is not None else ()):
            # lines are mean-pooled, the pooler is unused: frozen (DDP needs every trained parameter to take part),
            # kept so that the saved encoder loads whole with AutoModel.from_pretrained
            prm.requires_grad_(False)
        self.encoder_layers_ = truncate_layers(encoder, bp.encoder_layers)
        model = line_tagger_class()(encoder, len(LINE_FEATURE_NAMES), context=bp.context,
                                    context_layers=int(bp.context_layers), context_dim=int(bp.context_dim),
                                    dropout=float(bp.dropout), max_lines=int(bp.max_lines),
                                    ngram_buckets=int(bp.char_ngram_buckets), ngram_dim=int(bp.char_ngram_dim))
        if feature_mean is not None:
            with torch.no_grad():
                model.feature_mean.copy_(torch.as_tensor(feature_mean, dtype=torch.float32))
                model.feature_scale.copy_(torch.as_tensor(feature_scale, dtype=torch.float32))
        return model

    def _param_groups(self, model: Any) -> list[dict]:
        """Encoder at ``learning_rate``, new layers at ``head_learning_rate``; no weight decay on biases and
        normalisation weights."""
        wd = float(self.params.weight_decay)
        head = {id(p) for p in model.head_parameters()}
        groups: dict[tuple[bool, bool], list] = {}
        for name, p in model.named_parameters():
            if not p.requires_grad:
                continue
            decay = p.ndim >= 2 and "norm" not in name.lower()
            groups.setdefault((id(p) in head, decay), []).append(p)
        return [{"params": ps, "lr": float(self.bp.head_learning_rate if is_head else self.bp.learning_rate),
                 "weight_decay": wd if decay else 0.0} for (is_head, decay), ps in sorted(groups.items())]

    def fit(self, train_docs: list[list[str]], train_labels: list[list[int]], val_docs: list[list[str]],
            val_labels: list[list[int]], live=None) -> TransformerBoilerplateClassifier:
        from newssift.models.smoothing import estimate_transitions

        self._check(train_docs, train_labels, "training")
        self._check(val_docs, val_labels, "validation")
        keep = _subsample(len(train_docs), self.bp.max_train_samples, self.params.seed)  # counted in documents
        train_docs = [list(train_docs[k]) for k in keep]
        train_labels = [list(train_labels[k]) for k in keep]
        real_labels = train_labels  # the HMM's transitions: real pages only
        n_composed = round(float(self.bp.augment_pages) * len(train_docs))
        if n_composed:
            extra_docs, extra_labels = compose_pages(train_docs, train_labels, n_composed, self.params.seed)
            log.info("boilerplate: %d composed training pages join the %d real ones (augment_pages %g)",
                     len(extra_docs), len(train_docs), self.bp.augment_pages)
            train_docs, train_labels = train_docs + extra_docs, train_labels + extra_labels
        y = np.concatenate([np.asarray(t, dtype=int) for t in train_labels]) if train_labels else np.zeros(0, int)
        counts = np.bincount(y, minlength=2)[:2].astype(float)
        if counts.min() == 0:
            raise DataError("boilerplate training data needs both editorial (0) and boilerplate (1) lines")
        self.class_weights_ = [float(w) for w in counts.sum() / (2 * counts)]  # "balanced"

        self._seed()
        feats = np.concatenate(article_features(train_docs))
        scale = feats.std(axis=0)
        model = self._build(self._load_base(), feats.mean(axis=0), np.where(scale > 1e-6, scale, 1.0))
        if self.smoothing_ > 0 or self.tune_smoothing:
            start, trans = estimate_transitions([list(map(int, t)) for t in real_labels])
            self.hmm_ = {"start": start.tolist(), "trans": trans.tolist()}
        else:
            self.hmm_ = None
        train_set = self._dataset(train_docs, train_labels)
        val_set = self._dataset(val_docs, val_labels) if val_docs else None
        vectors = None
        if self.bp.freeze_encoder:  # each distinct line encoded once; the epochs train on the cached vectors
            model.encoder.requires_grad_(False)
            vectors = {} if self.line_vectors is None else self.line_vectors
            sets = [ds for ds in (train_set, val_set) if ds is not None]
            missing = {tuple(ids) for ds in sets for row in ds["input_ids"] for ids in row if ids} - vectors.keys()
            vectors.update(self._encode_distinct(model.encoder, missing))

        def preprocess_logits(logits, labels):
            return logits.float().softmax(dim=-1)[..., 1]  # P(boilerplate) per line: small to gather

        def compute_metrics(pred) -> dict[str, float]:
            y_true = np.asarray(pred.label_ids).reshape(-1)
            proba = np.asarray(pred.predictions, dtype=np.float64).reshape(-1)
            mask = y_true >= 0
            y_true, proba = y_true[mask], np.clip(proba[mask], 1e-7, 1 - 1e-7)
            m = binary_metrics(y_true, (proba >= 0.5).astype(int))
            nll = float(-np.mean(np.where(y_true == 1, np.log(proba), np.log1p(-proba))))
            return {"macro_f1": m["macro_f1"], "editorial_f1": m["editorial_f1"],
                    "boilerplate_f1": m["boilerplate_f1"],
                    "selection": m["macro_f1"] - SELECTION_LOSS_WEIGHT * min(nll, 10.0)}

        self._train(model, train_set, val_set, LineBatchCollator(self._pad_id, vectors), self.bp, compute_metrics,
                    "selection", class_weights=self.class_weights_, preprocess_logits=preprocess_logits,
                    param_groups=self._param_groups, live=live)
        del train_set, val_set
        self._tune(val_docs, val_labels)
        return self

    def _encode_distinct(self, encoder: Any, seqs: Any, layers: Sequence[int] | None = None) -> dict:
        """token tuple -> pooled vector (float32; with ``layers``, (len(layers), hidden)) of each token sequence,
        by ``encoder`` in eval mode without gradients, longest first in blocks."""
        import torch

        order = sorted(seqs, key=lambda q: (-len(q), q))
        out: dict[tuple[int, ...], np.ndarray] = {}
        was_training = encoder.training
        encoder.eval()
        with torch.inference_mode():
            for s in range(0, len(order), FROZEN_BLOCK):
                part = order[s:s + FROZEN_BLOCK]
                ids, lengths = padded_lines(part, self._pad_id)
                dev = next(encoder.parameters()).device
                vecs = pooled_line_states(encoder, ids.to(dev), lengths.to(dev), layers).float().cpu().numpy()
                out.update(zip(part, vecs))
        encoder.train(was_training)
        return out

    def encode_frozen(self, docs: Sequence[Sequence[str]], layers: Sequence[int]) -> dict[int, dict]:
        """The frozen base encoder's vectors of every distinct line of ``docs`` after each of ``layers`` (1 = first
        layer), from one encoder pass: ``{layer: {token tuple: vector}}``, each a ``line_vectors`` cache for a
        tagger with ``freeze_encoder`` and ``encoder_layers`` = that layer (same base model and line_max_tokens)."""
        encoder = self._load_base()
        cols = self._tokenize({"lines": [list(d) for d in docs]})
        seqs = {tuple(ids) for row in cols["input_ids"] for ids in row if ids}
        both = self._encode_distinct(encoder, seqs, list(layers))
        return {layer: {k: v[j] for k, v in both.items()} for j, layer in enumerate(layers)}

    def _tune(self, val_docs: list[list[str]], val_labels: list[list[int]]) -> None:
        """Pick the smoothing strength (under ``tune``), the threshold (under ``tune``; else the one given) and (under
        ``span: tune``) article-span decoding that give the best validation macro-F1."""
        y_val = np.concatenate([np.asarray(t, dtype=int) for t in val_labels]) if val_labels else np.zeros(0, int)
        grid = SMOOTHING_GRID if self.tune_smoothing else (self.smoothing_,)
        fixed = None if self.bp.threshold == "tune" else float(self.bp.threshold)
        if not (len(y_val) and 0 < y_val.sum() < len(y_val)):
            self.smoothing_, self.threshold_ = untuned(grid, fixed)
            self.span_ = self.bp.span is True
            log.warning("boilerplate validation set lacks one of the classes: threshold left at %g", self.threshold_)
            return
        raw_val = self._raw_proba(val_docs)
        self.smoothing_, self.threshold_, probs = tune_smoothing_and_threshold(val_labels, raw_val, self._smooth, grid,
                                                                               fixed)
        self.span_ = tune_span(val_docs, val_labels, probs, self.threshold_, self.bp.span_margin, self.bp.span)
        p_val = np.concatenate(self._span(val_docs, probs))
        self.metrics_ = {**binary_metrics(y_val, (p_val >= self.threshold_).astype(int)),
                         "threshold": float(self.threshold_), "smoothing": float(self.smoothing_),
                         "span": bool(self.span_)}

    # ---- inference -----------------------------------------------------------------------------------------

    def predict_proba(self, docs: list[list[str]], batch_size: int = PREDICT_BATCH,
                      span: bool | None = None) -> list[np.ndarray]:
        """P(boilerplate) of every line (blank ones included) of every document, smoothed along the article, and
        span-decoded where the fit chose it (``span``: True or False to force it on or off)."""
        return self._span(docs, self._smooth(self._raw_proba(docs, batch_size), self.smoothing_), span)

    def predict(self, docs: list[list[str]]) -> list[np.ndarray]:
        return [(p >= self.threshold_).astype(np.int64) for p in self.predict_proba(docs)]

    def _smooth(self, probs: list[np.ndarray], strength: float) -> list[np.ndarray]:
        if strength <= 0 or self.hmm_ is None:
            return probs
        from newssift.models.smoothing import forward_backward_many

        # the loss is class-weighted ("balanced"), so the network's outputs are posteriors under a flat prior
        start, trans = np.asarray(self.hmm_["start"]), np.asarray(self.hmm_["trans"])
        return forward_backward_many(probs, start, trans, np.array([0.5, 0.5]), strength)

    def _raw_proba(self, docs: list[list[str]], batch_size: int = PREDICT_BATCH) -> list[np.ndarray]:
        """The network's P(boilerplate) per line, before smoothing. Documents are processed in blocks (memory is
        bounded by the block, not the corpus); each chunk is tokenised by the same function as training data."""
        import torch

        if self.model is None:
            raise RuntimeError("fit() or load() the model first")
        docs = [d if isinstance(d, list) else list(d) for d in docs]
        out = [np.full(len(d), np.nan, dtype=np.float64) for d in docs]
        best = [np.full(len(d), -1, dtype=np.int64) for d in docs]  # distance from a cut of the chunk used
        # keyed by token tuples, which never exceed line_max_tokens: every line is remembered
        memo = model_memo("tagger line vectors", self.memo_key_, MEMO_LINES, int(self.bp.line_max_tokens))
        block = max(batch_size * 4, 64)
        with _progress(len(docs), "boilerplate") as bar:
            for b0 in range(0, len(docs), block):
                part = docs[b0:b0 + block]
                cols = self._chunks(part)
                cols.update(self._tokenize(cols))
                rows = [{"input_ids": ids, "features": f, **({"ngrams": cols["ngrams"][k]} if "ngrams" in cols else {})}
                        for k, (ids, f) in enumerate(zip(cols["input_ids"], cols["features"]))]
                order = sorted(range(len(rows)), key=lambda k: -len(rows[k]["input_ids"]))
                for s in range(0, len(order), batch_size):
                    idx = order[s:s + batch_size]
                    chunk_rows = [rows[k] for k in idx]
                    collate = LineBatchCollator(self._pad_id, self._line_vectors(chunk_rows, memo))
                    batch = {k: v.to(self.device) for k, v in collate(chunk_rows).items()}
                    with torch.inference_mode(), self._autocast():
                        logits = self.model(**batch)["logits"]
                    probs = torch.softmax(logits.float(), dim=-1)[..., 1].cpu().numpy()
                    for row, k in enumerate(idx):
                        d, start = b0 + cols["doc"][k], cols["start"][k]
                        n, m = len(docs[d]), len(rows[k]["input_ids"])
                        pos = np.arange(start, start + m)
                        left = pos - start if start > 0 else np.full(m, n)
                        right = (start + m - 1 - pos) if start + m < n else np.full(m, n)
                        dist = np.minimum(left, right)
                        upd = dist > best[d][start:start + m]
                        out[d][start:start + m][upd] = probs[row, :m][upd]
                        best[d][start:start + m][upd] = dist[upd]
                bar.update(len(part))
        return out

    def _line_vectors(self, rows: list[dict[str, Any]], memo: Any) -> dict[tuple[int, ...], np.ndarray]:
        """token tuple -> encoder vector of each distinct non-blank line of the chunks ``rows``. The vectors are
        remembered across batches for the current weights (``memo``: ``features.model_memo`` under
        ``memo_key_``, which changes when the weights do): a line is encoded alone, so its vector depends on its
        tokens only, and a site's menus, prompts and footers repeat from article to article (in the generated
        bench corpus 42% of the lines were seen in an earlier article). Only the lines not yet remembered reach
        the encoder."""
        keys = list(dict.fromkeys(tuple(ids) for r in rows for ids in r["input_ids"] if ids))

        def encode(todo: list[tuple[int, ...]]) -> list[np.ndarray]:
            with self._autocast():
                found = self._encode_distinct(self.model.encoder, todo)
            return [found[k] for k in todo]

        return dict(zip(keys, memo.get_many(keys, encode)))

    def _span(self, docs: list[list[str]], probs: list[np.ndarray], span: bool | None = None) -> list[np.ndarray]:
        on = self.span_ if span is None else span
        return article_span_many(docs, probs, self.threshold_, self.bp.span_margin) if on else probs

    # ---- persistence ---------------------------------------------------------------------------------------

    def _architecture(self) -> dict[str, Any]:
        bp = self.bp
        return {"encoder_layers": self.encoder_layers_, "line_max_tokens": int(bp.line_max_tokens),
                "context": bp.context, "context_layers": int(bp.context_layers), "context_dim": int(bp.context_dim),
                "char_ngram_buckets": int(bp.char_ngram_buckets), "char_ngram_dim": int(bp.char_ngram_dim),
                "max_lines": int(bp.max_lines), "chunk_overlap": int(bp.chunk_overlap),
                "features": list(LINE_FEATURE_NAMES)}

    def _manifest_extra(self) -> dict[str, Any]:
        return {"threshold": float(self.threshold_), "class_weights": list(self.class_weights_),
                # no transitions (a model saved without fit()) means no smoothing
                "smoothing": float(self.smoothing_) if self.hmm_ else 0.0, "hmm": self.hmm_, "span": bool(self.span_),
                "architecture": self._architecture()}

    def _write_weights(self, folder: Path) -> None:
        from safetensors.torch import save_file

        self.model.encoder.save_pretrained(folder / ENCODER_DIR)
        self.tokenizer.save_pretrained(folder / ENCODER_DIR)
        state = {k: v.detach().cpu().contiguous() for k, v in self.model.state_dict().items()
                 if not k.startswith("encoder.")}
        save_file(state, str(folder / HEAD_FILE), metadata={"format": "pt"})

    def _read_weights(self, folder: Path, manifest: dict[str, Any], labels: list[str]) -> Any:
        from safetensors.torch import load_file
        from transformers import AutoModel, AutoTokenizer

        arch = manifest.get("architecture")
        if not isinstance(arch, dict) or arch.get("features") != list(LINE_FEATURE_NAMES):
            raise ModelLoadError(f"{folder}: the manifest's line features differ from this newssift's; retrain the "
                                 "model")
        self.tokenizer = AutoTokenizer.from_pretrained(str(folder / ENCODER_DIR))
        encoder = AutoModel.from_pretrained(str(folder / ENCODER_DIR), use_safetensors=True)
        model = self._build(encoder)
        state = load_file(str(folder / HEAD_FILE))
        missing, unexpected = model.load_state_dict(state, strict=False)
        missing = [k for k in missing if not k.startswith("encoder.")]
        if missing or unexpected:
            raise ModelLoadError(f"{folder / HEAD_FILE}: does not fit the architecture in the manifest (missing "
                                 f"{missing[:3]}, unexpected {list(unexpected)[:3]})")
        return model

    def _restore(self, manifest: dict[str, Any], labels: list[str]) -> None:
        if labels != BOILERPLATE_LABELS:
            raise ModelLoadError(f"boilerplate model labels {labels} are not {BOILERPLATE_LABELS}")
        try:
            self.threshold_ = float(manifest["threshold"])
            self.class_weights_ = [float(w) for w in manifest.get("class_weights", self.class_weights_)]
            self.smoothing_ = float(manifest.get("smoothing") or 0.0)
            self.span_ = bool(manifest.get("span", False))  # older manifests: no span decoding
            hmm = manifest.get("hmm")
            self.hmm_ = None if not hmm else {"start": [float(v) for v in hmm["start"]],
                                              "trans": [[float(v) for v in row] for row in hmm["trans"]]}
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelLoadError(f"boilerplate model manifest is incomplete ({exc})") from None
        if self.smoothing_ > 0 and self.hmm_ is None:
            raise ModelLoadError("boilerplate model: smoothing is on but the manifest has no transitions")

    def _encoder_module(self) -> Any:
        return self.model.encoder
