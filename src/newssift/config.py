"""Typed, strict view of ``params.yaml``.

Every tunable of the pipeline lives in ``params.yaml``. This module maps it onto frozen dataclasses and rejects
unknown or misspelt keys (with a suggestion) and values of the wrong type, so that a typo never silently falls
back to a default.
"""
from __future__ import annotations

import dataclasses
import difflib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from newssift.errors import ConfigError


@dataclass(frozen=True)
class DataParams:
    corpus: str = "data/sample/corpus.jsonl"  # JSONL file, or a folder of .txt files
    labels: str | None = None  # for a .txt folder: optional JSONL/CSV of {id, topic, line_labels}


@dataclass(frozen=True)
class SampleParams:
    n_articles: int = 320
    seed: int = 13


@dataclass(frozen=True)
class CleanParams:
    min_chars: int = 20  # shorter cleaned text is rejected as empty/broken
    max_chars: int = 5_000_000  # longer raw text is rejected (10 MB articles are not articles)
    near_duplicate_threshold: float = 0.85  # estimated Jaccard of word 5-gram shingles
    num_perm: int = 128


@dataclass(frozen=True)
class SplitParams:
    validation: float = 0.15
    test: float = 0.2
    seed: int = 42


@dataclass(frozen=True)
class TfidfTopicParams:
    """newssift.models.tfidf.TfidfTopicClassifier: hashed n-gram TF-IDF, linear model trained by SGD."""

    word_ngram_max: int = 2  # word n-grams 1..word_ngram_max (1-5)
    char_ngram_min: int = 2  # character n-grams (within words) char_ngram_min..char_ngram_max (1-10) ...
    char_ngram_max: int = 0  # ... 0 = none (word n-grams alone match them on BBC at a fraction of the cost)
    n_features: int = 262_144  # hashed feature space of each n-gram block (2 to 2**24)
    min_df: int = 1  # n-grams seen in fewer training articles are ignored (>= 1)
    sublinear_tf: bool = True
    alpha: float = 2e-6  # L2 regularisation of the SGD logistic regression (> 0)
    class_weight: str | None = "balanced"  # null or balanced
    max_iter: int = 50  # SGD epochs at most (>= 1)


@dataclass(frozen=True)
class TfidfBoilerplateParams:
    """newssift.models.tfidf.TfidfBoilerplateClassifier: per-line hashed n-gram TF-IDF + line shape, logistic
    regression, HMM smoothing, tuned threshold."""

    context: int = 2  # neighbouring lines on each side whose shallow features join a line's own (0-10)
    word_ngram_max: int = 2  # word n-grams 1..word_ngram_max of the line (1-5)
    char_ngram_max: int = 4  # character n-grams 2..char_ngram_max (2-10); 0 = none
    n_features: int = 262_144  # hashed feature space of each n-gram block (2 to 2**24)
    min_df: int = 1  # n-grams seen in fewer training lines are ignored (>= 1)
    C: float = 10.0  # inverse L2 regularisation of the logistic regression (> 0)
    class_weight: str | None = None  # None: threshold tuned on validation; "balanced" reweights the classes
    smoothing: float = 1.0  # 0 = off; 1 = HMM transitions as estimated on training data
    threshold: str | float = "tune"  # "tune" = best F1 on validation, or a fixed probability
    max_iter: int = 2000


@dataclass(frozen=True)
class TfidfParams:
    topic: TfidfTopicParams = field(default_factory=TfidfTopicParams)
    boilerplate: TfidfBoilerplateParams = field(default_factory=TfidfBoilerplateParams)


@dataclass(frozen=True)
class TransformerTaskParams:
    epochs: float = 3.0
    learning_rate: float = 5e-5
    batch_size: int = 16
    max_train_samples: int | None = None
    early_stopping_patience: int = 2


@dataclass(frozen=True)
class TransformerBoilerplateParams(TransformerTaskParams):
    """The hierarchical line tagger (newssift.models.transformer.tagger): every line encoded once by the first
    ``encoder_layers`` layers of the base model, a sequence model over the article's line vectors, one head per
    line. ``batch_size`` counts articles (chunks of at most ``max_lines`` lines)."""

    epochs: float = 4.0
    learning_rate: float = 5e-5  # the encoder's (fine-tuned)
    head_learning_rate: float = 1e-3  # the new layers': feature projection, sequence model, head
    batch_size: int = 2
    encoder_layers: int | None = 2  # layers of the base encoder used (null = all of them)
    line_max_tokens: int = 32  # tokens a line keeps (its head), special tokens included
    char_ngram_buckets: int = 131072  # hashed character 2-4-grams of each line (a learned bag; 0 = off) ...
    char_ngram_dim: int = 32  # ... embedded in this many dimensions, joining the line vector
    context: str = "gru"  # sequence model over the line vectors: gru (bidirectional) | transformer
    context_layers: int = 1
    context_dim: int = 256
    dropout: float = 0.1
    max_lines: int = 512  # longer articles are cut into chunks of this many lines ...
    chunk_overlap: int = 64  # ... overlapping by this many lines
    smoothing: str | float = "tune"  # HMM smoothing strength along the article; 0 = off; tune


@dataclass(frozen=True)
class TransformerParams:
    enabled: bool = True
    base_model: str = "sentence-transformers/all-MiniLM-L6-v2"
    max_length: int = 256  # topic: tokens of the editorial text the topic model reads
    quantize: str = "none"  # inference on CPU: none | int8 (dynamic int8 quantization of the encoders' linear layers)
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1
    mixed_precision: str = "auto"  # auto | no | fp16 | bf16 (auto = fp16 on CUDA, none on CPU)
    device: str = "auto"  # auto | cpu | cuda | mps
    seed: int = 42
    num_threads: int | None = None  # torch CPU threads; None = torch default
    topic: TransformerTaskParams = field(default_factory=TransformerTaskParams)
    boilerplate: TransformerBoilerplateParams = field(default_factory=TransformerBoilerplateParams)


@dataclass(frozen=True)
class SplitArticlesParams:
    model: str = "tfidf"  # boilerplate model family used to cut the editorial text for topic training


@dataclass(frozen=True)
class EvaluateParams:
    families: tuple[str, ...] = ("tfidf", "transformer")


@dataclass(frozen=True)
class Params:
    seed: int = 42
    data: DataParams = field(default_factory=DataParams)
    sample: SampleParams = field(default_factory=SampleParams)
    clean: CleanParams = field(default_factory=CleanParams)
    split: SplitParams = field(default_factory=SplitParams)
    tfidf: TfidfParams = field(default_factory=TfidfParams)
    split_articles: SplitArticlesParams = field(default_factory=SplitArticlesParams)
    transformer: TransformerParams = field(default_factory=TransformerParams)
    evaluate: EvaluateParams = field(default_factory=EvaluateParams)


def _check_scalar(value: Any, tp: Any, where: str) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        errors = []
        for option in typing.get_args(tp):
            try:
                return _check_scalar(value, option, where)
            except ConfigError as exc:
                errors.append(exc)
        names = " or ".join(_type_name(t) for t in typing.get_args(tp))
        raise ConfigError(f"{where}: expected {names}, got {value!r}")
    if origin is tuple:
        if not isinstance(value, (list, tuple)):
            raise ConfigError(f"{where}: expected a list, got {value!r}")
        (inner, _) = typing.get_args(tp)
        return tuple(_check_scalar(v, inner, f"{where}[{i}]") for i, v in enumerate(value))
    if tp is type(None):
        if value is None:
            return None
        raise ConfigError(f"{where}: expected null, got {value!r}")
    if tp is bool:
        if isinstance(value, bool):
            return value
    elif tp is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif tp is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    elif tp is str:
        if isinstance(value, str):
            return value
    raise ConfigError(f"{where}: expected {_type_name(tp)}, got {value!r}")


def _type_name(tp: Any) -> str:
    return "null" if tp is type(None) else getattr(tp, "__name__", str(tp))


def _build(cls: type, raw: Any, where: str) -> Any:
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{where or 'params'}: expected a mapping, got {raw!r}")
    hints = typing.get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    unknown = [k for k in raw if k not in names]
    if unknown:
        key = unknown[0]
        close = [n for n in names if n.lower() == str(key).lower()] or difflib.get_close_matches(str(key), names, n=1)
        hint = f" (did you mean '{_join(where, close[0])}'?)" if close else ""
        raise ConfigError(
            f"unknown key '{_join(where, key)}'{hint}; allowed keys here: {', '.join(names)}"
        )
    kwargs = {}
    for name in names:
        if name not in raw:
            continue
        tp = hints[name]
        path = _join(where, name)
        if dataclasses.is_dataclass(tp):
            kwargs[name] = _build(tp, raw[name], path)
        else:
            kwargs[name] = _check_scalar(raw[name], tp, path)
    return cls(**kwargs)


def _join(where: str, key: Any) -> str:
    return f"{where}.{key}" if where else str(key)


def params_from_dict(raw: dict | None) -> Params:
    """Build :class:`Params` from a mapping, rejecting unknown keys and wrong types."""
    params = _build(Params, raw, "")
    _validate(params)
    return params


def _validate(p: Params) -> None:
    if not (0 < p.split.validation < 1 and 0 < p.split.test < 1 and p.split.validation + p.split.test < 1):
        raise ConfigError("split.validation and split.test must be in (0, 1) and sum to less than 1")
    _validate_tfidf(p.tfidf)
    tb = p.transformer.boilerplate
    sm = tb.smoothing
    if (isinstance(sm, str) and sm != "tune") or (not isinstance(sm, str) and sm < 0):
        raise ConfigError(f"transformer.boilerplate.smoothing: expected 'tune' or a number >= 0, got {sm!r}")
    if tb.context not in ("gru", "transformer"):
        raise ConfigError(f"transformer.boilerplate.context: expected gru or transformer, got {tb.context!r}")
    for key, value, low in (("encoder_layers", tb.encoder_layers, 1), ("line_max_tokens", tb.line_max_tokens, 4),
                            ("context_layers", tb.context_layers, 1), ("context_dim", tb.context_dim, 2),
                            ("max_lines", tb.max_lines, 2), ("batch_size", tb.batch_size, 1),
                            ("char_ngram_buckets", tb.char_ngram_buckets, 0), ("char_ngram_dim", tb.char_ngram_dim, 1)):
        if value is not None and value < low:
            raise ConfigError(f"transformer.boilerplate.{key}: expected an integer >= {low}, got {value}")
    if not 0 <= tb.chunk_overlap <= tb.max_lines // 2:
        raise ConfigError(f"transformer.boilerplate.chunk_overlap: expected 0 <= chunk_overlap <= max_lines / 2 "
                          f"(max_lines {tb.max_lines}), got {tb.chunk_overlap}")
    if not 0 <= tb.dropout < 1:
        raise ConfigError(f"transformer.boilerplate.dropout: expected a number in [0, 1), got {tb.dropout}")
    if p.transformer.quantize not in ("none", "int8"):
        raise ConfigError(f"transformer.quantize: expected none or int8, got {p.transformer.quantize!r}")
    if p.transformer.mixed_precision not in ("auto", "no", "fp16", "bf16"):
        raise ConfigError("transformer.mixed_precision: expected one of auto, no, fp16, bf16")
    if p.transformer.device not in ("auto", "cpu", "cuda", "mps"):
        raise ConfigError("transformer.device: expected one of auto, cpu, cuda, mps")
    if p.split_articles.model not in ("tfidf", "transformer"):
        raise ConfigError("split_articles.model: expected 'tfidf' or 'transformer'")
    for fam in p.evaluate.families:
        if fam not in ("tfidf", "transformer"):
            raise ConfigError(f"evaluate.families: unknown model family {fam!r} (expected tfidf, transformer)")
    if not 0 < p.clean.near_duplicate_threshold <= 1:
        raise ConfigError("clean.near_duplicate_threshold: expected a number in (0, 1]")


def _validate_tfidf(p: TfidfParams) -> None:
    """The ranges the TF-IDF estimators accept (newssift.models.tfidf checks the same when a model is built)."""
    t, b = p.topic, p.boilerplate
    ints = [("topic.word_ngram_max", t.word_ngram_max, 1, 5), ("topic.n_features", t.n_features, 2, 1 << 24),
            ("topic.max_iter", t.max_iter, 1, None), ("topic.min_df", t.min_df, 1, None),
            ("boilerplate.context", b.context, 0, 10), ("boilerplate.min_df", b.min_df, 1, None),
            ("boilerplate.word_ngram_max", b.word_ngram_max, 1, 5),
            ("boilerplate.n_features", b.n_features, 2, 1 << 24), ("boilerplate.max_iter", b.max_iter, 1, None)]
    if t.char_ngram_max != 0:
        ints += [("topic.char_ngram_min", t.char_ngram_min, 1, 10),
                 ("topic.char_ngram_max", t.char_ngram_max, t.char_ngram_min, 10)]
    if b.char_ngram_max != 0:
        ints.append(("boilerplate.char_ngram_max", b.char_ngram_max, 2, 10))
    for key, value, low, high in ints:
        if value < low or (high is not None and value > high):
            span = f"between {low} and {high}" if high is not None else f">= {low}"
            extra = " (or 0 = none)" if key.endswith("char_ngram_max") else ""
            raise ConfigError(f"tfidf.{key}: expected an integer {span}{extra}, got {value}")
    for key, value in (("topic.alpha", t.alpha), ("boilerplate.C", b.C)):
        if not value > 0:
            raise ConfigError(f"tfidf.{key}: expected a number > 0, got {value}")
    for key, value in (("topic.class_weight", t.class_weight), ("boilerplate.class_weight", b.class_weight)):
        if value not in (None, "balanced"):
            raise ConfigError(f"tfidf.{key}: expected null or balanced, got {value!r}")
    if b.smoothing < 0:
        raise ConfigError(f"tfidf.boilerplate.smoothing: expected a number >= 0, got {b.smoothing}")
    th = b.threshold
    if isinstance(th, str) and th != "tune":
        raise ConfigError(f"tfidf.boilerplate.threshold: expected 'tune' or a number in (0, 1), got {th!r}")
    if isinstance(th, float) and not 0 < th < 1:
        raise ConfigError(f"tfidf.boilerplate.threshold: expected a number in (0, 1), got {th!r}")


def load_params(path: str | Path = "params.yaml") -> Params:
    """Read and validate a params file. Raises :class:`ConfigError` with the file name on any problem."""
    path = Path(path)
    if not path.exists():
        raise ConfigError(f"{path}: params file not found (run from the project root or pass --params)")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:  # one line: where and what (PyYAML's own message spans several lines)
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{path}: not valid YAML{where}: {what}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:  # a folder, no permission, ...
        raise ConfigError(f"{path}: cannot read the params file ({exc.strerror or exc})") from None
    try:
        return params_from_dict(raw)
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None


def to_dict(params: Any) -> dict:
    """Plain-dict form (for manifests and logs)."""
    return dataclasses.asdict(params)
