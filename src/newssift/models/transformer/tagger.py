"""The hierarchical line tagger: a network that reads a whole article and labels each of its lines.

1. **Line encoder.** The first ``encoder_layers`` layers of a pretrained Hugging Face encoder (all-MiniLM-L6-v2 by
   default) turn each line, cut to its first ``line_max_tokens`` tokens, into one vector (mean of its token
   states). A batch encodes each distinct line once, in length-sorted micro-batches (little padding); blank lines
   take a learned vector and cost no encoder pass. With a frozen encoder the vectors are computed once and cached,
   and batches carry them (``line_vectors``) instead of tokens.
2. **Line features.** The shallow per-line features of :mod:`newssift.features.lines` (the TF-IDF model's shape and
   position features), standardised with the training set's mean and spread, join each line vector, and so does
   a learned bag of the line's hashed character 2-4-grams (the lexical cues the TF-IDF model lives on: "Share",
   "©", "Advertisement", in any language).
3. **Article context.** A bidirectional GRU (or a small transformer encoder with learned line positions) runs
   over the article's line vectors, so each line is judged with the whole article around it.
4. **Head.** One linear layer per line: editorial (0) or boilerplate (1).

Articles of more than ``max_lines`` lines are cut into chunks that overlap by ``chunk_overlap`` lines; a line seen
in two chunks takes its probability from the one where it is further from a cut.

Batches are built from :class:`datasets.Dataset` rows (``input_ids``: one token list per line, ``features``,
``labels``) by :class:`LineBatchCollator`.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from newssift.constants import TAGGER_CONTEXT_HEADS
from newssift.errors import ConfigError
from newssift.features.lines import docs_features, feature_names

LINE_FEATURE_NAMES = tuple(feature_names(0))  # own shape + position features (no neighbour copies: the GRU sees)
ENCODER_MICRO_BATCH = 256  # distinct lines per encoder call
NGRAM_RANGE = (2, 4)  # character n-grams (within word boundaries) of the lexical bag
NGRAM_MAX_CHARS = 400  # of a line's characters feed its bag
LAYER_PATHS = ("encoder.layer", "transformer.layer", "layers", "encoder.layers", "h", "block")
LAYER_COUNT_KEYS = ("num_hidden_layers", "n_layers", "num_layers", "n_layer")


def article_features(docs: Sequence[Sequence[str]]) -> list[np.ndarray]:
    """(n_lines, len(LINE_FEATURE_NAMES)) float32 features of each article's lines."""
    docs = [list(d) for d in docs]
    rows = docs_features(docs, 0).astype(np.float32)
    return np.split(rows, np.cumsum([len(d) for d in docs])[:-1]) if docs else []


def hashed_ngrams(lines: Sequence[str], buckets: int) -> list[list[int]]:
    """Bucket ids of each line's character 2-4-grams (scikit-learn's HashingVectorizer, ``char_wb``, lower-cased;
    a line's first NGRAM_MAX_CHARS characters); no ids for a blank line."""
    from newssift.features.hashing import BatchHashingVectorizer

    if not lines:
        return []
    vec = BatchHashingVectorizer(analyzer="char_wb", ngram_range=NGRAM_RANGE, n_features=buckets,
                                 alternate_sign=False, norm=None, lowercase=True)
    x = vec.transform([line[:NGRAM_MAX_CHARS] if line.strip() else "" for line in lines]).tocsr()
    x.sort_indices()
    return [x.indices[x.indptr[i]:x.indptr[i + 1]].tolist() for i in range(len(lines))]


def chunk_spans(n: int, max_lines: int, overlap: int) -> list[tuple[int, int]]:
    """[start, end) line spans covering ``n`` lines: one span if ``n <= max_lines``, else chunks of ``max_lines``
    lines, consecutive ones sharing ``overlap`` lines; the last chunk ends at ``n``. None for an empty article."""
    if n == 0:
        return []
    if n <= max_lines:
        return [(0, n)]
    step = max(1, max_lines - overlap)
    spans, start = [], 0
    while True:
        end = min(start + max_lines, n)
        spans.append((max(0, end - max_lines), end))
        if end >= n:
            return spans
        start += step


def _layer_list(model: Any) -> tuple[Any, str, Any] | None:
    """(parent module, attribute name, ModuleList) of the encoder's stack of layers, or None."""
    import torch

    for path in LAYER_PATHS:
        parent, obj, name = None, model, ""
        for name in path.split("."):
            if not hasattr(obj, name):
                obj = None
                break
            parent, obj = obj, getattr(obj, name)
        if isinstance(obj, torch.nn.ModuleList):
            return parent, name, obj
    return None


def truncate_layers(model: Any, n_layers: int | None) -> int:
    """Keep the first ``n_layers`` transformer layers of a Hugging Face encoder (in place, config updated, so
    ``save_pretrained`` / ``AutoModel.from_pretrained`` round-trip the shorter model). Returns the layer count."""
    import torch

    found = _layer_list(model)
    if found is None:
        raise ConfigError(f"transformer.boilerplate.encoder_layers: cannot find the layer stack of "
                          f"{type(model).__name__}")
    parent, name, layers = found
    total = len(layers)
    if n_layers is None or n_layers >= total:
        return total
    setattr(parent, name, torch.nn.ModuleList(list(layers)[:n_layers]))
    for key in LAYER_COUNT_KEYS:
        if hasattr(model.config, key):
            setattr(model.config, key, n_layers)
    return n_layers


def padded_lines(seqs: Sequence[Sequence[int]], pad_id: int) -> tuple[Any, Any]:
    """(line_ids, line_lengths) tensors of token lists, padded with ``pad_id`` to the longest."""
    import torch

    width = max((len(s) for s in seqs), default=1)
    line_ids = torch.full((len(seqs), width), int(pad_id), dtype=torch.long)
    lengths = torch.zeros(len(seqs), dtype=torch.long)
    for k, seq in enumerate(seqs):
        line_ids[k, : len(seq)] = torch.as_tensor(seq, dtype=torch.long)
        lengths[k] = len(seq)
    return line_ids, lengths


def pooled_line_states(encoder: Any, line_ids: Any, line_lengths: Any, layers: Sequence[int] | None = None) -> Any:
    """Mean-pooled token states of each line (padding excluded), as sentence-transformers pools MiniLM, run in
    micro-batches of ENCODER_MICRO_BATCH lines (rows sorted longest first keep the padding small).

    ``layers`` None: the last layer's states, (n, hidden); else the states after each listed layer (1 = the first
    layer; 0 = the embeddings), (n, len(layers), hidden), from one pass with ``output_hidden_states``. Gradients
    flow when the caller has them on (the fine-tuned encoder)."""
    import torch

    out = []
    lengths = line_lengths.tolist()
    for s in range(0, len(lengths), ENCODER_MICRO_BATCH):
        e = min(s + ENCODER_MICRO_BATCH, len(lengths))
        width = max(lengths[s:e])
        ids = line_ids[s:e, :width]
        mask = (torch.arange(width, device=ids.device)[None, :] < line_lengths[s:e, None]).long()
        res = encoder(input_ids=ids, attention_mask=mask, output_hidden_states=layers is not None)
        if layers is None:
            states = res.last_hidden_state
            m = mask.unsqueeze(-1).to(states.dtype)
            out.append((states * m).sum(1) / m.sum(1).clamp(min=1.0))
        else:
            states = torch.stack([res.hidden_states[k] for k in layers], dim=1)  # (b, L, t, h)
            m = mask[:, None, :, None].to(states.dtype)
            out.append((states * m).sum(2) / m.sum(2).clamp(min=1.0))
    return torch.cat(out)


def _make_module_class():
    import torch
    from torch import nn

    class LineTagger(nn.Module):
        """See the module docstring. ``forward`` returns ``{"logits": (batch, lines, 2)}``."""

        def __init__(self, encoder: nn.Module, n_features: int, context: str = "gru", context_layers: int = 1,
                     context_dim: int = 256, dropout: float = 0.1, max_lines: int = 512, ngram_buckets: int = 0,
                     ngram_dim: int = 64):
            super().__init__()
            if context_dim % 2:
                raise ConfigError("transformer.boilerplate.context_dim: expected an even number")
            self.encoder = encoder
            hidden = int(encoder.config.hidden_size)
            self.blank = nn.Parameter(torch.zeros(hidden))
            self.register_buffer("feature_mean", torch.zeros(n_features))
            self.register_buffer("feature_scale", torch.ones(n_features))
            self.ngrams = nn.EmbeddingBag(ngram_buckets, ngram_dim, mode="mean") if ngram_buckets else None
            if self.ngrams is not None:
                nn.init.normal_(self.ngrams.weight, std=0.1)
            width = hidden + n_features + (ngram_dim if ngram_buckets else 0)
            self.project = nn.Sequential(nn.Dropout(dropout), nn.Linear(width, context_dim), nn.GELU(),
                                         nn.LayerNorm(context_dim))
            self.context_kind = context
            if context == "gru":
                self.context = nn.GRU(context_dim, context_dim // 2, num_layers=context_layers, batch_first=True,
                                      bidirectional=True, dropout=dropout if context_layers > 1 else 0.0)
            elif context == "transformer":
                self.positions = nn.Embedding(max_lines, context_dim)
                nn.init.normal_(self.positions.weight, std=0.02)
                layer = nn.TransformerEncoderLayer(context_dim, nhead=TAGGER_CONTEXT_HEADS,
                                                   dim_feedforward=2 * context_dim, dropout=dropout,
                                                   batch_first=True, norm_first=True)
                self.context = nn.TransformerEncoder(layer, num_layers=context_layers, enable_nested_tensor=False)
            else:
                raise ConfigError(f"transformer.boilerplate.context: expected gru or transformer, got {context!r}")
            self.head = nn.Sequential(nn.Dropout(dropout), nn.Linear(context_dim, 2))

        def encode_lines(self, line_ids: torch.Tensor, line_lengths: torch.Tensor) -> torch.Tensor:
            """(n_distinct, hidden) mean-pooled vectors; rows come sorted by length (longest first)."""
            if not len(line_lengths):
                return self.blank.new_zeros((0, self.blank.shape[0]))
            return pooled_line_states(self.encoder, line_ids, line_lengths)

        def forward(self, line_index, features, line_mask, line_ids=None, line_lengths=None, line_vectors=None,
                    ngram_ids=None, ngram_offsets=None, labels=None):
            """``line_ids``/``line_lengths``: the distinct lines' tokens, run through the encoder; or
            ``line_vectors``: their vectors, already encoded (frozen encoder, cached)."""
            vectors = self.encode_lines(line_ids, line_lengths) if line_vectors is None else line_vectors
            if not len(vectors):  # a batch of blank lines only
                vectors = self.blank.new_zeros((0, self.blank.shape[0]))
            table = torch.cat([self.blank[None, :].to(vectors.dtype), vectors])  # row 0: blank lines
            x = table[line_index + 1]  # line_index -1: blank (or padding)
            f = (features - self.feature_mean) / self.feature_scale
            parts = [x, f.to(x.dtype)]
            if self.ngrams is not None:  # one bag per line position (empty for blank lines and padding)
                bags = self.ngrams(ngram_ids, ngram_offsets)
                parts.append(bags.view(x.shape[0], x.shape[1], -1).to(x.dtype))
            h = self.project(torch.cat(parts, dim=-1))
            if self.context_kind == "gru":
                lengths = line_mask.sum(1).clamp(min=1).cpu()
                packed = nn.utils.rnn.pack_padded_sequence(h, lengths, batch_first=True, enforce_sorted=False)
                out, _ = self.context(packed)
                h, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=h.shape[1])
            else:
                pos = torch.arange(h.shape[1], device=h.device)
                h = self.context(h + self.positions(pos)[None], src_key_padding_mask=~line_mask)
            return {"logits": self.head(h)}

        def head_parameters(self) -> list[nn.Parameter]:
            """Every trainable parameter outside the pretrained encoder (their own learning rate)."""
            enc = {id(p) for p in self.encoder.parameters()}
            return [p for p in self.parameters() if id(p) not in enc]

    return LineTagger


_MODULE_CLASS = None


def line_tagger_class():
    """The ``LineTagger`` nn.Module class (built on first use, so importing this module does not import torch)."""
    global _MODULE_CLASS
    if _MODULE_CLASS is None:
        _MODULE_CLASS = _make_module_class()
    return _MODULE_CLASS


class LineBatchCollator:
    """Batches of article chunks for :class:`LineTagger`.

    Each feature row holds ``input_ids`` (one token list per line; an empty list for a blank line), ``features``
    (one vector per line), optionally ``ngrams`` (hashed n-gram ids per line: ``ngram_ids`` / ``ngram_offsets`` in
    ``nn.EmbeddingBag`` form, one bag per line position) and ``labels`` (one per line). The collator keeps each distinct non-blank line
    once (``line_ids``, sorted longest first, with ``line_lengths``), and maps every line of every chunk to its row
    (``line_index``; -1 for blank lines and padding). ``labels`` are padded with -100.

    With ``vectors`` (a frozen encoder's cached line vectors: token tuple -> vector) the batch holds the distinct
    lines' vectors (``line_vectors``, same order) instead of their tokens: no encoder pass."""

    def __init__(self, pad_id: int, vectors: dict[tuple[int, ...], np.ndarray] | None = None):
        self.pad_id = int(pad_id)
        self.vectors = vectors

    def __call__(self, rows: list[dict[str, Any]]) -> dict[str, Any]:
        import torch

        distinct: dict[tuple[int, ...], int] = {}
        refs = []
        for r in rows:
            idx = []
            for ids in r["input_ids"]:
                if not ids:
                    idx.append(-1)
                    continue
                key = tuple(ids)
                k = distinct.get(key)
                if k is None:
                    k = distinct[key] = len(distinct)
                idx.append(k)
            refs.append(idx)
        seqs = list(distinct)
        order = sorted(range(len(seqs)), key=lambda k: (-len(seqs[k]), k))  # longest first, stable
        rank = np.empty(len(seqs), dtype=np.int64)
        rank[order] = np.arange(len(seqs))
        if self.vectors is not None:
            dim = len(next(iter(self.vectors.values()))) if self.vectors else 0
            table = np.zeros((len(seqs), dim), dtype=np.float32)
            for new, k in enumerate(order):
                table[new] = self.vectors[seqs[k]]
            encoded = {"line_vectors": torch.from_numpy(table)}
        else:
            line_ids, lengths = padded_lines([seqs[k] for k in order], self.pad_id)
            encoded = {"line_ids": line_ids, "line_lengths": lengths}
        n_lines = max(len(r["input_ids"]) for r in rows)
        n_feat = len(rows[0]["features"][0]) if rows[0]["features"] else len(LINE_FEATURE_NAMES)
        index = torch.full((len(rows), n_lines), -1, dtype=torch.long)
        feats = torch.zeros((len(rows), n_lines, n_feat), dtype=torch.float32)
        mask = torch.zeros((len(rows), n_lines), dtype=torch.bool)
        for b, (r, idx) in enumerate(zip(rows, refs)):
            n = len(idx)
            if n:
                ix = np.asarray(idx, dtype=np.int64)
                index[b, :n] = torch.as_tensor(np.where(ix >= 0, rank[np.maximum(ix, 0)] if len(rank) else 0, -1))
                feats[b, :n] = torch.as_tensor(np.asarray(r["features"], dtype=np.float32))
                mask[b, :n] = True
        batch = {**encoded, "line_index": index, "features": feats, "line_mask": mask}
        if "ngrams" in rows[0]:
            flat: list[int] = []
            offsets = []
            for r in rows:
                bags = r["ngrams"]
                for t in range(n_lines):
                    offsets.append(len(flat))
                    if t < len(bags):
                        flat.extend(bags[t])
            batch["ngram_ids"] = torch.as_tensor(flat, dtype=torch.long)
            batch["ngram_offsets"] = torch.as_tensor(offsets, dtype=torch.long)
        if "labels" in rows[0]:
            labels = torch.full((len(rows), n_lines), -100, dtype=torch.long)
            for b, r in enumerate(rows):
                labels[b, : len(r["labels"])] = torch.as_tensor(r["labels"], dtype=torch.long)
            batch["labels"] = labels
        return batch
