"""The params schema: a typed, strict view of ``params.yaml``, declared once.

Every tunable of the pipeline lives in ``params.yaml``. The pydantic models below hold each key's type, default and
allowed range (``Field(ge=..., lt=...)``, ``Literal[...]`` choices) and the rules that tie keys together
(``model_validator``). Unknown or misspelt keys are rejected with a suggestion, values of the wrong type are
rejected rather than converted (``"3"`` is not an int), and so are duplicate YAML keys, so that a typo never
silently falls back to a default. Every problem becomes a :class:`~newssift.errors.ConfigError` whose one-line
message names the dotted key, the value and what is allowed. Model manifests go through the same schema
(:func:`params_from_manifest`).

Importing this module is cheap (pydantic and PyYAML, no numpy/scikit-learn/torch): the command line checks
params before a stage's heavy imports.
"""
from __future__ import annotations

import difflib
import logging
import math
import re
import types
import typing
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from newssift.constants import (
    DEFAULT_BASE_MODEL,
    DEFAULT_MAX_CHARS,
    FAMILIES,
    MAX_HASH_FEATURES,
    SAMPLE,
    TAGGER_CONTEXT_HEADS,
)
from newssift.errors import ConfigError, ModelLoadError

log = logging.getLogger("newssift.config")

SEED_MAX = 2**31 - 1  # numpy, scikit-learn and torch all accept seeds in [0, 2**31 - 1] (and seed + 1)
MAX_PROBLEMS = 3  # problems spelled out in one error message; the rest are counted

Seed = Annotated[int, Field(ge=0, le=SEED_MAX)]
Family = Literal[FAMILIES]  # type: ignore[valid-type]  # "tfidf" | "transformer"


class _Section(BaseModel):
    """One mapping of ``params.yaml``: unknown keys rejected, types strict (an int is accepted where a float is
    expected, nothing else is converted), no NaN or infinity, frozen."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _empty_section_is_defaults(cls, data: Any) -> Any:
        return {} if data is None else data  # `clean:` with nothing under it: every default


def _rule(key: str, text: str) -> PydanticCustomError:
    """A cross-field problem about ``key`` (relative to the section that checks it)."""
    return PydanticCustomError("newssift_rule", "{key}: {text}", {"key": key, "text": text})


CORPUS_FORMATS = ("auto", "jsonl", "txt", "csv", "parquet", "disk", "hub")
CORPUS_FIELDS = ("id", "text", "topic", "line_labels", "url", "title", "meta")  # as newssift.data.corpus reads them


def column_mapping_problem(columns: dict[str, str]) -> tuple[str, str] | None:
    """``(key, problem)`` for a column mapping ({our field: column}, ``data.columns`` or ``--columns``) that
    maps an unknown field or one column to two fields; None for a good one."""
    unknown = sorted(k for k in columns if k not in CORPUS_FIELDS)
    if unknown:
        shown = repr(unknown[0]).encode("ascii", "backslashreplace").decode("ascii")  # one line, whatever the key
        return "columns", (f"{shown} is not a corpus field; map one of {', '.join(CORPUS_FIELDS)} to a column of "
                           "your data (e.g. text: body)")
    taken = list(columns.values())
    dup = sorted({c for c in taken if taken.count(c) > 1})
    if dup:
        return "columns", f"column {dup[0]!r} is mapped to more than one field"
    return None


class DataParams(_Section):
    corpus: str = Field(str(SAMPLE), min_length=1)  # file or folder (JSONL, CSV, Parquet, .txt, save_to_disk), hub name
    labels: Annotated[str, Field(min_length=1)] | None = None  # for a .txt folder: JSONL of {id, topic, ...}
    format: Literal[CORPUS_FORMATS] = "auto"  # type: ignore[valid-type]  # auto: from the path (hub: never guessed)
    columns: dict[str, Annotated[str, Field(min_length=1)]] = Field(default_factory=dict)  # our field -> column
    config: Annotated[str, Field(min_length=1)] | None = None  # hub: the dataset's configuration name
    split: str = Field("train", min_length=1)  # hub or a save_to_disk DatasetDict: the split to read

    @model_validator(mode="after")
    def _mapping(self) -> DataParams:
        problem = column_mapping_problem(self.columns)
        if problem is not None:
            raise _rule(*problem)
        if self.labels is not None and self.format not in ("auto", "txt"):
            raise _rule("labels", f"a labels file is for a folder of .txt files, not for format {self.format!r} "
                                  "(whose rows carry their own topic and line_labels)")
        return self


class SampleParams(_Section):
    n_articles: int = Field(320, ge=1)
    seed: Seed = 13


class CleanParams(_Section):
    min_chars: int = Field(20, ge=0)  # shorter cleaned text is rejected as empty/broken
    max_chars: int = Field(DEFAULT_MAX_CHARS, ge=1)  # longer raw text is rejected (10 MB articles are not articles)
    near_duplicate_threshold: float = Field(0.85, gt=0, le=1)  # estimated Jaccard of word 5-gram shingles
    num_perm: int = Field(128, ge=2)  # MinHash permutations (datasketch's LSH needs at least 2)
    num_proc: int = Field(0, ge=0)  # processes that clean text (0: one per available core); same output for any
    batch_size: int = Field(256, ge=1)  # records sent to a process at a time (memory in flight: num_proc x this)

    @model_validator(mode="after")
    def _range(self) -> CleanParams:
        if self.min_chars > self.max_chars:
            raise _rule("min_chars", f"must be <= max_chars ({self.max_chars}), or every article is rejected "
                                     f"(got {self.min_chars})")
        return self


class SplitParams(_Section):
    validation: float = Field(0.15, gt=0, lt=1)
    test: float = Field(0.2, gt=0, lt=1)
    seed: Seed = 42

    @model_validator(mode="after")
    def _fractions(self) -> SplitParams:
        if self.validation + self.test >= 1:
            raise _rule("test", f"validation + test must sum to less than 1, leaving articles to train on "
                                f"(got {self.validation} + {self.test})")
        return self


class TfidfTopicParams(_Section):
    """newssift.models.tfidf.TfidfTopicClassifier: hashed n-gram TF-IDF, logistic regression trained by SGD."""

    word_ngram_max: int = Field(2, ge=1, le=5)  # word n-grams 1..word_ngram_max
    char_ngram_min: int = Field(2, ge=1, le=10)  # character n-grams (within words) char_ngram_min..char_ngram_max
    char_ngram_max: int = Field(0, ge=0, le=10)  # 0 = none (word n-grams alone match them on BBC, far cheaper)
    n_features: int = Field(1 << 18, ge=2, le=MAX_HASH_FEATURES)  # hashed feature space of each n-gram block
    min_df: int = Field(1, ge=1)  # n-grams seen in fewer training articles are ignored
    sublinear_tf: bool = True
    alpha: float = Field(2e-6, gt=0)  # L2 regularisation of the SGD logistic regression
    class_weight: Literal["balanced"] | None = "balanced"
    max_iter: int = Field(50, ge=1)  # SGD epochs at most

    @model_validator(mode="after")
    def _ngrams(self) -> TfidfTopicParams:
        if self.char_ngram_max and self.char_ngram_min > self.char_ngram_max:
            raise _rule("char_ngram_min", f"must be <= char_ngram_max ({self.char_ngram_max}) "
                                          f"(got {self.char_ngram_min})")
        return self


class TfidfBoilerplateParams(_Section):
    """newssift.models.tfidf.TfidfBoilerplateClassifier: per-line hashed n-gram TF-IDF + line shape, logistic
    regression, HMM smoothing, tuned threshold."""

    context: int = Field(2, ge=0, le=10)  # neighbouring lines on each side whose shallow features join a line's
    word_ngram_max: int = Field(2, ge=1, le=5)  # word n-grams 1..word_ngram_max of the line
    char_ngram_max: int = Field(4, ge=0, le=10)  # character n-grams 2..char_ngram_max; 0 = none
    # hashed feature space of each n-gram block: 2**20 (2**18 left 41% of the word n-grams of 160 real pages
    # sharing a bucket with another, 2**20 12%)
    n_features: int = Field(1 << 20, ge=2, le=MAX_HASH_FEATURES)
    min_df: int = Field(2, ge=1)  # n-grams seen in fewer training lines are ignored (2: far better across sites)
    C: float = Field(10.0, gt=0)  # inverse L2 regularisation of the logistic regression
    class_weight: Literal["balanced"] | None = None  # None: threshold tuned on validation; "balanced" reweights
    # HMM smoothing along the article: tune (0, 0.5, 1 or 2, best on validation with the threshold), or a number:
    # 0 = off, 1 = transitions as estimated on training data
    smoothing: Literal["tune"] | Annotated[float, Field(ge=0)] = 1.0
    threshold: Literal["tune"] | Annotated[float, Field(gt=0, lt=1)] = "tune"  # best F1 on validation, or fixed
    span: Literal["tune"] | bool = "tune"  # article-span decoding (models/smoothing.py): tune = on where it scores
    span_margin: float = Field(2.0, ge=0)  # better on validation; inside the span a line needs this many nats more
    max_iter: int = Field(2000, ge=1)

    @model_validator(mode="after")
    def _chars(self) -> TfidfBoilerplateParams:
        if self.char_ngram_max == 1:
            raise _rule("char_ngram_max", "must be 0 (none) or between 2 and 10 (got 1)")
        return self


class TfidfParams(_Section):
    topic: TfidfTopicParams = TfidfTopicParams()
    boilerplate: TfidfBoilerplateParams = TfidfBoilerplateParams()


class TransformerTaskParams(_Section):
    epochs: float = Field(3.0, gt=0)
    learning_rate: float = Field(5e-5, gt=0)
    batch_size: int = Field(16, ge=1)
    max_train_samples: Annotated[int, Field(ge=1)] | None = None
    early_stopping_patience: int = Field(2, ge=0)  # 0 = no early stopping


class TransformerTopicParams(TransformerTaskParams):
    """The topic classifier (newssift.models.transformer.topic): a fine-tuned sequence classifier reading the head
    and tail of each article's editorial text."""

    learning_rate: float = Field(1e-4, gt=0)  # small data: few steps; 5e-5 left the topic head barely trained
    max_length: int = Field(128, ge=10)  # tokens of the editorial text the topic model reads (>= 8 + specials)


class TransformerBoilerplateParams(TransformerTaskParams):
    """The hierarchical line tagger (newssift.models.transformer.tagger): every line encoded once by the first
    ``encoder_layers`` layers of the base model, a sequence model over the article's line vectors, one head per
    line. ``batch_size`` counts articles (chunks of at most ``max_lines`` lines)."""

    epochs: float = Field(2.0, gt=0)  # over the real and the composed training pages (augment_pages)
    freeze_encoder: bool = False  # true: the pretrained encoder stays as it is, each line encoded once, cached
    learning_rate: float = Field(5e-5, gt=0)  # the encoder's (fine-tuned; unused with freeze_encoder)
    head_learning_rate: float = Field(1e-3, gt=0)  # the new layers': feature projection, sequence model, head
    batch_size: int = Field(2, ge=1)
    augment_pages: float = Field(1.0, ge=0)  # composed pages (header + body + footer of 3 pages) per training page
    encoder_layers: Annotated[int, Field(ge=1)] | None = 2  # layers of the base encoder used (null = all)
    line_max_tokens: int = Field(32, ge=4)  # tokens a line keeps (its head), special tokens included
    char_ngram_buckets: int = Field(131072, ge=0)  # hashed character 2-4-grams of each line (0 = off) ...
    char_ngram_dim: int = Field(32, ge=1)  # ... embedded in this many dimensions, joining the line vector
    context: Literal["gru", "transformer"] = "gru"  # sequence model over the line vectors (gru: bidirectional)
    context_layers: int = Field(1, ge=1)
    context_dim: int = Field(256, ge=2, multiple_of=2)  # even: the bidirectional GRU's two halves
    dropout: float = Field(0.1, ge=0, lt=1)
    max_lines: int = Field(512, ge=2)  # longer articles are cut into chunks of this many lines ...
    chunk_overlap: int = Field(64, ge=0)  # ... overlapping by this many lines
    smoothing: Literal["tune"] | Annotated[float, Field(ge=0)] = "tune"  # HMM smoothing along the article; 0 = off
    threshold: Literal["tune"] | Annotated[float, Field(gt=0, lt=1)] = "tune"  # best F1 on validation, or fixed
    span: Literal["tune"] | bool = "tune"  # article-span decoding, as tfidf.boilerplate.span
    span_margin: float = Field(2.0, ge=0)

    @model_validator(mode="after")
    def _tagger(self) -> TransformerBoilerplateParams:
        if self.chunk_overlap > self.max_lines // 2:
            raise _rule("chunk_overlap", f"must be <= max_lines / 2 = {self.max_lines // 2} "
                                         f"(max_lines {self.max_lines}; got {self.chunk_overlap})")
        if self.context == "transformer" and self.context_dim % TAGGER_CONTEXT_HEADS:
            raise _rule("context_dim", f"must be a multiple of {TAGGER_CONTEXT_HEADS} (the attention heads) with "
                                       f"context: transformer (got {self.context_dim})")
        return self


class TransformerParams(_Section):
    enabled: bool = True
    base_model: str = Field(DEFAULT_BASE_MODEL, min_length=1)
    quantize: Literal["none", "int8"] = "int8"  # CPU inference: int8 = dynamic int8 of the encoders' linear layers
    weight_decay: float = Field(0.01, ge=0)
    warmup_ratio: float = Field(0.1, ge=0, lt=1)
    mixed_precision: Literal["auto", "no", "fp16", "bf16"] = "auto"  # auto = fp16 on CUDA, none on CPU
    device: Literal["auto", "cpu", "cuda", "mps"] = "auto"
    seed: Seed = 42
    num_threads: Annotated[int, Field(ge=1)] | None = None  # torch CPU threads; None = torch default
    topic: TransformerTopicParams = TransformerTopicParams()
    boilerplate: TransformerBoilerplateParams = TransformerBoilerplateParams()


class SplitArticlesParams(_Section):
    model: Family = "tfidf"  # boilerplate model family used to cut the editorial text for topic training
    # a trained boilerplate model folder used when the corpus has no line labels (the pipeline's own boilerplate
    # model then has nothing to train on); null: such articles keep their full text
    fallback_model: Annotated[str, Field(min_length=1)] | None = None


class EvaluateParams(_Section):
    # strict=False: a YAML or JSON list becomes the tuple (a string is still refused)
    families: tuple[Family, ...] = Field(FAMILIES, strict=False)


class Params(_Section):
    seed: Seed = 42
    data: DataParams = DataParams()
    sample: SampleParams = SampleParams()
    clean: CleanParams = CleanParams()
    split: SplitParams = SplitParams()
    tfidf: TfidfParams = TfidfParams()
    split_articles: SplitArticlesParams = SplitArticlesParams()
    transformer: TransformerParams = TransformerParams()
    evaluate: EvaluateParams = EvaluateParams()

    @model_validator(mode="after")
    def _families(self) -> Params:
        if self.split_articles.model == "transformer" and not self.transformer.enabled:
            raise _rule("split_articles.model", "'transformer' needs transformer.enabled: true (a disabled "
                                                "transformer is never trained)")
        return self


P = TypeVar("P", bound=BaseModel)


# --------------------------------------------------------------------------------------------------------------
# Building params: from a mapping, from params.yaml, from a model manifest
# --------------------------------------------------------------------------------------------------------------

def params_from_dict(raw: Any) -> Params:
    """Build :class:`Params` from a mapping (``None``: every default). Raises :class:`ConfigError`."""
    return _validate(Params, raw)


def _validate(cls: type[P], raw: Any, prefix: str = "") -> P:
    try:
        return cls.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(_message(cls, exc, prefix)) from None


def validate_section(cls: type[P], raw: Any, prefix: str) -> P:
    """``raw`` checked as the params.yaml section ``prefix`` (for example ``tfidf.topic``): a :class:`ConfigError`
    naming the dotted key otherwise. Used where parameters come from code (an estimator's ``set_params``)."""
    return _validate(cls, raw, prefix)


def replace(params: P, **changes: Any) -> P:
    """A copy of ``params`` with ``changes``, validated like ``params.yaml`` (``dataclasses.replace`` for params)."""
    return _validate(type(params), {**dict(params), **changes})


def to_dict(params: BaseModel) -> dict:
    """Plain-dict form (for manifests and logs); :func:`params_from_manifest` reads it back."""
    return params.model_dump()


def params_from_manifest(cls: type[P], raw: Any, source: str | Path) -> P:
    """The one way back from a model manifest's ``params`` (written by :func:`to_dict`) to ``cls``.

    Keys this version does not know (a model saved by another version) are ignored with a log line; keys it
    misses take their defaults. A value of the wrong type or out of range is a :class:`ModelLoadError` naming
    ``source`` (the manifest file) and the key."""
    if raw is None:
        raise ModelLoadError(f"{source}: field 'params': missing")
    if not isinstance(raw, dict):
        raise ModelLoadError(f"{source}: field 'params': expected an object, got {_show(raw)}")
    dropped: list[str] = []
    known = _known_keys(cls, raw, "params", dropped)
    if dropped:
        log.info("%s: ignoring params this version does not know: %s", source, ", ".join(dropped))
    try:
        return _validate(cls, known, "params")
    except ConfigError as exc:
        raise ModelLoadError(f"{source}: {exc}") from None


def _known_keys(cls: type[BaseModel], raw: dict, where: str, dropped: list[str]) -> dict:
    out = {}
    for key, value in raw.items():
        field = cls.model_fields.get(key) if isinstance(key, str) else None
        if field is None:
            dropped.append(f"{where}.{key}")
            continue
        sub = _model_of(field.annotation)
        out[key] = _known_keys(sub, value, f"{where}.{key}", dropped) if sub and isinstance(value, dict) else value
    return out


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, reading floats as YAML 1.2 does (``1e-5`` is a number, as DVC, which writes
    ``dvc exp run -S`` values into params.yaml, reads and writes it; YAML 1.1 wants ``1.0e-05``);
    :func:`_parse_yaml` adds the duplicate-key check."""


_Loader.add_implicit_resolver(  # YAML 1.2 core schema floats (a copy of the resolvers is made for _Loader)
    "tag:yaml.org,2002:float",
    re.compile(r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
                 |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
                 |\.[0-9_]+(?:[eE][-+]?[0-9]+)?
                 |[-+]?\.(?:inf|Inf|INF)
                 |\.(?:nan|NaN|NAN))$""", re.X),
    list("-+0123456789."))


def yaml_value(text: str) -> Any:
    """One value as params.yaml would read it (``KEY=VALUE`` overrides of the benches: ``1e-5`` is a number)."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 (_Loader is a SafeLoader)


def _parse_yaml(text: str, path: Path) -> Any:
    """Safe-load one YAML document, rejecting a key that appears twice in one mapping (PyYAML keeps the last)."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _reject_duplicate_keys(loader, node, path)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _reject_duplicate_keys(loader: yaml.SafeLoader, root: yaml.Node, path: Path) -> None:
    seen_nodes: set[int] = set()
    todo: list[tuple[yaml.Node, str]] = [(root, "")]
    while todo:  # iterative: deep nesting must not overflow the stack
        node, where = todo.pop()
        if id(node) in seen_nodes:  # an alias: already checked
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            todo += [(item, f"{where}[{i}]") for i, item in enumerate(node.value)]
        elif isinstance(node, yaml.MappingNode):
            first: dict[Any, int] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":  # `<<: *base`: later keys override on purpose
                    todo.append((value_node, where))
                    continue
                name = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                key = _dotted(where, name)
                if isinstance(key_node, yaml.ScalarNode):
                    value, line = loader.construct_object(key_node), key_node.start_mark.line + 1
                    if value in first:
                        raise ConfigError(f"{path}: duplicate key '{_one_line(key)}' at line {line} (first at line "
                                          f"{first[value]}); each key may appear once")
                    first[value] = line
                todo.append((value_node, key))


def load_params(path: str | Path = "params.yaml") -> Params:
    """Read and validate a params file. Raises :class:`ConfigError` with the file name on any problem."""
    path = Path(path)
    if not path.exists():
        raise ConfigError(f"{path}: params file not found (run from the project root or pass --params)")
    try:
        raw = _parse_yaml(path.read_text(encoding="utf-8"), path)
    except yaml.YAMLError as exc:  # one line: where and what (PyYAML's own message spans several lines)
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{path}: not valid YAML{where}: {what}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:  # a folder, no permission, ...
        raise ConfigError(f"{path}: cannot read the params file ({exc.strerror or exc})") from None
    except (ValueError, OverflowError) as exc:  # e.g. a date that does not exist: `2024-02-30`
        raise ConfigError(f"{path}: not valid YAML: {_one_line(exc)}") from None
    except RecursionError:
        raise ConfigError(f"{path}: not valid YAML: nested too deeply") from None
    try:
        return params_from_dict(raw)
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None


# --------------------------------------------------------------------------------------------------------------
# Error messages: pydantic's errors, one line naming the key, the value and what is allowed
# --------------------------------------------------------------------------------------------------------------

_RANGE_ERRORS = {"greater_than", "greater_than_equal", "less_than", "less_than_equal", "multiple_of",
                 "too_short", "too_long", "string_too_short", "string_too_long"}


def _message(cls: type[BaseModel], exc: ValidationError, prefix: str = "") -> str:
    problems: dict[str, str] = {}
    for err in exc.errors(include_url=False):
        key, text = _problem(cls, err, prefix)
        problems.setdefault(key, text)  # a union reports once per option: one line per key
    lines = list(problems.values())
    more = f" (and {len(lines) - MAX_PROBLEMS} more)" if len(lines) > MAX_PROBLEMS else ""
    return "; ".join(lines[:MAX_PROBLEMS]) + more


def _problem(cls: type[BaseModel], err: dict, prefix: str) -> tuple[str, str]:
    """(dotted key, message) for one pydantic error."""
    parts: list[str] = [prefix] if prefix else []
    tp: Any = cls
    meta: list[Any] = []
    for part in err["loc"]:
        model = _model_of(tp)
        if model is not None:
            if isinstance(part, str) and part in model.model_fields:
                field = model.model_fields[part]
                tp, meta = field.annotation, list(field.metadata)
                parts.append(part)
                continue
            key = ".".join(parts + [str(part)])  # a key the section does not have
            names = list(model.model_fields)
            close = ([n for n in names if n.lower() == str(part).lower()]
                     or difflib.get_close_matches(str(part), names, n=1)
                     # a key of a sub-section written one level too high (transformer.max_length, now
                     # transformer.topic.max_length)
                     or [f"{n}.{part}" for n in names if str(part) in getattr(
                         _model_of(model.model_fields[n].annotation), "model_fields", {})][:1])
            hint = f" (did you mean '{'.'.join(parts + [close[0]])}'?)" if close else ""
            return key, f"unknown key '{_one_line(key)}'{hint}; allowed keys here: {', '.join(names)}"
        if typing.get_origin(tp) is tuple and isinstance(part, int) and parts:
            tp, meta = typing.get_args(tp)[0], []
            parts[-1] += f"[{part}]"
            continue
        break  # the rest names the option of a union that failed
    key = ".".join(parts) or "params"
    kind, value = err["type"], err.get("input")
    if kind == "newssift_rule":
        rule_key = ".".join(parts + [err["ctx"]["key"]])
        return rule_key, f"{rule_key}: {err['ctx']['text']}"
    if kind == "finite_number":
        return key, f"{key}: must be a finite number (got {_show(value)})"
    if kind in _RANGE_ERRORS and not _is_union(tp):
        return key, f"{key}: must be {_range(_constraints(tp, meta), _base(tp))} (got {_show(value)})"
    expected = _describe(tp, meta)
    return key, f"{key}: expected {expected}, got {_show(value)}{_number_as_text_hint(value, expected)}"


def _number_as_text_hint(value: Any, expected: str) -> str:
    """A number written in quotes is text."""
    if not isinstance(value, str) or not ("number" in expected or "integer" in expected):
        return ""
    try:
        if not math.isfinite(float(value)):
            return ""
    except ValueError:
        return ""
    return " (text, not a number: remove the quotes)"


def _model_of(tp: Any) -> type[BaseModel] | None:
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _options(tp: Any) -> list[Any]:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return list(typing.get_args(tp))
    return [tp]


def _is_union(tp: Any) -> bool:
    return len([t for t in _options(tp) if t is not type(None)]) > 1


def _unwrap(tp: Any, meta: list[Any]) -> tuple[Any, list[Any]]:
    """(the bare type, its constraints) of ``Annotated[T, Field(...)]``."""
    if typing.get_origin(tp) is Annotated:
        base, *extra = typing.get_args(tp)
        more = [m for e in extra for m in (getattr(e, "metadata", None) or [e])]
        return _unwrap(base, meta + more)
    return tp, meta


def _constraints(tp: Any, meta: list[Any]) -> list[Any]:
    """The constraints of a field, looking inside ``T | None``."""
    found = list(meta)
    for option in _options(tp):
        found += _unwrap(option, [])[1]
    return found


def _base(tp: Any) -> Any:
    options = [t for t in _options(tp) if t is not type(None)]
    return _unwrap(options[0], [])[0] if options else tp


def _range(constraints: list[Any], base: Any = None) -> str:
    """``>= 1``, ``in (0, 1)``, ``a multiple of 2``, ``non-empty``... from annotated-types constraints."""
    c: dict[str, Any] = {}
    for m in constraints:
        for name in ("gt", "ge", "lt", "le", "multiple_of", "min_length", "max_length"):
            if getattr(m, name, None) is not None:
                c[name] = getattr(m, name)
    out = []
    low = ("(", c["gt"]) if "gt" in c else ("[", c["ge"]) if "ge" in c else None
    high = (")", c["lt"]) if "lt" in c else ("]", c["le"]) if "le" in c else None
    if low and high:
        out.append(f"in {low[0]}{low[1]}, {high[1]}{high[0]}")
    elif low:
        out.append(f"{'>' if low[0] == '(' else '>='} {low[1]}")
    elif high:
        out.append(f"{'<' if high[0] == ')' else '<='} {high[1]}")
    if "multiple_of" in c:
        out.append(f"a multiple of {c['multiple_of']}")
    if c.get("min_length") == 1:
        out.append("non-empty" if base is str else "at least 1 item")
    elif "min_length" in c:
        out.append(f"at least {c['min_length']} items")
    return " and ".join(out)


def _describe(tp: Any, meta: list[Any] | None = None) -> str:
    """What a field accepts, in words: ``an integer >= 1``, ``'tune' or a number in (0, 1)``, ``a mapping``..."""
    tp, meta = _unwrap(tp, list(meta or []))
    options = _options(tp)
    if len(options) > 1:
        words = [_describe(t) for t in options if t is not type(None)]
        words += ["null"] if type(None) in options else []
        return _or(words)
    if typing.get_origin(tp) is Literal:
        return _or([repr(v) for v in typing.get_args(tp)])
    if typing.get_origin(tp) is tuple:
        inner = _describe(typing.get_args(tp)[0])
        rng = _range(meta)
        return f"a list of {inner}" + (f" ({rng})" if rng else "")
    if _model_of(tp) is not None:
        return "a mapping"
    names = {bool: "true or false", int: "an integer", float: "a number", str: "a string", type(None): "null"}
    word = names.get(tp, getattr(tp, "__name__", str(tp)))
    rng = _range(meta, tp)
    if rng == "non-empty":
        return f"a non-empty {word[2:]}"
    return f"{word} {rng}" if rng else word


def _or(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _show(value: Any, limit: int = 60) -> str:
    """A value as the user wrote it (YAML words for null and booleans), on one line and short."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        text = "a mapping " + repr(value)
    elif isinstance(value, (list, tuple)):
        text = "a list " + repr(list(value))
    else:
        text = repr(value)
    return _one_line(text if len(text) <= limit else text[: limit - 3] + "...")


def _one_line(text: Any) -> str:
    return " ".join(str(text).split())


def _dotted(where: str, key: Any) -> str:
    return f"{where}.{key}" if where else str(key)
